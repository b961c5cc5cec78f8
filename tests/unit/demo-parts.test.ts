import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mapLimit } from '../../scripts/demo/map-limit'
import { DEMO_STATES, planAccounts } from '../../scripts/demo/plan'

describe('demo: bounded parallel creation', () => {
  it('keeps the order of results and never runs more than the bound at once (fast-check prints the seed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 5 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        async (delays, limit) => {
          let running = 0
          let peak = 0
          const out = await mapLimit(delays, limit, async (ticks, i) => {
            running++
            peak = Math.max(peak, running)
            for (let t = 0; t < ticks; t++) await Promise.resolve()
            running--
            return i * 2
          })
          expect(out).toEqual(delays.map((_, i) => i * 2))
          expect(peak).toBeLessThanOrEqual(limit)
          if (delays.length > 0) expect(peak).toBeGreaterThanOrEqual(Math.min(limit, delays.length, 1))
        },
      ),
    )
  }, 30_000)

  it('a failure rejects the whole run', async () => {
    await expect(
      mapLimit([1, 2, 3], 2, async (x) => {
        if (x === 2) throw new Error('no')
        return x
      }),
    ).rejects.toThrow('no')
  })
})

describe('demo: the account plan', () => {
  it('N accounts in all: the states first, then unique active ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (n) => {
        const plan = planAccounts(n)
        expect(plan).toHaveLength(n)
        expect(new Set(plan.map((p) => p.name)).size).toBe(n)
        expect(plan.slice(0, DEMO_STATES.length)).toEqual(DEMO_STATES.slice(0, n))
        const rest = plan.slice(DEMO_STATES.length)
        expect(rest.filter((p) => p.state !== 'active' || !/^user\d{4}$/.test(p.name))).toEqual([])
      }),
      { numRuns: 40 },
    )
  }, 30_000)

  it('every state a user should recognise has an account and a banner', () => {
    expect(DEMO_STATES.map((s) => s.state).sort()).toEqual(
      ['active', 'deactivated', 'offline', 'rate-limited', 'second-pds', 'signed-out', 'suspended', 'takendown'].sort(),
    )
    for (const s of DEMO_STATES) expect(s.banner.length).toBeGreaterThan(0)
  })
})
