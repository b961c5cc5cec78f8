import { randomUUID } from 'node:crypto'
import {
  type DpopNonceCache,
  NodeOAuthClient,
  type NodeSavedSession,
  type OAuthAuthorizationServerMetadata,
  type OAuthProtectedResourceMetadata,
  type NodeSavedSessionStore,
  requestLocalLock,
} from '@atproto/oauth-client-node'
import { SkyswitchError } from '../errors'
import type { Clock } from '../clock'
import type { Vault } from '../vault/vault'
import { type CallbackServer, startCallbackServer } from './callback-server'
import { clientMetadata, LOOPBACK_REDIRECT, OAUTH_SCOPE } from './client-config'
import { fromOAuthError } from './errors'
import { ProviderHandleResolver } from './handle-resolver'
import { ClockTtlStore, MemoryStateStore, VaultSessionStore } from './stores'

export interface OAuthSessionsOptions {
  vault: Vault
  clock: Clock
  /** A production client_id (https URL to client metadata); absent: the loopback development client. */
  clientId?: string
  plcUrl?: string
  /** Let authorization servers and PDSes on plain http (dev networks, tests). */
  allowHttp?: boolean
  /** com.atproto.identity.resolveHandle at a provider. */
  resolveHandleAt: (service: string, handle: string, signal?: AbortSignal) => Promise<string>
  /** Opens the authorization page in the system browser (Electron: shell.openExternal). */
  openExternal?: (url: string) => void | Promise<void>
  /** How long one sign-in waits for the browser to come back. */
  signInTimeoutMs?: number
  dpopNonceCache?: DpopNonceCache
  fetch?: typeof globalThis.fetch
}

export interface OAuthBegun {
  attemptId: string
  /** The authorization page, for the caller to open when `opened` is false. */
  url: string
  opened: boolean
}

/** What a finished sign-in hands the account service to save. */
export interface OAuthSignedIn {
  did: string
  handle: string
  /** The resource server (the account's PDS) and the authorization server. */
  pdsUrl: string
  issuer: string
  session: NodeSavedSession
  info: { handle?: string; active?: boolean; status?: string; email?: string; emailConfirmed?: boolean }
}

interface Attempt {
  server: CallbackServer
  result: Promise<OAuthSignedIn>
  cancel: (err: SkyswitchError) => void
}

export type FetchHandler = (pathname: string, init?: RequestInit) => Promise<Response>

const DEFAULT_TIMEOUT_MS = 5 * 60_000

/**
 * atproto OAuth for Skyswitch: a native app with a loopback redirect, PAR,
 * PKCE and DPoP (all done by @atproto/oauth-client-node). Sessions are kept
 * in the vault; this class signs in, refreshes, checks, revokes, and signs
 * requests for the local proxy. It never decides an account's state: the
 * account service does, from the typed errors thrown here.
 */
export class OAuthSessions {
  private readonly store: VaultSessionStore
  private restoringClient: NodeOAuthClient | undefined
  private readonly attempts = new Map<string, Attempt>()
  private readonly nonces: DpopNonceCache | undefined
  /** Providers' metadata, shared by every client this class makes. */
  private readonly serverMetadata: ClockTtlStore<OAuthAuthorizationServerMetadata>
  private readonly resourceMetadata: ClockTtlStore<OAuthProtectedResourceMetadata | null>

  constructor(private readonly opts: OAuthSessionsOptions) {
    this.store = new VaultSessionStore(opts.vault, opts.clock)
    this.nonces = opts.dpopNonceCache
    this.serverMetadata = new ClockTtlStore(opts.clock)
    this.resourceMetadata = new ClockTtlStore(opts.clock)
    clientMetadata(opts.clientId) // A malformed client_id fails the start, not the first sign-in.
  }

  /** Made at first use: building a client costs ~40 ms, which a start with no OAuth call should not pay. */
  private get client(): NodeOAuthClient {
    return (this.restoringClient ??= this.makeClient([LOOPBACK_REDIRECT], new MemoryStateStore(), this.store))
  }

