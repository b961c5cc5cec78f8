import type { Core } from '../../src-main/core/app-core'
import { type FakeClock, flush } from './fake-clock'

/**
 * Moves a core's fake clock forward in steps against a real server: after
 * each step, waits until every refresh, status look and account operation
 * the step started has finished (real HTTP does not run on fake time).
 */
export async function drive(
  clock: FakeClock,
  core: Core,
  totalMs: number,
  stepMs: number,
  after?: () => Promise<void>,
) {
  for (let t = 0; t < totalMs; t += stepMs) {
    await clock.advance(Math.min(stepMs, totalMs - t))
    await quiet(core)
    await after?.()
  }
}

export async function quiet(core: Core): Promise<void> {
  for (;;) {
    await flush()
    const a = core.accounts
    if (a.scheduler.busy === 0 && (a.watch?.busy ?? 0) === 0 && !a.sequencer?.anyBusy()) return
    await new Promise((r) => setTimeout(r, 2))
  }
}
