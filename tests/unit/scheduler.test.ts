import { describe, expect, it } from 'vitest'
import { type RefreshOutcome, RefreshScheduler } from '../../src-main/core/refresh/scheduler'
import { FakeClock } from '../support/fake-clock'

const H = 60 * 60 * 1000
const LIFETIME = 2 * H

function setup(opts: { maxConcurrent?: number; random?: () => number } = {}) {
  const clock = new FakeClock()
  const calls: { did: string; at: number }[] = []
  let outcome: (did: string) => Promise<RefreshOutcome> = async () => ({
    kind: 'fresh',
    expiresAt: clock.now() + LIFETIME,
    lifetimeMs: LIFETIME,
  })
  const s = new RefreshScheduler(
    (did) => {
      calls.push({ did, at: clock.now() })
      return outcome(did)
    },
    { clock, random: opts.random ?? (() => 0.5), maxConcurrent: opts.maxConcurrent ?? 4 },
  )
  return { clock, calls, s, setOutcome: (f: typeof outcome) => (outcome = f) }
}

describe('refresh scheduler', () => {
  it('refreshes once per token lifetime, a lead before expiry', async () => {
    const { clock, calls, s } = setup()
    s.scheduleToken('did:a', clock.now() + LIFETIME, LIFETIME)
    await clock.advance(24 * H)
    // lead = 20% of 2 h = 24 min: a refresh every 96 min.
    expect(calls.length).toBe(Math.floor((24 * 60) / 96))
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at)
    for (const g of gaps) expect(g).toBe(96 * 60 * 1000)
  })

  it('spreads accounts with jitter so they do not refresh in the same second', async () => {
    let seed = 1
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const { clock, calls, s } = setup({ random, maxConcurrent: 100 })
    const exp = clock.now() + LIFETIME
    for (let i = 0; i < 50; i++) s.scheduleToken(`did:${i}`, exp, LIFETIME)
    await clock.advance(LIFETIME)
    const seconds = new Set(calls.map((c) => Math.floor(c.at / 1000)))
    expect(calls).toHaveLength(50)
    expect(seconds.size).toBeGreaterThan(40)
  })

  it('uses one timer for any number of accounts', async () => {
    const { clock, s } = setup()
    for (let i = 0; i < 1000; i++) s.scheduleToken(`did:${i}`, clock.now() + LIFETIME + i * 1000, LIFETIME)
    expect(clock.pending).toBe(1)
    expect(s.size).toBe(1000)
  })

  it('handles due times past setTimeout’s 24.8-day limit', async () => {
    const { clock, calls, s } = setup()
    const far = 40 * 24 * H
    s.scheduleAt('did:a', clock.now() + far)
    await clock.advance(30 * 24 * H)
    expect(calls).toHaveLength(0)
    await clock.advance(10 * 24 * H)
    expect(calls).toHaveLength(1)
  })

  it('bounds concurrency across accounts', async () => {
    const { clock, s, setOutcome } = setup({ maxConcurrent: 3 })
    let running = 0
    let peak = 0
    let finished = 0
    let allDone: () => void = () => {}
    const done = new Promise<void>((r) => (allDone = r))
    setOutcome(async () => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 1))
      running--
      if (++finished === 20) allDone()
      return { kind: 'done' }
    })
    for (let i = 0; i < 20; i++) s.scheduleAt(`did:${i}`, clock.now())
    await clock.advance(1)
    await done
    expect(peak).toBe(3)
    expect(s.peakConcurrency).toBe(3)
  })

  it('backs off transient errors exponentially, with a cap', async () => {
    const { clock, calls, s, setOutcome } = setup()
    setOutcome(async () => ({ kind: 'transient' }))
    s.scheduleAt('did:a', clock.now())
    await clock.advance(3 * H)
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at)
    // random = 0.5: 3/4 of the ceiling; ceilings 5 s, 10 s, 20 s ... capped at 10 min.
    expect(gaps.slice(0, 4)).toEqual([3750, 7500, 15000, 30000])
    expect(Math.max(...gaps)).toBe(450_000)
    expect(calls.length).toBeLessThan(40)
  })

  it('waits for a rate limit to lift, and stops on done', async () => {
    const { clock, calls, s, setOutcome } = setup()
    const until = clock.now() + 10 * 60 * 1000
    setOutcome(async () => (calls.length === 1 ? { kind: 'wait', until } : { kind: 'done' }))
    s.scheduleAt('did:a', clock.now())
    await clock.advance(24 * H)
    expect(calls.map((c) => c.at)).toEqual([until - 10 * 60 * 1000, until])
    expect(s.isScheduled('did:a')).toBe(false)
  })

  it('after sleep, wake() runs what fell due at once', async () => {
    const { clock, calls, s } = setup()
    s.scheduleToken('did:a', clock.now() + LIFETIME, LIFETIME)
    clock.jump(5 * H)
    expect(calls).toHaveLength(0)
    s.wake()
    await clock.advance(0)
    expect(calls).toHaveLength(1)
  })

  it('a reschedule or unschedule replaces the old due time', async () => {
    const { clock, calls, s } = setup()
    s.scheduleAt('did:a', clock.now() + 1000)
    s.scheduleAt('did:a', clock.now() + 5000)
    s.scheduleAt('did:b', clock.now() + 2000)
    s.unschedule('did:b')
    await clock.advance(4000)
    expect(calls).toHaveLength(0)
    await clock.advance(1000)
    expect(calls.map((c) => c.did)).toEqual(['did:a'])
  })
})
