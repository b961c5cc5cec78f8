/**
 * One named test per session-engine bug: each was red on the engine before
 * the per-account sequencer and the policy module, against the real PDS
 * (and the loopback proxy where the PDS must misbehave on cue).
 */
import { describe, expect, it } from 'vitest'
import { SkyswitchError } from '../../src-main/core/errors'
import { FakeClock } from '../support/fake-clock'
import { drive } from '../support/drive'
import { useNetwork } from '../support/harness'
import {
  adminTakedown,
  adminUpdatePassword,
  createAccount,
  deactivate,
  login as directLogin,
  xrpc,
} from '../support/network'
import { sleep } from '../support/wait'

const h = useNetwork()
const REFRESH = 'com.atproto.server.refreshSession'

async function failure(p: Promise<unknown>): Promise<SkyswitchError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(SkyswitchError)
    return err as SkyswitchError
  }
  throw new Error('expected the call to fail')
}

/** An account signed in through a proxy that holds refresh replies on cue. */
async function heldRefresh() {
  const proxy = await h.proxy({ hold: new Set([REFRESH]) })
  const { core } = await h.core()
  const a = await createAccount(h.net.pdsUrl)
  await core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
  const refresh = core.accounts.refresh(a.did).catch((e: unknown) => e)
  // The PDS has rotated the token; its reply is on the way.
  await proxy.held(REFRESH)
  return { proxy, core, a, refresh }
}

describe('one owner per account', () => {
  it('sign-out during an in-flight refresh does not revive the account', async () => {
    const { proxy, core, a, refresh } = await heldRefresh()
    const signOut = core.accounts.signOut(a.did)
    await sleep(100)
    proxy.release()
    await signOut
    await refresh
    expect(core.accounts.get(a.did).session).toBe('signed-out')
    expect(core.vault.getTokens(a.did)).toBeUndefined()
    expect(await h.net.liveSessions(a.did)).toBe(0)
  })

  it('remove during an in-flight refresh leaves no live session and no account', async () => {
    const { proxy, core, a, refresh } = await heldRefresh()
    const removed = core.accounts.remove(a.did)
    await sleep(100)
    proxy.release()
    await removed
    await refresh
    await sleep(100)
    expect(core.accounts.state().accounts).toHaveLength(0)
    expect(await h.net.liveSessions(a.did)).toBe(0)
  })

  it('a login during an in-flight refresh is not overwritten by it', async () => {
    const { proxy, core, a, refresh } = await heldRefresh()
    const login = core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
    await sleep(300)
    proxy.release()
    await Promise.all([login, refresh])
    expect(core.accounts.get(a.did).session).toBe('signed-in')
    // Exactly one session left, and it is the one held.
    expect(await h.net.liveSessions(a.did)).toBe(1)
    const held = core.vault.getTokens(a.did)!
    await xrpc(h.net.pdsUrl, REFRESH, { auth: `Bearer ${held.refreshJwt}`, method: 'POST' })
  })

  it('a re-login overlapping an activation never installs the stale status it was answered with', async () => {
    const LOGIN = 'com.atproto.server.createSession'
    const proxy = await h.proxy()
    const { core } = await h.core()
    const a = await createAccount(h.net.pdsUrl)
    await core.accounts.login({ identifier: a.did, password: a.password, service: proxy.url })
    await h.net.deactivateAccount(a.did)
    proxy.behaviour.hold = new Set([LOGIN])
    // The PDS answers the re-login "deactivated"; the reply is held while the user reactivates.
    const relogin = core.accounts.login({ identifier: a.did, password: a.password, service: proxy.url })
    await proxy.held(LOGIN)
    const activate = core.accounts.activate(a.did).catch((e: unknown) => e)
    await sleep(200)
    proxy.release()
    await relogin
    await activate
    expect(core.accounts.get(a.did).hosting).toBe('active')
  })

  it('re-login revokes the previous session at the host that issued it', async () => {
    const proxy = await h.proxy()
    const { core } = await h.core()
    const a = await createAccount(h.net.pdsUrl)
    await core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
    await core.accounts.login({ identifier: a.handle, password: a.password, service: h.net.pdsUrl })
    expect(proxy.counts.get('com.atproto.server.deleteSession')).toBe(1)
    expect(await h.net.liveSessions(a.did)).toBe(1)
  })

  it('a login whose DID is not the resolved one revokes the session it made', async () => {
    const a = await createAccount(h.net.pdsUrl)
    const b = await createAccount(h.net.pdsUrl)
    const proxy = await h.proxy({ resolveHandle: new Map([[a.handle, b.did]]) })
    const { core } = await h.core()
    const err = await failure(core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url }))
    expect(err.code).toBe('ResolutionFailed')
    expect(core.accounts.state().accounts).toHaveLength(0)
    expect(await h.net.liveSessions(a.did)).toBe(0)
  })
})

