import { mkdirSync } from 'node:fs'
import type { AppNotice, StorageInfo, TokenPersistence } from '../../ipc/contract'
import type { TokenCipher } from './cipher'
import { type Clock, systemClock } from '../clock'
import { SkyswitchError } from '../errors'
import {
  fileExists,
  keepAside,
  rmQuietly,
  serialize,
  storageError,
  tidyDataDir,
  VAULT_NAME,
  type VaultPaths,
  vaultPaths,
  writeFileAtomic,
} from './file'
import { loadVault } from './load'
import { OtherWriterGuard } from './other-writers'
import { openSeals, sealTokens, type Tokens } from './sealing'
import type { StoredAccount, VaultData } from './vault-schema'

/** Which session method names a server answers (remembered per origin; see session/session-client). */
type Dialect = VaultData['dialects'][string]

export type { OAuthSessionData, Tokens } from './sealing'
export { VAULT_NAME } from './file'

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
  readonly notices: AppNotice[] = []
  readonly dialects: { get(origin: string): Dialect | undefined; set(origin: string, dialect: Dialect): void }

  private storeFile: StoreFile | null = null
  private readonly guard: OtherWriterGuard

  private constructor(
    // conf reads and parses the file when it is made: made on the first write,
    // since opening has just read the file itself.
    private readonly openFile: () => StoreFile,
    private readonly paths: VaultPaths,
    private readonly cipher: TokenCipher,
    private readonly clock: Clock,
    data: VaultData,
  ) {
    this.data = data
    this.guard = new OtherWriterGuard(paths.main)
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
    const paths = vaultPaths(opts.dataDir)
    const stamp = () => new Date(clock.now()).toISOString().replace(/[:.]/g, '-')
    tidyDataDir(opts.dataDir)
    // Read and vet the file ourselves first: conf would throw on bad JSON,
    // and a file we cannot read must be kept aside, never overwritten.
    const loaded = loadVault(opts.dataDir, stamp())
    const vault = new Vault(
      () => {
        try {
          return opts.openStore({ cwd: opts.dataDir, configName: VAULT_NAME })
        } catch (err) {
          throw storageError(`Cannot open ${paths.main}`, err)
        }
      },
      paths,
      opts.cipher,
      clock,
      loaded.data,
    )
    vault.notices.push(...loaded.notices)
    vault.guard.note()
    await vault.unseal(loaded.source, opts.dataDir, stamp, loaded.restored)
    return vault
  }

  /** Decrypts every sealed entry; persists the backend, sign-outs, re-seals and a restore. */
  private async unseal(source: string, dataDir: string, stamp: () => string, mustWrite: boolean): Promise<void> {
    const opened = await openSeals(this.data, this.cipher, {
      mustWrite,
      stamp,
      keepBackup: () => keepAside(source, dataDir, 'unreadable', stamp(), false),
    })
    for (const [did, t] of opened.tokens) this.tokens.set(did, t)
    this.notices.push(...opened.notices)
    const next = opened.next
    if (next) await this.enqueue(async () => this.write(next))
  }

  /** Tokens only in memory: chosen, or forced because no cipher exists. */
  private get memoryOnly(): boolean {
    return this.data.persistence === 'memory' || this.cipher.backend === 'unavailable'
  }

  /** App settings as stored (vetted by core/settings.ts). */
  get settings(): Record<string, unknown> {
    return { ...this.data.settings }
  }

  setSettings(settings: Record<string, unknown>): Promise<void> {
    return this.enqueue(async () => {
      this.write({ ...structuredClone(this.data), settings: { ...settings } })
    })
  }

  get storage(): StorageInfo {
    return {
      backend: this.cipher.backend,
      backendName: this.cipher.backendName,
      weak: this.cipher.weak,
      persistence: this.memoryOnly ? 'memory' : this.data.persistence,
      persistenceChosen: this.data.persistenceChosen,
    }
  }

  get path(): string {
    return this.paths.main
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
        // Tokens that never reach the disk need no cipher.
        if (this.memoryOnly) delete account.sealedTokens
        else account.sealedTokens = await sealTokens(this.cipher, tokens)
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

  /** Forgets revoked retired tokens, in memory only: the next write saves it (one left on disk is harmless). */
  dropRetired(did: string, revoked: string[]): void {
    const t = this.tokens.get(did)
    if (t?.retired) this.tokens.set(did, { ...t, retired: t.retired.filter((jwt) => !revoked.includes(jwt)) })
  }

  patch(did: string, patch: Partial<Omit<AccountMeta, 'did'>>): Promise<void> {
    return this.enqueue(async () => {
      const current = this.data.accounts[did]
      if (!current)
        throw new SkyswitchError('NotFound', 'That account is not on this device.', { key: 'accounts.notOnDevice' })
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
      if (!this.data.accounts[did])
        throw new SkyswitchError('NotFound', 'That account is not on this device.', { key: 'accounts.notOnDevice' })
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
      if (persistence === 'disk' && this.cipher.backend === 'unavailable') {
        throw new SkyswitchError('StorageError', 'No secure storage is available, so sign-ins stay in memory only.', {
          key: 'storage.memoryOnly',
        })
      }
      const next = structuredClone(this.data)
      next.persistence = persistence
      next.persistenceChosen = true
      if (persistence === 'disk') {
        // Tokens held only in memory so far are sealed now.
        for (const [did, t] of this.tokens) {
          const a = next.accounts[did]
          if (a && !a.sealedTokens) a.sealedTokens = await sealTokens(this.cipher, t)
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

  /**
   * The one place that touches the files. Memory changes only after the main
   * file is written; then the same bytes go to the previous-copy file, which
   * start-up falls back to if the main file is ever found damaged.
   */
  private write(next: VaultData): void {
    this.guard.check(this.data.generation)
    next.generation = this.data.generation + 1
    const onDisk: VaultData =
      next.persistence === 'memory'
        ? {
            ...next,
            accounts: Object.fromEntries(Object.entries(next.accounts).map(([d, a]) => [d, withoutSeal(a)])),
          }
        : next
    try {
      // The first write creates the file 0600 itself; conf keeps that mode on later writes.
      if (!fileExists(this.paths.main)) writeFileAtomic(this.paths.main, serialize(onDisk))
      else this.file.store = onDisk as unknown as Record<string, unknown>
    } catch (err) {
      throw storageError('Could not save the account file', err)
    }
    this.guard.note()
    this.data = next
    try {
      writeFileAtomic(this.paths.prev, serialize(onDisk))
    } catch {
      // The main file holds this write; a stale copy must not outlive it.
      rmQuietly(this.paths.prev)
    }
  }
}

function withoutSeal(a: StoredAccount): AccountMeta {
  const { sealedTokens: _sealed, ...meta } = a
  return meta
}
