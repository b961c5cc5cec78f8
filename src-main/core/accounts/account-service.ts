import type {
  AccountView,
  AppState,
  CheckAllResult,
  HostingStatus,
  LoginRequest,
  OAuthBeginRequest,
  OAuthBegun,
  StorageInfo,
  TokenPersistence,
} from '../../ipc/contract'
import { type Clock, systemClock } from '../clock'
import { SkyswitchError, toErrorInfo } from '../errors'
import type { FetchHandler, OAuthSessions } from '../oauth/oauth-sessions'
import { type RefreshOutcome, RefreshScheduler, type SchedulerOptions } from '../refresh/scheduler'
import { StatusWatch, type StatusWatchOptions } from '../refresh/status-watch'
import type { IdentityResolver } from '../session/identity'
import { createLoginSession } from '../session/login'
import { DEFAULT_SERVICE, normalizeService } from '../session/service-url'
import type { SessionClient } from '../session/session-client'
import type { Vault } from '../vault/vault'
import { AccountViews } from './account-views'
import { Applier, validUntil } from './apply'
import { Limiter } from './limiter'
import { OAuthOps } from './oauth-ops'
import { PasswordOps } from './password-ops'
import { SequencerByKey } from './sequencer'
import { SignIn } from './sign-in'

export interface AccountServiceOptions {
  vault: Vault
  sessions: SessionClient
  identity: IdentityResolver
  clock?: Clock
  scheduler?: Omit<SchedulerOptions, 'clock'>
  /** The background hosting-status watch; `false` turns it off. */
  statusWatch?: Omit<StatusWatchOptions, 'clock'> | false
  /** Accounts whose operations may talk to their servers at the same time. */
  maxConcurrentAccounts?: number
  /** Shown by the UI next to copy buttons. */
  clipboardClearSeconds?: number
  mode: AppState['mode']
  defaultService?: string
  demo?: boolean
  /** OAuth sign-in (core/oauth); accounts with `auth: 'oauth'` go through it. */
  oauth?: OAuthSessions
}

/**
 * The registry: one owner per account. Every operation on an account
 * (sign-in, refresh, check, sign out, remove, reactivate, token hand-out)
 * takes that account's turn in the sequencer, so two never interleave; a
 * limiter bounds how many accounts talk to their servers at once. What an
 * outcome means is decided by ./state-machine.ts and carried out by
 * ./apply.ts (docs/ARCHITECTURE.md).
 */
export class AccountService {
  private readonly views: AccountViews
  private readonly applier: Applier
  private readonly password: PasswordOps
  private readonly oauth?: OAuthOps
  private readonly signIn: SignIn
  private readonly sessions: SessionClient
  private readonly limiter: Limiter
  readonly scheduler: RefreshScheduler
  readonly sequencer = new SequencerByKey()
  readonly watch: StatusWatch | null
  /** Pending refresh per account: any number of triggers, one request. */
  private readonly refreshing = new Map<string, Promise<AccountView>>()

  constructor(opts: AccountServiceOptions) {
    const clock = opts.clock ?? systemClock
    const defaultService = opts.defaultService ?? DEFAULT_SERVICE
    const loginDeps = { sessions: opts.sessions, identity: opts.identity, defaultService }
    this.sessions = opts.sessions
    this.views = new AccountViews(opts.vault, clock, {
      mode: opts.mode,
      clipboardClearSeconds: opts.clipboardClearSeconds ?? 60,
      defaultService,
      demo: opts.demo ?? false,
    })
    this.limiter = new Limiter(opts.maxConcurrentAccounts ?? 4)
    this.scheduler = new RefreshScheduler((did) => this.scheduledRefresh(did), { ...opts.scheduler, clock })
    this.applier = new Applier(this.views, this.scheduler, this.sessions, opts.oauth)
    this.password = new PasswordOps(this.views, this.sessions, this.applier, clock)
    this.oauth = opts.oauth && new OAuthOps(opts.oauth, this.views, this.applier, clock, defaultService)
    this.signIn = new SignIn({
      views: this.views,
      password: this.password,
      login: (req, named, signal) => createLoginSession(loginDeps, normalizeService(named), req, signal),
      defaultService,
      turn: (did, task) => this.turn(did, task),
      watch: (did) => this.watch?.watch(did),
    })
    this.watch =
      opts.statusWatch === false
        ? null
        : new StatusWatch(
            {
              get: (did) => this.views.vault.get(did),
              fetchStatus: (pds, did) => this.sessions.getRepoStatus(pds, did),
              changed: (did, hosting) => this.hostingChanged(did, hosting),
              online: () => this.views.online,
            },
            { ...opts.statusWatch, clock },
          )
    for (const a of opts.vault.list()) {
      this.applier.scheduleFromToken(a.did)
      this.watch?.watch(a.did)
    }
  }

