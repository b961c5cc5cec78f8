import type { AccountView, HostingStatus } from '../../ipc/contract'
import type { Clock } from '../clock'
import { SkyswitchError } from '../errors'
import { pdsFromDidDoc } from '../session/identity'
import { localExpiry, readClaims } from '../session/jwt'
import type { NewSession } from '../session/login'
import type { SessionClient, SessionReply } from '../session/session-client'
import { hostingFrom } from '../session/status'
import type { AccountMeta } from '../vault/vault'
import type { AccountViews } from './account-views'
import { type Applier, asTyped, errorEvent } from './apply'

/**
 * The session calls of password (and app-password) accounts. Every method
 * assumes its caller holds the account's turn (AccountService does); each
 * makes its calls and hands what came back to the state machine
 * (Applier.settle / fail), never touching the account's state itself.
 */
export class PasswordOps {
  constructor(
    private readonly views: AccountViews,
    private readonly sessions: SessionClient,
    private readonly applier: Applier,
    private readonly clock: Clock,
  ) {}

  async refresh(did: string, signal?: AbortSignal): Promise<AccountView> {
    const meta = this.views.meta(did)
    const used = this.views.requireTokens(did)
    if (meta.scope === 'takendown') {
      throw new SkyswitchError('AccountTakedown', 'A taken-down account’s session cannot be refreshed.', {
        key: 'accounts.takendownRefresh',
      })
    }
    const before = await this.applier.begin(did)
    let reply: SessionReply
    try {
      reply = await this.sessions.refreshSession(meta.pdsUrl, used.refreshJwt, signal)
    } catch (err) {
      throw await this.applier.fail(did, before, err, 'refresh')
    }
    // The prior-token rule: a result is saved only if the token it used is
    // still the current one; otherwise the session it made is revoked.
    if (this.views.vault.getTokens(did)?.refreshJwt !== used.refreshJwt) {
      await this.sessions.deleteSession(pdsFromDidDoc(reply.didDoc) ?? meta.pdsUrl, reply.refreshJwt).catch(() => {})
      if (!this.views.vault.get(did))
        throw new SkyswitchError('NotFound', 'That account is not on this device.', { key: 'accounts.notOnDevice' })
      await this.applier.superseded(did, before)
      return this.views.get(did)
    }
    const next = this.sessionRecord(reply, meta.service, meta)
    await this.applier.settle(did, before, { kind: 'reply', hosting: hostingFrom(reply) }, 'refresh', { next })
    return this.views.get(did)
  }

  /** Runs a call with the access token; on ExpiredToken/InvalidToken it refreshes once and retries once. */
  async withAccess<T>(did: string, call: (accessJwt: string, pdsUrl: string) => Promise<T>): Promise<T> {
    const first = async () => call(this.views.requireTokens(did).accessJwt, this.views.meta(did).pdsUrl)
    try {
      return await first()
    } catch (err) {
      const before = this.views.stateOf(did)
      const d = await this.applier.settle(did, before, errorEvent(asTyped(err)), 'access', { error: asTyped(err) })
      if (!d.refreshThenRetry) throw asTyped(err)
    }
    await this.refresh(did)
    try {
      return await first()
    } catch (err) {
      throw await this.applier.fail(did, this.views.stateOf(did), err, 'access')
    }
  }

  /** A check the user asked for: proves the refresh token alive by using it. */
  async check(did: string): Promise<AccountView> {
    const meta = this.views.meta(did)
    if (meta.scope !== 'takendown') {
      await this.refresh(did)
      await this.applier.settle(did, this.views.stateOf(did), { kind: 'reply' }, 'none', { checked: 'refresh' })
      return this.views.get(did)
    }
    // The narrow takendown token cannot refresh and getSession refuses it:
    // the public hosting status is what can be checked.
    const before = this.views.stateOf(did)
    let status: { active?: boolean; status?: string }
    try {
      status = await this.sessions.getRepoStatus(meta.pdsUrl, did)
    } catch (err) {
      throw await this.applier.fail(did, before, err, 'none')
    }
    await this.noteHosting(did, hostingFrom(status))
    return this.views.get(did)
  }

