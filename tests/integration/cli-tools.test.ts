import { execFile, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { startToolEndpoint } from '../../src-main/core/cli/tool-endpoint'
import { tempDir } from '../support/core'
import { useNetwork } from '../support/harness'
import { adminUpdatePassword, createAccount, xrpc } from '../support/network'

const h = useNetwork()
const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'skyswitch.mjs')
const NODE = process.execPath

interface Result {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** The real `skyswitch` command; never throws. */
function cli(dataDir: string | null, args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((ok) => {
    const base = { ...process.env, ...env }
    if (dataDir) base.SKYSWITCH_DATA_DIR = dataDir
    else delete base.SKYSWITCH_DATA_DIR
    execFile(NODE, [BIN, ...args], { env: base }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; signal?: NodeJS.Signals }) | null
      ok({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr })
    })
  })
}

const dumpEnv = ['-e', 'process.stdout.write(JSON.stringify(process.env))']

async function running() {
  const { core, dir } = await h.core()
  const a = await createAccount(h.net.pdsUrl, 'exec')
  await core.accounts.login({ identifier: a.handle, password: a.password })
  const endpoint = await startToolEndpoint(dir, core.accounts, core.proxy)
  return { core, dir, a, close: () => endpoint.close() }
}

describe('skyswitch exec', () => {
  it('gives the child the environment, with a token valid for --min-valid that the PDS accepts', async () => {
    const { core, dir, a, close } = await running()
    const res = await cli(dir, ['exec', a.handle, '--min-valid', '30m', '--', NODE, ...dumpEnv])
    await close()
    expect(res.code).toBe(0)
    const env = JSON.parse(res.stdout) as Record<string, string>
    expect(env.ATP_DID).toBe(a.did)
    expect(env.ATP_HANDLE).toBe(a.handle)
    expect(env.ATP_PDS_URL).toBe(core.accounts.get(a.did).pdsUrl)
    expect(env.ATP_PDS_HOST).toBe(env.ATP_PDS_URL)
    expect(decodeJwt(env.ATP_ACCESS_JWT!).exp! * 1000 - Date.now()).toBeGreaterThan(30 * 60_000)
    const s = (await xrpc(h.net.pdsUrl, 'com.atproto.server.getSession', {
      auth: `Bearer ${env.ATP_ACCESS_JWT}`,
      method: 'GET',
    })) as { did: string }
    expect(s.did).toBe(a.did)
  })

  it('refuses a --min-valid no fresh token can meet, and requires --', async () => {
    const { dir, a, close } = await running()
    const long = await cli(dir, ['exec', a.handle, '--min-valid', '3h', '--', NODE, '-e', '0'])
    const noDashes = await cli(dir, ['exec', a.handle, NODE, '-e', '0'])
    await close()
    expect(long.code).toBe(5)
    expect(long.stderr).toContain('lasts only')
    expect(noDashes.code).toBe(64)
  })

  it('passes the exit code through, and prints nothing of its own on stdout', async () => {
    const { dir, close } = await running()
    const seven = await cli(dir, ['exec', '--', NODE, '-e', 'process.exit(7)'])
    const quiet = await cli(dir, ['exec', '--', NODE, '-e', 'process.stdout.write("only the child")'])
    const missing = await cli(dir, ['exec', '--', '/nonexistent/tool'])
    await close()
    expect(seven.code).toBe(7)
    expect(seven.stdout).toBe('')
    expect(quiet.stdout).toBe('only the child')
    expect(missing.code).toBe(127)
  })

  it('a child killed by a signal exits 128+n; SIGINT and SIGTERM are forwarded to the child', async () => {
    const { dir, close } = await running()
    const killed = await cli(dir, ['exec', '--', NODE, '-e', 'process.kill(process.pid, "SIGTERM")'])
    expect(killed.code).toBe(143)
    for (const [sig, code] of [
      ['SIGINT', 42],
      ['SIGTERM', 43],
    ] as const) {
      const script = `process.on('${sig}', () => { process.stdout.write('got ${sig}'); process.exit(${code}) });
        setInterval(() => {}, 1000); process.stdout.write('ready\\n')`
      const child = spawn(NODE, [BIN, 'exec', '--', NODE, '-e', script], {
        env: { ...process.env, SKYSWITCH_DATA_DIR: dir },
      })
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out === 'ready\n') child.kill(sig)
      })
      const exit = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
      expect(out).toBe(`ready\ngot ${sig}`)
      expect(exit).toBe(code)
    }
    await close()
  })

  it('--proxy: the child gets the proxy and the local key, and no token at all', async () => {
    const { core, dir, a, close } = await running()
    const tokens = core.vault.getTokens(a.did)!
    const script = `fetch(process.env.ATP_PDS_URL + '/xrpc/com.atproto.server.getSession',
      { headers: { authorization: 'Bearer ' + process.env.ATP_ACCESS_JWT } })
      .then((r) => r.json()).then((s) => process.stdout.write(JSON.stringify({ env: process.env, did: s.did })))`
    // Even a token already in the caller's environment does not reach the child.
    const res = await cli(dir, ['exec', a.did, '--proxy', '--', NODE, '-e', script], {
      ATP_ACCESS_JWT: tokens.accessJwt,
    })
    await close()
    expect(res.code).toBe(0)
    const { env, did } = JSON.parse(res.stdout) as { env: Record<string, string>; did: string }
    expect(did).toBe(a.did)
    expect(env.ATP_PDS_URL).toBe(core.proxy.status().url)
    expect(env.ATP_ACCESS_JWT).toBe(core.proxy.keyFor(a.did))
    const all = JSON.stringify(env)
    expect(all.includes(tokens.accessJwt.slice(-30))).toBe(false)
    expect(all.includes(tokens.refreshJwt.slice(-30))).toBe(false)
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/)
  })
})

