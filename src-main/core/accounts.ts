import type {
  AccountView,
  AppNotice,
  AppState,
  CheckAllResult,
  ErrorInfo,
  LoginRequest,
  OAuthBeginRequest,
  OAuthBegun,
  SessionState,
  StorageInfo,
  TokenPersistence,
} from '../ipc/contract'
import { type Clock, systemClock } from './refresh/clock'
import { SkyswitchError, toErrorInfo } from './errors'
import { type IdentityResolver, pdsFromDidDoc } from './session/identity'
import { readClaims, type TokenClaims } from './session/jwt'
import { type RefreshOutcome, RefreshScheduler, type SchedulerOptions } from './refresh/scheduler'
import { DEFAULT_SERVICE, normalizeService } from './session/service-url'
import type { SessionClient, SessionInfo, SessionReply } from './session/session-client'
import { hostingFrom } from './session/status'
import type { AccountMeta, Tokens, Vault } from './vault/vault'
import { type AccountHost, OAuthAccountOps } from './oauth/oauth-accounts'
import type { FetchHandler, OAuthSessions } from './oauth/oauth-sessions'

export interface AccountServiceOptions {
  vault: Vault
  sessions: SessionClient
  identity: IdentityResolver
  clock?: Clock
  scheduler?: Omit<SchedulerOptions, 'clock'>
  /** Shown by the UI next to copy buttons. */
  clipboardClearSeconds?: number
  mode: AppState['mode']
  defaultService?: string
  /** OAuth sign-in (core/oauth); accounts with `auth: 'oauth'` go through it. */
  oauth?: OAuthSessions
}

interface Runtime {
  session: SessionState
  retryAt?: number
  lastError?: ErrorInfo
}

type Listener = {
  state: (s: AppState) => void
  account: (a: AccountView) => void
}

const DEFAULT_LIFETIME_MS = 2 * 60 * 60 * 1000

/**
 * Every account's session: login, check, refresh, sign-out, removal, and the
 * status each reply implies. Tokens are persisted through the vault before
 * they are used or announced; refreshes are single-flight per account.
 */
export class AccountService {
  private readonly vault: Vault
  private readonly sessions: SessionClient
  private readonly identity: IdentityResolver
  private readonly clock: Clock
  readonly scheduler: RefreshScheduler
  private readonly runtime = new Map<string, Runtime>()
  private readonly inflight = new Map<string, Promise<AccountView>>()
  private readonly listeners = { state: new Set<Listener['state']>(), account: new Set<Listener['account']>() }
  private readonly notices: AppNotice[]
  private online = true
  private readonly clipboardClearSeconds: number
  private readonly mode: AppState['mode']
  private readonly defaultService: string
  private readonly oauth?: OAuthAccountOps

  constructor(opts: AccountServiceOptions) {
    this.vault = opts.vault
    this.sessions = opts.sessions
    this.identity = opts.identity
    this.clock = opts.clock ?? systemClock
    this.clipboardClearSeconds = opts.clipboardClearSeconds ?? 60
    this.mode = opts.mode
    this.defaultService = opts.defaultService ?? DEFAULT_SERVICE
    this.notices = [...opts.vault.notices]
    this.oauth = opts.oauth && new OAuthAccountOps(opts.oauth, this.oauthHost())
    this.scheduler = new RefreshScheduler((did) => this.scheduledRefresh(did), {
      ...opts.scheduler,
      clock: this.clock,
    })
    for (const a of this.vault.list()) {
      this.runtime.set(a.did, { session: a.signedIn ? 'signed-in' : 'signed-out' })
      this.scheduleFromToken(a.did)
    }
  }

  // ---- reading ---------------------------------------------------------

  state(): AppState {
    return {
      accounts: this.vault.list().map((m) => this.view(m)),
      activeDid: this.vault.activeDid,
      storage: this.vault.storage,
      notices: [...this.notices],
      online: this.online,
      clipboardClearSeconds: this.clipboardClearSeconds,
      mode: this.mode,
      defaultService: this.defaultService,
    }
  }

