import { describe, expect, it } from 'vitest'
import { SafeStorageCipher } from '../../src-main/shell/safe-storage-cipher'

/** Electron's safeStorage cannot exist here: a stand-in with the same async API. */
function stubSafeStorage(backend: string, available = true) {
  let rotated = false
  return {
    rotate: () => void (rotated = true),
    api: {
      isAsyncEncryptionAvailable: async () => available,
      getSelectedStorageBackend: () => backend as never,
      encryptStringAsync: async (plain: string) => Buffer.from(`sealed:${plain}`),
      decryptStringAsync: async (buf: Buffer) => {
        const text = buf.toString()
        if (!text.startsWith('sealed:')) throw new Error('bad data')
        return { result: text.slice(7), shouldReEncrypt: rotated }
      },
    },
  }
}

describe('safeStorage cipher (shell adapter)', () => {
  it('reports a keychain backend as strong', async () => {
    const c = await SafeStorageCipher.create(stubSafeStorage('gnome_libsecret').api, 'linux')
    expect(c).toMatchObject({ backend: 'keychain', backendName: 'gnome_libsecret', weak: false })
    const sealed = await c.encrypt('tokens')
    expect(sealed).not.toContain('tokens')
    expect(await c.decrypt(sealed)).toEqual({ plain: 'tokens', shouldReEncrypt: false })
  })

  it('detects basic_text on Linux as weak storage', async () => {
    const c = await SafeStorageCipher.create(stubSafeStorage('basic_text').api, 'linux')
    expect(c).toMatchObject({ backend: 'basic_text', weak: true })
  })

  it('passes on a request to re-encrypt', async () => {
    const s = stubSafeStorage('kwallet6')
    const c = await SafeStorageCipher.create(s.api, 'linux')
    const sealed = await c.encrypt('x')
    s.rotate()
    expect((await c.decrypt(sealed)).shouldReEncrypt).toBe(true)
  })

  it('unreadable data and missing encryption are typed errors', async () => {
    const c = await SafeStorageCipher.create(stubSafeStorage('kwallet6').api, 'linux')
    await expect(c.decrypt(Buffer.from('garbage').toString('base64'))).rejects.toMatchObject({ code: 'StorageError' })
    const none = await SafeStorageCipher.create(stubSafeStorage('unknown', false).api, 'linux')
    expect(none).toMatchObject({ backend: 'unavailable', weak: true })
    await expect(none.encrypt('x')).rejects.toMatchObject({ code: 'StorageError' })
  })
})
