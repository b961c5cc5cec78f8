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