  state = (): AppState => this.views.state()
  get = (did: string): AccountView => this.views.get(did)
  /** In-memory extras merged into every view (unread counts, AppView standing). */
  decorate = (extras: (did: string) => Partial<AccountView>): void => void (this.views.extras = extras)
  /** Re-announces one account (its extras changed). */
  announce = (did: string): void => this.views.emitAccount(did)

  /** Cheap reads for per-request paths (the proxy): no views are built. */
  has = (did: string): boolean => this.views.vault.get(did) !== undefined
  dids = (): string[] => this.views.vault.list().map((a) => a.did)
  activeDid = (): string | null => this.views.vault.activeDid
  pdsUrl = (did: string): string => this.views.meta(did).pdsUrl

  on: AccountViews['on'] = (event, listener) => this.views.on(event, listener)

  findByHandleOrDid(key: string): AccountView | undefined {
    return this.views.findByHandleOrDid(key)
  }

  /** A password sign-in (./sign-in.ts); adding an account never changes which one is active. */
  login(req: LoginRequest, signal?: AbortSignal): Promise<AccountView> {
    return this.signIn.password(req, signal)
  }

  /** A check the user asked for: a refresh, which proves the refresh token is alive. */
  check(did: string): Promise<AccountView> {
    return this.turn(did, () => {
      this.views.requireTokens(did)
      if (!this.isOAuth(did)) this.notRateLimited(did, 'check')
      return this.kind(did).check(did)
    })
  }

  /** Every account, a few at a time; each result says what was checked. */
  async checkAll(): Promise<CheckAllResult[]> {
    return Promise.all(
      this.views.vault.list().map(async (a): Promise<CheckAllResult> => {
        try {
          const v = await this.check(a.did)
          return { did: a.did, handle: a.handle, ok: true, checked: v.lastCheckedWith }
        } catch (err) {
          return { did: a.did, handle: a.handle, ok: false, error: toErrorInfo(err) }
        }
      }),
    )
  }

  /** Single flight: every trigger while a refresh is pending shares its result. */
  refresh(did: string): Promise<AccountView> {
    const pending = this.refreshing.get(did)
    if (pending) return pending
    const p = this.turn(did, (s) => this.refreshNow(did, s)).finally(() => this.refreshing.delete(did))
    this.refreshing.set(did, p)
    return p
  }

  /**
   * An access token valid for at least `minValidityMs` (refreshed first if
   * needed), read in the account's turn: no token is handed out while
   * another operation may be replacing it.
   */
  async accessToken(did: string, minValidityMs = 5 * 60_000): Promise<{ accessJwt: string; expiresAt: number | null }> {
    if (this.isOAuth(did)) return this.oauthOps().refuseToken(did)
    this.views.requireTokens(did)
    // Riding the single flight: a refresh under way (or one this starts) serves every caller.
    if (validUntil(this.views.meta(did)) - this.views.clock.now() < minValidityMs) await this.refresh(did)
    return this.sequencer.read(did, () => ({
      accessJwt: this.views.requireTokens(did).accessJwt,
      expiresAt: this.views.meta(did).accessExpiresAt ?? null,
    }))
  }

  /** Revokes every token of the session at the server, then forgets them; waits for what is in flight first. */
  signOut(did: string): Promise<AccountView> {
    return this.turn(did, async () => {
      await this.applier.settle(did, this.views.stateOf(did), { kind: 'ended', how: 'signed-out' }, 'none')
      return this.views.get(did)
    })
  }

  /** Removes the account from this device, revoking its session when the server answers. */
  async remove(did: string): Promise<void> {
    this.views.meta(did)
    this.watch?.unwatch(did)
    await this.turn(did, async () => {
      if (!this.views.vault.get(did)) return
      await this.applier.settle(did, this.views.stateOf(did), { kind: 'ended', how: 'removed' }, 'none')
    })
  }

  /** com.atproto.server.activateAccount: needs the main password, not an app password. */
  activate(did: string): Promise<AccountView> {
    return this.turn(did, async () => {
      if (this.views.meta(did).scope === 'app-password') {
        throw new SkyswitchError(
          'NotAllowed',
          'An app password cannot reactivate an account. Sign in again with the account’s main password, then reactivate.',
          { key: 'accounts.appPasswordReactivate' },
        )
      }
      return this.kind(did).activate(did)
    })
  }

