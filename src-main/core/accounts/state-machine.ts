import type { AuthKind, ErrorCode, HostingStatus, SessionState, TokenScope } from '../../ipc/contract'

/**
 * One account's state machine, the pure half: (state, what happened, which
 * credential the call used) -> a decision. `apply` (./apply.ts) carries a
 * decision out; no operation decides on its own what a reply or an error
 * means. The table is in docs/ARCHITECTURE.md ("The state machine").
 */

/** Which credential the call presented: none (public calls), the access token, the refresh token, or a password / OAuth sign-in. */
export type TokenUsed = 'none' | 'access' | 'refresh' | 'login'

export const ERROR_CLASSES = [
  'token-rejected', // ExpiredToken / InvalidToken
  'takedown', // AccountTakedown
  'rate-limited', // 429
  'offline', // network error, timeout, 5xx
  'wrong-credentials', // AuthenticationRequired at login
  'second-factor', // AuthFactorTokenRequired
  'unknown-user', // "Could not find user info": often a takedown seen through an access token
  'refused', // any other 4xx
  'malformed', // a reply we cannot read
  'cancelled',
  'internal',
] as const
export type ErrorClass = (typeof ERROR_CLASSES)[number]

export interface AccountState {
  session: SessionState
  hosting: HostingStatus
  scope: TokenScope
  /** Absent: a password (or app-password) session. */
  auth?: AuthKind
}

/** What happened to the account. */
export type SessionEvent =
  /** A call on the account began (shown as "refreshing" until its outcome is applied). */
  | { kind: 'began' }
  /** The server answered (a new session for login/refresh; a plain answer otherwise). */
  | { kind: 'reply'; hosting?: HostingStatus }
  | { kind: 'error'; error: ErrorClass; retryAt?: number }
  /** The user ended the session (sign out) or removed the account from this device. */
  | { kind: 'ended'; how: 'signed-out' | 'removed' }

export interface Decision {
  session: SessionState
  hosting: HostingStatus
  /** keep what is held, take the reply's new tokens, drop them (account kept), or forget the account. */
  tokens: 'keep' | 'replace' | 'drop' | 'forget'
  /**
   * What to revoke at the server. replaced: the tokens the new session replaced, once it is on disk.
   * chain: every token held (current and rotated-away), before forgetting them, best effort.
   * chain-required: the same, but a server that cannot be asked keeps the tokens (a sign-out to retry).
   */
  revoke: 'none' | 'replaced' | 'chain' | 'chain-required'
  /** from-token: due again a lead before the new expiry; wait: not before retryAt; stop: nothing to refresh. */
  schedule: 'unchanged' | 'from-token' | 'backoff' | 'wait' | 'stop'
  retryAt?: number
  /** Access-token errors: refresh once, then retry the call once. Never a sign-out. */
  refreshThenRetry: boolean
  /** Whether the error is worth showing on the account (login errors go to the form). */
  recordError: boolean
}

/** A SkyswitchError's code (and message, for one PDS quirk) -> its class in the table. */
export function classify(code: ErrorCode, message = ''): ErrorClass {
  switch (code) {
    case 'SignedOut':
      return 'token-rejected'
    case 'AccountTakedown':
      return 'takedown'
    case 'RateLimited':
      return 'rate-limited'
    case 'Offline':
    case 'TimedOut':
      return 'offline'
    case 'AuthenticationRequired':
      return 'wrong-credentials'
    case 'AuthFactorTokenRequired':
      return 'second-factor'
    case 'MalformedResponse':
      return 'malformed'
    case 'Cancelled':
      return 'cancelled'
    case 'ServerRefused':
      return /could not find user info/i.test(message) ? 'unknown-user' : 'refused'
    default:
      return 'internal'
  }
}

