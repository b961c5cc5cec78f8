/**
 * What main says in Japanese and Brazilian Portuguese: notifications (plurals,
 * lists, dates through Intl), the tray's words, the update check's answers,
 * and the window's messages (errors by key or by code, notices, the rate
 * limit's time).
 */
import { describe, expect, it } from 'vitest'
import { SkyswitchError } from '../../src-main/core/errors'
import { Notifier, QUIET_MS } from '../../src-main/core/notices/notifier'
import { compose, type Notice, type NoticeEvent } from '../../src-main/core/notices/texts'
import { formatDateTime } from '../../src-main/i18n'
import { forWindow, localizeError } from '../../src-main/i18n/window'
import type { AccountView, AppState } from '../../src-main/ipc/contract'
import { accountLabel, trayGlance } from '../../src-main/shell/tray-words'
import { updateCheckText } from '../../src-main/shell/update-check'
import type { Language } from '../../src-main/ipc/languages'
import { FakeClock } from '../support/fake-clock'
import { NoticeHost, view as hostView } from '../support/notice-host'
import { accountView } from '../support/account-view'

const HOUR = 3_600_000
const NOW = Date.UTC(2026, 11, 8, 3, 0)
const ev = (i: number, kind: NoticeEvent['kind'], extra: Partial<NoticeEvent> = {}): NoticeEvent => ({
  did: `did:plc:a${i}`,
  handle: `a${i}.test`,
  kind,
  ...extra,
})
const none = () => undefined

describe('notifications in the language of the moment', () => {
  it('one event: the title names the account; plurals and dates as the language says them', () => {
    expect(compose([ev(0, 'signed-out')], NOW, none, undefined, 'ja').title).toBe('@a0.test がサインアウトされました')
    expect(compose([ev(0, 'stale', { at: NOW - 13 * HOUR })], NOW, none, undefined, 'pt-BR').title).toBe(
      '@a0.test não é atualizada há 13 horas',
    )
    expect(compose([ev(0, 'unread', { added: 1, unread: 1 })], NOW, none, undefined, 'pt-BR')).toMatchObject({
      title: '@a0.test: 1 notificação nova',
      body: '1 não lida no Bluesky.',
    })
    const end = NOW + 20 * HOUR
    const ending = compose([ev(0, 'oauth-ending', { at: end })], NOW, none, undefined, 'ja')
    expect(ending.title).toBe(`@a0.test: ${formatDateTime('ja', end)} までにもう一度サインインしてください`)
    expect(formatDateTime('ja', end)).toMatch(/12月/)
  })

  it('several accounts: one notice, one line each, in the language', () => {
    const n = compose([ev(0, 'takendown'), ev(1, 'deactivated'), ev(1, 'active-again')], NOW, none, undefined, 'ja')
    expect(n.title).toBe('2 件のアカウントに対応が必要です')
    expect(n.body).toBe('@a0.test: ホストにより停止されました\n@a1.test: 無効化されています、再び有効になりました')
    const news = compose([ev(0, 'active-again'), ev(1, 'active-again')], NOW, none, undefined, 'pt-BR')
    expect(news.title).toBe('Novidades em 2 contas')
  })
})

describe('the notifier asks for the language when it speaks', () => {
  it('a notice composed after the setting changed is in the new language', async () => {
    const clock = new FakeClock()
    const host = new NoticeHost([hostView(0), hostView(1)])
    let lang: Language = 'ja'
    const notices: Notice[] = []
    new Notifier(host, () => host.settings, { clock, language: () => lang }).onNotice((n) => notices.push(n))
    host.change('did:plc:acct0', { hosting: 'suspended' })
    await clock.advance(QUIET_MS)
    expect(notices.at(-1)).toMatchObject({ title: '@a0.test は一時停止されています' })
    lang = 'pt-BR'
    host.change('did:plc:acct1', { hosting: 'deactivated' })
    await clock.advance(QUIET_MS)
    expect(notices.at(-1)).toMatchObject({ title: '@a1.test está desativada' })
  })
})

