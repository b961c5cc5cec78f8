import { describe, expect, it } from 'vitest'
import { ERROR_CODES, HOSTING_STATUSES, SESSION_STATES, type TokenScope } from '../../src-main/ipc/contract'
import {
  classify,
  type Decision,
  decide,
  ERROR_CLASSES,
  type ErrorClass,
  type AccountState,
  type TokenUsed,
} from '../../src-main/core/accounts/state-machine'

type Expect = 'unchanged' | Partial<Pick<Decision, 'session' | 'hosting' | 'tokens' | 'schedule' | 'refreshThenRetry'>>

const SIGNED_OUT = { session: 'signed-out', tokens: 'drop', schedule: 'stop' } as const
const TAKEDOWN = { ...SIGNED_OUT, hosting: 'takendown' } as const
const KEEP_BACKOFF = { tokens: 'keep', schedule: 'backoff' } as const

/** The state machine's table (docs/ARCHITECTURE.md), row by row: what each error means for each kind of token. */
const TABLE: Record<Exclude<TokenUsed, 'none'>, Record<ErrorClass, Expect>> = {
  refresh: {
    'token-rejected': SIGNED_OUT,
    takedown: TAKEDOWN,
    'rate-limited': { session: 'rate-limited', tokens: 'keep', schedule: 'wait' },
    offline: { session: 'offline', ...KEEP_BACKOFF },
    'unknown-user': KEEP_BACKOFF,
    'wrong-credentials': KEEP_BACKOFF,
    'second-factor': KEEP_BACKOFF,
    refused: KEEP_BACKOFF,
    malformed: KEEP_BACKOFF,
    cancelled: 'unchanged',
    internal: KEEP_BACKOFF,
  },
  access: {
    'token-rejected': { tokens: 'keep', refreshThenRetry: true },
    takedown: TAKEDOWN,
    'rate-limited': 'unchanged',
    offline: { session: 'offline', ...KEEP_BACKOFF },
    'unknown-user': { tokens: 'keep', refreshThenRetry: true },
    'wrong-credentials': 'unchanged',
    'second-factor': 'unchanged',
    refused: 'unchanged',
    malformed: 'unchanged',
    cancelled: 'unchanged',
    internal: 'unchanged',
  },
  login: {
    'token-rejected': 'unchanged',
    takedown: TAKEDOWN,
    'rate-limited': 'unchanged',
    offline: 'unchanged',
    'unknown-user': 'unchanged',
    'wrong-credentials': 'unchanged',
    'second-factor': 'unchanged',
    refused: 'unchanged',
    malformed: 'unchanged',
    cancelled: 'unchanged',
    internal: 'unchanged',
  },
}

const SCOPES: TokenScope[] = ['full', 'app-password', 'takendown', 'unknown']
const STATES: AccountState[] = SESSION_STATES.flatMap((session) =>
  HOSTING_STATUSES.flatMap((hosting) => SCOPES.map((scope) => ({ session, hosting, scope }))),
)
const settled = (s: AccountState) => (s.session === 'refreshing' ? 'signed-in' : s.session)

