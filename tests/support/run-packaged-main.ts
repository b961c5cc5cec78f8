/**
 * Boots a built main bundle (e.g. out/main/index.js extracted from app.asar)
 * in plain Node against the Electron stand-in, then quits it and prints what
 * happened as one JSON line. Run with tests/support/electron-hook.mjs.
 */
import { resetMachine } from './electron-world'

const [main, userData] = process.argv.slice(2)
resetMachine({ userData, appData: userData })
const e = (await import('electron')) as unknown as typeof import('./electron')
await import(main!)
await new Promise((ok) => setTimeout(ok, 1500))
const seen = {
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
