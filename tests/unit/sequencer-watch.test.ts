import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { HostingStatus } from '../../src-main/ipc/contract'
import { Limiter } from '../../src-main/core/accounts/limiter'
import { SequencerByKey } from '../../src-main/core/accounts/sequencer'
import { SkyswitchError } from '../../src-main/core/errors'
import { StatusWatch } from '../../src-main/core/refresh/status-watch'
import { FakeClock } from '../support/fake-clock'

describe('SequencerByKey and Limiter', () => {
  it('never interleaves one key, keeps call order per key, bounds the whole, and survives failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ key: fc.integer({ min: 0, max: 3 }), ms: fc.integer({ min: 0, max: 3 }), fail: fc.boolean() }),
          { maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 4 }),
        async (tasks, bound) => {
          const seq = new SequencerByKey()
          const limiter = new Limiter(bound)
          const running = new Map<number, number>()
          let total = 0
          let peak = 0
          const order: number[][] = [[], [], [], []]
          await Promise.allSettled(
            tasks.map((t, i) =>
              limiter.run(() =>
                seq.run(String(t.key), async () => {
                  running.set(t.key, (running.get(t.key) ?? 0) + 1)
                  total++
                  peak = Math.max(peak, total)
                  expect(running.get(t.key)).toBe(1)
                  order[t.key]!.push(i)
                  await new Promise((r) => setTimeout(r, t.ms))
                  running.set(t.key, running.get(t.key)! - 1)
                  total--
                  if (t.fail) throw new Error('task failed')
                }),
              ),
            ),
          )
          expect(peak).toBeLessThanOrEqual(bound)
          expect(limiter.peak).toBeLessThanOrEqual(bound)
          // Each key's tasks ran in call order.
          for (const o of order) expect(o).toEqual([...o].sort((a, b) => a - b))
          expect(seq.anyBusy()).toBe(false)
          expect(seq.peakPerKey).toBeLessThanOrEqual(1)
        },
      ),
      { numRuns: 60, verbose: true },
    )
  })

  it('a read runs at once on an idle key, and after what is queued on a busy one', async () => {
    const seq = new SequencerByKey()
    const seen: string[] = []
    await seq.read('a', () => seen.push('idle read'))
    let release: () => void = () => {}
    let started: () => void = () => {}
    const running = new Promise<void>((r) => (started = r))
    const first = seq.run('a', () => {
      started()
      return new Promise<void>((r) => (release = r)).then(() => void seen.push('task'))
    })
    const read = seq.read('a', () => seen.push('read behind the task'))
    await running
    expect(seen).toEqual(['idle read'])
    release()
    await Promise.all([first, read])
    expect(seen).toEqual(['idle read', 'task', 'read behind the task'])
  })

  it('a task past its deadline frees the queue with a typed error and is told to stop', async () => {
    const clock = new FakeClock()
    const seq = new SequencerByKey(90_000, clock)
    let told: unknown
    const hung = seq.run('a', (signal) => {
      signal.addEventListener('abort', () => (told = signal.reason))
      return new Promise<never>(() => {})
    })
    const next = seq.run('a', async () => 'ran')
    const outcome = hung.then(
      () => 'settled',
      (err: unknown) => err,
    )
    await clock.advance(89_999)
    expect(seq.busy('a')).toBe(true)
    await clock.advance(1)
    const err = await outcome
    expect(err).toBeInstanceOf(SkyswitchError)
    expect((err as SkyswitchError).code).toBe('TimedOut')
    expect(told).toBe(err)
    await expect(next).resolves.toBe('ran')
    expect(seq.busy('a')).toBe(false)
  })
})

describe('StatusWatch', () => {
  function setup(statuses: Map<string, string | undefined>) {
    const clock = new FakeClock()
    const shown = new Map<string, HostingStatus>([...statuses.keys()].map((d) => [d, 'active']))
    let online = true
    const changes: { did: string; hosting: HostingStatus; at: number }[] = []
    const watch = new StatusWatch(
      {
        get: (did) => (shown.has(did) ? { did, pdsUrl: 'https://pds.example', hosting: shown.get(did)! } : undefined),
        fetchStatus: async (_pds, did) => {
          const status = statuses.get(did)
          return { active: status === undefined, status }
        },
        changed: async (did, hosting) => {
          shown.set(did, hosting)
          changes.push({ did, hosting, at: clock.now() })
        },
        online: () => online,
      },
      { clock },
    )
    for (const did of statuses.keys()) watch.watch(did)
    return { clock, watch, changes, setOnline: (v: boolean) => (online = v) }
  }

  it('costs about six requests per account per hour and notices a change within 15 minutes', async () => {
    const statuses = new Map<string, string | undefined>(Array.from({ length: 20 }, (_, i) => [`did:${i}`, undefined]))
    const { clock, watch, changes } = setup(statuses)
    await clock.advance(24 * 60 * 60_000)
    const perHour = watch.requests / 20 / 24
    expect(perHour).toBeGreaterThan(5)
    expect(perHour).toBeLessThan(7)
    expect(changes).toHaveLength(0)
    const at = clock.now()
    statuses.set('did:3', 'takendown')
    await clock.advance(15 * 60_000)
    expect(changes).toEqual([{ did: 'did:3', hosting: 'takendown', at: expect.any(Number) }])
    expect(changes[0]!.at - at).toBeLessThanOrEqual(watch.maxGapMs)
    expect(watch.maxGapMs).toBeLessThan(15 * 60_000)
  })

  it('makes no request while offline, and looks again when back', async () => {
    const { clock, watch, setOnline } = setup(new Map([['did:a', undefined]]))
    setOnline(false)
    await clock.advance(60 * 60_000)
    expect(watch.requests).toBe(0)
    setOnline(true)
    await clock.advance(15 * 60_000)
    expect(watch.requests).toBeGreaterThan(0)
  })
})