describe('session policy: every state x every error class x every token', () => {
  for (const used of ['refresh', 'access', 'login'] as const) {
    for (const error of ERROR_CLASSES) {
      it(`${used} / ${error}`, () => {
        for (const state of STATES) {
          const d = decide(state, { kind: 'error', error, retryAt: 123 }, used)
          let want = TABLE[used][error]
          // The narrow takendown token is refused by design and cannot refresh: no retry.
          if (want !== 'unchanged' && want.refreshThenRetry && state.scope === 'takendown') {
            want = { tokens: 'keep', refreshThenRetry: false }
          }
          if (want === 'unchanged') {
            expect(d).toMatchObject({ session: settled(state), hosting: state.hosting, tokens: 'keep' })
            expect(d.refreshThenRetry).toBe(false)
          } else {
            expect(d).toMatchObject({ session: settled(state), hosting: state.hosting, ...want })
          }
          if (d.schedule === 'wait') expect(d.retryAt).toBe(123)
        }
      })
    }
  }

  it('public calls (hosting status) never change the session, only the hosting', () => {
    for (const state of STATES) {
      for (const error of ERROR_CLASSES) {
        expect(decide(state, { kind: 'error', error }, 'none')).toMatchObject({
          session: settled(state),
          hosting: state.hosting,
          tokens: 'keep',
          schedule: 'unchanged',
        })
      }
      for (const hosting of HOSTING_STATUSES) {
        expect(decide(state, { kind: 'reply', hosting }, 'none')).toMatchObject({
          session: settled(state),
          hosting,
          tokens: 'keep',
        })
      }
    }
  })

  it('replies: a login or refresh signs in with the new tokens; an access call keeps them', () => {
    for (const state of STATES) {
      for (const hosting of HOSTING_STATUSES) {
        expect(decide(state, { kind: 'reply', hosting }, 'login')).toMatchObject({
          session: 'signed-in',
          hosting,
          tokens: 'replace',
          schedule: 'from-token',
        })
        expect(decide(state, { kind: 'reply', hosting }, 'refresh')).toMatchObject({
          session: 'signed-in',
          hosting,
          tokens: 'replace',
          schedule: state.scope === 'takendown' ? 'stop' : 'from-token',
        })
        expect(decide(state, { kind: 'reply' }, 'access')).toMatchObject({
          session: 'signed-in',
          hosting: state.hosting,
          tokens: 'keep',
        })
      }
    }
  })

  it('only ExpiredToken/InvalidToken on a refresh, or AccountTakedown, ever drop tokens', () => {
    for (const state of STATES) {
      for (const used of ['refresh', 'access', 'login', 'none'] as const) {
        for (const error of ERROR_CLASSES) {
          const d = decide(state, { kind: 'error', error }, used)
          const may = error === 'takedown' ? used !== 'none' : error === 'token-rejected' && used === 'refresh'
          expect(d.tokens === 'drop').toBe(may)
          // Access-token errors never sign an account out.
          if (used === 'access' && error !== 'takedown' && state.session !== 'signed-out') {
            expect(d.session).not.toBe('signed-out')
          }
        }
      }
    }
  })

  it('revocation is part of the decision: every token the app stops using is revoked', () => {
    const base: AccountState = { session: 'signed-in', hosting: 'active', scope: 'full' }
    // A rotation revokes the password token it replaced (once saved); OAuth servers end replays themselves.
    expect(decide(base, { kind: 'reply' }, 'refresh')).toMatchObject({ tokens: 'replace', revoke: 'replaced' })
    expect(decide({ ...base, auth: 'oauth' }, { kind: 'reply' }, 'refresh').revoke).toBe('none')
    // A new sign-in revokes the session it replaces, of either kind.
    for (const auth of ['password', 'oauth'] as const) {
      expect(decide({ ...base, auth }, { kind: 'reply' }, 'login').revoke).toBe('replaced')
    }
    // Signing out must reach the server; removing revokes what it can and forgets the account.
    expect(decide(base, { kind: 'ended', how: 'signed-out' }, 'none')).toMatchObject({
      session: 'signed-out',
      tokens: 'drop',
      revoke: 'chain-required',
      schedule: 'stop',
    })
    expect(decide(base, { kind: 'ended', how: 'removed' }, 'none')).toMatchObject({ tokens: 'forget', revoke: 'chain' })
    // Whenever tokens are dropped for an error, the rest of their chain is revoked too.
    for (const used of ['refresh', 'access', 'login'] as const) {
      for (const error of ERROR_CLASSES) {
        const d = decide(base, { kind: 'error', error }, used)
        expect(d.tokens === 'drop' ? d.revoke : 'chain').toBe('chain')
      }
    }
    // A call under way shows as refreshing and changes nothing else.
    expect(decide(base, { kind: 'began' }, 'none')).toMatchObject({
      session: 'refreshing',
      tokens: 'keep',
      revoke: 'none',
    })
  })

  it('classifies every error code the core raises', () => {
    for (const code of ERROR_CODES) expect(ERROR_CLASSES).toContain(classify(code))
    expect(classify('SignedOut')).toBe('token-rejected')
    expect(classify('ServerRefused', 'x refused the request: Could not find user info for account: did:plc:x')).toBe(
      'unknown-user',
    )
    expect(classify('ServerRefused', 'x refused the request.')).toBe('refused')
  })
})
