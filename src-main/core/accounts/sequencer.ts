import { type Clock, systemClock } from '../clock'
import { SkyswitchError } from '../errors'

/** How long one task may hold its key's queue before the queue moves on. */
export const TASK_DEADLINE_MS = 90_000

/**
 * One promise chain per key (as VS Code's SequencerByKey): tasks for one key
 * never interleave, in call order; different keys run side by side. Every
 * task has a deadline: past it, its signal aborts and the queue moves on
 * with a typed error, so one hung call cannot hold an account forever.
 * A task must never wait for another task of its own key.
 */
export class SequencerByKey {
  private readonly tails = new Map<string, Promise<void>>()
  private readonly running = new Map<string, number>()
  /** The most tasks that ever ran at once for one key: 1 by construction. */
  peakPerKey = 0

  constructor(
    private readonly deadlineMs = TASK_DEADLINE_MS,
    /** Real time by default: a deadline bounds real waits on the network. */
    private readonly clock: Clock = systemClock,
  ) {}

  run<T>(key: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve()
    const result = prev.then(() => this.withDeadline(key, task))
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return result
  }

  /**
   * A synchronous task in the key's turn: at once when nothing is queued or
   * running for the key (synchronous code cannot interleave with anything),
   * otherwise after what is queued. Token reads take this path on every
   * proxied request, so they cost no timer and no queue when the account is idle.
   */
  async read<T>(key: string, task: () => T): Promise<T> {
    if (!this.tails.has(key)) return task()
    return this.run(key, async () => task())
  }

  /** True while anything is queued or running for `key`. */
  busy(key: string): boolean {
    return this.tails.has(key)
  }

  /** True while anything is queued or running for any key. */
  anyBusy(): boolean {
    return this.tails.size > 0
  }

  /** Resolves once everything queued for `key` so far has settled. */
  async settled(key: string): Promise<void> {
    await this.tails.get(key)
  }

  /** Resolves once every key is idle. */
  async allSettled(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values())
  }

  private withDeadline<T>(key: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const n = (this.running.get(key) ?? 0) + 1
    this.running.set(key, n)
    this.peakPerKey = Math.max(this.peakPerKey, n)
    const abort = new AbortController()
    let timer: unknown
    const late = new Promise<never>((_, fail) => {
      timer = this.clock.setTimeout(() => {
        const err = new SkyswitchError('TimedOut', 'That took too long and was stopped; try again.', {
          key: 'accounts.timedOut',
        })
        abort.abort(err)
        fail(err)
      }, this.deadlineMs)
    })
    const done = () => {
      this.clock.clearTimeout(timer)
      const left = (this.running.get(key) ?? 1) - 1
      if (left === 0) this.running.delete(key)
      else this.running.set(key, left)
    }
    // Past the deadline the key is released even if the task never settles.
    return Promise.race([Promise.resolve().then(() => task(abort.signal)), late]).finally(done)
  }
}
