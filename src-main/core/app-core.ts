import type { AppState } from '../ipc/contract'
import { AccountService, type AccountServiceOptions } from './accounts/account-service'
import type { TokenCipher } from './vault/cipher'
import { type Clipboard, ClipboardGuard } from './clipboard/clipboard-guard'
import { ProxyService } from './proxy/proxy-service'
import { type Clock, systemClock } from './clock'
import { createDispatcher, type Dispatch, windowState } from './dispatcher'
import { CoreEvents } from './events'
import { SettingsStore } from './settings'
import { Glance, type GlanceOptions } from './glance/glance'
import { IdentityResolver } from './session/identity'
import type { SchedulerOptions } from './refresh/scheduler'
import { SessionClient } from './session/session-client'
import { DEFAULT_SERVICE, normalizeService } from './session/service-url'
import { type OpenStore, Vault } from './vault/vault'
import { OAuthSessions, type OAuthSessionsOptions } from './oauth/oauth-sessions'
import { builtInClientId } from './oauth/client-config'
import { UpdateService, type UpdateServiceOptions, type UpdaterPort } from './updates/update-service'
import { Notifier } from './notices/notifier'
import { type Language, resolveLanguage } from '../ipc/languages'
import { forWindow } from '../i18n/window'

export interface CoreOptions {
  dataDir: string
  cipher: TokenCipher
  openStore: OpenStore
  clipboard: Clipboard
  mode: AppState['mode']
  clock?: Clock
  plcUrl?: string
  /** Prefilled hosting provider in the login form. */
  defaultService?: string
  /** Let identity resolution reach loopback (dev networks, tests). */
  allowLoopback?: boolean
  clipboardClearSeconds?: number
  requestTimeoutMs?: number
  fetch?: typeof globalThis.fetch
  scheduler?: Omit<SchedulerOptions, 'clock'>
  /** The background hosting-status watch; `false` turns it off. */
  statusWatch?: AccountServiceOptions['statusWatch']
  /** Called when the tool proxy refuses a request (tests count these; nothing is logged). */
  onProxyRefused?: (reason: string) => void
  /** Unread counts and AppView standing; false turns the reads off. */
  glance?: Omit<GlanceOptions, 'clock' | 'fetch'> | false
  /** `npm run demo`: the UI says so in its title and storage notes. */
  demo?: boolean
  /** OAuth: a production client_id (https URL to its metadata); absent: the loopback development client. */
  oauthClientId?: string
  /** Opens an OAuth authorization page in the system browser (Electron: shell.openExternal). */
  openExternal?: (url: string) => void | Promise<void>
  oauth?: Pick<OAuthSessionsOptions, 'signInTimeoutMs' | 'dpopNonceCache'>
  /** The app's own updates (the Electron shell's adapter); absent: nothing is ever asked of a feed. */
  updater?: UpdaterPort | null
  /** Why there is no updater: no feed in this build, or an install its package updates. */
  updatesUnavailable?: UpdateServiceOptions['unavailable']
  /** The operating system's preferred languages (Electron's app.getPreferredSystemLanguages); browser mode has none. */
  systemLanguages?: () => readonly string[]
}

export interface Core {
  accounts: AccountService
  vault: Vault
  /** What the renderer is sent (shell and browser mode alike), each with its revision. */
  events: CoreEvents
  dispatch: Dispatch
  /** The local authenticating XRPC proxy for tools. */
  proxy: ProxyService
  settings: SettingsStore
  /** The whole app state, settings included (what the window is sent). */
  state(): AppState
  glance: Glance | null
  /** When the app checks its feed, and restarting into an update once the accounts' turns drain. */
  updates: UpdateService
  /** What to tell the user about their accounts (the Electron shell shows it as OS notifications). */
  notices: Notifier
  /** The language main speaks in (tray, menus, dialogs, notifications): the setting, else the system's. */
  language(): Language
  stop(): Promise<void>
}

