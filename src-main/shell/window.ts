import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, protocol, shell } from 'electron'
import { APP_PAGE_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler, isAppPageUrl } from '../core/app-protocol'
import { hardenContents, mayOpenInBrowser } from './window-security'

const here = fileURLToPath(new URL('.', import.meta.url))
const devUrl = process.env.ELECTRON_RENDERER_URL
/** The built renderer (out/renderer beside out/main): the only folder app:// serves. */
export const RENDERER_DIR = join(here, '../renderer')
export const PRELOAD_FILE = join(here, '../preload/index.cjs')

/** Whether `url` is our own renderer page (the dev server only in an unpackaged run). */
export function isAppUrl(url: string): boolean {
  if (devUrl && !app.isPackaged) {
    try {
      return new URL(url).origin === new URL(devUrl).origin
    } catch {
      return false
    }
  }
  return isAppPageUrl(url)
}

/** Before ready: Chromium learns the scheme's privileges only at startup. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }])
}

/** After ready: app:// answers from the built renderer only. */
export function serveRenderer(): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(RENDERER_DIR))
}

/**
 * The one call to shell.openExternal: https pages, or http on loopback where
 * the core allows loopback (the demo's local sign-in page). Anything else throws.
 */
export async function openInBrowser(url: string, opts: { allowLoopback?: boolean } = {}): Promise<void> {
  if (!mayOpenInBrowser(url, opts.allowLoopback)) throw new Error('Only https pages open in the browser.')
  await shell.openExternal(url)
}

export const securityDeps = { isAppUrl, openInBrowser: (url: string) => void openInBrowser(url).catch(() => undefined) }

/** The one app window, hidden until its first paint. */
export function createMainWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 400,
    minHeight: 480,
    show: false,
    title: 'Skyswitch',
    backgroundColor: '#101418',
    // Written out here, where the window is made, so a reader (and the checklist) sees each one.
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      // A middle click must not open what a click would not.
      disableBlinkFeatures: 'Auxclick',
      preload: PRELOAD_FILE,
    },
  })
  hardenContents(w.webContents, securityDeps)
  if (devUrl && !app.isPackaged) void w.loadURL(devUrl)
  else void w.loadURL(APP_PAGE_URL)
  return w
}
