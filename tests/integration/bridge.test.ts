import { type IncomingMessage, request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrowserMode, startBrowserMode } from '../../src-main/browser/server'
import { tempDir } from '../support/core'

let mode: BrowserMode
const refused: string[] = []

beforeAll(async () => {
  mode = await startBrowserMode({ dataDir: tempDir(), onRefused: (r) => refused.push(r) })
})
afterAll(async () => {
  await mode?.close()
})

/** Raw HTTP, so tests control Host and Origin exactly as a hostile page would. */
function post(
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: { ok: boolean; error?: { code: string } } }> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: mode.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => ok({ status: res.statusCode ?? 0, json: JSON.parse(text) }))
      },
    )
    req.on('error', fail)
    req.end(body)
  })
}

const getState = JSON.stringify({ name: 'app:getState' })

describe('browser-mode bridge', () => {
  it('listens on loopback only and prints a URL carrying the secret', () => {
    expect(mode.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#secret=[A-Za-z0-9_-]{43}$/)
  })

  it('answers a request with the secret from its own origin', async () => {
    const res = await post('/api/invoke', getState, { 'x-skyswitch-secret': mode.secret, origin: mode.origin })
    expect(res.status).toBe(200)
    expect(res.json.ok).toBe(true)
  })

  it('refuses a request without the secret', async () => {
    const res = await post('/api/invoke', getState, {})
    expect(res.status).toBe(401)
    expect(res.json.ok).toBe(false)
  })

  it('refuses a wrong secret of the right length', async () => {
    const wrong = mode.secret.replace(/./, (c) => (c === 'A' ? 'B' : 'A'))
    const res = await post('/api/invoke', getState, { 'x-skyswitch-secret': wrong })
    expect(res.status).toBe(401)
  })

  it('refuses a foreign Origin even with the secret', async () => {
    const res = await post('/api/invoke', getState, {
      'x-skyswitch-secret': mode.secret,
      origin: 'http://evil.example',
    })
    expect(res.status).toBe(403)
  })

  it('refuses a cross-site fetch and a rebound Host', async () => {
    const cross = await post('/api/invoke', getState, {
      'x-skyswitch-secret': mode.secret,
      'sec-fetch-site': 'cross-site',
    })
    expect(cross.status).toBe(403)
    const rebound = await post('/api/invoke', getState, { 'x-skyswitch-secret': mode.secret, host: 'evil.example' })
    expect(rebound.status).toBe(403)
    expect(refused.length).toBeGreaterThanOrEqual(2)
  })

  it('answers malformed and invalid requests with a typed error and changes nothing', async () => {
    const before = mode.core.vault.generation
    const auth = { 'x-skyswitch-secret': mode.secret }
    const notJson = await post('/api/invoke', '{nope', auth)
    expect(notJson.status).toBe(400)
    expect(notJson.json.error?.code).toBe('BadRequest')
    const unknown = await post('/api/invoke', JSON.stringify({ name: 'accounts:hack' }), auth)
    expect(unknown.json.error?.code).toBe('BadRequest')
    const badDid = await post('/api/invoke', JSON.stringify({ name: 'accounts:remove', request: { did: 42 } }), auth)
    expect(badDid.json.error?.code).toBe('BadRequest')
    const extra = await post(
      '/api/invoke',
      JSON.stringify({ name: 'accounts:reorder', request: { dids: [], sneaky: true } }),
      auth,
    )
    expect(extra.json.error?.code).toBe('BadRequest')
    expect(mode.core.vault.generation).toBe(before)
  })

  it('streams proxy:changed to the page like every core event', async () => {
    const lines: { event: string; payload: { running?: boolean; revision?: number } }[] = []
    const stream = await new Promise<IncomingMessage>((ok, fail) => {
      const req = request(
        { host: '127.0.0.1', port: mode.port, path: '/api/events', headers: { 'x-skyswitch-secret': mode.secret } },
        ok,
      )
      req.on('error', fail)
      req.end()
    })
    let buffer = ''
    stream.on('data', (c: Buffer) => {
      buffer += c.toString()
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        if (buffer.slice(0, nl).trim()) lines.push(JSON.parse(buffer.slice(0, nl)))
        buffer = buffer.slice(nl + 1)
      }
    })
    try {
      await expect.poll(() => lines.length).toBe(1)
      expect(lines[0]).toMatchObject({ event: 'state:changed', payload: { proxy: { running: true } } })
      const auth = { 'x-skyswitch-secret': mode.secret }
      await post('/api/invoke', JSON.stringify({ name: 'proxy:setRunning', request: { running: false } }), auth)
      await expect.poll(() => lines.map((l) => l.event)).toContain('proxy:changed')
      const changed = lines.find((l) => l.event === 'proxy:changed')!
      expect(changed.payload).toMatchObject({ running: false, revision: lines[0]!.payload.revision! + 1 })
    } finally {
      stream.destroy()
      await mode.core.proxy.start()
    }
  })

  it('refuses a second process on the same data directory', async () => {
    await expect(startBrowserMode({ dataDir: mode.core.vault.path.replace(/\/vault\.json$/, '') })).rejects.toThrow(
      /already using/,
    )
  })
})
