/**
 * What the shell knows of updates without loading the updater: the feed this
 * build names, and what the menu's check answers. A build without a feed never
 * loads electron-updater (./updater.ts) at all.
 */
import type { UpdateState } from '../ipc/contract'
import type { UpdaterPort } from '../core/updates/update-service'
import { type Language, translator } from '../i18n'

declare const __SKYSWITCH_UPDATE_FEED__: string | undefined

/** The release feed (SKYSWITCH_UPDATE_URL at build time, build/update-feed.mjs); empty: the app never asks. */
export const UPDATE_FEED = typeof __SKYSWITCH_UPDATE_FEED__ === 'string' ? __SKYSWITCH_UPDATE_FEED__ : ''

export type Updates =
  { port: UpdaterPort; unavailable?: undefined } | { port: null; unavailable: 'no-feed' | 'package' }

/** No updater here: no feed in this build. */
export const NO_FEED: Updates = { port: null, unavailable: 'no-feed' }

/** What the menu's "Check for updates…" answers, once the check is done, in the language. */
export function updateCheckText(s: UpdateState, current: string, lang: Language = 'en'): string {
  const t = translator(lang)
  switch (s.status) {
    case 'unavailable':
      return t(s.reason === 'package' ? 'updates.fromPackage' : 'updates.notConfigured')
    case 'idle':
      if (!s.error) return t('updates.upToDate', { version: current })
      return lang === 'en' ? s.error.message : t(`updates.errors.${s.error.code}`)
    case 'checking':
      return t('updates.checking')
    case 'downloading':
    case 'ready':
    case 'restarting':
      return t(`updates.${s.status}`, { version: s.version })
  }
}
