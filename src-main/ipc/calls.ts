/**
 * Every call the renderer can make, in one table: its name, the schema main
 * checks its request against, and its result type. The request and result
 * types (./contract re-exports them) are derived from this table, so nothing
 * is kept in step by hand. Loads zod: main imports it; the renderer and
 * preload may only `import type` from it (so zod never reaches their bundles).
 */
import { LANGUAGE_SETTINGS } from './languages'
import { z } from 'zod'
import {
  type AccountView,
  type AppSettings,
  type AppState,
  type CheckAllResult,
  COPY_KINDS,
  type CopyResult,
  type OAuthBegun,
  type ProxyStatus,
  type Revisioned,
  type StorageInfo,
  TOOL_COPY_KINDS,
  type UpdateState,
} from './contract'

declare const result: unique symbol
/** A call's result type, carried by the table's type only: nothing of it exists at run time. */
export interface Returns<T> {
  readonly [result]: T
}
const MARK = Object.freeze({})
function returns<T>(): Returns<T> {
  return MARK as Returns<T>
}

const did = z
  .string()
  .min(8)
  .max(2048)
  .regex(/^did:[a-z]+:[a-zA-Z0-9._:%-]+$/, 'must be a DID')
const service = z.string().trim().min(1).max(2048)
const byDid = z.strictObject({ did })
/** No request at all (or an empty object). */
const none = z.strictObject({}).optional()

const loginRequest = z.strictObject({
  identifier: z.string().trim().min(1).max(2048),
  password: z.string().min(1).max(4096),
  service: service.optional(),
  authFactorToken: z.string().trim().min(1).max(256).optional(),
  allowTakendown: z.boolean().optional(),
})

const oauthBeginRequest = z.strictObject({
  /** A handle, a DID or a provider URL; empty: the provider in `service`. */
  identifier: z.string().trim().max(2048),
  service: service.optional(),
})

const byAttempt = z.strictObject({ attemptId: z.uuid() })

/** name -> { request schema, result type }. */
export const calls = {
  'app:getState': { request: none, result: returns<AppState & Revisioned>() },
  'accounts:login': { request: loginRequest, result: returns<AccountView>() },
  'accounts:setActive': { request: byDid, result: returns<null>() },
  'accounts:reorder': { request: z.strictObject({ dids: z.array(did).max(100_000) }), result: returns<null>() },
  'accounts:check': { request: byDid, result: returns<AccountView>() },
  'accounts:checkAll': { request: none, result: returns<CheckAllResult[]>() },
  'accounts:refresh': { request: byDid, result: returns<AccountView>() },
  'accounts:signOut': { request: byDid, result: returns<AccountView>() },
  'accounts:remove': { request: byDid, result: returns<null>() },
  'accounts:activate': { request: byDid, result: returns<AccountView>() },
  'accounts:retry': { request: byDid, result: returns<AccountView>() },
  'tokens:copy': { request: z.strictObject({ did, kind: z.enum(COPY_KINDS) }), result: returns<CopyResult>() },
  'tokens:revealAccess': { request: byDid, result: returns<{ accessJwt: string; expiresAt: number | null }>() },
  'storage:choosePersistence': {
    request: z.strictObject({ persistence: z.enum(['disk', 'memory']) }),
    result: returns<StorageInfo>(),
  },
  'notices:dismiss': { request: z.strictObject({ id: z.string().min(1).max(200) }), result: returns<null>() },
  'proxy:status': { request: none, result: returns<ProxyStatus>() },
  'proxy:setRunning': { request: z.strictObject({ running: z.boolean() }), result: returns<ProxyStatus>() },
  'tools:copy': { request: z.strictObject({ did, kind: z.enum(TOOL_COPY_KINDS) }), result: returns<CopyResult>() },
  'settings:get': { request: none, result: returns<AppSettings>() },
  'settings:set': {
    request: z.strictObject({
      clipboardClearSeconds: z.number().int().min(0).max(3600).optional(),
      closeToTray: z.boolean().optional(),
      startAtLogin: z.boolean().optional(),
      notifications: z.boolean().optional(),
      language: z.enum(LANGUAGE_SETTINGS).optional(),
    }),
    result: returns<AppSettings>(),
  },
  /** One account's notifications: muted, and whether a rise in its unread count is told. */
  'notices:setAccount': {
    request: z.strictObject({ did, muted: z.boolean().optional(), unread: z.boolean().optional() }),
    result: returns<AppSettings>(),
  },
  /** The window's preferred languages (navigator.languages): main's messages follow them where the OS gives none. */
  'app:windowLanguages': {
    request: z.strictObject({ languages: z.array(z.string().min(1).max(35)).max(32) }),
    result: returns<null>(),
  },
  /** Whether the window is seen and focused (sets how often unread counts are read); answers what main now holds. */
  'app:attention': {
    request: z.strictObject({ visible: z.boolean(), focused: z.boolean() }),
    result: returns<{ visible: boolean; focused: boolean }>(),
  },
  'accounts:oauthBegin': { request: oauthBeginRequest, result: returns<OAuthBegun>() },
  'accounts:oauthFinish': { request: byAttempt, result: returns<AccountView>() },
  'accounts:oauthCancel': { request: byAttempt, result: returns<null>() },
  /** The app's own update, as the update:changed event says it. */
  'updates:get': { request: none, result: returns<UpdateState>() },
  /** Asks the feed now (nothing is requested where no feed is configured); answers once the check is done. */
  'updates:check': { request: none, result: returns<UpdateState>() },
  /** Restarts into the verified update once no account operation is under way. */
  'updates:restart': { request: none, result: returns<UpdateState>() },
} satisfies Record<string, { request: z.ZodType; result: Returns<unknown> }>

type Table = typeof calls
export type CallName = keyof Table
/** What a caller sends (before the schema's trims). */
export type CallRequests = { [N in CallName]: z.input<Table[N]['request']> }
/** What a handler in main receives: the request as its schema parsed it. */
export type ParsedRequests = { [N in CallName]: z.output<Table[N]['request']> }
export type CallResults = { [N in CallName]: Table[N]['result'] extends Returns<infer R> ? R : never }

/** Call N's schema, typed by its own name (for a generic N, indexing the table would give a union). */
export function requestSchema<N extends CallName>(name: N): z.ZodType<ParsedRequests[N]> {
  const schemas: { [K in CallName]: { request: z.ZodType<ParsedRequests[K]> } } = calls
  return schemas[name].request
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name)
}
