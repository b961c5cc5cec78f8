import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, readFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { Decrypted, TokenCipher } from '../core/vault/cipher'
import { SkyswitchError } from '../core/errors'

const KEY_FILE = 'token-key'
// "k2:" + base64(iv[12] | tag[16] | ciphertext): one decode per value.
const PREFIX = 'k2:'
const IV = 12
const TAG = 16

/**
 * Browser mode's cipher: AES-256-GCM with a random key kept in a 0600 file
 * in the data directory. Weaker than an OS keychain (anyone who can read the
 * directory can read the key), and the UI says so.
 */
export class KeyFileCipher implements TokenCipher {
  readonly backend = 'key-file' as const
  readonly backendName = 'key file'
  readonly weak = true
  private readonly key: Buffer

  constructor(dataDir: string) {
    this.key = loadOrCreateKey(join(dataDir, KEY_FILE))
  }

  async encrypt(plain: string): Promise<string> {
    const iv = randomBytes(IV)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
  }

  async decrypt(sealed: string): Promise<Decrypted> {
    const raw = sealed.startsWith(PREFIX) ? Buffer.from(sealed.slice(PREFIX.length), 'base64') : null
    if (!raw || raw.length < IV + TAG) {
      throw new SkyswitchError('StorageError', 'A stored token is not in a format this key file can read.')
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV))
      decipher.setAuthTag(raw.subarray(IV, IV + TAG))
      const plain = decipher.update(raw.subarray(IV + TAG), undefined, 'utf8') + decipher.final('utf8')
      return { plain, shouldReEncrypt: false }
    } catch {
      throw new SkyswitchError('StorageError', 'A stored token could not be decrypted with this key file.')
    }
  }
}

function loadOrCreateKey(path: string): Buffer {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw keyError(path, err)
    return createKey(path)
  }
  try {
    const stat = fstatSync(fd)
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new SkyswitchError(
        'StorageError',
        `The key file ${path} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}). ` +
          'Run chmod 600 on it, then start Skyswitch again.',
      )
    }
    const key = readFileSync(fd)
    if (key.length !== 32) throw new SkyswitchError('StorageError', `The key file ${path} is damaged.`)
    return key
  } finally {
    closeSync(fd)
  }
}

function createKey(path: string): Buffer {
  const key = randomBytes(32)
  try {
    // O_EXCL: two processes racing never end up with different keys.
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
    try {
      writeSync(fd, key)
    } finally {
      closeSync(fd)
    }
    return key
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKey(path)
    throw keyError(path, err)
  }
}

function keyError(path: string, err: unknown): SkyswitchError {
  if (err instanceof SkyswitchError) return err
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown'
  return new SkyswitchError('StorageError', `Cannot use the key file ${path} (${code}).`)
}
