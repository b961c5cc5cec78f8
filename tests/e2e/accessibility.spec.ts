/**
 * Accessibility measured: axe (WCAG 2.x, A and AA) on every screen and state
 * of the window, light and dark, 400 and 1400 px. No serious or critical
 * violation anywhere; the other counts are printed, one line per run.
 */
import type { Page } from '@playwright/test'
import { startEntrywayProxy } from '../support/entryway-proxy'
import { adminTakedown, createAccount, deactivate, type TestAccount, xrpc } from '../support/network'
import { expectAccessible } from './axe'
import { expect, launchBrowserMode, net, newDataDir, type RunningApp, signInThroughUi, test } from './fixtures'
import { accountRow, statusBanner } from './locators'

const heading = (page: Page, a: TestAccount) => page.getByRole('heading', { level: 1, name: a.handle })

/** Shows an account's details and waits for its banner to say what it should. */
async function open(page: Page, a: TestAccount, banner: string) {
  await accountRow(page, a.handle).click()
  await expect(heading(page, a)).toBeVisible()
  await expect(statusBanner(page)).toContainText(banner)
}

// One app and one page for the file, each screen its own test: every test stays short.
test.describe.configure({ mode: 'serial' })

let app: RunningApp
let page: Page
let accounts: Record<'ok' | 'tk' | 'de' | 'so' | 'su' | 'off' | 'rl', TestAccount>
const servers: { close(): Promise<void> }[] = []

test.beforeAll(async ({ browser }) => {
  const keys = ['ok', 'tk', 'de', 'so', 'su', 'off', 'rl'] as const
  const made = await Promise.all(keys.map((k) => createAccount(net.pdsUrl, `ax-${k}`)))
  accounts = Object.fromEntries(keys.map((k, i) => [k, made[i]!])) as typeof accounts
  app = await launchBrowserMode(newDataDir())
  page = await (await browser.newContext()).newPage()
})

test.afterAll(async () => {
  await page?.context().close()
  await Promise.all(servers.map((s) => s.close()))
  await app?.stop()
})

test('axe: the login form, and its error', async () => {
  // The first screen: the login form, with the weak-storage banner of browser mode above it.
  await page.goto(app.url)
  await expect(page.getByRole('status', { name: 'Weak token storage' })).toBeVisible()
  await expectAccessible(page, 'login')
  await signInThroughUi(page, { ...accounts.ok, password: 'not-the-password' })
  await expect(page.getByRole('alert')).toContainText('Wrong handle or password')
  await expectAccessible(page, 'login-error')
})

test('axe: provider sign-in, while the provider’s page is open', async () => {
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Sign in with your provider' }).click(),
  ])
  await expect(page.getByText('Finish signing in in your browser')).toBeVisible()
  await expectAccessible(page, 'provider-sign-in')
  await page.getByRole('button', { name: 'Cancel sign-in' }).click()
  await expect(page.getByRole('button', { name: 'Sign in with your provider' })).toBeVisible()
  await tab.close()
})

test('seven accounts brought to seven states the way their servers do it', async () => {
  const { ok, tk, de, so, su, off, rl } = accounts
  const proxy = await startEntrywayProxy(net.pdsUrl, { suspended: new Set([su.did]) })
  const offline = await startEntrywayProxy(net.pdsUrl)
  const limited = await startEntrywayProxy(net.pdsUrl)
  servers.push(proxy, offline, limited)
  const plan: [TestAccount, string?][] = [
    [ok],
    [tk],
    [de],
    [so, proxy.url],
    [su, proxy.url],
    [off, offline.url],
    [rl, limited.url],
  ]
  for (const [a, service] of plan) {
    await signInThroughUi(page, a, { service })
    await expect(heading(page, a)).toBeVisible()
  }
  // Each state the way the server brings it about.
  await adminTakedown(net, tk.did)
  await open(page, tk, 'Signed in.')
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect(statusBanner(page)).toContainText('Taken down')
  await deactivate(net.pdsUrl, de)
  await open(page, de, 'Signed in.')
  await page.getByRole('button', { name: 'Check now' }).click()
  await expect(statusBanner(page)).toContainText('Deactivated')
  await xrpc(net.pdsUrl, 'com.atproto.admin.updateAccountPassword', {
    auth: net.adminAuth,
    body: { did: so.did, password: so.password },
  })
  await open(page, so, 'Signed in.')
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect(statusBanner(page)).toContainText('Signed out')
  await offline.stop()
  await open(page, off, 'Signed in.')
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect(statusBanner(page)).toContainText('Offline')
  limited.behaviour.rateLimitUntil = Math.ceil(Date.now() / 1000) + 600
  await open(page, rl, 'Signed in.')
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect(statusBanner(page)).toContainText('Rate-limited')
})

const STATES: [string, keyof typeof accounts, string][] = [
  ['active', 'ok', 'Signed in.'],
  ['taken-down', 'tk', 'Taken down'],
  ['deactivated', 'de', 'Deactivated'],
  ['signed-out', 'so', 'Signed out'],
  ['suspended', 'su', 'Suspended'],
  ['offline', 'off', 'Offline'],
  ['rate-limited', 'rl', 'Rate-limited'],
]
// The list with every status beside each account's details (the active one with its copy buttons and tools).
for (const [state, key, banner] of STATES) {
  test(`axe: the list beside the details of an account that is ${state}`, async () => {
    await open(page, accounts[key], banner)
    await expectAccessible(page, `details-${state}`)
  })
}

test('axe: tools with the proxy stopped and a token revealed', async () => {
  await open(page, accounts.ok, 'Signed in.')
  await page.getByRole('button', { name: 'Stop proxy' }).click()
  await expect(page.getByRole('status', { name: 'Proxy status' })).toContainText('Proxy stopped')
  await page.getByRole('button', { name: 'Reveal' }).click()
  await expect(page.getByRole('button', { name: 'Hide' })).toBeVisible()
  await expectAccessible(page, 'tools-proxy-stopped')
})

test('axe: the confirmation before signing out', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('alertdialog')).toBeVisible()
  await expectAccessible(page, 'confirm-sign-out')
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
})

test('axe: the confirmation before removing', async () => {
  await page.getByRole('button', { name: 'Remove from this device' }).click()
  await expect(page.getByRole('alertdialog')).toBeVisible()
  await expectAccessible(page, 'confirm-remove')
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
})

test('axe: the quick switcher', async () => {
  await page.keyboard.press('Control+k')
  await expect(page.getByRole('dialog', { name: 'Switch account' })).toBeVisible()
  await expectAccessible(page, 'quick-switcher')
  await page.keyboard.press('Escape')
})

test('axe: a notice in the status bar, with the banner above', async () => {
  await page.getByRole('button', { name: 'Check all accounts' }).click()
  await expect(page.locator('.toast')).toContainText('need attention')
  await expectAccessible(page, 'notices')
})

test('axe: settings', async () => {
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible()
  await expectAccessible(page, 'settings')
})
