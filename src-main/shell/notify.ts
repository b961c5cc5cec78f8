/**
 * The core's notices (core/notices) as OS notifications: the title and body
 * name the account, the icon is its avatar when the app already knows one
 * (else the app mark), and a click opens Skyswitch on that account's details.
 */
import { type NativeImage, nativeImage, Notification } from 'electron'
import type { Notice } from '../core/notices/texts'
import { TRAY_ICON } from './tray-icons'

/** Avatars bigger than this are not worth a notification icon. */
const AVATAR_MAX_BYTES = 1_000_000
const AVATAR_TIMEOUT_MS = 3_000
const AVATARS_KEPT = 100
/** Electron forgets the click handler of a notification it garbage-collects: hold the recent ones. */
const NOTIFICATIONS_HELD = 20

export interface NoticeSource {
  onNotice(listener: (n: Notice) => void): () => void
}

export function showNotices(
  source: NoticeSource,
  openAccount: (did: string) => void,
  fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
): () => void {
  const avatars = new AvatarIcons(fetchImpl)
  const appIcon = nativeImage.createFromDataURL(TRAY_ICON)
  const held: Notification[] = []
  const release = (n: Notification) => {
    const i = held.indexOf(n)
    if (i >= 0) held.splice(i, 1)
  }
  // Shown in the order decided, even when one waits for its avatar.
  let queue = Promise.resolve()
  return source.onNotice((notice) => {
    if (!Notification.isSupported()) return
    queue = queue.then(async () => {
      const icon = (notice.avatar && (await avatars.get(notice.avatar))) || appIcon
      const shown = new Notification({ title: notice.title, body: notice.body, icon })
      // The account this notice is about (the first it names): a click never opens another.
      const did = notice.dids[0]
      shown.on('click', () => {
        release(shown)
        if (did) openAccount(did)
      })
      shown.on('close', () => release(shown))
      held.push(shown)
      if (held.length > NOTIFICATIONS_HELD) held.shift()
      shown.show()
    })
    // One notification the OS would not show must not silence the ones after it.
    queue = queue.catch(() => undefined)
  })
}

/** Avatar images by URL, fetched once each (https only, small, quick) and kept in memory. */
export class AvatarIcons {
  private readonly cache = new Map<string, Promise<NativeImage | null>>()

  constructor(private readonly fetchImpl: typeof fetch) {}

  get(url: string): Promise<NativeImage | null> {
    let hit = this.cache.get(url)
    if (!hit) {
      hit = this.load(url)
      this.cache.set(url, hit)
      if (this.cache.size > AVATARS_KEPT) this.cache.delete(this.cache.keys().next().value!)
    }
    return hit
  }

  private async load(url: string): Promise<NativeImage | null> {
    try {
      if (new URL(url).protocol !== 'https:') return null
      const res = await this.fetchImpl(url, {
        signal: AbortSignal.timeout(AVATAR_TIMEOUT_MS),
        redirect: 'error',
        credentials: 'omit',
      })
      const type = res.headers.get('content-type') ?? ''
      if (!res.ok || !type.startsWith('image/') || Number(res.headers.get('content-length') ?? 0) > AVATAR_MAX_BYTES) {
        return null
      }
      const bytes = Buffer.from(await res.arrayBuffer())
      if (bytes.length > AVATAR_MAX_BYTES) return null
      const image = nativeImage.createFromBuffer(bytes)
      return image.isEmpty() ? null : image.resize({ width: 64, height: 64 })
    } catch {
      return null
    }
  }
}
