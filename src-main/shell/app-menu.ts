import { app, Menu, type MenuItemConstructorOptions } from 'electron'
import { type Language, translator } from '../i18n'
import { openInBrowser } from './window'

declare const __SKYSWITCH_HOMEPAGE__: string | undefined

/** package.json's `homepage`, baked in at build time; none means no website item. */
export const HOMEPAGE = typeof __SKYSWITCH_HOMEPAGE__ === 'string' ? __SKYSWITCH_HOMEPAGE__ : ''

export interface MenuActions {
  openSettings(): void
  /** Only where the command-line tool is not put on PATH by a package (macOS, Windows, AppImage). */
  installCli?: () => void
  /** "Check for updates…"; absent, why there are none (`updatesOff`) is shown instead, disabled. */
  checkForUpdates?: () => void
  updatesOff?: 'package' | 'no-feed'
}

type Role = NonNullable<MenuItemConstructorOptions['role']>

/**
 * The application menu, in `lang`. Edit carries the standard roles on every
 * platform: without them, copy and paste do not work in text fields on macOS.
 * In English the role items keep Electron's own labels (each platform's
 * wording); in other languages every item is labelled from the catalog, as
 * Electron's built-in labels are English only.
 */
export function appMenuTemplate(
  platform: NodeJS.Platform,
  actions: MenuActions,
  homepage = HOMEPAGE,
  lang: Language = 'en',
): MenuItemConstructorOptions[] {
  const t = translator(lang)
  const role = (r: Role): MenuItemConstructorOptions =>
    lang === 'en' ? { role: r } : { role: r, label: t(`menu.roles.${r}`) }
  const mac = platform === 'darwin'
  const settings: MenuItemConstructorOptions = {
    label: t(mac ? 'menu.settingsMac' : 'menu.settings'),
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.openSettings(),
  }
  const install: MenuItemConstructorOptions[] = actions.installCli
    ? [{ label: t('menu.installCli'), click: () => actions.installCli?.() }]
    : []
  const updates: MenuItemConstructorOptions[] = actions.checkForUpdates
    ? [{ label: t('menu.checkForUpdates'), click: () => actions.checkForUpdates?.() }]
    : actions.updatesOff
      ? [
          {
            label: t(actions.updatesOff === 'package' ? 'menu.updatesFromPackage' : 'menu.updatesNotConfigured'),
            enabled: false,
          },
        ]
      : []
  const first: MenuItemConstructorOptions = mac
    ? {
        label: app.name,
        submenu: [
          role('about'),
          ...updates,
          { type: 'separator' },
          settings,
          ...install,
          { type: 'separator' },
          role('services'),
          { type: 'separator' },
          role('hide'),
          role('hideOthers'),
          role('unhide'),
          { type: 'separator' },
          role('quit'),
        ],
      }
    : { label: t('menu.file'), submenu: [settings, ...install, { type: 'separator' }, role('quit')] }
  return [
    first,
    {
      label: t('menu.edit'),
      submenu: [
        role('undo'),
        role('redo'),
        { type: 'separator' },
        role('cut'),
        role('copy'),
        role('paste'),
        ...(mac ? [role('pasteAndMatchStyle')] : []),
        role('delete'),
        { type: 'separator' },
        role('selectAll'),
      ],
    },
    {
      label: t('menu.view'),
      submenu: [role('resetZoom'), role('zoomIn'), role('zoomOut'), { type: 'separator' }, role('togglefullscreen')],
    },
    {
      role: 'windowMenu',
      label: t('menu.window'),
      submenu: mac
        ? [role('minimize'), role('zoom'), { type: 'separator' }, role('front')]
        : [role('minimize'), role('close')],
    },
    {
      role: 'help',
      label: t('menu.help'),
      submenu: [
        { role: 'about', label: t('menu.aboutSkyswitch') },
        // macOS has it in the app menu, under About.
        ...(mac ? [] : updates),
        ...(homepage
          ? [{ label: t('menu.website'), click: () => void openInBrowser(homepage).catch(() => undefined) } as const]
          : []),
      ],
    },
  ]
}

export function setAppMenu(platform: NodeJS.Platform, actions: MenuActions, lang: Language = 'en'): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform, actions, HOMEPAGE, lang)))
}
