import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { DEFAULT_SETTINGS, SettingsStore } from '../../src-main/core/settings'
import type { TokenCipher } from '../../src-main/core/vault/cipher'
import { Vault } from '../../src-main/core/vault/vault'
import { openConf, tempDir } from '../support/core'
import { fakeMeta, fakeTokens } from '../support/fake-tokens'

const open = (dataDir: string, cipher: TokenCipher = new KeyFileCipher(dataDir)) =>
  Vault.open({ dataDir, cipher, openStore: openConf })

/** No keyring at all: every use of the cipher fails. */
const noCipher: TokenCipher = {
  backend: 'unavailable',
  backendName: 'none',
  weak: true,
  encrypt: () => Promise.reject(new Error('no cipher')),
  decrypt: () => Promise.reject(new Error('no cipher')),
}

describe('settings in the vault file', () => {
  it('start at their defaults, are written atomically and read back', async () => {
    const dir = tempDir()
    const settings = new SettingsStore(await open(dir))
    expect(settings.get()).toEqual(DEFAULT_SETTINGS)
    const seen: unknown[] = []
    settings.on((s) => seen.push(s))
    await settings.set({ clipboardClearSeconds: 0, startAtLogin: true })
    expect(seen).toEqual([{ ...DEFAULT_SETTINGS, clipboardClearSeconds: 0, startAtLogin: true }])
    const again = new SettingsStore(await open(dir))
    expect(again.get()).toEqual({ ...DEFAULT_SETTINGS, clipboardClearSeconds: 0, startAtLogin: true })
  })

  it("an account's notifications: muted and unread opt-in, each kept once, across a reopen", async () => {
    const dir = tempDir()
    const settings = new SettingsStore(await open(dir))
    await settings.setAccountNotices('did:plc:a', { muted: true })
    await settings.setAccountNotices('did:plc:a', { muted: true, unread: true })
    await settings.setAccountNotices('did:plc:b', { unread: true })
    await settings.setAccountNotices('did:plc:a', { unread: false })
    const again = new SettingsStore(await open(dir)).get()
    expect(again).toMatchObject({ notifications: true, mutedDids: ['did:plc:a'], unreadDids: ['did:plc:b'] })
  })

  it('a damaged value falls back to its default alone; the rest survive', async () => {
    const dir = tempDir()
    const v = await open(dir)
    await v.saveAccount(fakeMeta(1), fakeTokens())
    const file = JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8'))
    file.settings = {
      clipboardClearSeconds: 'soon',
      closeToTray: false,
      startAtLogin: 7,
      notifications: false,
      mutedDids: 'did:plc:a',
      unreadDids: ['did:plc:b'],
      language: 'klingon',
    }
    writeFileSync(join(dir, 'vault.json'), JSON.stringify(file))
    const reopened = await open(dir)
    expect(new SettingsStore(reopened).get()).toEqual({
      clipboardClearSeconds: 60,
      closeToTray: false,
      startAtLogin: false,
      notifications: false,
      mutedDids: [],
      unreadDids: ['did:plc:b'],
      language: 'system',
    })
    expect(reopened.list()).toHaveLength(1)
  })
})

describe('memory-only storage without any cipher', () => {
  it('saves sign-ins in memory, never calls the cipher, and refuses "on disk"', async () => {
    const dir = tempDir()
    const v = await open(dir, noCipher)
    expect(v.storage).toMatchObject({ backend: 'unavailable', persistence: 'memory' })
    const tokens = fakeTokens()
    await v.saveAccount(fakeMeta(1), tokens)
    expect(v.getTokens(fakeMeta(1).did)).toEqual(tokens)
    expect(readFileSync(join(dir, 'vault.json'), 'utf8')).not.toContain('sealedTokens')
    await expect(v.setPersistence('disk')).rejects.toMatchObject({ code: 'StorageError' })
  })

  it('a vault from a newer version is refused and left as it was', async () => {
    const dir = tempDir()
    const text = JSON.stringify({ schemaVersion: 3, generation: 9, accounts: {} })
    writeFileSync(join(dir, 'vault.json'), text)
    await expect(open(dir)).rejects.toMatchObject({ code: 'StorageError', message: /newer version/ })
    expect(readFileSync(join(dir, 'vault.json'), 'utf8')).toBe(text)
  })
})
