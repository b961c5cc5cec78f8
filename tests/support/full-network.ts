/**
 * The real Bluesky stack on loopback: @atproto/dev-env's full TestNetwork
 * (PLC, PDS, AppView, Ozone) on a throwaway PostgreSQL + Redis, an optional
 * second PDS the AppView also indexes, and the moderation and social calls
 * tests use. Start one per test file: it takes seconds, not milliseconds.
 */
import { TestNetwork, TestPds, type ModeratorClient } from '@atproto/dev-env'
import { RepoSubscription } from '@atproto/bsky'
import { createAccount, type TestAccount, xrpc } from './network'
import { freePort, type PgRedis, startPgRedis } from './pg-redis'

export interface FullNetwork {
  pdsUrl: string
  plcUrl: string
  appviewUrl: string
  adminAuth: string
  net: TestNetwork
  /** Lets the AppView (and Ozone) index everything written so far. */
  settle(): Promise<void>
  /** A second PDS on the same PLC and AppView (accounts there never touch the first). */
  secondPds(): Promise<string>
  close(): Promise<void>
}

export async function startFullNetwork(): Promise<FullNetwork> {
  const db = await startPgRedis()
  process.env.REDIS_HOST = db.redisHost
  const bskyPort = await freePort()
  const img = `http://localhost:${bskyPort}/img`
  let net: TestNetwork
  try {
    net = await TestNetwork.create({
      dbPostgresUrl: db.postgresUrl,
      dbPostgresSchema: `skyswitch_${randomLetters()}`,
      // Avatars are served by the AppView's own image path, as the app loads them.
      bsky: { port: bskyPort, publicUrl: `http://localhost:${bskyPort}` },
      pds: { bskyAppViewCdnUrlPattern: `${img}/%s/plain/%s/%s` },
    })
  } catch (err) {
    await db.stop()
    throw err
  }
  const extra: { pds: TestPds; sub: RepoSubscription }[] = []
  // dev-env's own hooks: each PDS's background queue, then the AppView's subscription until its
  // cursor has reached that PDS's last sequenced event (an event still on the wire is waited for).
  const settle = async () => {
    for (const e of extra) {
      await e.pds.processAll()
      await caughtUp(e.sub, () => e.pds.ctx.sequencer.curr())
    }
    await net.processAll(SETTLE_LIMIT_MS)
  }
  return {
    pdsUrl: net.pds.url,
    plcUrl: net.plc.url,
    appviewUrl: net.bsky.url,
    adminAuth: net.pds.adminAuth(),
    net,
    settle,
    async secondPds() {
      const pds = await TestPds.create({
        didPlcUrl: net.plc.url,
        bskyAppViewUrl: net.bsky.url,
        bskyAppViewDid: net.bsky.ctx.cfg.serverDid,
        bskyAppViewCdnUrlPattern: `${img}/%s/plain/%s/%s`,
        modServiceUrl: net.ozone.url,
        modServiceDid: net.ozone.ctx.cfg.service.did,
      })
      // The AppView follows this PDS's firehose too, and resolves its handles there.
      const sub = new RepoSubscription({
        service: `ws://localhost:${pds.port}`,
        db: net.bsky.db,
        idResolver: net.bsky.dataplane.idResolver,
      })
      void sub.start()
      for (const resolver of [net.bsky.ctx.idResolver, net.bsky.dataplane.idResolver]) {
        const first = resolver.handle.resolve.bind(resolver.handle)
        resolver.handle.resolve = async (handle: string) =>
          (await first(handle)) ?? (await wellKnownDid(pds.url, handle))
      }
      extra.push({ pds, sub })
      return pds.url
    },
    async close() {
      try {
        for (const e of extra) {
          await e.sub.destroy()
          await e.pds.close()
        }
        await net.close()
      } finally {
        await db.stop()
      }
    },
  }
}

/**
 * Only a stuck network reaches this: dev-env's own wait gives up after 5 s by default, which a
 * machine busy with a second test run can take just to index a few records.
 */
const SETTLE_LIMIT_MS = 60_000

