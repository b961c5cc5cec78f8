/**
 * End to end against the real Bluesky stack (PLC, PDS, AppView, Ozone on a
 * throwaway PostgreSQL + Redis): avatars, unread counts, AppView moderation,
 * viewing versus using an account, and the README's screenshots.
 */
import { execFile } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Page } from '@playwright/test'
import {
  createProfiledAccount,
  type FullNetwork,
  like,
  ozoneLabel,
  ozoneTakedown,
  post,
  sessionOf,
  solidPng,
  startFullNetwork,
  unreadCount,
} from '../support/full-network'
import { deactivate, type TestAccount } from '../support/network'
import { expectAccessible } from './axe'
import { expect, launchBrowserMode, newDataDir, type RunningApp, signInThroughUi, test } from './fixtures'
import { accountRow, accountRows, statusBanner } from './locators'

const OUT = process.env.UPDATE_SCREENSHOTS
  ? resolve(import.meta.dirname, '..', '..', 'docs')
  : resolve(import.meta.dirname, '..', '..', 'test-results', 'screens')
const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'skyswitch.mjs')

// The full stack (AppView, Ozone) on two cores beside the other suites: more time than the default.
test.describe.configure({ mode: 'serial', timeout: 180_000 })

let full: FullNetwork
let app: RunningApp
let ada: TestAccount, bob: TestAccount, carol: TestAccount, dave: TestAccount

test.beforeAll(async () => {
  test.setTimeout(180_000)
  full = await startFullNetwork()
  ada = await createProfiledAccount(full.pdsUrl, 'ada', 'Ada Lovelace', await solidPng(214, 92, 64))
  bob = await createProfiledAccount(full.pdsUrl, 'bob', 'Bob Bramah', await solidPng(58, 120, 190))
  carol = await createProfiledAccount(full.pdsUrl, 'carol', 'Carol Shaw', await solidPng(70, 150, 90))
  dave = await createProfiledAccount(full.pdsUrl, 'dave', 'Dave Cutler')
  await full.settle()
  app = await launchBrowserMode(newDataDir(), {}, full)
})

test.afterAll(async () => {
  await app?.stop()
  await full?.close()
})

const options = accountRows
const row = (page: Page, a: TestAccount) => accountRow(page, a.handle)
const banner = statusBanner

async function signIn(page: Page, a: TestAccount) {
  const form = page.getByRole('region', { name: /add an account|sign in again/i })
  await signInThroughUi(page, a, { service: full.pdsUrl })
  await expect(row(page, a)).toBeVisible()
  // The row comes with main's event, the form closes when the sign-in call returns, a moment later:
  // the next sign-in must not find this form still open and then lose it.
  await expect(form).toBeHidden()
}

/**
 * The window looks away and back, as when the user switches to another app and returns: gaining
 * focus asks main for fresh counts and standing (what the renderer sends on blur and focus; a
 * headless page keeps its focus, so the test says it). Repeats until the expectation holds.
 */
async function untilGlance(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.evaluate(async () => {
      await window.skyswitch!.invoke('app:attention', { visible: true, focused: false })
      await window.skyswitch!.invoke('app:attention', { visible: true, focused: true })
    })
    await check()
  }).toPass({ timeout: 45_000, intervals: [500, 2000, 6000] })
}

async function tokenSubject(dataDir: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'token'], {
    env: { ...process.env, SKYSWITCH_DATA_DIR: dataDir },
  })
  return (JSON.parse(Buffer.from(stdout.trim().split('.')[1]!, 'base64url').toString()) as { sub: string }).sub
}

test('real avatars and unread counts that match the AppView', async ({ page }) => {
  await page.goto(app.url)
  await page.getByRole('button', { name: 'Keep on disk' }).click()
  for (const a of [ada, bob, carol, dave]) await signIn(page, a)
  // Avatars: the uploaded blob, served by the AppView's image path.
  const img = row(page, ada).locator('img')
  await expect(img).toHaveAttribute('src', new RegExp(`^${full.appviewUrl}/img/avatar/`))
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0)
  await expect(row(page, ada)).toContainText('Ada Lovelace')

  // Bob likes and replies to Ada's post, Carol likes it too; Ada likes Bob's.
  const sAda = await sessionOf(full.pdsUrl, ada)
  const sBob = await sessionOf(full.pdsUrl, bob)
  const adaPost = await post(sAda, 'Notes on the analytical engine')
  const bobPost = await post(sBob, 'Hydraulic press, day 3')
  // A reply notifies only if the AppView has indexed its parent first.
  await full.settle()
  await like(sBob, adaPost)
  await post(sBob, 'Splendid.', { root: adaPost, parent: adaPost })
  await like(await sessionOf(full.pdsUrl, carol), adaPost)
  await like(sAda, bobPost)
  await full.settle()
  const adaUnread = await unreadCount(sAda)
  const bobUnread = await unreadCount(sBob)
  expect([adaUnread, bobUnread]).toEqual([3, 1])

  await untilGlance(page, async () => {
    await expect(row(page, ada).getByLabel(`${adaUnread} unread notifications`)).toBeVisible({ timeout: 1000 })
    await expect(row(page, bob).getByLabel(`${bobUnread} unread notification`)).toBeVisible({ timeout: 1000 })
  })
  await expect(row(page, dave).locator('.unread')).toHaveCount(0)
  // The quick switcher shows the same counts.
  await page.keyboard.press('Control+k')
  const dialog = page.getByRole('dialog', { name: 'Switch account' })
  await expect(dialog.getByRole('option', { name: /Ada Lovelace/ })).toContainText(String(adaUnread))
  await page.keyboard.press('Escape')
})

