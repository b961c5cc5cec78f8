/**
 * Forwards one tool request to the account's PDS with the upstream's
 * credentials, streaming both ways. Retry: a body up to REPLAY_LIMIT is held
 * in memory, so when the PDS answers ExpiredToken the request is sent again
 * once with a renewed token. A larger body streams straight through (flat
 * memory) and cannot be replayed; for those the token is made to last at
 * least STREAM_MIN_VALID_MS before sending, and an ExpiredToken (a token
 * revoked or expired early at the server) still renews the token for the next
 * request but reaches the tool unchanged.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import type { FetchHandler } from '../oauth/oauth-sessions'
import { collectWhileStreaming } from './stream-memory'
import type { RefusedAnswer, SignedRequest, Upstream } from './upstream'

export const REPLAY_LIMIT = 1 << 20
export const MIN_VALID_MS = 2 * 60_000
export const STREAM_MIN_VALID_MS = 10 * 60_000
/** Error bodies are small; anything larger is not an auth error and streams on. */
const ERROR_PEEK_LIMIT = 64 * 1024
/** Answers up to this size (most XRPC replies) are relayed in one write. */
const SMALL_ANSWER = 64 * 1024

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])
/** Never forwarded: the tool's credential, cookies, browser and proxy context. */
const DROPPED = new Set(['host', 'authorization', 'cookie', 'origin', 'referer', 'expect', 'dpop', 'forwarded'])

const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
}

type Body = { kind: 'none' } | { kind: 'buffered'; data: Buffer } | { kind: 'stream'; head: Buffer[]; rest: Readable }

export async function forward(req: IncomingMessage, res: ServerResponse, path: string, up: Upstream): Promise<void> {
  if (up.send) return forwardSigned(req, res, path, up.send)
  const body = await readBody(req)
  const target = targetOf(up.baseUrl())
  const minValidMs = body.kind === 'stream' ? STREAM_MIN_VALID_MS : MIN_VALID_MS
  for (let attempt = 0; ; attempt++) {
    const signed = await up.sign({ method: req.method ?? 'GET', minValidMs })
    const answer = await send(req, target, path, signed, body)
    const mayRetry = attempt === 0
    if (mayRetry && (answer.statusCode === 400 || answer.statusCode === 401)) {
      const peeked = await peek(answer)
      if (!peeked.whole) return relay(res, answer, peeked.data)
      const refused: RefusedAnswer = { status: answer.statusCode, headers: answer.headers, error: peeked.error }
      if ((await up.recover(refused, signed)) && body.kind !== 'stream') continue
      return reply(res, answer, peeked.data)
    }
    return relay(res, answer)
  }
}

async function readBody(req: IncomingMessage): Promise<Body> {
  const length = req.headers['content-length']
  const declared = length === undefined ? undefined : Number(length)
  // HTTP/1.1: a request without Content-Length or Transfer-Encoding has no body.
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return { kind: 'none' }
  if (declared !== undefined && declared > REPLAY_LIMIT) return { kind: 'stream', head: [], rest: req }
  // Small or of unknown length: hold up to the limit; if more comes, stream the rest.
  const { chunks, ended } = await readUpTo(req, REPLAY_LIMIT)
  return ended ? { kind: 'buffered', data: Buffer.concat(chunks) } : { kind: 'stream', head: chunks, rest: req }
}

/** Reads until the stream ends or more than `limit` bytes are held, leaving the rest unread. */
async function readUpTo(stream: Readable, limit: number): Promise<{ chunks: Buffer[]; ended: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    chunks.push(chunk)
    size += chunk.length
    if (size > limit) return { chunks, ended: false }
  }
  return { chunks, ended: true }
}

/** The tool's headers that may reach the PDS. */
function outgoingHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || DROPPED.has(k) || k.startsWith('sec-') || k.startsWith('x-forwarded'))
      continue
    headers[k] = v
  }
  return headers
}

interface Target {
  https: boolean
  hostname: string
  port: string
  /** The PDS URL's own path, if any, without a trailing slash. */
  prefix: string
}

/** A PDS address taken apart once, not on every request. */
const targets = new Map<string, Target>()

function targetOf(baseUrl: string): Target {
  let target = targets.get(baseUrl)
  if (!target) {
    const u = new URL(baseUrl)
    const hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname
    target = { https: u.protocol === 'https:', hostname, port: u.port, prefix: u.pathname.replace(/\/+$/, '') }
    if (targets.size >= 1024) targets.clear()
    targets.set(baseUrl, target)
  }
  return target
}

