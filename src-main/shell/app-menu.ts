import { app, Menu, type MenuItemConstructorOptions } from 'electron'
import { openInBrowser } from './window'

declare const __SKYSWITCH_HOMEPAGE__: string | undefined

/** package.json's `homepage`, baked in at build time; none means no website item. */
export const HOMEPAGE = typeof __SKYSWITCH_HOMEPAGE__ === 'string' ? __SKYSWITCH_HOMEPAGE__ : ''

export interface MenuActions {
  openSettings(): void
  /** Only where the command-line tool is not put on PATH by a package (macOS, Windows, AppImage). */
  installCli?: () => void
  /** "Check for updates…"; absent, `updatesOff` (why there are none) is shown instead, disabled. */
  checkForUpdates?: () => void
  updatesOff?: string
}

/**
 * The application menu. Edit carries the standard roles on every platform:
 * without them, copy and paste do not work in text fields on macOS.
 */
export function appMenuTemplate(
  platform: NodeJS.Platform,
  actions: MenuActions,
  homepage = HOMEPAGE,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const settings: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Settings',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.openSettings(),
  }
  const install: MenuItemConstructorOptions[] = actions.installCli
    ? [{ label: 'Install command-line tool', click: () => actions.installCli?.() }]
    : []
  const updates: MenuItemConstructorOptions[] = actions.checkForUpdates
    ? [{ label: 'Check for updates…', click: () => actions.checkForUpdates?.() }]
    : actions.updatesOff
      ? [{ label: actions.updatesOff, enabled: false }]
      : []
  const first: MenuItemConstructorOptions = mac
    ? {
        label: app.name,
        submenu: [
          { role: 'about' },
          ...updates,
          { type: 'separator' },
          settings,
          ...install,
          { type: 'separator' },
          { role: 'services' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          { role: 'quit' },
        ],
      }
    : { label: 'File', submenu: [settings, ...install, { type: 'separator' }, { role: 'quit' }] }
  return [
    first,
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'windowMenu',
      label: 'Window',
      submenu: mac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      role: 'help',
      label: 'Help',
      submenu: [
        { role: 'about', label: 'About Skyswitch' },
        // macOS has it in the app menu, under About.
        ...(mac ? [] : updates),
        ...(homepage
          ? [{ label: 'Skyswitch website', click: () => void openInBrowser(homepage).catch(() => undefined) } as const]
          : []),
      ],
    },
  ]
}

export function setAppMenu(platform: NodeJS.Platform, actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform, actions)))
}
