import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { startToolEndpoint } from '../../src-main/core/cli/tool-endpoint'
import { useNetwork } from '../support/harness'
import { createAccount } from '../support/network'
import { rawExchange } from '../support/raw-socket'

const h = useNetwork()

async function running() {
  const { core, dir } = await h.core()
  const a = await createAccount(h.net.pdsUrl, 'framing')
  await core.accounts.login({ identifier: a.handle, password: a.password })
  const endpoint = await startToolEndpoint(dir, core.accounts, core.proxy)
  const setActive = vi.spyOn(core.accounts, 'setActive')
  return { core, a, sock: join(dir, 'run', 'skyswitch.sock'), endpoint, setActive }
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '')

describe('tool endpoint framing: one request, one answer', () => {
  it('a chunk arriving after the newline does not run the command again (switch ran twice)', async () => {
    const { a, sock, endpoint, setActive } = await running()
    const reply = await rawExchange(sock, [`{"cmd":"switch","account":"${a.handle}"}\n`, '\n', ' '], 2)
    await endpoint.close()
    expect(setActive).toHaveBeenCalledTimes(1)
    expect(lines(reply)).toHaveLength(1)
    expect(JSON.parse(lines(reply)[0]!)).toMatchObject({ ok: true, did: a.did })
  })

  it('a request split across many chunks is answered once, when its newline arrives', async () => {
    const { a, sock, endpoint, setActive } = await running()
    const req = `{"cmd":"switch","account":"${a.did}"}\n`
    const chunks = req.match(/.{1,5}/gs)!
    const reply = await rawExchange(sock, chunks, 5)
    await endpoint.close()
    expect(setActive).toHaveBeenCalledTimes(1)
    expect(lines(reply)).toHaveLength(1)
    expect(JSON.parse(lines(reply)[0]!)).toMatchObject({ ok: true, did: a.did })
  })

  it('two requests merged in one chunk: only the first runs, one answer', async () => {
    const { a, sock, endpoint, setActive } = await running()
    const one = `{"cmd":"switch","account":"${a.handle}"}\n`
    const reply = await rawExchange(sock, [one + one + one])
    await endpoint.close()
    expect(setActive).toHaveBeenCalledTimes(1)
    expect(lines(reply)).toHaveLength(1)
  })

  it('requests are validated: unknown fields, wrong types and unknown commands get BadRequest', async () => {
    const { sock, endpoint, setActive } = await running()
    for (const bad of [
      '{"cmd":"switch","account":42}',
      '{"cmd":"token","acount":"x"}',
      '{"cmd":"rm -rf"}',
      'not json',
      '[]',
    ]) {
      const reply = JSON.parse(lines(await rawExchange(sock, [`${bad}\n`]))[0]!) as { ok: boolean; code: string }
      expect(reply).toMatchObject({ ok: false, code: 'BadRequest' })
    }
    await endpoint.close()
    expect(setActive).not.toHaveBeenCalled()
  })
})
