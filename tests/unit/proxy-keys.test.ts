import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { keyDigest } from '../../src-main/core/proxy/proxy-link'
import { ProxyKeys } from '../../src-main/core/proxy/proxy-keys'
import { tempDir } from '../support/core'

describe('proxy local keys', () => {
  it('are stable across restarts, distinct per account, never in clear on disk, and hashed for lookup', async () => {
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
    // The proxy thread is given these hashes, never the keys.
    expect(again.digestOf('did:plc:bbb')).toBe(keyDigest(b))
    expect(again.digestOf('active')).toBe(keyDigest(again.keyFor('active')))
    expect(again.digestOf('did:plc:bbb')).not.toContain(b.slice(-20))
    const file = join(dir, 'proxy.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const text = readFileSync(file, 'utf8')
    for (const k of [a, b, again.keyFor('active')]) expect(text.includes(k.slice(-20))).toBe(false)
  })

  it('a secret sealed under another key gives new keys rather than failing', async () => {
    const dir = tempDir()
    const a = (await ProxyKeys.open(dir, new KeyFileCipher(dir))).keyFor('did:plc:aaa')
    const other = tempDir()
    const reopened = await ProxyKeys.open(dir, new KeyFileCipher(other))
    expect(reopened.keyFor('did:plc:aaa')).not.toBe(a)
  })
})
