import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { SkyswitchError } from '../core/errors'

export interface Lock {
  release(): void
}

/**
 * One process per data directory (browser mode; the app uses Electron's
 * single-instance lock): two processes refreshing the same tokens would fork
 * the rotation chain. A lock left by a dead process is taken over.
 */
const heldHere = new Set<string>()

export function acquireLock(dataDir: string): Lock {
  const path = join(dataDir, 'skyswitch.lock')
  if (heldHere.has(path)) {
    throw new SkyswitchError('StorageError', `Another Skyswitch in this process is already using ${dataDir}.`)
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      let released = false
      heldHere.add(path)
      return {
        release() {
          if (released) return
          released = true
          heldHere.delete(path)
          try {
            if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path)
          } catch {
            // Already gone.
          }
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SkyswitchError('StorageError', `Cannot create the lock file in ${dataDir}.`)
      }
      const holder = Number.parseInt(readSafe(path), 10)
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new SkyswitchError('StorageError', `Another Skyswitch (process ${holder}) is already using ${dataDir}.`)
      }
      try {
        unlinkSync(path)
      } catch {
        // Someone else took it over first; the next attempt tells.
      }
    }
  }
  throw new SkyswitchError('StorageError', `Cannot take the lock on ${dataDir}.`)
}

function readSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
