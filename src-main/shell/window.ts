import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, shell } from 'electron'
import { hardenContents, SECURE_WEB_PREFERENCES } from './window-security'

const here = fileURLToPath(new URL('.', import.meta.url))
const devUrl = process.env.ELECTRON_RENDERER_URL
export const RENDERER_FILE = join(here, '../renderer/index.html')
export const PRELOAD_FILE = join(here, '../preload/index.cjs')

/** Whether `url` is our own renderer page (the dev server only in an unpackaged run). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url)
    if (devUrl && !app.isPackaged) return u.origin === new URL(devUrl).origin
    return u.protocol === 'file:' && fileURLToPath(u) === RENDERER_FILE
  } catch {
    return false
  }
}

export const securityDeps = { isAppUrl, openExternal: (url: string) => void shell.openExternal(url) }

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
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: PRELOAD_FILE },
  })
  hardenContents(w.webContents, securityDeps)
  if (devUrl && !app.isPackaged) void w.loadURL(devUrl)
  else void w.loadFile(RENDERER_FILE)
  return w
}