  view(meta: AccountMeta): AccountView {
    const rt = this.runtime.get(meta.did) ?? { session: meta.signedIn ? 'signed-in' : 'signed-out' }
    const { signedIn: _s, ...rest } = meta
    return { ...rest, session: rt.session, retryAt: rt.retryAt, lastError: rt.lastError }
  }

  get(did: string): AccountView {
    return this.view(this.meta(did))
  }

  on<K extends keyof Listener>(event: K, listener: Listener[K]): () => void {
    const set = this.listeners[event] as Set<Listener[K]>
    set.add(listener)
    return () => void set.delete(listener)
  }

  // ---- login -------------------------------------------------------------

  async login(req: LoginRequest, signal?: AbortSignal): Promise<AccountView> {
    const named = normalizeService(req.service ?? this.defaultService)
    const resolved = await this.identity.resolve(req.identifier, named, this.sessions, signal)
    // A provider the user typed wins. With the default one, sign in where the
    // account lives, unless that is behind the default entryway (bsky.social's
    // PDSes only accept logins through it).
    const chosen = named !== this.defaultService
    const loginAt =
      !chosen && resolved && !new URL(resolved.pdsUrl).hostname.endsWith('.bsky.network') ? resolved.pdsUrl : named
    let reply: SessionReply
    try {
      reply = await this.sessions.createSession(
        loginAt,
        {
          identifier: req.identifier.replace(/^@/, ''),
          password: req.password,
          authFactorToken: req.authFactorToken,
          allowTakendown: req.allowTakendown,
        },
        signal,
      )
    } catch (err) {
      if (err instanceof SkyswitchError && err.code === 'AccountTakedown') {
        const known = (resolved && this.vault.get(resolved.did)) || this.findByHandleOrDid(req.identifier)
        if (known) await this.markTakendown(known.did)
      }
      throw err
    }
    if (resolved && resolved.did !== reply.did && !req.identifier.includes('@')) {
      throw new SkyswitchError('ResolutionFailed', `${req.identifier} belongs to a different account on that server.`)
    }
    const access = readClaims(reply.accessJwt, 'access')
    const refresh = readClaims(reply.refreshJwt, 'refresh')
    const previous = this.vault.get(reply.did)
    const now = this.clock.now()
    const meta: AccountMeta = {
      ...(previous ?? {}),
      did: reply.did,
      handle: reply.handle,
      service: loginAt,
      pdsUrl: pdsFromDidDoc(reply.didDoc) ?? loginAt,
      email: reply.email,
      emailConfirmed: reply.emailConfirmed,
      hosting: hostingFrom(reply),
      signedIn: true,
      auth: 'password',
      scope: access.scope,
      accessExpiresAt: access.expiresAt,
      refreshExpiresAt: refresh.expiresAt,
      lastRefreshAt: now,
      lastCheckedAt: now,
    }
    // OAuth hook: switching from OAuth revokes that session (it is read from the vault, so first).
    await this.oauth?.revokeQuietly(reply.did)
    const oldTokens = previous?.auth === 'oauth' ? undefined : this.vault.getTokens(reply.did)
    await this.vault.saveAccount(meta, tokensOf(reply))
    this.setRuntime(reply.did, { session: 'signed-in' })
    this.scheduleFromToken(reply.did)
    this.emitState()
    // A previous session of the same account on this device is revoked, not leaked.
    if (oldTokens && oldTokens.refreshJwt !== reply.refreshJwt) {
      void this.sessions.deleteSession(meta.pdsUrl, oldTokens.refreshJwt).catch(() => undefined)
    }
    void this.loadProfile(reply.did)
    return this.get(reply.did)
  }

  // ---- verify, refresh ----------------------------------------------------

