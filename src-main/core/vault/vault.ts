import { copyFileSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { AppNotice, StorageInfo, TokenPersistence } from '../../ipc/contract'
import type { TokenCipher } from './cipher'
import { type Clock, systemClock } from '../refresh/clock'
import { SkyswitchError } from '../errors'
import type { Dialect, DialectMemory } from '../session/session-client'
import {
  emptyVault,
  migrate,
  type StoredAccount,
  storedAccount,
  VAULT_SCHEMA_VERSION,
  type VaultData,
  vaultHeader,
} from './vault-schema'

export interface Tokens {
  accessJwt: string
  refreshJwt: string
  /** OAuth accounts: the whole client session (DPoP private key included), sealed with the tokens. */
  oauth?: OAuthSessionData
}

/** @atproto/oauth-client-node's saved session, as JSON: opaque to the vault. */
export type OAuthSessionData = Record<string, unknown>

/** What the vault needs of conf / electron-store: a whole-object, atomic store. */
export interface StoreFile {
  store: Record<string, unknown>
  readonly path: string
}

export type OpenStore = (opts: { cwd: string; configName: string }) => StoreFile

export interface VaultOptions {
  dataDir: string
  cipher: TokenCipher
  openStore: OpenStore
  clock?: Clock
}

export const VAULT_NAME = 'vault'
export type AccountMeta = Omit<StoredAccount, 'sealedTokens'>

/**
 * Owns the vault file: metadata in clear, tokens only sealed by the cipher.
 * Every change is applied to a copy, written atomically, and only then
 * becomes the in-memory state, so a failed write changes nothing and a
 * caller that awaited a write knows the tokens are on disk before using them.
 * Writes run one at a time in call order; each bumps `generation`.
 */
export class Vault {
  private data: VaultData
  private readonly tokens = new Map<string, Tokens>()
  private chain: Promise<unknown> = Promise.resolve()
  private lastWritten: { mtimeMs: number; size: number } | null = null
  readonly notices: AppNotice[] = []
  readonly dialects: DialectMemory

  private storeFile: StoreFile | null = null

  private constructor(
    // conf reads and parses the file when it is made: made on the first write,
    // since opening has just read the file itself.
    private readonly openFile: () => StoreFile,
    private readonly filePath: string,
    private readonly cipher: TokenCipher,
    private readonly clock: Clock,
    data: VaultData,
  ) {
    this.data = data
    this.dialects = {
      get: (origin) => this.data.dialects[origin],
      set: (origin, dialect) => void this.setDialect(origin, dialect).catch(() => undefined),
    }
  }

  static async open(opts: VaultOptions): Promise<Vault> {
    const clock = opts.clock ?? systemClock
    try {
      mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 })
    } catch (err) {
      throw storageError(`Cannot create the data directory ${opts.dataDir}`, err)
    }
    const path = join(opts.dataDir, `${VAULT_NAME}.json`)
    const notices: AppNotice[] = []
    const stamp = () => new Date(clock.now()).toISOString().replace(/[:.]/g, '-')

    // Read and vet the file ourselves first: conf would throw on bad JSON,
    // and a file we cannot read must be moved aside, never overwritten.
    let raw: Record<string, unknown> | null = null
    let text: string | null = null
    try {
      text = readFileSync(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw storageError(`Cannot read ${path}`, err)
    }
    if (text !== null && text.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(text)
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
        raw = parsed as Record<string, unknown>
      } catch {
        const aside = join(opts.dataDir, `${VAULT_NAME}.corrupt-${stamp()}.json`)
        moveAside(path, aside)
        notices.push({
          id: `corrupt-${stamp()}`,
          kind: 'vault-recovered',
          message: `The account file could not be read, so Skyswitch started with an empty list. The old file was kept as ${aside}.`,
        })
      }
    }

    let data = emptyVault()
    if (raw) {
      const fromVersion = typeof raw.schemaVersion === 'number' ? raw.schemaVersion : 1
      if (fromVersion < VAULT_SCHEMA_VERSION) {
        copyFileSync(path, join(opts.dataDir, `${VAULT_NAME}.schema${fromVersion}-${stamp()}.json`))
      }
      let header: ReturnType<typeof vaultHeader.safeParse> | null = null
      try {
        header = vaultHeader.safeParse(migrate(raw))
      } catch {
        header = null
      }
      if (header?.success) {
        const accounts: Record<string, StoredAccount> = {}
        let damaged = 0
        for (const [did, entry] of Object.entries(header.data.accounts)) {
          const parsed = storedAccount.safeParse(entry)
          if (parsed.success && parsed.data.did === did) {
            accounts[did] = parsed.data
          } else {
            damaged++
            const salvaged = salvage(did, entry)
            if (salvaged) accounts[did] = salvaged
          }
        }
        // Every account exactly once, in the saved order, unknown ones last.
        const order = [...new Set(header.data.order.filter((d) => d in accounts))]
        const listed = new Set(order)
        for (const did of Object.keys(accounts)) if (!listed.has(did)) order.push(did)
        data = { ...header.data, accounts, order }
        if (data.activeDid && !(data.activeDid in accounts)) data.activeDid = data.order[0] ?? null
        if (damaged > 0) {
          const backup = join(opts.dataDir, `${VAULT_NAME}.damaged-${stamp()}.json`)
          copyFileSync(path, backup)
          notices.push({
            id: `damaged-${stamp()}`,
            kind: 'vault-recovered',
            message: `${damaged} saved account entr${damaged === 1 ? 'y was' : 'ies were'} damaged and signed out. The original file was kept as ${backup}.`,
          })
        }
      } else {
        const aside = join(opts.dataDir, `${VAULT_NAME}.unknown-${stamp()}.json`)
        moveAside(path, aside)
        notices.push({
          id: `unknown-${stamp()}`,
          kind: 'vault-recovered',
          message: `The account file is in a format this version does not understand, so Skyswitch started with an empty list. The file was kept as ${aside}.`,
        })
      }
    }

    const vault = new Vault(
      () => {
        try {
          return opts.openStore({ cwd: opts.dataDir, configName: VAULT_NAME })
        } catch (err) {
          throw storageError(`Cannot open ${path}`, err)
        }
      },
      path,
      opts.cipher,
      clock,
      data,
    )
    vault.notices.push(...notices)
    vault.noteFileState()
    await vault.unseal(path, opts.dataDir, stamp)
    return vault
  }

  /** Decrypts every sealed entry; one that cannot be read signs out only that account. */
  private async unseal(path: string, dataDir: string, stamp: () => string): Promise<void> {
    const recorded = this.data.backend
    const current = { id: this.cipher.backend, name: this.cipher.backendName }
    const backendChanged = recorded !== null && (recorded.id !== current.id || recorded.name !== current.name)
    const sealed = Object.values(this.data.accounts).filter((a) => a.sealedTokens)
    const failed: string[] = []
    const reseal: string[] = []
    for (const account of sealed) {
      try {
        const { plain, shouldReEncrypt } = await this.cipher.decrypt(account.sealedTokens as string)
        this.tokens.set(account.did, unpackTokens(plain))
        if (shouldReEncrypt || backendChanged) reseal.push(account.did)
      } catch {
        failed.push(account.handle)
      }
    }
    const stale = Object.values(this.data.accounts).some(
      (a) => a.signedIn !== (!!a.sealedTokens && this.tokens.has(a.did)),
    )
    const unchanged = !stale && reseal.length === 0 && recorded?.id === current.id && recorded.name === current.name
    if (unchanged) return
    const next = structuredClone(this.data)
    next.backend = current
    for (const a of Object.values(next.accounts)) {
      if (a.sealedTokens && !this.tokens.has(a.did)) {
        delete a.sealedTokens
        a.signedIn = false
      }
      if (!a.sealedTokens) a.signedIn = this.tokens.has(a.did)
    }
    if (failed.length > 0) {
      const backup = join(dataDir, `${VAULT_NAME}.unreadable-${stamp()}.json`)
      copyFileSync(path, backup)
      this.notices.push(
        backendChanged
          ? {
              id: `backend-${stamp()}`,
              kind: 'backend-changed',
              message: `Saved sign-ins were protected with ${recorded?.name}, and this session uses ${current.name}, which cannot read them. Sign in again to ${failed.join(', ')}. The old file was kept as ${backup}.`,
            }
          : {
              id: `unreadable-${stamp()}`,
              kind: 'vault-recovered',
              message: `The saved sign-in of ${failed.join(', ')} could not be decrypted; sign in again. The old file was kept as ${backup}.`,
            },
      )
    }
    // Persist the recorded backend and any sign-outs; re-seal what the backend asked for.
    await this.enqueue(async () => {
      for (const did of reseal) {
        const t = this.tokens.get(did)
        if (t) next.accounts[did]!.sealedTokens = await this.cipher.encrypt(packTokens(t))
      }
      this.write(next)
    })
  }

  get storage(): StorageInfo {
    return {
      backend: this.cipher.backend,
      backendName: this.cipher.backendName,
      weak: this.cipher.weak,
      persistence: this.data.persistence,
      persistenceChosen: this.data.persistenceChosen,
    }
  }

  get path(): string {
    return this.filePath
  }

  private get file(): StoreFile {
    this.storeFile ??= this.openFile()
    return this.storeFile
  }

  get generation(): number {
    return this.data.generation
  }

  get activeDid(): string | null {
    return this.data.activeDid
  }

  /** Accounts in the user's order. */
  list(): AccountMeta[] {
    return this.data.order.map((did) => withoutSeal(this.data.accounts[did]!))
  }

  get(did: string): AccountMeta | undefined {
    const a = this.data.accounts[did]
    return a ? withoutSeal(a) : undefined
  }

  getTokens(did: string): Tokens | undefined {
    return this.tokens.get(did)
  }

  /**
   * Saves an account. `tokens`: new tokens to seal, `null` to forget them,
   * `undefined` to keep what is there. Resolves once the file is written.
   */
  saveAccount(meta: AccountMeta, tokens?: Tokens | null): Promise<void> {
    return this.enqueue(async () => {
      const next = structuredClone(this.data)
      const existing = next.accounts[meta.did]
      const account: StoredAccount = { ...meta, sealedTokens: existing?.sealedTokens }
      if (tokens === null) {
        delete account.sealedTokens
        account.signedIn = false
      } else if (tokens) {
        account.sealedTokens = await this.cipher.encrypt(packTokens(tokens))
        account.signedIn = true
      }
      next.accounts[meta.did] = account
      if (!next.order.includes(meta.did)) next.order.push(meta.did)
      next.activeDid ??= meta.did
      this.write(next)
      if (tokens === null) this.tokens.delete(meta.did)
      else if (tokens) this.tokens.set(meta.did, { ...tokens })
    })
  }

  patch(did: string, patch: Partial<Omit<AccountMeta, 'did'>>): Promise<void> {
    return this.enqueue(async () => {
      const current = this.data.accounts[did]
      if (!current) throw new SkyswitchError('NotFound', 'That account is not on this device.')
      const next = structuredClone(this.data)
      next.accounts[did] = { ...current, ...patch }
      this.write(next)
    })
  }

  remove(did: string): Promise<void> {
    return this.enqueue(async () => {
      if (!this.data.accounts[did]) return
      const next = structuredClone(this.data)
      delete next.accounts[did]
      next.order = next.order.filter((d) => d !== did)
      if (next.activeDid === did) next.activeDid = next.order[0] ?? null
      this.write(next)
      this.tokens.delete(did)
    })
  }

  setActive(did: string): Promise<void> {
    return this.enqueue(async () => {
      if (!this.data.accounts[did]) throw new SkyswitchError('NotFound', 'That account is not on this device.')
      if (this.data.activeDid === did) return
      this.write({ ...structuredClone(this.data), activeDid: did })
    })
  }

  setOrder(dids: string[]): Promise<void> {
    return this.enqueue(async () => {
      const known = new Set(this.data.order)
      if (dids.length !== known.size || new Set(dids).size !== dids.length || !dids.every((d) => known.has(d))) {
        throw new SkyswitchError('BadRequest', 'The new order must list every account exactly once.')
      }
      this.write({ ...structuredClone(this.data), order: [...dids] })
    })
  }

  setPersistence(persistence: TokenPersistence): Promise<void> {
    return this.enqueue(async () => {
      const next = structuredClone(this.data)
      next.persistence = persistence
      next.persistenceChosen = true
      if (persistence === 'disk') {
        // Tokens held only in memory so far are sealed now.
        for (const [did, t] of this.tokens) {
          const a = next.accounts[did]
          if (a && !a.sealedTokens) a.sealedTokens = await this.cipher.encrypt(packTokens(t))
        }
      }
      this.write(next)
    })
  }

  private setDialect(origin: string, dialect: Dialect): Promise<void> {
    return this.enqueue(async () => {
      if (this.data.dialects[origin] === dialect) return
      const next = structuredClone(this.data)
      next.dialects[origin] = dialect
      this.write(next)
    })
  }

  /** Resolves when every write queued so far has finished. */
  async flush(): Promise<void> {
    await this.chain.catch(() => undefined)
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task)
    this.chain = run.catch(() => undefined)
    return run
  }

  /** The one place that touches the file. Memory changes only after it succeeds. */
  private write(next: VaultData): void {
    this.guardAgainstOtherWriters()
    next.generation = this.data.generation + 1
    const onDisk: VaultData =
      next.persistence === 'memory'
        ? {
            ...next,
            accounts: Object.fromEntries(Object.entries(next.accounts).map(([d, a]) => [d, withoutSeal(a)])),
          }
        : next
    try {
      this.file.store = onDisk as unknown as Record<string, unknown>
    } catch (err) {
      throw storageError('Could not save the account file', err)
    }
    this.noteFileState()
    this.data = next
  }

  /** Remembers the file as read or written, to notice another writer later. */
  private noteFileState(): void {
    try {
      const s = statSync(this.filePath)
      this.lastWritten = { mtimeMs: s.mtimeMs, size: s.size }
    } catch {
      this.lastWritten = null
    }
  }

  /** An older process must never overwrite what a newer one wrote. */
  private guardAgainstOtherWriters(): void {
    if (!this.lastWritten) return
    let s
    try {
      s = statSync(this.filePath)
    } catch {
      return
    }
    if (s.mtimeMs === this.lastWritten.mtimeMs && s.size === this.lastWritten.size) return
    let gen = -1
    try {
      gen = (JSON.parse(readFileSync(this.filePath, 'utf8')) as { generation?: number }).generation ?? -1
    } catch {
      return
    }
    if (gen > this.data.generation) {
      throw new SkyswitchError('StorageError', 'The account file was changed by another Skyswitch process.')
    }
  }
}

