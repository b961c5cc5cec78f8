/**
 * A local clock hours off from the server's changes nothing: due times come
 * from the local receive time plus the token's lifetime (exp - iat). The
 * core runs on a fake clock set +/- 3 h from the PDS, which issues real 2 h
 * tokens; a simulated day passes on the core's clock.
 */
import { describe, expect, it } from 'vitest'
import { FakeClock } from '../support/fake-clock'
import { drive } from '../support/drive'
import { useNetwork } from '../support/harness'
import { createAccount, xrpc } from '../support/network'

const h = useNetwork()
const H = 60 * 60_000

describe('clock skew', () => {
  for (const skewH of [3, -3]) {
    it(`core clock ${skewH > 0 ? '+' : ''}${skewH} h from the PDS: signed in all day, one refresh per token lifetime`, async () => {
      const clock = new FakeClock(Date.now() + skewH * H)
      const proxy = await h.proxy()
      const { core } = await h.core({ clock, statusWatch: false })
      const accounts = [await createAccount(h.net.pdsUrl), await createAccount(h.net.pdsUrl)]
      for (const a of accounts) {
        await core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
      }
      let signedOutSeen = 0
      await drive(clock, core, 24 * H, 60_000, async () => {
        for (const a of accounts) if (core.accounts.get(a.did).session !== 'signed-in') signedOutSeen++
      })
      expect(signedOutSeen).toBe(0)
      const refreshes = proxy.presented.length
      // Lead 20 % +/- 25 % of 2 h: one refresh every 90-102 min, 14-16 a day per account.
      expect(refreshes).toBeGreaterThanOrEqual(14 * accounts.length)
      expect(refreshes).toBeLessThanOrEqual(16 * accounts.length)
      // Exactly one refresh per token: no token was presented twice.
      expect(new Set(proxy.presented).size).toBe(refreshes)
      for (const a of accounts) {
        const { accessJwt } = core.vault.getTokens(a.did)!
        await xrpc(h.net.pdsUrl, 'com.atproto.server.getSession', { auth: `Bearer ${accessJwt}`, method: 'GET' })
      }
    })
  }
})
