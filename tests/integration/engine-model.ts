/**
 * Model-based test of the session engine against the real PDS: random short
 * sequences of user operations (login, refresh, check, sign out, remove,
 * switch, token hand-out), crash-and-restart of the core, server-side events
 * (revoke, password change, takedown and its reversal, deactivation, handle
 * change) and overlapping operations (the proxy delays replies). After every
 * step the invariants are checked against the server itself.
 *
 * The core runs on a fake clock; after each server-side event 15 minutes
 * pass on it (no clicks), which is when the status watch must have noticed.
 * After a sign-out, remove or sign-in, no refresh token the app ever held
 * (but the one it holds now) may mint a session at the PDS.
 * A failure prints fast-check's seed and the shrunk sequence.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core/app-core'
import { SkyswitchError } from '../../src-main/core/errors'
import { coreAt, tempDir } from '../support/core'
import { mintsSession } from '../support/doors'
import { quiet } from '../support/drive'
import { FakeClock } from '../support/fake-clock'
import { useNetwork } from '../support/harness'
import {
  adminTakedown,
  adminUpdateHandle,
  adminUpdatePassword,
  createAccount,
  revokeElsewhere,
  type TestAccount,
  xrpc,
} from '../support/network'

const h = useNetwork()
/** Sequences per CI run in all; each of the two test files runs half, in parallel. */
const RUNS = Number(process.env.MODEL_RUNS ?? 200)
const SESSION_NSIDS = ['createSession', 'refreshSession', 'deleteSession', 'getSession'].map(
  (n) => `com.atproto.server.${n}`,
)

const USER_OPS = ['login', 'refresh', 'check', 'signOut', 'remove', 'switch', 'token', 'activate'] as const
const SERVER_EVENTS = ['revoke', 'password', 'takedown', 'untakedown', 'deactivate', 'handle'] as const
type UserOp = (typeof USER_OPS)[number]
type Step =
  | { kind: 'user'; op: UserOp; who: number }
  | { kind: 'server'; event: (typeof SERVER_EVENTS)[number]; who: number }
  | { kind: 'overlap'; ops: [UserOp, UserOp]; who: number; delayMs: number }
  | { kind: 'restart' }

