import { buildAtprotoLoopbackClientId, type OAuthClientMetadataInput } from '@atproto/oauth-client-node'

/** Everything Skyswitch does with an account: the atproto scope and the transitional full access. */
export const OAUTH_SCOPE = 'atproto transition:generic'

/**
 * The registered redirect URI has no port: servers must accept any port on a
 * loopback IP (RFC 8252 §7.3), so each sign-in listens on a fresh random one.
 */
export const LOOPBACK_REDIRECT = 'http://127.0.0.1/callback'

/**
 * Public clients (no client secret, like every desktop app) get sessions that
 * end a fixed time after sign-in; two weeks on the reference server. Providers
 * do not say so in their replies, so the UI shows it as an estimate.
 */
export const PUBLIC_CLIENT_SESSION_MS = 14 * 24 * 60 * 60 * 1000

/**
 * The client metadata. Without a client_id this is atproto's loopback
 * development client (`http://localhost?...`), which servers may accept;
 * with one (an https URL) it must match the document served at that URL,
 * which `scripts/oauth-client-metadata.ts` generates from this same function.
 */
export function clientMetadata(clientId?: string): OAuthClientMetadataInput {
  const id = clientId ?? buildAtprotoLoopbackClientId({ scope: OAUTH_SCOPE, redirect_uris: [LOOPBACK_REDIRECT] })
  if (clientId !== undefined) assertProductionClientId(clientId)
  return {
    client_id: id,
    client_name: clientId ? 'Skyswitch' : undefined,
    client_uri: clientId ? new URL(clientId).origin : undefined,
    redirect_uris: [LOOPBACK_REDIRECT],
    scope: OAUTH_SCOPE,
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'none',
    application_type: 'native',
    dpop_bound_access_tokens: true,
  }
}

declare const __SKYSWITCH_OAUTH_CLIENT_ID__: string | undefined

/**
 * The production client_id baked in at build time (`SKYSWITCH_OAUTH_CLIENT_ID`
 * when running `npm run build`, see electron.vite.config.ts); undefined in
 * development builds, tests and browser mode, which use the loopback client.
 */
export function builtInClientId(): string | undefined {
  const id = typeof __SKYSWITCH_OAUTH_CLIENT_ID__ === 'string' ? __SKYSWITCH_OAUTH_CLIENT_ID__ : ''
  return id || undefined
}

/** A production client_id is an https URL with a path (where its metadata is served). */
export function assertProductionClientId(clientId: string): void {
  let url: URL
  try {
    url = new URL(clientId)
  } catch {
    throw new TypeError(`OAuth client_id ${clientId} is not a URL`)
  }
  if (url.protocol !== 'https:' || url.pathname === '/' || url.hash) {
    throw new TypeError(`OAuth client_id must be an https URL to a metadata document, got ${clientId}`)
  }
}
