/** The Electron stand-in's net.request (tests/support/electron.ts), for electron-updater. */
import { EventEmitter } from 'node:events'
import { request as httpRequest, type IncomingMessage, type ClientRequest as NodeRequest } from 'node:http'
import { machine } from './electron-world'

export interface NetRequestOptions {
  method?: string
  protocol?: string
  hostname?: string
  port?: string | number
  path?: string
  headers?: Record<string, string>
  redirect?: 'follow' | 'error' | 'manual'
}

/**
 * Electron's net.ClientRequest, over Node's http on loopback (the only place
 * this machine reaches): Chromium's error names (net::ERR_...), 'redirect'
 * events under redirect: 'manual', 'abort'; the response is a readable
 * IncomingMessage with statusCode and headers.
 */
export class NetRequest extends EventEmitter {
  private req: NodeRequest | null = null
  constructor(private readonly opts: NetRequestOptions) {
    super()
  }
  end(body?: string | Buffer): void {
    const { hostname = '', protocol = 'https:', method = 'GET' } = this.opts
    const fail = (name: string) => void setImmediate(() => this.emit('error', new Error(`net::${name}`)))
    if (!machine().online) return fail('ERR_INTERNET_DISCONNECTED')
    if (!/^(127\.0\.0\.1|localhost|\[?::1\]?)$/.test(hostname) || protocol !== 'http:') {
      return fail('ERR_NAME_NOT_RESOLVED')
    }
    const req = httpRequest({ ...this.opts, protocol, method, hostname: hostname.replace(/^\[|\]$/g, '') })
    this.req = req
    req.on('response', (res: IncomingMessage) => {
      const location = res.headers.location
      if (this.opts.redirect === 'manual' && location && res.statusCode! >= 300 && res.statusCode! < 400) {
        res.resume()
        const base = `http://${hostname}${this.opts.port ? `:${this.opts.port}` : ''}`
        this.emit('redirect', res.statusCode, method, new URL(location, base).href, res.headers)
        return
      }
      this.emit('response', res)
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (this.req) this.emit('error', new Error(`net::${NET_ERRORS[err.code ?? ''] ?? 'ERR_FAILED'}`))
    })
    req.end(body)
  }
  abort(): void {
    const req = this.req
    this.req = null
    req?.destroy()
    this.emit('abort')
  }
}

const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'ERR_CONNECTION_REFUSED',
  ECONNRESET: 'ERR_CONNECTION_RESET',
  ETIMEDOUT: 'ERR_TIMED_OUT',
}
