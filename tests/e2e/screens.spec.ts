import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, net, signInThroughUi, test } from './fixtures'
import { createAccount, deactivate } from '../support/network'

// Screens of the real UI in light and dark, narrow and wide. With
// UPDATE_SCREENSHOTS=1 they are written to docs/ for the README.
const OUT = process.env.UPDATE_SCREENSHOTS
  ? resolve(import.meta.dirname, '..', '..', 'docs')
  : resolve(import.meta.dirname, '..', '..', 'test-results', 'screens')

test('main screens: readable at 400 px and 1400 px, light and dark', async ({ page, app }) => {
  mkdirSync(OUT, { recursive: true })
  const alice = await createAccount(net.pdsUrl, 'alice')
  const bob = await createAccount(net.pdsUrl, 'bob')
  const carol = await createAccount(net.pdsUrl, 'carol')
  await page.goto(app.url)
  for (const a of [alice, bob, carol]) {
    await signInThroughUi(page, a)
    await expect(page.getByRole('option', { name: new RegExp(a.handle) })).toBeVisible()
  }
  await deactivate(net.pdsUrl, bob)
  await page.getByRole('option', { name: new RegExp(bob.handle) }).click()
  await page.getByRole('button', { name: 'Check now' }).click()
  await expect(page.getByRole('status', { name: 'Account status' })).toContainText('Deactivated')
  await page.screenshot({ path: join(OUT, 'skyswitch-deactivated-light-1200.png') })
  await page.getByRole('button', { name: 'Keep on disk' }).click()
  await page.getByRole('option', { name: new RegExp(alice.handle) }).click()
  await expect(page.getByRole('heading', { level: 1, name: alice.handle })).toBeVisible()
  await expect(page.getByRole('status', { name: 'Weak token storage' })).toHaveCount(0)

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const width of [1400, 400]) {
      await page.setViewportSize({ width, height: width === 400 ? 900 : 820 })
      // Nothing spills sideways at either width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(OUT, `skyswitch-${scheme}-${width}.png`) })
    }
  }
  await page.setViewportSize({ width: 1400, height: 820 })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.screenshot({ path: join(OUT, 'skyswitch-login-light-1400.png') })
})
