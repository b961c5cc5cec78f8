/**
 * The proxy's streams when one side goes away: a tool that hangs up before
 * or during the answer, a PDS that drops the connection mid-body. The PDS
 * here is a loopback stand-in, because the real one cannot be made to stall
 * or break on cue; what is checked is that the proxy frees the upstream
 * connection and tells the tool what happened.
 */
import { createServer, request, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Upstream } from '../../src-main/core/proxy/upstream'
import { type ProxyServer, startProxyServer } from '../../src-main/core/proxy/xrpc-proxy'
import { until } from '../support/wait'

const MiB = 1024 * 1024

interface StandIn {
  url: string
  /** Per request: whether the answer was written to the end, or the connection closed first. */
  outcomes: ('finished' | 'closed early')[]
  server: Server
}

/** Answers every call with `size` bytes after `delayMs`; `breakAfter`: the first answer's socket is destroyed after that many bytes. */
async function standIn(opts: { size: number; delayMs?: number; breakAfter?: number; length?: boolean }) {
  const outcomes: StandIn['outcomes'] = []
  let broken = false
  const server = createServer((req, res: ServerResponse) => {
    req.resume()
    let done = false
    res.once('finish', () => ((done = true), outcomes.push('finished')))
    res.once('close', () => done || outcomes.push('closed early'))
    setTimeout(() => {
      const headers: Record<string, string> = { 'content-type': 'application/octet-stream' }
      if (opts.length !== false) headers['content-length'] = String(opts.size)
      res.writeHead(200, headers)
      const chunk = Buffer.alloc(64 * 1024, 7)
      let sent = 0
      const more = () => {
        while (sent < opts.size) {
          if (opts.breakAfter !== undefined && !broken && sent >= opts.breakAfter) {
            broken = true
            return void res.socket?.destroy()
          }
          const n = Math.min(chunk.length, opts.size - sent)
          sent += n
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', more)
        }
        res.end()
      }
      more()
    }, opts.delayMs ?? 0)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, outcomes, server }
}

let open: { close(): unknown }[] = []
afterEach(async () => {
  for (const o of open) await o.close()
  open = []
})

async function proxyTo(pds: StandIn): Promise<ProxyServer> {
  const upstream: Upstream = {
    baseUrl: () => pds.url,
    sign: () => Promise.resolve({ headers: { authorization: 'Bearer stand-in' }, credential: 'stand-in' }),
    recover: () => Promise.resolve(false),
  }
  const proxy = await startProxyServer({ choose: () => ({ ok: true, upstream }) })
  open.push(proxy, {
    close: () => {
      pds.server.closeAllConnections()
      return new Promise((ok) => pds.server.close(ok))
    },
  })
  return proxy
}

/** A GET through the proxy that hangs up once `hangUp` says so. */
function callThenHangUp(proxy: ProxyServer, hangUp: { afterMs?: number; afterBytes?: number }): Promise<number> {
  return new Promise((ok) => {
    const req = request(`${proxy.url}/xrpc/com.atproto.sync.getBlob?did=x&cid=y`, (res) => {
      let got = 0
      res.on('data', (c: Buffer) => {
        got += c.length
        if (hangUp.afterBytes !== undefined && got >= hangUp.afterBytes) req.destroy()
      })
      res.on('close', () => ok(got))
    })
    req.on('error', () => ok(0))
    req.end()
    if (hangUp.afterMs !== undefined) setTimeout(() => (req.destroy(), ok(0)), hangUp.afterMs)
  })
}

describe('the proxy when one side goes away', () => {
  for (const length of [true, false]) {
    it(`a tool that hangs up before the answer comes frees the PDS connection (${length ? 'known length' : 'chunked'})`, async () => {
      const pds = await standIn({ size: 32 * MiB, delayMs: 300, length })
      const proxy = await proxyTo(pds)
      await callThenHangUp(proxy, { afterMs: 50 })
      await until(() => pds.outcomes.length === 1)
      expect(pds.outcomes).toEqual(['closed early'])
    })
  }

  it('a tool that hangs up mid-answer frees the PDS connection', async () => {
    const pds = await standIn({ size: 32 * MiB })
    const proxy = await proxyTo(pds)
    const got = await callThenHangUp(proxy, { afterBytes: 1 * MiB })
    expect(got).toBeLessThan(32 * MiB)
    await until(() => pds.outcomes.length === 1)
    expect(pds.outcomes).toEqual(['closed early'])
  })

  it('a tool that hangs up before a signed call (OAuth) is answered aborts that call at the PDS', async () => {
    // A PDS that never answers: only an aborted call ever closes the connection.
    let arrived = 0
    let closed = 0
    const server = createServer((req) => {
      arrived++
      req.resume()
      req.socket.once('close', () => closed++)
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const upstream: Upstream = {
      baseUrl: () => base,
      sign: () => Promise.resolve({ headers: {}, credential: '' }),
      recover: () => Promise.resolve(false),
      // Stands for the account's DPoP-signing fetch: the proxy's signal is all that can end it.
      send: (path, init) => fetch(base + path, init),
    }
    const proxy = await startProxyServer({ choose: () => ({ ok: true, upstream }) })
    open.push(proxy, {
      close: () => {
        server.closeAllConnections()
        return new Promise((ok) => server.close(ok))
      },
    })
    const req = request(`${proxy.url}/xrpc/com.atproto.sync.getBlob?did=x&cid=y`)
    req.on('error', () => undefined)
    req.end()
    await until(() => arrived === 1)
    req.destroy()
    await until(() => closed === 1)
    expect(closed).toBe(1)
  })

  it('an unexpected failure inside the proxy still answers the tool, with a 500', async () => {
    const proxy = await startProxyServer({
      choose: () => {
        throw new Error('not expected')
      },
    })
    open.push(proxy)
    const res = await fetch(`${proxy.url}/xrpc/com.atproto.repo.describeRepo?repo=x`)
    expect(res.status).toBe(500)
    expect(((await res.json()) as { error: string }).error).toBe('InternalServerError')
  })

  it('a PDS that drops a small answer mid-body: the tool gets a clear 502', async () => {
    const pds = await standIn({ size: 48 * 1024, breakAfter: 0 })
    const proxy = await proxyTo(pds)
    const res = await fetch(`${proxy.url}/xrpc/com.atproto.repo.describeRepo?repo=x`)
    expect(res.status).toBe(502)
    expect(((await res.json()) as { error: string }).error).toBe('UpstreamFailure')
  })

  it('a PDS that drops a large answer mid-body: the tool sees the answer cut short, not a complete one', async () => {
    const pds = await standIn({ size: 8 * MiB, breakAfter: 2 * MiB })
    const proxy = await proxyTo(pds)
    const res = await fetch(`${proxy.url}/xrpc/com.atproto.sync.getBlob?did=x&cid=y`)
    expect(res.status).toBe(200)
    await expect(res.arrayBuffer()).rejects.toThrow()
    // And the proxy goes on serving: the next answer arrives whole.
    const next = await fetch(`${proxy.url}/xrpc/com.atproto.sync.getBlob?did=x&cid=y`)
    expect((await next.arrayBuffer()).byteLength).toBe(8 * MiB)
  })
})

describe('where the proxy sends a call', () => {
  it("keeps a path in the PDS's address, an IPv6 literal, and the tool's query byte for byte", async () => {
    const seen: { url: string; auth?: string; host?: string }[] = []
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization, host: req.headers.host })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
    await new Promise<void>((ok) => server.listen(0, '::1', () => ok()))
    const port = (server.address() as AddressInfo).port
    const pds: StandIn = { url: `http://[::1]:${port}/under/a/path/`, outcomes: [], server }
    const proxy = await proxyTo(pds)
    const query = '?repo=did%3Aplc%3Aabc&collection=app.bsky.feed.post&cursor=a%2Fb%20c&limit=2'
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${proxy.url}/xrpc/com.atproto.repo.listRecords${query}`)
      expect(res.status).toBe(200)
    }
    expect(seen).toEqual(
      Array(2).fill({
        url: `/under/a/path/xrpc/com.atproto.repo.listRecords${query}`,
        auth: 'Bearer stand-in',
        host: `[::1]:${port}`,
      }),
    )
  })
})
