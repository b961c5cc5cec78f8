import type { UpdateError, UpdateErrorCode, UpdateState } from '../../ipc/contract'
import type { Clock } from '../clock'
import { redactTokens, SkyswitchError } from '../errors'

/** The first check waits this long after start, so the refreshes due at start go first. */
export const FIRST_CHECK_MS = 2 * 60_000
/** Then once a day. */
export const CHECK_EVERY_MS = 24 * 3_600_000
/** Each wait is moved by up to this fraction either way, so installs do not all ask the feed at once. */
export const CHECK_JITTER = 0.1

/** What went wrong with an update, typed (the shell's adapter classifies the updater's errors). */
export class UpdateFailure extends Error {
  constructor(
    readonly code: UpdateErrorCode,
    message: string,
  ) {
    super(redactTokens(message))
    this.name = 'UpdateFailure'
  }

  toInfo(): UpdateError {
    return { code: this.code, message: this.message }
  }
}

/** A newer version the feed offers; its download (and sha512 check) runs in the background. */
export interface FoundUpdate {
  version: string
  /** Settles once the file is downloaded and verified, or rejects with an UpdateFailure. */
  downloaded: Promise<void>
}

/** What the shell's adapter over electron-updater does; core decides when. */
export interface UpdaterPort {
  /** Asks the feed: a newer version (its download starts at once), or null. */
  check(): Promise<FoundUpdate | null>
  /** Quits and installs the verified download; throws an UpdateFailure when it cannot. */
  install(): void
}

/** The accounts' turns, as quitting waits for them. */
export interface AccountTurns {
  /** Resolves once no operation is queued or running on any account. */
  idle(): Promise<void>
  /** True while one is. */
  busy(): boolean
}

export interface UpdateServiceOptions {
  clock: Clock
  accounts: AccountTurns
  /** Why there is no port: no feed in this build (the default), or an install its package updates. */
  unavailable?: 'no-feed' | 'package'
  random?: () => number
}

/**
 * When the app asks its feed (a while after start, then daily, jittered),
 * what its update is doing, and the rule for restarting into it: never while
 * an account operation is under way. Without a port (no feed) it never asks.
 */
export class UpdateService {
  private current: UpdateState
  private timer: unknown = null
  private checking: Promise<UpdateState> | null = null
  private lastCheckAt: number | null = null
  private stopped = false
  private readonly listeners = new Set<(s: UpdateState) => void>()
  /** Settles once a restart has handed over to the installer, or failed to. */
  restarting: Promise<void> | null = null

  constructor(
    private readonly port: UpdaterPort | null,
    private readonly opts: UpdateServiceOptions,
  ) {
    this.current = port ? { status: 'idle' } : { status: 'unavailable', reason: opts.unavailable ?? 'no-feed' }
  }

  state(): UpdateState {
    return this.current
  }

  onChange(listener: (s: UpdateState) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  start(): void {
    if (this.port && !this.stopped) this.schedule(FIRST_CHECK_MS)
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer)
    this.timer = null
  }

  /** After sleep (timers do not run during it): a daily check the wall clock says is overdue runs now. */
  wake(): void {
    const last = this.lastCheckAt
    if (this.port && !this.stopped && last !== null && this.opts.clock.now() - last >= CHECK_EVERY_MS) {
      this.schedule(0, false)
    }
  }

  /** Asks the feed now (one check at a time); answers once the check is done, not the download. */
  check(): Promise<UpdateState> {
    const port = this.port
    const s = this.current.status
    if (!port || s === 'downloading' || s === 'ready' || s === 'restarting') return Promise.resolve(this.current)
    this.checking ??= this.runCheck(port).finally(() => (this.checking = null))
    return this.checking
  }

  /** "Restart to update": waits for the accounts' turns to drain, then hands over to the installer. */
  restart(): UpdateState {
    const port = this.port
    if (!port || this.current.status !== 'ready') {
      throw new SkyswitchError('NotFound', 'No update is ready to install.', { key: 'accounts.noUpdate' })
    }
    this.set({ status: 'restarting', version: this.current.version })
    this.restarting = this.drainThenInstall(port)
    return this.current
  }

  private async runCheck(port: UpdaterPort): Promise<UpdateState> {
    this.lastCheckAt = this.opts.clock.now()
    this.set({ status: 'checking' })
    try {
      const found = await port.check()
      if (!found) {
        this.set({ status: 'idle', checkedAt: this.opts.clock.now() })
      } else {
        this.set({ status: 'downloading', version: found.version })
        found.downloaded.then(
          () => this.set({ status: 'ready', version: found.version }),
          (err: unknown) => this.set({ status: 'idle', checkedAt: this.opts.clock.now(), error: failureOf(err) }),
        )
      }
    } catch (err) {
      this.set({ status: 'idle', checkedAt: this.opts.clock.now(), error: failureOf(err) })
    }
    return this.current
  }

  private async drainThenInstall(port: UpdaterPort): Promise<void> {
    // As quitting does: every operation under way (a refresh, a sign-in's save) finishes first. The
    // installer is called in the same turn as the last look, so none can start in between.
    do await this.opts.accounts.idle()
    while (this.opts.accounts.busy())
    try {
      port.install()
    } catch (err) {
      this.set({ status: 'idle', checkedAt: this.opts.clock.now(), error: failureOf(err, 'InstallFailed') })
    }
  }

  private schedule(ms: number, jitter = true): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer)
    const spread = jitter ? 1 + CHECK_JITTER * (2 * (this.opts.random ?? Math.random)() - 1) : 1
    this.timer = this.opts.clock.setTimeout(
      () => {
        this.timer = null
        void this.check().finally(() => {
          if (!this.stopped && this.timer === null) this.schedule(CHECK_EVERY_MS)
        })
      },
      Math.round(ms * spread),
    )
  }

  private set(next: UpdateState): void {
    this.current = next
    for (const l of this.listeners) l(next)
  }
}

function failureOf(err: unknown, fallback: UpdateErrorCode = 'Failed'): UpdateError {
  if (err instanceof UpdateFailure) return err.toInfo()
  return { code: fallback, message: 'The update could not be completed; Skyswitch will try again later.' }
}