function send(req: IncomingMessage, to: Target, path: string, signed: SignedRequest, body: Body) {
  const headers = outgoingHeaders(req)
  if (body.kind === 'buffered') headers['content-length'] = String(body.data.length)
  Object.assign(headers, signed.headers)
  const out = (to.https ? httpsRequest : httpRequest)({
    protocol: to.https ? 'https:' : 'http:',
    hostname: to.hostname,
    port: to.port,
    path: to.prefix + path,
    method: req.method,
    headers,
    agent: to.https ? agents.https : agents.http,
  })
  return new Promise<IncomingMessage>((ok, fail) => {
    out.once('response', ok)
    out.once('error', fail)
    if (body.kind === 'none') out.end()
    else if (body.kind === 'buffered') out.end(body.data)
    else {
      for (const c of body.head) out.write(c)
      // A PDS that answers before reading everything ends the upload; the answer still comes.
      pipeline(body.rest, out).catch(() => undefined)
      collectWhileStreaming(body.rest)
    }
  })
}

/** Reads a small error body; `whole` is false when it is larger than any error. */
async function peek(answer: IncomingMessage): Promise<{ data: Buffer; whole: boolean; error?: string }> {
  const { chunks, ended } = await readUpTo(answer, ERROR_PEEK_LIMIT)
  const data = Buffer.concat(chunks)
  if (!ended) return { data, whole: false }
  return { data, whole: true, error: errorName(data, answer.headers['content-encoding']) }
}

function errorName(data: Buffer, encoding: string | undefined): string | undefined {
  try {
    const plain =
      encoding === 'gzip'
        ? gunzipSync(data)
        : encoding === 'br'
          ? brotliDecompressSync(data)
          : encoding === 'deflate'
            ? inflateSync(data)
            : data
    const json = JSON.parse(plain.toString('utf8')) as { error?: unknown }
    return typeof json.error === 'string' ? json.error : undefined
  } catch {
    return undefined
  }
}

function responseHeaders(answer: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v
  return out
}

function reply(res: ServerResponse, answer: IncomingMessage, data: Buffer): void {
  const headers = responseHeaders(answer)
  if (headers['content-length'] === undefined) headers['content-length'] = String(data.length)
  res.writeHead(answer.statusCode ?? 502, headers).end(data)
}

/**
 * Passes the answer on. A small one of known length is sent in one write;
 * others stream with backpressure, and a tool that hangs up (even before
 * the answer came) ends the answer too, freeing the PDS connection.
 */
async function relay(res: ServerResponse, answer: IncomingMessage, head?: Buffer): Promise<void> {
  const length = Number(answer.headers['content-length'])
  if (!head && length <= SMALL_ANSWER) return reply(res, answer, await collect(answer))
  res.writeHead(answer.statusCode ?? 502, responseHeaders(answer))
  if (head) res.write(head)
  const done = pipeline(answer, res)
  collectWhileStreaming(answer)
  await done
}

/** Reads a stream whole. */
function collect(stream: Readable): Promise<Buffer<ArrayBuffer>> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.once('end', () => ok(Buffer.concat(chunks)))
    stream.once('error', fail)
  })
}

/**
 * OAuth: the account's fetch signs each attempt (DPoP) and may resend it
 * (a new nonce, a refreshed token), so the body is held whole to be
 * replayable. fetch decodes compressed answers, so their encoding and length
 * headers are not passed on.
 */
async function forwardSigned(req: IncomingMessage, res: ServerResponse, path: string, send: FetchHandler) {
  const headers = new Headers()
  for (const [k, v] of Object.entries(outgoingHeaders(req))) {
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one)
  }
  headers.delete('content-length')
  const method = req.method ?? 'GET'
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined
  // A tool that hangs up before its answer is through ends the call at the PDS too.
  const abort = new AbortController()
  res.once('close', () => res.writableFinished || abort.abort())
  const body = hasBody ? await collect(req) : undefined
  const answer = await send(path, { method, headers, body, signal: abort.signal })
  const out: Record<string, string | string[]> = {}
  answer.headers.forEach((v, k) => {
    if (!HOP_BY_HOP.has(k) && k !== 'content-encoding' && k !== 'content-length') out[k] = v
  })
  const cookies = answer.headers.getSetCookie()
  if (cookies.length > 0) out['set-cookie'] = cookies
  res.writeHead(answer.status, out)
  if (answer.body) await pipeline(Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream), res)
  else res.end()
}
