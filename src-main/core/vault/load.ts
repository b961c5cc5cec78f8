/**
 * Reading the vault at start, and recovering what can be recovered: a
 * damaged main file falls back to the copy of the last good write, a damaged
 * entry signs out only its account, an older schema is migrated (its file
 * kept). What cannot be read is kept aside, never overwritten, and the user
 * is told in a notice that says what happened.
 */
import type { AppNotice, MessageParams } from '../../ipc/contract'
import { SkyswitchError } from '../errors'
import { fileExists, keepAside, readVaultFile, type ReadResult, vaultPaths } from './file'
import {
  emptyVault,
  migrate,
  type StoredAccount,
  storedAccount,
  VAULT_SCHEMA_VERSION,
  type VaultData,
  vaultHeader,
} from './vault-schema'

export interface Loaded {
  data: VaultData
  notices: AppNotice[]
  /** Restored from the previous copy: write the main file again now. */
  restored: boolean
  /** The file the data came from (to copy as a backup later). */
  source: string
}

/** `stamp` names backups and notices (a file-name-safe time). */
export function loadVault(dataDir: string, stamp: string): Loaded {
  const paths = vaultPaths(dataDir)
  const notices: AppNotice[] = []
  const main = readVaultFile(paths.main)
  if (main.state === 'ok') {
    const loaded = fromRaw(main.raw, paths.main, dataDir, stamp, notices)
    if (loaded) return { data: loaded, notices, restored: false, source: paths.main }
    if (isNewerSchema(main.raw)) {
      // A newer Skyswitch wrote it: not damage. Refuse to start and leave it as it is.
      throw new SkyswitchError(
        'StorageError',
        `The account file ${paths.main} was written by a newer version of Skyswitch (format ${String(main.raw.schemaVersion)}). Install that version again; the file was left untouched.`,
        { key: 'storage.newer', params: { path: paths.main } },
      )
    }
  }
  const hasPrev = fileExists(paths.prev)
  // A first write that never finished: nothing was ever saved.
  if ((main.state === 'missing' || main.state === 'empty') && !hasPrev) {
    return { data: emptyVault(), notices, restored: false, source: paths.main }
  }

  const aside = main.state === 'missing' ? null : keepAside(paths.main, dataDir, 'corrupt', stamp, true)
  const what =
    main.state === 'missing'
      ? 'The account file was missing'
      : `The account file could not be read (${describe(main)}); it was kept as ${aside}`
  const prev = hasPrev ? readVaultFile(paths.prev) : ({ state: 'missing' } as const)
  const restored = prev.state === 'ok' ? fromRaw(prev.raw, paths.prev, dataDir, stamp, notices) : null
  // The window's words (main's catalogs, notices.*): what happened to the file, and where it was kept.
  const why =
    main.state === 'missing' ? null : main.state === 'empty' || main.state === 'unparsable' ? main.state : 'damaged'
  const found: MessageParams = why ? { why, path: aside ?? '' } : {}
  if (restored) {
    const n = restored.order.length
    notices.unshift({
      id: `restored-${stamp}`,
      kind: 'vault-recovered',
      message: `${what}. Skyswitch restored ${n} account${n === 1 ? '' : 's'} as of the last successful save.`,
      key: why ? 'restoredUnreadable' : 'restoredMissing',
      params: { ...found, count: n },
    })
    return { data: restored, notices, restored: true, source: paths.prev }
  }
  const prevAside = prev.state === 'missing' ? null : keepAside(paths.prev, dataDir, 'corrupt-previous', stamp, true)
  notices.push({
    id: `corrupt-${stamp}`,
    kind: 'vault-recovered',
    message: `${what}, and no good earlier copy was found${prevAside ? ` (the damaged copy was kept as ${prevAside})` : ''}, so Skyswitch started with an empty list.`,
    key: why
      ? prevAside
        ? 'emptyUnreadableAside'
        : 'emptyUnreadable'
      : prevAside
        ? 'emptyMissingAside'
        : 'emptyMissing',
    params: prevAside ? { ...found, prevPath: prevAside } : found,
  })
  return { data: emptyVault(), notices, restored: false, source: paths.main }
}

function describe(r: ReadResult): string {
  return r.state === 'empty' ? 'it is empty' : r.state === 'unparsable' ? 'it is cut short or not JSON' : 'damaged'
}

function isNewerSchema(raw: Record<string, unknown>): boolean {
  return typeof raw.schemaVersion === 'number' && raw.schemaVersion > VAULT_SCHEMA_VERSION
}

/**
 * A parsed file -> vault data, or null when its header is unusable. Damaged
 * entries are salvaged as signed out (the file kept as a backup); an older
 * schema is migrated (the file kept as a backup).
 */
function fromRaw(
  raw: Record<string, unknown>,
  path: string,
  dataDir: string,
  stamp: string,
  notices: AppNotice[],
): VaultData | null {
  // A file with neither a schema version nor schema 1's account list is not a vault.
  if (typeof raw.schemaVersion !== 'number' && !Array.isArray(raw.accounts)) return null
  const fromVersion = typeof raw.schemaVersion === 'number' ? raw.schemaVersion : 1
  let header: ReturnType<typeof vaultHeader.safeParse> | null = null
  try {
    header = vaultHeader.safeParse(migrate(raw))
  } catch {
    header = null
  }
  if (!header?.success) return null
  if (fromVersion < VAULT_SCHEMA_VERSION) keepAside(path, dataDir, `schema${fromVersion}`, stamp, false)

  const accounts: Record<string, StoredAccount> = {}
  let damaged = 0
  const damagedNames: string[] = []
  for (const [did, entry] of Object.entries(header.data.accounts)) {
    const parsed = storedAccount.safeParse(entry)
    if (parsed.success && parsed.data.did === did) {
      accounts[did] = parsed.data
    } else {
      damaged++
      const salvaged = salvage(did, entry)
      if (salvaged) accounts[did] = salvaged
      damagedNames.push(salvaged && salvaged.handle !== did ? `@${salvaged.handle}` : did)
    }
  }
  // Every account exactly once, in the saved order, unknown ones last.
  const order = [...new Set(header.data.order.filter((d) => d in accounts))]
  const listed = new Set(order)
  for (const did of Object.keys(accounts)) if (!listed.has(did)) order.push(did)
  const data: VaultData = { ...header.data, accounts, order }
  if (data.activeDid && !(data.activeDid in accounts)) data.activeDid = data.order[0] ?? null
  if (damaged > 0) {
    const backup = keepAside(path, dataDir, 'damaged', stamp, false)
    notices.push({
      id: `damaged-${stamp}`,
      kind: 'vault-recovered',
      message: `${damaged} saved account entr${damaged === 1 ? 'y was' : 'ies were'} damaged and signed out (${damagedNames.join(', ')}); sign in again to use ${damaged === 1 ? 'it' : 'them'}. The original file was kept as ${backup}.`,
      key: 'damaged',
      params: { count: damaged, names: damagedNames, path: backup },
    })
  }
  return data
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
