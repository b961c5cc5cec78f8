/**
 * Every account at a glance: its unread notification count and what the
 * AppView says about it (an Ozone takedown, moderation labels), read on a
 * jittered cadence with bounded concurrency, paused while offline, and again
 * when the window gains focus. Kept in memory only: never stored with tokens.
 */
import type { AccountView, AppState, AppViewStanding } from '../../ipc/contract'
import { SkyswitchError } from '../errors'
import { type Clock, systemClock } from '../clock'
import { getOwnProfile, getUnreadCount, type OwnRequest, standingFrom } from './appview-calls'

/** What the glance needs from the account registry (AccountService provides it). */
export interface GlanceHost {
  state(): AppState
  accessToken(did: string, minValidityMs?: number): Promise<{ accessJwt: string }>
  on(event: 'state', listener: (s: AppState) => void): () => void
  /** Re-announces an account whose glance changed. */
  announce(did: string): void
}

export interface GlanceOptions {
  clock?: Clock
  fetch?: typeof globalThis.fetch
  /** Mean time between rounds. */
  intervalMs?: number
  /** Each round is due at interval * (1 ± jitter). */
  jitter?: number
  /** At most this many accounts are read at once. */
  concurrency?: number
  /** Focus events closer together than this start no new round. */
  focusGapMs?: number
  timeoutMs?: number
  random?: () => number
}

export interface GlanceEntry {
  unread?: number
  appview?: AppViewStanding
  /** Epoch ms of the last successful read. */
  glancedAt?: number
}

export class Glance {
  private readonly host: GlanceHost
  private readonly clock: Clock
  private readonly fetchImpl: typeof globalThis.fetch
  private readonly intervalMs: number
  private readonly jitter: number
  private readonly concurrency: number
  private readonly focusGapMs: number
  private readonly timeoutMs: number
  private readonly random: () => number
  private readonly entries = new Map<string, GlanceEntry>()
  private readonly inflight = new Map<string, Promise<void>>()
  private timer: unknown = null
  private round: Promise<void> | null = null
  private lastRoundAt = -Infinity
  private stopped = false
  private readonly off: () => void

  constructor(host: GlanceHost, opts: GlanceOptions = {}) {
    this.host = host
    this.clock = opts.clock ?? systemClock
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.intervalMs = opts.intervalMs ?? 90_000
    this.jitter = Math.min(Math.max(opts.jitter ?? 0.2, 0), 0.9)
    this.concurrency = Math.max(1, opts.concurrency ?? 3)
    this.focusGapMs = opts.focusGapMs ?? 10_000
    this.timeoutMs = opts.timeoutMs ?? 15_000
    this.random = opts.random ?? Math.random
    // A new sign-in is glanced at once; a removed or signed-out account forgets its glance.
    this.off = host.on('state', (s) => this.onState(s))
  }

  /** The in-memory glance of one account, merged into its AccountView. */
  view(did: string): Pick<AccountView, 'unread' | 'appview'> {
    const e = this.entries.get(did)
    return e ? { unread: e.unread, appview: e.appview } : {}
  }

  start(): void {
    this.stopped = false
    this.scheduleNext()
    void this.refreshAll()
  }

  stop(): void {
    this.stopped = true
    this.off()
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
  }

  /** The window gained focus: a fresh round, unless one ran moments ago. */
  onFocus(): Promise<void> {
    if (this.clock.now() - this.lastRoundAt < this.focusGapMs) return this.round ?? Promise.resolve()
    return this.refreshAll()
  }

  /** One round over every signed-in account, at most `concurrency` at a time. */
  refreshAll(): Promise<void> {
    if (this.round) return this.round
    this.lastRoundAt = this.clock.now()
    const run = async () => {
      const state = this.host.state()
      if (!state.online) return
      const queue = state.accounts.filter(glanceable).map((a) => a.did)
      const worker = async () => {
        for (let did = queue.shift(); did !== undefined && !this.stopped; did = queue.shift()) {
          await this.refresh(did)
        }
      }
      await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker))
    }
    this.round = run().finally(() => (this.round = null))
    return this.round
  }

  /** Single flight per account. */
  refresh(did: string): Promise<void> {
    const running = this.inflight.get(did)
    if (running) return running
    const p = this.read(did).finally(() => this.inflight.delete(did))
    this.inflight.set(did, p)
    return p
  }

  private async read(did: string): Promise<void> {
    const account = this.host.state().accounts.find((a) => a.did === did)
    if (!account || !glanceable(account)) return
    if (!this.entries.has(did)) this.entries.set(did, {})
    let accessJwt: string
    try {
      ;({ accessJwt } = await this.host.accessToken(did, 60_000))
    } catch {
      return // Signed out, offline or rate-limited: the session's own banner says so.
    }
    const req: OwnRequest = {
      pdsUrl: account.pdsUrl,
      did,
      accessJwt,
      fetch: this.fetchImpl,
      timeoutMs: this.timeoutMs,
    }
    const [count, profile] = await Promise.allSettled([getUnreadCount(req), getOwnProfile(req)])
    const prev = this.entries.get(did) ?? {}
    const next: GlanceEntry = { ...prev }
    if (count.status === 'fulfilled') next.unread = count.value
    if (profile.status === 'fulfilled') next.appview = standingFrom(profile.value)
    else if (profile.reason instanceof SkyswitchError && profile.reason.code === 'AccountTakedown') {
      next.appview = standingFrom('takendown')
    }
    if (count.status === 'fulfilled' || profile.status === 'fulfilled') next.glancedAt = this.clock.now()
    if (this.stopped || !this.host.state().accounts.some((a) => a.did === did)) return
    const changed = next.unread !== prev.unread || !sameStanding(next.appview, prev.appview)
    // Keep the previous standing object when nothing changed, so views compare equal.
    if (!changed) return void this.entries.set(did, { ...prev, glancedAt: next.glancedAt })
    this.entries.set(did, next)
    this.host.announce(did)
  }

  private scheduleNext(): void {
    if (this.stopped) return
    const spread = 1 - this.jitter + 2 * this.jitter * this.random()
    this.timer = this.clock.setTimeout(() => {
      this.timer = null
      void this.refreshAll().finally(() => this.scheduleNext())
    }, this.intervalMs * spread)
  }

  private onState(s: AppState): void {
    const present = new Set(s.accounts.map((a) => a.did))
    for (const did of this.entries.keys()) if (!present.has(did)) this.entries.delete(did)
    for (const a of s.accounts) {
      if (!glanceable(a)) this.entries.delete(a.did)
      else if (!this.entries.has(a.did) && s.online && !this.stopped) void this.refresh(a.did)
    }
  }
}

function glanceable(a: AccountView): boolean {
  return a.session !== 'signed-out' && a.scope !== 'takendown' && a.hosting !== 'takendown'
}

function sameStanding(a: AppViewStanding | undefined, b: AppViewStanding | undefined): boolean {
  if (!a || !b) return a === b
  return a.status === b.status && a.labels.join('\n') === b.labels.join('\n')
}
