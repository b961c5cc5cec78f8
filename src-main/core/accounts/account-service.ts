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
import { AccountsRuntime } from './account-views'
import { SkyswitchError, toErrorInfo } from '../errors'
import { type Clock, systemClock } from '../clock'
import { type RefreshOutcome, RefreshScheduler, type SchedulerOptions } from '../refresh/scheduler'
import { SequencerByKey } from './sequencer'
import { StatusWatch, type StatusWatchOptions } from '../refresh/status-watch'
import { OAuthAccountOps } from './oauth-ops'
import type { FetchHandler, OAuthSessions } from '../oauth/oauth-sessions'
import type { IdentityResolver } from '../session/identity'
import { createLoginSession } from '../session/login'
import { SessionOperations } from './password-ops'
import { DEFAULT_SERVICE, normalizeService } from '../session/service-url'
import type { SessionClient } from '../session/session-client'
import type { Vault } from '../vault/vault'

export interface AccountServiceOptions {
  vault: Vault
  sessions: SessionClient
  identity: IdentityResolver
  clock?: Clock
  scheduler?: Omit<SchedulerOptions, 'clock'>
  /** The background hosting-status watch; `false` turns it off. */
  statusWatch?: Omit<StatusWatchOptions, 'clock'> | false
  /** Accounts whose operations may run at the same time. */
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
 * (login, refresh, check, sign out, remove, activate, token hand-out) takes
 * that account's turn in a sequencer, so two never interleave; what an
 * outcome means is decided by session/policy.ts and carried out by
 * session/operations.ts.
 */
export class AccountService {
  private readonly rt: AccountsRuntime
  private readonly ops: SessionOperations
  private readonly sessions: SessionClient
  private readonly identity: IdentityResolver
  private readonly defaultService: string
  readonly scheduler: RefreshScheduler
  readonly sequencer: SequencerByKey
  readonly watch: StatusWatch | null
  private readonly oauth?: OAuthAccountOps
  /** Pending refresh per account: any number of triggers, one request. */
  private readonly refreshing = new Map<string, Promise<AccountView>>()

  constructor(opts: AccountServiceOptions) {
    const clock = opts.clock ?? systemClock
    this.sessions = opts.sessions
    this.identity = opts.identity
    this.defaultService = opts.defaultService ?? DEFAULT_SERVICE
    this.rt = new AccountsRuntime(opts.vault, clock, {
      mode: opts.mode,
      clipboardClearSeconds: opts.clipboardClearSeconds ?? 60,
      defaultService: this.defaultService,
      demo: opts.demo ?? false,
    })
    this.sequencer = new SequencerByKey(opts.maxConcurrentAccounts ?? 8)
    this.scheduler = new RefreshScheduler((did) => this.scheduledRefresh(did), { ...opts.scheduler, clock })
    this.ops = new SessionOperations(this.rt, this.sessions, this.scheduler)
    this.oauth =
      opts.oauth &&
      new OAuthAccountOps(opts.oauth, {
        rt: this.rt,
        ops: this.ops,
        scheduler: this.scheduler,
        defaultService: this.defaultService,
        revokePassword: (pdsUrl, refreshJwt) => this.sessions.deleteSession(pdsUrl, refreshJwt),
      })
    this.watch =
      opts.statusWatch === false
        ? null
        : new StatusWatch(
            {
              get: (did) => this.rt.vault.get(did),
              fetchStatus: (pds, did) => this.sessions.getRepoStatus(pds, did),
              changed: (did, hosting) => this.hostingChanged(did, hosting),
              online: () => this.rt.online,
            },
            { ...opts.statusWatch, clock },
          )
    for (const a of opts.vault.list()) {
      this.ops.scheduleFromToken(a.did)
      this.watch?.watch(a.did)
    }
  }

  // ---- reading ---------------------------------------------------------

  state(): AppState {
    return this.rt.state()
  }

  /** In-memory extras merged into every view (unread counts, AppView standing). */
  decorate(extras: (did: string) => Partial<AccountView>): void {
    this.rt.extras = extras
  }

  /** Re-announces one account (its extras changed). */
  announce(did: string): void {
    this.rt.emitAccount(did)
  }

  get(did: string): AccountView {
    return this.rt.get(did)
  }