describe('skyswitch proxy, env --proxy and service-auth', () => {
  it('proxy status|stop|start, and env --proxy prints the address and every local key', async () => {
    const { core, dir, a, close } = await running()
    const url = core.proxy.status().url!
    expect((await cli(dir, ['proxy', 'status'])).stdout).toBe(`running at ${url}\n`)
    const stopped = await cli(dir, ['proxy', 'stop'])
    expect(stopped.stdout).toBe('stopped\n')
    expect(core.proxy.status()).toMatchObject({ running: false, enabled: false })
    expect((await cli(dir, ['proxy', 'status'])).code).toBe(1)
    expect((await cli(dir, ['env', '--proxy'])).stderr).toContain('proxy start')
    expect((await cli(dir, ['proxy', 'start'])).stdout).toBe(`running at ${url}\n`)
    const env = await cli(dir, ['env', a.handle, '--proxy'])
    await close()
    expect(env.stdout).toContain(`export ATP_PDS_URL=${url}\n`)
    expect(env.stdout).toContain(`export ATP_ACCESS_JWT=${core.proxy.keyFor(a.did)}\n`)
    expect(env.stdout).toContain(core.proxy.keyFor('active'))
    expect(env.stdout).not.toContain(core.vault.getTokens(a.did)!.accessJwt.slice(-30))
  })

  it('service-auth prints a token for the audience and method asked', async () => {
    const { dir, a, close } = await running()
    const res = await cli(dir, [
      'service-auth',
      a.handle,
      '--aud',
      'did:web:feed.example.com',
      '--lxm',
      'app.bsky.feed.getFeedSkeleton',
      '--exp',
      '120',
    ])
    const noAud = await cli(dir, ['service-auth', a.handle])
    const badAud = await cli(dir, ['service-auth', '--aud', 'https://not-a-did'])
    await close()
    expect(res.code).toBe(0)
    const claims = decodeJwt(res.stdout.trim())
    expect(claims).toMatchObject({ iss: a.did, aud: 'did:web:feed.example.com', lxm: 'app.bsky.feed.getFeedSkeleton' })
    // The lifetime asked for, from the token's own times: Skyswitch sets exp, the PDS iat a moment later.
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(120)
    expect(claims.exp! - claims.iat!).toBeGreaterThan(60)
    expect(noAud.code).toBe(64)
    expect(badAud.code).toBe(64)
  })
})

