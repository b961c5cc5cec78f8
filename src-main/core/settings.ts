import { z } from 'zod'
import type { AppSettings } from '../ipc/contract'
import { LANGUAGE_SETTINGS } from '../ipc/languages'
import type { Vault } from './vault/vault'

export const DEFAULT_SETTINGS: AppSettings = {
  clipboardClearSeconds: 60,
  closeToTray: true,
  startAtLogin: false,
  notifications: true,
  mutedDids: [],
  unreadDids: [],
  language: 'system',
}

const dids = z.array(z.string().startsWith('did:').max(2048)).max(100_000)

/** Each field is vetted on its own: one damaged value falls back to its default, the rest survive. */
const stored = z.object({
  clipboardClearSeconds: z.number().int().min(0).max(3600).catch(DEFAULT_SETTINGS.clipboardClearSeconds),
  closeToTray: z.boolean().catch(DEFAULT_SETTINGS.closeToTray),
  startAtLogin: z.boolean().catch(DEFAULT_SETTINGS.startAtLogin),
  notifications: z.boolean().catch(DEFAULT_SETTINGS.notifications),
  mutedDids: dids.catch([]),
  unreadDids: dids.catch([]),
  language: z.enum(LANGUAGE_SETTINGS).catch(DEFAULT_SETTINGS.language),
  /** The one-time "still running in the tray" notice was shown. */
  closeNoticeShown: z.boolean().catch(false),
})
type Stored = z.infer<typeof stored>

/**
 * The user's settings, kept in the vault's metadata so they share its atomic
 * writes. A change is on disk before it is announced; a failed write changes nothing.
 */
export class SettingsStore {
  private current: Stored
  private readonly listeners = new Set<(s: AppSettings) => void>()

  constructor(
    private readonly vault: Vault,
    fallback: Partial<AppSettings> = {},
  ) {
    this.current = stored.parse({ ...DEFAULT_SETTINGS, ...fallback, ...vault.settings })
  }

  get(): AppSettings {
    const { closeNoticeShown: _shown, ...settings } = this.current
    return settings
  }

  get closeNoticeShown(): boolean {
    return this.current.closeNoticeShown
  }

  /** The request was validated by the contract's schema; this writes and announces it. */
  async set(patch: Partial<AppSettings>): Promise<AppSettings> {
    const next = stored.parse({ ...this.current, ...withoutUndefined(patch) })
    await this.vault.setSettings(next)
    this.current = next
    const view = this.get()
    for (const l of this.listeners) l(view)
    return view
  }

  /** Mutes or unmutes one account's notifications, or opts it in or out of unread ones. */
  setAccountNotices(did: string, patch: { muted?: boolean; unread?: boolean }): Promise<AppSettings> {
    const toggle = (list: string[], on: boolean | undefined) =>
      on === undefined ? list : on ? [...new Set([...list, did])] : list.filter((d) => d !== did)
    return this.set({
      mutedDids: toggle(this.current.mutedDids, patch.muted),
      unreadDids: toggle(this.current.unreadDids, patch.unread),
    })
  }

  async noteCloseNoticeShown(): Promise<void> {
    const next = { ...this.current, closeNoticeShown: true }
    await this.vault.setSettings(next)
    this.current = next
  }

  on(listener: (s: AppSettings) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
