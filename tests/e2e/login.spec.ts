import { startEntrywayProxy } from '../support/entryway-proxy'
import { expect, net, signInThroughUi, test } from './fixtures'

test('wrong password: a clear error, the app-password hint, nothing added', async ({ page, app, account }) => {
  await page.goto(app.url)
  await expect(page.getByRole('link', { name: 'Create an app password' })).toHaveAttribute('href', /app-passwords/)
  await signInThroughUi(page, { ...account, password: 'not-the-password' })
  await expect(page.getByRole('alert')).toContainText('Wrong handle or password')
  await expect(page.getByRole('listbox', { name: 'Accounts' })).toHaveCount(0)
})

test('an unreachable provider: a clear error', async ({ page, app, account }) => {
  await page.goto(app.url)
  await signInThroughUi(page, account, { service: 'http://127.0.0.1:9' })
  await expect(page.getByRole('alert')).toContainText('Could not reach 127.0.0.1:9')
})

test('email 2FA: asks for the code, then signs in', async ({ page, app, account }) => {
  const proxy = await startEntrywayProxy(net.pdsUrl, { twoFactor: { identifier: account.handle, code: 'QWERT-12345' } })
  try {
    await page.goto(app.url)
    await signInThroughUi(page, account, { service: proxy.url })
    const code = page.getByLabel('Sign-in code from email')
    await expect(code).toBeFocused()
    await code.fill('WRONG')
    await page.keyboard.press('Enter')
    await expect(page.getByRole('alert')).toContainText('That code did not work')
    await code.fill('QWERT-12345')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: account.handle })).toBeVisible()
  } finally {
    await proxy.close()
  }
})

test('the submit button is disabled while the request runs; Escape cancels', async ({ page, app, account }) => {
  const proxy = await startEntrywayProxy(net.pdsUrl, { hang: true })
  try {
    await page.goto(app.url)
    await signInThroughUi(page, account)
    await expect(page.getByRole('heading', { level: 1, name: account.handle })).toBeVisible()
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.getByLabel('Handle, DID or email').fill(account.handle)
    await page.getByLabel('Password').fill(account.password)
    await page.getByLabel('Hosting provider').fill(proxy.url)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(page.getByRole('button', { name: 'Signing in…' })).toBeDisabled()
    await proxy.stop()
    await expect(page.getByRole('alert')).toContainText('Could not reach')
    await page.getByLabel('Password').press('Escape')
    await expect(page.getByRole('heading', { name: 'Add an account' })).toHaveCount(0)
    await expect(page.getByRole('heading', { level: 1, name: account.handle })).toBeVisible()
  } finally {
    await proxy.close()
  }
})
