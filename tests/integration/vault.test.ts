import { spawn } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Conf from 'conf'
import { describe, expect, it } from 'vitest'
import type { TokenCipher } from '../../src-main/core/vault/cipher'
import { SkyswitchError } from '../../src-main/core/errors'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { acquireLock } from '../../src-main/browser/lock-file'
import { type StoreFile, Vault } from '../../src-main/core/vault/vault'
import { openConf, tempDir } from '../support/core'
import { fakeMeta, fakeTokens } from '../support/fake-tokens'

const open = (dataDir: string, cipher: TokenCipher = new KeyFileCipher(dataDir), openStore = openConf) =>
  Vault.open({ dataDir, cipher, openStore })

const vaultFile = (dir: string) => JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8'))

describe('vault on disk', () => {
  it('keeps metadata in clear and tokens only as ciphertext', async () => {
    const dir = tempDir()
    const v = await open(dir)
    const tokens = fakeTokens()
    await v.saveAccount(fakeMeta(1), tokens)
    const text = readFileSync(join(dir, 'vault.json'), 'utf8')
    expect(text).toContain('user1.test')
    for (const t of [tokens.accessJwt, tokens.refreshJwt]) {
      for (let i = 0; i + 20 <= t.length; i += 7) expect(text).not.toContain(t.slice(i, i + 20))
    }
    expect(statSync(join(dir, 'token-key')).mode & 0o777).toBe(0o600)
    const again = await open(dir)
    expect(again.getTokens(fakeMeta(1).did)).toEqual(tokens)
    expect(again.storage).toMatchObject({ backend: 'key-file', weak: true, persistence: 'disk' })
  })

  it('records the backend and bumps a generation on every write', async () => {
    const dir = tempDir()
    const v = await open(dir)
    const g0 = v.generation
    await v.saveAccount(fakeMeta(1), fakeTokens())
    await v.setActive(fakeMeta(1).did)
    await v.saveAccount(fakeMeta(2), fakeTokens())
    expect(v.generation).toBe(g0 + 2)
    expect(vaultFile(dir)).toMatchObject({ generation: g0 + 2, backend: { id: 'key-file' }, schemaVersion: 2 })
  })

  it('writes run in call order: the last saved tokens win', async () => {
    const dir = tempDir()
    const v = await open(dir)
    const sets = Array.from({ length: 20 }, () => fakeTokens())
    await Promise.all(sets.map((t) => v.saveAccount(fakeMeta(1), t)))
    const again = await open(dir)
    expect(again.getTokens(fakeMeta(1).did)).toEqual(sets[19])
  })

  it('an older process cannot overwrite what a newer one wrote', async () => {
    const dir = tempDir()
    const old = await open(dir)
    await old.saveAccount(fakeMeta(1), fakeTokens())
    const newer = await open(dir)
    await newer.saveAccount(fakeMeta(2), fakeTokens())
    await expect(old.saveAccount(fakeMeta(3), fakeTokens())).rejects.toMatchObject({ code: 'StorageError' })
    expect(Object.keys(vaultFile(dir).accounts)).toHaveLength(2)
  })

  it('memory-only persistence writes no tokens; the next start is signed out', async () => {
    const dir = tempDir()
    const v = await open(dir)
    await v.setPersistence('memory')
    await v.saveAccount(fakeMeta(1), fakeTokens())
    expect(v.getTokens(fakeMeta(1).did)).toBeDefined()
    expect(JSON.stringify(vaultFile(dir))).not.toContain('sealedTokens')
    const again = await open(dir)
    expect(again.get(fakeMeta(1).did)).toMatchObject({ signedIn: false, handle: 'user1.test' })
    expect(again.storage).toMatchObject({ persistence: 'memory', persistenceChosen: true })
  })
})