/**
 * The sealed plaintext: two JWTs joined by a space (JWTs never contain one),
 * or for OAuth `oauth:` and the client session as base64url JSON.
 */
function packTokens(t: Tokens): string {
  if (t.oauth) return `${OAUTH_PREFIX}${Buffer.from(JSON.stringify(t.oauth)).toString('base64url')}`
  return `${t.accessJwt} ${t.refreshJwt}`
}

const OAUTH_PREFIX = 'oauth:'

function unpackTokens(plain: string): Tokens {
  if (plain.startsWith(OAUTH_PREFIX)) {
    const oauth = JSON.parse(Buffer.from(plain.slice(OAUTH_PREFIX.length), 'base64url').toString('utf8')) as {
      tokenSet?: { access_token?: unknown; refresh_token?: unknown }
    }
    const access = oauth?.tokenSet?.access_token
    if (typeof access !== 'string') throw new Error('not an OAuth session')
    const refresh = oauth.tokenSet?.refresh_token
    return { accessJwt: access, refreshJwt: typeof refresh === 'string' ? refresh : '', oauth }
  }
  if (plain.startsWith('{')) {
    // Schema 1 sealed a JSON object.
    const o = JSON.parse(plain) as Partial<Tokens>
    if (typeof o.accessJwt !== 'string' || typeof o.refreshJwt !== 'string') throw new Error('not a token pair')
    return { accessJwt: o.accessJwt, refreshJwt: o.refreshJwt }
  }
  const [accessJwt, refreshJwt, extra] = plain.split(' ')
  if (!accessJwt || !refreshJwt || extra !== undefined) throw new Error('not a token pair')
  return { accessJwt, refreshJwt }
}

