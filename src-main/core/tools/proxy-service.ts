/**
 * The proxy as the app runs it: started with the core (Electron and browser
 * mode alike) unless the user stopped it, started and stopped from the UI and
 * the CLI, remembering that choice and its port across restarts.
 */
import type { AccountService } from '../accounts'
import { SkyswitchError } from '../errors'
import type { TokenCipher } from '../vault/cipher'
import type { ProxyStatus } from './tool-protocol'
import { ACTIVE, ProxyKeys } from './proxy-keys'
import { accountUpstream, type Upstream } from './upstream'
import { type Choice, type ProxyServer, startProxyServer } from './xrpc-proxy'

export interface ProxyServiceOptions {
  dataDir: string
  cipher: TokenCipher
  accounts: AccountService
  /** Per account: how its requests get their credentials (OAuth accounts plug in here). */
  upstreamFor?: (did: string) => Upstream
  onRefused?: (reason: string) => void
}

export class ProxyService {
  private server: ProxyServer | null = null
  private starting: Promise<ProxyStatus> | null = null
  private readonly upstreams = new Map<string, Upstream>()

  private constructor(
    private readonly opts: ProxyServiceOptions,
    private readonly keys: ProxyKeys,
  ) {}

  static async open(opts: ProxyServiceOptions): Promise<ProxyService> {
    const service = new ProxyService(opts, await ProxyKeys.open(opts.dataDir, opts.cipher))
    if (service.keys.enabled) {
      // A proxy that cannot listen must not stop the app from starting.
      await service.listen().catch(() => undefined)
    }
    return service
  }

  status(): ProxyStatus {
    return { running: this.server !== null, enabled: this.keys.enabled, url: this.server?.url ?? null }
  }

  /** Starts (and remembers to start next time). */
  async start(): Promise<ProxyStatus> {
    this.keys.remember({ enabled: true })
    if (this.server) return this.status()
    try {
      await this.listen()
    } catch {
      throw new SkyswitchError('Internal', 'The proxy could not listen on 127.0.0.1.')
    }
    return this.status()
  }

  /** Stops (and remembers to stay stopped). */
  async stop(): Promise<ProxyStatus> {
    this.keys.remember({ enabled: false })
    await this.close()
    return this.status()
  }

  /** On quit: stops listening without changing what is remembered. */
  async close(): Promise<void> {
    const s = this.server
    this.server = null
    await s?.close()
  }

  /** The local key for an account, or for whichever account is active. */
  keyFor(did: string | 'active'): string {
    if (did !== ACTIVE) this.opts.accounts.get(did)
    return this.keys.keyFor(did)
  }

  /** The proxy's address; an error when it is stopped. */
  requireUrl(): string {
    if (!this.server) {
      throw new SkyswitchError(
        'NotAllowed',
        'The Skyswitch proxy is stopped: start it in the app or with `skyswitch proxy start`.',
      )
    }
    return this.server.url
  }

  private listen(): Promise<ProxyStatus> {
    this.starting ??= this.bind().finally(() => (this.starting = null))
    return this.starting
  }

  private async bind(): Promise<ProxyStatus> {
    const options = { choose: (key: string | null) => this.choose(key), onRefused: this.opts.onRefused }
    try {
      this.server = await startProxyServer({ ...options, port: this.keys.port })
    } catch {
      // The remembered port is taken: any free one, remembered from now on.
      this.server = await startProxyServer(options)
    }
    this.keys.remember({ port: this.server.port })
    return this.status()
  }

  private choose(key: string | null): Choice {
    if (!key) {
      return {
        ok: false,
        status: 401,
        error: 'AuthenticationRequired',
        message: 'Send a Skyswitch local key as the Bearer token (see `skyswitch env --proxy`).',
      }
    }
    const accounts = this.opts.accounts
    const id = this.keys.resolve(key, () => accounts.dids())
    // A removed account's key stays known to the hash table but no longer resolves.
    if (!id || (id !== ACTIVE && !accounts.has(id))) {
      return { ok: false, status: 401, error: 'AuthenticationRequired', message: 'Unknown local key.' }
    }
    const did = id === ACTIVE ? accounts.activeDid() : id
    if (!did) return { ok: false, status: 401, error: 'AuthenticationRequired', message: 'No account is active.' }
    return { ok: true, upstream: this.upstream(did) }
  }

  private upstream(did: string): Upstream {
    // Keyed by the kind of sign-in too: an account may switch between password and OAuth.
    const key = `${this.opts.accounts.isOAuth(did) ? 'oauth' : 'password'} ${did}`
    let up = this.upstreams.get(key)
    if (!up) {
      up = this.opts.upstreamFor?.(did) ?? accountUpstream(this.opts.accounts, did)
      this.upstreams.set(key, up)
    }
    return up
  }
}