  /** A hosting status read without a token (the status watch, a takendown-scope check): a check of its own. */
  async noteHosting(did: string, hosting: HostingStatus): Promise<void> {
    await this.applier.settle(did, this.views.stateOf(did), { kind: 'reply', hosting }, 'none', {
      checked: 'repo-status',
      patch: { lastCheckedAt: this.clock.now() },
    })
  }

  /** A new sign-in's session replaces the one held (apply revokes that one once this is saved). */
  async adoptLogin({ reply, loginAt }: NewSession): Promise<AccountView> {
    const previous = this.views.vault.get(reply.did)
    const before = previous
      ? this.views.stateOf(reply.did)
      : ({ session: 'signed-out', hosting: 'active', scope: 'unknown' } as const)
    const next = this.sessionRecord(reply, loginAt, previous, loginAt)
    await this.applier.settle(reply.did, before, { kind: 'reply', hosting: hostingFrom(reply) }, 'login', {
      next,
      listChanged: true,
    })
    return this.views.get(reply.did)
  }

  /** A failed sign-in of an account on this device: only a takedown changes it. */
  async loginFailed(did: string, err: SkyswitchError): Promise<void> {
    if (this.views.vault.get(did)) await this.applier.fail(did, this.views.stateOf(did), err, 'login')
  }

  /** com.atproto.server.activateAccount, then a refresh to read the new status. */
  async activate(did: string): Promise<AccountView> {
    await this.withAccess(did, (jwt, pds) => this.sessions.activateAccount(pds, jwt))
    return this.refresh(did)
  }

  /** The status watch saw the server's status differ from the one shown; either way the look was a check. */
  async hostingChanged(did: string, hosting: HostingStatus, refresh: (did: string) => Promise<unknown>) {
    const meta = this.views.vault.get(did)
    if (!meta || meta.hosting === hosting) return
    if (this.views.vault.getTokens(did) && meta.scope !== 'takendown') {
      // A refresh says it with the session's own words (and ends it on a takedown).
      await refresh(did).catch(() => undefined)
      const after = this.views.vault.get(did)
      if (!after) return
      // A session that ended on the way says nothing of the hosting: the watch's status stands.
      if (this.views.vault.getTokens(did) || after.hosting === hosting) return this.noteHosting(did, after.hosting)
    }
    await this.noteHosting(did, hosting)
  }

  /** Display name and avatar, after a sign-in. */
  async loadProfile(did: string): Promise<void> {
    const meta = this.views.vault.get(did)
    if (!meta || !this.views.vault.getTokens(did) || meta.scope === 'takendown' || meta.auth === 'oauth') return
    try {
      const p = await this.sessions.getProfile(meta.pdsUrl, this.views.requireTokens(did).accessJwt, did)
      if (!this.views.vault.get(did)) return
      await this.applier.settle(did, this.views.stateOf(did), { kind: 'reply' }, 'none', {
        patch: { displayName: p.displayName || undefined, avatar: p.avatar },
      })
    } catch {
      // Not every PDS proxies app.bsky; initials are shown instead.
    }
  }

  /** The account record a session reply makes, over what was known. */
  private sessionRecord(reply: SessionReply, service: string, previous?: AccountMeta, loginAt?: string) {
    const receivedAt = this.clock.now()
    const meta: AccountMeta = {
      ...(previous ?? {}),
      did: reply.did,
      handle: reply.handle,
      service: loginAt ?? previous?.service ?? service,
      pdsUrl: pdsFromDidDoc(reply.didDoc) ?? loginAt ?? previous?.pdsUrl ?? service,
      email: reply.email ?? previous?.email,
      emailConfirmed: reply.emailConfirmed ?? previous?.emailConfirmed,
      hosting: previous?.hosting ?? 'active',
      signedIn: true,
      auth: 'password',
      scope: readClaims(reply.accessJwt).scope,
      accessExpiresAt: localExpiry(reply.accessJwt, receivedAt),
      refreshExpiresAt: localExpiry(reply.refreshJwt, receivedAt),
      lastRefreshAt: receivedAt,
      lastCheckedAt: receivedAt,
    }
    return { meta, tokens: { accessJwt: reply.accessJwt, refreshJwt: reply.refreshJwt } }
  }
}