export function decide(current: AccountState, event: SessionEvent, used: TokenUsed): Decision {
  // "refreshing" is shown while a call runs; decisions start from the state before it.
  const before: AccountState = { ...current, session: current.session === 'refreshing' ? 'signed-in' : current.session }
  const base: Decision = {
    session: before.session,
    hosting: before.hosting,
    tokens: 'keep',
    revoke: 'none',
    schedule: 'unchanged',
    refreshThenRetry: false,
    recordError: false,
  }
  const done = (d: Partial<Decision>): Decision => ({ ...base, ...d })

  switch (event.kind) {
    case 'began':
      return done({ session: 'refreshing' })
    case 'ended':
      return done({
        session: 'signed-out',
        tokens: event.how === 'removed' ? 'forget' : 'drop',
        // A sign-out must not leave a live session behind: if the server cannot be asked, it is retried.
        revoke: event.how === 'removed' ? 'chain' : 'chain-required',
        schedule: 'stop',
      })
    case 'reply':
      return replied(before, event.hosting ?? before.hosting, used, done)
    case 'error':
      return failed(before, event, used, done)
  }
}

function replied(
  before: AccountState,
  hosting: HostingStatus,
  used: TokenUsed,
  done: (d: Partial<Decision>) => Decision,
): Decision {
  switch (used) {
    case 'login':
      // A new sign-in: the session held before it (of either kind) is revoked once the new one is saved.
      return done({ session: 'signed-in', hosting, tokens: 'replace', revoke: 'replaced', schedule: 'from-token' })
    case 'refresh':
      return done({
        session: 'signed-in',
        hosting,
        tokens: 'replace',
        // A rotated-away password refresh token stays usable at the PDS for 2 h: revoke it once
        // its successor is on disk. OAuth servers end a replayed refresh token themselves.
        revoke: before.auth === 'oauth' ? 'none' : 'replaced',
        // A takendown-scope token cannot refresh: nothing to schedule.
        schedule: before.scope === 'takendown' ? 'stop' : 'from-token',
      })
    case 'access':
      return done({ session: 'signed-in', hosting })
    case 'none':
      return done({ hosting })
  }
}

function failed(
  before: AccountState,
  event: Extract<SessionEvent, { kind: 'error' }>,
  used: TokenUsed,
  done: (d: Partial<Decision>) => Decision,
): Decision {
  const error = event.error
  const drop = { tokens: 'drop', revoke: 'chain', schedule: 'stop', recordError: true } as const
  // A failed login never touches the session the account already holds,
  // except for what only the server can say: the account is taken down.
  if (used === 'login') {
    return error === 'takedown' ? done({ ...drop, session: 'signed-out', hosting: 'takendown' }) : done({})
  }
  // Public calls (hosting status) say nothing about the session.
  if (used === 'none') return done({})

  switch (error) {
    case 'token-rejected':
      if (used === 'refresh') return done({ ...drop, session: 'signed-out' })
      // An access token the server calls expired or invalid: the refresh token may well be alive.
      // The narrow takendown token is refused by design and cannot refresh.
      return done({ refreshThenRetry: before.scope !== 'takendown', recordError: before.scope !== 'takendown' })
    case 'takedown':
      return done({ ...drop, session: 'signed-out', hosting: 'takendown' })
    case 'unknown-user':
      // Only a refresh tells whether the account was taken down.
      return used === 'access' && before.scope !== 'takendown'
        ? done({ refreshThenRetry: true })
        : done({ recordError: true, schedule: used === 'refresh' ? 'backoff' : 'unchanged' })
    case 'rate-limited':
      return used === 'refresh'
        ? done({ session: 'rate-limited', schedule: 'wait', retryAt: event.retryAt, recordError: true })
        : done({ recordError: true })
    case 'offline':
      return done({ session: 'offline', schedule: 'backoff', recordError: true })
    case 'cancelled':
      return done({})
    case 'wrong-credentials':
    case 'second-factor':
    case 'refused':
    case 'malformed':
    case 'internal':
      // Unrelated to the session's standing: keep whatever state it had.
      return done({ recordError: true, schedule: used === 'refresh' ? 'backoff' : 'unchanged' })
  }
}
