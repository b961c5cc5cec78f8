/**
 * The proxy serves from a thread of its own: a tool's calls go through while
 * the app's main thread is held busy (a window being drawn, a vault being
 * written). The app runs in a process of its own here, so the PDS, which
 * runs in this test's process, stays free while the app's main thread is not.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useNetwork } from '../support/harness'
import { createAccount } from '../support/network'

const h = useNetwork()
let app: ChildProcess | null = null

afterEach(() => {
  app?.kill('SIGKILL')
  app = null
})

describe('the proxy thread', () => {
  it("serves a tool while the app's main thread is busy", async () => {
    const a = await createAccount(h.net.pdsUrl, 'busy')
    app = fork(
      resolve(import.meta.dirname, '../support/busy-app.ts'),
      [h.net.pdsUrl, h.net.plcUrl, a.handle, a.password],
      {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    )
    const next = <T>() => new Promise<T>((ok) => app!.once('message', (m) => ok(m as T)))
    const { url, key } = await next<{ url: string; key: string }>()
    const call = async () => {
      const res = await fetch(`${url}/xrpc/com.atproto.server.getSession`, {
        headers: { authorization: `Bearer ${key}` },
      })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { did: string }).did).toBe(a.did)
      return Date.now()
    }
    // The first call has the thread ask main for the token; the next ones need nothing from main.
    await call()
    const held = next<{ from: number; to: number }>()
    let released = false
    void held.then(() => (released = true))
    app.send({ block: 1500 })
    const answered: number[] = []
    while (!released) answered.push(await call())
    const { from, to } = await held
    // Served by the main thread, every call would have waited until `to`.
    expect(answered.filter((t) => t > from && t < to).length).toBeGreaterThan(0)
  })
})