  /** getSession: verifies the account and fills email, DID document and status. */
  async check(did: string, signal?: AbortSignal): Promise<AccountView> {
    const meta = this.meta(did)
    if (meta.auth === 'oauth') return this.checkOAuth(did) // OAuth hook
    let tokens = this.requireTokens(did)
    if (meta.scope !== 'takendown' && this.expiresWithin(meta, 60_000)) {
      await this.refresh(did)
      tokens = this.requireTokens(did)
    }
    let info: SessionInfo
    try {
      info = await this.sessions.getSession(this.meta(did).pdsUrl, tokens.accessJwt, signal)
    } catch (err) {
      if (!(err instanceof SkyswitchError)) throw err
      if (this.meta(did).scope === 'takendown') {
        // The takedown token is narrow: getSession refuses it by design.
        await this.vault.patch(did, { hosting: 'takendown', lastCheckedAt: this.clock.now() })
        this.emitAccount(did)
        return this.get(did)
      }
      if (err.code === 'ServerRefused') {
        // "Could not find user info": the account may have been taken down;
        // only a refresh tells.
        await this.refresh(did)
        return this.get(did)
      }
      await this.applyError(did, err)
      throw err
    }
    await this.vault.patch(did, {
      handle: info.handle,
      email: info.email,
      emailConfirmed: info.emailConfirmed,
      hosting: hostingFrom(info),
      pdsUrl: pdsFromDidDoc(info.didDoc) ?? this.meta(did).pdsUrl,
      lastCheckedAt: this.clock.now(),
    })
    this.setRuntime(did, { session: 'signed-in' })
    this.emitAccount(did)
    return this.get(did)
  }

  async checkAll(): Promise<CheckAllResult[]> {
    const results: CheckAllResult[] = []
    for (const a of this.vault.list()) {
      try {
        await this.check(a.did)
        results.push({ did: a.did, handle: a.handle, ok: true })
      } catch (err) {
        results.push({ did: a.did, handle: a.handle, ok: false, error: toErrorInfo(err) })
      }
    }
    return results
  }

  /** Single flight: every caller while a refresh runs gets that refresh's result. */
  refresh(did: string): Promise<AccountView> {
    const running = this.inflight.get(did)
    if (running) return running
    const p = this.doRefresh(did).finally(() => this.inflight.delete(did))
    this.inflight.set(did, p)
    return p
  }

  /** An access token valid for at least `minValidityMs`, refreshing first if needed. */
  async accessToken(did: string, minValidityMs = 5 * 60_000): Promise<{ accessJwt: string; expiresAt: number }> {
    const meta = this.meta(did)
    this.requireTokens(did)
    if (meta.auth === 'oauth') return this.oauthOps().refuseToken(did) // OAuth hook
    if (this.expiresWithin(meta, minValidityMs)) await this.refresh(did)
    const tokens = this.requireTokens(did)
    return { accessJwt: tokens.accessJwt, expiresAt: this.meta(did).accessExpiresAt ?? 0 }
  }

  private async doRefresh(did: string): Promise<AccountView> {
    const meta = this.meta(did)
    const tokens = this.requireTokens(did)
    if (meta.auth === 'oauth') return this.refreshOAuth(did) // OAuth hook
    if (meta.scope === 'takendown') {
      throw new SkyswitchError('AccountTakedown', 'A taken-down account’s session cannot be refreshed.')
    }
    const before = this.runtime.get(did)
    this.setRuntime(did, { session: 'refreshing' })
    this.emitAccount(did)
    let reply: SessionReply
    let access: TokenClaims
    let refresh: TokenClaims
    try {
      reply = await this.sessions.refreshSession(meta.pdsUrl, tokens.refreshJwt)
      access = readClaims(reply.accessJwt, 'access')
      refresh = readClaims(reply.refreshJwt, 'refresh')
    } catch (err) {
      const typed =
        err instanceof SkyswitchError ? err : new SkyswitchError('Internal', 'The refresh failed unexpectedly.')
      await this.applyError(did, typed, before)
      throw typed
    }
    // Persist first: the new tokens are on disk before anything uses them.
    await this.vault.saveAccount(
      {
        ...this.meta(did),
        handle: reply.handle,
        hosting: hostingFrom(reply),
        pdsUrl: pdsFromDidDoc(reply.didDoc) ?? this.meta(did).pdsUrl,
        scope: access.scope,
        accessExpiresAt: access.expiresAt,
        refreshExpiresAt: refresh.expiresAt,
        lastRefreshAt: this.clock.now(),
        signedIn: true,
      },
      tokensOf(reply),
    )
    this.setRuntime(did, { session: 'signed-in' })
    this.scheduleFromToken(did)
    this.emitAccount(did)
    return this.get(did)
  }

