/**
 * The two app.bsky reads an account's glance needs: its unread notification
 * count and its own profile (for moderation). Both go to the account's own
 * PDS with the account's own token (the PDS proxies app.bsky to its AppView)
 * and name no other account, so one account's identity never reaches
 * another account's server.
 */
import type { AppViewStanding } from '../../ipc/contract'
import { SkyswitchError } from '../errors'

export interface OwnRequest {
  pdsUrl: string
  did: string
  accessJwt: string
  fetch: typeof globalThis.fetch
  timeoutMs: number
}

export interface OwnProfile {
  displayName?: string
  avatar?: string
  labels: string[]
}

async function get(req: OwnRequest, nsid: string, params: Record<string, string> = {}): Promise<unknown> {
  const url = new URL(`/xrpc/${nsid}`, req.pdsUrl)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  let res: Response
  try {
    res = await req.fetch(url, {
      headers: { authorization: `Bearer ${req.accessJwt}` },
      signal: AbortSignal.timeout(req.timeoutMs),
    })
  } catch {
    throw new SkyswitchError('Offline', `Could not reach ${url.host}.`)
  }
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null
  if (res.ok && body) return body
  const error = typeof body?.error === 'string' ? body.error : String(res.status)
  if (error === 'AccountTakedown')
    throw new SkyswitchError('AccountTakedown', 'The AppView has taken this account down.')
  if (error === 'ExpiredToken' || error === 'InvalidToken') throw new SkyswitchError('SignedOut', 'The token expired.')
  if (res.status === 429) throw new SkyswitchError('RateLimited', `${url.host} asks to wait.`)
  if (res.status >= 500) throw new SkyswitchError('Offline', `${url.host} is not answering.`)
  throw new SkyswitchError('ServerRefused', `${url.host} refused ${nsid} (${error}).`)
}

export async function getUnreadCount(req: OwnRequest): Promise<number> {
  const body = (await get(req, 'app.bsky.notification.getUnreadCount')) as { count?: unknown }
  if (typeof body.count !== 'number' || !Number.isInteger(body.count) || body.count < 0) {
    throw new SkyswitchError('MalformedResponse', 'The unread count was not a number.')
  }
  return body.count
}

export async function getOwnProfile(req: OwnRequest): Promise<OwnProfile> {
  const body = (await get(req, 'app.bsky.actor.getProfile', { actor: req.did })) as {
    displayName?: unknown
    avatar?: unknown
    labels?: unknown
  }
  const labels = Array.isArray(body.labels) ? body.labels : []
  return {
    displayName: typeof body.displayName === 'string' ? body.displayName : undefined,
    avatar: typeof body.avatar === 'string' ? body.avatar : undefined,
    // Labels on the account itself (its DID), not on its profile record, and not negated.
    labels: [
      ...new Set(
        labels
          .filter((l): l is { uri: string; val: string; neg?: boolean } => typeof l?.val === 'string')
          .filter((l) => l.uri === req.did && !l.neg)
          .map((l) => l.val),
      ),
    ].sort(),
  }
}

/** The standing a profile answer (or its refusal) implies. */
export function standingFrom(profile: OwnProfile | 'takendown'): AppViewStanding {
  if (profile === 'takendown') return { status: 'takendown', labels: [] }
  return { status: profile.labels.includes('!takedown') ? 'takendown' : 'ok', labels: profile.labels }
}
