import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { hardenContents, isTrustedSender, mayOpenInBrowser } from '../../src-main/shell/window-security'

/** Just enough of Electron's WebContents to drive the handlers the shell installs. */
class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h
  }
}

const isAppUrl = (u: string) => u === 'app://skyswitch/index.html'

describe('window security (shell)', () => {
  it('opens only https pages in the browser, and loopback http only where allowed', () => {
    expect(mayOpenInBrowser('https://bsky.app/')).toBe(true)
    expect(mayOpenInBrowser('http://127.0.0.1:2583/oauth/authorize')).toBe(false)
    expect(mayOpenInBrowser('http://127.0.0.1:2583/oauth/authorize', true)).toBe(true)
    expect(mayOpenInBrowser('http://localhost:2583/', true)).toBe(true)
    expect(mayOpenInBrowser('http://evil.example/', true)).toBe(false)
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'app://skyswitch/index.html', 'smb://host/x', '']) {
      expect([url, mayOpenInBrowser(url, true)]).toEqual([url, false])
    }
  })

  it('denies new windows, opening only https links in the browser', () => {
    const wc = new FakeContents()
    const opened: string[] = []
    hardenContents(wc as never, { isAppUrl, openInBrowser: (u) => opened.push(u) })
    expect(wc.openHandler!({ url: 'https://bsky.app/settings/app-passwords' })).toEqual({ action: 'deny' })
    expect(wc.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(wc.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://bsky.app/settings/app-passwords'])
  })

  it('blocks navigation away from the app and webviews', () => {
    const wc = new FakeContents()
    hardenContents(wc as never, { isAppUrl, openInBrowser: () => {} })
    const nav = (url: string) => {
      let prevented = false
      wc.emit('will-navigate', { preventDefault: () => (prevented = true) }, url)
      return prevented
    }
    expect(nav('https://evil.example/')).toBe(true)
    expect(nav('app://skyswitch/index.html')).toBe(false)
    expect(nav('file:///app/index.html')).toBe(true)
    let webview = false
    wc.emit('will-attach-webview', { preventDefault: () => (webview = true) })
    expect(webview).toBe(true)
  })

  it('trusts IPC only from the app window’s own page', () => {
    const contents = {}
    const win = { isDestroyed: () => false, webContents: contents }
    expect(isTrustedSender(win as never, contents as never, 'app://skyswitch/index.html', isAppUrl)).toBe(true)
    expect(isTrustedSender(win as never, {} as never, 'app://skyswitch/index.html', isAppUrl)).toBe(false)
    expect(isTrustedSender(win as never, contents as never, 'https://evil.example/', isAppUrl)).toBe(false)
    expect(isTrustedSender(null, contents as never, 'app://skyswitch/index.html', isAppUrl)).toBe(false)
    expect(isTrustedSender(win as never, contents as never, undefined, isAppUrl)).toBe(false)
  })
})
