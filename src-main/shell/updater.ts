/**
 * The app's own updates through electron-updater, from the generic feed baked
 * in at build time. When to check and when to restart is core's
 * (core/updates/update-service.ts); this file only drives the updater. It is
 * loaded only by a build with a feed (./update-check.ts).
 */
import { app } from 'electron'
import { AppImageUpdater, type AppUpdater, type Logger, MacUpdater, NsisUpdater } from 'electron-updater'
import type { FoundUpdate, UpdaterPort } from '../core/updates/update-service'
import { classifyUpdateError, redactLogLine, requireSha512 } from './update-errors'
import type { Updates } from './update-check'

/**
 * The updater for this install, or why there is none. Without a feed nothing
 * is constructed, so nothing is ever requested. On Linux only the AppImage
 * replaces itself; a .deb is updated by installing the newer package.
 */
export function createUpdates(feed: string, platform: NodeJS.Platform, env = process.env): Updates {
  if (!feed) return { port: null, unavailable: 'no-feed' }
  // Run from the sources (`npm start`): nothing installed to replace.
  if (!app.isPackaged) return { port: null, unavailable: 'no-feed' }
  if (platform === 'linux' && !env.APPIMAGE) return { port: null, unavailable: 'package' }
  const options = { provider: 'generic' as const, url: feed }
  const updater =
    platform === 'win32'
      ? new NsisUpdater(options)
      : platform === 'darwin'
        ? new MacUpdater(options)
        : new AppImageUpdater(options)
  return { port: new ElectronUpdaterPort(updater) }
}

/** To stderr (a terminal that started the app sees it), never anything token-shaped. */
const write = (level: string) => (m?: unknown) => void process.stderr.write(`[updates] ${level}: ${redactLogLine(m)}\n`)
const logger: Logger = { info: write('info'), warn: write('warn'), error: write('error') }

class ElectronUpdaterPort implements UpdaterPort {
  constructor(private readonly updater: AppUpdater) {
    updater.logger = logger
    // Found means downloaded in the background (verified against the feed's sha512).
    updater.autoDownload = true
    // A verified update is also installed when the user quits, after quitting has let the accounts' turns finish.
    updater.autoInstallOnAppQuit = true
    const supported = updater.isUpdateSupported
    updater.isUpdateSupported = (info) => {
      requireSha512(info)
      return supported(info)
    }
  }

  async check(): Promise<FoundUpdate | null> {
    const result = await this.updater.checkForUpdates().catch((err: unknown) => {
      throw classifyUpdateError(err)
    })
    if (!result?.isUpdateAvailable || !result.downloadPromise) return null
    return {
      version: result.updateInfo.version,
      downloaded: result.downloadPromise.then(
        () => undefined,
        (err: unknown) => {
          throw classifyUpdateError(err)
        },
      ),
    }
  }

  install(): void {
    // quitAndInstall reports a failure as an 'error' event, synchronously, and then does not quit.
    let failed: unknown = null
    const onError = (err: unknown) => (failed = err ?? new Error('install failed'))
    this.updater.on('error', onError)
    try {
      this.updater.quitAndInstall(false, true)
    } catch (err) {
      failed = err
    } finally {
      this.updater.off('error', onError)
    }
    if (failed) throw classifyUpdateError(failed, 'InstallFailed')
  }
}
