/**
 * Boots a built main bundle against the Electron stand-in in a process of its
 * own (nothing else has touched its fetch), then answers the window's calls
 * read from stdin, one JSON line each: {id, name, request} -> {id, envelope}.
 * node --import tsx --import ./tests/support/electron-hook.mjs tests/packaging/built-main-child.ts <main> <userData>
 */
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { IPC_INVOKE_CHANNEL } from '../../src-main/ipc/contract'
import { resetMachine } from '../support/electron-world'

const [main, userData] = process.argv.slice(2)
resetMachine({ userData, appData: `${userData}/appdata` })
const e = (await import('electron')) as unknown as typeof import('../support/electron')
await import(pathToFileURL(main!).href)

const send = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`)
createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, name, request } = JSON.parse(line) as { id: number; name: string; request?: unknown }
  const win = e.BrowserWindow.getAllWindows()[0]
  if (name === 'quit') {
    e.app.quit()
    void e.app.exited.then((code) => (send({ id, envelope: { ok: true, value: code } }), process.exit(0)))
    return
  }
  if (!win) return send({ id, envelope: { ok: false, error: { code: 'NoWindow', message: 'no window yet' } } })
  e.invokeFrom(win, IPC_INVOKE_CHANNEL, name, request).then(
    (envelope) => send({ id, envelope }),
    (err: unknown) => send({ id, envelope: { ok: false, error: { code: 'NotReady', message: String(err) } } }),
  )
})
send({ id: 0, envelope: { ok: true, value: 'loaded' } })
