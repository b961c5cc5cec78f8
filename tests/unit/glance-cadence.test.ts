/**
 * How often the glance reads, by whether anyone is looking: the real default
 * cadences on a fake clock (counts within a minute while the window is seen
 * and focused, no faster than every 5 minutes while hidden, a round at once
 * on focus, the profile at most every 30 minutes).
 */
import { describe, expect, it } from 'vitest'
import { Glance, type GlanceHost, NOBODY_LOOKING } from '../../src-main/core/glance/glance'
import type { AccountView, AppState } from '../../src-main/ipc/contract'
import { FakeClock } from '../support/fake-clock'

const MIN = 60_000
const LATENCY = 50
const FOCUSED = { visible: true, focused: true }

function account(i: number): AccountView {
  const pds = `https://pds${i}.example`
  return { did: `did:plc:acct${i}`, handle: `a${i}.test`, service: pds, pdsUrl: pds } as AccountView
}

/** Two accounts on the real default cadences; every request is logged with its fake time. */
function setup(seed = 11) {
  const clock = new FakeClock()
  const accounts = [0, 1].map((i) => ({ ...account(i), hosting: 'active', session: 'signed-in', scope: 'full' }))
  const host: GlanceHost = {
    state: () => ({ accounts, online: true }) as unknown as AppState,
    accessToken: async (did) => ({ accessJwt: `token-of-${did}` }),
    on: () => () => undefined,
    announce: () => undefined,
  }
  const requests: { at: number; url: string; auth: string }[] = []
  const fetch = (async (input: URL, init?: RequestInit) => {
    requests.push({ at: clock.now(), url: String(input), auth: new Headers(init?.headers).get('authorization') ?? '' })
    await new Promise<void>((r) => clock.setTimeout(r, LATENCY))
    const body = String(input).includes('getUnreadCount') ? { count: 1 } : { labels: [] }
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
  }) as unknown as typeof globalThis.fetch
  let s = seed
  const random = () => (s = (s * 16807) % 2147483647) / 2147483647
  const glance = new Glance(host, { clock, fetch, random })
  /** When account `i` had its unread count (or profile) read. */
  const times = (i: number, kind: 'getUnreadCount' | 'getProfile', since = -Infinity) =>
    requests.filter((r) => r.url.includes(kind) && r.auth.endsWith(`acct${i}`) && r.at >= since).map((r) => r.at)
  return { clock, glance, requests, times }
}

const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]!)

