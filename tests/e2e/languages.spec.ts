import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type Page, test } from '@playwright/test'
import { type EntrywayProxy, startEntrywayProxy } from '../support/entryway-proxy'
import { adminTakedown, createAccount, deactivate, type TestAccount, xrpc } from '../support/network'
import { expect, launchBrowserMode, net, newDataDir, type RunningApp } from './fixtures'
import {
  catalog,
  englishDetector,
  fitProblems,
  looksEnglish,
  mainHasCatalogs,
  type Shown,
  shownTexts,
  text,
} from './language-checks'

// With UPDATE_SCREENSHOTS=1 the README's screenshots of each language go to docs/, otherwise next to the results.
const OUT = process.env.UPDATE_SCREENSHOTS
  ? resolve(import.meta.dirname, '..', '..', 'docs')
  : resolve(import.meta.dirname, '..', '..', 'test-results', 'screens-languages')
const STATES = ['active', 'deactivated', 'takendown', 'signed-out', 'rate-limited', 'suspended', 'offline'] as const
type State = (typeof STATES)[number]

let app: RunningApp
let page: Page
let proxies: { limited: EntrywayProxy; suspended: EntrywayProxy; offline: EntrywayProxy }
const accounts = {} as Record<State | 'twoFactor', TestAccount>
const english = englishDetector()

test.describe.configure({ mode: 'serial', timeout: 120_000 })

/** One app, one page (the browser prefers Japanese), accounts in every state the demo shows. */
test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000)
  const [limited, suspended, offline] = await Promise.all([
    startEntrywayProxy(net.pdsUrl),
    startEntrywayProxy(net.pdsUrl, { suspended: new Set() }),
    startEntrywayProxy(net.pdsUrl),
  ])
  proxies = { limited, suspended, offline }
  const made = await Promise.all([...STATES, 'twoFactor' as const].map(() => createAccount(net.pdsUrl, 'lang')))
  ;[...STATES, 'twoFactor' as const].forEach((s, i) => (accounts[s] = made[i]!))
  suspended.behaviour.suspended!.add(accounts.suspended.did)
  suspended.behaviour.twoFactor = { identifier: accounts.twoFactor.handle, code: 'ABCDE-FGHIJ' }
  app = await launchBrowserMode(newDataDir())
  page = await (await browser.newContext({ locale: 'ja-JP', viewport: { width: 1400, height: 820 } })).newPage()
  await page.goto(app.url)
  const call = (name: string, request: unknown) =>
    page.evaluate(
      async ([n, r]) => {
        const res = await window.skyswitch!.invoke(n as never, r as never)
        if (!res.ok) throw new Error(`${n}: ${res.error.message}`)
      },
      [name, request] as const,
    )
  const service: Record<State, string> = {
    active: net.pdsUrl,
    deactivated: net.pdsUrl,
    takendown: net.pdsUrl,
    'signed-out': net.pdsUrl,
    'rate-limited': limited.url,
    suspended: suspended.url,
    offline: offline.url,
  }
  for (const s of STATES) {
    const a = accounts[s]
    await call('accounts:login', { identifier: a.handle, password: a.password, service: service[s] })
  }
  await adminTakedown(net, accounts.takendown.did)
  await deactivate(net.pdsUrl, accounts.deactivated)
  await xrpc(net.pdsUrl, 'com.atproto.admin.updateAccountPassword', {
    auth: net.adminAuth,
    body: { did: accounts['signed-out'].did, password: accounts['signed-out'].password },
  })
  limited.behaviour.rateLimitUntil = Math.ceil(Date.now() / 1000) + 15 * 60
  await offline.stop()
  for (const s of ['takendown', 'signed-out', 'rate-limited', 'offline'] as const)
    await call('accounts:refresh', { did: accounts[s].did }).catch(() => undefined)
  await call('accounts:check', { did: accounts.deactivated.did }).catch(() => undefined)
})

test.afterAll(async () => {
  await page?.context().close()
  await app?.stop()
  for (const p of Object.values(proxies ?? {})) await p.close()
})

const row = (s: State) => page.locator(`[role=listbox] [data-did="${accounts[s].did}"]`)