function withoutSeal(a: StoredAccount): AccountMeta {
  const { sealedTokens: _sealed, ...meta } = a
  return meta
}

/** Keeps what can be kept of a damaged entry so the user can sign in again. */
function salvage(did: string, entry: unknown): StoredAccount | null {
  const e = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>
  if (!did.startsWith('did:')) return null
  const handle = typeof e.handle === 'string' && e.handle ? e.handle : did
  const service = validUrl(e.service) ?? validUrl(e.pdsUrl) ?? 'https://bsky.social'
  return {
    did,
    handle,
    service,
    pdsUrl: validUrl(e.pdsUrl) ?? service,
    hosting: 'active',
    signedIn: false,
    scope: 'unknown',
  }
}

function validUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined
  try {
    return new URL(v).toString().replace(/\/$/, '')
  } catch {
    return undefined
  }
}

function moveAside(from: string, to: string): void {
  try {
    renameSync(from, to)
  } catch (err) {
    throw storageError(`The account file is unreadable and could not be moved aside to ${to}`, err)
  }
}

function storageError(what: string, err: unknown): SkyswitchError {
  if (err instanceof SkyswitchError) return err
  const code = (err as NodeJS.ErrnoException)?.code
  const why =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'permission denied'
        : (code ?? 'unknown error')
  return new SkyswitchError('StorageError', `${what}: ${why}.`)
}
