import { createAccount } from '../support/network'
import { expect, net, signInThroughUi, test } from './fixtures'

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
