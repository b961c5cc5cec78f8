import type { AccountView, HostingStatus } from '../../ipc/contract'
import type { AccountsRuntime } from './account-views'
import { SkyswitchError } from '../errors'
import type { RefreshScheduler } from '../refresh/scheduler'
import type { AccountMeta } from '../vault/vault'
import { pdsFromDidDoc } from '../session/identity'
import { localExpiry, readClaims } from '../session/jwt'
import { classify, type Decision, decide, type PolicyState, type TokenUsed } from './state-machine'
import type { SessionClient, SessionReply } from '../session/session-client'
import { hostingFrom } from '../session/status'

/** A token that does not say when it expires is refreshed as if it lived this long. */
export const ASSUMED_LIFETIME_MS = 60 * 60 * 1000

/**
 * The session operations on one account. Every method assumes its caller
 * holds that account's turn in the sequencer (AccountService does), so
 * none of them interleave with another operation on the same account.
 * Each outcome goes through the policy; these methods only carry it out.
 */
export class SessionOperations {
  constructor(
    private readonly rt: AccountsRuntime,
    private readonly sessions: SessionClient,
    private readonly scheduler: RefreshScheduler,
  ) {}

  private get clock() {
    return this.rt.clock
  }

  async refresh(did: string): Promise<AccountView> {
    const meta = this.rt.meta(did)
    const used = this.rt.requireTokens(did)
    if (meta.scope === 'takendown') {
      throw new SkyswitchError('AccountTakedown', 'A taken-down account’s session cannot be refreshed.')
    }
    const before = this.rt.policyState(did)
    this.rt.set(did, { session: 'refreshing' })
    this.rt.emitAccount(did)
    let reply: SessionReply
    try {
      reply = await this.sessions.refreshSession(meta.pdsUrl, used.refreshJwt)
    } catch (err) {
      throw await this.fail(did, before, err, 'refresh')
    }
    // The prior-token rule: a result is saved only if the token it used is
    // still the current one; otherwise the session it made is revoked.
    if (this.rt.vault.getTokens(did)?.refreshJwt !== used.refreshJwt) {
      await this.revokeQuietly(pdsFromDidDoc(reply.didDoc) ?? meta.pdsUrl, reply.refreshJwt)
      if (!this.rt.vault.get(did)) throw new SkyswitchError('NotFound', 'That account is not on this device.')
      this.rt.set(did, { session: this.rt.vault.getTokens(did) ? before.session : 'signed-out' })
      this.rt.emitAccount(did)
      return this.rt.get(did)
    }
    await this.install(did, before, reply, 'refresh', meta.service)
    return this.rt.get(did)
  }

  /** Runs a call with the access token; on ExpiredToken/InvalidToken it refreshes once and retries once. */
  async withAccess<T>(did: string, call: (accessJwt: string, pdsUrl: string) => Promise<T>): Promise<T> {
    const first = async () => call(this.rt.requireTokens(did).accessJwt, this.rt.meta(did).pdsUrl)
    try {
      return await first()
    } catch (err) {
      const typed = asTyped(err)
      const d = decide(this.rt.policyState(did), errorOutcome(typed), 'access')
      if (!d.refreshThenRetry) throw await this.fail(did, this.rt.policyState(did), typed, 'access')
    }
    await this.refresh(did)
    try {
      return await first()
    } catch (err) {
      throw await this.fail(did, this.rt.policyState(did), err, 'access')
    }
  }

  /** A check the user asked for: proves the refresh token alive by using it. */
  async check(did: string): Promise<AccountView> {
    const meta = this.rt.meta(did)
    this.rt.requireTokens(did)
    const rt = this.rt.runtimeOf(did)
    if (rt?.session === 'rate-limited' && rt.retryAt && rt.retryAt > this.clock.now()) {
      throw new SkyswitchError('RateLimited', 'The server asked to wait; Skyswitch will check when it allows.', {
        retryAt: rt.retryAt,
      })
    }
    if (meta.scope !== 'takendown') {
      await this.refresh(did)
      this.rt.set(did, { ...this.rt.runtimeOf(did)!, checked: 'refresh' })
      this.rt.emitAccount(did)
      return this.rt.get(did)
    }
    // The narrow takendown token cannot refresh and getSession refuses it:
    // the public hosting status is what can be checked.
    const before = this.rt.policyState(did)
    let status: { active?: boolean; status?: string }
    try {
      status = await this.sessions.getRepoStatus(meta.pdsUrl, did)
    } catch (err) {
      throw await this.fail(did, before, err, 'none')
    }
    await this.noteHosting(did, hostingFrom(status), 'repo-status')
    return this.rt.get(did)
  }

