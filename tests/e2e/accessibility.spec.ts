/**
 * Accessibility measured: axe (WCAG 2.x, A and AA) on every screen and state
 * of the window, light and dark, 400 and 1400 px. No serious or critical
 * violation anywhere; the other counts are printed, one line per run.
 */
import type { Page } from '@playwright/test'
import { startEntrywayProxy } from '../support/entryway-proxy'
import { adminTakedown, createAccount, deactivate, type TestAccount, xrpc } from '../support/network'
import { blocking, measure } from './axe'
import { expect, net, signInThroughUi, test } from './fixtures'
import { accountRow, statusBanner } from './locators'

const heading = (page: Page, a: TestAccount) => page.getByRole('heading', { level: 1, name: a.handle })

/** Shows an account's details and waits for its banner to say what it should. */
async function open(page: Page, a: TestAccount, banner: string) {
  await accountRow(page, a.handle).click()
  await expect(heading(page, a)).toBeVisible()
  await expect(statusBanner(page)).toContainText(banner)
}

test('axe on every screen and state, light and dark, 400 and 1400 px: no serious or critical violation', async ({
  page,
  app,
}) => {
  // Seven accounts in seven states, then about sixty axe runs.
  test.slow()
  const names = ['ax-ok', 'ax-tk', 'ax-de', 'ax-so', 'ax-su', 'ax-of', 'ax-rl']
  const [ok, tk, de, so, su, off, rl] = (await Promise.all(names.map((p) => createAccount(net.pdsUrl, p)))) as [
    TestAccount,
    TestAccount,
    TestAccount,
    TestAccount,
    TestAccount,
    TestAccount,
    TestAccount,
  ]
  const proxy = await startEntrywayProxy(net.pdsUrl, { suspended: new Set([su.did]) })
  const offline = await startEntrywayProxy(net.pdsUrl)
  const limited = await startEntrywayProxy(net.pdsUrl)
  try {
    // The first screen: the login form, with the weak-storage banner of browser mode above it.
    await page.goto(app.url)
    await expect(page.getByRole('status', { name: 'Weak token storage' })).toBeVisible()
    await measure(page, 'login')
    await signInThroughUi(page, { ...ok, password: 'not-the-password' })
    await expect(page.getByRole('alert')).toContainText('Wrong handle or password')
    await measure(page, 'login-error')

    // Provider sign-in, while the provider's page is open in another tab.
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'Sign in with your provider' }).click(),
    ])
    await expect(page.getByText('Finish signing in in your browser')).toBeVisible()
    await measure(page, 'provider-sign-in')
    await page.getByRole('button', { name: 'Cancel sign-in' }).click()
    await expect(page.getByRole('button', { name: 'Sign in with your provider' })).toBeVisible()
    await tab.close()

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

    // The list with every status beside each account's details (the active one with its copy buttons and tools).
    const states: [string, TestAccount, string][] = [
      ['active', ok, 'Signed in.'],
      ['taken-down', tk, 'Taken down'],
      ['deactivated', de, 'Deactivated'],
      ['signed-out', so, 'Signed out'],
      ['suspended', su, 'Suspended'],
      ['offline', off, 'Offline'],
      ['rate-limited', rl, 'Rate-limited'],
    ]
    for (const [state, a, banner] of states) {
      await open(page, a, banner)
      await measure(page, `details-${state}`)
    }

    // Tools with the proxy stopped, and a token revealed.
    await open(page, ok, 'Signed in.')
    await page.getByRole('button', { name: 'Stop proxy' }).click()
    await expect(page.getByRole('status', { name: 'Proxy status' })).toContainText('Proxy stopped')
    await page.getByRole('button', { name: 'Reveal' }).click()
    await expect(page.getByRole('button', { name: 'Hide' })).toBeVisible()
    await measure(page, 'tools-proxy-stopped')

    // Confirmations.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page.getByRole('alertdialog')).toBeVisible()
    await measure(page, 'confirm-sign-out')
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('button', { name: 'Remove from this device' }).click()
    await expect(page.getByRole('alertdialog')).toBeVisible()
    await measure(page, 'confirm-remove')
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()

    // The quick switcher.
    await page.keyboard.press('Control+k')
    await expect(page.getByRole('dialog', { name: 'Switch account' })).toBeVisible()
    await measure(page, 'quick-switcher')
    await page.keyboard.press('Escape')

    // A notice in the status bar, with the banner above.
    await page.getByRole('button', { name: 'Check all accounts' }).click()
    await expect(page.locator('.toast')).toContainText('need attention')
    await measure(page, 'notices')

    // Settings.
    await page.getByRole('button', { name: 'Settings' }).click()
    await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible()
    await measure(page, 'settings')
  } finally {
    await Promise.all([proxy.close(), offline.close(), limited.close()])
  }
  expect(blocking, blocking.join('\n')).toEqual([])
})
