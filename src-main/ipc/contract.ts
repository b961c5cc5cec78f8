/**
 * The one contract between main and the renderer: the types it speaks in,
 * every call (from the table in ./calls, re-exported here as types only) and
 * every event main pushes. Imported by main, preload, the browser-mode bridge
 * and the renderer; it must stay free of Node and Electron imports, and of
 * any value import of ./calls (which loads zod).
 */
import type { LanguageSetting } from './languages'
import type { CallName, CallRequests, CallResults } from './calls'
export type { CallName, CallRequests, CallResults, ParsedRequests } from './calls'

export const HOSTING_STATUSES = ['active', 'takendown', 'suspended', 'deactivated'] as const
export type HostingStatus = (typeof HOSTING_STATUSES)[number]

export const SESSION_STATES = ['signed-in', 'refreshing', 'signed-out', 'rate-limited', 'offline'] as const
export type SessionState = (typeof SESSION_STATES)[number]

/** Which kind of token the account holds, from the access token's scope. */
export type TokenScope = 'full' | 'app-password' | 'takendown' | 'unknown'

/** What a message is made of besides its words: names, counts, lists (main's catalogs fill them in). */
export type MessageParams = Record<string, string | number | string[]>

export interface ErrorInfo {
  code: ErrorCode
  /** Said in the window's language when main sends it to the window; English everywhere else. */
  message: string
  /** For RateLimited: epoch ms when the server accepts requests again. */
  retryAt?: number
  /** The message's key in main's catalogs, and what fills it in (main localizes on the way to the window). */
  key?: string
  params?: MessageParams
}

/**
 * What the AppView says about an account, apart from its PDS's hosting
 * status: an Ozone takedown hides it from the network while its PDS still
 * hosts it; labels such as !hide or !warn are put on the account itself.
 */
export interface AppViewStanding {
  status: 'ok' | 'takendown'
  labels: string[]
}

/** What the renderer may know about an account: never a refresh token. */
export interface AccountView {
  did: string
  handle: string
  /** The service the user signed in at (an entryway or the PDS itself). */
  service: string
  /** Where the account's calls go: the #atproto_pds of its DID document. */
  pdsUrl: string
  email?: string
  emailConfirmed?: boolean
  hosting: HostingStatus
  session: SessionState
  scope: TokenScope
  displayName?: string
  avatar?: string
  accessExpiresAt?: number
  refreshExpiresAt?: number
  lastRefreshAt?: number
  lastCheckedAt?: number
  /** Epoch ms when a rate limit lifts (session === 'rate-limited'). */
  retryAt?: number
  lastError?: ErrorInfo
  /** What the last check proved (see CheckedWith). */
  lastCheckedWith?: CheckedWith
  /** Unread notifications, from the AppView through the account's own PDS (memory only). */
  unread?: number
  /** The AppView's moderation of the account (memory only). */
  appview?: AppViewStanding
  /** How the account signs in; absent means a password or app password. */
  auth?: AuthKind
}

/** Password (or app password) sessions, or atproto OAuth (DPoP-bound tokens). */
export type AuthKind = 'password' | 'oauth'

/**
 * What a check proved: `refresh` rotated the refresh token (so the session
 * is alive at the server); `repo-status` read the public hosting status
 * (a takendown-scope session, which cannot refresh).
 */
export type CheckedWith = 'refresh' | 'repo-status'

export type StorageBackend = 'keychain' | 'basic_text' | 'key-file' | 'unavailable'
export type TokenPersistence = 'disk' | 'memory'

export interface StorageInfo {
  backend: StorageBackend
  /** A human name for the backend (gnome_libsecret, Keychain, ...). */
  backendName: string
  weak: boolean
  persistence: TokenPersistence
  /** Set once the user chose between disk and memory on weak storage. */
  persistenceChosen: boolean
}

export type AppNoticeKind = 'vault-recovered' | 'backend-changed' | 'vault-unwritable' | 'other'
export interface AppNotice {
  id: string
  kind: AppNoticeKind
  message: string
  /** As in ErrorInfo: the message's key in main's catalogs (under `notices.`) and its parameters. */
  key?: string
  params?: MessageParams
}

/** What the Settings view changes; kept in the vault's metadata. */
export interface AppSettings {
  /** Seconds after which a copied secret is cleared from the clipboard (0: never). */
  clipboardClearSeconds: number
  /** Closing the window keeps Skyswitch in the tray (Linux, Windows). */
  closeToTray: boolean
  /** Start hidden in the tray when the user logs in. */
  startAtLogin: boolean
  /** OS notifications about accounts (signed out, taken down, ...): the global switch. */
  notifications: boolean
  /** Accounts (DIDs) that never notify. */
  mutedDids: string[]
  /** Accounts (DIDs) that also notify when their Bluesky unread count rises (off by default). */
  unreadDids: string[]
  /** The app's language: the system's (the first it speaks) or one chosen here. */
  language: LanguageSetting
}

