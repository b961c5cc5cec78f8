import { connect } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { startToolEndpoint } from '../../src-main/core/cli/tool-endpoint'
import { MAX_REQUEST_BYTES } from '../../src-main/core/cli/tool-protocol'
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
const only = (text: string) => {
  expect(lines(text)).toHaveLength(1)
  return JSON.parse(lines(text)[0]!) as { ok: boolean; code?: string; message?: string; did?: string }
}
/** A valid switch request padded with JSON whitespace to exactly `bytes` bytes (newline not counted). */
const padded = (account: string, bytes: number) => {
  const head = `{"cmd":"switch","account":"${account}"`
  return head + ' '.repeat(bytes - head.length - 1) + '}'
}

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

  it('a request with no newline, then a half-close, is answered as if the newline had come', async () => {
    const { a, sock, endpoint, setActive } = await running()
    const reply = await rawExchange(sock, [`{"cmd":"switch","account":"${a.handle}"}`], 30, { end: true })
    const half = await rawExchange(sock, ['{"cmd":"swi'], 30, { end: true })
    await endpoint.close()
    expect(only(reply)).toMatchObject({ ok: true, did: a.did })
    expect(only(half)).toMatchObject({ ok: false, code: 'BadRequest' })
    expect(setActive).toHaveBeenCalledTimes(1)
  })

  it('a request with its newline, then a half-close before the answer, still gets the answer', async () => {
    const { a, sock, endpoint } = await running()
    // --check goes to the PDS, so the half-close arrives well before the answer is ready.
    const reply = await rawExchange(sock, ['{"cmd":"status","check":true}\n'], 0, { end: true })
    await endpoint.close()
    expect(only(reply)).toMatchObject({ ok: true, accounts: [{ did: a.did, checked: expect.any(String) }] })
  })

  it('a frame over the size limit gets a typed error, then the close', async () => {
    const { a, sock, endpoint, setActive } = await running()
    const big = padded(a.handle, MAX_REQUEST_BYTES + 1)
    const reply = await rawExchange(sock, [big])
    const closed = await rawExchange(sock, [big], 30, { end: true })
    await endpoint.close()
    expect(only(reply)).toMatchObject({ ok: false, code: 'BadRequest', message: expect.stringMatching(/too large/) })
    expect(only(closed)).toMatchObject({ ok: false, code: 'BadRequest', message: expect.stringMatching(/too large/) })
    expect(setActive).not.toHaveBeenCalled()
  })

  it('the limit counts every byte before the newline, whichever piece holds it (94 KiB was answered)', async () => {
    const { a, sock, endpoint, setActive } = await running()
    const big = padded(a.handle, 94 * 1024)
    const split = await rawExchange(sock, [big.slice(0, 60 * 1024), `${big.slice(60 * 1024)}\n`])
    const fewBytesOver = padded(a.handle, MAX_REQUEST_BYTES + 1)
    const lastPiece = await rawExchange(sock, [fewBytesOver.slice(0, -3), `${fewBytesOver.slice(-3)}\n`])
    await endpoint.close()
    for (const r of [split, lastPiece]) {
      expect(only(r)).toMatchObject({ ok: false, code: 'BadRequest', message: expect.stringMatching(/too large/) })
    }
    expect(setActive).not.toHaveBeenCalled()
  })

  it('a request of exactly the limit is answered, in one piece or several', async () => {
    const { a, sock, endpoint, setActive } = await running()
    const exact = padded(a.handle, MAX_REQUEST_BYTES)
    const one = await rawExchange(sock, [`${exact}\n`])
    const pieces = await rawExchange(sock, [exact.slice(0, 40_000), exact.slice(40_000), '\n'])
    await endpoint.close()
    expect(only(one)).toMatchObject({ ok: true, did: a.did })
    expect(only(pieces)).toMatchObject({ ok: true, did: a.did })
    expect(setActive).toHaveBeenCalledTimes(2)
  })

  it('an empty line, invalid UTF-8 and a silent hang-up: a typed error or a quiet close, nothing runs', async () => {
    const { a, sock, endpoint, setActive } = await running()
    const empty = await rawExchange(sock, ['\n'])
    const emptyHalf = await rawExchange(sock, [''], 30, { end: true })
    const notUtf8 = await rawExchange(sock, [
      Buffer.concat([
        Buffer.from(`{"cmd":"switch","account":"${a.handle}`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}\n'),
      ]),
    ])
    const silent = await rawExchange(sock, [], 30, { end: true })
    const afterAll = await rawExchange(sock, ['{"cmd":"status"}\n'])
    await endpoint.close()
    expect(only(empty)).toMatchObject({ ok: false, code: 'BadRequest' })
    expect(emptyHalf).toBe('')
    expect(only(notUtf8)).toMatchObject({ ok: false, code: 'BadRequest', message: expect.stringMatching(/UTF-8/) })
    expect(silent).toBe('')
    expect(only(afterAll)).toMatchObject({ ok: true })
    expect(setActive).not.toHaveBeenCalled()
  })

  it('a client that goes on sending after its answer is cut off, and the endpoint still serves', async () => {
    const { sock, endpoint, setActive } = await running()
    const piece = Buffer.alloc(MAX_REQUEST_BYTES, 0x20)
    const { text, sent } = await new Promise<{ text: string; sent: number }>((ok) => {
      const socket = connect(sock)
      let text = ''
      let sent = 0
      socket.setEncoding('utf8')
      socket.on('data', (d: string) => (text += d))
      socket.on('error', () => undefined)
      socket.on('close', () => ok({ text, sent }))
      // Never a newline, never an end: only the endpoint can stop this.
      const pump = () => {
        while (!socket.destroyed && sent < 64 * MAX_REQUEST_BYTES && socket.write(piece)) sent += piece.length
        if (!socket.destroyed && sent < 64 * MAX_REQUEST_BYTES) socket.once('drain', pump)
      }
      socket.on('connect', pump)
    })
    const after = await rawExchange(sock, ['{"cmd":"status"}\n'])
    await endpoint.close()
    expect(only(text)).toMatchObject({ ok: false, code: 'BadRequest', message: expect.stringMatching(/too large/) })
    expect(sent).toBeLessThan(64 * MAX_REQUEST_BYTES)
    expect(only(after)).toMatchObject({ ok: true })
    expect(setActive).not.toHaveBeenCalled()
  })
})
