/**
 * What the background status watch shows: a change it notices is a check,
 * so "Last checked" moves with it, whichever path noticed it.
 */
import { describe, expect, it } from 'vitest'
import { drive } from '../support/drive'
import { FakeClock } from '../support/fake-clock'
import { useNetwork } from '../support/harness'
import { adminTakedown, createAccount, deactivate } from '../support/network'

const h = useNetwork()

describe('status watch and "Last checked"', () => {
  it('a change the watch notices updates the time of the last check', async () => {
    const clock = new FakeClock(Date.now())
    const { core } = await h.core({ clock })
    const signedOut = await createAccount(h.net.pdsUrl)
    const signedIn = await createAccount(h.net.pdsUrl)
    const takenDown = await createAccount(h.net.pdsUrl)
    for (const a of [signedOut, signedIn, takenDown]) {
      await core.accounts.login({ identifier: a.handle, password: a.password })
    }
    await core.accounts.signOut(signedOut.did)
    const before = clock.now()
    await clock.advance(60_000)
    await deactivate(h.net.pdsUrl, signedOut)
    await deactivate(h.net.pdsUrl, signedIn)
    await adminTakedown(h.net, takenDown.did)
    await drive(clock, core, 15 * 60_000, 30_000)
    // Seen without a token (signed out), through a refresh (signed in), and ending the session (taken down).
    expect(core.accounts.get(signedOut.did)).toMatchObject({ hosting: 'deactivated', session: 'signed-out' })
    expect(core.accounts.get(signedIn.did)).toMatchObject({ hosting: 'deactivated', session: 'signed-in' })
    expect(core.accounts.get(takenDown.did)).toMatchObject({ hosting: 'takendown', session: 'signed-out' })
    for (const a of [signedOut, signedIn, takenDown]) {
      expect(core.accounts.get(a.did).lastCheckedAt, a.handle).toBeGreaterThan(before)
    }
  })
})
