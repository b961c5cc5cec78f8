import type { ErrorCode, HostingStatus, SessionState, TokenScope } from '../../ipc/contract'

/**
 * The one home of the error -> state table (DESIGN.md, "Error -> what the
 * user sees"). Pure: (current state, reply or error, which token was used)
 * -> (next state, effects). Account code applies the decision; it never
 * decides on its own what an error means.
 */

/** Which credential the call presented: none (public calls), the access token, the refresh token, or a password. */
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

export interface PolicyState {
  session: SessionState
  hosting: HostingStatus
  scope: TokenScope
}

export type Outcome =
  { kind: 'reply'; hosting?: HostingStatus } | { kind: 'error'; error: ErrorClass; retryAt?: number }

export type Banner = 'takendown' | 'suspended' | 'deactivated' | 'signed-out' | 'rate-limited' | 'offline' | null

export interface Decision {
  session: SessionState
  hosting: HostingStatus
  /** keep what is held, drop it (and revoke it), or take the reply's new tokens. */
  tokens: 'keep' | 'drop' | 'replace'
  /** from-token: due again a lead before the new expiry; wait: not before retryAt; stop: nothing to refresh. */
  schedule: 'unchanged' | 'from-token' | 'backoff' | 'wait' | 'stop'
  retryAt?: number
  /** Access-token errors: refresh once, then retry the call once. Never a sign-out. */
  refreshThenRetry: boolean
  /** Whether the error is worth showing on the account (login errors go to the form). */
  recordError: boolean
  banner: Banner
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

export function decide(current: PolicyState, outcome: Outcome, used: TokenUsed): Decision {
  // "refreshing" is shown while a call runs; decisions start from the state before it.
  const before: PolicyState = { ...current, session: current.session === 'refreshing' ? 'signed-in' : current.session }
  const base: Decision = {
    session: before.session,
    hosting: before.hosting,
    tokens: 'keep',
    schedule: 'unchanged',
    refreshThenRetry: false,
    recordError: false,
    banner: null,
  }
  const done = (d: Partial<Decision>): Decision => {
    const next = { ...base, ...d }
    return { ...next, banner: bannerFor(next) }
  }

  if (outcome.kind === 'reply') {
    const hosting = outcome.hosting ?? before.hosting
    switch (used) {
      case 'login':
      case 'refresh':
        return done({
          session: 'signed-in',
          hosting,
          tokens: 'replace',
          // A takendown-scope token cannot refresh: nothing to schedule.
          schedule: before.scope === 'takendown' && used === 'refresh' ? 'stop' : 'from-token',
        })
      case 'access':
        return done({ session: 'signed-in', hosting })
      case 'none':
        return done({ hosting })
    }
  }

  const error = outcome.error
  // A failed login never touches the session the account already holds,
  // except for what only the server can say: the account is taken down.
  if (used === 'login') {
    return error === 'takedown'
      ? done({ session: 'signed-out', hosting: 'takendown', tokens: 'drop', schedule: 'stop' })
      : done({})
  }
  // Public calls (hosting status) say nothing about the session.
  if (used === 'none') return done({})

  switch (error) {
    case 'token-rejected':
      if (used === 'refresh')
        return done({ session: 'signed-out', tokens: 'drop', schedule: 'stop', recordError: true })
      // An access token the server calls expired or invalid: the refresh token may well be alive.
      // The narrow takendown token is refused by design and cannot refresh.
      return done({ refreshThenRetry: before.scope !== 'takendown', recordError: before.scope !== 'takendown' })
    case 'takedown':
      return done({ session: 'signed-out', hosting: 'takendown', tokens: 'drop', schedule: 'stop', recordError: true })
    case 'unknown-user':
      // Only a refresh tells whether the account was taken down.
      return used === 'access' && before.scope !== 'takendown'
        ? done({ refreshThenRetry: true })
        : done({ recordError: true, schedule: used === 'refresh' ? 'backoff' : 'unchanged' })
    case 'rate-limited':
      return used === 'refresh'
        ? done({ session: 'rate-limited', schedule: 'wait', retryAt: outcome.retryAt, recordError: true })
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

function bannerFor(d: Pick<Decision, 'session' | 'hosting'>): Banner {
  if (d.hosting !== 'active') return d.hosting
  switch (d.session) {
    case 'signed-out':
    case 'rate-limited':
    case 'offline':
      return d.session
    default:
      return null
  }
}