  private async scheduledRefresh(did: string): Promise<RefreshOutcome> {
    if (!this.vault.get(did) || !this.vault.getTokens(did)) return { kind: 'done' }
    try {
      const view = await this.refresh(did)
      const exp = view.accessExpiresAt ?? this.clock.now() + DEFAULT_LIFETIME_MS
      return { kind: 'fresh', expiresAt: exp, lifetimeMs: this.lifetimeOf(did) }
    } catch (err) {
      if (!(err instanceof SkyswitchError)) return { kind: 'transient' }
      switch (err.code) {
        case 'RateLimited':
          return { kind: 'wait', until: err.retryAt ?? this.clock.now() + 60_000 }
        // The tokens are gone (or the account is): nothing left to refresh.
        case 'SignedOut':
        case 'AccountTakedown':
        case 'NotFound':
          return { kind: 'done' }
        // Anything else keeps the tokens and retries with capped backoff.
        default:
          return { kind: 'transient' }
      }
    }
  }

  /** The state a failed call implies. Only SignedOut and AccountTakedown drop tokens. */
  private async applyError(did: string, err: SkyswitchError, before?: Runtime): Promise<void> {
    const info = err.toInfo()
    switch (err.code) {
      case 'SignedOut':
        await this.vault.saveAccount({ ...this.meta(did), signedIn: false }, null)
        this.scheduler.unschedule(did)
        this.setRuntime(did, { session: 'signed-out', lastError: info })
        break
      case 'AccountTakedown':
        await this.markTakendown(did)
        this.setRuntime(did, { session: 'signed-out', lastError: info })
        break
      case 'RateLimited':
        this.setRuntime(did, { session: 'rate-limited', retryAt: err.retryAt, lastError: info })
        break
      case 'Offline':
        this.setRuntime(did, { session: 'offline', lastError: info })
        break
      default:
        this.setRuntime(did, {
          session: before?.session === 'refreshing' ? 'signed-in' : (before?.session ?? 'signed-in'),
          lastError: info,
        })
    }
    this.emitAccount(did)
  }

  private async markTakendown(did: string): Promise<void> {
    await this.vault.saveAccount({ ...this.meta(did), hosting: 'takendown', signedIn: false }, null)
    this.scheduler.unschedule(did)
    this.setRuntime(did, { session: 'signed-out' })
    this.emitAccount(did)
  }

  // ---- sign out, remove, reactivate -----------------------------------------

  /** Revokes the refresh token at the server, then forgets the tokens. */
  async signOut(did: string): Promise<AccountView> {
    const meta = this.meta(did)
    const tokens = this.vault.getTokens(did)
    if (tokens) {
      try {
        // OAuth hook: token revocation at the authorization server.
        if (meta.auth === 'oauth') await this.oauthOps().revoke(did)
        else await this.sessions.deleteSession(meta.pdsUrl, tokens.refreshJwt)
      } catch (err) {
        // Already revoked or expired is what we wanted; anything else keeps the
        // tokens so the user can retry rather than leaving a live session behind.
        if (!(err instanceof SkyswitchError) || (err.code !== 'SignedOut' && err.code !== 'AccountTakedown')) {
          throw err
        }
      }
    }
    await this.vault.saveAccount({ ...this.meta(did), signedIn: false }, null)
    this.scheduler.unschedule(did)
    this.setRuntime(did, { session: 'signed-out' })
    this.emitAccount(did)
    return this.get(did)
  }