describe('corruption is isolated', () => {
  it('a file that is not JSON is moved aside, the user told, and a fresh vault starts', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'vault.json'), '{"schemaVersion": 2, "accounts": {')
    const v = await open(dir)
    expect(v.list()).toEqual([])
    expect(v.notices[0]).toMatchObject({ kind: 'vault-recovered' })
    const aside = readdirSync(dir).filter((f) => f.startsWith('vault.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('{"schemaVersion": 2, "accounts": {')
  })

  it('a damaged entry signs out only that account and keeps its handle', async () => {
    const dir = tempDir()
    const v = await open(dir)
    await v.saveAccount(fakeMeta(1), fakeTokens())
    await v.saveAccount(fakeMeta(2), fakeTokens())
    const file = vaultFile(dir)
    file.accounts[fakeMeta(2).did].hosting = 17
    writeFileSync(join(dir, 'vault.json'), JSON.stringify(file))
    const again = await open(dir)
    expect(again.get(fakeMeta(1).did)).toMatchObject({ signedIn: true })
    expect(again.getTokens(fakeMeta(1).did)).toBeDefined()
    expect(again.get(fakeMeta(2).did)).toMatchObject({ signedIn: false, handle: 'user2.test' })
    expect(again.notices).toHaveLength(1)
    // The notice names the account it concerns.
    expect(again.notices[0]!.message).toContain('1 saved account entry was damaged and signed out (@user2.test)')
    expect(readdirSync(dir).some((f) => f.startsWith('vault.damaged-'))).toBe(true)
  })

  it('a token that cannot be decrypted signs out only that account; the file is kept as a backup', async () => {
    const dir = tempDir()
    const v = await open(dir)
    await v.saveAccount(fakeMeta(1), fakeTokens())
    await v.saveAccount(fakeMeta(2), fakeTokens())
    const file = vaultFile(dir)
    const sealed: string = file.accounts[fakeMeta(1).did].sealedTokens
    file.accounts[fakeMeta(1).did].sealedTokens = sealed.slice(0, -6) + 'AAAAAA'
    writeFileSync(join(dir, 'vault.json'), JSON.stringify(file))
    const again = await open(dir)
    expect(again.get(fakeMeta(1).did)).toMatchObject({ signedIn: false })
    expect(again.getTokens(fakeMeta(2).did)).toBeDefined()
    expect(again.notices[0]?.message).toContain('user1.test')
    expect(readdirSync(dir).some((f) => f.startsWith('vault.unreadable-'))).toBe(true)
  })

  it('a backend change is its own clear message, not a silent sign-out', async () => {
    const dir = tempDir()
    const v = await open(dir)
    await v.saveAccount(fakeMeta(1), fakeTokens())
    const otherDir = tempDir()
    const other = new KeyFileCipher(otherDir)
    const changed: TokenCipher = {
      backend: 'keychain',
      backendName: 'gnome_libsecret',
      weak: false,
      encrypt: (p) => other.encrypt(p),
      decrypt: (s) => other.decrypt(s),
    }
    const again = await open(dir, changed)
    expect(again.notices[0]).toMatchObject({ kind: 'backend-changed' })
    expect(again.notices[0]?.message).toMatch(/key file.*gnome_libsecret/)
    expect(again.get(fakeMeta(1).did)).toMatchObject({ signedIn: false, handle: 'user1.test' })
  })

  it('a cipher that says so re-encrypts the stored value', async () => {
    const dir = tempDir()
    const base = new KeyFileCipher(dir)
    let encrypts = 0
    const rotating: TokenCipher = {
      backend: 'key-file',
      backendName: 'key file',
      weak: true,
      encrypt: (p) => (encrypts++, base.encrypt(p)),
      decrypt: async (s) => ({ ...(await base.decrypt(s)), shouldReEncrypt: true }),
    }
    const v = await open(dir, rotating)
    await v.saveAccount(fakeMeta(1), fakeTokens())
    const before = vaultFile(dir).accounts[fakeMeta(1).did].sealedTokens
    await open(dir, rotating)
    expect(encrypts).toBe(2)
    expect(vaultFile(dir).accounts[fakeMeta(1).did].sealedTokens).not.toBe(before)
  })
})

describe('schema migrations', () => {
  it('loads a file written by schema 1 and keeps a copy of it', async () => {
    const dir = tempDir()
    const cipher = new KeyFileCipher(dir)
    const tokens = fakeTokens()
    const v1 = {
      schemaVersion: 1,
      activeDid: 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb',
      accounts: [
        {
          did: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa',
          handle: 'alice.test',
          service: 'https://pds.example.com',
          status: 'active',
          tokens: await cipher.encrypt(JSON.stringify(tokens)),
        },
        {
          did: 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb',
          handle: 'bob.test',
          service: 'https://pds.example.com',
          status: 'deactivated',
        },
      ],
    }
    writeFileSync(join(dir, 'vault.json'), JSON.stringify(v1))
    const v = await open(dir, cipher)
    expect(v.list().map((a) => [a.handle, a.hosting, a.signedIn])).toEqual([
      ['alice.test', 'active', true],
      ['bob.test', 'deactivated', false],
    ])
    expect(v.getTokens('did:plc:aaaaaaaaaaaaaaaaaaaaaaaa')).toEqual(tokens)
    expect(v.activeDid).toBe('did:plc:bbbbbbbbbbbbbbbbbbbbbbbb')
    expect(vaultFile(dir).schemaVersion).toBe(2)
    expect(readdirSync(dir).some((f) => f.startsWith('vault.schema1-'))).toBe(true)
  })
})

describe('crash safety', () => {
  it('SIGKILL in the middle of writes loses no account', async () => {
    const dir = tempDir()
    const count = 25
    for (let round = 0; round < 3; round++) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', resolve(import.meta.dirname, '../support/vault-writer.ts'), dir, String(count)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      )
      await new Promise<void>((ok) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && ok()))
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200))
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
      const v = await open(dir)
      expect(v.notices).toEqual([])
      expect(v.list()).toHaveLength(count)
      for (const a of v.list()) {
        expect(a.signedIn).toBe(true)
        expect(v.getTokens(a.did)?.refreshJwt).toMatch(/^eyJ/)
      }
      // What the killed writer left half-written is gone; what is kept is 0600.
      const names = readdirSync(dir)
      expect(names.filter((f) => f.includes('.tmp-'))).toEqual([])
      for (const f of names.filter((n) => n.startsWith('vault.')))
        expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600)
    }
  })

  it('SIGKILL mid-write, then a torn main file: every account comes back from the last good copy', async () => {
    const dir = tempDir()
    const count = 25
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, '../support/vault-writer.ts'), dir, String(count)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((ok) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && ok()))
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 200))
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    // A write the file system did not finish (a power cut, a non-atomic fallback).
    const size = statSync(join(dir, 'vault.json')).size
    truncateSync(join(dir, 'vault.json'), Math.floor(size * Math.random()))
    const v = await open(dir)
    expect(v.notices).toHaveLength(1)
    expect(v.list()).toHaveLength(count)
    for (const a of v.list()) {
      expect(a.signedIn).toBe(true)
      expect(v.getTokens(a.did)?.refreshJwt).toMatch(/^eyJ/)
    }
  })
})