  /** Retry now: for offline and rate-limited accounts (never before a rate limit lifts). */
  async retry(did: string): Promise<AccountView> {
    this.notRateLimited(did, 'retry')
    return this.refresh(did)
  }

  setActive = (did: string): Promise<void> => this.views.setActive(did)
  reorder = (dids: string[]): Promise<void> => this.views.reorder(dids)
  choosePersistence = (p: TokenPersistence): Promise<StorageInfo> => this.views.choosePersistence(p)
  dismissNotice = (id: string): void => this.views.dismissNotice(id)

  /** The network came back or the machine woke: refresh what is due or stuck. */
  setOnline(online: boolean): void {
    if (this.views.online === online) return
    this.views.online = online
    this.views.emitState()
    if (online) this.wake()
  }

  wake(): void {
    for (const a of this.views.vault.list()) {
      if (this.views.runtimeOf(a.did)?.session === 'offline' && this.views.vault.getTokens(a.did)) {
        this.scheduler.scheduleAt(a.did, this.views.clock.now())
      }
    }
    this.scheduler.wake()
    this.watch?.wake()
  }

  stop(): void {
    this.scheduler.stop()
    this.watch?.stop()
    this.oauth?.sessions.stop()
  }

  /** Resolves once no operation is queued or running on any account. */
  idle(): Promise<void> {
    return this.sequencer.allSettled()
  }

  beginOAuth(req: OAuthBeginRequest): Promise<OAuthBegun> {
    return this.oauthOps().begin(req)
  }

  /** Waits for the browser to come back, then saves the account in its turn. */
  finishOAuth(attemptId: string): Promise<AccountView> {
    return this.signIn.oauth(this.oauthOps(), attemptId)
  }

  cancelOAuth(attemptId: string): void {
    this.oauth?.sessions.cancel(attemptId)
  }

  /** The DPoP-signing fetch of an OAuth account, for the local proxy. */
  fetchHandler(did: string): FetchHandler {
    if (!this.isOAuth(did)) throw new SkyswitchError('BadRequest', 'Not an OAuth account.')
    return this.oauthOps().fetchHandler(did)
  }

  isOAuth(did: string): boolean {
    return this.views.meta(did).auth === 'oauth'
  }

  /** One operation in the account's turn, within the bound on accounts at work at once. */
  private turn<T>(did: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.limiter.run(() => this.sequencer.run(did, task))
  }

  /** The session calls for the account's kind of sign-in (decided when the call runs, in its turn). */
  private kind(did: string): Pick<PasswordOps, 'refresh' | 'check' | 'activate'> {
    return this.isOAuth(did) ? this.oauthOps() : this.password
  }

  private refreshNow(did: string, signal?: AbortSignal): Promise<AccountView> {
    return this.isOAuth(did) ? this.oauthOps().refresh(did) : this.password.refresh(did, signal)
  }

  private oauthOps(): OAuthOps {
    if (!this.oauth)
      throw new SkyswitchError('NotAllowed', 'OAuth sign-in is not available here.', {
        key: 'accounts.oauthUnavailable',
      })
    return this.oauth
  }

  private notRateLimited(did: string, what: 'check' | 'retry'): void {
    const rt = this.views.runtimeOf(did)
    if (rt?.session === 'rate-limited' && rt.retryAt && rt.retryAt > this.views.clock.now()) {
      throw new SkyswitchError('RateLimited', `The server asked to wait; Skyswitch will ${what} when it allows.`, {
        retryAt: rt.retryAt,
        key: what === 'check' ? 'accounts.waitCheck' : 'accounts.waitRetry',
      })
    }
  }

  private async scheduledRefresh(did: string): Promise<RefreshOutcome> {
    const meta = this.views.vault.get(did)
    if (!meta || !this.views.vault.getTokens(did) || meta.scope === 'takendown') return { kind: 'done' }
    try {
      await this.refresh(did)
      // The refresh scheduled the next one itself.
      return { kind: 'done' }
    } catch {
      // The decision has already scheduled, waited or stopped; only a backoff is left to the scheduler.
      return this.scheduler.isScheduled(did) || !this.views.vault.getTokens(did)
        ? { kind: 'done' }
        : { kind: 'transient' }
    }
  }

  /** The status watch saw the server's status differ from the one shown. */
  private hostingChanged(did: string, hosting: HostingStatus): Promise<void> {
    return this.turn(did, (s) => this.password.hostingChanged(did, hosting, (d) => this.refreshNow(d, s)))
  }
}
