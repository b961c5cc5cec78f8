/**
 * The proxy as the app runs it: started with the core (Electron and browser
 * mode alike) unless the user stopped it, started and stopped from the UI and
 * the CLI, remembering that choice and its port across restarts. It serves
 * from the app's own event loop: every token it uses is handed out by the
 * account service in the account's turn (./upstream), like any other caller's.
 */
import type { AccountService } from '../accounts/account-service'
import { type Clock, systemClock } from '../clock'
import { SkyswitchError } from '../errors'
import type { TokenCipher } from '../vault/cipher'
import type { ProxyStatus } from '../../ipc/contract'
import { ACTIVE, ProxyKeys } from './proxy-keys'
import { accountUpstream } from './upstream'
import { type Choice, type ProxyServer, startProxyServer } from './xrpc-proxy'

export interface ProxyServiceOptions {
  dataDir: string
  cipher: TokenCipher
  accounts: AccountService
  /** The account service's clock: an OAuth token's expiry is read on it. */
  clock?: Clock
  onRefused?: (reason: string) => void
}

export class ProxyService {
  private server: ProxyServer | null = null
  /** Set on quit and on stop: a start under way then closes what it opened. */
  private closed = false
  private starting: Promise<ProxyStatus> | null = null
  private readonly listeners = new Set<(status: ProxyStatus) => void>()
  /** The status last told to listeners, to tell only changes. */
  private told: string

  private constructor(
    private readonly opts: ProxyServiceOptions,
    private readonly keys: ProxyKeys,
  ) {
    this.told = JSON.stringify(this.status())
  }

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

  /** Follows every change of running, enabled or url; returns its own unsubscribe. */
  onChange(listener: (status: ProxyStatus) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  /** Starts (and remembers to start next time). */
  async start(): Promise<ProxyStatus> {
    this.closed = false
    this.keys.remember({ enabled: true })
    if (this.server) {
      this.changed()
      return this.status()
    }
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

  /** On quit: stops listening (dropping open connections) without changing what is remembered. */
  async close(): Promise<void> {
    this.closed = true
    // A start under way sees `closed` and closes its own server.
    await this.starting?.catch(() => undefined)
    const s = this.server
    this.server = null
    this.changed()
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
    this.starting ??= this.bind().finally(() => {
      this.starting = null
      this.changed()
    })
    return this.starting
  }

  private async bind(): Promise<ProxyStatus> {
    const options = { choose: (key: string | null) => this.choose(key), onRefused: this.opts.onRefused }
    // The remembered port may be taken: then any free one, remembered from now on.
    const server = await startProxyServer({ ...options, port: this.keys.port }).catch(() => startProxyServer(options))
    // Stopped, or the app quit, while it was starting.
    if (this.closed || !this.keys.enabled) {
      await server.close()
      return this.status()
    }
    this.server = server
    this.keys.remember({ port: server.port })
    return this.status()
  }

  /** Which account a presented key stands for, read at once from the account service. */
  private choose(key: string | null): Choice {
    if (!key) {
      return {
        ok: false,
        status: 401,
        error: 'AuthenticationRequired',
        message: 'Send a Skyswitch local key as the Bearer token (see `skyswitch env --proxy`).',
      }
    }
    const { accounts } = this.opts
    const id = this.keys.resolve(key, () => accounts.dids())
    // A removed account's key stays known to the hash table but no longer resolves.
    if (!id || (id !== ACTIVE && !accounts.has(id))) {
      return { ok: false, status: 401, error: 'AuthenticationRequired', message: 'Unknown local key.' }
    }
    const did = id === ACTIVE ? accounts.activeDid() : id
    if (!did) return { ok: false, status: 401, error: 'AuthenticationRequired', message: 'No account is active.' }
    // Chosen per request: an account may switch between password and OAuth.
    return { ok: true, upstream: accountUpstream(accounts, did, this.opts.clock ?? systemClock) }
  }

  /** Tells listeners when running, enabled or url differ from what they were last told. */
  private changed(): void {
    const status = this.status()
    const now = JSON.stringify(status)
    if (now === this.told) return
    this.told = now
    for (const listener of this.listeners) {
      try {
        listener(status)
      } catch {
        // One listener's failure must not keep the others from hearing, nor fail a start or stop.
      }
    }
  }
}
