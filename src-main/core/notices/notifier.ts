/**
 * Decides what to tell the user about their accounts while nobody looks at
 * the window: watches the account service's views, compares each account's
 * conditions (./standing.ts) with what held before, and turns the ones that
 * start holding into notices. Events that arrive together (within a quiet
 * gap on the clock, up to a bound) become one notice naming every account;
 * an event is never repeated until its account has left that state; an event
 * whose state is gone again by the time the batch closes is dropped. Honours
 * the global switch, per-account mutes and per-account unread opt-ins.
 * Electron-free: the shell shows what `onNotice` receives.
 */
import type { AccountView, AppSettings, AppState } from '../../ipc/contract'
import type { Clock } from '../clock'
import { type Conditions, conditionsOf, isDown, nextChangeAt } from './standing'
import type { Language } from '../../ipc/languages'
import { compose, defaultFormatTime, type FormatTime, type Notice, type NoticeEvent } from './texts'

export interface NotifierHost {
  state(): AppState
  on(event: 'state', listener: (s: AppState) => void): () => void
  on(event: 'account', listener: (a: AccountView) => void): () => void
}

export type NoticeSettings = Pick<AppSettings, 'notifications' | 'mutedDids' | 'unreadDids'>

export interface NotifierOptions {
  clock: Clock
  /** A batch closes once no event came for this long... */
  quietMs?: number
  /** ...or this long after its first event, whichever is first. */
  maxMs?: number
  formatTime?: FormatTime
  /** The language a notice is said in, asked when it is composed (the setting, else the system's). */
  language?: () => Language
}

export const QUIET_MS = 2_000
const FALLS = new Set<NoticeEvent['kind']>(['takendown', 'suspended', 'deactivated'])
export const MAX_BATCH_MS = 10_000

/** What the notifier remembers of an account between views. */
interface Seen {
  conditions: Conditions
  hosting: AccountView['hosting']
  unread?: number
  view: AccountView
}

export class Notifier {
  private readonly seen = new Map<string, Seen>()
  private readonly listeners = new Set<(n: Notice) => void>()
  private readonly offs: (() => void)[]
  private pending: NoticeEvent[] = []
  private batchStart = 0
  private batchTimer: unknown = null
  private tickTimer: unknown = null
  private online = true
  private readonly clock: Clock
  private readonly quietMs: number
  private readonly maxMs: number
  private readonly formatTime: FormatTime
  private readonly language: () => Language

  constructor(
    private readonly host: NotifierHost,
    private readonly settings: () => NoticeSettings,
    opts: NotifierOptions,
  ) {
    this.clock = opts.clock
    this.quietMs = opts.quietMs ?? QUIET_MS
    this.maxMs = opts.maxMs ?? MAX_BATCH_MS
    this.formatTime = opts.formatTime ?? defaultFormatTime
    this.language = opts.language ?? (() => 'en')
    // What the accounts look like at start is where comparisons begin: nothing already true is news.
    const s = host.state()
    this.online = s.online
    for (const a of s.accounts) this.baseline(a)
    this.offs = [host.on('state', (st) => this.onState(st)), host.on('account', (a) => this.observe(a))]
    this.sweep()
  }

