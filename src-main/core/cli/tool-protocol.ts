/**
 * What the `skyswitch` command may ask the running app, validated with zod at
 * the endpoint like the IPC contract, and how one request is framed: one JSON
 * line in (the newline may be left for the half-close), one JSON line out, one
 * request per connection.
 */
import type { Socket } from 'node:net'
import { z } from 'zod'
import type { AccountView, CheckedWith, ProxyStatus } from '../../ipc/contract'

const account = z.string().trim().min(1).max(2048).optional()
/** How long the handed-out token must stay valid; a fresh one lives about 2 h. */
const minValidMs = z
  .number()
  .int()
  .min(0)
  .max(24 * 60 * 60_000)
  .optional()

export const toolRequest = z.discriminatedUnion('cmd', [
  z.strictObject({ cmd: z.literal('status'), check: z.boolean().optional() }),
  z.strictObject({ cmd: z.literal('token'), account, minValidMs }),
  z.strictObject({ cmd: z.literal('env'), account, minValidMs, proxy: z.boolean().optional() }),
  z.strictObject({ cmd: z.literal('switch'), account: z.string().trim().min(1).max(2048) }),
  z.strictObject({ cmd: z.literal('proxy'), action: z.enum(['status', 'start', 'stop']) }),
  z.strictObject({
    cmd: z.literal('service-auth'),
    account,
    aud: z
      .string()
      .max(2048)
      .regex(/^did:[a-z]+:[a-zA-Z0-9._:%-]+(#[a-zA-Z0-9._-]+)?$/, 'must be a DID'),
    lxm: z
      .string()
      .max(317)
      .regex(/^[a-zA-Z]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)+$/, 'must be an NSID')
      .optional(),
    expSeconds: z.number().int().min(1).max(3600).optional(),
  }),
])
export type ToolRequest = z.infer<typeof toolRequest>

export interface ToolAccount {
  did: string
  handle: string
  pdsUrl: string
  active: boolean
  hosting: AccountView['hosting']
  session: AccountView['session']
  accessExpiresAt: number | null
  needsAttention: boolean
  /** With `status --check`: what the check proved, or why it failed. */
  checked?: CheckedWith | 'failed'
  checkError?: string
}

export type { ProxyStatus }

export type ToolErrorCode = 'NotFound' | 'SignedOut' | 'BadRequest' | 'TokenBound' | 'Failed'

export type ToolReply =
  | {
      ok: true
      accounts?: ToolAccount[]
      activeDid?: string | null
      token?: string
      expiresAt?: number | null
      env?: string
      /** The same variables as `env`, for `skyswitch exec`. */
      vars?: Record<string, string>
      did?: string
      proxy?: ProxyStatus
    }
  | { ok: false; code: ToolErrorCode; message: string }

/** The most bytes a request line may hold, counted before its newline. */
export const MAX_REQUEST_BYTES = 64 * 1024
/** Bytes a client may go on sending after its request (read and dropped) before it is cut off. */
const MAX_TRAILING_BYTES = 16 * MAX_REQUEST_BYTES

/** The request line, or why there is none to parse (the endpoint answers BadRequest). */
export type Frame = { ok: true; line: string } | { ok: false; message: string }

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Calls `onFrame` at most once per connection: with the bytes before the first
 * newline, or before the client's half-close when no newline came; or with why
 * there is no line (over MAX_REQUEST_BYTES, counted across every piece; not
 * UTF-8). Bytes after it are dropped unparsed, so a command never runs twice.
 * A client that hangs up having sent nothing gets a quiet close. The server
 * must allow half-open sockets, or a half-close would end the answer's side too.
 */
export function readOneLine(socket: Socket, onFrame: (frame: Frame) => void): void {
  const chunks: Buffer[] = []
  let size = 0
  let done = false
  let dropped = 0
  const finish = (frame: Frame) => {
    done = true
    chunks.length = 0
    onFrame(frame)
  }
  socket.on('data', (chunk: Buffer) => {
    if (done) {
      dropped += chunk.length
      if (dropped > MAX_TRAILING_BYTES) socket.destroy()
      return
    }
    const nl = chunk.indexOf(0x0a)
    const piece = nl < 0 ? chunk : chunk.subarray(0, nl)
    size += piece.length
    if (size > MAX_REQUEST_BYTES) {
      finish({ ok: false, message: `Request too large (over ${MAX_REQUEST_BYTES} bytes).` })
      return
    }
    chunks.push(piece)
    if (nl >= 0) finish(decode(chunks))
  })
  socket.on('end', () => {
    if (done) return
    if (size > 0) finish(decode(chunks))
    else {
      done = true
      socket.end()
    }
  })
}

function decode(chunks: Buffer[]): Frame {
  try {
    return { ok: true, line: utf8.decode(Buffer.concat(chunks)) }
  } catch {
    return { ok: false, message: 'Request is not UTF-8.' }
  }
}

export function parseToolRequest(line: string): { ok: true; request: ToolRequest } | { ok: false; message: string } {
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch {
    return { ok: false, message: 'Not a JSON request.' }
  }
  const parsed = toolRequest.safeParse(json)
  if (parsed.success) return { ok: true, request: parsed.data }
  const issue = parsed.error.issues[0]
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : ''
  return { ok: false, message: `Invalid request${where}: ${issue?.message ?? 'invalid'}.` }
}
