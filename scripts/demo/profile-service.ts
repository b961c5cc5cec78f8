/**
 * The light network has no AppView, so a PDS cannot answer
 * app.bsky.actor.getProfile. This loopback service stands in for that one
 * call: the PDSes proxy it here (their configured AppView), and it answers
 * from the account's own profile record and avatar blob on its PDS. The avatar
 * goes back as a data: URL, which the renderer's CSP allows (http: is not).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ProfileService {
  url: string
  did: string
  /** Which PDS hosts a DID (the demo registers each account it creates). */
  hosts: Map<string, { pdsUrl: string; handle: string }>
  close(): Promise<void>
}

export const PROFILE_SERVICE_DID = 'did:web:profiles.skyswitch-demo.test'

export async function startProfileService(): Promise<ProfileService> {
  const hosts = new Map<string, { pdsUrl: string; handle: string }>()
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const actor = url.searchParams.get('actor') ?? ''
    const host = hosts.get(actor)
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (url.pathname !== '/xrpc/app.bsky.actor.getProfile' || !host) {
      return reply(400, { error: 'InvalidRequest', message: 'Only getProfile of a demo account is served here.' })
    }
    profileOf(host.pdsUrl, actor)
      .then((p) => reply(200, { did: actor, handle: host.handle, ...p }))
      .catch(() => reply(404, { error: 'NotFound', message: 'Profile not found' }))
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    did: PROFILE_SERVICE_DID,
    hosts,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => ok())
      }),
  }
}

interface ProfileRecord {
  displayName?: string
  description?: string
  avatar?: { ref: { $link: string }; mimeType: string }
}

async function profileOf(pdsUrl: string, did: string): Promise<{ displayName?: string; avatar?: string }> {
  const rec = new URL('/xrpc/com.atproto.repo.getRecord', pdsUrl)
  rec.search = new URLSearchParams({ repo: did, collection: 'app.bsky.actor.profile', rkey: 'self' }).toString()
  const res = await fetch(rec)
  if (!res.ok) throw new Error(`getRecord ${res.status}`)
  const value = ((await res.json()) as { value: ProfileRecord }).value
  let avatar: string | undefined
  if (value.avatar) {
    const blob = new URL('/xrpc/com.atproto.sync.getBlob', pdsUrl)
    blob.search = new URLSearchParams({ did, cid: value.avatar.ref.$link }).toString()
    const b = await fetch(blob)
    if (b.ok) avatar = `data:${value.avatar.mimeType};base64,${Buffer.from(await b.arrayBuffer()).toString('base64')}`
  }
  return { displayName: value.displayName, avatar }
}