describe('policy', () => {
  it('an access-token ExpiredToken means one refresh and one retry, never a sign-out', async () => {
    const a = await createAccount(h.net.pdsUrl)
    const proxy = await h.proxy({ expireOnce: new Set(['com.atproto.server.getSession']) })
    const { core } = await h.core()
    await core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
    await core.accounts.check(a.did)
    expect(core.accounts.get(a.did).session).toBe('signed-in')
    expect(core.vault.getTokens(a.did)).toBeDefined()

    await deactivate(h.net.pdsUrl, a)
    proxy.behaviour.expireOnce = new Set(['com.atproto.server.activateAccount'])
    const view = await core.accounts.activate(a.did)
    expect(view).toMatchObject({ session: 'signed-in', hosting: 'active' })
    expect(proxy.counts.get('com.atproto.server.activateAccount')).toBe(2)
  })

  it('a takendown-scope account that is merely offline is not marked takendown; a lifted takedown shows', async () => {
    const a = await createAccount(h.net.pdsUrl)
    const proxy = await h.proxy()
    const { core } = await h.core()
    await adminTakedown(h.net, a.did)
    const view = await core.accounts.login({
      identifier: a.handle,
      password: a.password,
      service: proxy.url,
      allowTakendown: true,
    })
    expect(view).toMatchObject({ scope: 'takendown', hosting: 'takendown' })
    await adminTakedown(h.net, a.did, false)
    await proxy.stop()
    const checkedAt = core.accounts.get(a.did).lastCheckedAt
    expect((await failure(core.accounts.check(a.did))).code).toBe('Offline')
    expect(core.accounts.get(a.did).lastCheckedAt).toBe(checkedAt)
    await proxy.start()
    expect((await core.accounts.check(a.did)).hosting).toBe('active')
  })

  it('check on an unrelated error keeps an offline account offline', async () => {
    const a = await createAccount(h.net.pdsUrl)
    const proxy = await h.proxy()
    const { core } = await h.core()
    await core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
    await proxy.stop()
    await failure(core.accounts.refresh(a.did))
    expect(core.accounts.get(a.did).session).toBe('offline')
    await proxy.start()
    proxy.behaviour.malformed = 'html'
    expect((await failure(core.accounts.check(a.did))).code).toBe('MalformedResponse')
    expect(core.accounts.get(a.did).session).toBe('offline')
  })
})

describe('honest checks', () => {
  it('check after a password change says signed out at once', async () => {
    const a = await createAccount(h.net.pdsUrl)
    const { core } = await h.core()
    await core.accounts.login({ identifier: a.handle, password: a.password })
    await adminUpdatePassword(h.net, a.did, 'a-new-password-123')
    expect((await failure(core.accounts.check(a.did))).code).toBe('SignedOut')
    expect(core.accounts.get(a.did).session).toBe('signed-out')
    expect(core.vault.getTokens(a.did)).toBeUndefined()
  })

  it('check all after an app password was revoked says signed out, and what it checked', async () => {
    const a = await createAccount(h.net.pdsUrl)
    const b = await createAccount(h.net.pdsUrl)
    const { core } = await h.core()
    const s = await directLogin(h.net.pdsUrl, a)
    const auth = `Bearer ${s.accessJwt}`
    const app = (await xrpc(h.net.pdsUrl, 'com.atproto.server.createAppPassword', {
      auth,
      body: { name: 'skyswitch-check' },
    })) as { password: string }
    await core.accounts.login({ identifier: a.handle, password: app.password })
    await core.accounts.login({ identifier: b.handle, password: b.password })
    await xrpc(h.net.pdsUrl, 'com.atproto.server.revokeAppPassword', { auth, body: { name: 'skyswitch-check' } })
    const results = await core.accounts.checkAll()
    expect(results.find((r) => r.did === a.did)).toMatchObject({ ok: false, error: { code: 'SignedOut' } })
    expect(results.find((r) => r.did === b.did)).toMatchObject({ ok: true, checked: 'refresh' })
    expect(core.accounts.get(a.did).session).toBe('signed-out')
  })
})

describe('time and tokens', () => {
  it('an access token that is not a JWT is accepted; its expiry is unknown and it is still refreshed', async () => {
    const a = await createAccount(h.net.pdsUrl)
    const proxy = await h.proxy({ opaqueAccess: true })
    const { core } = await h.core()
    const view = await core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
    expect(view.session).toBe('signed-in')
    expect(view.accessExpiresAt).toBeUndefined()
    expect(core.accounts.scheduler.isScheduled(a.did)).toBe(true)
    expect((await core.accounts.refresh(a.did)).session).toBe('signed-in')
  })
})

describe('status watch', () => {
  it('a takedown, its reversal and a deactivation show within 15 minutes with no click', async () => {
    const clock = new FakeClock(Date.now())
    const { core } = await h.core({ clock })
    const a = await createAccount(h.net.pdsUrl)
    const b = await createAccount(h.net.pdsUrl)
    await core.accounts.login({ identifier: a.handle, password: a.password })
    await core.accounts.login({ identifier: b.handle, password: b.password })
    await adminTakedown(h.net, a.did)
    await deactivate(h.net.pdsUrl, b)
    await drive(clock, core, 15 * 60_000, 30_000)
    expect(core.accounts.get(a.did)).toMatchObject({ hosting: 'takendown', session: 'signed-out' })
    expect(core.vault.getTokens(a.did)).toBeUndefined()
    expect(core.accounts.get(b.did)).toMatchObject({ hosting: 'deactivated', session: 'signed-in' })
    await adminTakedown(h.net, a.did, false)
    await drive(clock, core, 15 * 60_000, 30_000)
    expect(core.accounts.get(a.did).hosting).toBe('active')
  })
})