describe('glance cadence by attention', () => {
  it('assumes nobody is looking until told; hidden, counts are read 7.2–10.8 minutes apart, never under 5', async () => {
    const t = setup()
    expect(t.glance.looking).toEqual(NOBODY_LOOKING)
    t.glance.start()
    await t.clock.advance(24 * 60 * MIN)
    for (const i of [0, 1]) {
      const unread = t.times(i, 'getUnreadCount')
      for (const g of gaps(unread)) {
        expect(g).toBeGreaterThanOrEqual(5 * MIN)
        expect(g).toBeGreaterThanOrEqual(7.2 * MIN)
        expect(g).toBeLessThanOrEqual(10.8 * MIN + 2 * LATENCY)
      }
      // About 160 a day (1,440 min / 9), not the 960 of a 90 s cadence.
      expect(unread.length).toBeGreaterThan(133)
      expect(unread.length).toBeLessThan(201)
      const profile = t.times(i, 'getProfile')
      for (const g of gaps(profile)) expect(g).toBeGreaterThanOrEqual(30 * MIN)
      expect(profile.length).toBeLessThanOrEqual(49)
    }
    t.glance.stop()
  })

  it('seen and focused, counts are never more than a minute old; the profile is read at most every 30 minutes', async () => {
    const t = setup()
    t.glance.setAttention(FOCUSED)
    t.glance.start()
    await t.clock.advance(3 * 60 * MIN)
    for (const i of [0, 1]) {
      const unread = t.times(i, 'getUnreadCount')
      for (const g of gaps(unread)) expect(g + LATENCY).toBeLessThanOrEqual(MIN)
      expect(unread.length).toBeGreaterThan((3 * 60 * MIN) / (54_000 + 2 * LATENCY))
      const profile = t.times(i, 'getProfile')
      for (const g of gaps(profile)) {
        expect(g).toBeGreaterThanOrEqual(30 * MIN)
        // The first round past 30 minutes reads it.
        expect(g).toBeLessThanOrEqual(30 * MIN + 54_000 + 2 * LATENCY)
      }
      expect(profile.length).toBeGreaterThanOrEqual(6)
    }
    t.glance.stop()
  })

  it('seen but not focused, counts are read 72–108 s apart', async () => {
    const t = setup()
    t.glance.setAttention({ visible: true, focused: false })
    t.glance.start()
    await t.clock.advance(60 * MIN)
    const unread = t.times(0, 'getUnreadCount')
    expect(unread.length).toBeGreaterThan(30)
    for (const g of gaps(unread)) {
      expect(g).toBeGreaterThanOrEqual(72_000)
      expect(g).toBeLessThanOrEqual(108_000 + 2 * LATENCY)
    }
    t.glance.stop()
  })

  it('gaining focus reads counts and profiles at once (unless a round ran moments ago); losing it slows down', async () => {
    const t = setup()
    t.glance.start()
    await t.clock.advance(20 * MIN)
    const focusAt = t.clock.now()
    // A window coming back sends visibilitychange and focus together: one round, not two.
    t.glance.setAttention({ visible: true, focused: false })
    t.glance.setAttention(FOCUSED)
    t.glance.setAttention(FOCUSED)
    await t.clock.advance(1_000)
    for (const i of [0, 1]) {
      expect(t.times(i, 'getUnreadCount', focusAt)).toEqual([focusAt])
      // The profile was read at start, 20 minutes ago: focus reads it anyway.
      expect(t.times(i, 'getProfile', focusAt)).toEqual([focusAt])
    }
    // Blur and focus again within the gap (10 s): nothing new.
    t.glance.setAttention({ visible: true, focused: false })
    t.glance.setAttention(FOCUSED)
    await t.clock.advance(1_000)
    expect(t.times(0, 'getUnreadCount', focusAt)).toHaveLength(1)
    // Seen and focused: the next round within the minute.
    await t.clock.advance(58 * 1_000)
    expect(t.times(0, 'getUnreadCount', focusAt).length).toBeGreaterThanOrEqual(2)
    // Hidden to the tray: the next round no sooner than 5 minutes after the last.
    const last = Math.max(...t.times(0, 'getUnreadCount'))
    t.glance.setAttention(NOBODY_LOOKING)
    await t.clock.advance(30 * MIN)
    const after = t.times(0, 'getUnreadCount', last + 1)
    expect(after.length).toBeGreaterThan(0)
    for (const g of gaps([last, ...after])) expect(g).toBeGreaterThanOrEqual(5 * MIN)
    t.glance.stop()
  })

  it('from hidden to seen and focused, the slow timer gives way: counts within the minute from then on', async () => {
    const t = setup()
    t.glance.start()
    await t.clock.advance(MIN)
    // Focus just after a round is within the gap for nothing: the focus round runs (the last was a minute ago).
    t.glance.setAttention(FOCUSED)
    const from = t.clock.now()
    await t.clock.advance(10 * MIN)
    const unread = t.times(0, 'getUnreadCount', from)
    expect(unread[0]).toBe(from)
    for (const g of gaps(unread)) expect(g + LATENCY).toBeLessThanOrEqual(MIN)
    t.glance.stop()
  })

  it('a focused flag without a visible window counts as hidden', () => {
    const t = setup()
    expect(t.glance.setAttention({ visible: false, focused: true })).toEqual(NOBODY_LOOKING)
    expect(t.glance.intervalMs).toBe(9 * MIN)
  })
})
