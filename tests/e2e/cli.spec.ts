import { execFile } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createAccount, xrpc } from '../support/network'
import { expect, net, newDataDir, signInThroughUi, skyswitch, test } from './fixtures'
import { accountRows, statusBanner } from './locators'

const run = promisify(execFile)

test('token, env, status --json and switch against the running app', async ({ page, app, account }) => {
  const other = await createAccount(net.pdsUrl, 'cli')
  await page.goto(app.url)
  await signInThroughUi(page, account)
  await expect(page.getByRole('heading', { level: 1, name: account.handle })).toBeVisible()
  await signInThroughUi(page, other)
  await expect(page.getByRole('heading', { level: 1, name: other.handle })).toBeVisible()

  // The printed token works: getSession with it answers 200.
  const token = await skyswitch(app.dataDir, 'token', account.handle)
  expect(token.code).toBe(0)
  expect(token.stdout.trim().split('\n')).toHaveLength(1)
  const session = (await xrpc(net.pdsUrl, 'com.atproto.server.getSession', {
    auth: `Bearer ${token.stdout.trim()}`,
    method: 'GET',
  })) as { did: string }
  expect(session.did).toBe(account.did)

  const env = await skyswitch(app.dataDir, 'env', account.did)
  expect(env.stdout).toContain(`export ATP_DID=${account.did}`)
  expect(env.stdout).toContain(`export ATP_HANDLE=${account.handle}`)
  expect(env.stdout).toMatch(/export ATP_PDS_URL=http:\/\/localhost:\d+/)
  expect(env.stdout).toMatch(/export ATP_ACCESS_JWT=eyJ/)

  // status --json matches what the UI shows.
  const status = await skyswitch(app.dataDir, 'status', '--json')
  expect(status.code).toBe(0)
  const parsed = JSON.parse(status.stdout) as { activeDid: string; accounts: { handle: string; session: string }[] }
  expect(parsed.accounts.map((a) => a.handle)).toEqual([account.handle, other.handle])
  // Adding `other` did not change the active account: the first one added.
  expect(parsed.activeDid).toBe(account.did)
  const options = accountRows(page)
  await expect(options).toHaveCount(2)
  await expect(options.nth(0)).toContainText(account.handle)
  await expect(options.nth(0)).toContainText('In use')

  // switch changes the active account in the UI.
  const sw = await skyswitch(app.dataDir, 'switch', other.handle)
  expect(sw.code).toBe(0)
  await expect(options.nth(1)).toContainText('In use')
  await expect(options.nth(0)).not.toContainText('In use')

  // The token goes nowhere but stdout: not in the app's own output.
  expect(app.output()).not.toContain(token.stdout.trim().slice(-30))
})

test('unknown and signed-out accounts get distinct exit codes; status says attention', async ({
  page,
  app,
  account,
}) => {
  await page.goto(app.url)
  await signInThroughUi(page, account)
  await expect(page.getByRole('heading', { level: 1, name: account.handle })).toBeVisible()
  const unknown = await skyswitch(app.dataDir, 'token', 'nobody.test')
  expect(unknown.code).toBe(3)
  expect(unknown.stderr).toContain('No account nobody.test')
  expect(unknown.stdout).toBe('')

  // Sign out in the UI (revokes), then ask for its token.
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out' }).click()
  await expect(statusBanner(page)).toContainText('Signed out')
  const signedOut = await skyswitch(app.dataDir, 'token')
  expect(signedOut.code).toBe(4)
  expect(signedOut.stdout).toBe('')
  const status = await skyswitch(app.dataDir, 'status')
  expect(status.code).toBe(1)
  expect(status.stdout).toContain('signed-out')
})

test('the app not running: one line on stderr and exit 2', async () => {
  const res = await skyswitch(newDataDir(), 'status')
  expect(res.code).toBe(2)
  expect(res.stderr.trim().split('\n')).toHaveLength(1)
  expect(res.stderr).toContain('not running')
})

test('the endpoint is for this user only: 0600 socket in a 0700 directory', async ({ app }) => {
  const dir = join(app.dataDir, 'run')
  expect(statSync(dir).mode & 0o777).toBe(0o700)
  const sock = statSync(join(dir, 'skyswitch.sock'))
  expect(sock.isSocket()).toBe(true)
  expect(sock.mode & 0o777).toBe(0o600)
})

test('another OS user is refused by the endpoint itself', async ({ app }) => {
  test.skip(process.getuid?.() !== 0, 'needs root to run the command as another user (setpriv)')
  const res = await run('setpriv', [
    '--reuid=65534',
    '--regid=65534',
    '--clear-groups',
    process.execPath,
    '-e',
    `require('node:net').connect(${JSON.stringify(join(app.dataDir, 'run', 'skyswitch.sock'))})
      .on('connect', () => { console.log('connected'); process.exit(0) })
      .on('error', (e) => { console.log(e.code); process.exit(0) })`,
  ]).catch((e: { stdout: string }) => e)
  expect(res.stdout.trim()).toMatch(/^(EACCES|EPERM)$/)
})
