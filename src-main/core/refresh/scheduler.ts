import { DueQueue, type DueQueueOptions, type RefreshOutcome } from './due-queue'

export type { RefreshOutcome } from './due-queue'

export interface SchedulerOptions extends DueQueueOptions {
  /** Refresh this fraction of the lifetime before expiry. */
  leadFraction?: number
  /** +/- this fraction of the lead, so accounts do not refresh in step. */
  jitterFraction?: number
}

/**
 * Every account's refresh, due a lead before its access token expires (a
 * fraction of the lifetime, with jitter so accounts do not refresh in step).
 * Never retries a rate limit before it lifts. How many accounts refresh at
 * once is the account service's limiter's to bound, not this queue's.
 */
export class RefreshScheduler extends DueQueue {
  private readonly lead: { fraction: number; jitter: number }

  constructor(run: (did: string) => Promise<RefreshOutcome>, opts: SchedulerOptions) {
    const { leadFraction = 0.2, jitterFraction = 0.25, ...queue } = opts
    super(run, queue)
    this.lead = { fraction: leadFraction, jitter: jitterFraction }
  }

  /** When a token that expires at `expiresAt` should be refreshed. */
  dueAt(expiresAt: number, lifetimeMs: number): number {
    const lead = lifetimeMs * this.lead.fraction * (1 + this.lead.jitter * (2 * this.opts.random() - 1))
    return expiresAt - Math.max(lead, 1_000)
  }

  scheduleToken(did: string, expiresAt: number, lifetimeMs: number): void {
    this.attempts.delete(did)
    this.scheduleAt(did, this.dueAt(expiresAt, lifetimeMs))
  }

  protected override fresh(did: string, expiresAt: number, lifetimeMs: number): void {
    this.scheduleToken(did, expiresAt, lifetimeMs)
  }
}