  onNotice(listener: (n: Notice) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  stop(): void {
    for (const off of this.offs) off()
    this.clock.clearTimeout(this.batchTimer)
    this.clock.clearTimeout(this.tickTimer)
    this.pending = []
  }

  private onState(s: AppState): void {
    this.online = s.online
    const present = new Set(s.accounts.map((a) => a.did))
    for (const did of this.seen.keys()) if (!present.has(did)) this.seen.delete(did)
    this.pending = this.pending.filter((e) => present.has(e.did))
    for (const a of s.accounts) this.observe(a)
  }

  /** A new account: its standing as it is now is not news (time-based ones are told once it is seen). */
  private baseline(a: AccountView): void {
    const conditions = conditionsOf(a, this.clock.now())
    conditions.delete('oauth-ending')
    conditions.delete('stale')
    this.seen.set(a.did, { conditions, hosting: a.hosting, unread: a.unread, view: a })
  }

  private observe(a: AccountView): void {
    const prev = this.seen.get(a.did)
    if (!prev) {
      this.baseline(a)
      this.sweepSoon(a)
      return
    }
    // A call under way says nothing new about the account.
    if (a.session === 'refreshing') {
      this.seen.set(a.did, { ...prev, unread: this.unread(prev, a), view: a })
      return
    }
    const now = this.clock.now()
    const next = conditionsOf(a, now)
    // Offline, a failed refresh proves nothing about the account: keep what was known.
    if (!this.online) {
      const stale = prev.conditions.get('stale')
      if (stale === undefined) next.delete('stale')
      else next.set('stale', stale)
    }
    for (const [kind, reached] of next) {
      if (prev.conditions.get(kind) !== reached)
        this.queue({ did: a.did, handle: a.handle, kind, at: atOf(kind, reached) })
    }
    if (isDown(prev.hosting) && a.hosting === 'active') this.backToActive(a)
    this.seen.set(a.did, { conditions: next, hosting: a.hosting, unread: this.unread(prev, a), view: a })
    this.sweepSoon(a)
  }

  /** A count that rose since the last one seen is news, for accounts that asked for it. */
  private unread(prev: Seen, a: AccountView): number | undefined {
    if (a.unread === undefined) return prev.unread
    if (prev.unread !== undefined && a.unread > prev.unread && this.settings().unreadDids.includes(a.did)) {
      const added = a.unread - prev.unread
      const earlier = this.pending.find((e) => e.did === a.did && e.kind === 'unread')
      if (earlier) Object.assign(earlier, { unread: a.unread, added: (earlier.added ?? 0) + added })
      else this.queue({ did: a.did, handle: a.handle, kind: 'unread', unread: a.unread, added })
    }
    return a.unread
  }

  /** Back to active: unless the fall itself was never told (it came and went within one batch). */
  private backToActive(a: AccountView): void {
    const fall = this.pending.findIndex((e) => e.did === a.did && FALLS.has(e.kind))
    if (fall >= 0) {
      this.pending.splice(fall, 1)
      return
    }
    this.queue({ did: a.did, handle: a.handle, kind: 'active-again' })
  }

  private queue(e: NoticeEvent): void {
    const s = this.settings()
    if (!s.notifications || s.mutedDids.includes(e.did)) return
    // Left and reached again within one batch: it is still one event.
    const same = this.pending.findIndex((p) => p.did === e.did && p.kind === e.kind)
    if (same >= 0) this.pending.splice(same, 1)
    const now = this.clock.now()
    if (this.pending.length === 0) this.batchStart = now
    this.pending.push(e)
    this.clock.clearTimeout(this.batchTimer)
    const closeAt = Math.min(now + this.quietMs, this.batchStart + this.maxMs)
    this.batchTimer = this.clock.setTimeout(() => this.flush(), closeAt - now)
  }

  /** Closes the batch: what still holds, for accounts still wanted, as one notice. */
  private flush(): void {
    this.batchTimer = null
    const s = this.settings()
    const events = this.pending.filter((e) => s.notifications && !s.mutedDids.includes(e.did) && this.holds(e))
    this.pending = []
    if (events.length === 0) return
    const notice = compose(
      events,
      this.clock.now(),
      (did) => this.seen.get(did)?.view.avatar,
      this.formatTime,
      this.language(),
    )
    for (const l of this.listeners) l(notice)
  }

  private holds(e: NoticeEvent): boolean {
    const seen = this.seen.get(e.did)
    if (!seen) return false
    if (e.kind === 'active-again') return seen.hosting === 'active'
    if (e.kind === 'unread') return (seen.unread ?? 0) > 0
    return seen.conditions.has(e.kind)
  }

  /** Time-based conditions change without a new view: look again when the next one is due. */
  private sweepSoon(a: AccountView): void {
    const at = nextChangeAt(a, this.clock.now())
    if (at !== undefined && (this.tickAt === undefined || at < this.tickAt)) this.arm(at)
  }

  private tickAt: number | undefined

  private arm(at: number): void {
    this.clock.clearTimeout(this.tickTimer)
    this.tickAt = at
    this.tickTimer = this.clock.setTimeout(() => this.sweep(), Math.max(0, at - this.clock.now()))
  }

  /** Every account's time-based conditions, now; then the next time one can change. */
  private sweep(): void {
    this.tickTimer = null
    this.tickAt = undefined
    for (const s of [...this.seen.values()]) this.observe(s.view)
  }
}

function atOf(kind: string, reached: string): number | undefined {
  return kind === 'oauth-ending' || kind === 'stale' ? Number(reached) : undefined
}
