import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { app } from 'electron'
import { translator } from '../i18n'

/** Started by the login item: stay in the tray. */
export const HIDDEN_FLAG = '--hidden'

/** "Start Skyswitch when I log in": the OS login item, or an XDG autostart entry on Linux. */
export function applyLoginItem(enabled: boolean, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'linux') {
    const file = join(app.getPath('appData'), 'autostart', 'skyswitch.desktop')
    if (!enabled) return rmSync(file, { force: true })
    mkdirSync(join(app.getPath('appData'), 'autostart'), { recursive: true })
    // An AppImage runs from a temporary mount: start the image itself.
    const exe = process.env.APPIMAGE ?? app.getPath('exe')
    writeFileSync(file, autostartEntry(exe), { mode: 0o644 })
    return
  }
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] })
}

export function startedHidden(argv: readonly string[], platform: NodeJS.Platform = process.platform): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true
}

export function autostartEntry(exe: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Skyswitch',
    `Comment=${translator('en')('startup.autostartComment')}`,
    // The desktop shows the comment in the session's language (Desktop Entry localized keys).
    `Comment[ja]=${translator('ja')('startup.autostartComment')}`,
    `Comment[pt_BR]=${translator('pt-BR')('startup.autostartComment')}`,
    `Exec=${quoteExec(exe)} ${HIDDEN_FLAG}`,
    'Icon=skyswitch',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

/** The desktop entry spec's quoting for an Exec argument. */
function quoteExec(arg: string): string {
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`
}