  /** Starts one sign-in: a loopback listener, PAR at the provider, the page opened. */
  async begin(identifier: string, service: string): Promise<OAuthBegun> {
    const input = identifier.trim().replace(/^@/, '') || service
    const states = new MemoryStateStore()
    let state: string | undefined
    const server = await startCallbackServer(() => state)
    const capture = new CaptureStore(this.store)
    const client = this.makeClient([LOOPBACK_REDIRECT, server.redirectUri], states, capture, service)
    let url: URL
    try {
      url = await client.authorize(input, { redirect_uri: server.redirectUri as never, scope: OAUTH_SCOPE })
      state = states.onlyKey()
    } catch (err) {
      server.close()
      throw fromOAuthError(err, service)
    }
    const attemptId = randomUUID()
    let cancel!: (err: SkyswitchError) => void
    const stopped = new Promise<never>((_, reject) => (cancel = reject))
    const timeoutMs = this.opts.signInTimeoutMs ?? DEFAULT_TIMEOUT_MS
    const timer = this.opts.clock.setTimeout(() => {
      const minutes = Math.max(1, Math.round(timeoutMs / 60_000))
      cancel(
        new SkyswitchError(
          'SignInTimedOut',
          `The sign-in was not completed within ${minutes} minute${minutes === 1 ? '' : 's'} (was the browser tab closed?). Nothing was saved; try again.`,
          { key: 'oauth.timedOut', params: { count: minutes } },
        ),
      )
    }, timeoutMs)
    const result = (async () => {
      try {
        const params = await Promise.race([server.params, stopped])
        const { session } = await client.callback(params, { redirect_uri: server.redirectUri as never })
        const saved = capture.take(session.did)
        if (!saved)
          throw new SkyswitchError('Internal', 'The sign-in finished without a session.', {
            key: 'oauth.noSession',
          })
        const info = await readSession(session.fetchHandler.bind(session))
        const tokenInfo = await session.getTokenInfo(false)
        return {
          did: session.did,
          handle: info.handle ?? session.did,
          pdsUrl: new URL(tokenInfo.aud).origin,
          issuer: tokenInfo.iss,
          session: saved,
          info,
        }
      } catch (err) {
        throw fromOAuthError(err, service)
      } finally {
        this.opts.clock.clearTimeout(timer)
        server.close()
        // The outcome waits for `finish`, then is forgotten; unclaimed ones expire.
        this.opts.clock.setTimeout(() => this.attempts.delete(attemptId), timeoutMs)
      }
    })()
    result.catch(() => undefined)
    this.attempts.set(attemptId, { server, result, cancel })
    let opened = false
    if (this.opts.openExternal) {
      try {
        await this.opts.openExternal(url.toString())
        opened = true
      } catch {
        opened = false
      }
    }
    return { attemptId, url: url.toString(), opened }
  }

  /** Waits for the browser to come back (or the sign-in to time out or be cancelled). */
  async finish(attemptId: string): Promise<OAuthSignedIn> {
    const a = this.attempts.get(attemptId)
    if (!a) throw new SkyswitchError('NotFound', 'That sign-in is over; start again.', { key: 'oauth.over' })
    try {
      return await a.result
    } finally {
      this.attempts.delete(attemptId)
    }
  }

  cancel(attemptId: string): void {
    this.attempts
      .get(attemptId)
      ?.cancel(new SkyswitchError('Cancelled', 'The sign-in was cancelled.', { key: 'oauth.cancelled' }))
  }

  /** A forced refresh; the new session is in the vault before this returns. */
  async refresh(did: string): Promise<NodeSavedSession> {
    try {
      await this.client.restore(did, true)
    } catch (err) {
      throw fromOAuthError(err)
    }
    const s = await this.store.get(did)
    if (!s) throw new SkyswitchError('SignedOut', 'The session is gone; sign in again.', { key: 'oauth.gone' })
    return s
  }

  /** com.atproto.server.getSession with the account's DPoP-bound token. */
  async check(did: string): Promise<Awaited<ReturnType<typeof readSession>>> {
    return readSession(this.fetchHandler(did))
  }