  /** A hosting status learned without a token (the status watch, a takendown-scope check). */
  async noteHosting(did: string, hosting: HostingStatus, checked?: 'repo-status'): Promise<void> {
    const d = decide(this.rt.policyState(did), { kind: 'reply', hosting }, 'none')
    await this.rt.vault.patch(did, { hosting: d.hosting, ...(checked ? { lastCheckedAt: this.clock.now() } : {}) })
    const rt = this.rt.runtimeOf(did) ?? { session: d.session }
    this.rt.set(did, checked ? { ...rt, checked } : rt)
    this.rt.emitAccount(did)
  }

  /** Revokes the refresh token at the server, then forgets the tokens. */
  async signOut(did: string): Promise<AccountView> {
    const meta = this.rt.meta(did)
    const tokens = this.rt.vault.getTokens(did)
    if (tokens) {
      try {
        await this.sessions.deleteSession(meta.pdsUrl, tokens.refreshJwt)
      } catch (err) {
        // Already revoked or expired is what we wanted; anything else keeps the
        // tokens so the user can retry rather than leaving a live session behind.
        if (!(err instanceof SkyswitchError) || (err.code !== 'SignedOut' && err.code !== 'AccountTakedown')) {
          throw err
        }
      }
    }
    await this.rt.vault.saveAccount({ ...this.rt.meta(did), signedIn: false }, null)
    this.scheduler.unschedule(did)
    this.rt.set(did, { session: 'signed-out' })
    this.rt.emitAccount(did)
    return this.rt.get(did)
  }

  /** Removes the account from this device, revoking its session when the server answers. */
  async remove(did: string): Promise<void> {
    const meta = this.rt.vault.get(did)
    if (!meta) return
    const tokens = this.rt.vault.getTokens(did)
    if (tokens) await this.revokeQuietly(meta.pdsUrl, tokens.refreshJwt)
    await this.rt.vault.remove(did)
    this.scheduler.unschedule(did)
    this.rt.forget(did)
    this.rt.emitState()
  }

  /** A new login's session replaces the one held; the old one is revoked where it was issued. */
  async adoptLogin(reply: SessionReply, loginAt: string): Promise<AccountView> {
    const previous = this.rt.vault.get(reply.did)
    const old = this.rt.vault.getTokens(reply.did)
    const before: PolicyState = previous
      ? this.rt.policyState(reply.did)
      : { session: 'signed-out', hosting: 'active', scope: 'unknown' }
    await this.install(reply.did, before, reply, 'login', loginAt)
    if (previous && old && old.refreshJwt !== reply.refreshJwt)
      await this.revokeQuietly(previous.pdsUrl, old.refreshJwt)
    this.rt.emitState()
    return this.rt.get(reply.did)
  }

  /** A failed login of an account on this device: only a takedown changes it. */
  async loginFailed(did: string, err: SkyswitchError): Promise<void> {
    if (this.rt.vault.get(did)) await this.fail(did, this.rt.policyState(did), err, 'login')
  }

  scheduleFromToken(did: string): void {
    const meta = this.rt.vault.get(did)
    const tokens = this.rt.vault.getTokens(did)
    if (!meta || !tokens || meta.scope === 'takendown') return this.scheduler.unschedule(did)
    const lifetime = readClaims(tokens.accessJwt).lifetimeMs
    if (lifetime !== undefined && meta.accessExpiresAt !== undefined) {
      this.scheduler.scheduleToken(did, meta.accessExpiresAt, lifetime)
    } else {
      const since = meta.lastRefreshAt ?? this.clock.now()
      this.scheduler.scheduleToken(did, since + ASSUMED_LIFETIME_MS, ASSUMED_LIFETIME_MS)
    }
  }

  /** Until when the held access token is believed valid, in local time. */
  validUntil(meta: AccountMeta): number {
    return meta.accessExpiresAt ?? (meta.lastRefreshAt ?? 0) + ASSUMED_LIFETIME_MS
  }

