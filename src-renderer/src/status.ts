import type { TFunction } from 'i18next'
import type { AccountView, StorageInfo } from '../../src-main/ipc/contract'
import { number } from './time'

export type Tone = 'ok' | 'warn' | 'bad' | 'muted' | 'busy'

/** The one badge an account shows: hosting problems first, then the session. `code` names it in every language. */
export function badgeOf(a: AccountView, t: TFunction): { code: string; label: string; tone: Tone } {
  switch (a.hosting) {
    case 'takendown':
      return { code: 'takendown', label: t('status.takendown'), tone: 'bad' }
    case 'suspended':
      return { code: 'suspended', label: t('status.suspended'), tone: 'bad' }
    case 'deactivated':
      return { code: 'deactivated', label: t('status.deactivated'), tone: 'warn' }
  }
  switch (a.session) {
    case 'signed-out':
      return { code: 'signed-out', label: t('status.signedOut'), tone: 'muted' }
    case 'offline':
      return { code: 'offline', label: t('status.offline'), tone: 'warn' }
    case 'rate-limited':
      return { code: 'rate-limited', label: t('status.rateLimited'), tone: 'warn' }
    case 'refreshing':
      return { code: 'refreshing', label: t('status.refreshing'), tone: 'busy' }
    default:
      return { code: 'active', label: t('status.active'), tone: 'ok' }
  }
}

export function initials(a: Pick<AccountView, 'handle' | 'displayName'>): string {
  const name = a.displayName?.trim()
  if (name) {
    const words = name.split(/\s+/).filter(Boolean)
    return (words.length > 1 ? words[0]![0]! + words[1]![0]! : name.slice(0, 2)).toUpperCase()
  }
  // A handle's first label: "alice.bsky.social" -> "AL".
  return a.handle.replace(/^@/, '').split('.')[0]!.slice(0, 2).toUpperCase()
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

export interface Moderation {
  /** Which case, the same in every language. */
  code: 'takendown' | 'hide' | 'warn' | 'labels'
  /** Short badge text. */
  label: string
  tone: Tone
  /** Banner headline and body: what happened, and the next step. */
  title: string
  body: string
  next: 'appeal' | 'nothing'
}

/**
 * What the AppView's moderation means for an account, apart from its hosting
 * status: an Ozone takedown, or labels on the account itself.
 */
export function moderationOf(a: Pick<AccountView, 'appview'>, t: TFunction): Moderation | null {
  const s = a.appview
  if (!s) return null
  if (s.status === 'takendown') {
    return {
      code: 'takendown',
      label: t('moderation.takendown.label'),
      tone: 'bad',
      title: t('moderation.takendown.title'),
      body: t('moderation.takendown.body'),
      next: 'appeal',
    }
  }
  if (s.labels.includes('!hide')) {
    return {
      code: 'hide',
      label: t('moderation.hide.label'),
      tone: 'bad',
      title: t('moderation.hide.title'),
      body: t('moderation.hide.body'),
      next: 'appeal',
    }
  }
  if (s.labels.includes('!warn')) {
    return {
      code: 'warn',
      label: t('moderation.warn.label'),
      tone: 'warn',
      title: t('moderation.warn.title'),
      body: t('moderation.warn.body'),
      next: 'appeal',
    }
  }
  if (s.labels.length > 0) {
    return {
      code: 'labels',
      label: t('moderation.labels.label'),
      tone: 'muted',
      title: t('moderation.labels.title', { labels: s.labels.join(', '), count: s.labels.length }),
      body: t('moderation.labels.body'),
      next: 'nothing',
    }
  }
  return null
}

/** The count for a badge: "99+" past that, nothing at zero or when unknown. */
export function unreadText(n: number | undefined): string | null {
  if (!n) return null
  return n > 99 ? `${number(99)}+` : number(n)
}

/** Where tokens are kept, by name: the OS keyring's own name, or the browser mode's key file in the window's language. */
export function backendNameOf(storage: StorageInfo, t: TFunction): string {
  return storage.backend === 'key-file' ? t('storage.keyFile') : storage.backendName
}