test('viewing an account does not change `skyswitch token`; Use this account does', async ({ page }) => {
  await page.goto(app.url)
  const activeRow = page.locator('[role=option][aria-current=true]')
  await expect(activeRow).toHaveCount(1)
  const before = await tokenSubject(app.dataDir)
  const activeDid = await activeRow.getAttribute('data-did')
  expect(before).toBe(activeDid)
  const other = (await options(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-did')))).find(
    (d) => d !== activeDid,
  )!
  await page.locator(`[role=option][data-did="${other}"]`).click()
  await expect(page.getByRole('button', { name: 'Use this account' })).toBeVisible()
  expect(await tokenSubject(app.dataDir)).toBe(before)
  await page.getByRole('button', { name: 'Use this account' }).click()
  await expect(page.locator(`[role=option][data-did="${other}"]`)).toHaveAttribute('aria-current', 'true')
  await expect.poll(() => tokenSubject(app.dataDir)).toBe(other)
})

test('an Ozone takedown: its own badge and banner, while the PDS still hosts the account', async ({ page }) => {
  await page.goto(app.url)
  const bobDid = (await row(page, bob).getAttribute('data-did'))!
  await ozoneTakedown(full, bobDid)
  await untilGlance(page, () => expect(row(page, bob)).toContainText('Hidden by moderation', { timeout: 1000 }))
  // The host's status is untouched: still Active, still signed in.
  await expect(row(page, bob).locator('[data-status]')).toHaveText('Active')
  await row(page, bob).click()
  await expect(banner(page)).toContainText('Taken down by Bluesky moderation')
  await expect(banner(page)).toContainText('still keeps it')
  await expect(banner(page).getByRole('link', { name: 'Appeal the moderation decision' })).toHaveAttribute(
    'href',
    /^https:/,
  )
})

test('an Ozone label on the account: a warning badge and banner', async ({ page }) => {
  await page.goto(app.url)
  const carolDid = (await row(page, carol).getAttribute('data-did'))!
  await ozoneLabel(full, carolDid, '!warn')
  await untilGlance(page, () => expect(row(page, carol)).toContainText('Warning label', { timeout: 1000 }))
  await row(page, carol).click()
  await expect(banner(page)).toContainText('A warning label is on this account (!warn)')
  await expect(row(page, carol).locator('[data-status]')).toHaveText('Active')
})

test('axe: an Ozone takedown and a warning label beside unread counts, light and dark, 400 and 1400 px', async ({
  page,
}) => {
  await page.goto(app.url)
  await row(page, bob).click()
  await expect(banner(page)).toContainText('Taken down by Bluesky moderation')
  await expectAccessible(page, 'moderation-takedown')
  await row(page, carol).click()
  await expect(banner(page)).toContainText('A warning label is on this account')
  await expectAccessible(page, 'moderation-label')
})

test('screens from the real stack: light and dark, 400 px and 1400 px, each state', async ({ page }) => {
  mkdirSync(OUT, { recursive: true })
  await page.goto(app.url)
  await deactivate(full.pdsUrl, dave)
  await row(page, dave).click()
  await page.getByRole('button', { name: 'Check now' }).click()
  await expect(banner(page)).toContainText('Deactivated')
  await page.setViewportSize({ width: 1200, height: 820 })
  await page.screenshot({ path: join(OUT, 'skyswitch-deactivated-light-1200.png') })
  await row(page, bob).click()
  await expect(banner(page)).toContainText('Taken down by Bluesky moderation')
  await page.screenshot({ path: join(OUT, 'skyswitch-moderation-light-1200.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await row(page, carol).click()
  await expect(banner(page)).toContainText('warning label')
  await page.screenshot({ path: join(OUT, 'skyswitch-label-dark-1200.png') })

  await row(page, ada).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible()
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const width of [1400, 400]) {
      await page.setViewportSize({ width, height: width === 400 ? 900 : 820 })
      await page.screenshot({ path: join(OUT, `skyswitch-${scheme}-${width}.png`) })
      // Nothing spills sideways at either width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, `sideways overflow at ${width} px`).toBeLessThanOrEqual(0)
    }
  }
  await page.setViewportSize({ width: 1400, height: 820 })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.screenshot({ path: join(OUT, 'skyswitch-login-light-1400.png') })
})
