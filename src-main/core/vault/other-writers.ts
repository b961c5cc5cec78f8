import { readFileSync, statSync } from 'node:fs'
import { SkyswitchError } from '../errors'
import { restrictToOwner } from './file'

/**
 * Notices a file changed by someone else since we last read or wrote it: an
 * older process must never overwrite what a newer one wrote.
 */
export class OtherWriterGuard {
  private last: { mtimeMs: number; size: number } | null = null

  constructor(private readonly path: string) {}

  /** Remembers the file as read or written (and keeps it the owner's alone). */
  note(): void {
    restrictToOwner(this.path)
    try {
      const s = statSync(this.path)
      this.last = { mtimeMs: s.mtimeMs, size: s.size }
    } catch {
      this.last = null
    }
  }

  /** Throws if the file now holds a later generation than `ours`. */
  check(ours: number): void {
    if (!this.last) return
    let s
    try {
      s = statSync(this.path)
    } catch {
      return
    }
    if (s.mtimeMs === this.last.mtimeMs && s.size === this.last.size) return
    let gen = -1
    try {
      gen = (JSON.parse(readFileSync(this.path, 'utf8')) as { generation?: number }).generation ?? -1
    } catch {
      return
    }
    if (gen > ours) {
      throw new SkyswitchError('StorageError', 'The account file was changed by another Skyswitch process.', {
        key: 'storage.otherWriter',
      })
    }
  }
}