/** What TestNetwork.processFullSubscription does for its own PDS, for a PDS added to it. */
async function caughtUp(sub: RepoSubscription, last: () => Promise<number | null>): Promise<void> {
  const target = await last()
  if (!target || !sub.running) return
  const deadline = Date.now() + SETTLE_LIMIT_MS
  for (;;) {
    await sub.processAll()
    const cursor = await sub.getCursor()
    if (cursor && cursor >= target) return
    if (Date.now() > deadline) throw new Error(`the AppView did not index event ${target} of the second PDS`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Schema names may only hold letters and underscores. */
function randomLetters(): string {
  return Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')
}

async function wellKnownDid(pdsUrl: string, handle: string): Promise<string | undefined> {
  const { request } = await import('undici')
  try {
    const res = await request(new URL('/.well-known/atproto-did', pdsUrl), { headers: { host: handle } })
    if (res.statusCode !== 200) {
      await res.body.dump()
      return undefined
    }
    return (await res.body.text()).trim()
  } catch {
    return undefined
  }
}

export interface Session {
  did: string
  accessJwt: string
  pdsUrl: string
}

export async function sessionOf(pdsUrl: string, a: TestAccount): Promise<Session> {
  const s = (await xrpc(pdsUrl, 'com.atproto.server.createSession', {
    body: { identifier: a.handle, password: a.password },
  })) as { did: string; accessJwt: string }
  return { did: s.did, accessJwt: s.accessJwt, pdsUrl }
}

const auth = (s: Session) => `Bearer ${s.accessJwt}`

/** An account with a real profile record: display name and an uploaded avatar blob. */
export async function createProfiledAccount(
  pdsUrl: string,
  prefix: string,
  displayName: string,
  avatarPng?: Uint8Array,
): Promise<TestAccount> {
  const a = await createAccount(pdsUrl, prefix)
  const s = await sessionOf(pdsUrl, a)
  let avatar: unknown
  if (avatarPng) {
    const res = await fetch(new URL('/xrpc/com.atproto.repo.uploadBlob', pdsUrl), {
      method: 'POST',
      headers: { authorization: auth(s), 'content-type': 'image/png' },
      body: new Uint8Array(avatarPng),
    })
    if (!res.ok) throw new Error(`uploadBlob ${res.status}: ${await res.text()}`)
    avatar = ((await res.json()) as { blob: unknown }).blob
  }
  await xrpc(pdsUrl, 'com.atproto.repo.putRecord', {
    auth: auth(s),
    body: {
      repo: s.did,
      collection: 'app.bsky.actor.profile',
      rkey: 'self',
      record: { $type: 'app.bsky.actor.profile', displayName, ...(avatar ? { avatar } : {}) },
    },
  })
  return a
}

export interface PostRef {
  uri: string
  cid: string
}

export async function post(s: Session, text: string, reply?: { root: PostRef; parent: PostRef }): Promise<PostRef> {
  return (await xrpc(s.pdsUrl, 'com.atproto.repo.createRecord', {
    auth: auth(s),
    body: {
      repo: s.did,
      collection: 'app.bsky.feed.post',
      record: { $type: 'app.bsky.feed.post', text, createdAt: new Date().toISOString(), ...(reply ? { reply } : {}) },
    },
  })) as PostRef
}

export async function like(s: Session, subject: PostRef): Promise<void> {
  await xrpc(s.pdsUrl, 'com.atproto.repo.createRecord', {
    auth: auth(s),
    body: {
      repo: s.did,
      collection: 'app.bsky.feed.like',
      record: { $type: 'app.bsky.feed.like', subject, createdAt: new Date().toISOString() },
    },
  })
}

/** What the AppView itself says, asked through the account's own PDS. */
export async function unreadCount(s: Session): Promise<number> {
  const r = (await xrpc(s.pdsUrl, 'app.bsky.notification.getUnreadCount', { auth: auth(s) })) as { count: number }
  return r.count
}

const mod = (full: FullNetwork): ModeratorClient => full.net.ozone.getModClient()

/** An Ozone takedown that only the AppView applies: the PDS keeps hosting the account. */
export async function ozoneTakedown(full: FullNetwork, did: string): Promise<void> {
  await mod(full).emitEvent({
    event: { $type: 'tools.ozone.moderation.defs#modEventTakedown', targetServices: ['appview'] },
    subject: { $type: 'com.atproto.admin.defs#repoRef', did },
  })
  await full.settle()
}

/**
 * An Ozone label on the account itself (e.g. '!hide', '!warn'). dev-env's
 * AppView does not follow Ozone's label stream, so the labels Ozone publishes
 * (com.atproto.label.queryLabels) are copied into the AppView's label table,
 * as its label ingester would in production.
 */
export async function ozoneLabel(full: FullNetwork, did: string, label: string): Promise<void> {
  await mod(full).emitEvent({
    event: { $type: 'tools.ozone.moderation.defs#modEventLabel', createLabelVals: [label], negateLabelVals: [] },
    subject: { $type: 'com.atproto.admin.defs#repoRef', did },
  })
  await full.settle()
  const { labels } = (await xrpc(full.net.ozone.url, 'com.atproto.label.queryLabels', {
    params: { uriPatterns: did },
  })) as { labels: { src: string; uri: string; cid?: string; val: string; cts: string; neg?: boolean }[] }
  const published = labels.filter((l) => l.val === label)
  if (published.length === 0) throw new Error(`Ozone did not publish ${label} on ${did}`)
  await full.net.bsky.db.db
    .insertInto('label')
    .values(published.map((l) => ({ src: l.src, uri: l.uri, cid: l.cid ?? '', val: l.val, cts: l.cts, neg: !!l.neg })))
    .execute()
}

/** A small PNG of one colour, for avatars. */
export async function solidPng(r: number, g: number, b: number): Promise<Uint8Array> {
  const sharp = (await import('sharp')).default
  return sharp({ create: { width: 64, height: 64, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer()
}

export type { PgRedis }
