import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Glance, type GlanceHost } from '../../src-main/core/glance/glance'
import type { AccountView, AppState } from '../../src-main/ipc/contract'
import { FakeClock } from '../support/fake-clock'

function account(i: number, over: Partial<AccountView> = {}): AccountView {
  return {
    did: `did:plc:acct${i}`,
    handle: `a${i}.test`,
    service: `https://pds${i % 3}.example`,
    pdsUrl: `https://pds${i % 3}.example`,
    hosting: 'active',
    session: 'signed-in',
    scope: 'full',
    ...over,
  }
}

/** A host with `n` accounts and a fetch that answers after `latencyMs` of fake time. */
function setup(n: number, opts: { latencyMs?: number; concurrency?: number; jitter?: number; seed?: number } = {}) {
  const clock = new FakeClock()
  let online = true
  const accounts = Array.from({ length: n }, (_, i) => account(i))
  const announced: string[] = []
  const host: GlanceHost = {
    state: () => ({ accounts, online }) as unknown as AppState,
    accessToken: async (did) => ({ accessJwt: `token-of-${did}` }),
    on: () => () => undefined,
    announce: (did) => void announced.push(did),
  }
  let running = 0
  let peak = 0
  const requests: { at: number; url: string; auth: string }[] = []
  const fakeFetch = (async (input: URL, init?: RequestInit) => {
    const url = String(input)
    requests.push({ at: clock.now(), url, auth: new Headers(init?.headers).get('authorization') ?? '' })
    running++
    peak = Math.max(peak, running)
    await new Promise<void>((r) => clock.setTimeout(r, opts.latencyMs ?? 50))
    running--
    const body = url.includes('getUnreadCount') ? { count: 3 } : { did: 'x', handle: 'x', labels: [] }
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
  }) as unknown as typeof fetch
  let s = opts.seed ?? 7
  const random = () => (s = (s * 16807) % 2147483647) / 2147483647
  const glance = new Glance(host, {
    clock,
    fetch: fakeFetch,
    intervalMs: 60_000,
    jitter: opts.jitter ?? 0.2,
    concurrency: opts.concurrency ?? 3,
    focusGapMs: 10_000,
    random,
  })
  return { clock, glance, requests, announced, peak: () => peak, setOnline: (v: boolean) => (online = v) }
}

describe('glance cadence', () => {
  it('rounds are jittered within bounds, concurrency is bounded, nothing runs offline (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        async (n, concurrency, jitter, seed) => {
          const t = setup(n, { concurrency, jitter, seed })
          // `intervalMs` is the cadence while the window is seen and focused.
          t.glance.setAttention({ visible: true, focused: true })
          t.glance.start()
          await t.clock.advance(10 * 60_000)
          // Two reads per account (count and profile), at most `concurrency` accounts at once.
          expect(t.peak()).toBeLessThanOrEqual(2 * concurrency)
          // The first account is read first in every round: its unread calls mark the round starts.
          const starts = t.requests.filter(
            (r) => r.url.includes('getUnreadCount') && r.auth === 'Bearer token-of-did:plc:acct0',
          )
          const roundStarts = [...new Set(starts.map((r) => r.at))]
          const gaps = roundStarts.slice(2).map((at, i) => at - roundStarts[i + 1]!)
          const roundTime = Math.ceil(n / concurrency) * 50
          for (const g of gaps) {
            expect(g).toBeGreaterThanOrEqual(Math.floor(60_000 * (1 - jitter)))
            expect(g).toBeLessThanOrEqual(Math.ceil(60_000 * (1 + jitter)) + roundTime)
          }
          t.setOnline(false)
          const before = t.requests.length
          await t.clock.advance(10 * 60_000)
          expect(t.requests.length).toBe(before)
          t.glance.stop()
        },
      ),
      { numRuns: 30, verbose: true },
    )
    // Generous: the machine may be shared; each run is pure fake time.
  }, 60_000)

  it('the first round waits a second after start, or for the window’s focus', async () => {
    const late = setup(2)
    late.glance.start()
    await late.clock.advance(999)
    expect(late.requests.length).toBe(0)
    await late.clock.advance(100)
    expect(late.requests.length).toBe(4)
    const focused = setup(2)
    focused.glance.start()
    focused.glance.setAttention({ visible: true, focused: true })
    await focused.clock.advance(100)
    expect(focused.requests.length).toBe(4)
    await focused.clock.advance(1000) // the start's own round is not run on top of it
    expect(focused.requests.length).toBe(4)
  })

  it('the window saying it is seen but not focused, or hidden, does not cut the start’s wait short', async () => {
    const t = setup(2)
    t.glance.start()
    t.glance.setAttention({ visible: true, focused: false })
    t.glance.setAttention({ visible: false, focused: false })
    await t.clock.advance(999)
    expect(t.requests.length).toBe(0)
    await t.clock.advance(100)
    expect(t.requests.length).toBe(4)
  })

  it('a round under way stops at the next account when the app goes offline', async () => {
    const t = setup(4, { concurrency: 1 })
    const round = t.glance.refreshAll()
    await t.clock.advance(60) // the first account read, the second under way
    expect(t.requests.length).toBe(4)
    t.setOnline(false)
    await t.clock.advance(1000)
    await round
    expect(t.requests.length).toBe(4)
  })

  it('each request carries its own account’s token and names no other account', async () => {
    const t = setup(6)
    const round = t.glance.refreshAll()
    await t.clock.advance(1000)
    await round
    expect(t.requests.length).toBe(12)
    for (const r of t.requests) {
      const did = /token-of-(did:plc:acct\d+)/.exec(r.auth)![1]!
      const i = Number(did.replace('did:plc:acct', ''))
      expect(r.url.startsWith(`https://pds${i % 3}.example/`)).toBe(true)
      for (let j = 0; j < 6; j++) if (j !== i) expect(decodeURIComponent(r.url)).not.toContain(`acct${j}`)
    }
  })

  it('focus starts a round unless one ran moments ago; single flight per account', async () => {
    const t = setup(2)
    const first = t.glance.onFocus()
    const again = t.glance.onFocus()
    await t.clock.advance(1000)
    await Promise.all([first, again])
    expect(t.requests.length).toBe(4)
    await t.clock.advance(5_000)
    await t.glance.onFocus()
    expect(t.requests.length).toBe(4)
    await t.clock.advance(10_000)
    const third = t.glance.onFocus()
    await t.clock.advance(1000)
    await third
    expect(t.requests.length).toBe(8)
    expect(t.glance.view('did:plc:acct0').unread).toBe(3)
    // A change is announced once; an unchanged second round announces nothing.
    expect(t.announced.filter((d) => d === 'did:plc:acct0')).toHaveLength(1)
  })
})
