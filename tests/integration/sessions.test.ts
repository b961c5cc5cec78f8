import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core/app-core'
import { SkyswitchError } from '../../src-main/core/errors'
import type { ProxyBehaviour } from '../support/entryway-proxy'
import { useNetwork } from '../support/harness'
import {
  adminTakedown,
  createAccount,
  deactivate,
  login as directLogin,
  revokeElsewhere,
  type TestAccount,
  xrpc,
} from '../support/network'
import { until } from '../support/wait'

const h = useNetwork()
const seenMessages: string[] = []

const newCore = (opts: { timeoutMs?: number } = {}) => h.core({ requestTimeoutMs: opts.timeoutMs })
const proxy = (behaviour: ProxyBehaviour = {}) => h.proxy(behaviour)

/** The typed error a promise rejects with; records its message for the token scan. */
async function failure(p: Promise<unknown>): Promise<SkyswitchError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(SkyswitchError)
    seenMessages.push((err as Error).message)
    return err as SkyswitchError
  }
  throw new Error('expected the call to fail')
}

async function signedIn(core: Core, a: TestAccount, service = h.net.pdsUrl) {
  return core.accounts.login({ identifier: a.handle, password: a.password, service })
}

describe('login', () => {
  it('works with a handle, a DID and an email, and routes to the PDS in the DID document', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const byHandle = await signedIn(core, a)
    expect(byHandle).toMatchObject({ did: a.did, hosting: 'active', session: 'signed-in', scope: 'full' })
    expect(byHandle.pdsUrl).toBe(new URL(h.net.pdsUrl).origin)
    const byDid = await core.accounts.login({ identifier: a.did, password: a.password })
    expect(byDid.did).toBe(a.did)
    const byEmail = await core.accounts.login({ identifier: a.email, password: a.password })
    expect(byEmail.did).toBe(a.did)
    expect(core.accounts.state().accounts).toHaveLength(1)
  })

  it('a wrong password is a typed error and saves nothing', async () => {
    const { core, dir } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const err = await failure(signedIn(core, { ...a, password: 'wrong-password' }))
    expect(err.code).toBe('AuthenticationRequired')
    expect(core.accounts.state().accounts).toHaveLength(0)
    expect(
      readdirSync(dir)
        .filter((f) => f.startsWith('vault'))
        .sort(),
    ).toEqual(['vault.json', 'vault.json.prev'])
  })

  it('an unreachable provider is Offline, an invalid one is BadRequest', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    expect((await failure(signedIn(core, a, 'http://127.0.0.1:9'))).code).toBe('Offline')
    expect((await failure(signedIn(core, a, 'ftp://example.com'))).code).toBe('BadRequest')
    expect((await failure(signedIn(core, a, 'http://example.com'))).code).toBe('BadRequest')
  })
})

describe('email 2FA through an entryway-like proxy', () => {
  it('asks for the emailed code, then signs in with authFactorToken', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const p = await proxy({ twoFactor: { identifier: a.handle, code: 'ABCDE-12345' } })
    expect((await failure(signedIn(core, a, p.url))).code).toBe('AuthFactorTokenRequired')
    const wrong = await failure(
      core.accounts.login({ identifier: a.handle, password: a.password, service: p.url, authFactorToken: 'NOPE' }),
    )
    expect(wrong.code).toBe('AuthFactorTokenRequired')
    const view = await core.accounts.login({
      identifier: a.handle,
      password: a.password,
      service: p.url,
      authFactorToken: 'ABCDE-12345',
    })
    expect(view).toMatchObject({ did: a.did, session: 'signed-in' })
  })
})

