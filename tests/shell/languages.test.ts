/**
 * Main speaks the user's language through the real main.ts (Electron stand-in):
 * the system's (app.getPreferredSystemLanguages) or the setting's, in the app
 * menu, the tray, an OS notification and a startup-error dialog.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { launch, mainWindow, state, useShell, value, waitFor, type StandIn } from '../support/electron-launch'
import { machine } from '../support/electron-world'

const shell = useShell()

type Item = { label?: string; role?: string; submenu?: { items: Item[] } }
/** Every label of a menu, depth first. */
const labels = (items: Item[]): string[] =>
  items.flatMap((i) => [...(i.label ? [i.label] : []), ...labels(i.submenu?.items ?? [])])

const appMenu = (e: StandIn) => e.Menu.getApplicationMenu()!
const trayMenu = (e: StandIn) => e.Tray.all()[0]!.menu!

describe('the language of the tray, the menus, notifications and dialogs', () => {
  it('follows the system: Japanese when the OS prefers it', async () => {
    machine().systemLanguages = ['ja-JP', 'en-US']
    const e = await launch()
    const win = await mainWindow(e)
    expect((await state(e)).systemLanguages).toEqual(['ja-JP', 'en-US'])

    const menu = appMenu(e)
    expect(menu.items.map((i) => i.label)).toEqual(['ファイル', '編集', '表示', 'ウィンドウ', 'ヘルプ'])
    // Role items too: Electron's own labels are English only.
    expect(labels(menu.find('編集')!.submenu!.items)).toEqual([
      '取り消す',
      'やり直す',
      'カット',
      'コピー',
      'ペースト',
      '削除',
      'すべてを選択',
    ])
    expect(labels(menu.items)).toEqual(expect.arrayContaining(['設定', 'Skyswitch を終了', 'Skyswitch について']))
    expect(labels(menu.items).filter((l) => /^[A-Za-z ]+$/.test(l))).toEqual([])

    const tray = trayMenu(e)
    expect(labels(tray.items)).toEqual([
      'アカウントはまだありません',
      'アクセストークンをコピー',
      'Skyswitch を開く',
      '終了',
    ])
    expect(e.Tray.all()[0]!.tooltip).toBe('Skyswitch')

    // Closing the window to the tray: the one-time notification, in Japanese.
    win.close()
    await waitFor(() => e.notifications.length === 1, 'the still-running notification')
    expect(e.notifications[0]).toMatchObject({ title: 'Skyswitch は実行中です' })
    expect(e.notifications[0]!.body).toMatch(/トレイで動き続け/)
  })

  it('the setting wins over the system, and the menus and tray change with it', async () => {
    const e = await launch()
    const win = await mainWindow(e)
    expect(appMenu(e).items.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    expect(trayMenu(e).find('Open Skyswitch')).toBeDefined()

    await value(e, 'settings:set', { language: 'pt-BR' })
    const menu = appMenu(e)
    expect(menu.items.map((i) => i.label)).toEqual(['Arquivo', 'Editar', 'Exibir', 'Janela', 'Ajuda'])
    expect(labels(menu.find('Editar')!.submenu!.items)).toEqual(
      expect.arrayContaining(['Desfazer', 'Copiar', 'Colar', 'Selecionar tudo']),
    )
    expect(labels(trayMenu(e).items)).toEqual([
      'Nenhuma conta ainda',
      'Copiar token de acesso',
      'Abrir o Skyswitch',
      'Sair',
    ])
    win.close()
    await waitFor(() => e.notifications.length === 1, 'the still-running notification')
    expect(e.notifications[0]).toMatchObject({ title: 'O Skyswitch continua em execução' })
    expect(e.notifications[0]!.body).toMatch(/mantém suas contas conectadas/)

    // Back to the system's (English here): everything follows again.
    await value(e, 'settings:set', { language: 'system' })
    expect(appMenu(e).items.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    expect(trayMenu(e).find('Open Skyswitch')).toBeDefined()
  })

  it('a start that fails says so in the saved language (pt-BR), else the system’s (ja)', async () => {
    writeFileSync(
      join(shell.dir, 'vault.json'),
      JSON.stringify({ schemaVersion: 99, generation: 5, accounts: {}, settings: { language: 'pt-BR' } }),
    )
    const e = await launch()
    expect(await e.app.exited).toBe(1)
    expect(e.dialogs).toHaveLength(1)
    expect(e.dialogs[0]).toMatchObject({
      kind: 'error',
      title: 'O Skyswitch não consegue abrir o arquivo de contas',
    })
    expect(e.dialogs[0]!.message).toMatch(/versão mais nova do Skyswitch/)
    expect(e.dialogs[0]!.message).toMatch(/Nada foi alterado/)

    machine().systemLanguages = ['ja']
    writeFileSync(join(shell.dir, 'vault.json'), JSON.stringify({ schemaVersion: 99, generation: 5, accounts: {} }))
    const again = await launch()
    expect(await again.app.exited).toBe(1)
    expect(again.dialogs[0]).toMatchObject({ title: 'Skyswitch がアカウントファイルを開けません' })
    expect(again.dialogs[0]!.message).toMatch(/新しいバージョンの Skyswitch/)
    expect(again.dialogs[0]!.message).not.toMatch(/newer version/)
  })
})
