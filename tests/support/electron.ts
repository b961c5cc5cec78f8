/**
 * A small stand-in for the `electron` module, for the shell tests (the binary
 * cannot run here). It models only what src-main/shell uses, the way Electron
 * behaves: app lifecycle and its events (quit: before-quit, windows close,
 * will-quit, quit), the single-instance lock, windows and webContents,
 * ipcMain, safeStorage per backend (pinned by --password-store), Tray, Menu
 * roles, powerMonitor, net (isOnline, and request over loopback), clipboard,
 * dialog, shell, Notification (shown, clicked), the app badge, the tray's
 * image, tooltip and title, protocol, and what electron-updater touches.
 * Each fresh import (after vi.resetModules) is one app process.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { standInProtocol } from './electron-protocol'
import { NetRequest, type NetRequestOptions } from './electron-net'
import { type Backend, machine } from './electron-world'
import { nativeImage, Notification, Tray } from './electron-ui'

type Handler = (event: unknown, ...args: unknown[]) => unknown

function preventable() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true
    },
  }
}

class App extends EventEmitter {
  /** Installed (AppImage, dmg, NSIS) or run from the sources, as the machine says at launch. */
  readonly isPackaged = machine().packaged
  readonly name = 'Skyswitch'
  private readonly paths = new Map<string, string>()
  private ready = false
  private quitting = false
  readonly switches = new Map<string, string>()
  /** The switches as they were when `ready` fired (what Chromium saw). */
  switchesAtReady: Map<string, string> | null = null
  loginItem = { openAtLogin: false, args: [] as string[] }
  lockRequested = false
  /** The dock or launcher badge (macOS, Linux Unity): every value set, in order. */
  readonly badgeCounts: number[] = []
  exitCode: number | null = null
  readonly exited: Promise<number>
  private resolveExit!: (code: number) => void
  readonly commandLine = {
    appendSwitch: (name: string, value = '') => void this.switches.set(name, value),
    hasSwitch: (name: string) => this.switches.has(name),
    getSwitchValue: (name: string) => this.switches.get(name) ?? '',
  }
  readonly dock = { hide: () => undefined, show: () => Promise.resolve(), setMenu: () => undefined }

  constructor() {
    super()
    this.exited = new Promise((ok) => (this.resolveExit = ok))
  }

  private starting = false
  /** Chromium starts after the main script's first turn (only for a process that waits for it). */
  private startChromium() {
    if (this.starting) return
    this.starting = true
    setImmediate(() => {
      if (this.exitCode !== null) return
      this.switchesAtReady = new Map(this.switches)
      this.ready = true
      this.emit('ready', {})
    })
  }

  isReady() {
    return this.ready
  }
  whenReady() {
    this.startChromium()
    return this.ready ? Promise.resolve() : new Promise<void>((ok) => this.once('ready', () => ok()))
  }
  getPath(name: string): string {
    const m = machine()
    const set = this.paths.get(name)
    if (set) return set
    if (name === 'userData' || name === 'sessionData') return m.userData
    if (name === 'appData') return m.appData
    if (name === 'exe') return '/opt/Skyswitch/skyswitch'
    return join(tmpdir(), `stand-in-${name}`)
  }
  setPath(name: string, value: string) {
    this.paths.set(name, value)
  }
  getPreferredSystemLanguages(): string[] {
    return [...machine().systemLanguages]
  }

  getVersion() {
    return '0.1.0'
  }
  getName() {
    return this.name
  }
  setAppUserModelId() {}
  setBadgeCount(count = 0) {
    this.badgeCounts.push(count)
    return true
  }
  getBadgeCount() {
    return this.badgeCounts.at(-1) ?? 0
  }
  disableHardwareAcceleration() {}
  focus() {}
  setLoginItemSettings(s: { openAtLogin?: boolean; args?: string[] }) {
    this.loginItem = { openAtLogin: !!s.openAtLogin, args: s.args ?? [] }
  }
  getLoginItemSettings() {
    return { ...this.loginItem, wasOpenedAtLogin: false }
  }

  requestSingleInstanceLock(): boolean {
    this.lockRequested = true
    const locks = machine().locks
    const holder = locks.get(this.getPath('userData'))
    if (holder && holder !== this) {
      const argv = [...process.argv]
      setImmediate(() => holder.emit('second-instance', preventable(), argv, process.cwd()))
      return false
    }
    locks.set(this.getPath('userData'), this)
    return true
  }

  /** Electron's order: before-quit, every window closes, will-quit, quit. */
  quit(): void {
    if (this.exitCode !== null) return
    const before = preventable()
    this.emit('before-quit', before)
    if (before.defaultPrevented) return
    this.quitting = true
    for (const w of [...windows]) {
      w.close()
      if (!w.isDestroyed()) {
        this.quitting = false
        return
      }
    }
    const will = preventable()
    this.emit('will-quit', will)
    if (will.defaultPrevented) {
      this.quitting = false
      return
    }
    this.emit('quit', preventable(), 0)
    this.exit(0)
  }

  exit(code = 0): void {
    if (this.exitCode !== null) return
    this.exitCode = code
    for (const w of [...windows]) w.destroy()
    const locks = machine().locks
    if (locks.get(this.getPath('userData')) === this) locks.delete(this.getPath('userData'))
    this.resolveExit(code)
  }

  /** Called by a window that closed: Electron's window-all-closed (not during quit). */
  windowClosed(): void {
    if (windows.length === 0 && !this.quitting) this.emit('window-all-closed')
  }
}

