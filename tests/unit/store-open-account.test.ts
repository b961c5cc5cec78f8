/**
 * A click on a notification reaches the renderer as account:open: the
 * window shows that account's details, whatever was on screen, even when the
 * event comes before the window's first state (a window the click opened).
 */
import { describe, expect, it, vi } from 'vitest'
import type { AppState, EventName, SkyswitchApi } from '../../src-main/ipc/contract'
import { accountView } from '../support/account-view'

const view = (i: number) => accountView(`did:plc:open${i}`, `o${i}.test`, {}, 'https://pds.test')

async function connected() {
  const listeners = new Map<EventName, (p: unknown) => void>()
  const state = { accounts: [view(0), view(1)], activeDid: view(0).did, revision: 1 } as unknown as AppState
  let answer: (v: unknown) => void = () => undefined
  const bridge = {
    invoke: (name: string) =>
      name === 'app:getState'
        ? new Promise((ok) => (answer = () => ok({ ok: true, value: state })))
        : Promise.resolve({ ok: true, value: null }),
    on: (event: EventName, l: (p: unknown) => void) => (listeners.set(event, l), () => undefined),
  } as unknown as SkyswitchApi
  vi.resetModules()
  ;(globalThis as { window?: unknown }).window = { skyswitch: bridge, addEventListener: () => undefined }
  ;(globalThis as { document?: unknown }).document = {
    visibilityState: 'hidden',
    hasFocus: () => false,
    addEventListener: () => undefined,
  }
  const { connect } = await import('../../src-renderer/src/actions')
  const { useStore } = await import('../../src-renderer/src/store')
  connect()
  return { useStore, send: (e: EventName, p: unknown) => listeners.get(e)!(p), answer: () => answer(null) }
}

describe('account:open in the renderer', () => {
  it('before the first state: that state keeps the account asked for, not the active one', async () => {
    const r = await connected()
    r.send('account:open', { did: view(1).did })
    r.answer()
    await vi.waitFor(() => expect(r.useStore.getState().ready).toBe(true))
    expect(r.useStore.getState()).toMatchObject({ selectedDid: view(1).did, pane: { kind: 'details' } })
  })

  it('from Settings or the quick switcher: the details of exactly that account', async () => {
    const r = await connected()
    r.answer()
    await vi.waitFor(() => expect(r.useStore.getState().ready).toBe(true))
    r.useStore.setState({ pane: { kind: 'settings' }, switcherOpen: true })
    r.send('account:open', { did: view(1).did })
    expect(r.useStore.getState()).toMatchObject({
      selectedDid: view(1).did,
      pane: { kind: 'details' },
      switcherOpen: false,
    })
    r.send('account:open', { did: view(0).did })
    expect(r.useStore.getState().selectedDid).toBe(view(0).did)
  })
})