describe('status from the server', () => {
  it('takedown of a signed-in account: the next refresh marks it takendown and drops the tokens', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    await signedIn(core, a)
    await adminTakedown(h.net, a.did)
    expect((await failure(core.accounts.refresh(a.did))).code).toBe('AccountTakedown')
    expect(core.accounts.get(a.did)).toMatchObject({ hosting: 'takendown', session: 'signed-out' })
    expect(core.vault.getTokens(a.did)).toBeUndefined()
    // A check does not loop or crash: it says signed out.
    expect((await failure(core.accounts.check(a.did))).code).toBe('SignedOut')
  })

  it('check after a takedown finds it through a refresh ("Could not find user info")', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    await signedIn(core, a)
    await adminTakedown(h.net, a.did)
    await failure(core.accounts.check(a.did))
    expect(core.accounts.get(a.did).hosting).toBe('takendown')
  })

  it('login of a taken-down account says so; allowTakendown signs in read-only without refresh loops', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    await adminTakedown(h.net, a.did)
    expect((await failure(signedIn(core, a))).code).toBe('AccountTakedown')
    const view = await core.accounts.login({ identifier: a.handle, password: a.password, allowTakendown: true })
    expect(view).toMatchObject({ hosting: 'takendown', scope: 'takendown', session: 'signed-in' })
    // The narrow token cannot refresh and getSession refuses it: both handled.
    expect((await failure(core.accounts.refresh(a.did))).code).toBe('AccountTakedown')
    const checked = await core.accounts.check(a.did)
    expect(checked.hosting).toBe('takendown')
    expect(core.accounts.scheduler.isScheduled(a.did)).toBe(false)
  })

  it('deactivateAccount -> deactivated; activateAccount brings it back', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    await signedIn(core, a)
    await deactivate(h.net.pdsUrl, a)
    expect((await core.accounts.check(a.did)).hosting).toBe('deactivated')
    expect((await core.accounts.refresh(a.did)).hosting).toBe('deactivated')
    expect((await core.accounts.activate(a.did)).hosting).toBe('active')
  })

  it('an app password cannot reactivate: a clear typed error', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const s = await directLogin(h.net.pdsUrl, a)
    const app = (await xrpc(h.net.pdsUrl, 'com.atproto.server.createAppPassword', {
      auth: `Bearer ${s.accessJwt}`,
      body: { name: 'skyswitch-test' },
    })) as { password: string }
    const view = await core.accounts.login({ identifier: a.handle, password: app.password })
    expect(view.scope).toBe('app-password')
    await deactivate(h.net.pdsUrl, a)
    await core.accounts.check(a.did)
    expect((await failure(core.accounts.activate(a.did))).code).toBe('NotAllowed')
  })

  it('suspended (from the proxy, as the stock PDS never says it)', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const p = await proxy({ suspended: new Set([a.did]) })
    const view = await signedIn(core, a, p.url)
    expect(view).toMatchObject({ hosting: 'suspended', pdsUrl: p.url })
    expect((await core.accounts.refresh(a.did)).hosting).toBe('suspended')
  })

  it('revoked elsewhere: the next refresh signs out and keeps the account for re-login', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    await signedIn(core, a)
    await revokeElsewhere(h.net.pdsUrl, core.vault.getTokens(a.did)!.refreshJwt)
    expect((await failure(core.accounts.refresh(a.did))).code).toBe('SignedOut')
    expect(core.accounts.get(a.did)).toMatchObject({ session: 'signed-out', handle: a.handle })
    expect(core.vault.getTokens(a.did)).toBeUndefined()
    await signedIn(core, a)
    expect(core.accounts.get(a.did).session).toBe('signed-in')
  })

  it('429 with RateLimit-Reset: rate-limited with a countdown, tokens kept', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const p = await proxy()
    await signedIn(core, a, p.url)
    // An hour away: the limit cannot lift while this test runs, however slow the machine.
    const liftsAt = Math.ceil(Date.now() / 1000) + 3600
    p.behaviour.rateLimitUntil = liftsAt
    const err = await failure(core.accounts.refresh(a.did))
    expect(err.code).toBe('RateLimited')
    expect(err.retryAt).toBe(liftsAt * 1000)
    expect(core.accounts.get(a.did)).toMatchObject({ session: 'rate-limited', retryAt: liftsAt * 1000 })
    expect(core.vault.getTokens(a.did)).toBeDefined()
    // No retry before the limit lifts.
    const before = p.counts.get('com.atproto.server.refreshSession')
    expect((await failure(core.accounts.retry(a.did))).code).toBe('RateLimited')
    expect(p.counts.get('com.atproto.server.refreshSession')).toBe(before)
    // And a login that hits the limit says when to try again.
    const login = await failure(signedIn(core, a, p.url))
    expect(login).toMatchObject({ code: 'RateLimited', retryAt: liftsAt * 1000 })
  })

  it('server down: offline with tokens kept, then back with no user action', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const p = await proxy()
    await signedIn(core, a, p.url)
    const tokens = core.vault.getTokens(a.did)
    await p.stop()
    expect((await failure(core.accounts.refresh(a.did))).code).toBe('Offline')
    expect(core.accounts.get(a.did).session).toBe('offline')
    expect(JSON.stringify(core.vault.getTokens(a.did)) === JSON.stringify(tokens)).toBe(true)
    await p.start()
    expect((await core.accounts.retry(a.did)).session).toBe('signed-in')
  })
})