  /** Cheap reads for per-request paths (the proxy): no views are built. */
  has = (did: string): boolean => this.rt.vault.get(did) !== undefined
  dids = (): string[] => this.rt.vault.list().map((a) => a.did)
  activeDid = (): string | null => this.rt.vault.activeDid
  pdsUrl = (did: string): string => this.rt.meta(did).pdsUrl

  on: AccountsRuntime['on'] = (event, listener) => this.rt.on(event, listener)

  findByHandleOrDid(key: string): AccountView | undefined {
    return this.rt.findByHandleOrDid(key)
  }

  // ---- one account's operations, each in that account's turn ------------------

  async login(req: LoginRequest, signal?: AbortSignal): Promise<AccountView> {
    // A re-login of a known account runs in its sequence from the first request, so a
    // reply that predates a concurrent operation (an activation, say) is never installed after it.
    const known = this.rt.findByHandleOrDid(req.identifier)
    const view = known
      ? await this.sequencer.run(known.did, () => this.loginNow(req, signal, known.did))
      : await this.loginNow(req, signal)
    this.watch?.watch(view.did)
    void this.sequencer.run(view.did, () => this.ops.loadProfile(view.did))
    return view
  }

  /** `held`: the DID whose sequence this already runs in (nested runs on one key would wait forever). */
  private async loginNow(req: LoginRequest, signal: AbortSignal | undefined, held?: string): Promise<AccountView> {
    const inSequence = <T>(did: string, op: () => Promise<T>) => (did === held ? op() : this.sequencer.run(did, op))
    const named = normalizeService(req.service ?? this.defaultService)
    const deps = { sessions: this.sessions, identity: this.identity, defaultService: this.defaultService }
    let created
    try {
      created = await createLoginSession(deps, named, req, signal)
    } catch (err) {
      if (err instanceof SkyswitchError && err.code === 'AccountTakedown') {
        const known = this.rt.findByHandleOrDid(req.identifier)
        if (known) await inSequence(known.did, () => this.ops.loginFailed(known.did, err))
      }
      throw err
    }
    const { reply, loginAt } = created
    return inSequence(reply.did, async () => {
      // Switching from OAuth: that session is revoked at its authorization server first.
      await this.oauth?.revokeQuietly(reply.did)
      return this.ops.adoptLogin(reply, loginAt)
    })
  }

  /** A check the user asked for: a refresh, which proves the refresh token is alive. */
  check(did: string): Promise<AccountView> {
    return this.sequencer.run(did, () => this.kind(did).check(did))
  }

