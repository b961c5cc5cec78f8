/**
 * Main's side of the proxy thread (see ./proxy-link): starts it, keeps its
 * picture of the accounts current, and answers what it asks. Every answer
 * comes from the account service, so tokens are read, refreshed and
 * recovered exactly as for any other caller.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { AccountService } from '../accounts/account-service'
import { SkyswitchError } from '../errors'
import type { Clock } from '../clock'
import {
  ACTIVE,
  type Ask,
  type ErrorShape,
  type FromThread,
  type LinkAccount,
  type LinkState,
  sharedNow,
  type SignAnswer,
  type ToThread,
} from './proxy-link'
import { oauthUpstream, renewExpired } from './upstream'

export interface ProxyThreadOptions {
  accounts: AccountService
  clock: Clock
  /** The hash of the local key for a DID or "active". */
  digestOf(id: string): string
  onRefused?: (reason: string) => void
  /** Called when the thread stops without being asked to (a crash). */
  onExit?: () => void
}

/** How long `close` waits for the thread to stop listening before ending it. */
const CLOSE_WAIT_MS = 3_000

type Flow = {
  credit: number
  reader?: ReadableStreamDefaultReader<Uint8Array>
  pumping: boolean
  cancelled: boolean
  /** Ends the call to the PDS too, not only its answer. */
  abort: AbortController
}
type Waiter = { on: (msg: FromThread) => boolean; fail: (err: Error) => void }

/** The built app runs the bundled thread; Node (tests, browser mode from source) runs the source. */
function threadFile(): { url: URL; execArgv?: string[] } {
  const built = new URL('./proxy-worker.js', import.meta.url)
  if (existsSync(fileURLToPath(built))) return { url: built }
  const loaded = process.execArgv.some((a) => a.includes('tsx'))
  return { url: new URL('./proxy-worker.ts', import.meta.url), execArgv: loaded ? undefined : ['--import', 'tsx'] }
}

export class ProxyThread {
  private readonly shared = new Int32Array(new SharedArrayBuffer(4))
  private readonly worker: Worker
  private readonly offs: (() => void)[] = []
  private readonly flows = new Map<number, Flow>()
  private readonly waiters = new Set<Waiter>()
  /** What the thread was last told per account, and as a whole: unchanged pictures are not sent. */
  private readonly told = new Map<string, string>()
  private toldState = ''
  private closing = false
  private dead = false

  constructor(private readonly opts: ProxyThreadOptions) {
    const { url, execArgv } = threadFile()
    this.worker = new Worker(url, { workerData: { shared: this.shared.buffer }, execArgv })
    this.worker.on('message', (msg: FromThread) => this.receive(msg))
    this.worker.on('error', () => undefined)
    this.worker.once('exit', () => {
      this.dead = true
      for (const off of this.offs) off()
      for (const w of this.waiters) w.fail(new Error('The proxy thread stopped.'))
      this.waiters.clear()
      for (const f of this.flows.values()) {
        f.cancelled = true
        f.abort.abort()
        void f.reader?.cancel().catch(() => undefined)
      }
      this.flows.clear()
      if (!this.closing) opts.onExit?.()
    })
    const { accounts } = opts
    this.offs.push(
      accounts.on('state', () => this.sendState()),
      // Most account events (unread counts, a check) change nothing the thread holds.
      accounts.on('account', (a) => {
        if (!accounts.has(a.did)) return
        const account = this.account(a.did)
        const told = JSON.stringify(account)
        if (this.told.get(a.did) === told) return
        this.told.set(a.did, told)
        this.toldState = '' // the whole picture told last is no longer what the thread holds
        this.push({ t: 'account', account, digest: opts.digestOf(a.did) })
      }),
      accounts.sequencer.onBusy((did, busy) => this.push({ t: 'busy', did, busy })),
    )
    this.sendState()
  }

  /** Listens on 127.0.0.1:`port` (0: any free port). */
  listen(port: number): Promise<{ url: string; port: number }> {
    return this.until(
      (msg, ok, fail) => {
        if (msg.t === 'listening') ok({ url: msg.url, port: msg.port })
        else if (msg.t === 'listen-failed') fail(new Error(msg.message))
        else return false
        return true
      },
      { t: 'listen', port },
    )
  }

  /** Stops listening (dropping open connections), then ends the thread; one that does not answer is ended anyway. */
  async close(): Promise<void> {
    this.closing = true
    const closed = this.until((msg, ok) => (msg.t === 'closed' ? (ok(undefined), true) : false), { t: 'close' })
    const late = new Promise((ok) => setTimeout(ok, CLOSE_WAIT_MS).unref())
    await Promise.race([closed.catch(() => undefined), late])
    await this.worker.terminate()
  }

  private until<T>(
    match: (msg: FromThread, ok: (v: T) => void, fail: (e: Error) => void) => boolean,
    send: ToThread,
  ): Promise<T> {
    // A thread that has ended would never answer.
    if (this.dead) return Promise.reject(new Error('The proxy thread stopped.'))
    return new Promise<T>((ok, fail) => {
      const w: Waiter = { on: (msg) => match(msg, ok, fail), fail }
      this.waiters.add(w)
      this.worker.postMessage(send)
    })
  }