describe('bad input', () => {
  it('a data directory that cannot be created is a clear StorageError', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a-file'), 'x')
    await expect(open(join(dir, 'a-file', 'data'), new KeyFileCipher(dir))).rejects.toMatchObject({
      code: 'StorageError',
    })
  })

  it('a failing write (disk full) is a clear error and changes nothing in memory', async () => {
    const dir = tempDir()
    let full = false
    const openStore = (o: { cwd: string; configName: string }): StoreFile => {
      const conf = new Conf<Record<string, unknown>>({ ...o, projectName: 'skyswitch', watch: false })
      return {
        get path() {
          return conf.path
        },
        get store() {
          return conf.store
        },
        set store(v) {
          if (full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
          conf.store = v
        },
      }
    }
    const v = await open(dir, new KeyFileCipher(dir), openStore)
    const tokens = fakeTokens()
    await v.saveAccount(fakeMeta(1), tokens)
    full = true
    const err = await v.saveAccount(fakeMeta(1), fakeTokens()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SkyswitchError)
    expect(err).toMatchObject({ code: 'StorageError', message: expect.stringContaining('the disk is full') })
    expect(v.getTokens(fakeMeta(1).did)).toEqual(tokens)
    await expect(v.remove(fakeMeta(1).did)).rejects.toMatchObject({ code: 'StorageError' })
    expect(v.list()).toHaveLength(1)
    full = false
    const again = await open(dir)
    expect(again.getTokens(fakeMeta(1).did)).toEqual(tokens)
  })

  it('a key file others can read is refused with the fix in the message', async () => {
    const dir = tempDir()
    new KeyFileCipher(dir)
    chmodSync(join(dir, 'token-key'), 0o644)
    expect(() => new KeyFileCipher(dir)).toThrow(/chmod 600/)
  })

  it('a damaged key file is a clear error', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'token-key'), 'short', { mode: 0o600 })
    expect(() => new KeyFileCipher(dir)).toThrow(/damaged/)
  })
})

describe('single writer', () => {
  it('a second process cannot take the lock of a live one; a dead one’s lock is taken over', async () => {
    const dir = tempDir()
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    writeFileSync(join(dir, 'skyswitch.lock'), String(child.pid))
    expect(() => acquireLock(dir)).toThrow(/already using/)
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    const lock = acquireLock(dir)
    expect(readFileSync(join(dir, 'skyswitch.lock'), 'utf8')).toBe(String(process.pid))
    lock.release()
    expect(existsSync(join(dir, 'skyswitch.lock'))).toBe(false)
  })
})
