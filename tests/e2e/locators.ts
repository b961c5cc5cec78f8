import type { Page } from '@playwright/test'

/** The rows of the account list. */
export const accountRows = (page: Page) => page.getByRole('listbox', { name: 'Accounts' }).getByRole('option')

/** One account's row, by handle, wherever it shows (the list, the quick switcher). */
export const accountRow = (page: Page, handle: string) =>
  page.getByRole('option', { name: new RegExp(`@${handle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) })

/** The open account's status banner. */
export const statusBanner = (page: Page) => page.getByRole('status', { name: 'Account status' })
