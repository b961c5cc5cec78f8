/**
 * What the shell knows of updates without loading the updater: the feed this
 * build names, and what the menu's check answers. A build without a feed never
 * loads electron-updater (./updater.ts) at all.
 */
import type { UpdateState } from '../ipc/contract'
import type { UpdaterPort } from '../core/updates/update-service'

declare const __SKYSWITCH_UPDATE_FEED__: string | undefined

/** The release feed (SKYSWITCH_UPDATE_URL at build time, build/update-feed.mjs); empty: the app never asks. */
export const UPDATE_FEED = typeof __SKYSWITCH_UPDATE_FEED__ === 'string' ? __SKYSWITCH_UPDATE_FEED__ : ''

export type Updates =
  { port: UpdaterPort; unavailable?: undefined } | { port: null; unavailable: 'no-feed' | 'package' }

/** No updater here: no feed in this build. */
export const NO_FEED: Updates = { port: null, unavailable: 'no-feed' }

/** What the menu's "Check for updates…" answers, once the check is done. */
export function updateCheckText(s: UpdateState, current: string): string {
  switch (s.status) {
    case 'unavailable':
      return s.reason === 'package'
        ? 'This copy of Skyswitch is updated by installing the newer package.'
        : 'Updates are not configured in this build of Skyswitch.'
    case 'idle':
      return s.error ? s.error.message : `Skyswitch ${current} is up to date.`
    case 'checking':
      return 'Checking for updates…'
    case 'downloading':
      return `Skyswitch ${s.version} is available and downloading. Once it is verified, the window offers “Restart to update”.`
    case 'ready':
      return `Skyswitch ${s.version} is downloaded and verified. Use “Restart to update” in the window.`
    case 'restarting':
      return `Skyswitch restarts into ${s.version} as soon as the account operations under way finish.`
  }
}
