/**
 * What a notification says, in the language of the moment it is shown (main's
 * catalogs, `notifications.*`). Every line names the account it is about by
 * its handle; several events become one notification that names each account.
 */
import { formatDateTime, type Language, type Translate, translator } from '../../i18n'
import type { MessageParams } from '../../ipc/contract'
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

export type FormatTime = (epochMs: number, lang: Language) => string

export const defaultFormatTime: FormatTime = (t, lang) => formatDateTime(lang, t)

const hoursSince = (e: NoticeEvent, now: number) => Math.floor((now - (e.at ?? now)) / HOUR_MS)

/** What fills in an event's words: the handle, its time, its counts. */
function params(e: NoticeEvent, now: number, lang: Language, time: FormatTime): MessageParams {
  switch (e.kind) {
    case 'oauth-ending':
      return { handle: e.handle, time: time(e.at ?? now, lang) }
    case 'stale':
      return { handle: e.handle, count: hoursSince(e, now) }
    case 'unread':
      return { handle: e.handle, count: e.added ?? 0, unread: e.unread ?? 0 }
    default:
      return { handle: e.handle }
  }
}

/** Title and body for one event of one account. */
function single(e: NoticeEvent, now: number, lang: Language, t: Translate, time: FormatTime) {
  const p = params(e, now, lang, time)
  const at = `notifications.single.${e.kind}`
  // The unread body counts what is unread; its title, what is new.
  const body = e.kind === 'unread' ? t(`${at}.body`, { count: e.unread ?? 0 }) : t(`${at}.body`, p)
  return { title: t(`${at}.title`, p), body }
}

const GOOD_NEWS = new Set<NoticeKind>(['active-again', 'unread'])

/** One notification for a batch of events (never empty), accounts in the order they first came. */
export function compose(
  events: NoticeEvent[],
  now: number,
  avatars: (did: string) => string | undefined,
  time: FormatTime = defaultFormatTime,
  lang: Language = 'en',
): Notice {
  const t = translator(lang)
  const byAccount = new Map<string, NoticeEvent[]>()
  for (const e of events) byAccount.set(e.did, [...(byAccount.get(e.did) ?? []), e])
  const dids = [...byAccount.keys()]
  const first = events[0]!
  if (events.length === 1) return { ...single(first, now, lang, t, time), dids, avatar: avatars(first.did), events }
  const lines = [...byAccount.values()].map((es) =>
    t('notifications.line', {
      handle: es[0]!.handle,
      phrases: es
        .map((e) => t(`notifications.phrase.${e.kind}`, params(e, now, lang, time)))
        .join(t('notifications.phraseSeparator')),
    }),
  )
  const attention = events.some((e) => !GOOD_NEWS.has(e.kind))
  const title =
    dids.length === 1
      ? t(attention ? 'notifications.oneNeedsAttention' : 'notifications.oneNews', { handle: first.handle })
      : t(attention ? 'notifications.manyNeedAttention' : 'notifications.manyNews', { count: dids.length })
  return { title, body: lines.join('\n'), dids, avatar: dids.length === 1 ? avatars(first.did) : undefined, events }
}
