import type { BrowserWindow, Session, WebContents } from 'electron'
import { RENDERER_CSP } from '../core/csp'

export /** Links the renderer may ask to open in the user's browser. */
const EXTERNAL_ALLOWED = /^https:\/\//

export interface SecurityDeps {
  openExternal(url: string): void
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
    if (EXTERNAL_ALLOWED.test(url)) deps.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (!deps.isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

export const SECURE_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  webSecurity: true,
  webviewTag: false,
  spellcheck: false,
} satisfies Electron.WebPreferences

export function isTrustedSender(
  win: BrowserWindow | null,
  sender: WebContents,
  frameUrl: string | undefined,
  isAppUrl: (u: string) => boolean,
): boolean {
  return !!win && !win.isDestroyed() && sender === win.webContents && !!frameUrl && isAppUrl(frameUrl)
}
