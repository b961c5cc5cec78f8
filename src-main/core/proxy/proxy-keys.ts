/**
 * The proxy's local keys and remembered settings. One random secret per data
 * directory, sealed by the same cipher as the tokens, never written in clear;
 * each account's key is an HMAC of its DID under that secret, so keys stay the
 * same across restarts without being stored anywhere. The key named "active"
 * follows whichever account is active.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { TokenCipher } from '../vault/cipher'

export const KEY_PREFIX = 'skyswitch-local-'
export const ACTIVE = 'active'

/** How a local key is looked up: by its hash, so the lookup's timing says nothing about the key. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('base64url')
}

const settingsFile = z.object({
  version: z.literal(1),
  enabled: z.boolean(),
  port: z.number().int().min(0).max(65535),
  /** Absent where nothing can seal it (no keyring): the keys then last for this run only. */
  sealedSecret: z.string().min(1).optional(),
})
type Settings = z.infer<typeof settingsFile>

export class ProxyKeys {
  private readonly memo = new Map<string, string>()
  /** Hash of each key derived so far -> its DID or "active". */
  private readonly byDigest = new Map<string, string>()

  private constructor(
    private readonly path: string,
    private readonly secret: Buffer,
    private settings: Settings,
  ) {}

  static async open(dataDir: string, cipher: TokenCipher): Promise<ProxyKeys> {
    const path = join(dataDir, 'proxy.json')
    let stored: Settings | null = null
    try {
      stored = settingsFile.parse(JSON.parse(readFileSync(path, 'utf8')))
    } catch {
      // Missing or unreadable: start over with a new secret (old keys stop working).
    }
    if (stored?.sealedSecret) {
      try {
        const { plain } = await cipher.decrypt(stored.sealedSecret)
        const secret = Buffer.from(plain, 'base64url')
        if (secret.length === 32) return new ProxyKeys(path, secret, stored)
      } catch {
        // Sealed under another key (backend changed): a new secret below.
      }
    }
    const secret = randomBytes(32)
    const settings: Settings = {
      version: 1,
      enabled: stored?.enabled ?? true,
      port: stored?.port ?? 0,
      sealedSecret: await sealed(cipher, secret),
    }
    const keys = new ProxyKeys(path, secret, settings)
    keys.save()
    return keys
  }

  get enabled(): boolean {
    return this.settings.enabled
  }

  get port(): number {
    return this.settings.port
  }

  remember(patch: { enabled?: boolean; port?: number }): void {
    const next = { ...this.settings, ...patch }
    if (next.enabled === this.settings.enabled && next.port === this.settings.port) return
    this.settings = next
    this.save()
  }

  /** The local key for an account's DID, or for "active". */
  keyFor(didOrActive: string): string {
    let key = this.memo.get(didOrActive)
    if (!key) {
      key = KEY_PREFIX + createHmac('sha256', this.secret).update(didOrActive).digest('base64url').slice(0, 32)
      this.memo.set(didOrActive, key)
      this.byDigest.set(keyDigest(key), didOrActive)
    }
    return key
  }

  /**
   * Which DID (or "active") a presented key stands for; `ids` names the
   * accounts whose keys may not be derived yet. One hash per request however
   * many accounts there are. The caller checks that the account still exists.
   */
  resolve(presented: string, ids: () => Iterable<string>): string | null {
    if (!presented.startsWith(KEY_PREFIX)) return null
    const want = keyDigest(presented)
    if (!this.byDigest.has(want)) for (const id of [ACTIVE, ...ids()]) this.keyFor(id)
    return this.byDigest.get(want) ?? null
  }

  private save(): void {
    const tmp = `${this.path}.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify(this.settings, null, 2)}\n`, { mode: 0o600 })
    renameSync(tmp, this.path)
  }
}

/** The secret sealed by the token cipher; nothing (memory only) where no cipher exists. */
async function sealed(cipher: TokenCipher, secret: Buffer): Promise<string | undefined> {
  if (cipher.backend === 'unavailable') return undefined
  return cipher.encrypt(secret.toString('base64url'))
}
