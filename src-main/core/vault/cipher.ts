import type { StorageBackend } from '../../ipc/contract'

export interface Decrypted {
  plain: string
  /** The backend says the value was sealed with an old key: write it again. */
  shouldReEncrypt: boolean
}

/**
 * Seals tokens before they reach disk. Electron's safeStorage in the app,
 * an AES-256-GCM key file in browser mode; the vault only sees this interface.
 */
export interface TokenCipher {
  readonly backend: StorageBackend
  /** What the OS calls it (gnome_libsecret, kwallet6, basic_text, key file...). */
  readonly backendName: string
  /** A fixed or file-kept key: readable by anything that can read the data directory. */
  readonly weak: boolean
  encrypt(plain: string): Promise<string>
  decrypt(sealed: string): Promise<Decrypted>
}
