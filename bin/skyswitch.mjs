#!/usr/bin/env node
// @ts-check
// skyswitch: credentials for command-line tools from the running Skyswitch app.
//
//   skyswitch status [--check] [--json]        accounts with status and expiry (exit 1 if any needs attention);
//                                              --check first proves each session at its server
//   skyswitch token [account] [--min-valid D]  a valid access token, and nothing else, on stdout
//   skyswitch env [account] [--proxy]          export lines: ATP_PDS_URL, ATP_PDS_HOST, ATP_HANDLE, ATP_DID, ATP_ACCESS_JWT
//   skyswitch exec [account] [--min-valid D] [--proxy] -- CMD ARGS...
//                                              runs CMD with that environment; its exit code is ours
//   skyswitch switch <account>                 make an account the active one
//   skyswitch proxy status|start|stop          the local XRPC proxy (status: exit 1 when stopped)
//   skyswitch service-auth [account] --aud DID [--lxm NSID] [--exp SECONDS]
//
// An account is a handle or a DID; without one, the active account. D is a
// duration like 90s, 30m or 1h (default 5m). --proxy hands out the proxy's
// address and the account's local key instead of a token.
//
// Exit codes: 0 ok, 1 needs attention (status) or proxy stopped, 2 Skyswitch is
// not running, 3 no such account, 4 the account is signed out, 5 other errors
// (including a timeout or a reply that makes no sense), 6 the account signs in
// with OAuth (its tokens are bound to the app: use the proxy), 64 usage.
// exec passes CMD's exit code through (a signal as 128+n; 127 if CMD is not found).
//
// Plain JavaScript so it runs from a source tree with no build step; `// @ts-check`
// and the JSDoc types below make `npm run typecheck` check it against the
// protocol in src-main/core/cli/tool-protocol.ts (type-only imports: nothing of
// the app is loaded at run time).
import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { constants, homedir, userInfo } from 'node:os'
import { join } from 'node:path'

/** @typedef {import('../src-main/core/cli/tool-protocol').ToolRequest} ToolRequest */
/** @typedef {import('../src-main/core/cli/tool-protocol').ToolReply} ToolReply */
/** @typedef {Extract<ToolReply, { ok: true }>} ToolAnswer */
/** @typedef {import('../src-main/core/cli/tool-protocol').ToolErrorCode} ToolErrorCode */
/** @typedef {{ values: Record<string, string>, switches: Set<string> }} Flags */

const USAGE = `usage: skyswitch status [--check] [--json]
       skyswitch token [account] [--min-valid 5m]
       skyswitch env [account] [--proxy] [--min-valid 5m]
       skyswitch exec [account] [--min-valid 5m] [--proxy] -- CMD ARGS...
       skyswitch switch <account>
       skyswitch proxy status|start|stop
       skyswitch service-auth [account] --aud DID [--lxm NSID] [--exp SECONDS]
options: --data-dir DIR (or SKYSWITCH_DATA_DIR)`

const EXIT = { ok: 0, attention: 1, notRunning: 2, notFound: 3, signedOut: 4, failed: 5, tokenBound: 6, usage: 64 }

/** @type {Partial<Record<ToolErrorCode, number>>} */
const EXIT_FOR = {
  NotFound: EXIT.notFound,
  SignedOut: EXIT.signedOut,
  TokenBound: EXIT.tokenBound,
  BadRequest: EXIT.usage,
}

const NOT_UNDERSTOOD = 'Skyswitch sent a reply this command does not understand (a different version?).'

/**
 * @param {string} message
 * @param {number} code
 * @returns {never}
 */
function fail(message, code) {
  process.stderr.write(`skyswitch: ${message}\n`)
  process.exit(code)
}

/**
 * Splits argv into positionals, flags and (for exec) the command after `--`.
 * @param {string[]} argv
 * @returns {{ flags: Flags, positional: string[], command: string[] | null }}
 */
