/**
 * A real PLC + PDS (@atproto/dev-env) on loopback, and the admin calls tests
 * use to change an account's standing from outside Skyswitch.
 */
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
  close(): Promise<void>
}

/** `pds` overrides the test PDS's config (e.g. `blobUploadLimit`). */
export async function startNetwork(pds: Record<string, unknown> = {}): Promise<Network> {
  const net = await TestNetworkNoAppView.create({ pds })
  return {
    pdsUrl: net.pds.url,
    plcUrl: net.plc.url,
    adminAuth: net.pds.adminAuth(),
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
  const res = await xrpc(pdsUrl, 'com.atproto.server.createAccount', { body: { handle, password, email } })
  return { handle, did: (res as { did: string }).did, password, email }
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
}

export async function revokeElsewhere(pdsUrl: string, refreshJwt: string) {
  await xrpc(pdsUrl, 'com.atproto.server.deleteSession', { auth: `Bearer ${refreshJwt}`, method: 'POST' })
}
