/**
 * The proxy's own thread (see ./proxy-link): serves tools from its own
 * event loop, takes tokens from its table while they are current, and asks
 * main for everything else: a token when it has none (main refreshes first
 * if needed), what to do after an ExpiredToken, and every call of an OAuth
 * account (whose DPoP keys and tokens never leave main).
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads'
import type { ErrorCode } from '../../ipc/contract'
import { SkyswitchError } from '../errors'
import type { FetchHandler } from '../oauth/oauth-sessions'
import {
  type Ask,
  type ErrorShape,
  type FromThread,
  keyDigest,
  LinkTable,
  sharedNow,
  type SignAnswer,
  type ToThread,
} from './proxy-link'
import type { Upstream } from './upstream'
import { type Choice, type ProxyServer, startProxyServer } from './xrpc-proxy'

const port = parentPort as MessagePort
const shared = new Int32Array((workerData as { shared: SharedArrayBuffer }).shared)
const table = new LinkTable(() => Atomics.load(shared, 0), sharedNow)
const post = (msg: FromThread, transfer?: ArrayBuffer[]) => port.postMessage(msg, transfer)

let nextId = 1
const asked = new Map<number, { ok: (answer: { gen: number; value: unknown }) => void; fail: (e: Error) => void }>()
const answers = new Map<number, (msg: ToThread) => void>()

function ask(question: Ask): Promise<{ gen: number; value: unknown }> {
  const id = nextId++
  return new Promise((ok, fail) => {
    asked.set(id, { ok, fail })
    post({ t: 'ask', id, ...question })
  })
}

const asError = (e: ErrorShape) => new SkyswitchError(e.code as ErrorCode, e.message)

function passwordUpstream(did: string): Upstream {
  return {
    baseUrl: () => table.account(did)?.baseUrl ?? '',
    async sign({ minValidMs }) {
      let jwt = table.token(did, minValidMs)
      if (!jwt) {
        const { gen, value } = await ask({ op: 'sign', did, minValidMs })
        table.remember(did, gen, value as SignAnswer)
        jwt = (value as SignAnswer).accessJwt
      }
      return { headers: { authorization: `Bearer ${jwt}` }, credential: jwt }
    },
    async recover(answer, used) {
      // Any other refusal is the tool's to see; only an expired token is worth asking main about.
      if (answer.error !== 'ExpiredToken') return false
      table.forget(did)
      return (await ask({ op: 'recover', did, used: keyDigest(used.credential) })).value === true
    },
  }
}

/** An OAuth account's call, made by main; its answer streams back a chunk at a time. */
function oauthUpstream(did: string): Upstream {
  const send: FetchHandler = async (path, init = {}) => {
    const id = nextId++
    const body = init.body ? new Uint8Array(init.body as Buffer) : undefined
    const headers = [...new Headers(init.headers)]
    post(
      { t: 'fetch', id, did, path, method: init.method ?? 'GET', headers, body },
      body ? [body.buffer as ArrayBuffer] : [],
    )
    return new Promise<Response>((ok, fail) => {
      let controller: ReadableStreamDefaultController<Uint8Array> | undefined
      const stream = new ReadableStream<Uint8Array>({
        start: (c) => void (controller = c),
        pull: () => post({ t: 'more', id }),
        cancel: () => {
          answers.delete(id)
          post({ t: 'cancel', id })
        },
      })
      answers.set(id, (msg) => {
        if (msg.t === 'head') {
          const h = new Headers()
          for (const [k, v] of msg.headers) h.append(k, v)
          // fetch gives no body for the statuses that may not have one (204, 205, 304).
          ok(new Response(msg.hasBody ? stream : null, { status: msg.status, headers: h }))
        } else if (msg.t === 'chunk') controller?.enqueue(msg.data)
        else if (msg.t === 'end') {
          answers.delete(id)
          controller?.close()
        } else if (msg.t === 'failed') {
          answers.delete(id)
          const err = asError(msg.error)
          fail(err)
          controller?.error(err)
        }
      })
    })
  }
  return {
    baseUrl: () => table.account(did)?.baseUrl ?? '',
    sign: () => Promise.resolve({ headers: {}, credential: '' }),
    recover: () => Promise.resolve(false),
    send,
  }
}

const upstreams = new Map<string, Upstream>()

function choose(key: string | null): Choice | Promise<Choice> {
  // The active account may have just changed: catch up with main before following it.
  if (key && table.stale() && table.isActiveKey(key)) return ask({ op: 'sync' }).then(() => chooseNow(key))
  return chooseNow(key)
}

function chooseNow(key: string | null): Choice {
  if (!key) {
    return {
      ok: false,
      status: 401,
      error: 'AuthenticationRequired',
      message: 'Send a Skyswitch local key as the Bearer token (see `skyswitch env --proxy`).',
    }
  }
  const found = table.resolve(key)
  if (!found.ok) return { ok: false, status: 401, error: 'AuthenticationRequired', message: found.message }
  const { did, oauth } = found.account
  // Keyed by the kind of sign-in too: an account may switch between password and OAuth.
  const name = `${oauth ? 'oauth' : 'password'} ${did}`
  let up = upstreams.get(name)
  if (!up) {
    up = oauth ? oauthUpstream(did) : passwordUpstream(did)
    upstreams.set(name, up)
  }
  return { ok: true, upstream: up }
}

let server: ProxyServer | null = null

port.on('message', (msg: ToThread) => {
  // Whatever goes wrong with one message must not stop the thread (and every tool with it).
  try {
    receive(msg)
  } catch {
    const id = (msg as { id?: number }).id
    const waiting = id === undefined ? undefined : answers.get(id)
    if (id === undefined || !waiting) return
    answers.delete(id)
    post({ t: 'cancel', id })
    try {
      waiting({ t: 'failed', id, error: { code: 'Internal', message: 'Skyswitch could not relay this answer.' } })
    } catch {
      // Already answered: the tool's request ends with its stream.
    }
  }
})

function receive(msg: ToThread): void {
  switch (msg.t) {
    case 'state':
    case 'account':
    case 'busy':
      return table.apply(msg)
    case 'answer':
    case 'failed': {
      const waiting = asked.get(msg.id)
      if (waiting) {
        asked.delete(msg.id)
        if (msg.t === 'answer') waiting.ok({ gen: msg.gen, value: msg.value })
        else waiting.fail(asError(msg.error))
        return
      }
      return answers.get(msg.id)?.(msg)
    }
    case 'head':
    case 'chunk':
    case 'end':
      return answers.get(msg.id)?.(msg)
    case 'listen':
      return void startProxyServer({ choose, port: msg.port, onRefused: (reason) => post({ t: 'refused', reason }) })
        .then((s) => {
          server = s
          post({ t: 'listening', url: s.url, port: s.port })
        })
        .catch((err: unknown) => post({ t: 'listen-failed', message: String((err as Error)?.message ?? err) }))
    case 'close':
      return void (server?.close() ?? Promise.resolve()).then(() => {
        server = null
        post({ t: 'closed' })
      })
  }
}