function parse(argv) {
  const dashes = argv.indexOf('--')
  const own = dashes >= 0 ? argv.slice(0, dashes) : argv
  const command = dashes >= 0 ? argv.slice(dashes + 1) : null
  const takesValue = new Set(['--data-dir', '--min-valid', '--aud', '--lxm', '--exp'])
  const switchNames = new Set(['--json', '--proxy', '--check', '--help', '-h'])
  /** @type {Flags} */
  const flags = { values: {}, switches: new Set() }
  const positional = []
  const args = own[Symbol.iterator]()
  for (const a of args) {
    if (takesValue.has(a)) {
      const v = args.next().value
      if (v === undefined || v.startsWith('--')) fail(`${a} needs a value\n${USAGE}`, EXIT.usage)
      flags.values[a.slice(2)] = v
    } else if (switchNames.has(a)) flags.switches.add(a.replace(/^-+/, ''))
    else if (a.startsWith('-')) fail(`unknown option ${a}\n${USAGE}`, EXIT.usage)
    else positional.push(a)
  }
  return { flags, positional, command }
}

/** @param {string} text */
function duration(text) {
  const m = /^(\d+)(s|m|h)?$/.exec(text)
  if (!m) fail(`--min-valid takes a duration like 90s, 30m or 1h, not ${text}`, EXIT.usage)
  return Number(m[1]) * (m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000)
}

/** @param {Flags} flags */
function dataDir(flags) {
  const given = flags.values['data-dir'] ?? process.env.SKYSWITCH_DATA_DIR
  if (given) return given
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Skyswitch')
  if (process.platform === 'win32') return join(process.env.APPDATA ?? homedir(), 'Skyswitch')
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Skyswitch')
}

/** @param {string} dir */
function endpoint(dir) {
  return process.platform === 'win32'
    ? `\\\\.\\pipe\\skyswitch-${userInfo().username}`
    : join(dir, 'run', 'skyswitch.sock')
}

class NotRunning extends Error {}

/**
 * One request, one reply line. Connection refused or no socket: not running; anything else: failed.
 * @param {string} path
 * @param {ToolRequest} request
 * @returns {Promise<ToolReply>}
 */
function ask(path, request) {
  const timeoutMs = Number(process.env.SKYSWITCH_TIMEOUT_MS) || 35_000
  return new Promise((resolve, reject) => {
    const socket = connect(path)
    let text = ''
    let connected = false
    socket.setEncoding('utf8')
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('Skyswitch did not answer in time.')))
    socket.on('connect', () => {
      connected = true
      socket.write(`${JSON.stringify(request)}\n`)
    })
    socket.on('data', (/** @type {string} */ d) => (text += d))
    socket.on('end', () => {
      const line = text.split('\n')[0] ?? ''
      try {
        const reply = JSON.parse(line)
        if (reply && typeof reply === 'object' && typeof reply.ok === 'boolean') return resolve(reply)
      } catch {
        // Falls through to the error below.
      }
      reject(new Error(NOT_UNDERSTOOD))
    })
    socket.on('error', (/** @type {NodeJS.ErrnoException} */ err) => {
      if (!connected && ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(err.code ?? '')) reject(new NotRunning())
      else reject(err)
    })
  })
}

/**
 * Asks, and exits with the reply's exit code unless it is an answer.
 * @param {Flags} flags
 * @param {ToolRequest} req
 * @returns {Promise<ToolAnswer>}
 */
async function request(flags, req) {
  const reply = await ask(endpoint(dataDir(flags)), req).catch((/** @type {unknown} */ err) => {
    if (err instanceof NotRunning) fail('Skyswitch is not running (start the app, then try again).', EXIT.notRunning)
    return fail(err instanceof Error ? err.message : NOT_UNDERSTOOD, EXIT.failed)
  })
  if (!reply.ok) fail(reply.message, EXIT_FOR[reply.code] ?? EXIT.failed)
  return reply
}

/**
 * A field the command's answer must carry; an answer without it is not understood.
 * @template T
 * @param {T | undefined} value
 * @returns {T}
 */
function need(value) {
  if (value === undefined) fail(NOT_UNDERSTOOD, EXIT.failed)
  return value
}

/** @param {number | null} at */
function expiresIn(at) {
  if (!at) return '-'
  const min = Math.round((at - Date.now()) / 60_000)
  return min >= 0 ? `expires in ${min} min` : `expired ${-min} min ago`
}

/**
 * Runs CMD with the variables; forwards SIGINT/SIGTERM/SIGHUP; exits as CMD did.
 * @param {string} file
 * @param {string[]} args
 * @param {Record<string, string>} vars
 */
