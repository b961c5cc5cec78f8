/**
 * Sign-out, remove and a new sign-in close every door the app opened: the
 * PDS honours a rotated-away refresh token for 2 h and re-creates its
 * successor from it, so revoking only the current token is not enough.
 * Each test keeps every refresh token the app held and asks the PDS itself.
 */
import { describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core/app-core'
import { openDoors } from '../support/doors'
import { useNetwork } from '../support/harness'
import { createAccount, type TestAccount, xrpc } from '../support/network'

const h = useNetwork()

/** Signs in, refreshes `rotations` times, and returns every refresh token the app held on the way. */
async function rotated(rotations: number): Promise<{ core: Core; a: TestAccount; held: string[] }> {
  const { core } = await h.core()
  const a = await createAccount(h.net.pdsUrl)
  await core.accounts.login({ identifier: a.handle, password: a.password, service: h.net.pdsUrl })
  const held = [core.vault.getTokens(a.did)!.refreshJwt]
  for (let i = 0; i < rotations; i++) {
    await core.accounts.refresh(a.did)
    held.push(core.vault.getTokens(a.did)!.refreshJwt)
  }
  return { core, a, held }
}

describe('closing every door', () => {
  it('a rotation revokes the token it replaced once the new one is saved', async () => {
    const { core, a, held } = await rotated(3)
    expect(await openDoors(h.net.pdsUrl, held.slice(0, -1))).toEqual([])
    // The current one still works.
    const access = core.vault.getTokens(a.did)!.accessJwt
    await xrpc(h.net.pdsUrl, 'com.atproto.server.getSession', { auth: `Bearer ${access}`, method: 'GET' })
  })

  it('after a sign-out no refresh token the app ever held mints a session', async () => {
    const { core, a, held } = await rotated(4)
    await core.accounts.signOut(a.did)
    expect(await openDoors(h.net.pdsUrl, held)).toEqual([])
    expect(await h.net.liveSessions(a.did)).toBe(0)
  })

  it('after a remove no refresh token the app ever held mints a session', async () => {
    const { core, a, held } = await rotated(4)
    await core.accounts.remove(a.did)
    expect(await openDoors(h.net.pdsUrl, held)).toEqual([])
    expect(await h.net.liveSessions(a.did)).toBe(0)
  })

  it('after a new sign-in only the new session is alive', async () => {
    const { core, a, held } = await rotated(4)
    await core.accounts.login({ identifier: a.did, password: a.password, service: h.net.pdsUrl })
    expect(await openDoors(h.net.pdsUrl, held)).toEqual([])
    expect(await h.net.liveSessions(a.did)).toBe(1)
  })

  it('a revocation that could not reach the server is kept, sealed, and done at sign-out', async () => {
    const proxy = await h.proxy()
    const { core } = await h.core()
    const a = await createAccount(h.net.pdsUrl)
    await core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
    const first = core.vault.getTokens(a.did)!.refreshJwt
    // The rotation goes through; the revocation after it does not.
    proxy.behaviour.unavailable = new Set(['com.atproto.server.deleteSession'])
    await core.accounts.refresh(a.did)
    proxy.behaviour.unavailable = undefined
    expect(core.vault.getTokens(a.did)!.retired).toContain(first)
    await core.accounts.signOut(a.did)
    expect(await openDoors(h.net.pdsUrl, [first])).toEqual([])
  })

  it('a sign-out that cannot reach the server keeps the session and says so; the next one closes it', async () => {
    const proxy = await h.proxy()
    const { core } = await h.core()
    const a = await createAccount(h.net.pdsUrl)
    await core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
    const held = core.vault.getTokens(a.did)!.refreshJwt
    proxy.behaviour.unavailable = new Set(['com.atproto.server.deleteSession'])
    await expect(core.accounts.signOut(a.did)).rejects.toMatchObject({ code: 'Offline' })
    expect(core.accounts.get(a.did).session).toBe('signed-in')
    expect(core.vault.getTokens(a.did)?.refreshJwt).toBe(held)
    proxy.behaviour.unavailable = undefined
    await core.accounts.signOut(a.did)
    expect(core.vault.getTokens(a.did)).toBeUndefined()
    expect(await openDoors(h.net.pdsUrl, [held])).toEqual([])
  })
})
