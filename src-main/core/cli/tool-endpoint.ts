import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import type { AccountView, CheckAllResult } from '../../ipc/contract'
import type { AccountService } from '../accounts/account-service'
import { SkyswitchError } from '../errors'
import type { ProxyService } from '../proxy/proxy-service'
import { serviceAuth } from './service-auth'
import { exportBlock, keyNotes, proxyVars, tokenVars } from './tool-env'
import { parseToolRequest, readOneLine, type ToolAccount, type ToolReply, type ToolRequest } from './tool-protocol'
import { accountUpstream } from '../proxy/upstream'

export type { ToolAccount, ToolReply, ToolRequest } from './tool-protocol'

/**
 * The local endpoint the `skyswitch` command talks to: a Unix socket (0600)
 * in a 0700 directory under the data directory, or a per-user named pipe on
 * Windows. One JSON line in, one JSON line out, one request per connection.
 */
export function endpointPath(dataDir: string): string {
  if (process.platform === 'win32') return `\\\\.\\pipe\\skyswitch-${userInfo().username}`
  return join(dataDir, 'run', 'skyswitch.sock')
}

const DEFAULT_MIN_VALID_MS = 5 * 60_000

export async function startToolEndpoint(
  dataDir: string,
  accounts: AccountService,
  proxy?: ProxyService,
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
  // Half-open: a client may end its side after the request and still read the answer.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => serve(socket, accounts, proxy))
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

function serve(socket: Socket, accounts: AccountService, proxy: ProxyService | undefined): void {
  socket.setTimeout(30_000, () => socket.destroy())
  socket.on('error', () => socket.destroy())
  readOneLine(socket, (frame) => {
    const parsed = frame.ok ? parseToolRequest(frame.line) : frame
    const reply = parsed.ok
      ? answer(parsed.request, accounts, proxy)
      : Promise.resolve<ToolReply>({ ok: false, code: 'BadRequest', message: parsed.message })
    void reply.then((r) => {
      if (!socket.destroyed) socket.end(`${JSON.stringify(r)}\n`)
    })
  })
}

async function answer(req: ToolRequest, accounts: AccountService, proxy?: ProxyService): Promise<ToolReply> {
  try {
    switch (req.cmd) {
      case 'status':
        // --check proves each session at the server (a refresh), as "Check all" does.
        return status(accounts, req.check ? await accounts.checkAll() : undefined)
      case 'token': {
        const a = pick(accounts, req.account)
        const vars = await tokenVars(accounts, a.did, req.minValidMs ?? DEFAULT_MIN_VALID_MS)
        return {
          ok: true,
          token: vars.ATP_ACCESS_JWT,
          expiresAt: accounts.get(a.did).accessExpiresAt ?? null,
          did: a.did,
        }
      }
      case 'env': {
        const a = pick(accounts, req.account)
        if (req.proxy) {
          const p = requireProxy(proxy)
          const vars = proxyVars(accounts, p, a.did)
          return { ok: true, vars, env: exportBlock(vars, keyNotes(accounts, p, a.did)), did: a.did }
        }
        const vars = await tokenVars(accounts, a.did, req.minValidMs ?? DEFAULT_MIN_VALID_MS)
        return { ok: true, vars, env: exportBlock(vars), did: a.did }
      }
      case 'switch': {
        const a = pick(accounts, req.account)
        await accounts.setActive(a.did)
        return { ok: true, did: a.did }
      }
      case 'proxy': {
        const p = requireProxy(proxy)
        const next = req.action === 'start' ? await p.start() : req.action === 'stop' ? await p.stop() : p.status()
        return { ok: true, proxy: next }
      }
      case 'service-auth': {
        const a = pick(accounts, req.account)
        const token = await serviceAuth(accountUpstream(accounts, a.did), req)
        return { ok: true, token, did: a.did }
      }
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

function requireProxy(proxy: ProxyService | undefined): ProxyService {
  if (!proxy) throw new SkyswitchError('NotAllowed', 'This Skyswitch has no proxy.')
  return proxy
}

function status(accounts: AccountService, checks?: CheckAllResult[]): ToolReply {
  const state = accounts.state()
  const byDid = new Map(checks?.map((c) => [c.did, c]))
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
      ...checkOf(byDid.get(a.did)),
    })),
  }
}

function checkOf(c: CheckAllResult | undefined): Pick<ToolAccount, 'checked' | 'checkError'> {
  if (!c) return {}
  return c.ok ? { checked: c.checked } : { checked: 'failed', checkError: c.error?.message }
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
