/**
 * What an account's view means for the person who owns it, as conditions
 * that hold or not at a moment: signed out by its server, a hosting status
 * other than active, an OAuth session whose fixed end is near, refreshes
 * failing for a long time. Pure: the notifier turns conditions that start
 * holding into notices, the tray marks the accounts where any holds.
 */
import type { AccountView, HostingStatus } from '../../ipc/contract'

export const HOUR_MS = 60 * 60 * 1000
/** An OAuth session this close to its fixed end is announced ("sign in again before ..."). */
export const OAUTH_NOTICE_MS = 24 * HOUR_MS
/** No successful refresh for this long, while calls fail: announced. */
export const STALE_MS = 12 * HOUR_MS
/** A rate limit that lifts this far ahead marks the account in the tray. */
export const LONG_RATE_LIMIT_MS = HOUR_MS

export type DownStatus = Exclude<HostingStatus, 'active'>
export type ConditionKind = 'signed-out' | DownStatus | 'oauth-ending' | 'stale'

/** Conditions that hold for an account now, each with the value it reached (part of its dedupe key). */
export type Conditions = Map<ConditionKind, string>

export const isDown = (h: HostingStatus): h is DownStatus => h !== 'active'

/** Calls are failing: the last one did not reach or was refused, and the session is still held. */
function failing(v: AccountView): boolean {
  return v.session === 'offline' || v.session === 'rate-limited' || (v.session === 'signed-in' && !!v.lastError)
}

export function isStale(v: AccountView, now: number): boolean {
  return (
    v.hosting === 'active' &&
    v.scope !== 'takendown' &&
    v.lastRefreshAt !== undefined &&
    now - v.lastRefreshAt >= STALE_MS &&
    failing(v)
  )
}

/** Within a day of the end that no refresh moves (public OAuth clients), and not past it. */
export function oauthEnding(v: AccountView, now: number): boolean {
  const end = v.refreshExpiresAt
  return (
    v.auth === 'oauth' && v.session !== 'signed-out' && end !== undefined && end > now && end - now <= OAUTH_NOTICE_MS
  )
}

/**
 * The conditions that hold. `refreshing` says nothing new (a call is under
 * way): callers keep what held before it. Signed out counts only when the
 * server refused the session (the user's own sign-out records no error).
 */
export function conditionsOf(v: AccountView, now: number): Conditions {
  const c: Conditions = new Map()
  if (isDown(v.hosting)) c.set(v.hosting, v.hosting)
  else if (v.session === 'signed-out' && v.lastError?.code === 'SignedOut') c.set('signed-out', 'signed-out')
  if (oauthEnding(v, now)) c.set('oauth-ending', String(v.refreshExpiresAt))
  if (isStale(v, now)) c.set('stale', String(v.lastRefreshAt))
  return c
}

/** When a time-based condition next starts or stops holding, if it can without a new view. */
export function nextChangeAt(v: AccountView, now: number): number | undefined {
  const times: number[] = []
  const end = v.refreshExpiresAt
  if (v.auth === 'oauth' && end !== undefined) times.push(end - OAUTH_NOTICE_MS, end)
  if (v.lastRefreshAt !== undefined && failing(v)) times.push(v.lastRefreshAt + STALE_MS)
  if (v.session === 'rate-limited' && v.retryAt !== undefined) times.push(v.retryAt - LONG_RATE_LIMIT_MS)
  const future = times.filter((t) => t > now)
  return future.length > 0 ? Math.min(...future) : undefined
}

export type AttentionKind = DownStatus | 'signed-out' | 'rate-limited' | 'stale' | 'oauth-ending'

/** Why the tray marks an account, or null: anything the user has to act on or should know is wrong. */
export function attentionOf(v: AccountView, now: number): AttentionKind | null {
  if (isDown(v.hosting)) return v.hosting
  if (v.session === 'signed-out') return 'signed-out'
  if (v.session === 'rate-limited' && v.retryAt !== undefined && v.retryAt - now >= LONG_RATE_LIMIT_MS) {
    return 'rate-limited'
  }
  if (isStale(v, now)) return 'stale'
  if (oauthEnding(v, now)) return 'oauth-ending'
  return null
}

export type StandingKind = DownStatus | 'hidden' | 'signed-out' | 'offline' | 'rate-limited' | 'refreshing' | 'active'

/** The account's standing, as the window's badge says it (the shell puts it in words). */
export function standingOf(v: AccountView): StandingKind {
  if (isDown(v.hosting)) return v.hosting
  if (v.appview?.status === 'takendown') return 'hidden'
  return v.session === 'signed-in' ? 'active' : v.session
}