  /** Every account, a few at a time; each result says what was checked. */
  async checkAll(): Promise<CheckAllResult[]> {
    const accounts = this.rt.vault.list()
    return Promise.all(
      accounts.map(async (a): Promise<CheckAllResult> => {
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
    const p = this.sequencer.run(did, () => this.kind(did).refresh(did)).finally(() => this.refreshing.delete(did))
    this.refreshing.set(did, p)
    return p
  }

  /** An access token valid for at least `minValidityMs`, refreshing first if needed. */
  async accessToken(did: string, minValidityMs = 5 * 60_000): Promise<{ accessJwt: string; expiresAt: number | null }> {
    const meta = this.rt.meta(did)
    this.rt.requireTokens(did)
    if (meta.auth === 'oauth') return this.oauthOps().refuseToken(did)
    if (this.ops.validUntil(meta) - this.rt.clock.now() < minValidityMs) await this.refresh(did)
    const read = () => ({
      accessJwt: this.rt.requireTokens(did).accessJwt,
      expiresAt: this.rt.meta(did).accessExpiresAt ?? null,
    })
    // Nothing queued for this account means no refresh under way: read now rather than wait
    // for a slot behind other accounts' work (every proxied call comes through here).
    if (!this.sequencer.busy(did)) return read()
    return this.sequencer.run(did, async () => read())
  }

  /** Revokes the session at the server, then forgets it; waits for what is in flight first. */
  signOut(did: string): Promise<AccountView> {
    return this.sequencer.run(did, () => this.kind(did).signOut(did))
  }

  /** Removes the account from this device, revoking its session when the server answers. */
  async remove(did: string): Promise<void> {
    this.rt.meta(did)
    this.watch?.unwatch(did)
    await this.sequencer.run(did, () => this.kind(did).remove(did))
  }

  /** com.atproto.server.activateAccount: needs the main password, not an app password. */
  activate(did: string): Promise<AccountView> {
    return this.sequencer.run(did, async () => {
      if (this.rt.meta(did).scope === 'app-password') {
        throw new SkyswitchError(
          'NotAllowed',
          'An app password cannot reactivate an account. Sign in again with the account’s main password, then reactivate.',
        )
      }
      if (this.isOAuth(did)) return this.oauthOps().activate(did)
      await this.ops.withAccess(did, (jwt, pds) => this.sessions.activateAccount(pds, jwt))
      return this.ops.refresh(did)
    })
  }

  /** Retry now: for offline and rate-limited accounts (never before a rate limit lifts). */
  async retry(did: string): Promise<AccountView> {
    const rt = this.rt.runtimeOf(did)
    if (rt?.session === 'rate-limited' && rt.retryAt && rt.retryAt > this.rt.clock.now()) {
      throw new SkyswitchError('RateLimited', 'The server asked to wait; Skyswitch will retry when it allows.', {
        retryAt: rt.retryAt,
      })
    }
    return this.refresh(did)
  }

  // ---- list management -------------------------------------------------------

  setActive = (did: string): Promise<void> => this.rt.setActive(did)
  reorder = (dids: string[]): Promise<void> => this.rt.reorder(dids)
  choosePersistence = (p: TokenPersistence): Promise<StorageInfo> => this.rt.choosePersistence(p)
  dismissNotice = (id: string): void => this.rt.dismissNotice(id)

  /** The network came back or the machine woke: refresh what is due or stuck. */
  setOnline(online: boolean): void {
    if (this.rt.online === online) return
    this.rt.online = online
    this.rt.emitState()
    if (online) this.wake()
  }

  wake(): void {
    for (const a of this.rt.vault.list()) {
      if (this.rt.runtimeOf(a.did)?.session === 'offline' && this.rt.vault.getTokens(a.did)) {
        this.scheduler.scheduleAt(a.did, this.rt.clock.now())
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

  // ---- OAuth accounts (core/oauth) --------------------------------------------

  beginOAuth(req: OAuthBeginRequest): Promise<OAuthBegun> {
    return this.oauthOps().begin(req)
  }

  /** Waits for the browser to come back, then saves the account in its turn. */
  async finishOAuth(attemptId: string): Promise<AccountView> {
    const ops = this.oauthOps()
    const signedIn = await ops.sessions.finish(attemptId)
    const view = await this.sequencer.run(signedIn.did, () => ops.adopt(signedIn))
    this.watch?.watch(signedIn.did)
    return view
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
    return this.rt.meta(did).auth === 'oauth'
  }

  /** The session calls for the account's kind of sign-in (decided when the call runs, in its turn). */
  private kind(did: string): Pick<SessionOperations, 'refresh' | 'check' | 'signOut' | 'remove'> {
    return this.isOAuth(did) ? this.oauthOps() : this.ops
  }

  private oauthOps(): OAuthAccountOps {
    if (!this.oauth) throw new SkyswitchError('NotAllowed', 'OAuth sign-in is not available here.')
    return this.oauth
  }

  // ---- helpers -------------------------------------------------------------------

  private async scheduledRefresh(did: string): Promise<RefreshOutcome> {
    const meta = this.rt.vault.get(did)
    if (!meta || !this.rt.vault.getTokens(did) || meta.scope === 'takendown') return { kind: 'done' }
    try {
      await this.refresh(did)
      // The refresh scheduled the next one itself.
      return { kind: 'done' }
    } catch {
      // The policy has already scheduled, waited or stopped; only a backoff is left to the scheduler.
      return this.scheduler.isScheduled(did) || !this.rt.vault.getTokens(did) ? { kind: 'done' } : { kind: 'transient' }
    }
  }

  /** The status watch saw the server's status differ from the one shown. */
  private hostingChanged(did: string, hosting: HostingStatus): Promise<void> {
    const refresh = (d: string) => this.kind(d).refresh(d)
    return this.sequencer.run(did, () => this.ops.hostingChanged(did, hosting, refresh))
  }
}
