import { getPdsEndpoint, isValidDidDoc } from '@atproto/common-web'
import { IdResolver } from '@atproto/identity'
import type { SessionClient } from './session-client'

export interface IdentityOptions {
  /** PLC directory; tests point it at their own. */
  plcUrl?: string
  timeoutMs?: number
  /**
   * Resolve through plain fetch instead of the SSRF-guarded default: only for
   * a PLC and PDS on loopback (tests, browser mode against a dev network).
   */
  allowLoopback?: boolean
}

export interface ResolvedIdentity {
  did: string
  pdsUrl: string
}

/**
 * handle -> DID -> PDS with @atproto/identity (DNS TXT, then the well-known
 * file), falling back to the service the user named, which is the only way
 * `.test` handles resolve.
 */
export class IdentityResolver {
  private readonly resolver: IdResolver

  constructor(opts: IdentityOptions = {}) {
    this.resolver = new IdResolver({
      plcUrl: opts.plcUrl,
      timeout: opts.timeoutMs ?? 5_000,
      ...(opts.allowLoopback ? { fetch: (input, init) => globalThis.fetch(input, init) } : {}),
    })
  }

  /** Best effort: null when the identifier is an email or cannot be resolved. */
  async resolve(
    identifier: string,
    service: string,
    sessions: SessionClient,
    signal?: AbortSignal,
  ): Promise<ResolvedIdentity | null> {
    try {
      const did = identifier.startsWith('did:')
        ? identifier
        : identifier.includes('@')
          ? undefined
          : await this.resolveHandle(identifier, service, sessions, signal)
      if (!did) return null
      const doc = await this.resolver.did.resolve(did)
      const pdsUrl = doc ? pdsFromDidDoc(doc) : undefined
      return pdsUrl ? { did, pdsUrl } : null
    } catch {
      return null
    }
  }

  private async resolveHandle(
    handle: string,
    service: string,
    sessions: SessionClient,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const normalized = handle.replace(/^@/, '').toLowerCase()
    const viaDns = await this.resolver.handle.resolve(normalized).catch(() => undefined)
    if (viaDns) return viaDns
    return sessions.resolveHandle(service, normalized, signal).catch(() => undefined)
  }
}

/** The #atproto_pds endpoint of a DID document, if it has a usable one. */
export function pdsFromDidDoc(doc: unknown): string | undefined {
  if (!isValidDidDoc(doc)) return undefined
  const endpoint = getPdsEndpoint(doc)
  if (!endpoint) return undefined
  try {
    const url = new URL(endpoint)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined
  } catch {
    return undefined
  }
}
