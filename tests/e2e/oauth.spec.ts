import { approve } from '../support/oauth-pages'
import { expect, net, skyswitch, test } from './fixtures'
import { accountRow } from './locators'

test('sign in with your provider: the provider’s pages in a new tab, then the account is listed as OAuth', async ({
  page,
  app,
  account,
}) => {
  // Two app starts and the provider's pages: slow on a loaded machine.
  test.slow()
  await page.goto(app.url)
  await page.getByLabel('Handle, DID or email').fill(account.handle)
  await page.getByLabel('Hosting provider').fill(net.pdsUrl)
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Sign in with your provider' }).click(),
  ])
  await expect(page.getByText('Finish signing in in your browser')).toBeVisible()
  await tab.waitForURL(/\/oauth\/authorize/)
  await approve(tab, tab.url(), account.password)
  await expect(tab.getByRole('heading', { name: 'Signed in' })).toBeVisible()
  await tab.close()

  await expect(page.getByRole('heading', { level: 1, name: account.handle })).toBeVisible()
  await expect(page.getByTestId('sign-in-kind')).toContainText('OAuth')
  await expect(page.getByTestId('sign-in-kind')).toContainText('two weeks')

  // Its tokens are bound to the app: copying one is refused with a pointer to the proxy.
  await page.getByRole('button', { name: 'Copy access token' }).click()
  await expect(page.getByText(/cannot be handed to a tool/)).toBeVisible()
  for (const cmd of ['token', 'env']) {
    const r = await skyswitch(app.dataDir, cmd, account.handle)
    expect(r).toMatchObject({ code: 6, stdout: '' })
    expect(r.stderr).toContain('skyswitch exec --proxy')
  }

  // Restored after a restart.
  await app.stop()
  const { launchBrowserMode } = await import('./fixtures')
  const again = await launchBrowserMode(app.dataDir)
  try {
    await page.goto(again.url)
    await accountRow(page, account.handle).click()
    await expect(page.getByTestId('sign-in-kind')).toContainText('OAuth')
    await page.getByRole('button', { name: 'Check now' }).click()
    await expect(page.getByText(`Checked @${account.handle}: the session works.`)).toBeVisible()
  } finally {
    await again.stop()
  }
})
