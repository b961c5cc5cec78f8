import { dialog } from 'electron'
import { SkyswitchError, toErrorInfo } from '../core/errors'

/** What the dialog says when Skyswitch cannot start; the files are never touched on this path. */
export function startupErrorText(err: unknown, dataDir: string): { title: string; body: string } {
  const info = toErrorInfo(err)
  if (err instanceof SkyswitchError && err.code === 'StorageError') {
    const m = info.message
    const advice = /disk is full/.test(m)
      ? 'Free some disk space, then start Skyswitch again.'
      : /permission denied/.test(m)
        ? `Make sure ${dataDir} belongs to you and can be written, then start Skyswitch again.`
        : /newer version/.test(m)
          ? ''
          : `Check ${dataDir}, then start Skyswitch again.`
    return {
      title: 'Skyswitch cannot open its account file',
      body: [m, advice, 'Nothing was changed: your saved accounts are as they were.'].filter(Boolean).join('\n\n'),
    }
  }
  const errno = (err as NodeJS.ErrnoException)?.code
  const what = typeof errno === 'string' ? `${info.message} (${errno})` : info.message
  return {
    title: 'Skyswitch could not start',
    body: `${what}\n\nNothing was changed: your saved accounts are as they were.`,
  }
}

export function showStartupError(err: unknown, dataDir: string): void {
  const { title, body } = startupErrorText(err, dataDir)
  process.stderr.write(`${title}: ${body.split('\n')[0]}\n`)
  dialog.showErrorBox(title, body)
}
