import type { HandleResolver, ResolvedHandle, ResolveHandleOptions } from '@atproto/oauth-client-node'
import { IdResolver } from '@atproto/identity'

/** Never sent to DNS (RFC 6761 / 2606): resolvable only through the named service. */
const SPECIAL_USE = /\.(test|example|invalid|localhost)$/i

/**
 * Handles the atproto way (DNS TXT, then the well-known file), then through
 * `com.atproto.identity.resolveHandle` at the provider the user named; special
 * names only through the provider.
 */
export class ProviderHandleResolver implements HandleResolver {
  private readonly ids = new IdResolver({ timeout: 5_000 })

  constructor(private readonly atService: (handle: string, signal?: AbortSignal) => Promise<string | undefined>) {}

  async resolve(handle: string, options?: ResolveHandleOptions): Promise<ResolvedHandle> {
    const h = handle.toLowerCase()
    const direct = SPECIAL_USE.test(h) ? undefined : await this.ids.handle.resolve(h).catch(() => undefined)
    const did = direct ?? (await this.atService(h, options?.signal).catch(() => undefined))
    return did && /^did:(plc|web):/.test(did) ? (did as ResolvedHandle) : null
  }
}
