import type { BrowserWindow, Session, WebContents } from 'electron'
import { RENDERER_CSP } from '../core/csp'

/**
 * What may open in the user's browser: https pages; http only on loopback, and
 * only where allowed (the demo's local sign-in page). Never file:, javascript: or an app's own scheme.
 */
export function mayOpenInBrowser(url: string, allowLoopback = false): boolean {
  try {
    const u = new URL(url)
    if (u.protocol === 'https:') return true
    return allowLoopback && u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)
  } catch {
    return false
  }
}

export interface SecurityDeps {
  /** Opens an https link in the user's browser (window.ts: openInBrowser). */
  openInBrowser(url: string): void
  /** Whether `url` is our own renderer page. */
  isAppUrl(url: string): boolean
}

/** CSP on every response, no new windows, no navigation away from the app. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] },
    })
  })
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
}

export function hardenContents(contents: WebContents, deps: SecurityDeps): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (mayOpenInBrowser(url)) deps.openInBrowser(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (!deps.isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

export function isTrustedSender(
  win: BrowserWindow | null,
  sender: WebContents,
  frameUrl: string | undefined,
  isAppUrl: (u: string) => boolean,
): boolean {
  return !!win && !win.isDestroyed() && sender === win.webContents && !!frameUrl && isAppUrl(frameUrl)
}