  /** Removes the account from this device, revoking its session when the server answers. */
  async remove(did: string): Promise<void> {
    const meta = this.meta(did)
    const tokens = this.vault.getTokens(did)
    if (tokens && meta.auth === 'oauth')
      await this.oauth?.revoke(did).catch(() => undefined) // OAuth hook
    else if (tokens) await this.sessions.deleteSession(meta.pdsUrl, tokens.refreshJwt).catch(() => undefined)
    await this.vault.remove(did)
    this.scheduler.unschedule(did)
    this.runtime.delete(did)
    this.emitState()
  }

  /** com.atproto.server.activateAccount: needs the main password, not an app password. */
  async activate(did: string): Promise<AccountView> {
    const meta = this.meta(did)
    if (meta.scope === 'app-password') {
      throw new SkyswitchError(
        'NotAllowed',
        'An app password cannot reactivate an account. Sign in again with the account’s main password, then reactivate.',
      )
    }
    if (meta.auth === 'oauth') {
      await this.oauthOps().activate(did) // OAuth hook
      return this.check(did)
    }
    const { accessJwt } = await this.accessToken(did, 60_000)
    await this.sessions.activateAccount(meta.pdsUrl, accessJwt)
    return this.check(did)
  }

  /** Retry now: for offline and rate-limited accounts (never before a rate limit lifts). */
  async retry(did: string): Promise<AccountView> {
    const rt = this.runtime.get(did)
    if (rt?.session === 'rate-limited' && rt.retryAt && rt.retryAt > this.clock.now()) {
      throw new SkyswitchError('RateLimited', 'The server asked to wait; Skyswitch will retry when it allows.', {
        retryAt: rt.retryAt,
      })
    }
    return this.refresh(did)
  }

  // ---- list management -------------------------------------------------------

  async setActive(did: string): Promise<void> {
    await this.vault.setActive(did)
    this.emitState()
  }

  async reorder(dids: string[]): Promise<void> {
    await this.vault.setOrder(dids)
    this.emitState()
  }

  async choosePersistence(p: TokenPersistence): Promise<StorageInfo> {
    await this.vault.setPersistence(p)
    this.emitState()
    return this.vault.storage
  }

  dismissNotice(id: string): void {
    const i = this.notices.findIndex((n) => n.id === id)
    if (i >= 0) this.notices.splice(i, 1)
    this.emitState()
  }

  /** The network came back or the machine woke: refresh what is due or stuck. */
  setOnline(online: boolean): void {
    if (this.online === online) return
    this.online = online
    this.emitState()
    if (online) this.wake()
  }

  wake(): void {
    for (const a of this.vault.list()) {
      if (this.runtime.get(a.did)?.session === 'offline' && this.vault.getTokens(a.did)) {
        this.scheduler.scheduleAt(a.did, this.clock.now())
      }
    }
    this.scheduler.wake()
  }

  stop(): void {
    this.scheduler.stop()
    this.oauth?.sessions.stop()
  }

  findByHandleOrDid(key: string): AccountView | undefined {
    const k = key.replace(/^@/, '').toLowerCase()
    const meta = this.vault.list().find((a) => a.did === key || a.handle.toLowerCase() === k)
    return meta ? this.view(meta) : undefined
  }

  // ---- OAuth accounts (core/oauth): the "OAuth hook" lines above call these ------

  beginOAuth(req: OAuthBeginRequest): Promise<OAuthBegun> {
    return this.oauthOps().begin(req)
  }

  finishOAuth(attemptId: string): Promise<AccountView> {
    return this.oauthOps().finish(attemptId)
  }

  cancelOAuth(attemptId: string): void {
    this.oauth?.sessions.cancel(attemptId)
  }

  /** The DPoP-signing fetch of an OAuth account, for the local proxy. */
  fetchHandler(did: string): FetchHandler {
    if (this.meta(did).auth !== 'oauth') throw new SkyswitchError('BadRequest', 'Not an OAuth account.')
    return this.oauthOps().fetchHandler(did)
  }

