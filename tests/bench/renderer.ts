/**
 * The renderer in Chromium, fed by the real core in browser mode with 1,000
 * accounts on disk: first render of the list, switching, and bundle size.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { type Browser, chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import { startBrowserMode } from '../../src-main/browser/server'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { Vault } from '../../src-main/core/vault/vault'
import { openConf, tempDir } from '../support/core'
import { fakeMeta } from '../support/fake-tokens'
import { median, report } from './report'

const ROOT = resolve(import.meta.dirname, '..', '..')

// A string, not a function: the bench runs under tsx, whose helpers do not
// exist in the page.
const INIT_SCRIPT = `(() => {
  const n = __COUNT__
  const w = window
  function seen(r) {
    const accounts = (r && r.payload && r.payload.accounts) || (r && r.value && r.value.accounts)
    if (w.__t0 === undefined && accounts && accounts.length === n) w.__t0 = performance.now()
    return r
  }
  const parse = JSON.parse
  JSON.parse = function (text, reviver) { return seen(parse(text, reviver)) }
  const json = Response.prototype.json
  Response.prototype.json = async function () { return seen(await json.call(this)) }
  new MutationObserver(function (_m, obs) {
    if (document.querySelector('[role=option][aria-setsize="' + n + '"]')) {
      obs.disconnect()
      w.__inDom = performance.now()
      requestAnimationFrame(function () { setTimeout(function () { w.__frame = performance.now() }, 0) })
    }
  }).observe(document, { childList: true, subtree: true })
})()`

/** Builds the bare list (./bare-list) with the same React, production mode, into a temporary directory. */
async function buildBareList(): Promise<string> {
  const outDir = tempDir('skyswitch-bare-')
  await build({
    root: join(import.meta.dirname, 'bare-list'),
    configFile: false,
    logLevel: 'warn',
    base: './',
    mode: 'production',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, minify: true },
  })
  return outDir
}

interface Timing {
  render: number
  frame: number
}

/** Serves the bare list's files, and `state` as its state.json, under /bare-list/ of a page's origin. */
type Serve = (page: Page) => Promise<unknown>

/** One page from the first state of `count` accounts parsed to the list in the DOM, and to the next frame. */
async function firstRender(
  browser: Browser,
  url: string,
  count: number,
  serve?: Serve,
): Promise<Timing & { page: Page }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
  if (serve) await serve(page)
  await page.addInitScript(INIT_SCRIPT.replaceAll('__COUNT__', String(count)))
  await page.goto(url)
  await page.waitForFunction(() => (window as unknown as { __frame?: number }).__frame !== undefined)
  const t = await page.evaluate(() => {
    const w = window as unknown as { __t0: number; __inDom: number; __frame: number }
    return { render: w.__inDom - w.__t0, frame: w.__frame - w.__t0 }
  })
  return { ...t, page }
}

/**
 * The app and the bare list, alternated page by page so both see the same
 * load on the machine; the medians of each, and the app's last page (kept open).
 */
async function compare(browser: Browser, appUrl: string, bareUrl: string, serve: Serve, count: number, runs = 7) {
  const app: Timing[] = []
  const bare: Timing[] = []
  let last: Page | undefined
  for (let run = 0; run < runs; run++) {
    const b = await firstRender(browser, bareUrl, count, serve)
    await b.page.close()
    bare.push(b)
    const a = await firstRender(browser, appUrl, count)
    if (last) await last.close()
    last = a.page
    app.push(a)
  }
  const med = (xs: Timing[], k: keyof Timing) => median(xs.map((x) => x[k]))
  return {
    app: { render: med(app, 'render'), frame: med(app, 'frame') },
    bare: { render: med(bare, 'render'), frame: med(bare, 'frame') },
    page: last!,
  }
}