export interface AppState {
  accounts: AccountView[]
  activeDid: string | null
  storage: StorageInfo
  notices: AppNotice[]
  online: boolean
  /** The clipboard auto-clear delay, shown next to copy buttons. */
  clipboardClearSeconds: number
  mode: 'electron' | 'browser'
  /** Prefilled in the login form's hosting-provider field. */
  defaultService: string
  /** Present in app:getState and in the state the app sends when settings change. */
  settings?: AppSettings
  /** Started by `npm run demo`: demo accounts on a local test network, a throwaway data directory. */
  demo?: boolean
  /** The local proxy for tools: in every state main sends the window (then proxy:changed events). */
  proxy?: ProxyStatus
  /** The operating system's preferred languages (Electron); browser mode uses the browser's own. */
  systemLanguages?: string[]
}

/**
 * Orders what main sends the renderer: every event and every getState reply
 * carries one run-wide counter, so an older snapshot never replaces a newer one.
 */
export interface Revisioned {
  revision: number
}

export const ERROR_CODES = [
  'BadRequest',
  'NotFound',
  'AuthenticationRequired',
  'AuthFactorTokenRequired',
  'AccountTakedown',
  'SignedOut',
  'RateLimited',
  'Offline',
  'MalformedResponse',
  'ServerRefused',
  'ResolutionFailed',
  'NotAllowed',
  'StorageError',
  'Cancelled',
  'Internal',
  'SignInTimedOut',
  'TokenBound',
  /** An operation on an account took longer than its deadline; the account's queue moved on. */
  'TimedOut',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export type LoginRequest = CallRequests['accounts:login']
export type OAuthBeginRequest = CallRequests['accounts:oauthBegin']

export interface OAuthBegun {
  attemptId: string
  /** The provider's sign-in page; the renderer opens it when main did not (`opened`). */
  url: string
  opened: boolean
}

export const COPY_KINDS = ['accessToken', 'did', 'handle', 'pdsUrl', 'env', 'authHeader'] as const
export type CopyKind = (typeof COPY_KINDS)[number]

/** The local XRPC proxy for tools, as the UI and the CLI see it. */
export interface ProxyStatus {
  running: boolean
  /** Remembered across restarts: the proxy starts with the app unless stopped. */
  enabled: boolean
  url: string | null
}

/** What the tools panel copies (in main): the proxy's address, an account's local key, exec lines. */
export const TOOL_COPY_KINDS = ['proxyUrl', 'proxyKey', 'execLine', 'proxyExecLine'] as const
export type ToolCopyKind = (typeof TOOL_COPY_KINDS)[number]

export interface CheckAllResult {
  did: string
  handle: string
  ok: boolean
  error?: ErrorInfo
  /** What was checked; absent when the check failed before reaching the server. */
  checked?: CheckedWith
}

export interface CopyResult {
  /** Epoch ms at which the clipboard is cleared if it still holds the copy. */
  clearsAt: number | null
}

/** Why an update could not be checked, downloaded or installed: each has its own message. */
export const UPDATE_ERROR_CODES = ['Offline', 'FeedMalformed', 'ChecksumMismatch', 'InstallFailed', 'Failed'] as const
export type UpdateErrorCode = (typeof UPDATE_ERROR_CODES)[number]
export interface UpdateError {
  code: UpdateErrorCode
  message: string
}

/**
 * Where the app's own updates stand. `unavailable`: this build has no update
 * feed, or this install is updated by its package (a .deb), so nothing is ever
 * requested. `ready`: downloaded and its sha512 verified; "Restart to update"
 * is offered. `restarting`: waiting for account operations under way to finish.
 */
export type UpdateState =
  | { status: 'unavailable'; reason: 'no-feed' | 'package' }
  | { status: 'idle'; checkedAt?: number; error?: UpdateError }
  | { status: 'checking' }
  | { status: 'downloading'; version: string }
  | { status: 'ready'; version: string }
  | { status: 'restarting'; version: string }

export type CallRequest<N extends CallName> = CallRequests[N]
export type CallResult<N extends CallName> = CallResults[N]

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** Events main pushes; the renderer never polls. */
export interface EventPayloads {
  /** The whole state: sent on any change to the list, order, storage or notices. */
  'state:changed': AppState & Revisioned
  /** One account changed (a refresh, a status): cheaper than the whole state. */
  'account:changed': AccountView & Revisioned
  /** The local proxy started or stopped (from the UI, the CLI, or on its own). */
  'proxy:changed': ProxyStatus & Revisioned
  /** The app's own update: found, downloaded and verified, failed, or waiting to restart. */
  'update:changed': UpdateState & Revisioned
  /** The app menu's Settings item: show the Settings view. */
  'settings:open': null
  /** A notification about this account was clicked: show its details. */
  'account:open': { did: string }
}
export type EventName = keyof EventPayloads

/** The single IPC channel names used by the Electron preload. */
export const IPC_INVOKE_CHANNEL = 'skyswitch:invoke'
export const IPC_EVENT_CHANNEL = 'skyswitch:event'

/** The API object the preload (or the browser-mode bridge client) exposes. */
export interface SkyswitchApi {
  invoke<N extends CallName>(name: N, request?: CallRequest<N>): Promise<Envelope<CallResult<N>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void
}

declare global {
  interface Window {
    skyswitch?: SkyswitchApi
  }
}