const who = fc.integer({ min: 0, max: 1 })
const userOp = fc.constantFrom(...USER_OPS)
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('user' as const), op: userOp, who }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('server' as const), event: fc.constantFrom(...SERVER_EVENTS), who }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('overlap' as const),
      ops: fc.tuple(userOp, userOp),
      who,
      delayMs: fc.integer({ min: 5, max: 60 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
)

interface World {
  core: Core
  dir: string
  clock: FakeClock
  accounts: TestAccount[]
  proxyUrl: string
  /** Every refresh token the PDS issued to this run's app. */
  issued: () => string[]
  /** Tokens already seen refused: a deleted token never comes back once its predecessors are dead. */
  dead: Set<string>
}

const DOOR_OPS: UserOp[] = ['signOut', 'remove', 'login']

/** No refresh token the app ever held for account `i` mints a session, but the one it holds now. */
async function checkDoors(w: World, i: number, trace: string[]): Promise<void> {
  const a = w.accounts[i]!
  const current = w.core.vault.getTokens(a.did)?.refreshJwt
  // Oldest first: a live predecessor would bring its successor back.
  for (const [n, jwt] of w.issued().entries()) {
    if (jwt === current || w.dead.has(jwt) || decodeJwt(jwt).sub !== a.did) continue
    expect(await mintsSession(h.net.pdsUrl, jwt), `token #${n} of ${a.did} after ${trace.join(' | ')}`).toBe(false)
    w.dead.add(jwt)
  }
}

async function runUserOp(w: World, op: UserOp, i: number): Promise<void> {
  const a = w.accounts[i]!
  const acc = w.core.accounts
  const known = () => acc.findByHandleOrDid(a.did)
  switch (op) {
    case 'login':
      // By DID: a handle change must not stop a re-login (and .test names need no lookup).
      await acc.login({ identifier: a.did, password: a.password, service: w.proxyUrl })
      return
    case 'refresh':
      if (known()) await acc.refresh(a.did)
      return
    case 'check':
      if (known()) await acc.check(a.did)
      return
    case 'signOut':
      if (known()) await acc.signOut(a.did)
      return
    case 'remove':
      if (known()) await acc.remove(a.did)
      return
    case 'switch':
      if (known()) await acc.setActive(a.did)
      return
    case 'token':
      if (known()) await acc.accessToken(a.did)
      return
    case 'activate':
      if (known()) await acc.activate(a.did)
  }
}

/** Operations may fail (signed out, taken down, wrong password...), but only with a typed error. */
async function typed(p: Promise<unknown>): Promise<void> {
  try {
    await p
  } catch (err) {
    if (!(err instanceof SkyswitchError)) throw err
  }
}

async function serverEvent(w: World, event: (typeof SERVER_EVENTS)[number], i: number): Promise<void> {
  const a = w.accounts[i]!
  const tokens = w.core.vault.getTokens(a.did)
  switch (event) {
    case 'revoke':
      if (tokens) await revokeElsewhere(h.net.pdsUrl, tokens.refreshJwt).catch(() => undefined)
      break
    case 'password':
      a.password = `pw-${Math.random().toString(36).slice(2)}`
      await adminUpdatePassword(h.net, a.did, a.password)
      break
    case 'takedown':
      await adminTakedown(h.net, a.did)
      break
    case 'untakedown':
      await adminTakedown(h.net, a.did, false)
      break
    case 'deactivate':
      await h.net.deactivateAccount(a.did).catch(() => undefined)
      break
    case 'handle': {
      const handle = `m${Math.random().toString(36).slice(2, 10)}.test`
      // The PDS refuses to rename a taken-down account; then nothing changed.
      const renamed = await adminUpdateHandle(h.net, a.did, handle).then(
        () => true,
        () => false,
      )
      if (renamed) a.handle = handle
    }
  }
  // No clicks: 15 minutes pass on the core's clock.
  for (let k = 0; k < 3; k++) {
    await w.clock.advance(5 * 60_000)
    await quiet(w.core)
  }
}

async function serverStatus(did: string): Promise<string> {
  const s = (await xrpc(h.net.pdsUrl, 'com.atproto.sync.getRepoStatus', { params: { did } })) as {
    active: boolean
    status?: string
  }
  return s.active ? 'active' : (s.status ?? 'deactivated')
}

async function accessAccepted(accessJwt: string): Promise<boolean> {
  try {
    await xrpc(h.net.pdsUrl, 'com.atproto.server.getSession', { auth: `Bearer ${accessJwt}`, method: 'GET' })
    return true
  } catch {
    return false
  }
}

async function checkInvariants(w: World, trace: string[]): Promise<void> {
  await w.core.accounts.idle()
  await quiet(w.core)
  const file = JSON.parse(readFileSync(join(w.dir, 'vault.json'), 'utf8')) as {
    accounts: Record<string, { sealedTokens?: string }>
  }
  const facts = await Promise.all(
    w.accounts.map(async (a) => {
      const tokens = w.core.vault.getTokens(a.did)
      const [live, hosting, accepted] = await Promise.all([
        h.net.liveSessions(a.did),
        serverStatus(a.did),
        tokens ? accessAccepted(tokens.accessJwt) : false,
      ])
      return { a, tokens, live, hosting, accepted }
    }),
  )
  for (const { a, tokens, live, hosting, accepted } of facts) {
    const where = `${a.did} after ${trace.join(' | ')}`
    const view = w.core.accounts.findByHandleOrDid(a.did)
    // At most one live refresh chain per account.
    expect(live, `live sessions of ${where}`).toBeLessThanOrEqual(1)
    // A taken-down account's sessions cannot be revoked, nor used.
    const deadOrUnusable = live === 0 || hosting === 'takendown'
    if (!view) {
      expect(tokens, `tokens of removed ${where}`).toBeUndefined()
      expect(file.accounts[a.did], `disk entry of removed ${where}`).toBeUndefined()
      expect(deadOrUnusable, `session of removed ${where}`).toBe(true)
      continue
    }
    expect(view.hosting, `status shown for ${where}`).toBe(hosting)
    expect(view.session, `settled session of ${where}`).not.toBe('refreshing')
    if (view.session === 'signed-out') {
      expect(tokens, `tokens in memory of signed-out ${where}`).toBeUndefined()
      expect(file.accounts[a.did]?.sealedTokens, `tokens on disk of signed-out ${where}`).toBeUndefined()
      expect(deadOrUnusable, `session of signed-out ${where}`).toBe(true)
    } else {
      expect(tokens, `tokens of signed-in ${where}`).toBeDefined()
      expect(file.accounts[a.did]?.sealedTokens, `tokens on disk of signed-in ${where}`).toBeDefined()
      expect(accepted, `access token of signed-in ${where}`).toBe(true)
    }
  }
  expect(w.core.accounts.sequencer.peakPerKey).toBeLessThanOrEqual(1)
}

/**
 * A core that starts with one account signed in, as after a restart: the
 * session is issued by the PDS and saved the way a login saves it (a login
 * costs ~0.4 s of password hashing on the PDS; logins are steps of their own).
 */
async function seeded(dir: string, clock: FakeClock, a: TestAccount, proxyUrl: string, seed: string[]) {
  const first = await coreAt(dir, { plcUrl: h.net.plcUrl, defaultService: h.net.pdsUrl, clock })
  const now = clock.now()
  const session = await h.net.issueSession(a.did)
  seed.push(session.refreshJwt)
  await first.vault.saveAccount(
    {
      did: a.did,
      handle: a.handle,
      service: proxyUrl,
      pdsUrl: proxyUrl,
      hosting: 'active',
      signedIn: true,
      scope: 'full',
      accessExpiresAt: now + 2 * 60 * 60_000,
      refreshExpiresAt: now + 90 * 24 * 60 * 60_000,
      lastRefreshAt: now,
    },
    session,
  )
  await first.stop()
  return coreAt(dir, { plcUrl: h.net.plcUrl, defaultService: h.net.pdsUrl, clock })
}

/** Half of the model's sequences: `half` 0 or 1 (two files, so they run side by side on their own PDS). */
export function describeModel(half: 0 | 1): void {
  const runs = half === 0 ? Math.ceil(RUNS / 2) : Math.floor(RUNS / 2)
  describe(`session engine model (part ${half + 1} of 2)`, () => {
    it(
      `${runs} random sequences keep every invariant`,
      { timeout: Number(process.env.MODEL_TIMEOUT_MS ?? 300_000) },
      async () => {
        const proxy = await h.proxy()
        const pool = [await createAccount(h.net.pdsUrl, 'm'), await createAccount(h.net.pdsUrl, 'm')]
        await fc.assert(
          fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 4 }), async (steps) => {
            const clock = new FakeClock(Date.now())
            const dir = tempDir('skyswitch-model-')
            // Two accounts reused across runs (creating them costs more than a run), reset to fresh.
            for (const a of pool) await h.net.resetAccount(a.did)
            const since = proxy.issued.length
            const seed: string[] = []
            const w: World = {
              core: await seeded(dir, clock, pool[0]!, proxy.url, seed),
              dir,
              clock,
              accounts: pool,
              proxyUrl: proxy.url,
              issued: () => [...seed, ...proxy.issued.slice(since)],
              dead: new Set(),
            }
            const trace: string[] = []
            try {
              for (const s of steps) {
                trace.push(JSON.stringify(s))
                if (s.kind === 'user') await typed(runUserOp(w, s.op, s.who))
                else if (s.kind === 'server') await serverEvent(w, s.event, s.who)
                else if (s.kind === 'overlap') {
                  proxy.behaviour.delayMs = new Map(SESSION_NSIDS.map((n) => [n, s.delayMs]))
                  await Promise.all(s.ops.map((op) => typed(runUserOp(w, op, s.who))))
                  proxy.behaviour.delayMs = undefined
                } else {
                  await w.core.stop()
                  w.core = await coreAt(dir, { plcUrl: h.net.plcUrl, defaultService: h.net.pdsUrl, clock })
                }
                await checkInvariants(w, trace)
                const ops = s.kind === 'user' ? [s.op] : s.kind === 'overlap' ? s.ops : []
                if (s.kind !== 'restart' && ops.some((op) => DOOR_OPS.includes(op))) await checkDoors(w, s.who, trace)
              }
            } finally {
              proxy.behaviour.delayMs = undefined
              await w.core.stop()
            }
          }),
          { numRuns: runs, verbose: true, endOnFailure: false },
        )
      },
    )
  })
}