/** The app's own getState reply, as the bridge returns it. */
async function appState(browser: Browser, url: string): Promise<string> {
  const page = await browser.newPage()
  await page.goto(url)
  const reply = await page.evaluate(() =>
    (window as unknown as { skyswitch: { invoke(name: string): Promise<unknown> } }).skyswitch.invoke('app:getState'),
  )
  await page.close()
  return JSON.stringify(reply)
}

export async function benchRenderer(count = 1000): Promise<void> {
  const assets = join(ROOT, 'out/renderer/assets')
  let gz = 0
  for (const f of readdirSync(assets)) if (/\.(js|css)$/.test(f)) gz += gzipSync(readFileSync(join(assets, f))).length
  report('renderer_bundle_gzip', gz / 1024, 'KB')

  const bareDir = await buildBareList()
  const dir = tempDir('skyswitch-bench-')
  const vault = await Vault.open({ dataDir: dir, cipher: new KeyFileCipher(dir), openStore: openConf })
  for (let i = 0; i < count; i++) await vault.saveAccount({ ...fakeMeta(i), signedIn: false }, null)
  await vault.setPersistence('disk')
  const mode = await startBrowserMode({ dataDir: dir })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  })
  const bareUrl = new URL('/bare-list/index.html', mode.url).href
  let state = ''
  const serve: Serve = (page) =>
    page.route(new URL('/bare-list/**', mode.url).href, (route) => {
      const path = new URL(route.request().url()).pathname.slice('/bare-list/'.length)
      if (path === 'state.json') return route.fulfill({ contentType: 'application/json', body: state })
      const type = path.endsWith('.html') ? 'text/html' : path.endsWith('.js') ? 'text/javascript' : 'text/plain'
      return route.fulfill({ contentType: type, body: readFileSync(join(bareDir, path)) })
    })
  try {
    // From the moment the first state of 1,000 accounts is parsed in the page
    // to the list committed to the DOM, and to the next frame after it.
    state = await appState(browser, mode.url)
    const plain = await compare(browser, mode.url, bareUrl, serve, count)
    await plain.page.close()
    report('renderer_first_render_1000', plain.app.render, 'ms')
    report('renderer_bare_list_1000', plain.bare.render, 'ms', 'a bare React list of the same rows, same run')
    report('renderer_first_render_ratio', plain.app.render / plain.bare.render, 'x', 'goal <= 1.5')
    report('renderer_first_frame_1000', plain.app.frame, 'ms')
    report('renderer_bare_list_frame_1000', plain.bare.frame, 'ms')

    // The same list with an unread count and an AppView label on every
    // account, through the hook the glance uses (goal: under 100 ms).
    mode.core.accounts.decorate((did) => {
      const i = Number(did.slice(-6))
      return { unread: (i * 7) % 130, appview: { status: 'ok', labels: i % 10 === 0 ? ['!warn'] : [] } }
    })
    state = await appState(browser, mode.url)
    const counts = await compare(browser, mode.url, bareUrl, serve, count)
    const page = counts.page
    if ((await page.locator('.unread').count()) === 0) throw new Error('no unread counts rendered')
    report('renderer_first_render_1000_with_counts', counts.app.render, 'ms')
    report('renderer_bare_list_1000_with_counts', counts.bare.render, 'ms')
    report('renderer_first_render_with_counts_ratio', counts.app.render / counts.bare.render, 'x', 'goal <= 1.5')

    const switches: number[] = []
    for (let i = 0; i < 21; i++) {
      const ms = await page.evaluate(
        (index: number) => {
          const rows = document.querySelectorAll<HTMLElement>('[role=option]')
          const el = rows[index % rows.length]!
          return new Promise<number>((ok) => {
            const t0 = performance.now()
            el.click()
            requestAnimationFrame(() => setTimeout(() => ok(performance.now() - t0), 0))
          })
        },
        (i * 37) % count,
      )
      switches.push(ms)
    }
    report('renderer_switch_to_next_frame', median(switches), 'ms', 'goal < 16')
  } finally {
    await browser.close()
    await mode.close()
  }
}
