import type { SafeStorage } from 'electron'
import type { Decrypted, TokenCipher } from '../core/vault/cipher'
import { SkyswitchError } from '../core/errors'
import type { StorageBackend } from '../ipc/contract'

type SafeStorageLike = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>

/**
 * Electron's safeStorage (the OS keychain) through its async API, which does
 * not block the main thread on a keychain prompt. Create after app `ready`.
 */
export class SafeStorageCipher implements TokenCipher {
  readonly backend: StorageBackend
  readonly backendName: string
  readonly weak: boolean

  private constructor(
    private readonly safe: SafeStorageLike,
    backend: StorageBackend,
    backendName: string,
  ) {
    this.backend = backend
    this.backendName = backendName
    this.weak = backend !== 'keychain'
  }

  static async create(safe: SafeStorageLike, platform = process.platform): Promise<SafeStorageCipher> {
    const available = await safe.isAsyncEncryptionAvailable()
    if (!available) return new SafeStorageCipher(safe, 'unavailable', 'none')
    if (platform === 'linux') {
      const selected = safe.getSelectedStorageBackend()
      return new SafeStorageCipher(safe, selected === 'basic_text' ? 'basic_text' : 'keychain', selected)
    }
    return new SafeStorageCipher(safe, 'keychain', platform === 'darwin' ? 'macOS Keychain' : 'Windows DPAPI')
  }

  async encrypt(plain: string): Promise<string> {
    if (this.backend === 'unavailable') {
      throw new SkyswitchError('StorageError', 'No secure storage is available to save tokens on this system.', {
        key: 'storage.noSecureStorage',
      })
    }
    return (await this.safe.encryptStringAsync(plain)).toString('base64')
  }

  async decrypt(sealed: string): Promise<Decrypted> {
    try {
      const { result, shouldReEncrypt } = await this.safe.decryptStringAsync(Buffer.from(sealed, 'base64'))
      return { plain: result, shouldReEncrypt }
    } catch {
      throw new SkyswitchError('StorageError', `A stored token could not be decrypted with ${this.backendName}.`, {
        key: 'storage.undecryptable',
        params: { backend: this.backendName },
      })
    }
  }
}
