/**
 * The floor for `proxy_added_ms`: the least any Node HTTP proxy can add on
 * this machine. Forwards each call to the PDS with a fixed token and pipes the
 * answer back; no checks, no accounts. Sends its address to the parent.
 */
import { Agent, createServer, request } from 'node:http'

const [pdsUrl, accessJwt] = process.argv.slice(2) as [string, string]
const agent = new Agent({ keepAlive: true })
const server = createServer((req, res) => {
  const headers = { ...req.headers, authorization: `Bearer ${accessJwt}` }
  delete headers.host
  delete headers.connection
  const out = request(pdsUrl + req.url, { method: req.method, headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  out.on('error', () => res.destroy())
  req.pipe(out)
})
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number }
  process.send!({ url: `http://127.0.0.1:${port}` })
})