describe('the tray and the update check', () => {
  const view = (over: Partial<AccountView>) => accountView('did:plc:t0', 't0.test', over)

  it('says each account’s standing, and the tooltip its summary', () => {
    expect(accountLabel(view({ session: 'signed-out' }), NOW, 'ja')).toBe('⚠ @t0.test — サインアウト')
    expect(accountLabel(view({ unread: 2 }), NOW, 'pt-BR')).toBe('@t0.test — Ativa · 2 não lidas')
    const state = { accounts: [view({ unread: 3, hosting: 'suspended' })] } as AppState
    expect(trayGlance(state, NOW, 'ja').tooltip).toBe('Skyswitch: 未読 3 件、@t0.test: 一時停止中')
    expect(trayGlance(state, NOW, 'en').tooltip).toBe('Skyswitch: 3 unread, @t0.test suspended')
  })

  it('answers the menu’s update check in the language', () => {
    expect(updateCheckText({ status: 'idle' }, '1.2.0', 'ja')).toBe('Skyswitch 1.2.0 は最新です。')
    expect(
      updateCheckText({ status: 'idle', error: { code: 'Offline', message: 'No network.' } }, '1', 'pt-BR'),
    ).toMatch(/^O Skyswitch não conseguiu acessar o servidor de atualizações/)
    expect(updateCheckText({ status: 'idle', error: { code: 'Offline', message: 'No network.' } }, '1', 'en')).toBe(
      'No network.',
    )
  })
})

describe('messages to the window', () => {
  it('an error by its key, else by its code; the rate limit says until when', () => {
    const wrong = new SkyswitchError('AuthenticationRequired', 'Wrong handle or password.', {
      key: 'session.wrongPassword',
    })
    expect(localizeError(wrong.toInfo(), 'ja').message).toBe('ハンドルまたはパスワードが違います。')
    expect(localizeError(wrong.toInfo(), 'en').message).toBe('Wrong handle or password.')
    const retryAt = NOW + 30 * 60_000
    const limited = new SkyswitchError('RateLimited', 'pds.example asks to wait before trying again.', {
      retryAt,
      key: 'session.wait',
      params: { host: 'pds.example' },
    })
    const time = new Intl.DateTimeFormat('pt-BR', { hour: 'numeric', minute: '2-digit' }).format(retryAt)
    expect(localizeError(limited.toInfo(), 'pt-BR', NOW).message).toBe(
      `pds.example pediu para esperar; tente de novo depois de ${time}.`,
    )
    const unkeyed = new SkyswitchError('SignedOut', 'Something only English knows.')
    expect(localizeError(unkeyed.toInfo(), 'pt-BR').message).toBe('A sessão terminou; entre de novo.')
  })

  it('notices and every error in a payload, leaving the rest as it is', () => {
    const state = {
      accounts: [{ did: 'd', lastError: { code: 'TimedOut', message: 'That took too long.' } }],
      notices: [
        {
          id: 'damaged-1',
          kind: 'vault-recovered',
          message: '2 saved account entries were damaged…',
          key: 'damaged',
          params: { count: 2, names: ['@ana.test', '@bia.test'], path: '/d/vault.damaged.json' },
        },
        {
          id: 'restored-1',
          kind: 'vault-recovered',
          message: 'x',
          key: 'restoredUnreadable',
          params: { why: 'empty', path: '/p', count: 1 },
        },
      ],
      update: { status: 'idle', error: { code: 'Offline', message: 'No network.' } },
    }
    const said = forWindow(state, 'ja')
    expect(said.accounts[0]!.lastError.message).toBe('時間がかかりすぎたため中止しました。もう一度お試しください。')
    expect(said.notices[0]!.message).toBe(
      '保存済みのアカウント 2 件のデータが壊れていたため、サインアウトしました（@ana.test、@bia.test）。使うにはもう一度サインインしてください。元のファイルは /d/vault.damaged.json として残してあります。',
    )
    expect(said.notices[1]!.message).toMatch(/^アカウントファイルを読み取れませんでした（空のファイルです）。/)
    expect(said.update.error.message).toMatch(/^アップデートサーバーに接続できませんでした/)
    expect(state.accounts[0]!.lastError.message).toBe('That took too long.')
    expect(forWindow(state, 'en')).toBe(state)
  })
})
