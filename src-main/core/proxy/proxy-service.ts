/**
 * The proxy as the app runs it: started with the core (Electron and browser
 * mode alike) unless the user stopped it, started and stopped from the UI and
 * the CLI, remembering that choice and its port across restarts.
 */
import type { AccountService } from '../accounts/account-service'
import { SkyswitchError } from '../errors'
import { type Clock, systemClock } from '../clock'
import type { TokenCipher } from '../vault/cipher'
import type { ProxyStatus } from '../cli/tool-protocol'
import { ProxyKeys } from './proxy-keys'
import { ACTIVE } from './proxy-link'
import { ProxyThread } from './proxy-thread'

export interface ProxyServiceOptions {
  dataDir: string
  cipher: TokenCipher
  accounts: AccountService
  clock?: Clock
  onRefused?: (reason: string) => void
}

interface Running {
  thread: ProxyThread
  /** When it began serving (epoch ms). */
  since: number
  url: string
  port: number
}

export class ProxyService {
  private server: Running | null = null
  /** Set on quit: nothing starts the thread again after that. */
  private closed = false
  private restarts = 0
  private starting: Promise<ProxyStatus> | null = null
  private readonly listeners = new Set<(status: ProxyStatus) => void>()
  private told = ''

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

  /** Calls `listener` with the status each time it changes; returns its own unsubscribe. */
  onChange(listener: (status: ProxyStatus) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  private changed(): void {
    const status = this.status()
    const key = JSON.stringify(status)
    if (key === this.told) return
    this.told = key
    for (const l of this.listeners) l(status)
  }

  /** Starts (and remembers to start next time). */
  async start(): Promise<ProxyStatus> {
    this.closed = false
    this.restarts = 0
    this.keys.remember({ enabled: true })
    if (this.server) return this.status()
    try {
      await this.listen()
    } catch {
      this.changed()
      throw new SkyswitchError('Internal', 'The proxy could not listen on 127.0.0.1.')
    }
    this.changed()
    return this.status()
  }

  /** Stops (and remembers to stay stopped). */
  async stop(): Promise<ProxyStatus> {
    this.keys.remember({ enabled: false })
    await this.close()
    this.changed()
    return this.status()
  }

  /** On quit: stops listening without changing what is remembered. */
  async close(): Promise<void> {
    this.closed = true
    // A start under way sees `closed` and ends its own thread.
    await this.starting?.catch(() => undefined)
    const s = this.server
    this.server = null
    await s?.thread.close()
    this.changed()
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

  /** The proxy serves from a thread of its own (./proxy-thread), so tools and the app never wait on each other. */
  private async bind(): Promise<ProxyStatus> {
    const { accounts, clock = systemClock, onRefused } = this.opts
    const thread: ProxyThread = new ProxyThread({
      accounts,
      clock,
      onRefused,
      digestOf: (id) => this.keys.digestOf(id),
      onExit: () => this.ended(thread),
    })
    try {
      // The remembered port may be taken: then any free one, remembered from now on.
      const at = await thread.listen(this.keys.port).catch(() => thread.listen(0))
      // Stopped, or the app quit, while the thread was starting.
      if (this.closed || !this.keys.enabled) {
        await thread.close()
        return this.status()
      }
      this.server = { thread, since: Date.now(), ...at }
    } catch (err) {
      await thread.close()
      throw err
    }
    this.keys.remember({ port: this.server.port })
    this.changed()
    return this.status()
  }

  /**
   * The thread ended without being asked (a bug): tools lose their calls in
   * flight, but the proxy comes back (on its port while that is free), a few
   * times in a row at most.
   */
  private ended(thread: ProxyThread): void {
    const ran = this.server
    if (ran?.thread !== thread) return
    this.server = null
    this.changed()
    if (Date.now() - ran.since > STEADY_MS) this.restarts = 0
    if (!this.keys.enabled || this.closed || this.restarts >= MAX_RESTARTS) return
    this.restarts++
    setTimeout(() => {
      if (this.keys.enabled && !this.closed && !this.server) void this.listen().catch(() => undefined)
    }, RESTART_DELAY_MS * this.restarts).unref()
  }
}

const MAX_RESTARTS = 5
/** A thread that served this long before it ended starts the count of restarts over. */
const STEADY_MS = 60_000
const RESTART_DELAY_MS = 500