  /** The whole picture, when what it holds changed (which accounts are busy follows on its own). */
  private sendState(): void {
    const state = this.state()
    const told = JSON.stringify({ ...state, busy: [] })
    if (told === this.toldState) return
    this.toldState = told
    this.told.clear()
    for (const a of state.accounts) this.told.set(a.did, JSON.stringify(a))
    this.push({ t: 'state', ...state })
  }

  /** Bumps the shared counter first: from now until the thread applies `msg`, it asks main. */
  private push(msg: DistributiveOmit<Extract<ToThread, { t: 'state' | 'account' | 'busy' }>, 'gen'>): void {
    const gen = Atomics.add(this.shared, 0, 1) + 1
    this.send({ ...msg, gen } as ToThread)
  }

  private account(did: string): LinkAccount {
    const { accounts } = this.opts
    return { did, oauth: accounts.isOAuth(did), baseUrl: accounts.pdsUrl(did).replace(/\/+$/, '') }
  }

  private state(): LinkState {
    const { accounts, digestOf } = this.opts
    const dids = accounts.dids()
    return {
      accounts: dids.map((did) => this.account(did)),
      active: accounts.activeDid(),
      digests: [[digestOf(ACTIVE), ACTIVE], ...dids.map((did): [string, string] => [digestOf(did), did])],
      busy: dids.filter((did) => accounts.sequencer.busy(did)),
    }
  }

  private receive(msg: FromThread): void {
    for (const w of this.waiters) {
      if (w.on(msg)) return void this.waiters.delete(w)
    }
    switch (msg.t) {
      case 'ask':
        return void this.answer(msg)
      case 'fetch':
        return void this.fetch(msg)
      case 'more': {
        const flow = this.flows.get(msg.id)
        if (flow) {
          flow.credit++
          void this.pump(msg.id, flow)
        }
        return
      }
      case 'cancel': {
        const flow = this.flows.get(msg.id)
        this.flows.delete(msg.id)
        if (!flow) return
        flow.cancelled = true
        flow.abort.abort()
        return void flow.reader?.cancel().catch(() => undefined)
      }
      case 'refused':
        return this.opts.onRefused?.(msg.reason)
    }
  }

  private async answer(q: Ask & { id: number }): Promise<void> {
    const { accounts, clock } = this.opts
    // Read before the token is: the thread keeps the answer only if it has applied exactly this much.
    const gen = Atomics.load(this.shared, 0)
    try {
      let value: unknown
      if (q.op === 'sync') value = null
      else if (q.op === 'sign') {
        const t = await accounts.accessToken(q.did, q.minValidMs)
        // Main's clock may be skewed or simulated: what counts is how long from now.
        const validUntil = t.expiresAt === null ? 0 : sharedNow() + (t.expiresAt - clock.now())
        value = { accessJwt: t.accessJwt, validUntil } satisfies SignAnswer
      } else value = await renewExpired(accounts, q.did, q.used)
      this.send({ t: 'answer', id: q.id, gen, value })
    } catch (err) {
      this.send({ t: 'failed', id: q.id, error: shape(err) })
    }
  }

  private send(msg: ToThread): void {
    if (!this.dead) this.worker.postMessage(msg)
  }

  private async fetch(msg: Extract<FromThread, { t: 'fetch' }>): Promise<void> {
    const flow: Flow = { credit: 0, pumping: false, cancelled: false, abort: new AbortController() }
    this.flows.set(msg.id, flow)
    try {
      const headers = new Headers()
      for (const [k, v] of msg.headers) headers.append(k, v)
      const body = msg.body ? Buffer.from(msg.body) : undefined
      const res = await oauthUpstream(this.opts.accounts, msg.did).send!(msg.path, {
        method: msg.method,
        headers,
        body,
        signal: flow.abort.signal,
      })
      // The tool hung up, or the thread ended, while the PDS was answering.
      if (flow.cancelled || this.dead) return void res.body?.cancel().catch(() => undefined)
      this.send({ t: 'head', id: msg.id, status: res.status, headers: [...res.headers], hasBody: res.body !== null })
      if (!res.body) {
        this.flows.delete(msg.id)
        return this.send({ t: 'end', id: msg.id })
      }
      flow.reader = res.body.getReader()
      await this.pump(msg.id, flow)
    } catch (err) {
      this.flows.delete(msg.id)
      this.send({ t: 'failed', id: msg.id, error: shape(err) })
    }
  }

  /** Sends the answer a chunk per request from the thread, so a slow tool holds back the PDS. */
  private async pump(id: number, flow: Flow): Promise<void> {
    if (flow.pumping || !flow.reader) return
    flow.pumping = true
    try {
      while (flow.credit > 0 && !flow.cancelled) {
        const { done, value } = await flow.reader.read()
        if (done) {
          this.flows.delete(id)
          return this.send({ t: 'end', id })
        }
        flow.credit--
        this.send({ t: 'chunk', id, data: value })
      }
    } catch (err) {
      this.flows.delete(id)
      this.send({ t: 'failed', id, error: shape(err) })
    } finally {
      flow.pumping = false
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

function shape(err: unknown): ErrorShape {
  if (err instanceof SkyswitchError) return { code: err.code, message: err.message }
  return { code: 'Internal', message: 'Skyswitch could not complete this request.' }
}