describe('skyswitch status --check', () => {
  it('proves the session at the server: a password changed elsewhere shows as signed out at once', async () => {
    const { dir, a, close } = await running()
    const before = await cli(dir, ['status', '--check'])
    await adminUpdatePassword(h.net, a.did, 'changed-elsewhere-1')
    const plain = await cli(dir, ['status'])
    const checked = await cli(dir, ['status', '--check', '--json'])
    await close()
    expect(before.code).toBe(0)
    expect(before.stdout).toContain('checked: refresh')
    // Without --check the old access token still looks fine: that is why --check exists.
    expect(plain.code).toBe(0)
    expect(checked.code).toBe(1)
    const row = (JSON.parse(checked.stdout) as { accounts: { did: string; session: string; checked: string }[] })
      .accounts[0]!
    expect(row).toMatchObject({ did: a.did, session: 'signed-out', checked: 'failed' })
  })
})

describe('CLI exit codes', () => {
  it('--data-dir with no value is a usage error (64), not a crash', async () => {
    const res = await cli(null, ['status', '--data-dir'])
    expect(res.code).toBe(64)
    expect(res.stderr).toContain('--data-dir needs a value')
  })

  it('not running: exit 2', async () => {
    const res = await cli(tempDir(), ['status'])
    expect(res.code).toBe(2)
    expect(res.stderr).toContain('not running')
  })

  it('an endpoint that never answers is a timeout (5), not "not running" (2)', async () => {
    const dir = tempDir()
    const sockets: import('node:net').Socket[] = []
    const server = createServer((s) => void sockets.push(s))
    await import('node:fs').then((fs) => fs.mkdirSync(join(dir, 'run'), { recursive: true }))
    await new Promise<void>((ok) => server.listen(join(dir, 'run', 'skyswitch.sock'), () => ok()))
    const res = await cli(dir, ['status'], { SKYSWITCH_TIMEOUT_MS: '300' })
    for (const s of sockets) s.destroy()
    server.close()
    expect(res.code).toBe(5)
    expect(res.stderr).toContain('did not answer in time')
  })

  it('a reply that is not the protocol is a bad reply (5), not "not running" (2)', async () => {
    const dir = tempDir()
    const server = createServer((s) => s.end('<html>hello</html>\n'))
    await import('node:fs').then((fs) => fs.mkdirSync(join(dir, 'run'), { recursive: true }))
    await new Promise<void>((ok) => server.listen(join(dir, 'run', 'skyswitch.sock'), () => ok()))
    const res = await cli(dir, ['status'])
    server.close()
    expect(res.code).toBe(5)
    expect(res.stderr).toContain('does not understand')
  })

  it('a request over the size limit is refused with its reason (64), not a bad reply (5)', async () => {
    const { dir, close } = await running()
    const res = await cli(dir, ['switch', 'x'.repeat(100 * 1024)])
    await close()
    expect(res.code).toBe(64)
    expect(res.stderr).toContain('Request too large')
  })

  it('exec with an empty command is a usage error (64), not a stack trace', async () => {
    const { dir, close } = await running()
    const res = await cli(dir, ['exec', '--', ''])
    await close()
    expect(res.code).toBe(64)
    expect(res.stderr).toContain('exec needs -- before the command')
  })

  it('an answer without the field the command prints is a bad reply (5), not "undefined" or a crash', async () => {
    const dir = tempDir()
    const server = createServer((s) => s.end('{"ok":true}\n'))
    await import('node:fs').then((fs) => fs.mkdirSync(join(dir, 'run'), { recursive: true }))
    await new Promise<void>((ok) => server.listen(join(dir, 'run', 'skyswitch.sock'), () => ok()))
    const results = await Promise.all(
      [['token'], ['status'], ['env'], ['proxy', 'status'], ['exec', '--', NODE]].map((args) => cli(dir, args)),
    )
    server.close()
    for (const res of results) {
      expect(res.code).toBe(5)
      expect(res.stdout).toBe('')
      expect(res.stderr).toContain('does not understand')
    }
  })
})
