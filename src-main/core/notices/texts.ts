/**
 * What a notification says. Every line names the account it is about by its
 * handle; several events become one notification that names each account.
 */
import { HOUR_MS } from './standing'

export type NoticeKind =
  'signed-out' | 'takendown' | 'suspended' | 'deactivated' | 'active-again' | 'oauth-ending' | 'stale' | 'unread'

/** One thing that happened to one account. */
export interface NoticeEvent {
  did: string
  handle: string
  kind: NoticeKind
  /** oauth-ending: the session's fixed end. stale: the last successful refresh. */
  at?: number
  /** unread: the count now, and how many arrived since the last count. */
  unread?: number
  added?: number
}

/** One OS notification: `dids` in the order the body names them; a click opens the first. */
export interface Notice {
  title: string
  body: string
  dids: string[]
  /** The avatar URL the app already has, when the notice is about one account. */
  avatar?: string
  events: NoticeEvent[]
}

export type FormatTime = (epochMs: number) => string

export const defaultFormatTime: FormatTime = (t) =>
  new Date(t).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** The short phrase for a line that already names the account. */
function phrase(e: NoticeEvent, now: number, time: FormatTime): string {
  switch (e.kind) {
    case 'signed-out':
      return 'signed out by its server; sign in again'
    case 'takendown':
      return 'taken down by its host'
    case 'suspended':
      return 'suspended by its host'
    case 'deactivated':
      return 'deactivated'
    case 'active-again':
      return 'active again'
    case 'oauth-ending':
      return `sign in again before ${time(e.at ?? now)}`
    case 'stale':
      return `not refreshed for ${plural(Math.floor((now - (e.at ?? now)) / HOUR_MS), 'hour')}`
    case 'unread':
      return `${plural(e.added ?? 0, 'new notification')} (${e.unread ?? 0} unread)`
  }
}

/** Title and body for one event of one account. */
function single(e: NoticeEvent, now: number, time: FormatTime): { title: string; body: string } {
  const who = `@${e.handle}`
  switch (e.kind) {
    case 'signed-out':
      return {
        title: `${who} was signed out`,
        body: 'Its server no longer accepts the session: the password was changed, the app password revoked, or the session ended. Sign in again in Skyswitch.',
      }
    case 'takendown':
      return {
        title: `${who} was taken down`,
        body: 'Its host has taken the account down. Skyswitch shows how to appeal.',
      }
    case 'suspended':
      return { title: `${who} is suspended`, body: 'Its host has suspended the account for now.' }
    case 'deactivated':
      return {
        title: `${who} is deactivated`,
        body: 'The account was deactivated. It can be reactivated from Skyswitch with its main password.',
      }
    case 'active-again':
      return { title: `${who} is active again`, body: 'Its host shows the account as active.' }
    case 'oauth-ending':
      return {
        title: `${who}: sign in again before ${time(e.at ?? now)}`,
        // The end is Skyswitch's estimate: providers do not say it (two weeks on Bluesky's servers).
        body: 'Its OAuth sign-in is expected to end then, however often it is refreshed. Signing in again starts a new one.',
      }
    case 'stale':
      return {
        title: `${who} has not refreshed for ${plural(Math.floor((now - (e.at ?? now)) / HOUR_MS), 'hour')}`,
        body: 'Skyswitch cannot reach its server or is being refused, and keeps trying. The session is kept.',
      }
    case 'unread':
      return {
        title: `${who}: ${plural(e.added ?? 0, 'new notification')}`,
        body: `${e.unread ?? 0} unread on Bluesky.`,
      }
  }
}

const GOOD_NEWS = new Set<NoticeKind>(['active-again', 'unread'])

/** One notification for a batch of events (never empty), accounts in the order they first came. */
export function compose(
  events: NoticeEvent[],
  now: number,
  avatars: (did: string) => string | undefined,
  time: FormatTime = defaultFormatTime,
): Notice {
  const byAccount = new Map<string, NoticeEvent[]>()
  for (const e of events) byAccount.set(e.did, [...(byAccount.get(e.did) ?? []), e])
  const dids = [...byAccount.keys()]
  const first = events[0]!
  if (events.length === 1) return { ...single(first, now, time), dids, avatar: avatars(first.did), events }
  const lines = [...byAccount.values()].map(
    (es) => `@${es[0]!.handle}: ${es.map((e) => phrase(e, now, time)).join('; ')}`,
  )
  const attention = events.some((e) => !GOOD_NEWS.has(e.kind))
  const title =
    dids.length === 1
      ? `@${first.handle}${attention ? ' needs attention' : ''}`
      : attention
        ? `${dids.length} accounts need attention`
        : `News on ${dids.length} accounts`
  return { title, body: lines.join('\n'), dids, avatar: dids.length === 1 ? avatars(first.did) : undefined, events }
}
