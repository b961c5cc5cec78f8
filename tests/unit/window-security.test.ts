import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { hardenContents, isTrustedSender, SECURE_WEB_PREFERENCES } from '../../src-main/shell/window-security'

/** Just enough of Electron's WebContents to drive the handlers the shell installs. */
class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h
  }
}

const isAppUrl = (u: string) => u === 'file:///app/index.html'

describe('window security (shell)', () => {
  it('turns every protection on', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    })
  })

  it('denies new windows, opening only https links in the browser', () => {
    const wc = new FakeContents()
    const opened: string[] = []
    hardenContents(wc as never, { isAppUrl, openExternal: (u) => opened.push(u) })
    expect(wc.openHandler!({ url: 'https://bsky.app/settings/app-passwords' })).toEqual({ action: 'deny' })
    expect(wc.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(wc.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://bsky.app/settings/app-passwords'])
  })

  it('blocks navigation away from the app and webviews', () => {
    const wc = new FakeContents()
    hardenContents(wc as never, { isAppUrl, openExternal: () => {} })
    const nav = (url: string) => {
      let prevented = false
      wc.emit('will-navigate', { preventDefault: () => (prevented = true) }, url)
      return prevented
    }
    expect(nav('https://evil.example/')).toBe(true)
    expect(nav('file:///app/index.html')).toBe(false)
    let webview = false
    wc.emit('will-attach-webview', { preventDefault: () => (webview = true) })
    expect(webview).toBe(true)
  })

  it('trusts IPC only from the app window’s own page', () => {
    const contents = {}
    const win = { isDestroyed: () => false, webContents: contents }
    expect(isTrustedSender(win as never, contents as never, 'file:///app/index.html', isAppUrl)).toBe(true)
    expect(isTrustedSender(win as never, {} as never, 'file:///app/index.html', isAppUrl)).toBe(false)
    expect(isTrustedSender(win as never, contents as never, 'https://evil.example/', isAppUrl)).toBe(false)
    expect(isTrustedSender(null, contents as never, 'file:///app/index.html', isAppUrl)).toBe(false)
    expect(isTrustedSender(win as never, contents as never, undefined, isAppUrl)).toBe(false)
  })
})
