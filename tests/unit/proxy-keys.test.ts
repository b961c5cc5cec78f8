import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { ProxyKeys } from '../../src-main/core/proxy/proxy-keys'
import { tempDir } from '../support/core'

describe('proxy local keys', () => {
  it('are stable across restarts, distinct per account, never in clear on disk, and resolve back', async () => {
    const dir = tempDir()
    const first = await ProxyKeys.open(dir, new KeyFileCipher(dir))
    const a = first.keyFor('did:plc:aaa')
    const b = first.keyFor('did:plc:bbb')
    expect(a).not.toBe(b)
    expect(a).toMatch(/^skyswitch-local-[A-Za-z0-9_-]{32}$/)
    first.remember({ port: 5123, enabled: false })
    const again = await ProxyKeys.open(dir, new KeyFileCipher(dir))
    expect(again.keyFor('did:plc:aaa')).toBe(a)
    expect(again.port).toBe(5123)
    expect(again.enabled).toBe(false)
    expect(again.resolve(b, () => ['did:plc:aaa', 'did:plc:bbb'])).toBe('did:plc:bbb')
    expect(again.resolve(again.keyFor('active'), () => ['did:plc:aaa'])).toBe('active')
    // One character off (never the same one: a key may end in "x").
    const wrong = `${a.slice(0, -1)}${a.endsWith('x') ? 'y' : 'x'}`
    expect(again.resolve(wrong, () => ['did:plc:aaa'])).toBeNull()
    const file = join(dir, 'proxy.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const text = readFileSync(file, 'utf8')
    for (const k of [a, b, again.keyFor('active')]) expect(text.includes(k.slice(-20))).toBe(false)
  })

  it('derives each key once: lookups cost one hash, not one per account', async () => {
    const dir = tempDir()
    const keys = await ProxyKeys.open(dir, new KeyFileCipher(dir))
    const dids = Array.from({ length: 1000 }, (_, i) => `did:plc:${String(i).padStart(24, '0')}`)
    let listed = 0
    const ids = () => {
      listed++
      return dids
    }
    const last = keys.keyFor(dids[999]!)
    expect(keys.resolve(last, ids)).toBe(dids[999])
    expect(listed).toBe(0)
    // An unseen account's key derives every key once; later lookups find it directly.
    const other = (await ProxyKeys.open(dir, new KeyFileCipher(dir))).keyFor(dids[500]!)
    expect(keys.resolve(other, ids)).toBe(dids[500])
    expect(keys.resolve(other, ids)).toBe(dids[500])
    expect(listed).toBe(1)
  })

  it('a secret sealed under another key gives new keys rather than failing', async () => {
    const dir = tempDir()
    const a = (await ProxyKeys.open(dir, new KeyFileCipher(dir))).keyFor('did:plc:aaa')
    const other = tempDir()
    const reopened = await ProxyKeys.open(dir, new KeyFileCipher(other))
    expect(reopened.keyFor('did:plc:aaa')).not.toBe(a)
  })
})