export const app = new App()

// ---- windows -------------------------------------------------------------------

const windows: BrowserWindow[] = []
let nextId = 1

class WebContents extends EventEmitter {
  readonly id = nextId++
  url = ''
  readonly sent: { channel: string; args: unknown[] }[] = []
  windowOpenHandler: ((d: { url: string }) => unknown) | null = null
  loading = true
  private destroyed = false
  send(channel: string, ...args: unknown[]) {
    if (this.destroyed) throw new Error('Object has been destroyed')
    this.sent.push({ channel, args })
  }
  setWindowOpenHandler(h: (d: { url: string }) => unknown) {
    this.windowOpenHandler = h
  }
  getURL() {
    return this.url
  }
  isLoading() {
    return this.loading
  }
  isDestroyed() {
    return this.destroyed
  }
  destroy() {
    this.destroyed = true
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return [...windows]
  }
  static getFocusedWindow() {
    return windows.find((w) => w.focused) ?? null
  }
  readonly webContents = new WebContents()
  readonly id = nextId++
  private visible: boolean
  private destroyed = false
  private minimized = false
  focused = false

  constructor(readonly options: { show?: boolean; webPreferences?: Record<string, unknown> } = {}) {
    super()
    this.visible = options.show !== false
    windows.push(this)
    app.emit('web-contents-created', preventable(), this.webContents)
    app.emit('browser-window-created', preventable(), this)
  }
  private load(url: string) {
    this.webContents.url = url
    setImmediate(() => {
      if (this.destroyed) return
      this.webContents.loading = false
      this.webContents.emit('did-finish-load')
      this.emit('ready-to-show')
    })
    return Promise.resolve()
  }
  loadURL(url: string) {
    return this.load(url)
  }
  loadFile(path: string) {
    return this.load(pathToFileURL(path).href)
  }
  show() {
    this.visible = true
    this.focused = true
    this.emit('show')
  }
  hide() {
    this.visible = false
    this.focused = false
    this.emit('hide')
  }
  focus() {
    this.focused = true
  }
  isVisible() {
    return this.visible
  }
  isFocused() {
    return this.focused
  }
  isMinimized() {
    return this.minimized
  }
  minimize() {
    this.minimized = true
  }
  restore() {
    this.minimized = false
  }
  isDestroyed() {
    return this.destroyed
  }
  /** A user's or app.quit's close: preventable. */
  close() {
    if (this.destroyed) return
    const e = preventable()
    this.emit('close', e)
    if (!e.defaultPrevented) this.destroy()
  }
  destroy() {
    if (this.destroyed) return
    this.destroyed = true
    this.visible = false
    this.webContents.destroy()
    windows.splice(windows.indexOf(this), 1)
    this.emit('closed')
    app.windowClosed()
  }
}

// ---- ipc -------------------------------------------------------------------------

const handlers = new Map<string, Handler>()
export const ipcMain = Object.assign(new EventEmitter(), {
  handle(channel: string, fn: Handler) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    handlers.set(channel, fn)
  },
  removeHandler(channel: string) {
    handlers.delete(channel)
  },
})

/** What the preload's ipcRenderer.invoke does, from a window's page. */
export async function invokeFrom(win: BrowserWindow, channel: string, ...args: unknown[]): Promise<unknown> {
  const h = handlers.get(channel)
  if (!h) throw new Error(`No handler registered for '${channel}'`)
  return h({ sender: win.webContents, senderFrame: { url: win.webContents.getURL() } }, ...args)
}

// ---- safeStorage -----------------------------------------------------------------

/** Chromium's --password-store values. */
const STORE_SWITCH: Record<string, Backend> = {
  basic: 'basic_text',
  'gnome-libsecret': 'gnome_libsecret',
  kwallet6: 'kwallet6',
}

function selectedBackend(): Backend {
  if (!app.isReady()) throw new Error('safeStorage cannot be used before the app is ready')
  const pinned = app.switchesAtReady?.get('password-store')
  return (pinned && STORE_SWITCH[pinned]) || machine().desktopBackend
}

function keyOf(backend: Backend): Buffer {
  return createHash('sha256').update(`stand-in keyring ${backend}`).digest()
}

