/**
 * A real PLC + PDS (@atproto/dev-env) on loopback, and the admin calls tests
 * use to change an account's standing from outside Skyswitch.
 */
import type { Agent } from '@atproto/api'
import { TestNetworkNoAppView } from '@atproto/dev-env'

export interface TestAccount {
  handle: string
  did: string
  password: string
  email: string
}

export interface Network {
  pdsUrl: string
  plcUrl: string
  adminAuth: string
  /** Refresh tokens of `did` the PDS would still rotate: chain heads (never rotated), not expired. */
  liveSessions(did: string): Promise<number>
  /** Back to a fresh state between test runs: not taken down, active, no sessions. */
  resetAccount(did: string): Promise<void>
  /** A session issued by the PDS itself, as a login would, without the password check's cost. */
  issueSession(did: string): Promise<{ accessJwt: string; refreshJwt: string }>
  /** The account deactivates itself (what deactivateAccount does, minus the HTTP round trip). */
  deactivateAccount(did: string): Promise<void>
  close(): Promise<void>
}

/** `pds` overrides the test PDS's config (e.g. `blobUploadLimit`). */
export async function startNetwork(pds: Record<string, unknown> = {}): Promise<Network> {
  const net = await TestNetworkNoAppView.create({ pds })
  return {
    pdsUrl: net.pds.url,
    plcUrl: net.plc.url,
    adminAuth: net.pds.adminAuth(),
    liveSessions: async (did) => {
      const rows = await net.pds.ctx.accountManager.db.db
        .selectFrom('refresh_token')
        .where('did', '=', did)
        .where('nextId', 'is', null)
        .where('expiresAt', '>', new Date().toISOString())
        .select('id')
        .execute()
      return rows.length
    },
    resetAccount: async (d) => {
      const did = d as `did:${string}:${string}`
      const am = net.pds.ctx.accountManager
      const account = await am.getAccount(did, { includeDeactivated: true, includeTakenDown: true })
      if (account?.takedownRef) await am.takedownAccount(did, { applied: false })
      if (account?.deactivatedAt) await am.activateAccount(did)
      await am.db.db.deleteFrom('refresh_token').where('did', '=', did).execute()
    },
    issueSession: (d) => net.pds.ctx.accountManager.createSession(d as `did:${string}:${string}`, null),
    deactivateAccount: async (d) => {
      await net.pds.ctx.accountManager.deactivateAccount(d as `did:${string}:${string}`)
    },
    close: () => net.close(),
  }
}

let counter = 0

/** A fresh account; unique handles keep tests independent on one PDS. */
export async function createAccount(pdsUrl: string, prefix = 'user'): Promise<TestAccount> {
  counter++
  const handle = `${prefix}${counter}${Math.random().toString(36).slice(2, 7)}.test`
  const password = `pw-${Math.random().toString(36).slice(2)}`
  const email = `${handle}@example.com`
  const res = (await xrpc(pdsUrl, 'com.atproto.server.createAccount', { body: { handle, password, email } })) as {
    did: string
    refreshJwt: string
  }
  // Only sessions Skyswitch makes stay alive: tests count them.
  await revokeElsewhere(pdsUrl, res.refreshJwt)
  return { handle, did: res.did, password, email }
}

export async function xrpc(
  base: string,
  nsid: string,
  opts: { body?: unknown; auth?: string; params?: Record<string, string>; method?: 'GET' | 'POST' } = {},
): Promise<unknown> {
  const url = new URL(`/xrpc/${nsid}`, base)
  for (const [k, v] of Object.entries(opts.params ?? {})) url.searchParams.set(k, v)
  const method = opts.method ?? (opts.body === undefined && !nsid.includes('.server.') ? 'GET' : 'POST')
  const headers: Record<string, string> = {}
  if (opts.auth) headers.authorization = opts.auth
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  })
  const text = await res.text()
  const json: unknown = text ? JSON.parse(text) : {}
  if (!res.ok) {
    const e = json as { error?: string; message?: string }
    throw new Error(`${nsid} ${res.status} ${e.error ?? ''}: ${e.message ?? ''}`)
  }
  return json
}

export function adminTakedown(net: Pick<Network, 'pdsUrl' | 'adminAuth'>, did: string, applied = true) {
  return xrpc(net.pdsUrl, 'com.atproto.admin.updateSubjectStatus', {
    auth: net.adminAuth,
    body: {
      subject: { $type: 'com.atproto.admin.defs#repoRef', did },
      takedown: { applied, ref: applied ? 'test-takedown' : undefined },
    },
  })
}

export async function login(pdsUrl: string, a: TestAccount) {
  return (await xrpc(pdsUrl, 'com.atproto.server.createSession', {
    body: { identifier: a.handle, password: a.password },
  })) as { accessJwt: string; refreshJwt: string; did: string }
}

export async function deactivate(pdsUrl: string, a: TestAccount) {
  const s = await login(pdsUrl, a)
  await xrpc(pdsUrl, 'com.atproto.server.deactivateAccount', { auth: `Bearer ${s.accessJwt}`, body: {} })
  await revokeElsewhere(pdsUrl, s.refreshJwt)
}

export async function revokeElsewhere(pdsUrl: string, refreshJwt: string) {
  await xrpc(pdsUrl, 'com.atproto.server.deleteSession', { auth: `Bearer ${refreshJwt}`, method: 'POST' })
}

export function adminUpdatePassword(net: Pick<Network, 'pdsUrl' | 'adminAuth'>, did: string, password: string) {
  return xrpc(net.pdsUrl, 'com.atproto.admin.updateAccountPassword', { auth: net.adminAuth, body: { did, password } })
}

export function adminUpdateHandle(net: Pick<Network, 'pdsUrl' | 'adminAuth'>, did: string, handle: string) {
  return xrpc(net.pdsUrl, 'com.atproto.admin.updateAccountHandle', { auth: net.adminAuth, body: { did, handle } })
}

/** Uploads `data` as a blob with `agent` and references it from a record, so the PDS keeps it. */
export async function keepBlob(agent: Agent, did: string, data: Uint8Array) {
  const up = await agent.com.atproto.repo.uploadBlob(data, { encoding: 'application/octet-stream' })
  await agent.com.atproto.repo.createRecord({
    repo: did,
    collection: 'com.example.file',
    validate: false,
    record: { $type: 'com.example.file', file: up.data.blob },
  })
  return up.data.blob
}
