/**
 * What the `skyswitch` command may ask the running app, validated with zod at
 * the endpoint like the IPC contract, and how one request is framed: one JSON
 * line in, one JSON line out, one request per connection.
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

export const MAX_REQUEST_BYTES = 64 * 1024

/**
 * Calls `onLine` exactly once with the first line the client sends, then
 * stops reading: bytes after the newline (a second request, a stray chunk)
 * are never parsed, so a command never runs twice.
 */
export function readOneLine(socket: Socket, onLine: (line: string) => void): void {
  const chunks: Buffer[] = []
  let size = 0
  const onData = (chunk: Buffer) => {
    const nl = chunk.indexOf(0x0a)
    if (nl < 0) {
      chunks.push(chunk)
      size += chunk.length
      if (size > MAX_REQUEST_BYTES) socket.destroy()
      return
    }
    // Still flowing with no listener: later bytes are read and dropped, and the close is seen.
    socket.off('data', onData)
    chunks.push(chunk.subarray(0, nl))
    onLine(Buffer.concat(chunks).toString('utf8'))
  }
  socket.on('data', onData)
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
