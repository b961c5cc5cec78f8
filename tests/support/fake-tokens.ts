/** Unsigned JWT-shaped tokens for vault tests that need no server. */
export function fakeJwt(claims: Record<string, unknown> = {}): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  const body = { scope: 'com.atproto.access', iat: now, exp: now + 7200, jti: Math.random().toString(36), ...claims }
  return `${enc({ alg: 'HS256', typ: 'at+jwt' })}.${enc(body)}.${Buffer.from(Math.random().toString(36)).toString('base64url')}`
}

export function fakeTokens() {
  return {
    accessJwt: fakeJwt(),
    refreshJwt: fakeJwt({ scope: 'com.atproto.refresh', exp: Math.floor(Date.now() / 1000) + 90 * 86400 }),
  }
}

export function fakeMeta(i: number) {
  return {
    did: `did:plc:test${String(i).padStart(20, '0')}`,
    handle: `user${i}.test`,
    service: 'https://pds.example.com',
    pdsUrl: 'https://pds.example.com',
    hosting: 'active' as const,
    signedIn: true,
    scope: 'full' as const,
    accessExpiresAt: Date.now() + 7_200_000,
    refreshExpiresAt: Date.now() + 90 * 86_400_000,
  }
}
