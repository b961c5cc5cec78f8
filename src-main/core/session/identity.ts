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
 * Top-level names that are never sent to DNS: RFC 6761 (test, example,
 * invalid, localhost), RFC 6762 (local), RFC 7686 (onion), RFC 9476 (alt),
 * RFC 6761's arpa zones and ICANN's private-use internal. The atproto handle
 * syntax refuses all of them but .test, which test networks use.
 */
const SPECIAL_USE_TLDS = new Set([
  'test',
  'example',
  'invalid',
  'localhost',
  'local',
  'onion',
  'alt',
  'internal',
  'arpa',
])

/** A handle (or host name) under a special-use top-level name. */
export function isSpecialUseHandle(name: string): boolean {
  const labels = normalizeHandle(name).split('.')
  return SPECIAL_USE_TLDS.has(labels[labels.length - 1] ?? '')
}

function normalizeHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').replace(/\.$/, '').toLowerCase()
}

/** did:web hosts that would need a DNS lookup of a special-use name (loopback aside). */
function isSpecialUseDidWeb(did: string): boolean {
  if (!did.startsWith('did:web:')) return false
  const host = decodeURIComponent(did.slice('did:web:'.length).split(':')[0] ?? '').replace(/:\d+$/, '')
  return host !== 'localhost' && isSpecialUseHandle(host)
}

/**
 * handle -> DID -> PDS with @atproto/identity (DNS TXT, then the well-known
 * file), falling back to the service the user named. A special-use name
 * (`.test` on test networks) goes only to the named service: it is never
 * sent to DNS or fetched as https://<handle>.
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
        : /^[^@]+@/.test(identifier) // an email; a leading @ is a handle
          ? undefined
          : await this.resolveHandle(identifier, service, sessions, signal)
      if (!did || isSpecialUseDidWeb(did)) return null
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
    const normalized = normalizeHandle(handle)
    if (!isSpecialUseHandle(normalized)) {
      const viaDns = await this.resolver.handle.resolve(normalized).catch(() => undefined)
      if (viaDns) return viaDns
    }
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
