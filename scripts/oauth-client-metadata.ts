/**
 * Writes the OAuth client metadata document for a production client_id.
 * Serve the output at exactly that URL (https, Content-Type
 * application/json), then build with the same id:
 *
 *   npx tsx scripts/oauth-client-metadata.ts https://example.com/skyswitch/client-metadata.json > client-metadata.json
 *   SKYSWITCH_OAUTH_CLIENT_ID=https://example.com/skyswitch/client-metadata.json npm run build
 */
import { oauthClientMetadataSchema } from '@atproto/oauth-client-node'
import { clientMetadata } from '../src-main/core/oauth/client-config'

export function metadataDocument(clientId: string): string {
  // Parsed by atproto's own schema, so a document that servers would reject never gets written.
  const doc = oauthClientMetadataSchema.parse(clientMetadata(clientId))
  return `${JSON.stringify(doc, null, 2)}\n`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const id = process.argv[2] ?? process.env.SKYSWITCH_OAUTH_CLIENT_ID
  if (!id) {
    process.stderr.write('usage: tsx scripts/oauth-client-metadata.ts <https client_id URL>\n')
    process.exit(64)
  }
  try {
    process.stdout.write(metadataDocument(id))
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`)
    process.exit(1)
  }
}
