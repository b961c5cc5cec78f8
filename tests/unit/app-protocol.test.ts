import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_PAGE_URL, appProtocolHandler, isAppPageUrl, resolveAppUrl } from '../../src-main/core/app-protocol'
import { RENDERER_CSP } from '../../src-main/core/csp'

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix))

const FILES = new Set(['index.html', 'assets/index-abc.js', 'assets/index-abc.css', 'assets/logo.svg', 'notes.txt'])
const path = (url: string) => {
  const t = resolveAppUrl(url, FILES)
  return t.ok ? t.path : t.status
}

describe('the renderer protocol (app://skyswitch)', () => {
  it('serves the files the renderer was built with', () => {
    expect(APP_PAGE_URL).toBe('app://skyswitch/index.html')
    expect(path('app://skyswitch/index.html')).toBe('index.html')
    expect(path('app://skyswitch/')).toBe('index.html')
    expect(path('app://skyswitch/index.html?x=1#/account')).toBe('index.html')
    expect(path('app://skyswitch/assets/index-abc.js')).toBe('assets/index-abc.js')
  })

  it('refuses traversal, plain or encoded, and backslashes', () => {
    for (const url of [
      'app://skyswitch/../../etc/passwd',
      'app://skyswitch/assets/../../../etc/passwd',
      'app://skyswitch/%2e%2e/%2e%2e/etc/passwd',
      'app://skyswitch/%2E%2E/index.html',
      'app://skyswitch/.%2e/index.html',
      'app://skyswitch/assets/..%2f..%2fetc%2fpasswd',
      'app://skyswitch/assets%2f..%2findex.html',
      'app://skyswitch/..\\..\\etc\\passwd',
      'app://skyswitch/assets\\index-abc.js',
      'app://skyswitch/assets%5cindex-abc.js',
      'app://skyswitch/%252e%252e/index.html',
      'app://skyswitch/index.html%00.js',
      'app://skyswitch/./index.html',
      'app://skyswitch/%E0%A4%A',
    ]) {
      expect([url, path(url)]).toEqual([url, 400])
    }
  })

  it('refuses absolute paths, unknown files, other hosts and schemes', () => {
    expect(path('app://skyswitch//etc/passwd')).toBe(400)
    expect(path('app://skyswitch/C:/Windows/win.ini')).toBe(400)
    expect(path('app://skyswitch/%2Fetc%2Fpasswd')).toBe(400)
    expect(path('app://skyswitch/secret.json')).toBe(404)
    expect(path('app://skyswitch/assets/')).toBe(404)
    expect(path('app://skyswitch/notes.txt')).toBe(404) // a type the app never serves
    expect(path('app://other/index.html')).toBe(404)
    expect(path('app:///index.html')).toBe(404)
    expect(path('app://skyswitch:8080/index.html')).toBe(404)
    expect(path('app://user@skyswitch/index.html')).toBe(404)
    expect(path('file:///index.html')).toBe(404)
    expect(path('https://skyswitch/index.html')).toBe(404)
    expect(path('not a url')).toBe(400)
  })

  it('knows its own page, and nothing else, as the app', () => {
    expect(isAppPageUrl('app://skyswitch/index.html')).toBe(true)
    expect(isAppPageUrl('app://skyswitch/index.html#/x')).toBe(true)
    expect(isAppPageUrl('file:///opt/Skyswitch/resources/app.asar/out/renderer/index.html')).toBe(false)
    expect(isAppPageUrl('app://skyswitch/assets/index-abc.js')).toBe(false)
    expect(isAppPageUrl('app://evil/index.html')).toBe(false)
    expect(isAppPageUrl('app://skyswitch:1/index.html')).toBe(false)
    expect(isAppPageUrl('https://skyswitch/index.html')).toBe(false)
    expect(isAppPageUrl('garbage')).toBe(false)
  })
})

describe('the renderer protocol handler', () => {
  function renderer(): string {
    const root = tempDir('skyswitch-renderer-')
    mkdirSync(join(root, 'assets'))
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Skyswitch</title>')
    writeFileSync(join(root, 'assets/index-abc.js'), 'console.log(1)')
    writeFileSync(join(root, 'assets/index-abc.css'), 'body{}')
    writeFileSync(join(root, 'assets/logo.svg'), '<svg/>')
    const outside = tempDir('skyswitch-outside-')
    writeFileSync(join(outside, 'secret.js'), 'secret')
    symlinkSync(join(outside, 'secret.js'), join(root, 'assets/linked.js'))
    return root
  }
  const get = (url: string, method = 'GET') => new Request(url, { method })

  it('answers with the file, its type, nosniff and the renderer CSP', async () => {
    const handle = appProtocolHandler(renderer())
    const page = await handle(get(APP_PAGE_URL))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('<title>Skyswitch</title>')
    const types = await Promise.all(
      ['assets/index-abc.js', 'assets/index-abc.css', 'assets/logo.svg'].map(async (p) => {
        const r = await handle(get(`app://skyswitch/${p}`))
        return [r.status, r.headers.get('content-type'), r.headers.get('content-security-policy')]
      }),
    )
    expect(types).toEqual([
      [200, 'text/javascript; charset=utf-8', RENDERER_CSP],
      [200, 'text/css; charset=utf-8', RENDERER_CSP],
      [200, 'image/svg+xml', RENDERER_CSP],
    ])
  })

  it('refuses traversal, unknown files, links out of the folder, other hosts and methods', async () => {
    const handle = appProtocolHandler(renderer())
    const status = async (url: string, method?: string) => (await handle(get(url, method))).status
    // A Request folds dot segments (as Chromium does) before the handler sees it: /etc/passwd, unknown.
    expect(await status('app://skyswitch/%2e%2e/%2e%2e/etc/passwd')).toBe(404)
    expect(await status('app://skyswitch/assets/..%2f..%2fetc%2fpasswd')).toBe(400)
    expect(await status('app://skyswitch/nothing.js')).toBe(404)
    expect(await status('app://skyswitch/assets/linked.js')).toBe(404)
    expect(await status('app://elsewhere/index.html')).toBe(404)
    expect(await status(APP_PAGE_URL, 'POST')).toBe(405)
    const refused = await handle(get('app://skyswitch/nothing.js'))
    expect(refused.headers.get('content-security-policy')).toBe(RENDERER_CSP)
    expect(await refused.text()).toBe('')
  })

  it('serves nothing when the renderer was never built', async () => {
    const handle = appProtocolHandler(join(tempDir('skyswitch-empty-'), 'missing'))
    expect((await handle(get(APP_PAGE_URL))).status).toBe(404)
  })
})
