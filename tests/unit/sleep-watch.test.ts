import { afterEach, describe, expect, it, vi } from 'vitest'
import { watchForSleep } from '../../src-main/browser/sleep-watch'

afterEach(() => {
  vi.useRealTimers()
})

describe('sleep detection in browser mode', () => {
  it('wakes the scheduler when the clock jumps past a timer period', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 22) })
    let wakes = 0
    const w = watchForSleep({ wake: () => void wakes++ }, 5_000, 20_000)
    vi.advanceTimersByTime(60_000)
    expect(wakes).toBe(0)
    // The machine slept for an hour: the next tick sees the jump.
    vi.setSystemTime(Date.now() + 60 * 60_000)
    vi.advanceTimersByTime(5_000)
    expect(wakes).toBe(1)
    vi.advanceTimersByTime(30_000)
    expect(wakes).toBe(1)
    w.stop()
  })
})
