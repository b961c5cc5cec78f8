/**
 * Every account at a glance: its unread notification count and what the
 * AppView says about it (an Ozone takedown, moderation labels), read on a
 * jittered cadence with bounded concurrency, paused while offline, and again
 * when the window gains focus. The cadence follows whether anyone is looking:
 * often while the window is seen and focused, rarely while it is hidden or in
 * the tray (nobody is looking until the window says otherwise). The profile
 * (standing) is re-read at most every `profileIntervalMs` per account, and on
 * focus. Kept in memory only: never stored with tokens.
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

/** Whether the window is on screen, and whether it has the focus. */
export interface Attention {
  visible: boolean
  focused: boolean
}

export const NOBODY_LOOKING: Attention = Object.freeze({ visible: false, focused: false })

export interface GlanceOptions {
  clock?: Clock
  fetch?: typeof globalThis.fetch
  /** Mean time between rounds while the window is visible and focused. */
  intervalMs?: number
  /** ... while it is visible but not focused (never less than `intervalMs`). */
  visibleIntervalMs?: number
  /** ... while it is hidden, in the tray, or not yet open (never less than `visibleIntervalMs`). */
  hiddenIntervalMs?: number
  /** A round re-reads an account's profile only once this long has passed since the last read. */
  profileIntervalMs?: number
  /** Each round is due at interval * (1 ± jitter) after the previous one ended. */
  jitter?: number
  /** At most this many accounts are read at once. */
  concurrency?: number
  /** Focus events closer together than this start no new round. */
  focusGapMs?: number
  /** The first round waits this long after start (or for the window's focus): the first screen comes before the network. */
  startDelayMs?: number
  timeoutMs?: number
  random?: () => number
}

/** 36–54 s: a count on screen is never more than a minute old. */
export const FOCUSED_INTERVAL_MS = 45_000
export const VISIBLE_INTERVAL_MS = 90_000
/** 7.2–10.8 min: the tray count still moves, at a sixth of the requests. */
export const HIDDEN_INTERVAL_MS = 9 * 60_000
export const PROFILE_INTERVAL_MS = 30 * 60_000

export interface GlanceEntry {
  unread?: number
  appview?: AppViewStanding
  /** Epoch ms of the last successful read. */
  glancedAt?: number
  /** Epoch ms of the last profile read (tried, whatever the answer). */
  profileAt?: number
}

export class Glance {
  private readonly host: GlanceHost
  private readonly clock: Clock
  private readonly fetchImpl: typeof globalThis.fetch
  private readonly intervals: { focused: number; visible: number; hidden: number }
  private readonly profileIntervalMs: number
  private readonly jitter: number
  private readonly concurrency: number
  private readonly focusGapMs: number
  private readonly startDelayMs: number
  private readonly timeoutMs: number
  private readonly random: () => number
  private readonly entries = new Map<string, GlanceEntry>()
  private readonly inflight = new Map<string, Promise<void>>()
  private attention: Attention = NOBODY_LOOKING
  private timer: unknown = null
  private round: { done: Promise<void>; full: boolean } | null = null
  private lastRoundAt = -Infinity
  private lastRoundEnd = -Infinity
  private started = false
  private stopped = false
  private readonly off: () => void

