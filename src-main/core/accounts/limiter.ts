/**
 * At most `max` tasks at once, the rest in call order. Bounds how many
 * accounts talk to their servers at the same time; ordering within one
 * account is the sequencer's job, not this one's.
 */
export class Limiter {
  private active = 0
  private readonly waiting: (() => void)[] = []
  /** The most tasks that ran at once: for benchmarks and tests. */
  peak = 0

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter.
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r))
    else this.active++
    this.peak = Math.max(this.peak, this.active)
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}
