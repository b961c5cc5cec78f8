import type { AppState } from '../ipc/contract'
import { AccountService } from './accounts'
import type { TokenCipher } from './vault/cipher'
import { type Clipboard, ClipboardGuard } from './tools/clipboard-guard'
import { type Clock, systemClock } from './refresh/clock'
import { createDispatcher, type Dispatch } from './dispatcher'
import { IdentityResolver } from './session/identity'
import type { SchedulerOptions } from './refresh/scheduler'
import { SessionClient } from './session/session-client'
import { DEFAULT_SERVICE, normalizeService } from './session/service-url'
import { type OpenStore, Vault } from './vault/vault'
import { OAuthSessions, type OAuthSessionsOptions } from './oauth/oauth-sessions'
import { builtInClientId } from './oauth/client-config'

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
  /** OAuth: a production client_id (https URL to its metadata); absent: the loopback development client. */
  oauthClientId?: string
  /** Opens an OAuth authorization page in the system browser (Electron: shell.openExternal). */
  openExternal?: (url: string) => void | Promise<void>
  oauth?: Pick<OAuthSessionsOptions, 'signInTimeoutMs' | 'dpopNonceCache'>
}

export interface Core {
  accounts: AccountService
  vault: Vault
  dispatch: Dispatch
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
  const clearSeconds = opts.clipboardClearSeconds ?? 60
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
    oauth,
  })
  const guard = new ClipboardGuard(opts.clipboard, clock, clearSeconds * 1000)
  return {
    accounts,
    vault,
    dispatch: createDispatcher(accounts, guard),
    async stop() {
      accounts.stop()
      await vault.flush()
    },
  }
}
