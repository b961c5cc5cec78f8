import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { createAccount } from '../support/network'
import { expect, net, signInThroughUi, test } from './fixtures'

/** Screens of the notification settings: docs/ with UPDATE_SCREENSHOTS=1, test-results/ otherwise. */
const OUT = process.env.UPDATE_SCREENSHOTS
  ? resolve(import.meta.dirname, '..', '..', 'docs')
  : resolve(import.meta.dirname, '..', '..', 'test-results', 'screens')

test('settings: reached from the header, saved through the contract, kept across reloads', async ({ page, app }) => {
  await page.goto(app.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByRole('region', { name: 'Settings' })
  await expect(settings.getByRole('heading', { name: 'Settings' })).toBeVisible()

  // Desktop-only settings are shown but cannot be changed in browser mode.
  await expect(settings.getByLabel('Keep running in the tray when the window is closed')).toBeDisabled()
  await expect(settings.getByLabel(/Start Skyswitch when I log in/)).toBeDisabled()

  await settings.getByLabel('Clear copied tokens after').selectOption('15')
  await expect(page.getByText('Settings saved.')).toBeVisible()
  await page.reload()
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByLabel('Clear copied tokens after')).toHaveValue('15')

  // The copy buttons use the new delay.
  await page.getByRole('button', { name: 'Done' }).click()
  await signInThroughUi(page, await createAccount(net.pdsUrl, 'st'))
  await page.getByRole('button', { name: /Copy access token/ }).click()
  await expect(page.getByText(/Clipboard clears in 1[45] s/)).toBeVisible()
})

test('notifications: the global switch in Settings, mute and unread opt-in in an account, kept across reloads; screens', async ({
  page,
  app,
}) => {
  test.slow()
  const account = await createAccount(net.pdsUrl, 'nt')
  await page.goto(app.url)
  await signInThroughUi(page, account)
  const details = page.getByRole('region', { name: 'Notifications' })
  const attention = details.getByLabel(`Tell me when @${account.handle} needs attention`)
  const unread = details.getByLabel('Also when it has new Bluesky notifications')
  // On by default for attention, off for new Bluesky notifications.
  await expect(attention).toBeChecked()
  await expect(unread).not.toBeChecked()
  await unread.check()
  await expect(page.getByText(`New Bluesky notifications of @${account.handle} will be shown.`)).toBeVisible()
  await attention.uncheck()
  await expect(page.getByText(`Notifications about @${account.handle} muted.`)).toBeVisible()
  // A muted account tells nothing, so its unread opt-in waits (kept) until it is unmuted.
  await expect(unread).toBeDisabled()
  await expect(unread).toBeChecked()
  await attention.check()
  await shoot(page, 'notifications-account', () => details.evaluate((el) => el.scrollIntoView({ block: 'center' })))

  await page.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByRole('region', { name: 'Settings' })
  const all = settings.getByLabel('Tell me when an account needs attention')
  await expect(all).toBeChecked()
  await expect(settings.getByText('Shown by the desktop app only.', { exact: false })).toBeVisible()
  const group = settings.getByRole('group', { name: 'Notifications' })
  await shoot(page, 'notifications-settings', () => group.evaluate((el) => el.scrollIntoView({ block: 'center' })))
  await all.uncheck()
  await expect(page.getByText('Settings saved.')).toBeVisible()

  await page.reload()
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByLabel('Tell me when an account needs attention')).not.toBeChecked()
  await page.getByRole('button', { name: 'Done' }).click()
  // With the global switch off, the account's switches say so and wait; its choices are kept.
  await expect(details.getByText('Notifications are off for every account (Settings).')).toBeVisible()
  await expect(attention).toBeDisabled()
  await expect(attention).toBeChecked()
  await expect(unread).toBeChecked()
})

/** Light and dark, at 400 px and 1400 px; nothing spills sideways. */
async function shoot(page: Page, name: string, show: () => Promise<void>) {
  mkdirSync(OUT, { recursive: true })
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const width of [1400, 400]) {
      await page.setViewportSize({ width, height: width === 400 ? 900 : 820 })
      await show()
      await page.screenshot({ path: join(OUT, `skyswitch-${name}-${scheme}-${width}.png`) })
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, `sideways overflow at ${width} px`).toBeLessThanOrEqual(0)
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1200, height: 800 })
}
