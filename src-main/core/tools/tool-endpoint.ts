import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import type { AccountView } from '../../ipc/contract'
import type { AccountService } from '../accounts'
import { envBlock } from '../dispatcher'
import { SkyswitchError } from '../errors'

/**
 * The local endpoint the `skyswitch` command talks to: a Unix socket (0600)
 * in a 0700 directory under the data directory, or a per-user named pipe on
 * Windows. One JSON line in, one JSON line out.
 */
export interface ToolRequest {
  cmd: 'status' | 'token' | 'env' | 'switch'
  account?: string
}

export type ToolReply =
  | { ok: true; accounts?: ToolAccount[]; activeDid?: string | null; token?: string; env?: string; did?: string }
  | { ok: false; code: 'NotFound' | 'SignedOut' | 'BadRequest' | 'TokenBound' | 'Failed'; message: string }

export interface ToolAccount {
  did: string
  handle: string
  pdsUrl: string
  active: boolean
  hosting: AccountView['hosting']
  session: AccountView['session']
  accessExpiresAt: number | null
  needsAttention: boolean
}

export function endpointPath(dataDir: string): string {
  if (process.platform === 'win32') return `\\\\.\\pipe\\skyswitch-${userInfo().username}`
  return join(dataDir, 'run', 'skyswitch.sock')
}

export async function startToolEndpoint(
  dataDir: string,
  accounts: AccountService,
): Promise<{ close(): Promise<void> }> {
  const path = endpointPath(dataDir)
  if (process.platform !== 'win32') {
    const dir = join(dataDir, 'run')
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    // mkdir keeps an existing directory's mode: insist on 0700.
    chmodSync(dir, 0o700)
    try {
      if (lstatSync(path).isSocket()) unlinkSync(path)
    } catch {
      // Nothing stale to remove.
    }
  }
  const server: Server = createServer((socket) => serve(socket, accounts))
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(path, () => ok())
  })
  if (process.platform !== 'win32') chmodSync(path, 0o600)
  return {
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok())
        if (process.platform !== 'win32') {
          try {
            unlinkSync(path)
          } catch {
            // Already gone.
          }
        }
      }),
  }
}

function serve(socket: Socket, accounts: AccountService): void {
  let buffer = ''
  socket.setEncoding('utf8')
  socket.setTimeout(30_000, () => socket.destroy())
  socket.on('data', (chunk: string) => {
    buffer += chunk
    if (buffer.length > 64 * 1024) return socket.destroy()
    const nl = buffer.indexOf('\n')
    if (nl < 0) return
    const line = buffer.slice(0, nl)
    void answer(line, accounts).then((reply) => socket.end(`${JSON.stringify(reply)}\n`))
  })
  socket.on('error', () => socket.destroy())
}

async function answer(line: string, accounts: AccountService): Promise<ToolReply> {
  let req: ToolRequest
  try {
    req = JSON.parse(line) as ToolRequest
  } catch {
    return { ok: false, code: 'BadRequest', message: 'Not a JSON request.' }
  }
  try {
    switch (req.cmd) {
      case 'status':
        return status(accounts)
      case 'token': {
        const a = pick(accounts, req.account)
        const { accessJwt } = await accounts.accessToken(a.did)
        return { ok: true, token: accessJwt, did: a.did }
      }
      case 'env': {
        const a = pick(accounts, req.account)
        const { accessJwt } = await accounts.accessToken(a.did)
        const fresh = accounts.get(a.did)
        return { ok: true, env: envBlock(fresh.pdsUrl, fresh.handle, fresh.did, accessJwt), did: a.did }
      }
      case 'switch': {
        if (!req.account) return { ok: false, code: 'BadRequest', message: 'Name the account to switch to.' }
        const a = pick(accounts, req.account)
        await accounts.setActive(a.did)
        return { ok: true, did: a.did }
      }
      default:
        return { ok: false, code: 'BadRequest', message: 'Unknown command.' }
    }
  } catch (err) {
    if (err instanceof SkyswitchError) {
      if (err.code === 'NotFound') return { ok: false, code: 'NotFound', message: err.message }
      // OAuth accounts: DPoP-bound tokens cannot be handed out (see core/oauth).
      if (err.code === 'TokenBound') return { ok: false, code: 'TokenBound', message: err.message }
      if (err.code === 'SignedOut' || err.code === 'AccountTakedown') {
        return { ok: false, code: 'SignedOut', message: err.message }
      }
      return { ok: false, code: 'Failed', message: err.message }
    }
    return { ok: false, code: 'Failed', message: 'Skyswitch could not do that.' }
  }
}

function status(accounts: AccountService): ToolReply {
  const state = accounts.state()
  return {
    ok: true,
    activeDid: state.activeDid,
    accounts: state.accounts.map((a) => ({
      did: a.did,
      handle: a.handle,
      pdsUrl: a.pdsUrl,
      active: a.did === state.activeDid,
      hosting: a.hosting,
      session: a.session,
      accessExpiresAt: a.session === 'signed-out' ? null : (a.accessExpiresAt ?? null),
      needsAttention: a.hosting !== 'active' || a.session !== 'signed-in',
    })),
  }
}

function pick(accounts: AccountService, key: string | undefined): AccountView {
  if (!key) {
    const did = accounts.state().activeDid
    if (!did) throw new SkyswitchError('NotFound', 'There is no active account; add one in Skyswitch first.')
    return accounts.get(did)
  }
  const found = accounts.findByHandleOrDid(key)
  if (!found) throw new SkyswitchError('NotFound', `No account ${key} in Skyswitch.`)
  return found
}
