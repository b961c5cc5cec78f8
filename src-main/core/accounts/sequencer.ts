/**
 * One promise chain per key (as VS Code's SequencerByKey): tasks for one
 * account never interleave, tasks for different accounts run in parallel,
 * at most `maxConcurrent` at once. A task must never wait for another task
 * of its own key (that would wait forever); tasks call the unsequenced
 * internals instead.
 */
export class SequencerByKey {
  private readonly tails = new Map<string, Promise<void>>()
  private readonly runningKeys = new Map<string, number>()
  private running = 0
  private readonly waiting: (() => void)[] = []
  /** The most tasks that ever ran at once for one key: 1 by construction. */
  peakPerKey = 0
  /** Told when a key goes from idle to busy and back (the proxy thread follows this). */
  private readonly watchers = new Set<(key: string, busy: boolean) => void>()

  constructor(private readonly maxConcurrent = 8) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key)
    const result = (prev ?? Promise.resolve()).then(() => this.withSlot(key, task))
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.tails.set(key, tail)
    if (!prev) this.tell(key, true)
    void tail.then(() => {
      if (this.tails.get(key) !== tail) return
      this.tails.delete(key)
      this.tell(key, false)
    })
    return result
  }

  /** True while anything is queued or running for `key`. */
  busy(key: string): boolean {
    return this.tails.has(key)
  }

  /** Follows each key's idle/busy changes; returns its own unsubscribe. */
  onBusy(watcher: (key: string, busy: boolean) => void): () => void {
    this.watchers.add(watcher)
    return () => void this.watchers.delete(watcher)
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

  private tell(key: string, busy: boolean): void {
    for (const w of this.watchers) w(key, busy)
  }

  private async withSlot<T>(key: string, task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter.
    if (this.running >= this.maxConcurrent) await new Promise<void>((r) => this.waiting.push(r))
    else this.running++
    const n = (this.runningKeys.get(key) ?? 0) + 1
    this.runningKeys.set(key, n)
    this.peakPerKey = Math.max(this.peakPerKey, n)
    try {
      return await task()
    } finally {
      const left = (this.runningKeys.get(key) ?? 1) - 1
      if (left === 0) this.runningKeys.delete(key)
      else this.runningKeys.set(key, left)
      const next = this.waiting.shift()
      if (next) next()
      else this.running--
    }
  }
}
