/**
 * The Electron shell: lifecycle, the window, ipcMain wiring, and the adapters
 * that hand Electron's safeStorage, electron-store, clipboard and powerMonitor
 * to the core. Everything else lives in core/.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  app,
  BrowserWindow,
  clipboard,
  ipcMain,
  net,
  powerMonitor,
  safeStorage,
  session,
  shell,
  type Tray,
} from 'electron'
import ElectronStore from 'electron-store'
import { type Core, startCore } from '../core/app-core'
import { toErrorInfo } from '../core/errors'
import { startToolEndpoint } from '../core/tools/tool-endpoint'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../ipc/contract'
import { SafeStorageCipher } from './safe-storage-cipher'
import { createTray } from './tray'
import { hardenContents, hardenSession, isTrustedSender, SECURE_WEB_PREFERENCES } from './window-security'

const here = fileURLToPath(new URL('.', import.meta.url))
const devUrl = process.env.ELECTRON_RENDERER_URL
const rendererFile = join(here, '../renderer/index.html')
// `npm run demo` starts an unpackaged build against its own local test network.
const demo = !app.isPackaged && process.env.SKYSWITCH_DEMO === '1'

let win: BrowserWindow | null = null
let core: Core | null = null
// Held so the tray icon is not garbage-collected.
let tray: Tray | null = null

function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url)
    if (devUrl && !app.isPackaged) return u.origin === new URL(devUrl).origin
    return u.protocol === 'file:' && fileURLToPath(u) === rendererFile
  } catch {
    return false
  }
}

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 400,
    minHeight: 480,
    show: false,
    title: 'Skyswitch',
    backgroundColor: '#101418',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(here, '../preload/index.cjs') },
  })
  hardenContents(w.webContents, { isAppUrl, openExternal: (url) => void shell.openExternal(url) })
  w.once('ready-to-show', () => w.show())
  if (devUrl && !app.isPackaged) void w.loadURL(devUrl)
  else void w.loadFile(rendererFile)
  return w
}

async function boot(): Promise<void> {
  hardenSession(session.defaultSession)
  const cipher = await SafeStorageCipher.create(safeStorage)
  core = await startCore({
    dataDir: app.getPath('userData'),
    cipher,
    openStore: ({ cwd, configName }) =>
      new ElectronStore<Record<string, unknown>>({ cwd, name: configName, watch: false }),
    clipboard: { readText: () => clipboard.readText(), writeText: (t) => clipboard.writeText(t) },
    mode: 'electron',
    ...(demo && {
      demo,
      plcUrl: process.env.SKYSWITCH_PLC_URL,
      defaultService: process.env.SKYSWITCH_SERVICE,
      allowLoopback: true,
    }),
  })
  const c = core

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, name: unknown, request: unknown) => {
    if (!isTrustedSender(win, event.sender, event.senderFrame?.url, isAppUrl)) {
      return { ok: false, error: { code: 'NotAllowed', message: 'Request from an unknown page refused.' } }
    }
    // dispatch never throws: every failure comes back as a typed envelope.
    return c.dispatch(name, request)
  })
  const send = (event: string, payload: unknown) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event, payload)
  }
  c.accounts.on('state', (s) => send('state:changed', s))
  c.accounts.on('account', (a) => send('account:changed', a))

  // Sleep and network changes: refresh what fell due while we could not.
  powerMonitor.on('resume', () => c.accounts.wake())
  powerMonitor.on('unlock-screen', () => c.accounts.wake())
  const pollOnline = setInterval(() => c.accounts.setOnline(net.isOnline()), 10_000)
  app.on('before-quit', () => clearInterval(pollOnline))

  const tools = await startToolEndpoint(app.getPath('userData'), c.accounts)
  app.on('will-quit', () => void tools.close())

  win = createWindow()
  tray = createTray(c.accounts, c.dispatch, showWindow)
}

function showWindow(): void {
  if (!win || win.isDestroyed()) win = createWindow()
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

if (!app.requestSingleInstanceLock()) {
  // Another Skyswitch owns the vault and the refresh timers.
  app.quit()
} else {
  app.on('second-instance', () => {
    if (core) showWindow()
  })
  app.on('web-contents-created', (_e, contents) =>
    hardenContents(contents, { isAppUrl, openExternal: (url) => void shell.openExternal(url) }),
  )
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) win = createWindow()
  })
  app.on('will-quit', () => {
    tray?.destroy()
    void core?.stop()
  })
  app
    .whenReady()
    .then(boot)
    .catch((err: unknown) => {
      process.stderr.write(`Skyswitch could not start: ${toErrorInfo(err).message}\n`)
      app.exit(1)
    })
}
