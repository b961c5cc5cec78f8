/**
 * The vault's files on disk: the main file, the copy of the last good write
 * beside it, backups of damaged files, and leftovers of interrupted writes.
 * Everything here is the owner's alone (0600) and no backup is ever
 * overwritten.
 */
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { SkyswitchError } from '../errors'

export const VAULT_NAME = 'vault'
const OWNER_ONLY = 0o600
/** Temporary files of an atomic write: conf's (`vault.json.tmp-…`) and ours. */
const TEMP_FILE = /^vault\.json(\.prev)?\.tmp-[\w-]+$/

export interface VaultPaths {
  /** The file electron-store / conf reads and writes. */
  main: string
  /** The same bytes as the last write that reached `main`, for when `main` is damaged. */
  prev: string
}

export function vaultPaths(dataDir: string): VaultPaths {
  const main = join(dataDir, `${VAULT_NAME}.json`)
  return { main, prev: `${main}.prev` }
}

export type ReadResult =
  { state: 'missing' } | { state: 'empty' } | { state: 'unparsable' } | { state: 'ok'; raw: Record<string, unknown> }

/** Reads one vault file; only a JSON object counts as readable. */
export function readVaultFile(path: string): ReadResult {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' }
    throw storageError(`Cannot read ${path}`, err)
  }
  if (text.trim() === '') return { state: 'empty' }
  try {
    const parsed: unknown = JSON.parse(text)
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { state: 'unparsable' }
    return { state: 'ok', raw: parsed as Record<string, unknown> }
  } catch {
    return { state: 'unparsable' }
  }
}

/** The same serialisation conf uses, so both files read alike. */
export function serialize(data: unknown): string {
  return JSON.stringify(data, undefined, '\t')
}

/**
 * Write to a temporary file (0600 from its creation), flush it, then rename
 * it over `path`: a reader sees the old bytes or the new ones, never a mix.
 */
export function writeFileAtomic(path: string, text: string): void {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  let fd: number | null = openSync(temp, 'wx', OWNER_ONLY)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
    closeSync(fd)
    fd = null
    chmodSync(temp, OWNER_ONLY)
    renameSync(temp, path)
  } catch (err) {
    if (fd !== null) closeSync(fd)
    rmQuietly(temp)
    throw err
  }
  syncDir(dirname(path))
}

/**
 * Keeps a copy of `from` as `vault.<label>-<stamp>.json` (a numbered name if
 * that exists: a backup is never overwritten); `move` removes the original.
 * Returns the backup's path.
 */
export function keepAside(from: string, dataDir: string, label: string, stamp: string, move: boolean): string {
  for (let n = 1; ; n++) {
    const to = join(dataDir, `${VAULT_NAME}.${label}-${stamp}${n === 1 ? '' : `-${n}`}.json`)
    try {
      copyFileSync(from, to, constants.COPYFILE_EXCL)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw storageError(`The account file could not be kept aside as ${to}`, err)
    }
    chmodSync(to, OWNER_ONLY)
    if (move) {
      try {
        unlinkSync(from)
      } catch (err) {
        throw storageError(`The damaged account file could not be moved aside to ${to}`, err)
      }
    }
    return to
  }
}

/**
 * At start: removes what an interrupted write left behind (nothing else
 * writes here: one process holds the data directory) and makes every vault
 * file and backup the owner's alone, including ones older versions wrote.
 */
export function tidyDataDir(dataDir: string): void {
  let names: string[]
  try {
    names = readdirSync(dataDir)
  } catch (err) {
    throw storageError(`Cannot read the data directory ${dataDir}`, err)
  }
  for (const name of names) {
    if (!name.startsWith(`${VAULT_NAME}.`)) continue
    const path = join(dataDir, name)
    if (TEMP_FILE.test(name)) rmQuietly(path)
    else restrictToOwner(path)
  }
}

/** chmod 0600 unless it already is; best effort (the file may be gone). */
export function restrictToOwner(path: string): void {
  try {
    const s = statSync(path)
    if (s.isFile() && (s.mode & 0o777) !== OWNER_ONLY) chmodSync(path, OWNER_ONLY)
  } catch {
    // Nothing to restrict.
  }
}

export function rmQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone.
  }
}

export function fileExists(path: string): boolean {
  return existsSync(path)
}

/** Makes a rename durable; not every platform can open a directory. */
function syncDir(dir: string): void {
  let fd: number | null = null
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Windows and some file systems cannot: the rename is still atomic.
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

export function storageError(what: string, err: unknown): SkyswitchError {
  if (err instanceof SkyswitchError) return err
  const code = (err as NodeJS.ErrnoException)?.code
  const why =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'permission denied'
        : (code ?? 'unknown error')
  const key =
    code === 'ENOSPC' ? 'storage.diskFull' : why === 'permission denied' ? 'storage.permission' : 'storage.other'
  return new SkyswitchError('StorageError', `${what}: ${why}.`, { key, params: { code: code ?? '?' } })
}
