import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CallbackServer {
  /** http://127.0.0.1:<port>/callback */
  readonly redirectUri: string
  /** Resolves with the query of the first callback that carries our state. */
  readonly params: Promise<URLSearchParams>
  close(): void
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font-family:system-ui;margin:3rem"><h1>${title}</h1><p>${text}</p></body>`

/**
 * A one-shot loopback listener for one sign-in's redirect: 127.0.0.1 only,
 * a random port, GET /callback only. A callback whose `state` is not this
 * sign-in's is answered 400 and ignored, so a page elsewhere cannot end or
 * hijack the sign-in by sending the browser here. Only a top-level navigation
 * is accepted: requests made by scripts, images or frames (browsers mark them
 * with Sec-Fetch-Mode/Dest, or an Origin) and any other method are refused.
 */
export async function startCallbackServer(expectState: () => string | undefined): Promise<CallbackServer> {
  let deliver!: (p: URLSearchParams) => void
  const params = new Promise<URLSearchParams>((resolve) => (deliver = resolve))
  let done = false
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const send = (status: number, title: string, text: string) => {
      res.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      })
      res.end(PAGE(title, text))
    }
    const mode = req.headers['sec-fetch-mode']
    const dest = req.headers['sec-fetch-dest']
    const navigation = (mode === undefined || mode === 'navigate') && (dest === undefined || dest === 'document')
    if (req.method !== 'GET' || url.pathname !== '/callback' || req.headers.origin !== undefined || !navigation) {
      send(403, 'Not allowed', 'This address only accepts the sign-in redirect.')
      return
    }
    const state = url.searchParams.get('state')
    if (done || !state || state !== expectState()) {
      send(400, 'Unknown sign-in', 'This is not the sign-in Skyswitch is waiting for. Nothing was changed.')
      return
    }
    done = true
    const denied = url.searchParams.has('error')
    send(
      200,
      denied ? 'Sign-in not completed' : 'Signed in',
      denied ? 'Access was not granted. You can close this tab.' : 'You can close this tab and return to Skyswitch.',
    )
    deliver(url.searchParams)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    params,
    close: () => {
      server.close()
      server.closeAllConnections()
    },
  }
}
