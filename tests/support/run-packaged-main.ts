/**
 * Boots a built main bundle (e.g. out/main/index.js extracted from app.asar)
 * in plain Node against the Electron stand-in, then quits it and prints what
 * happened as one JSON line. Run with tests/support/electron-hook.mjs.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resetMachine } from './electron-world'

const [main, userData] = process.argv.slice(2)
resetMachine({ userData, appData: userData })
const e = (await import('electron')) as unknown as typeof import('./electron')
await import(main!)
await new Promise((ok) => setTimeout(ok, 1500))
// The packaged main serves the proxy: ask it something it refuses.
const { port } = JSON.parse(readFileSync(join(userData!, 'proxy.json'), 'utf8')) as { port: number }
const proxied = await fetch(`http://127.0.0.1:${port}/xrpc/com.atproto.server.getSession`)
const seen = {
  proxy: { status: proxied.status, error: ((await proxied.json()) as { error?: string }).error },
  windows: e.BrowserWindow.getAllWindows().length,
  url: e.BrowserWindow.getAllWindows()[0]?.webContents.getURL() ?? '',
  trays: e.Tray.all().length,
  menu: e.Menu.getApplicationMenu()?.items.map((i) => i.label) ?? [],
  dialogs: e.dialogs,
}
e.app.quit()
const exitCode = await e.app.exited
process.stdout.write(`${JSON.stringify({ ...seen, exitCode })}\n`)
process.exit(0)
