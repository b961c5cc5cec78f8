import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { atprotoLoopbackClientMetadata, oauthClientMetadataSchema } from '@atproto/oauth-client-node'
import {
  builtInClientId,
  clientMetadata,
  LOOPBACK_REDIRECT,
  OAUTH_SCOPE,
} from '../../src-main/core/oauth/client-config'
import { metadataDocument } from '../../scripts/oauth-client-metadata'

const ROOT = resolve(import.meta.dirname, '..', '..')

describe('OAuth client configuration', () => {
  it('defaults to the loopback development client, which servers derive the same metadata for', () => {
    const meta = clientMetadata()
    expect(meta.client_id).toMatch(/^http:\/\/localhost\?/)
    expect(builtInClientId()).toBeUndefined()
    const derived = atprotoLoopbackClientMetadata(meta.client_id!)
    expect(derived.redirect_uris).toEqual([LOOPBACK_REDIRECT])
    expect(derived.scope).toBe(OAUTH_SCOPE)
    expect(meta).toMatchObject({ application_type: 'native', token_endpoint_auth_method: 'none' })
  })

  it('a production client_id gives a document atproto’s schema accepts, with a loopback redirect', () => {
    const id = 'https://skyswitch.example/oauth/client-metadata.json'
    const doc = JSON.parse(metadataDocument(id)) as Record<string, unknown>
    expect(oauthClientMetadataSchema.safeParse(doc).success).toBe(true)
    expect(doc).toMatchObject({
      client_id: id,
      client_uri: 'https://skyswitch.example',
      redirect_uris: [LOOPBACK_REDIRECT],
      dpop_bound_access_tokens: true,
      grant_types: ['authorization_code', 'refresh_token'],
    })
  })

  it.each(['http://skyswitch.example/meta.json', 'https://skyswitch.example/', 'not a url'])(
    'refuses %s as a production client_id',
    (id) => expect(() => clientMetadata(id)).toThrow(TypeError),
  )

  it('the script prints the document, and exits 64 without an id', async () => {
    const run = promisify(execFile)
    const tsx = resolve(ROOT, 'node_modules', '.bin', 'tsx')
    const { stdout } = await run(tsx, ['scripts/oauth-client-metadata.ts', 'https://a.example/c.json'], { cwd: ROOT })
    expect(JSON.parse(stdout)).toMatchObject({ client_id: 'https://a.example/c.json' })
    const env = { ...process.env, SKYSWITCH_OAUTH_CLIENT_ID: '' }
    await expect(run(tsx, ['scripts/oauth-client-metadata.ts'], { cwd: ROOT, env })).rejects.toMatchObject({ code: 64 })
  }, 30_000)
})
