import { expect, launchBrowserMode, net, newDataDir, signInThroughUi, test } from './fixtures'
import { createAccount } from '../support/network'

test('add an account with handle + password and see it listed', async ({ page, app, account }) => {
  await page.goto(app.url)
  await expect(page.getByRole('heading', { name: 'Add an account' })).toBeVisible()
  await signInThroughUi(page, account)
  const list = page.getByRole('listbox', { name: 'Accounts' })
  await expect(list.getByRole('option', { name: new RegExp(account.handle) })).toBeVisible()
  await expect(page.getByRole('heading', { level: 1, name: account.handle })).toBeVisible()
  await expect(page.getByText(account.did)).toBeVisible()
})

test('accounts survive a restart of the core without signing in again', async ({ page }) => {
  // Two app starts (each a Node process compiling the core), measured at 20 s on a loaded two-core
  // machine: the triple limit (180 s) keeps that under a third.
  test.slow()
  const dataDir = newDataDir()
  const first = await launchBrowserMode(dataDir)
  const a = await createAccount(net.pdsUrl, 'restart')
  const b = await createAccount(net.pdsUrl, 'restart')
  await page.goto(first.url)
  await signInThroughUi(page, a)
  await expect(page.getByRole('option', { name: new RegExp(a.handle) })).toBeVisible()
  await signInThroughUi(page, b)
  await expect(page.getByRole('option', { name: new RegExp(b.handle) })).toBeVisible()
  await first.stop()

  const second = await launchBrowserMode(dataDir)
  try {
    await page.goto(second.url)
    const list = page.getByRole('listbox', { name: 'Accounts' })
    await expect(list.getByRole('option')).toHaveCount(2)
    await expect(list.getByRole('option', { name: new RegExp(a.handle) })).toBeVisible()
    // Restored signed in: the badge says Active, and a check against the PDS works.
    await list.getByRole('option', { name: new RegExp(a.handle) }).click()
    await expect(page.getByRole('heading', { level: 1, name: a.handle })).toBeVisible()
    await page.getByRole('button', { name: 'Check now' }).click()
    await expect(page.getByText(`Checked @${a.handle}: the session works.`)).toBeVisible()
    await expect(page.getByText(a.email)).toBeVisible()
  } finally {
    await second.stop()
  }
})