/** Wires the Electron-free core together; the shell and browser mode both start it this way. */
export async function startCore(opts: CoreOptions): Promise<Core> {
  const clock = opts.clock ?? systemClock
  const vault = await Vault.open({ dataDir: opts.dataDir, cipher: opts.cipher, openStore: opts.openStore, clock })
  const sessions = new SessionClient({
    timeoutMs: opts.requestTimeoutMs,
    fetch: opts.fetch,
    dialects: vault.dialects,
  })
  const identity = new IdentityResolver({ plcUrl: opts.plcUrl, allowLoopback: opts.allowLoopback })
  const settings = new SettingsStore(
    vault,
    opts.clipboardClearSeconds === undefined ? {} : { clipboardClearSeconds: opts.clipboardClearSeconds },
  )
  const clearSeconds = settings.get().clipboardClearSeconds
  const oauth = new OAuthSessions({
    vault,
    clock,
    clientId: opts.oauthClientId ?? builtInClientId(),
    plcUrl: opts.plcUrl,
    allowHttp: opts.allowLoopback,
    resolveHandleAt: (service, handle, signal) => sessions.resolveHandle(service, handle, signal),
    openExternal: opts.openExternal,
    fetch: opts.fetch,
    ...opts.oauth,
  })
  const accounts = new AccountService({
    vault,
    sessions,
    identity,
    clock,
    mode: opts.mode,
    clipboardClearSeconds: clearSeconds,
    defaultService: normalizeService(opts.defaultService ?? DEFAULT_SERVICE),
    scheduler: opts.scheduler,
    statusWatch: opts.statusWatch,
    demo: opts.demo,
    oauth,
  })
  const guard = new ClipboardGuard(opts.clipboard, clock, clearSeconds * 1000)
  const glance = opts.glance === false ? null : new Glance(accounts, { ...opts.glance, clock, fetch: opts.fetch })
  if (glance) {
    accounts.decorate((did) => glance.view(did))
    glance.start()
  }
  const proxy = await ProxyService.open({
    dataDir: opts.dataDir,
    cipher: opts.cipher,
    accounts,
    clock,
    onRefused: opts.onProxyRefused,
  })
  settings.on((s) => (guard.clearAfterMs = s.clipboardClearSeconds * 1000))
  // Browser mode has no OS languages: the window's own (navigator.languages) stand in.
  let windowLanguages: readonly string[] = []
  const language = () => resolveLanguage(settings.get().language, opts.systemLanguages?.() ?? windowLanguages)
  const notices = new Notifier(accounts, () => settings.get(), { clock, language })
  const state = () => windowState(accounts.state(), settings, proxy, opts.systemLanguages?.())
  const events = new CoreEvents(accounts, state, (payload) => forWindow(payload, language(), clock.now()))
  settings.on(() => events.stateChanged())
  proxy.onChange((status) => events.proxyChanged(status))
  const updates = new UpdateService(opts.updater ?? null, {
    clock,
    accounts: { idle: () => accounts.idle(), busy: () => accounts.sequencer.anyBusy() },
    unavailable: opts.updatesUnavailable,
  })
  updates.onChange((s) => events.updateChanged(s))
  updates.start()
  return {
    accounts,
    vault,
    events,
    proxy,
    settings,
    state,
    glance,
    updates,
    notices,
    language,
    dispatch: createDispatcher(accounts, guard, events, proxy, {
      settings,
      glance: glance ?? undefined,
      updates,
      language,
      setWindowLanguages: (languages) => {
        if (languages.join() === windowLanguages.join()) return
        windowLanguages = [...languages]
        events.stateChanged()
      },
    }),
    async stop() {
      updates.stop()
      glance?.stop()
      notices.stop()
      events.stop()
      await proxy.close()
      accounts.stop()
      // Let an operation in flight save what it got; a server that hangs must not hold up quitting.
      await Promise.race([accounts.idle(), new Promise((r) => setTimeout(r, 3_000).unref())])
      await vault.flush()
    },
  }
}
