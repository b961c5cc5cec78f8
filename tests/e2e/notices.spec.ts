import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createAccount } from '../support/network'
import { expect, launchBrowserMode, net, newDataDir, signInThroughUi, test } from './fixtures'
import { intersects, layout } from './layout'

test('notices and toasts never cover a control, at 400 px and 1400 px; each names its account', async ({ page }) => {
  // Two app starts (each a Node process compiling the core), measured at 26 s on a loaded two-core
  // machine: the triple limit (180 s) keeps that under a third.
  test.slow()
  const dataDir = newDataDir()
  const [ann, ben] = await Promise.all([createAccount(net.pdsUrl, 'ann'), createAccount(net.pdsUrl, 'ben')])
  const first = await launchBrowserMode(dataDir)
  await page.goto(first.url)
  for (const a of [ann, ben]) {
    await signInThroughUi(page, a)
    await expect(page.getByRole('heading', { level: 1, name: a.handle })).toBeVisible()
  }
  await first.stop()
  // Damage Ben's saved entry: the next start signs out only Ben and says so, by name.
  const file = join(dataDir, 'vault.json')
  const vault = JSON.parse(readFileSync(file, 'utf8')) as { accounts: Record<string, { handle: string }> }
  const benEntry = Object.values(vault.accounts).find((e) => e.handle === ben.handle)!
  ;(benEntry as unknown as { hosting: number }).hosting = 17
  writeFileSync(file, JSON.stringify(vault))

  const app = await launchBrowserMode(dataDir)
  try {
    await page.goto(app.url)
    const notices = page.getByRole('region', { name: 'Notices' })
    await expect(notices).toContainText(`1 saved account entry was damaged and signed out (@${ben.handle})`)
    await expect(page.getByRole('status', { name: 'Weak token storage' })).toBeVisible()
    // "Check all" says which account needs attention.
    await page.getByRole('button', { name: 'Check all accounts' }).click()
    const toast = page.locator('.toast')
    await expect(toast).toContainText(`1 of 2 need attention: @${ben.handle}`)

    for (const width of [1400, 400]) {
      await page.setViewportSize({ width, height: width === 400 ? 900 : 820 })
      await expect(toast).toBeVisible()
      const { notices: shown, controls } = await layout(page)
      expect(shown.length).toBeGreaterThanOrEqual(3)
      expect(controls.length).toBeGreaterThan(5)
      for (const n of shown) {
        for (const c of controls) {
          expect(intersects(n.box!, c.box!), `at ${width} px "${n.text}" covers "${c.text}"`).toBe(false)
        }
      }
    }
  } finally {
    await app.stop()
  }
})
