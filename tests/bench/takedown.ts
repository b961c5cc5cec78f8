/**
 * Server-side takedown -> account event, with no clicks: the real PDS
 * (@atproto/dev-env on loopback) takes accounts down, the core notices
 * through its background status watch. The core runs on a fake clock moved
 * in 10 s steps, so the figure is in the core's (simulated) seconds: the
 * watch's real cadence without waiting for it; the PDS's answers are real.
 */
import type { AccountView } from '../../src-main/ipc/contract'
import { coreAt, tempDir } from '../support/core'
import { drive } from '../support/drive'
import { FakeClock } from '../support/fake-clock'
import { adminTakedown, createAccount, startNetwork } from '../support/network'
import { report } from './report'

export async function benchTakedown(accounts = 6): Promise<void> {
  const net = await startNetwork()
  const clock = new FakeClock(Date.now())
  const core = await coreAt(tempDir('skyswitch-bench-'), { plcUrl: net.plcUrl, defaultService: net.pdsUrl, clock })
  const noticed: number[] = []
  try {
    const list = []
    for (let i = 0; i < accounts; i++) list.push(await createAccount(net.pdsUrl, 'bench'))
    for (const a of list) await core.accounts.login({ identifier: a.did, password: a.password })
    // Let the watch settle into its cadence, then take accounts down one by one at random moments.
    await drive(clock, core, 30 * 60_000, 60_000)
    for (const a of list) {
      await drive(clock, core, Math.floor(Math.random() * 10 * 60_000), 10_000)
      const at = clock.now()
      let seen: number | undefined
      const off = core.accounts.on('account', (v: AccountView) => {
        if (v.did === a.did && v.hosting === 'takendown') seen ??= clock.now()
      })
      await adminTakedown(net, a.did)
      for (let waited = 0; seen === undefined && waited < 60 * 60_000; waited += 10_000) {
        await drive(clock, core, 10_000, 10_000)
      }
      off()
      noticed.push(((seen ?? Infinity) - at) / 1000)
    }
  } finally {
    await core.stop()
    await net.close()
  }
  report('takedown_noticed_within_s', Math.max(...noticed), 's_simulated_max')
  report('takedown_noticed_mean_s', noticed.reduce((x, y) => x + y, 0) / noticed.length, 's_simulated_mean')
}