  private async refreshOAuth(did: string): Promise<AccountView> {
    const before = this.runtime.get(did)
    this.setRuntime(did, { session: 'refreshing' })
    this.emitAccount(did)
    try {
      await this.oauthOps().refresh(did)
    } catch (err) {
      const typed = err instanceof SkyswitchError ? err : new SkyswitchError('Internal', 'The refresh failed.')
      await this.applyError(did, typed, before)
      throw typed
    }
    this.setRuntime(did, { session: 'signed-in' })
    this.scheduleFromToken(did)
    this.emitAccount(did)
    return this.get(did)
  }

  private async checkOAuth(did: string): Promise<AccountView> {
    this.requireTokens(did)
    try {
      return await this.oauthOps().check(did)
    } catch (err) {
      if (!(err instanceof SkyswitchError)) throw err
      // An access-token error means "refresh once": only the refresh can end the session.
      if (err.code === 'SignedOut') return this.refreshOAuth(did)
      await this.applyError(did, err)
      throw err
    }
  }

  private oauthOps(): OAuthAccountOps {
    if (!this.oauth) throw new SkyswitchError('NotAllowed', 'OAuth sign-in is not available here.')
    return this.oauth
  }

  private oauthHost(): AccountHost {
    return {
      vault: this.vault,
      clock: this.clock,
      defaultService: this.defaultService,
      setRuntime: (did, rt) => this.setRuntime(did, rt),
      signedIn: (did) => {
        this.setRuntime(did, { session: 'signed-in' })
        this.scheduleFromToken(did)
        this.emitState()
      },
      emitAccount: (did) => this.emitAccount(did),
      revokePassword: (pdsUrl, refreshJwt) => this.sessions.deleteSession(pdsUrl, refreshJwt),
      get: (did) => this.get(did),
    }
  }

  // ---- helpers -------------------------------------------------------------------

  private async loadProfile(did: string): Promise<void> {
    const tokens = this.vault.getTokens(did)
    const meta = this.vault.get(did)
    if (!tokens || !meta || meta.scope === 'takendown' || meta.auth === 'oauth') return
    try {
      const p = await this.sessions.getProfile(meta.pdsUrl, tokens.accessJwt, did)
      if (!this.vault.get(did)) return
      await this.vault.patch(did, { displayName: p.displayName || undefined, avatar: p.avatar })
      this.emitAccount(did)
    } catch {
      // Not every PDS proxies app.bsky; initials are shown instead.
    }
  }

  private scheduleFromToken(did: string): void {
    const meta = this.vault.get(did)
    if (!meta?.accessExpiresAt || !this.vault.getTokens(did) || meta.scope === 'takendown') return
    this.scheduler.scheduleToken(did, meta.accessExpiresAt, this.lifetimeOf(did))
  }

  private lifetimeOf(did: string): number {
    const t = this.vault.getTokens(did)
    if (!t) return DEFAULT_LIFETIME_MS
    try {
      const c = readClaims(t.accessJwt, 'access')
      return c.issuedAt ? Math.max(c.expiresAt - c.issuedAt, 60_000) : DEFAULT_LIFETIME_MS
    } catch {
      return DEFAULT_LIFETIME_MS
    }
  }

  private expiresWithin(meta: AccountMeta, ms: number): boolean {
    return meta.accessExpiresAt === undefined || meta.accessExpiresAt - this.clock.now() < ms
  }

  private meta(did: string): AccountMeta {
    const m = this.vault.get(did)
    if (!m) throw new SkyswitchError('NotFound', 'That account is not on this device.')
    return m
  }

  private requireTokens(did: string): Tokens {
    const t = this.vault.getTokens(did)
    if (!t) throw new SkyswitchError('SignedOut', `${this.meta(did).handle} is signed out; sign in again.`)
    return t
  }

  private setRuntime(did: string, rt: Runtime): void {
    this.runtime.set(did, rt)
  }

  private emitAccount(did: string): void {
    const meta = this.vault.get(did)
    if (!meta) return
    const v = this.view(meta)
    for (const l of this.listeners.account) l(v)
  }

  private emitState(): void {
    const s = this.state()
    for (const l of this.listeners.state) l(s)
  }
}

function tokensOf(reply: SessionReply): Tokens {
  return { accessJwt: reply.accessJwt, refreshJwt: reply.refreshJwt }
}
