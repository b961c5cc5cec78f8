import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { expect } from './fixtures'
import { accountRow, statusBanner } from './locators'

// The README's screenshots, taken from the running demo. With
// UPDATE_SCREENSHOTS=1 they are written to docs/, otherwise next to the test results.
const OUT = process.env.UPDATE_SCREENSHOTS
  ? resolve(import.meta.dirname, '..', '..', 'docs')
  : resolve(import.meta.dirname, '..', '..', 'test-results', 'screens-demo')

const pick = (page: Page, name: string) => accountRow(page, `${name}.test`)

/** Light and dark, 400 and 1400 px, a deactivated account, the login form; nothing spills sideways. */
export async function demoScreenshots(page: Page): Promise<void> {
  mkdirSync(OUT, { recursive: true })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1200, height: 800 })
  await pick(page, 'bruno').click()
  await expect(statusBanner(page)).toContainText('Deactivated')
  await expect(page.getByRole('status', { name: 'Weak token storage' })).toBeVisible()
  await page.screenshot({ path: join(OUT, 'demo-deactivated-light-1200.png') })
  await page.getByRole('button', { name: 'Keep on disk' }).click()
  await expect(page.getByRole('status', { name: 'Weak token storage' })).toHaveCount(0)
  await pick(page, 'alice').click()
  await expect(page.getByRole('heading', { level: 1, name: 'Alice Moreau' })).toBeVisible()
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const width of [1400, 400]) {
      await page.setViewportSize({ width, height: width === 400 ? 900 : 820 })
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(OUT, `demo-${scheme}-${width}.png`) })
    }
  }
  await page.setViewportSize({ width: 1400, height: 820 })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.screenshot({ path: join(OUT, 'demo-login-light-1400.png') })
}
