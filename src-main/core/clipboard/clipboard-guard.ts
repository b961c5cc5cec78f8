import type { Clock } from '../clock'

/** The system clipboard as main sees it (Electron's clipboard in the app). */
export interface Clipboard {
  readText(): string | Promise<string>
  writeText(text: string): void | Promise<void>
}

/**
 * Copies a secret and clears it again after `clearAfterMs`, but only if the
 * clipboard still holds exactly what we put there (the user may have copied
 * something else since).
 */
export class ClipboardGuard {
  private pending: unknown = null

  constructor(
    private readonly clipboard: Clipboard,
    private readonly clock: Clock,
    /** Changed by the clipboard delay setting. */
    public clearAfterMs: number,
  ) {}

  async copy(text: string, secret: boolean): Promise<number | null> {
    if (this.pending !== null) this.clock.clearTimeout(this.pending)
    this.pending = null
    await this.clipboard.writeText(text)
    if (!secret || this.clearAfterMs <= 0) return null
    this.pending = this.clock.setTimeout(() => {
      this.pending = null
      void this.clearIfUnchanged(text)
    }, this.clearAfterMs)
    return this.clock.now() + this.clearAfterMs
  }

  private async clearIfUnchanged(text: string): Promise<void> {
    try {
      if ((await this.clipboard.readText()) === text) await this.clipboard.writeText('')
    } catch {
      // A clipboard we cannot read is one we must not clobber.
    }
  }
}

/** A clipboard that lives only in this process: for browser mode with no desktop. */
export function processClipboard(): Clipboard {
  let text = ''
  return { readText: () => text, writeText: (t) => void (text = t) }
}
