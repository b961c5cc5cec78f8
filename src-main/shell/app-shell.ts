/**
 * The app's life in Electron: boot, the window, the tray, quitting. Electron's
 * safeStorage, electron-store, clipboard and powerMonitor are handed to the
 * core here; everything else lives in core/.
 */
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  net,
  Notification,
  powerMonitor,
  safeStorage,
  session,
  type Tray,
} from 'electron'
import ElectronStore from 'electron-store'
import { type Core, startCore } from '../core/app-core'
import { startToolEndpoint } from '../core/cli/tool-endpoint'
import { type EventPayloads, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../ipc/contract'
import { translator } from '../i18n'
import { type MenuActions, setAppMenu } from './app-menu'
import { installCli } from './install-cli'
import { watchLanguage } from './language-watch'
import { showNotices } from './notify'
import { applyLoginItem } from './login-item'
import { SafeStorageCipher } from './safe-storage-cipher'
import { showStartupError } from './startup-error'
import { createTray } from './tray'
import { NO_FEED, UPDATE_FEED, updateCheckText, type Updates } from './update-check'
import { createMainWindow, isAppUrl, openInBrowser, registerAppScheme, securityDeps, serveRenderer } from './window'
import { hardenContents, hardenSession, isTrustedSender } from './window-security'

/** How long quitting waits for refreshes in flight and vault writes. */
export const QUIT_BOUND_MS = 8_000

export class AppShell {
  private win: BrowserWindow | null = null
  private core: Core | null = null
  // Held so the tray icon is not garbage-collected.
  private tray: Tray | null = null
  private tools: { close(): Promise<void> } | null = null
  private pollOnline: NodeJS.Timeout | null = null
  private quitting = false
  private shutdown: Promise<void> | null = null
  private shutDown = false
  private showWhenReady = false
  /** Accounts whose refresh is in flight (from the core's own events). */
  private readonly refreshing = new Set<string>()

  constructor(
    private readonly platform: NodeJS.Platform,
    private readonly opts: { hidden: boolean },
  ) {}

  start(): void {
    registerAppScheme()
    app.on('second-instance', () => {
      if (this.core) this.showWindow()
      else this.showWhenReady = true
    })
    app.on('web-contents-created', (_e, contents) => hardenContents(contents, securityDeps))
    app.on('window-all-closed', () => {
      // Reached on Linux and Windows only when closing to the tray is off.
      if (this.platform !== 'darwin') app.quit()
    })
    app.on('activate', () => {
      if (this.core) this.showWindow()
    })
    app.on('before-quit', () => {
      this.quitting = true
    })
    app.on('will-quit', (event) => {
      if (this.shutDown) return
      // Wait (bounded) for writes and refreshes, then quit for real.
      event.preventDefault()
      this.shutdown ??= this.stop().finally(() => {
        this.shutDown = true
        app.quit()
      })
    })
    app
      .whenReady()
      .then(() => this.boot())
      .catch((err: unknown) => {
        showStartupError(err, app.getPath('userData'), this.core?.language())
        app.exit(1)
      })
  }

  private async boot(): Promise<void> {
    hardenSession(session.defaultSession)
    serveRenderer()
    const dataDir = app.getPath('userData')
    const cipher = await SafeStorageCipher.create(safeStorage, this.platform)
    // `npm run demo` starts an unpackaged build against its own local test network.
    const demo = !app.isPackaged && process.env.SKYSWITCH_DEMO === '1'
    // Without a feed in this build the updater is not even loaded, so nothing is ever requested.
    const updates = UPDATE_FEED ? await loadUpdates(UPDATE_FEED, this.platform) : NO_FEED
    const core = await startCore({
      dataDir,
      cipher,
      systemLanguages: () => app.getPreferredSystemLanguages(),
      openStore: ({ cwd, configName }) =>
        new ElectronStore<Record<string, unknown>>({ cwd, name: configName, watch: false }),
      clipboard: { readText: () => clipboard.readText(), writeText: (t) => clipboard.writeText(t) },
      mode: 'electron',
      // OAuth sign-in pages open in the system browser, never inside the app (the demo's is on loopback).
      openExternal: (url) => openInBrowser(url, { allowLoopback: demo }),
      updater: updates.port,
      updatesUnavailable: updates.unavailable,
      ...(demo && {
        demo: true,
        plcUrl: process.env.SKYSWITCH_PLC_URL,
        defaultService: process.env.SKYSWITCH_SERVICE,
        allowLoopback: true,
      }),
    })
    this.core = core
    try {
      this.tools = await startToolEndpoint(dataDir, core.accounts, core.proxy)
    } catch (err) {
      await core.stop()
      throw err
    }

    ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, name: unknown, request: unknown) => {
      if (!isTrustedSender(this.win, event.sender, event.senderFrame?.url, isAppUrl)) {
        return { ok: false, error: { code: 'NotAllowed', message: 'Request from an unknown page refused.' } }
      }
      // dispatch never throws: every failure comes back as a typed envelope.
      return core.dispatch(name, request)
    })
    // Every event goes out through core.events, which stamps its revision.
    core.events.onAny((event, payload) => {
      if (event === 'state:changed') {
        const s = payload as EventPayloads['state:changed']
        for (const did of this.refreshing) if (!s.accounts.some((a) => a.did === did)) this.refreshing.delete(did)
      } else if (event === 'account:changed') {
        const a = payload as EventPayloads['account:changed']
        if (a.session === 'refreshing') this.refreshing.add(a.did)
        else this.refreshing.delete(a.did)
      }
      this.send(event, payload)
    })
    core.settings.on((s) => this.applyLoginItem(s.startAtLogin))
    // The login item follows the setting (and the app's current location).
    this.applyLoginItem(core.settings.get().startAtLogin)

    // Sleep and network changes: refresh what fell due while we could not.
    powerMonitor.on('resume', () => {
      core.accounts.wake()
      core.updates.wake()
    })
    powerMonitor.on('unlock-screen', () => core.accounts.wake())
    this.pollOnline = setInterval(() => core.accounts.setOnline(net.isOnline()), 10_000)

    const installable = this.platform !== 'linux' || !!process.env.APPIMAGE
    const menu: MenuActions = {
      openSettings: () => {
        this.showWindow()
        this.send('settings:open', null)
      },
      installCli: installable ? () => void this.installCli() : undefined,
      ...(updates.port ? { checkForUpdates: () => void this.checkForUpdates() } : { updatesOff: updates.unavailable }),
    }
    const spoken = watchLanguage(core)
    setAppMenu(this.platform, menu, spoken.now())
    spoken.onChange(() => setAppMenu(this.platform, menu, spoken.now()))
    this.tray = createTray(core.accounts, core.dispatch, () => this.showWindow(), this.platform, {
      language: spoken.now,
      onChange: spoken.onChange,
    })
    showNotices(core.notices, (did) => this.openAccount(did))
    if (!this.opts.hidden || this.showWhenReady) this.showWindow()
  }

  private showWindow(): void {
    if (!this.win || this.win.isDestroyed()) this.win = this.createWindow()
    const w = this.win
    if (w.isMinimized()) w.restore()
    w.show()
    w.focus()
  }

  /** A notification was clicked: the window, on that account's details (once the page can hear it). */
  private openAccount(did: string): void {
    this.showWindow()
    const contents = this.win!.webContents
    const open = () => this.send('account:open', { did })
    if (contents.isLoading()) contents.once('did-finish-load', open)
    else open()
  }

  private createWindow(): BrowserWindow {
    const w = createMainWindow()
    // Hidden to the tray or closed: nobody is looking, even if the page never gets to say so
    // (it says so too, by visibilitychange; it alone says when it is seen and focused again).
    const away = () => void this.core?.dispatch('app:attention', { visible: false, focused: false })
    w.on('hide', away)
    w.on('closed', away)
    w.on('close', (event) => {
      // macOS keeps its dock convention: the window closes, the app stays.
      if (this.quitting || this.platform === 'darwin' || !this.core?.settings.get().closeToTray) return
      event.preventDefault()
      w.hide()
      void this.closeNotice()
    })
    return w
  }

  /** Once ever: closing the window does not stop Skyswitch. */
  private async closeNotice(): Promise<void> {
    const core = this.core
    if (!core || core.settings.closeNoticeShown) return
    await core.settings.noteCloseNoticeShown().catch(() => undefined)
    const t = translator(core.language())
    const [title, body] = [t('notifications.stillRunning.title'), t('notifications.stillRunning.body')] as const
    if (Notification.isSupported()) new Notification({ title, body }).show()
    else this.tray?.displayBalloon({ title, content: body })
  }

  private send(event: string, payload: unknown): void {
    const w = this.win
    if (w && !w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, event, payload)
  }

  private applyLoginItem(enabled: boolean): void {
    try {
      applyLoginItem(enabled, this.platform)
    } catch (err) {
      const t = translator(this.core?.language() ?? 'en')
      const reason = err instanceof Error ? err.message : String(err)
      dialog.showErrorBox(t('dialogs.loginItem.title'), t('dialogs.loginItem.failed', { reason }))
    }
  }

  private async installCli(): Promise<void> {
    const exe = process.env.APPIMAGE ?? app.getPath('exe')
    const t = translator(this.core?.language() ?? 'en')
    try {
      const where = await installCli(exe, this.platform)
      await dialog.showMessageBox({
        type: 'info',
        title: t('dialogs.cli.title'),
        message: t('dialogs.cli.installed', { path: where }),
        detail: t('dialogs.cli.next'),
      })
    } catch (err) {
      dialog.showErrorBox(t('dialogs.cli.title'), t('dialogs.cli.failed', { reason: (err as Error).message }))
    }
  }

  /** The menu's check: asks the feed now and says what it found (a download goes on in the background). */
  private async checkForUpdates(): Promise<void> {
    const core = this.core
    if (!core) return
    const s = await core.updates.check()
    const failed = s.status === 'idle' && !!s.error
    const lang = core.language()
    await dialog.showMessageBox({
      type: failed ? 'warning' : 'info',
      title: translator(lang)('dialogs.updates.title'),
      message: updateCheckText(s, app.getVersion(), lang),
    })
  }

  /** No new refreshes; let the ones in flight land; flush the vault; close the tool endpoint. */
  private async stop(): Promise<void> {
    if (this.pollOnline) clearInterval(this.pollOnline)
    this.tray?.destroy()
    const core = this.core
    const deadline = Date.now() + QUIT_BOUND_MS
    if (core) {
      core.accounts.stop()
      while (this.refreshing.size > 0 && Date.now() < deadline) await sleep(20)
      await bounded(core.stop(), deadline)
    }
    if (this.tools) await bounded(this.tools.close(), deadline)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms))
}

function bounded(work: Promise<unknown>, deadline: number): Promise<unknown> {
  return Promise.race([work.catch(() => undefined), sleep(Math.max(0, deadline - Date.now()))])
}

/** The updater, loaded only with a feed; one that cannot be set up leaves the app running without updates. */
async function loadUpdates(feed: string, platform: NodeJS.Platform): Promise<Updates> {
  try {
    return (await import('./updater')).createUpdates(feed, platform)
  } catch (err) {
    process.stderr.write(`skyswitch: updates are off: ${err instanceof Error ? err.name : 'error'}\n`)
    return NO_FEED
  }
}