/** Every screen and state the demo offers, in one language: no English left, and (at two widths) nothing clipped. */
async function sweep(lang: 'ja' | 'pt-BR' | 'en') {
  const c = catalog('window', lang)
  const found: { where: string; shown: Shown; words: string[] }[] = []
  const look = async (where: string) => {
    for (const shown of await shownTexts(page)) {
      const words = english(shown.text)
      if (words.length > 0 || (shown.main && looksEnglish(shown.text))) found.push({ where, shown, words })
    }
  }
  const fit = async (where: string) => {
    for (const width of [1400, 400]) {
      await page.setViewportSize({ width, height: width === 400 ? 900 : 820 })
      expect(await fitProblems(page), `${lang} ${where} at ${width} px`).toEqual([])
    }
    await page.setViewportSize({ width: 1400, height: 820 })
  }
  const button = (key: string, vars?: Record<string, string>) =>
    page.getByRole('button', { name: text(c, key, vars), exact: true })

  // The list with every status, and each account's details and banner.
  await page.emulateMedia({ colorScheme: 'light' })
  await row('active').click()
  await expect(page.locator('html')).toHaveAttribute('lang', lang)
  await expect(row('active')).toContainText(text(c, 'status.active'))
  for (const s of STATES) {
    await row(s).click()
    await expect(page.getByRole('heading', { level: 1, name: accounts[s].handle })).toBeVisible()
    await look(`details of the ${s} account`)
  }
  await row('active').click()
  await look('list')
  await fit('list and details')
  mkdirSync(OUT, { recursive: true })
  for (const width of [1400, 400]) {
    await page.setViewportSize({ width, height: width === 400 ? 900 : 820 })
    await page.screenshot({ path: join(OUT, `skyswitch-${lang}-light-${width}.png`) })
  }
  await page.setViewportSize({ width: 1400, height: 820 })

  // The tools panel with the proxy stopped and running, and a copy's toast.
  if (await button('tools.stop').isVisible()) await button('tools.stop').click()
  await expect(button('tools.start')).toBeEnabled()
  await look('tools panel, proxy stopped')
  await button('tools.start').click()
  await expect(button('tools.stop')).toBeEnabled()
  await button('details.copy.did').click()
  await expect(page.locator('.toast')).toContainText('DID')
  await look('tools panel, proxy running, a copy')
  await fit('tools panel')

  // Confirmations.
  for (const [open, title] of [
    ['details.signOut', 'details.confirmSignOut.title'],
    ['details.remove', 'details.confirmRemove.title'],
  ] as const) {
    await button(open).click()
    await expect(page.getByRole('alertdialog')).toContainText(text(c, title, { handle: accounts.active.handle }))
    await look(`confirmation ${open}`)
    await fit(`confirmation ${open}`)
    await button('login.cancel').click()
  }

  // The quick switcher, with matches and with none.
  await page.keyboard.press('Control+k')
  await expect(page.getByRole('dialog')).toBeVisible()
  await look('quick switcher')
  await fit('quick switcher')
  await page.keyboard.type('zzz-none')
  await expect(page.getByRole('dialog')).toContainText(text(c, 'switcher.none', { query: 'zzz-none' }))
  await look('quick switcher, no match')
  await page.keyboard.press('Escape')

  // Check all: a toast naming the accounts that need attention (their reasons are main's).
  await button('app.checkAll').click()
  await expect(page.locator('.toast')).toContainText(`@${accounts['signed-out'].handle}`)
  await look('check all')

  // Settings.
  await button('app.settings').click()
  await expect(page.getByRole('heading', { name: text(c, 'settings.title') })).toBeVisible()
  await look('settings')
  await fit('settings')
  await button('settings.done').click()

  // The login form: a wrong password, the provider's sign-in under way, the emailed code.
  await button('app.addAccount').click()
  await look('login form')
  await fit('login form')
  await page.getByLabel(text(c, 'login.identifier')).fill(accounts.active.handle)
  await page.getByLabel(text(c, 'login.password'), { exact: true }).fill('wrong-password')
  await page.getByLabel(text(c, 'login.service')).fill(net.pdsUrl)
  await button('login.signIn').click()
  await expect(page.getByRole('alert')).toContainText(text(c, 'login.errors.authentication'))
  await look('login form, wrong password')
  const [tab] = await Promise.all([page.context().waitForEvent('page'), button('provider.start').click()])
  await expect(button('provider.cancel')).toBeVisible()
  await look('provider sign-in under way')
  await button('provider.cancel').click()
  await tab.close()
  await page.getByLabel(text(c, 'login.identifier')).fill(accounts.twoFactor.handle)
  await page.getByLabel(text(c, 'login.password'), { exact: true }).fill(accounts.twoFactor.password)
  await page.getByLabel(text(c, 'login.service')).fill(proxies.suspended.url)
  await button('login.signIn').click()
  await expect(page.getByLabel(text(c, 'login.code'))).toBeVisible()
  await look('login form, emailed code')
  await fit('login form, emailed code')
  await button('login.back').click()
  await button('login.cancel').click()

  if (lang === 'en') {
    // The detector itself: in English it finds the window's sentences on every screen.
    expect(new Set(found.map((f) => f.where)).size).toBeGreaterThanOrEqual(15)
    return
  }
  const window = found.filter((f) => !f.shown.main)
  const main = found.filter((f) => f.shown.main)
  const say = (list: typeof found) =>
    list.map((f) => `${f.where}: "${f.shown.text.trim().slice(0, 120)}" (${f.words.join('; ') || 'English'})`)
  if (main.length > 0) {
    // Main's messages are main's catalogs' job: strict once they exist, reported until then.
    test
      .info()
      .annotations.push({ type: `main's messages still in English (${lang})`, description: say(main).join('\n') })
  }
  expect(say(window), `English left in the window (${lang})`).toEqual([])
  if (mainHasCatalogs) expect(say(main), `English left in main's messages (${lang})`).toEqual([])
}

test('Japanese, as the browser prefers: every screen and state, no English left, nothing clipped at 400 and 1400 px', async () => {
  await sweep('ja')
})

test('Brazilian Portuguese, chosen in Settings at once: every screen and state, no English left, nothing clipped', async () => {
  const ja = catalog('window', 'ja')
  await page.getByRole('button', { name: text(ja, 'app.settings'), exact: true }).click()
  await page.getByLabel(text(ja, 'settings.languageLabel')).selectOption('pt-BR')
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR')
  const pt = catalog('window', 'pt-BR')
  await expect(page.getByRole('heading', { name: text(pt, 'settings.title') })).toBeVisible()
  await page.getByRole('button', { name: text(pt, 'settings.done'), exact: true }).click()
  await sweep('pt-BR')
})

test('English, then back to the system’s language', async () => {
  const pt = catalog('window', 'pt-BR')
  await page.getByRole('button', { name: text(pt, 'app.settings'), exact: true }).click()
  await page.getByLabel(text(pt, 'settings.languageLabel')).selectOption('en')
  await page.getByRole('button', { name: 'Done', exact: true }).click()
  await sweep('en')
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByLabel('Skyswitch speaks').selectOption('system')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
})
