#!/usr/bin/env node
// skyswitch: tokens for command-line tools from the running Skyswitch app.
//
//   skyswitch status [--json]        accounts with status and expiry (exit 1 if any needs attention)
//   skyswitch token [handle|did]     a currently valid access token, and nothing else, on stdout
//   skyswitch env [handle|did]       ATP_PDS_URL, ATP_HANDLE, ATP_DID, ATP_ACCESS_JWT as export lines
//   skyswitch switch <handle|did>    make an account the active one
//
// Exit codes: 0 ok, 1 an account needs attention (status), 2 Skyswitch is not
// running, 3 no such account, 4 the account is signed out, 5 other errors,
// 6 the account signs in with OAuth (its tokens are bound to the app: use the proxy), 64 usage.
import { connect } from 'node:net'
import { homedir, userInfo } from 'node:os'
import { join } from 'node:path'

const USAGE = 'usage: skyswitch status [--json] | token [account] | env [account] | switch <account>'

function dataDir(args) {
  const i = args.indexOf('--data-dir')
  if (i >= 0) {
    const dir = args[i + 1]
    args.splice(i, 2)
    return dir
  }
  if (process.env.SKYSWITCH_DATA_DIR) return process.env.SKYSWITCH_DATA_DIR
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Skyswitch')
  if (process.platform === 'win32') return join(process.env.APPDATA ?? homedir(), 'Skyswitch')
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Skyswitch')
}

function endpoint(dir) {
  return process.platform === 'win32'
    ? `\\\\.\\pipe\\skyswitch-${userInfo().username}`
    : join(dir, 'run', 'skyswitch.sock')
}

function ask(path, request) {
  return new Promise((resolve, reject) => {
    const socket = connect(path)
    let text = ''
    socket.setEncoding('utf8')
    socket.setTimeout(35_000, () => socket.destroy(new Error('timeout')))
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`))
    socket.on('data', (d) => (text += d))
    socket.on('end', () => {
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(new Error('bad reply'))
      }
    })
    socket.on('error', reject)
  })
}

function fail(message, code) {
  process.stderr.write(`skyswitch: ${message}\n`)
  process.exit(code)
}

function expiresIn(at) {
  if (!at) return '-'
  const min = Math.round((at - Date.now()) / 60_000)
  return min >= 0 ? `expires in ${min} min` : `expired ${-min} min ago`
}

const args = process.argv.slice(2)
const dir = dataDir(args)
const json = args.includes('--json')
const [cmd, account] = args.filter((a) => a !== '--json')
if (!['status', 'token', 'env', 'switch'].includes(cmd ?? '') || (cmd === 'switch' && !account)) fail(USAGE, 64)

let reply
try {
  reply = await ask(endpoint(dir), { cmd, account })
} catch {
  fail('Skyswitch is not running (start the app, then try again).', 2)
}
if (!reply.ok) {
  const codes = { NotFound: 3, SignedOut: 4, TokenBound: 6, BadRequest: 64 }
  fail(reply.message, codes[reply.code] ?? 5)
}

switch (cmd) {
  case 'status': {
    if (json) {
      process.stdout.write(`${JSON.stringify({ activeDid: reply.activeDid, accounts: reply.accounts }, null, 2)}\n`)
    } else if (reply.accounts.length === 0) {
      process.stdout.write('No accounts. Add one in Skyswitch.\n')
    } else {
      for (const a of reply.accounts) {
        const state = a.hosting !== 'active' ? a.hosting : a.session
        const mark = a.active ? '*' : ' '
        process.stdout.write(`${mark} ${a.handle}  ${a.did}  ${state}  ${expiresIn(a.accessExpiresAt)}\n`)
      }
    }
    process.exit(reply.accounts.some((a) => a.needsAttention) ? 1 : 0)
    break
  }
  case 'token':
    process.stdout.write(`${reply.token}\n`)
    break
  case 'env':
    process.stdout.write(reply.env)
    break
  case 'switch':
    process.stderr.write(`skyswitch: switched to ${reply.did}\n`)
    break
}
