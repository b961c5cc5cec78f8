/**
 * The proxy runs on a thread of its own (./proxy-worker) so a tool's calls
 * never wait for the app's main thread, and the app never waits for a tool's
 * upload. Main keeps every session; this file is what passes between the two
 * and the thread's picture of the accounts.
 *
 * The thread holds only what a request needs at once: each account's PDS
 * address and kind of sign-in, the hashes of the local keys, and the access
 * token main last handed it, with how long main said it stays valid. Main
 * bumps a shared counter (synchronously, before anything else can happen)
 * whenever anything the thread holds may be stale: an account's operation
 * begins or ends (tokens change only inside operations, by the ownership
 * rule), an account's address or kind of sign-in changes, or the list or
 * the active account does. While the counter is ahead of the last update
 * the thread applied, every request asks main, whose answer comes after
 * that update (a port delivers in order). So once an operation such as
 * signing out has begun, no new request uses the token it ends.
 */
import { createHash } from 'node:crypto'

export const KEY_PREFIX = 'skyswitch-local-'
export const ACTIVE = 'active'

/** How a local key is looked up: by its hash, so the lookup's timing says nothing about the key. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('base64url')
}

export interface LinkAccount {
  did: string
  oauth: boolean
  /** The PDS address, without a trailing slash. */
  baseUrl: string
}

export interface LinkState {
  accounts: LinkAccount[]
  active: string | null
  /** Hash of each local key -> its DID or "active". */
  digests: [string, string][]
  busy: string[]
}

export interface ErrorShape {
  code: string
  message: string
}

export type Ask =
  | { op: 'sign'; did: string; minValidMs: number }
  /** After an ExpiredToken: `used` is the hash of the token the PDS refused (the token itself stays here). */
  | { op: 'recover'; did: string; used: string }
  /** Answered at once: by then the thread has applied every update main sent before. */
  | { op: 'sync' }

/** Main to the proxy thread. */
export type ToThread =
  | { t: 'listen'; port: number }
  | { t: 'close' }
  | ({ t: 'state'; gen: number } & LinkState)
  | { t: 'account'; gen: number; account: LinkAccount; digest: string }
  | { t: 'busy'; gen: number; did: string; busy: boolean }
  /** `gen`: main's counter when it began answering (see LinkTable.remember). */
  | { t: 'answer'; id: number; gen: number; value: unknown }
  | { t: 'failed'; id: number; error: ErrorShape }
  | { t: 'head'; id: number; status: number; headers: [string, string][]; hasBody: boolean }
  | { t: 'chunk'; id: number; data: Uint8Array }
  | { t: 'end'; id: number }

/** The proxy thread to main. */
export type FromThread =
  | { t: 'listening'; url: string; port: number }
  | { t: 'listen-failed'; message: string }
  | { t: 'closed' }
  | ({ t: 'ask'; id: number } & Ask)
  | {
      t: 'fetch'
      id: number
      did: string
      path: string
      method: string
      headers: [string, string][]
      body?: Uint8Array
    }
  | { t: 'more'; id: number }
  | { t: 'cancel'; id: number }
  | { t: 'refused'; reason: string }

/** What main answers to a `sign`: the token, and until when (on `sharedNow`) it stays valid. */
export interface SignAnswer {
  accessJwt: string
  validUntil: number
}

/**
 * Milliseconds on the process's monotonic clock, the same on every thread
 * (each thread's `performance.now()` counts from its own start, and the wall
 * clock can step).
 */
export const sharedNow = (): number => Number(process.hrtime.bigint()) / 1e6

type Resolved = { ok: true; account: LinkAccount } | { ok: false; message: string }

/**
 * The thread's picture, updated only by main's messages. `current` reads
 * main's shared counter; `now` is `sharedNow` (a parameter for tests).
 */
export class LinkTable {
  private gen = -1
  private readonly byDigest = new Map<string, string>()
  private readonly accounts = new Map<string, LinkAccount>()
  private active: string | null = null
  private readonly busy = new Set<string>()
  private readonly tokens = new Map<string, { accessJwt: string; until: number }>()

  constructor(
    private readonly current: () => number,
    private readonly now: () => number,
  ) {}

  apply(msg: Extract<ToThread, { t: 'state' | 'account' | 'busy' }>): void {
    // Tokens first: should the rest fail, the picture is not marked current (`gen` comes last).
    if (msg.t === 'state') this.tokens.clear()
    else if (msg.t === 'busy') this.tokens.delete(msg.did)
    if (msg.t === 'state') {
      this.byDigest.clear()
      for (const [digest, id] of msg.digests) this.byDigest.set(digest, id)
      this.accounts.clear()
      for (const a of msg.accounts) this.accounts.set(a.did, a)
      this.active = msg.active
      this.busy.clear()
      for (const did of msg.busy) this.busy.add(did)
    } else if (msg.t === 'account') {
      this.accounts.set(msg.account.did, msg.account)
      // Its token changes only inside an operation, which the busy updates around it cover.
      this.byDigest.set(msg.digest, msg.account.did)
    } else {
      if (msg.busy) this.busy.add(msg.did)
      else this.busy.delete(msg.did)
    }
    this.gen = msg.gen
  }

  /** True while main has changed something this thread has not applied yet. */
  stale(): boolean {
    return this.current() !== this.gen
  }

  /** Whether a key is the one that follows the active account (which may have just changed). */
  isActiveKey(key: string): boolean {
    return key.startsWith(KEY_PREFIX) && this.byDigest.get(keyDigest(key)) === ACTIVE
  }

  /** The account a presented local key stands for (the "active" key follows the active account). */
  resolve(key: string): Resolved {
    const id = key.startsWith(KEY_PREFIX) ? this.byDigest.get(keyDigest(key)) : undefined
    // A removed account's key may still be known here, but its account is not.
    if (!id || (id !== ACTIVE && !this.accounts.has(id))) return { ok: false, message: 'Unknown local key.' }
    const account = this.accounts.get(id === ACTIVE ? (this.active ?? '') : id)
    return account ? { ok: true, account } : { ok: false, message: 'No account is active.' }
  }

  /** The account's address as last told (a request already chosen keeps going there). */
  account(did: string): LinkAccount | undefined {
    return this.accounts.get(did)
  }

  /**
   * A token usable now without asking main: only when this picture is
   * current, nothing is under way for the account, and the token main gave
   * stays valid for `minValidMs`.
   */
  token(did: string, minValidMs: number): string | null {
    if (this.stale() || this.busy.has(did)) return null
    const t = this.tokens.get(did)
    return t && t.until - this.now() >= minValidMs ? t.accessJwt : null
  }

  /**
   * Keeps main's answer for the next requests, only if this thread has
   * applied exactly what main had sent when it began answering (`gen`):
   * anything later may have changed the token before main read it.
   */
  remember(did: string, gen: number, answer: SignAnswer): void {
    if (gen !== this.gen || answer.validUntil <= this.now()) return
    this.tokens.set(did, { accessJwt: answer.accessJwt, until: answer.validUntil })
  }

  forget(did: string): void {
    this.tokens.delete(did)
  }
}
