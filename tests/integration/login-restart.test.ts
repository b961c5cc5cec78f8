import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { coreAt, tempDir } from '../support/core'
import { createAccount, type Network, startNetwork } from '../support/network'

let net: Network
beforeAll(async () => {
  net = await startNetwork()
})
afterAll(async () => {
  await net?.close()
})

describe('add an account and restore it after a restart', () => {
  it('logs in with handle + password, lists it, and restores it from disk', async () => {
    const user = await createAccount(net.pdsUrl)
    const dir = tempDir()
    const core = await coreAt(dir, { plcUrl: net.plcUrl })
    const asked = Date.now()
    const view = await core.accounts.login({ identifier: user.handle, password: user.password, service: net.pdsUrl })
    expect(view).toMatchObject({ did: user.did, handle: user.handle, session: 'signed-in', hosting: 'active' })
    expect(view.pdsUrl).toBe(new URL(net.pdsUrl).origin)
    // Issued after `asked`: at least an hour past it, however slow the machine.
    expect(view.accessExpiresAt! - asked).toBeGreaterThan(60 * 60 * 1000)
    await core.stop()

    const again = await coreAt(dir, { plcUrl: net.plcUrl })
    const state = again.accounts.state()
    expect(state.accounts.map((a) => a.did)).toEqual([user.did])
    expect(state.activeDid).toBe(user.did)
    // The restored tokens really work: getSession through them answers.
    const checked = await again.accounts.check(user.did)
    expect(checked).toMatchObject({ session: 'signed-in', email: user.email })
    await again.stop()
  })
})