function exec(file, args, vars) {
  const env = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('ATP_')) delete env[k]
  Object.assign(env, vars)
  const child = spawn(file, args, { stdio: 'inherit', env })
  /** @type {NodeJS.Signals[]} */
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']
  const handlers = signals.map((sig) => /** @type {const} */ ([sig, () => child.kill(sig)]))
  for (const [sig, h] of handlers) process.on(sig, h)
  child.on('error', (/** @type {NodeJS.ErrnoException} */ err) =>
    fail(`cannot run ${file}: ${err.code ?? err.message}`, err.code === 'ENOENT' ? 127 : 126),
  )
  child.on('exit', (code, signal) => {
    for (const [sig, h] of handlers) process.off(sig, h)
    if (signal) process.exit(128 + (constants.signals[signal] ?? 0))
    process.exit(code ?? EXIT.failed)
  })
}

const { flags, positional, command } = parse(process.argv.slice(2))
const [cmd, ...rest] = positional
const on = (/** @type {string} */ name) => flags.switches.has(name)
if (on('help') || on('h')) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
const account = rest[0]
const minValid = flags.values['min-valid']
const minValidMs = minValid ? duration(minValid) : undefined
if (rest.length > 1 || (command && cmd !== 'exec')) fail(USAGE, EXIT.usage)

switch (cmd) {
  case 'status': {
    if (account) fail(USAGE, EXIT.usage)
    const reply = await request(flags, { cmd: 'status', check: on('check') })
    const accounts = need(reply.accounts)
    if (on('json')) {
      process.stdout.write(`${JSON.stringify({ activeDid: reply.activeDid, accounts }, null, 2)}\n`)
    } else if (accounts.length === 0) {
      process.stdout.write('No accounts. Add one in Skyswitch.\n')
    } else {
      for (const a of accounts) {
        const state = a.hosting !== 'active' ? a.hosting : a.session
        const mark = a.active ? '*' : ' '
        const checked = a.checked ? `  checked: ${a.checked === 'failed' ? `failed (${a.checkError})` : a.checked}` : ''
        process.stdout.write(`${mark} ${a.handle}  ${a.did}  ${state}  ${expiresIn(a.accessExpiresAt)}${checked}\n`)
      }
    }
    process.exit(accounts.some((a) => a.needsAttention) ? EXIT.attention : EXIT.ok)
    break
  }
  case 'token': {
    const reply = await request(flags, { cmd: 'token', account, minValidMs })
    process.stdout.write(`${need(reply.token)}\n`)
    break
  }
  case 'env': {
    const reply = await request(flags, { cmd: 'env', account, minValidMs, proxy: on('proxy') })
    process.stdout.write(need(reply.env))
    break
  }
  case 'exec': {
    const [file, ...args] = command ?? []
    if (!file) fail(`exec needs -- before the command\n${USAGE}`, EXIT.usage)
    const reply = await request(flags, { cmd: 'env', account, minValidMs, proxy: on('proxy') })
    exec(file, args, need(reply.vars))
    break
  }
  case 'switch': {
    if (!account) fail(USAGE, EXIT.usage)
    const reply = await request(flags, { cmd: 'switch', account })
    process.stderr.write(`skyswitch: switched to ${reply.did}\n`)
    break
  }
  case 'proxy': {
    const action = /** @type {const} */ (['status', 'start', 'stop']).find((x) => x === account)
    if (!action) fail(USAGE, EXIT.usage)
    const proxy = need((await request(flags, { cmd: 'proxy', action })).proxy)
    process.stdout.write(proxy.running ? `running at ${proxy.url}\n` : 'stopped\n')
    process.exit(proxy.running || action === 'stop' ? EXIT.ok : EXIT.attention)
    break
  }
  case 'service-auth': {
    const aud = flags.values.aud
    if (!aud) fail(`service-auth needs --aud DID\n${USAGE}`, EXIT.usage)
    const exp = flags.values.exp === undefined ? undefined : Number(flags.values.exp)
    if (exp !== undefined && !(Number.isInteger(exp) && exp > 0)) fail('--exp takes a number of seconds', EXIT.usage)
    const reply = await request(flags, { cmd: 'service-auth', account, aud, lxm: flags.values.lxm, expSeconds: exp })
    process.stdout.write(`${need(reply.token)}\n`)
    break
  }
  default:
    fail(USAGE, EXIT.usage)
}
