/**
 * Demo accounts made the way a person's are: createAccount on the PDS, then a
 * profile record with a display name and an uploaded avatar blob.
 */
import { xrpc } from '../../tests/support/network'
import { avatarPng } from './avatars'
import type { DemoPds } from './network'
import type { ProfileService } from './profile-service'

/** Every demo account shares this password, so "Sign in again" can be tried by hand. */
export const DEMO_PASSWORD = 'demo-password'

export interface AccountSpec {
  /** The part before `.test`. */
  name: string
  displayName: string
  description?: string
  /** Avatar colour; none gives the initials avatar. */
  hue?: number
}

export interface DemoAccount {
  handle: string
  did: string
  password: string
  displayName: string
  pds: DemoPds
}

export async function createDemoAccount(
  pds: DemoPds,
  spec: AccountSpec,
  profiles?: ProfileService,
): Promise<DemoAccount> {
  const handle = `${spec.name}.test`
  const created = (await xrpc(pds.url, 'com.atproto.server.createAccount', {
    body: { handle, password: DEMO_PASSWORD, email: `${spec.name}@example.com` },
  })) as { did: string; accessJwt: string }
  // The light network's profile stand-in answers for the accounts it knows.
  profiles?.hosts.set(created.did, { pdsUrl: pds.url, handle })
  const auth = `Bearer ${created.accessJwt}`
  let avatar: unknown
  if (spec.hue !== undefined) {
    const res = await fetch(new URL('/xrpc/com.atproto.repo.uploadBlob', pds.url), {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'image/png' },
      body: new Uint8Array(await avatarPng(spec.hue)),
    })
    if (!res.ok) throw new Error(`uploadBlob ${res.status}: ${await res.text()}`)
    avatar = ((await res.json()) as { blob: unknown }).blob
  }
  await xrpc(pds.url, 'com.atproto.repo.putRecord', {
    auth,
    body: {
      repo: created.did,
      collection: 'app.bsky.actor.profile',
      rkey: 'self',
      record: {
        $type: 'app.bsky.actor.profile',
        displayName: spec.displayName,
        description: spec.description,
        avatar,
      },
    },
  })
  return { handle, did: created.did, password: DEMO_PASSWORD, displayName: spec.displayName, pds }
}
