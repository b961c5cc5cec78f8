import type { Clock } from '../clock'
import { MinHeap } from './min-heap'

/** What one run came to, as the queue needs to know it to plan the next. */
export type RefreshOutcome =
  | { kind: 'fresh'; expiresAt: number; lifetimeMs: number }
  | { kind: 'transient' }
  | { kind: 'wait'; until: number }
  | { kind: 'done' }

export interface DueQueueOptions {
  clock: Clock
  /** Runs at once; the rest wait their turn in due order. */
  maxConcurrent?: number
  backoffBaseMs?: number
  backoffCapMs?: number
  random?: () => number
}

// setTimeout fires at once past 2^31-1 ms; waking hourly also bounds how long
// a missed clock jump can go unnoticed.
const MAX_TIMER_MS = 60 * 60 * 1000

/**
 * Runs one task per key at its due time, every key on one timer: a min-heap
 * of due times, the earliest one armed. Runs at most `maxConcurrent` at
 * once, backs off transient failures with capped exponential delays and
 * jitter, and waits as long as an outcome asks. The refresh scheduler and
 * the status watch are both built on it.
 */
export class DueQueue {
  private readonly heap = new MinHeap<string>()
  private readonly due = new Map<string, number>()
  protected readonly attempts = new Map<string, number>()
  private readonly ready: string[] = []
  private readonly readySet = new Set<string>()
  private readonly running = new Set<string>()
  private timer: unknown = null
  private timerAt = Infinity
  private stopped = false
  readonly opts: Required<DueQueueOptions>
  /** The most runs at once: for benchmarks and diagnostics. */
  peakConcurrency = 0

  constructor(
    private readonly run: (did: string) => Promise<RefreshOutcome>,
    opts: DueQueueOptions,
  ) {
    this.opts = {
      maxConcurrent: Infinity,
      backoffBaseMs: 5_000,
      backoffCapMs: 10 * 60_000,
      random: Math.random,
      ...opts,
    }
  }

  scheduleAt(did: string, at: number): void {
    if (this.stopped) return
    this.due.set(did, at)
    this.heap.push(did, at)
    this.arm()
  }

  unschedule(did: string): void {
    this.due.delete(did)
    this.attempts.delete(did)
  }

  isScheduled(did: string): boolean {
    return this.due.has(did)
  }

  nextDue(did: string): number | undefined {
    return this.due.get(did)
  }

  get size(): number {
    return this.due.size
  }

  /** Runs under way or waiting for a slot. */
  get busy(): number {
    return this.running.size + this.ready.length
  }

  /** After sleep or when the network is back: run everything that is due now. */
  wake(): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer)
    this.timer = null
    this.timerAt = Infinity
    this.tick()
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer)
    this.timer = null
  }

  private arm(): void {
    const next = this.peekLive()
    if (next === undefined || this.stopped) return
    if (next >= this.timerAt && this.timer !== null) return
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer)
    const delay = Math.min(Math.max(next - this.opts.clock.now(), 0), MAX_TIMER_MS)
    this.timerAt = next
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = null
      this.timerAt = Infinity
      this.tick()
    }, delay)
  }

  /** Drops heap entries that a later schedule or unschedule superseded. */
  private peekLive(): number | undefined {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (this.due.get(top.key) === top.at) return top.at
      this.heap.pop()
    }
    return undefined
  }

  private tick(): void {
    const now = this.opts.clock.now()
    for (let at = this.peekLive(); at !== undefined && at <= now; at = this.peekLive()) {
      const { key } = this.heap.pop()!
      this.due.delete(key)
      if (!this.running.has(key) && !this.readySet.has(key)) {
        this.ready.push(key)
        this.readySet.add(key)
      }
    }
    this.pump()
    this.arm()
  }

  private pump(): void {
    while (this.running.size < this.opts.maxConcurrent && this.ready.length > 0 && !this.stopped) {
      const did = this.ready.shift()!
      this.readySet.delete(did)
      this.running.add(did)
      this.peakConcurrency = Math.max(this.peakConcurrency, this.running.size)
      void this.run(did)
        .catch((): RefreshOutcome => ({ kind: 'transient' }))
        .then((outcome) => {
          this.running.delete(did)
          this.settle(did, outcome)
          this.pump()
        })
    }
  }

  private settle(did: string, outcome: RefreshOutcome): void {
    // A schedule made while this ran (a new login, say) wins.
    if (this.due.has(did) || this.stopped) return
    switch (outcome.kind) {
      case 'fresh':
        this.fresh(did, outcome.expiresAt, outcome.lifetimeMs)
        return
      case 'wait':
        this.scheduleAt(did, outcome.until)
        return
      case 'transient': {
        const n = (this.attempts.get(did) ?? 0) + 1
        this.attempts.set(did, n)
        this.scheduleAt(did, this.opts.clock.now() + this.backoff(n))
        return
      }
      case 'done':
        this.attempts.delete(did)
    }
  }

  /** A run that says when it is next due: the plain queue takes its expiry as the time. */
  protected fresh(did: string, expiresAt: number, _lifetimeMs: number): void {
    this.attempts.delete(did)
    this.scheduleAt(did, expiresAt)
  }

  /** Capped exponential backoff with full jitter in its upper half. */
  backoff(attempt: number): number {
    const { backoffBaseMs, backoffCapMs, random } = this.opts
    const ceiling = Math.min(backoffCapMs, backoffBaseMs * 2 ** Math.min(attempt - 1, 30))
    return Math.round(ceiling / 2 + (random() * ceiling) / 2)
  }
}
