import { SkyswitchError } from '../errors'

export const DEFAULT_SERVICE = 'https://bsky.social'

/**
 * What the user typed in "Hosting provider" -> an origin. A bare host means
 * https; plain http is accepted only for loopback (a PDS under development).
 */
export function normalizeService(input: string | undefined): string {
  const text = (input ?? '').trim()
  if (!text) return DEFAULT_SERVICE
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new SkyswitchError('BadRequest', `"${text}" is not a hosting provider address.`, {
      key: 'session.notAnAddress',
      params: { text },
    })
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new SkyswitchError('BadRequest', 'Hosting providers must use https (plain http only on this computer).', {
      key: 'session.httpsOnly',
    })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SkyswitchError('BadRequest', `"${text}" is not a hosting provider address.`, {
      key: 'session.notAnAddress',
      params: { text },
    })
  }
  return url.origin
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}
