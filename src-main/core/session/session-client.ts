import { Lexicons } from '@atproto/lexicon'
import { XrpcClient } from '@atproto/xrpc'
import { SkyswitchError } from '../errors'
import { legacySessionLexicons } from './legacy-lexicons'
import { sessionLexicons } from './session-lexicons'
import { type CallContext, hostOf, NotImplemented, translate } from './session-errors'

/** Which names a server answers: com.atproto.server.* or com.atproto.session.*. */
export type Dialect = 'current' | 'legacy'

export interface DialectMemory {
  get(origin: string): Dialect | undefined
  set(origin: string, dialect: Dialect): void
}

export interface SessionReply {
  did: string
  handle: string
  accessJwt: string
  refreshJwt: string
  didDoc?: unknown
  email?: string
  emailConfirmed?: boolean
  active?: boolean
  status?: string
}

export type SessionInfo = Omit<SessionReply, 'accessJwt' | 'refreshJwt'>

export interface CreateSessionInput {
  identifier: string
  password: string
  authFactorToken?: string
  allowTakendown?: boolean
}

export interface SessionClientOptions {
  /** Per-call timeout; every call is also cancellable through its signal. */
  timeoutMs?: number
  fetch?: typeof globalThis.fetch
  dialects?: DialectMemory
}

// Built at the first call, not at start: a start with every account signed in makes none.
let lexicons: Lexicons | undefined
const sessionLexiconSet = () => (lexicons ??= new Lexicons([...sessionLexicons, ...legacySessionLexicons]))

const NAMES = {
  create: ['com.atproto.server.createSession', 'com.atproto.session.create'],
  get: ['com.atproto.server.getSession', 'com.atproto.session.get'],
  refresh: ['com.atproto.server.refreshSession', 'com.atproto.session.refresh'],
  delete: ['com.atproto.server.deleteSession', 'com.atproto.session.delete'],
} as const

/**
 * The AT Protocol session calls, made with @atproto/xrpc (which validates every
 * reply against its lexicon). Translates every failure into a SkyswitchError
 * and falls back to the legacy method names on servers that lack the current ones.
 */
export class SessionClient {
  private readonly timeoutMs: number
  private readonly fetchImpl: typeof globalThis.fetch
  readonly dialects: DialectMemory

  constructor(opts: SessionClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 15_000
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.dialects = opts.dialects ?? inMemoryDialects()
  }

  async createSession(service: string, input: CreateSessionInput, signal?: AbortSignal): Promise<SessionReply> {
    const body = await this.withDialect(service, NAMES.create, signal, 'login', (nsid, dialect) =>
      dialect === 'current'
        ? { data: withoutUndefined({ ...input }) }
        : { data: { handle: input.identifier, password: input.password } },
    )
    return asSessionReply(body)
  }

  async getSession(service: string, accessJwt: string, signal?: AbortSignal): Promise<SessionInfo> {
    const body = await this.withDialect(service, NAMES.get, signal, 'session', () => ({ token: accessJwt }))
    return asSessionInfo(body)
  }

  async refreshSession(service: string, refreshJwt: string, signal?: AbortSignal): Promise<SessionReply> {
    const body = await this.withDialect(service, NAMES.refresh, signal, 'session', () => ({ token: refreshJwt }))
    return asSessionReply(body)
  }

  async deleteSession(service: string, refreshJwt: string, signal?: AbortSignal): Promise<void> {
    await this.withDialect(service, NAMES.delete, signal, 'session', () => ({ token: refreshJwt }))
  }

  async activateAccount(service: string, accessJwt: string, signal?: AbortSignal): Promise<void> {
    await this.call(service, 'com.atproto.server.activateAccount', { token: accessJwt }, signal, 'session')
  }

  /** com.atproto.sync.getRepoStatus: public, no token; the account's hosting status. */
  async getRepoStatus(
    service: string,
    did: string,
    signal?: AbortSignal,
  ): Promise<{ active?: boolean; status?: string }> {
    const body = (await this.call(
      service,
      'com.atproto.sync.getRepoStatus',
      { params: { did } },
      signal,
      'session',
    )) as { active?: unknown; status?: unknown }
    return {
      active: typeof body.active === 'boolean' ? body.active : undefined,
      status: typeof body.status === 'string' ? body.status : undefined,
    }
  }

