/**
 * Errors are said in the user's language on the way to the window only: the
 * dispatcher (Electron's ipcMain, the browser-mode bridge) and the core's
 * events; the tool endpoint the CLI talks to, and the core's own state, keep
 * the English message byte for byte. No network: the account's server is a
 * closed loopback port.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core/app-core'
import { startToolEndpoint } from '../../src-main/core/cli/tool-endpoint'
import type { AppState, Envelope, EventPayloads } from '../../src-main/ipc/contract'
import { coreAt, tempDir } from '../support/core'
import { fakeMeta, fakeTokens } from '../support/fake-tokens'
import { rawExchange } from '../support/raw-socket'

const UNREACHABLE = 'http://127.0.0.1:9'
const ENGLISH = 'Could not reach 127.0.0.1:9.'
const started: Core[] = []
afterEach(async () => {
  for (const c of started.splice(0)) await c.stop()
})

async function coreWithAccount() {
  const dir = tempDir('skyswitch-lang-')
  const meta = { ...fakeMeta(0), service: UNREACHABLE, pdsUrl: UNREACHABLE }
  const first = await coreAt(dir, { glance: false, statusWatch: false })
  await first.vault.saveAccount(meta, fakeTokens())
  await first.stop()
  const core = await coreAt(dir, { glance: false, statusWatch: false })
  started.push(core)
  return { core, dir, did: meta.did }
}

describe('errors on the window path are localized; the CLI path stays English', () => {
  it('a check that cannot reach the server: Japanese to the window, English to the tool endpoint', async () => {
    const { core, dir, did } = await coreWithAccount()
    await core.settings.set({ language: 'ja' })
    const sent: EventPayloads['account:changed'][] = []
    core.events.onAny((event, payload) => {
      if (event === 'account:changed') sent.push(payload as EventPayloads['account:changed'])
    })

    const reply = await core.dispatch('accounts:check', { did })
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'Offline',
        message: '127.0.0.1:9 に接続できませんでした。',
        key: 'session.unreachable',
        params: { host: '127.0.0.1:9' },
      },
    })
    // The state the window is sent, and the events: the account's last error in Japanese too.
    const snapshot = (await core.dispatch('app:getState', undefined)) as Envelope<AppState>
    expect(snapshot.ok && snapshot.value.accounts[0]!.lastError?.message).toBe('127.0.0.1:9 に接続できませんでした。')
    expect(sent.at(-1)?.lastError?.message).toBe('127.0.0.1:9 に接続できませんでした。')
    // A request the dispatcher refuses is said in the language too (no key: the message of its code).
    const bad = await core.dispatch('accounts:check', { did: 42 })
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'BadRequest', message: 'リクエストが正しくないため、実行できませんでした。' },
    })

    // The core itself, and the tool endpoint the CLI talks to: English, as written.
    expect(core.accounts.state().accounts[0]!.lastError?.message).toBe(ENGLISH)
    const endpoint = await startToolEndpoint(dir, core.accounts, core.proxy)
    try {
      const text = await rawExchange(join(dir, 'run', 'skyswitch.sock'), ['{"cmd":"status","check":true}\n'])
      const status = JSON.parse(text.trim()) as { accounts: { checkError?: string }[] }
      expect(status.accounts[0]!.checkError).toBe(ENGLISH)
    } finally {
      await endpoint.close()
    }
  })

  it('in English the window gets the message exactly as the core wrote it; pt-BR when set', async () => {
    const { core, did } = await coreWithAccount()
    const en = await core.dispatch('accounts:check', { did })
    expect(en).toMatchObject({ ok: false, error: { code: 'Offline', message: ENGLISH } })
    await core.settings.set({ language: 'pt-BR' })
    const pt = await core.dispatch('accounts:check', { did })
    expect(pt).toMatchObject({
      ok: false,
      error: { code: 'Offline', message: 'Não foi possível acessar 127.0.0.1:9.' },
    })
    const missing = await core.dispatch('accounts:check', { did: 'did:plc:nobody000000000000000' })
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'NotFound', message: 'Essa conta não está neste dispositivo.' },
    })
  })
})