  /** Revokes the session at the authorization server (the server refuses its tokens afterwards). */
  async revoke(did: string): Promise<void> {
    try {
      await this.client.revoke(did)
    } catch (err) {
      throw fromOAuthError(err)
    }
  }

  /**
   * A fetch for the account's PDS that signs each request (DPoP proof and
   * nonce) and refreshes once on an expired token: what the local proxy
   * calls for OAuth accounts, since their tokens cannot leave the app.
   */
  fetchHandler(did: string): FetchHandler {
    return async (pathname, init) => {
      let session
      try {
        session = await this.client.restore(did, 'auto')
      } catch (err) {
        throw fromOAuthError(err)
      }
      try {
        return await session.fetchHandler(pathname, init)
      } catch (err) {
        throw fromOAuthError(err)
      }
    }
  }

  /** Ends every sign-in in progress (the app is quitting). */
  stop(): void {
    for (const a of this.attempts.values())
      a.cancel(new SkyswitchError('Cancelled', 'Skyswitch is closing.', { key: 'oauth.closing' }))
  }

  private makeClient(
    redirects: string[],
    states: MemoryStateStore,
    sessions: NodeSavedSessionStore,
    service?: string,
  ): NodeOAuthClient {
    const meta = clientMetadata(this.opts.clientId)
    return new NodeOAuthClient({
      clientMetadata: { ...meta, redirect_uris: redirects as typeof meta.redirect_uris },
      stateStore: states,
      sessionStore: sessions,
      requestLock: requestLocalLock,
      allowHttp: this.opts.allowHttp,
      plcDirectoryUrl: this.opts.plcUrl,
      dpopNonceCache: this.nonces,
      authorizationServerMetadataCache: this.serverMetadata,
      protectedResourceMetadataCache: this.resourceMetadata,
      fetch: this.opts.fetch,
      handleResolver: new ProviderHandleResolver((handle, signal) =>
        service ? this.opts.resolveHandleAt(service, handle, signal) : Promise.resolve(undefined),
      ),
    })
  }
}

/**
 * A sign-in's session store: reads go to the vault (so the client revokes
 * an older session of the same account before replacing it); the new
 * session is captured for the account service to save with the account.
 */
class CaptureStore implements NodeSavedSessionStore {
  private readonly captured = new Map<string, NodeSavedSession>()
  constructor(private readonly vault: NodeSavedSessionStore) {}
  async set(did: string, s: NodeSavedSession): Promise<void> {
    this.captured.set(did, s)
  }
  async get(did: string): Promise<NodeSavedSession | undefined> {
    return this.captured.get(did) ?? this.vault.get(did)
  }
  async del(did: string): Promise<void> {
    this.captured.delete(did)
  }
  take(did: string): NodeSavedSession | undefined {
    return this.captured.get(did)
  }
}

async function readSession(fetchHandler: FetchHandler) {
  let res: Response
  try {
    res = await fetchHandler('/xrpc/com.atproto.server.getSession')
  } catch (err) {
    throw fromOAuthError(err)
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>
  if (!res.ok) {
    const error = typeof body.error === 'string' ? body.error : String(res.status)
    if (res.status >= 500)
      throw new SkyswitchError('Offline', 'The provider is not answering properly.', {
        key: 'oauth.notAnswering',
      })
    if (error === 'AccountTakedown')
      throw new SkyswitchError('AccountTakedown', 'This account was taken down.', {
        key: 'session.takendown',
      })
    if (res.status === 401 || error === 'ExpiredToken' || error === 'InvalidToken') {
      throw new SkyswitchError('SignedOut', 'The provider ended this session; sign in again.', {
        detail: error,
        key: 'oauth.ended',
      })
    }
    throw new SkyswitchError('ServerRefused', `The server refused the session check (${error}).`, { detail: error })
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  return {
    did: str(body.did),
    handle: str(body.handle),
    active: typeof body.active === 'boolean' ? body.active : undefined,
    status: str(body.status),
    email: str(body.email),
    emailConfirmed: typeof body.emailConfirmed === 'boolean' ? body.emailConfirmed : undefined,
  }
}