  async resolveHandle(service: string, handle: string, signal?: AbortSignal): Promise<string> {
    const body = await this.call(
      service,
      'com.atproto.identity.resolveHandle',
      { params: { handle } },
      signal,
      'session',
    )
    return (body as { did: string }).did
  }

  async getProfile(
    service: string,
    accessJwt: string,
    actor: string,
    signal?: AbortSignal,
  ): Promise<{ displayName?: string; avatar?: string }> {
    const body = (await this.call(
      service,
      'app.bsky.actor.getProfile',
      { params: { actor }, token: accessJwt },
      signal,
      'session',
    )) as { displayName?: string; avatar?: string }
    return { displayName: body.displayName, avatar: body.avatar }
  }

  /** Tries the remembered (or current) names, then the other dialect if the server lacks them. */
  private async withDialect(
    service: string,
    names: readonly [string, string],
    signal: AbortSignal | undefined,
    context: CallContext,
    build: (nsid: string, dialect: Dialect) => CallArgs,
  ): Promise<unknown> {
    const origin = originOf(service)
    const known = this.dialects.get(origin)
    const order: Dialect[] = known === 'legacy' ? ['legacy', 'current'] : ['current', 'legacy']
    let firstError: unknown
    for (const dialect of order) {
      const nsid = dialect === 'current' ? names[0] : names[1]
      try {
        const body = await this.call(service, nsid, build(nsid, dialect), signal, context)
        if (known !== dialect) this.dialects.set(origin, dialect)
        return body
      } catch (err) {
        if (!(err instanceof NotImplemented)) throw err
        firstError ??= err
      }
    }
    throw new SkyswitchError('ServerRefused', `${origin} does not offer the AT Protocol session methods.`, {
      detail: (firstError as NotImplemented).detail,
      key: 'session.noSessionMethods',
      params: { host: origin },
    })
  }

  private async call(
    service: string,
    nsid: string,
    args: CallArgs,
    signal: AbortSignal | undefined,
    context: CallContext,
  ): Promise<unknown> {
    const origin = originOf(service)
    const timeout = AbortSignal.timeout(this.timeoutMs)
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout
    const client = new XrpcClient({ service: origin, fetch: this.fetchImpl }, sessionLexiconSet())
    const headers: Record<string, string> = {}
    if (args.token) headers.authorization = `Bearer ${args.token}`
    try {
      const res = await client.call(nsid, args.params, args.data, { signal: combined, headers })
      return res.data
    } catch (err) {
      if (signal?.aborted)
        throw new SkyswitchError('Cancelled', 'The request was cancelled.', { key: 'session.cancelled' })
      if (timeout.aborted) {
        throw new SkyswitchError('Offline', `${hostOf(origin)} did not answer in time.`, {
          detail: 'timeout',
          key: 'session.noAnswer',
          params: { host: hostOf(origin) },
        })
      }
      throw translate(err, origin, context)
    }
  }
}

interface CallArgs {
  params?: Record<string, string>
  data?: unknown
  token?: string
}

function asSessionInfo(body: unknown): SessionInfo {
  const b = body as Record<string, unknown>
  if (typeof b?.did !== 'string' || typeof b.handle !== 'string') {
    throw new SkyswitchError('MalformedResponse', 'The server sent a session without an account.')
  }
  return {
    did: b.did,
    handle: b.handle,
    didDoc: b.didDoc,
    email: typeof b.email === 'string' ? b.email : undefined,
    emailConfirmed: typeof b.emailConfirmed === 'boolean' ? b.emailConfirmed : undefined,
    active: typeof b.active === 'boolean' ? b.active : undefined,
    status: typeof b.status === 'string' ? b.status : undefined,
  }
}

function asSessionReply(body: unknown): SessionReply {
  const info = asSessionInfo(body)
  const b = body as Record<string, unknown>
  if (typeof b.accessJwt !== 'string' || typeof b.refreshJwt !== 'string') {
    throw new SkyswitchError('MalformedResponse', 'The server sent a session without tokens.')
  }
  return { ...info, accessJwt: b.accessJwt, refreshJwt: b.refreshJwt }
}

export function originOf(service: string): string {
  try {
    const url = new URL(service)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme')
    return url.origin
  } catch {
    throw new SkyswitchError('BadRequest', 'That hosting provider is not a valid address.', {
      key: 'session.badAddress',
    })
  }
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T
}

export function inMemoryDialects(): DialectMemory {
  const map = new Map<string, Dialect>()
  return { get: (o) => map.get(o), set: (o, d) => void map.set(o, d) }
}