export const safeStorage = {
  isAsyncEncryptionAvailable: async () => selectedBackend() !== 'unavailable',
  getSelectedStorageBackend: () => {
    const b = selectedBackend()
    return b === 'unavailable' || b === 'keychain' ? 'unknown' : b
  },
  async encryptStringAsync(plain: string): Promise<Buffer> {
    const b = selectedBackend()
    if (b === 'unavailable') throw new Error('Encryption is not available.')
    const delay = machine().encryptDelayMs
    if (delay > 0) await new Promise((ok) => setTimeout(ok, delay))
    await machine().encryptGate
    const iv = randomBytes(12)
    const c = createCipheriv('aes-256-gcm', keyOf(b), iv)
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
    return Buffer.concat([Buffer.from('v11'), iv, c.getAuthTag(), body])
  },
  async decryptStringAsync(sealed: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    const b = selectedBackend()
    if (b === 'unavailable') throw new Error('Decryption is not available.')
    const d = createDecipheriv('aes-256-gcm', keyOf(b), sealed.subarray(3, 15))
    d.setAuthTag(sealed.subarray(15, 31))
    const result = Buffer.concat([d.update(sealed.subarray(31)), d.final()]).toString('utf8')
    return { result, shouldReEncrypt: false }
  },
}

// ---- menus, tray, images -----------------------------------------------------------

export interface StandInMenuItem {
  label?: string
  role?: string
  type?: string
  enabled?: boolean
  checked?: boolean
  accelerator?: string
  click?: (...args: unknown[]) => unknown
  submenu?: Menu
}

export class Menu {
  static applicationMenu: Menu | null = null
  static buildFromTemplate(template: Record<string, unknown>[]): Menu {
    return new Menu(
      template.map((t) => ({
        ...t,
        submenu: Array.isArray(t.submenu) ? Menu.buildFromTemplate(t.submenu as Record<string, unknown>[]) : undefined,
      })) as StandInMenuItem[],
    )
  }
  static setApplicationMenu(menu: Menu | null) {
    Menu.applicationMenu = menu
  }
  static getApplicationMenu() {
    return Menu.applicationMenu
  }
  constructor(readonly items: StandInMenuItem[] = []) {}
  /** Depth-first: the first item with this label or role. */
  find(labelOrRole: string): StandInMenuItem | undefined {
    for (const i of this.items) {
      if (i.label === labelOrRole || i.role === labelOrRole) return i
      const inner = i.submenu?.find(labelOrRole)
      if (inner) return inner
    }
    return undefined
  }
  /** What clicking an item does in Electron: its handler, or its role's built-in action. */
  click(labelOrRole: string): void {
    const item = this.find(labelOrRole)
    if (!item) throw new Error(`no menu item ${labelOrRole}`)
    if (item.click) item.click(item, BrowserWindow.getFocusedWindow(), {})
    else if (item.role === 'quit') app.quit()
  }
}

export { nativeImage, Notification, notifications, type StandInImage, Tray } from './electron-ui'

// ---- the rest of what the shell touches ------------------------------------------------

export const powerMonitor = new EventEmitter()
export const net = { isOnline: () => machine().online, request: (o: NetRequestOptions) => new NetRequest(o) }

/** Electron's own autoUpdater; electron-updater emits before-quit-for-update on it. */
export const autoUpdater = new EventEmitter()

let clip = ''
export const clipboard = { readText: () => clip, writeText: (t: string) => void (clip = t) }

export const dialogs: { kind: string; title?: string; message: string }[] = []
export const dialog = {
  showErrorBox: (title: string, content: string) => void dialogs.push({ kind: 'error', title, message: content }),
  showMessageBox: async (...args: unknown[]) => {
    const opts = args.at(-1) as { message: string; title?: string }
    dialogs.push({ kind: 'message', title: opts.title, message: opts.message })
    return { response: 0, checkboxChecked: false }
  },
}

export const opened: string[] = []
export const shell = {
  openExternal: async (url: string) => void opened.push(url),
  openPath: async () => '',
}

export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: () => undefined },
    setPermissionRequestHandler: () => undefined,
  },
  /** electron-updater's own partition; the stand-in's requests do not use a session. */
  fromPartition: (partition: string) => ({ partition }),
}

export const protocol = standInProtocol(() => app.isReady())

const electron = {
  app,
  BrowserWindow,
  ipcMain,
  safeStorage,
  Menu,
  Tray,
  nativeImage,
  powerMonitor,
  net,
  clipboard,
  dialog,
  shell,
  Notification,
  session,
  protocol,
  autoUpdater,
}
machine().processes.push(electron)
if (machine().resourcesPath) Object.assign(process, { resourcesPath: machine().resourcesPath })
// electron-updater is CommonJS that Node loads (not vite): its require('electron') gets this process too.
// (Built into one file elsewhere, as the startup benchmark does, there is no electron package to stand for.)
const nodeRequire = createRequire(import.meta.url)
const electronId = (() => {
  try {
    return nodeRequire.resolve('electron')
  } catch {
    return null
  }
})()
if (electronId) {
  nodeRequire.cache[electronId] = {
    id: electronId,
    filename: electronId,
    loaded: true,
    exports: electron,
  } as NodeJS.Module
}
export default electron
