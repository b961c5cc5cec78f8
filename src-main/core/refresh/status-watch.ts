import type { HostingStatus } from '../../ipc/contract'
import { hostingFrom } from '../session/status'
import type { Clock } from '../clock'
import { DueQueue, type RefreshOutcome } from './due-queue'

export interface WatchedAccount {
  did: string
  pdsUrl: string
  hosting: HostingStatus
}

export interface StatusWatchDeps {
  get(did: string): WatchedAccount | undefined
  /** com.atproto.sync.getRepoStatus: public, needs no token. */
  fetchStatus(pdsUrl: string, did: string): Promise<{ active?: boolean; status?: string }>
  /** The server's status differs from the one shown. */
  changed(did: string, hosting: HostingStatus): Promise<void>
  online(): boolean
}

export interface StatusWatchOptions {
  clock: Clock
  /** Mean time between two looks at one account. */
  intervalMs?: number
  /** +/- this fraction of the interval, so accounts are not polled in step. */
  jitterFraction?: number
  maxConcurrent?: number
  random?: () => number
}

/**
 * Notices hosting-status changes (takedown, suspension, deactivation, and
 * back to active) with no click: every account's public repo status is read
 * every `intervalMs` (+/- jitter) on the same clock and due-time queue as the
 * refresh scheduler, a few at a time, and not at all while offline.
 */
export class StatusWatch {
  private readonly timer: DueQueue
  private readonly interval: number
  private readonly jitter: number
  private readonly random: () => number
  /** Requests made so far: for benchmarks. */
  requests = 0

  constructor(
    private readonly deps: StatusWatchDeps,
    private readonly opts: StatusWatchOptions,
  ) {
    // 8.8–13.2 min apart: a hosting change shows within 15 minutes, at about 131 looks an account a day.
    this.interval = opts.intervalMs ?? 11 * 60_000
    this.jitter = opts.jitterFraction ?? 0.2
    this.random = opts.random ?? Math.random
    this.timer = new DueQueue((did) => this.look(did), {
      clock: opts.clock,
      maxConcurrent: opts.maxConcurrent ?? 4,
      random: this.random,
      backoffBaseMs: 30_000,
      backoffCapMs: this.interval,
    })
  }

  /** The longest an unchanged-looking status can go unread. */
  get maxGapMs(): number {
    return this.interval * (1 + this.jitter)
  }

  /** Starts watching (first look spread over one interval, so a start is not a burst). */
  watch(did: string): void {
    if (this.timer.isScheduled(did)) return
    this.timer.scheduleAt(did, this.opts.clock.now() + this.random() * this.interval)
  }

  unwatch(did: string): void {
    this.timer.unschedule(did)
  }

  isWatching(did: string): boolean {
    return this.timer.isScheduled(did)
  }

  /** Looks running or waiting for a slot. */
  get busy(): number {
    return this.timer.busy
  }

  /** Back online or awake: look at what fell due. */
  wake(): void {
    this.timer.wake()
  }

  stop(): void {
    this.timer.stop()
  }

  private next(): number {
    return this.opts.clock.now() + this.interval * (1 + this.jitter * (2 * this.random() - 1))
  }

  private async look(did: string): Promise<RefreshOutcome> {
    const account = this.deps.get(did)
    if (!account) return { kind: 'done' }
    // Paused while offline: no requests, look again a period later.
    if (!this.deps.online()) return { kind: 'wait', until: this.next() }
    this.requests++
    let hosting: HostingStatus
    try {
      hosting = hostingFrom(await this.deps.fetchStatus(account.pdsUrl, did))
    } catch {
      return { kind: 'transient' }
    }
    if (hosting !== this.deps.get(did)?.hosting) await this.deps.changed(did, hosting).catch(() => undefined)
    return { kind: 'wait', until: this.next() }
  }
}
