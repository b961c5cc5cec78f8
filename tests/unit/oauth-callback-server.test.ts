import { request } from 'node:http'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { startCallbackServer } from '../../src-main/core/oauth/callback-server'

type Req = {
  method: 'GET' | 'POST'
  path: '/callback' | '/other'
  state: 'ours' | 'forged' | 'none'
  origin: boolean
  mode: 'navigate' | 'no-cors' | 'cors' | undefined
  dest: 'document' | 'iframe' | 'empty' | undefined
}

const STATE = 'the-real-state'

/** A raw request, so every header is exactly what the case says (fetch would add its own). */
function send(port: number, r: Req): Promise<number> {
  const qs = r.state === 'none' ? '?code=c' : `?code=c&state=${r.state === 'ours' ? STATE : 'forged'}`
  const headers: Record<string, string> = {}
  if (r.origin) headers.origin = 'http://elsewhere.example'
  if (r.mode) headers['sec-fetch-mode'] = r.mode
  if (r.dest) headers['sec-fetch-dest'] = r.dest
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: r.method, path: r.path + qs, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

const isTheRedirect = (r: Req) =>
  r.method === 'GET' &&
  r.path === '/callback' &&
  r.state === 'ours' &&
  !r.origin &&
  (r.mode === undefined || r.mode === 'navigate') &&
  (r.dest === undefined || r.dest === 'document')

const req = fc.record<Req>({
  method: fc.constantFrom('GET', 'POST'),
  path: fc.constantFrom('/callback', '/other'),
  state: fc.constantFrom('ours', 'forged', 'none'),
  origin: fc.boolean(),
  mode: fc.constantFrom('navigate', 'no-cors', 'cors', undefined),
  dest: fc.constantFrom('document', 'iframe', 'empty', undefined),
})

describe('the loopback callback listener', () => {
  it('delivers exactly the first real redirect, once; everything else is refused and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(req, { minLength: 1, maxLength: 12 }), async (reqs) => {
        const server = await startCallbackServer(() => STATE)
        const port = Number(new URL(server.redirectUri).port)
        let delivered: URLSearchParams | undefined
        void server.params.then((p) => (delivered = p))
        try {
          let seen = false
          for (const r of reqs) {
            const status = await send(port, r)
            await new Promise((ok) => setImmediate(ok))
            if (isTheRedirect(r) && !seen) {
              seen = true
              expect(status).toBe(200)
              expect(delivered?.get('state')).toBe(STATE)
            } else {
              expect(status).toBeGreaterThanOrEqual(400)
              if (!seen) expect(delivered).toBeUndefined()
            }
          }
          expect(delivered !== undefined).toBe(seen)
        } finally {
          server.close()
        }
      }),
      { numRuns: 60, verbose: true },
    )
  }, 60_000)

  it('listens on 127.0.0.1 only, on a fresh port each time', async () => {
    const a = await startCallbackServer(() => STATE)
    const b = await startCallbackServer(() => STATE)
    try {
      expect(a.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/)
      expect(a.redirectUri).not.toBe(b.redirectUri)
    } finally {
      a.close()
      b.close()
    }
  })
})
