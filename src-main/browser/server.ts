/**
 * Browser mode: the real core in Node, the real renderer served on 127.0.0.1,
 * and an HTTP bridge that speaks the same contract as the preload. For
 * development and end-to-end tests only; the Electron build never includes it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import Conf from 'conf'
import { transformSync } from 'esbuild'
import { type Core, startCore } from '../core/app-core'
import { processClipboard, type Clipboard } from '../core/clipboard/clipboard-guard'
import { KeyFileCipher } from './key-file-cipher'
import { rendererCsp } from '../core/csp'
import { acquireLock } from './lock-file'
import { startToolEndpoint } from '../core/cli/tool-endpoint'
import { watchForSleep } from './sleep-watch'
import type { EventName } from '../ipc/contract'

export interface BrowserModeOptions {
  dataDir: string
  /** 0 picks a free port. */
  port?: number
  plcUrl?: string
  defaultService?: string
  rendererDir?: string
  clipboard?: Clipboard
  clipboardClearSeconds?: number
  /** Called after a request is refused; tests count these. */
  onRefused?: (reason: string) => void
  /** `npm run demo`: the UI says it is a demo. */
  demo?: boolean
}

export interface BrowserMode {
  url: string
  origin: string
  port: number
  secret: string
  core: Core
  close(): Promise<void>
}

const HERE = fileURLToPath(new URL('.', import.meta.url))
const DEFAULT_RENDERER_DIR = resolve(HERE, '../../out/renderer')
const BRIDGE_PATH = '/__skyswitch/bridge.js'
const MAX_BODY = 1 << 20

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export async function startBrowserMode(opts: BrowserModeOptions): Promise<BrowserMode> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 })
  const lock = acquireLock(opts.dataDir)
  let core: Core
  try {
    core = await startCore({
      dataDir: opts.dataDir,
      cipher: new KeyFileCipher(opts.dataDir),
      openStore: ({ cwd, configName }) =>
        new Conf<Record<string, unknown>>({ cwd, configName, projectName: 'skyswitch', watch: false }),
      clipboard: opts.clipboard ?? processClipboard(),
      clipboardClearSeconds: opts.clipboardClearSeconds,
      mode: 'browser',
      plcUrl: opts.plcUrl,
      defaultService: opts.defaultService,
      allowLoopback: true,
      demo: opts.demo,
    })
  } catch (err) {
    lock.release()
    throw err
  }

  let tools: { close(): Promise<void> }
  try {
    tools = await startToolEndpoint(opts.dataDir, core.accounts, core.proxy)
  } catch (err) {
    await core.stop()
    lock.release()
    throw err
  }
  const wake = watchForSleep(core.accounts)
  const rendererDir = resolve(opts.rendererDir ?? DEFAULT_RENDERER_DIR)
  const bridgeJs = transformSync(readFileSync(join(HERE, 'bridge-client.ts'), 'utf8'), {
    loader: 'ts',
    target: 'es2022',
  }).code
  const secret = randomBytes(32).toString('base64url')
  const secretBuf = Buffer.from(secret)
  const streams = new Set<ServerResponse>()
  let port = 0

  const refuse = (res: ServerResponse, status: number, reason: string) => {
    opts.onRefused?.(reason)
    send(res, status, { ok: false, error: { code: 'NotAllowed', message: reason } })
  }

  /** The bridge's gate: the per-launch secret, our own Host, our own Origin. */
  const admit = (req: IncomingMessage, res: ServerResponse): boolean => {
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`]
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      refuse(res, 403, 'Unknown host.')
      return false
    }
    const origin = req.headers.origin
    if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) {
      refuse(res, 403, 'Requests from other origins are refused.')
      return false
    }
    const site = req.headers['sec-fetch-site']
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      refuse(res, 403, 'Cross-site requests are refused.')
      return false
    }
    const given = Buffer.from(String(req.headers['x-skyswitch-secret'] ?? ''))
    if (given.length !== secretBuf.length || !timingSafeEqual(given, secretBuf)) {
      refuse(res, 401, 'Missing or wrong browser-mode secret.')
      return false
    }
    return true
  }

  const broadcast = (event: EventName, payload: unknown) => {
    const line = `${JSON.stringify({ event, payload })}\n`
    for (const s of streams) s.write(line)
  }
  const offEvents = core.events.onAny(broadcast)

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname.startsWith('/api/')) {
      if (!admit(req, res)) return
      if (url.pathname === '/api/invoke' && req.method === 'POST') {
        void readJson(req)
          .then(async (body) => {
            const { name, request } = (body ?? {}) as { name?: unknown; request?: unknown }
            send(res, 200, await core.dispatch(name, request))
          })
          .catch(() =>
            send(res, 400, { ok: false, error: { code: 'BadRequest', message: 'The request is not valid JSON.' } }),
          )
        return
      }
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, {
          'content-type': 'application/x-ndjson',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        })
        streams.add(res)
        res.write(`${JSON.stringify({ event: 'state:changed', payload: core.events.snapshot() })}\n`)
        const ping = setInterval(() => res.write('\n'), 15_000)
        req.on('close', () => {
          clearInterval(ping)
          streams.delete(res)
        })
        return
      }
      send(res, 404, { ok: false, error: { code: 'NotFound', message: 'No such endpoint.' } })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    if (url.pathname === BRIDGE_PATH) {
      res.writeHead(200, { 'content-type': TYPES['.js']!, 'cache-control': 'no-store' })
      res.end(bridgeJs)
      return
    }
    serveStatic(rendererDir, url.pathname, res)
  })

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}/#secret=${secret}`,
    origin,
    port,
    secret,
    core,
    async close() {
      offEvents()
      for (const s of streams) s.end()
      server.closeAllConnections()
      await new Promise<void>((ok) => server.close(() => ok()))
      wake.stop()
      await tools.close()
      await core.stop()
      lock.release()
    },
  }
}

function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  let rel: string
  try {
    rel = decodeURIComponent(pathname)
  } catch {
    res.writeHead(400).end()
    return
  }
  let file = resolve(root, `.${rel === '/' ? '/index.html' : rel}`)
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(404).end()
    return
  }
  try {
    if (!statSync(file).isFile()) file = join(root, 'index.html')
  } catch {
    file = join(root, 'index.html')
  }
  let body: Buffer
  try {
    body = readFileSync(file)
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('The renderer is not built: run npm run build.')
    return
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  const headers: Record<string, string> = {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  }
  if (type.startsWith('text/html')) {
    headers['content-security-policy'] = rendererCsp({ loopbackImages: true })
    headers['x-frame-options'] = 'DENY'
    headers['cache-control'] = 'no-store'
    // The bridge stands in for the preload, so it must load before the app.
    body = Buffer.from(
      body
        .toString('utf8')
        .replace('<head>', `<head><script src="${BRIDGE_PATH}"></script>`)
        // The page's own CSP meta must allow the same loopback avatars as the header.
        .replace("img-src 'self' data: https:;", `${/img-src [^;]*;/.exec(rendererCsp({ loopbackImages: true }))![0]}`),
    )
  }
  res.writeHead(200, headers).end(body)
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        fail(new Error('too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => {
      try {
        ok(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch (err) {
        fail(err)
      }
    })
    req.on('error', fail)
  })
}
