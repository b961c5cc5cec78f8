import type { AccountView } from '../../src-main/ipc/contract'

export type Tone = 'ok' | 'warn' | 'bad' | 'muted' | 'busy'

/** The one badge an account shows: hosting problems first, then the session. */
export function badgeOf(a: AccountView): { label: string; tone: Tone } {
  switch (a.hosting) {
    case 'takendown':
      return { label: 'Taken down', tone: 'bad' }
    case 'suspended':
      return { label: 'Suspended', tone: 'bad' }
    case 'deactivated':
      return { label: 'Deactivated', tone: 'warn' }
  }
  switch (a.session) {
    case 'signed-out':
      return { label: 'Signed out', tone: 'muted' }
    case 'offline':
      return { label: 'Offline', tone: 'warn' }
    case 'rate-limited':
      return { label: 'Rate-limited', tone: 'warn' }
    case 'refreshing':
      return { label: 'Refreshing', tone: 'busy' }
    default:
      return { label: 'Active', tone: 'ok' }
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
export function moderationOf(a: Pick<AccountView, 'appview'>): Moderation | null {
  const s = a.appview
  if (!s) return null
  if (s.status === 'takendown') {
    return {
      label: 'Hidden by moderation',
      tone: 'bad',
      title: 'Taken down by Bluesky moderation.',
      body: 'The account’s host still keeps it and its data, and this sign-in still works, but the network (AppView) no longer shows it to anyone. You can appeal the decision.',
      next: 'appeal',
    }
  }
  if (s.labels.includes('!hide')) {
    return {
      label: 'Hidden label',
      tone: 'bad',
      title: 'Hidden by a moderation label (!hide).',
      body: 'The account is still hosted and signed in, but apps hide its profile and posts from others. You can appeal the label.',
      next: 'appeal',
    }
  }
  if (s.labels.includes('!warn')) {
    return {
      label: 'Warning label',
      tone: 'warn',
      title: 'A warning label is on this account (!warn).',
      body: 'Others see a warning before the account’s profile and posts. You can appeal the label.',
      next: 'appeal',
    }
  }
  if (s.labels.length > 0) {
    return {
      label: 'Labelled',
      tone: 'muted',
      title: `Labels on this account: ${s.labels.join(', ')}.`,
      body: 'These labels inform others; nothing is limited and there is nothing to do.',
      next: 'nothing',
    }
  }
  return null
}

/** "3 unread" for people, "99+" past that, nothing at zero or when unknown. */
export function unreadText(n: number | undefined): string | null {
  if (!n) return null
  return n > 99 ? '99+' : String(n)
}