  /** Persist first: the reply's tokens are on disk before anything uses or announces them. */
  private async install(did: string, before: PolicyState, reply: SessionReply, used: TokenUsed, service: string) {
    const receivedAt = this.clock.now()
    const d = decide(before, { kind: 'reply', hosting: hostingFrom(reply) }, used)
    const previous = this.rt.vault.get(did)
    const meta: AccountMeta = {
      ...(previous ?? {}),
      did,
      handle: reply.handle,
      service: used === 'login' ? service : (previous?.service ?? service),
      pdsUrl: pdsFromDidDoc(reply.didDoc) ?? (used === 'login' ? service : (previous?.pdsUrl ?? service)),
      email: reply.email ?? previous?.email,
      emailConfirmed: reply.emailConfirmed ?? previous?.emailConfirmed,
      hosting: d.hosting,
      signedIn: true,
      auth: 'password',
      scope: readClaims(reply.accessJwt).scope,
      accessExpiresAt: localExpiry(reply.accessJwt, receivedAt),
      refreshExpiresAt: localExpiry(reply.refreshJwt, receivedAt),
      lastRefreshAt: receivedAt,
      lastCheckedAt: receivedAt,
    }
    await this.rt.vault.saveAccount(meta, { accessJwt: reply.accessJwt, refreshJwt: reply.refreshJwt })
    this.rt.set(did, { session: d.session })
    this.carryOut(did, d)
    this.rt.emitAccount(did)
  }

  /** Applies the policy's decision for a failed call and returns the typed error to throw. */
  async fail(did: string, before: PolicyState, err: unknown, used: TokenUsed): Promise<SkyswitchError> {
    const typed = asTyped(err)
    if (!this.rt.vault.get(did)) return typed
    const d = decide(before, errorOutcome(typed), used)
    const meta = this.rt.meta(did)
    if (d.tokens === 'drop') await this.rt.vault.saveAccount({ ...meta, hosting: d.hosting, signedIn: false }, null)
    else if (d.hosting !== meta.hosting) await this.rt.vault.patch(did, { hosting: d.hosting })
    const prev = this.rt.runtimeOf(did)
    this.rt.set(did, {
      session: d.session,
      retryAt: d.session === 'rate-limited' ? (d.retryAt ?? prev?.retryAt) : undefined,
      lastError: d.recordError ? typed.toInfo() : prev?.lastError,
    })
    this.carryOut(did, d)
    this.rt.emitAccount(did)
    return typed
  }

  private carryOut(did: string, d: Decision): void {
    switch (d.schedule) {
      case 'from-token':
        return this.scheduleFromToken(did)
      case 'stop':
        return this.scheduler.unschedule(did)
      case 'wait':
        return this.scheduler.scheduleAt(did, d.retryAt ?? this.clock.now() + 60_000)
      // backoff: the scheduler backs off its own attempts; a manual one keeps the plan.
    }
  }

  private async revokeQuietly(pdsUrl: string, refreshJwt: string): Promise<void> {
    await this.sessions.deleteSession(pdsUrl, refreshJwt).catch(() => undefined)
  }

  /** The status watch saw the server's status differ (in the account's turn). */
  async hostingChanged(did: string, hosting: HostingStatus, refresh: (did: string) => Promise<unknown>): Promise<void> {
    const meta = this.rt.vault.get(did)
    if (!meta || meta.hosting === hosting) return
    if (this.rt.vault.getTokens(did) && meta.scope !== 'takendown') {
      // A refresh says it with the session's own words (and ends it on a takedown).
      await refresh(did).catch(() => undefined)
      // A session that ended on the way says nothing of the hosting: the watch's status stands.
      if (this.rt.vault.getTokens(did) || this.rt.vault.get(did)?.hosting === hosting) return
    }
    await this.noteHosting(did, hosting)
  }

  /** Display name and avatar, after a sign-in (in the account's turn). */
  async loadProfile(did: string): Promise<void> {
    const meta = this.rt.vault.get(did)
    if (!meta || !this.rt.vault.getTokens(did) || meta.scope === 'takendown' || meta.auth === 'oauth') return
    try {
      const p = await this.sessions.getProfile(meta.pdsUrl, this.rt.requireTokens(did).accessJwt, did)
      if (!this.rt.vault.get(did)) return
      await this.rt.vault.patch(did, { displayName: p.displayName || undefined, avatar: p.avatar })
      this.rt.emitAccount(did)
    } catch {
      // Not every PDS proxies app.bsky; initials are shown instead.
    }
  }
}

export function asTyped(err: unknown): SkyswitchError {
  return err instanceof SkyswitchError ? err : new SkyswitchError('Internal', 'The call failed unexpectedly.')
}

function errorOutcome(err: SkyswitchError) {
  return { kind: 'error' as const, error: classify(err.code, err.message), retryAt: err.retryAt }
}