  constructor(host: GlanceHost, opts: GlanceOptions = {}) {
    this.host = host
    this.clock = opts.clock ?? systemClock
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init))
    const focused = opts.intervalMs ?? FOCUSED_INTERVAL_MS
    const visible = Math.max(focused, opts.visibleIntervalMs ?? VISIBLE_INTERVAL_MS)
    this.intervals = { focused, visible, hidden: Math.max(visible, opts.hiddenIntervalMs ?? HIDDEN_INTERVAL_MS) }
    this.profileIntervalMs = opts.profileIntervalMs ?? PROFILE_INTERVAL_MS
    this.jitter = Math.min(Math.max(opts.jitter ?? 0.2, 0), 0.9)
    this.concurrency = Math.max(1, opts.concurrency ?? 3)
    this.focusGapMs = opts.focusGapMs ?? 10_000
    this.startDelayMs = opts.startDelayMs ?? 1_000
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

  /** Whether anyone is looking, as the core last heard it. */
  get looking(): Attention {
    return this.attention
  }

  /** A round or a read in flight (benchmarks on a fake clock wait for it). */
  get busy(): boolean {
    return this.round !== null || this.inflight.size > 0
  }

  /** Mean time between rounds for the attention now. */
  get intervalMs(): number {
    const a = this.attention
    return !a.visible ? this.intervals.hidden : a.focused ? this.intervals.focused : this.intervals.visible
  }

  start(): void {
    this.stopped = false
    this.started = true
    this.clearTimer()
    this.timer = this.clock.setTimeout(() => {
      this.timer = null
      void this.refreshAll()
    }, this.startDelayMs)
  }

  stop(): void {
    this.stopped = true
    this.off()
    this.clearTimer()
  }

  /**
   * The window (renderer or shell) says whether it is seen and focused.
   * Gaining focus starts a fresh round (unless one ran moments ago); any
   * change re-times the next round to the new cadence.
   */
  setAttention(next: Attention): Attention {
    const was = this.attention
    this.attention = Object.freeze({ visible: next.visible, focused: next.visible && next.focused })
    const gainedFocus = this.attention.focused && !was.focused
    if (gainedFocus && this.clock.now() - this.lastRoundAt >= this.focusGapMs) void this.refreshAll()
    // Before the first round, the start's wait stands; after it, the next round comes at the new cadence.
    else if (!this.round && this.lastRoundAt !== -Infinity) this.scheduleNext()
    return this.attention
  }

  /** The window gained focus: a fresh round, unless one ran moments ago. */
  onFocus(): Promise<void> {
    if (this.clock.now() - this.lastRoundAt < this.focusGapMs) return this.round?.done ?? Promise.resolve()
    return this.refreshAll()
  }

  /** One full round (counts and profiles) over every signed-in account now. */
  refreshAll(): Promise<void> {
    return this.runRound(true)
  }

  /** Single flight per account. */
  refresh(did: string, withProfile = true): Promise<void> {
    const running = this.inflight.get(did)
    if (running) return running
    const p = this.read(did, withProfile).finally(() => this.inflight.delete(did))
    this.inflight.set(did, p)
    return p
  }

  /** A round over every signed-in account, at most `concurrency` at a time; profiles if `full` or due. */
  private runRound(full: boolean): Promise<void> {
    if (this.round) {
      // A full round asked for during a counts-only one runs right after it.
      return this.round.full || !full ? this.round.done : this.round.done.then(() => this.runRound(true))
    }
    this.clearTimer()
    this.lastRoundAt = this.clock.now()
    const run = async () => {
      const state = this.host.state()
      if (!state.online) return
      const queue = state.accounts.filter(glanceable).map((a) => a.did)
      const worker = async () => {
        for (let did = queue.shift(); did !== undefined && !this.stopped; did = queue.shift()) {
          await this.refresh(did, full || this.profileDue(did))
        }
      }
      await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker))
    }
    const done = run().finally(() => {
      this.round = null
      this.lastRoundEnd = this.clock.now()
      this.scheduleNext()
    })
    this.round = { done, full }
    return done
  }

  private profileDue(did: string): boolean {
    const at = this.entries.get(did)?.profileAt
    return at === undefined || this.clock.now() - at >= this.profileIntervalMs
  }

  private async read(did: string, withProfile: boolean): Promise<void> {
    // Checked per read, not per round: a round under way stops when the app goes offline.
    const state = this.host.state()
    const account = state.online ? state.accounts.find((a) => a.did === did) : undefined
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
    const profileAt = withProfile ? this.clock.now() : undefined
    const [count, profile] = await Promise.allSettled([
      getUnreadCount(req),
      withProfile ? getOwnProfile(req) : Promise.resolve(null),
    ])
    const prev = this.entries.get(did) ?? {}
    const next: GlanceEntry = { ...prev, profileAt: profileAt ?? prev.profileAt }
    if (count.status === 'fulfilled') next.unread = count.value
    if (profile.status === 'fulfilled') {
      if (profile.value) next.appview = standingFrom(profile.value)
    } else if (profile.reason instanceof SkyswitchError && profile.reason.code === 'AccountTakedown') {
      next.appview = standingFrom('takendown')
    }
    if (count.status === 'fulfilled' || (profile.status === 'fulfilled' && profile.value))
      next.glancedAt = this.clock.now()
    if (this.stopped || !this.host.state().accounts.some((a) => a.did === did)) return
    const changed = next.unread !== prev.unread || !sameStanding(next.appview, prev.appview)
    // Keep the previous standing object when nothing changed, so views compare equal.
    if (!changed) return void this.entries.set(did, { ...prev, glancedAt: next.glancedAt, profileAt: next.profileAt })
    this.entries.set(did, next)
    this.host.announce(did)
  }

  /** The next round: a jittered interval (for the attention now) after the last round ended. */
  private scheduleNext(): void {
    this.clearTimer()
    if (this.stopped || !this.started) return
    const spread = 1 - this.jitter + 2 * this.jitter * this.random()
    const delay = Math.max(0, this.lastRoundEnd + this.intervalMs * spread - this.clock.now())
    this.timer = this.clock.setTimeout(() => {
      this.timer = null
      void this.runRound(false)
    }, delay)
  }

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
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