describe('verify, sign out, remove', () => {
  it('a check fills email and status; check all proves every refresh token', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const b = await createAccount(h.net.pdsUrl)
    await signedIn(core, a)
    await signedIn(core, b)
    await revokeElsewhere(h.net.pdsUrl, core.vault.getTokens(b.did)!.refreshJwt)
    // b's access token still works until it expires, but its session has ended: the check says so.
    const results = await core.accounts.checkAll()
    expect(results.map((r) => r.ok)).toEqual([true, false])
    expect(core.accounts.get(a.did)).toMatchObject({ email: a.email, emailConfirmed: false })
  })

  it('sign out revokes the refresh token at the server, then forgets it', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    await signedIn(core, a)
    const { refreshJwt } = core.vault.getTokens(a.did)!
    await core.accounts.signOut(a.did)
    expect(core.accounts.get(a.did).session).toBe('signed-out')
    expect(core.vault.getTokens(a.did)).toBeUndefined()
    await expect(
      xrpc(h.net.pdsUrl, 'com.atproto.server.refreshSession', { auth: `Bearer ${refreshJwt}`, method: 'POST' }),
    ).rejects.toThrow(/ExpiredToken|InvalidToken/)
  })

  it('remove from this device revokes when it can and leaves no tokens behind', async () => {
    const { core, dir } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    await signedIn(core, a)
    const { refreshJwt } = core.vault.getTokens(a.did)!
    await core.accounts.remove(a.did)
    expect(core.accounts.state().accounts).toHaveLength(0)
    const file = JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as { accounts: object }
    expect(file.accounts).toEqual({})
    await expect(
      xrpc(h.net.pdsUrl, 'com.atproto.server.refreshSession', { auth: `Bearer ${refreshJwt}`, method: 'POST' }),
    ).rejects.toThrow(/ExpiredToken|InvalidToken/)
  })
})

describe('legacy servers', () => {
  it('falls back to com.atproto.session.* and remembers the dialect per server', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const p = await proxy({ legacy: true })
    const view = await signedIn(core, a, p.url)
    expect(view).toMatchObject({ did: a.did, session: 'signed-in', hosting: 'active' })
    expect(p.counts.get('com.atproto.session.create')).toBe(1)
    await core.accounts.refresh(a.did)
    await core.accounts.check(a.did)
    // Remembered: the current names were tried only once, at login.
    expect(p.counts.get('com.atproto.server.createSession')).toBe(1)
    expect(p.counts.get('com.atproto.server.refreshSession') ?? 0).toBe(0)
    // A check is a refresh too.
    expect(p.counts.get('com.atproto.session.refresh')).toBe(2)
    // Each rotation revoked the token it replaced, with the legacy names too; then the sign-out.
    expect(p.counts.get('com.atproto.session.delete')).toBe(2)
    await core.accounts.signOut(a.did)
    expect(p.counts.get('com.atproto.session.delete')).toBe(3)
  })
})

describe('malformed replies and timeouts', () => {
  for (const kind of ['missing-fields', 'wrong-types', 'html', 'not-json'] as const) {
    it(`${kind}: a typed error, no account saved`, async () => {
      const { core } = await newCore()
      const a = await createAccount(h.net.pdsUrl)
      const p = await proxy({ malformed: kind })
      const err = await failure(signedIn(core, a, p.url))
      expect(err.code).toBe('MalformedResponse')
      expect(core.accounts.state().accounts).toHaveLength(0)
    })
  }

  it('jwt-without-exp: tokens are opaque, so the login is accepted with an unknown expiry', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const p = await proxy({ malformed: 'jwt-without-exp' })
    const view = await signedIn(core, a, p.url)
    expect(view).toMatchObject({ session: 'signed-in', accessExpiresAt: undefined })
  })

  it('a malformed refresh reply keeps the old tokens', async () => {
    const { core } = await newCore()
    const a = await createAccount(h.net.pdsUrl)
    const p = await proxy()
    await signedIn(core, a, p.url)
    const tokens = core.vault.getTokens(a.did)
    p.behaviour.malformed = 'missing-fields'
    expect((await failure(core.accounts.refresh(a.did))).code).toBe('MalformedResponse')
    expect(JSON.stringify(core.vault.getTokens(a.did)) === JSON.stringify(tokens)).toBe(true)
    expect(core.accounts.get(a.did).session).toBe('signed-in')
  })

  it('a server that never answers times out as Offline; a cancelled call is Cancelled', async () => {
    const { core } = await newCore({ timeoutMs: 300 })
    const a = await createAccount(h.net.pdsUrl)
    const p = await proxy({ hang: true })
    expect((await failure(signedIn(core, a, p.url))).code).toBe('Offline')
    // Cancelled once the request has reached the server, on a core whose own timeout cannot win the race.
    const { core: patient } = await newCore()
    const sent = p.counts.get('com.atproto.server.createSession') ?? 0
    const ctl = new AbortController()
    const pending = patient.accounts.login({ identifier: a.handle, password: a.password, service: p.url }, ctl.signal)
    await until(() => (p.counts.get('com.atproto.server.createSession') ?? 0) > sent)
    ctl.abort()
    expect((await failure(pending)).code).toBe('Cancelled')
  })
})

describe('no token in any error message', () => {
  it('every message seen in this file is free of JWTs', () => {
    expect(seenMessages.length).toBeGreaterThan(20)
    for (const m of seenMessages) expect(m).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/)
  })
})
