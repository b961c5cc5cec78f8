import type { Page } from '@playwright/test'
import { startEntrywayProxy } from '../support/entryway-proxy'
import { adminTakedown, deactivate, type TestAccount } from '../support/network'
import { expect, net, signInThroughUi, test } from './fixtures'
import { accountRow, statusBanner } from './locators'

const banner = statusBanner

async function signIn(page: Page, url: string, a: TestAccount, service?: string) {
  await page.goto(url)
  await signInThroughUi(page, a, { service })
  await expect(page.getByRole('heading', { level: 1, name: a.handle })).toBeVisible()
  await expect(banner(page)).toContainText('Signed in.')
}

test('takendown: banner with an appeal link, after the next refresh', async ({ page, app, account }) => {
  await signIn(page, app.url, account)
  const before = (await page.locator('dl').boundingBox())!.y
  await adminTakedown(net, account.did)
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect(banner(page)).toContainText('Taken down')
  expect((await page.locator('dl').boundingBox())!.y).toBe(before)
  await expect(banner(page).getByRole('link', { name: 'Appeal the takedown' })).toHaveAttribute('href', /^https:/)
  await expect(accountRow(page, account.handle)).toContainText('Taken down')
  // Signing in with allowTakendown shows the account read-only.
  await banner(page).getByRole('button', { name: 'Sign in to see details' }).click()
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByText('Signed in (takedown, read-only)')).toBeVisible()
})

test('takendown at login: the form says so and offers to sign in anyway', async ({ page, app, account }) => {
  await adminTakedown(net, account.did)
  await page.goto(app.url)
  await signInThroughUi(page, account)
  await expect(page.getByRole('alert')).toContainText('taken down')
  await page.getByRole('button', { name: 'Sign in anyway to see details' }).click()
  await expect(page.getByRole('heading', { level: 1, name: account.handle })).toBeVisible()
  await expect(banner(page)).toContainText('Taken down')
})

test('deactivated: banner with Reactivate, which brings the account back', async ({ page, app, account }) => {
  await signIn(page, app.url, account)
  // The banner slot keeps its height: the facts below do not move when a banner appears.
  const facts = page.locator('dl')
  const before = (await facts.boundingBox())!.y
  await deactivate(net.pdsUrl, account)
  await page.getByRole('button', { name: 'Check now' }).click()
  await expect(banner(page)).toContainText('Deactivated')
  expect((await facts.boundingBox())!.y).toBe(before)
  await expect(banner(page)).toContainText('an app password cannot do it')
  await banner(page).getByRole('button', { name: 'Reactivate' }).click()
  await expect(banner(page)).toContainText('Signed in.')
})

test('suspended: its own banner (from an entryway-like proxy)', async ({ page, app, account }) => {
  const proxy = await startEntrywayProxy(net.pdsUrl, { suspended: new Set([account.did]) })
  try {
    await page.goto(app.url)
    await signInThroughUi(page, account, { service: proxy.url })
    await expect(banner(page)).toContainText('Suspended')
    await expect(accountRow(page, account.handle)).toContainText('Suspended')
  } finally {
    await proxy.close()
  }
})

test('signed out after a revoke elsewhere: Sign in again opens the form prefilled', async ({ page, app, account }) => {
  const proxy = await startEntrywayProxy(net.pdsUrl)
  try {
    await signIn(page, app.url, account, proxy.url)
    // Another client revokes every session of the account by changing its password.
    const { xrpc } = await import('../support/network')
    await xrpc(net.pdsUrl, 'com.atproto.admin.updateAccountPassword', {
      auth: net.adminAuth,
      body: { did: account.did, password: account.password },
    })
    await page.getByRole('button', { name: 'Refresh now' }).click()
    await expect(banner(page)).toContainText('Signed out')
    await banner(page).getByRole('button', { name: 'Sign in again' }).click()
    await expect(page.getByRole('heading', { name: `Sign in again to @${account.handle}` })).toBeVisible()
    await expect(page.getByLabel('Handle, DID or email')).toHaveValue(account.handle)
    await expect(page.getByLabel('Hosting provider')).toHaveValue(proxy.url)
    await expect(page.getByLabel('Password')).toBeFocused()
    await page.getByLabel('Password').fill(account.password)
    await page.keyboard.press('Enter')
    await expect(banner(page)).toContainText('Signed in.')
  } finally {
    await proxy.close()
  }
})

test('rate-limited: a live countdown, and no retry before it ends', async ({ page, app, account }) => {
  const proxy = await startEntrywayProxy(net.pdsUrl)
  try {
    await signIn(page, app.url, account, proxy.url)
    proxy.behaviour.rateLimitUntil = Math.ceil(Date.now() / 1000) + 90
    await page.getByRole('button', { name: 'Refresh now' }).click()
    await expect(banner(page)).toContainText('Rate-limited')
    const countdown = banner(page).getByLabel('time until retry')
    const first = await countdown.textContent()
    expect(first).toMatch(/^1:[23]\d$/)
    await expect(countdown).not.toHaveText(first!)
  } finally {
    await proxy.close()
  }
})

test('offline: banner with Retry; tokens kept; back online with one click', async ({ page, app, account }) => {
  const proxy = await startEntrywayProxy(net.pdsUrl)
  try {
    await signIn(page, app.url, account, proxy.url)
    await proxy.stop()
    await page.getByRole('button', { name: 'Refresh now' }).click()
    await expect(banner(page)).toContainText('Offline')
    await expect(accountRow(page, account.handle)).toContainText('Offline')
    await proxy.start()
    await banner(page).getByRole('button', { name: 'Retry now' }).click()
    await expect(banner(page)).toContainText('Signed in.')
  } finally {
    await proxy.close()
  }
})
