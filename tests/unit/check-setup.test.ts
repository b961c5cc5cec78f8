/**
 * scripts/check-setup.mjs, the check every npm script runs first: a wrong Node,
 * a native module built for another Node, missing test programs or a missing
 * Electron binary each end in one message and exit 1, never a stack trace.
 * The script is driven through its inputs (a faked Node version, a project root
 * with stand-in modules) so no other Node has to be installed.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

import pkg from '../../package.json'

const SCRIPT = resolve(__dirname, '../../scripts/check-setup.mjs')
const STACK = /^\s+at .+\(?.*:\d+:\d+\)?$/m

const temps: string[] = []
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
})

function run(args: string[], env: Record<string, string> = {}, node = process.execPath) {
  const r = spawnSync(node, [SCRIPT, ...args], {
    encoding: 'utf8',
    // npm run passes npm's nodedir on; a test sets it only where it is the subject.
    env: { ...process.env, SKYSWITCH_CHECK_NODE_VERSION: '', npm_config_nodedir: '', ...env },
  })
  return { code: r.status, err: r.stderr, out: r.stdout }
}

/** A project directory with the given files (path -> content; executable when the path ends in '*'). */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'skyswitch-check-'))
  temps.push(root)
  const all = { 'package.json': JSON.stringify({ engines: { node: '>=18' } }), ...files }
  for (const [name, body] of Object.entries(all)) {
    const path = join(root, name.replace(/\*$/, ''))
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, body)
    if (name.endsWith('*')) chmodSync(path, 0o755)
  }
  return root
}
const INSTALLED = { 'node_modules/.package-lock.json': '{}' }

/** What Node prints when a .node file was built for another ABI (copied from Node 20 loading a Node 22 build). */
const abiError = (built: number, here: number) =>
  `const e = new Error("The module '/x/better_sqlite3.node'\\nwas compiled against a different Node.js version using\\n` +
  `NODE_MODULE_VERSION ${built}. This version of Node.js requires\\nNODE_MODULE_VERSION ${here}. Please try re-compiling");` +
  `e.code = 'ERR_DLOPEN_FAILED'; throw e`

describe('Node version', () => {
  it('stops an older Node with the version found, the one needed from "engines", and how to get it', () => {
    const r = run([], { SKYSWITCH_CHECK_NODE_VERSION: 'v20.20.2' })
    expect(r.code).toBe(1)
    expect(r.err).toContain('This is Node v20.20.2')
    expect(r.err).toContain(`needs Node ${pkg.engines.node}\n`)
    expect(r.err).toContain('(package.json "engines")')
    expect(r.err).toContain('nvm install 22')
    expect(r.err).toContain('https://nodejs.org/')
    expect(r.err).toContain('rm -rf node_modules && npm ci')
    expect(r.err).not.toMatch(STACK)
    expect(r.out).toBe('')
  })

  it('reads the version needed from package.json, not from itself', () => {
    const root = project({ 'package.json': JSON.stringify({ engines: { node: '>=99.1' } }), ...INSTALLED })
    const r = run([], { SKYSWITCH_CHECK_ROOT: root })
    expect(r.code).toBe(1)
    expect(r.err).toContain('needs Node >=99.1')
    expect(r.err).toContain('nvm install 99')
  })

  it('reads a range of several sets: the first of each passes, the one before and the odd releases stop', () => {
    const root = project({
      'package.json': JSON.stringify({ engines: { node: '^22.19.0 || ^24.0.0 || >=26.0.0' } }),
      ...INSTALLED,
    })
    const code = (v: string) => run([], { SKYSWITCH_CHECK_ROOT: root, SKYSWITCH_CHECK_NODE_VERSION: v }).code
    for (const v of ['v22.19.0', 'v22.23.5', 'v24.0.0', 'v26.1.0']) expect(code(v), v).toBe(0)
    for (const v of ['v18.20.0', 'v22.18.9', 'v23.11.0', 'v25.2.0']) expect(code(v), v).toBe(1)
  })

  it('lets this Node through in this project', () => {
    const here = run([])
    expect(here.err).toBe('')
    expect(here.code).toBe(0)
  })

  const oldNode = '/usr/bin/node'
  const oldMajor = existsSync(oldNode)
    ? Number(spawnSync(oldNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.split('.')[0])
    : 0
  it.runIf(oldMajor > 0 && oldMajor < 22)(`really run by ${oldNode} (Node ${oldMajor})`, () => {
    const r = run(['--native', '--test-tools'], {}, oldNode)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(new RegExp(`This is Node v${oldMajor}\\.\\d+\\.\\d+ \\(${oldNode}\\)`))
    expect(r.err).not.toMatch(STACK)
  })

  it.runIf(oldMajor > 0 && oldMajor < 22)(
    `really loads this project's better-sqlite3 (built for ${process.version}) in ${oldNode}`,
    () => {
      const r = run(['--native'], { SKYSWITCH_CHECK_NODE_VERSION: process.version }, oldNode)
      expect(r.code).toBe(1)
      expect(r.err).toContain(`was built for Node ${process.versions.node.split('.')[0]};`)
      expect(r.err).toContain(`this is Node ${oldMajor}.`)
      expect(r.err).toContain('rm -rf node_modules && npm ci')
      expect(r.err).not.toMatch(STACK)
    },
  )
})

describe('the script itself', () => {
  it('keeps to syntax Node 12 parses, so an old Node reads the message instead of a SyntaxError', () => {
    const source = readFileSync(SCRIPT, 'utf8').replace(/\/\/.*$/gm, '')
    expect(source).not.toMatch(/\?\.|\?\?|import\.meta|from 'node:/)
  })
})

describe('installed dependencies and the native module', () => {
  it('asks for npm ci when nothing is installed; --node-only asks only for the Node', () => {
    const root = project({})
    const r = run([], { SKYSWITCH_CHECK_ROOT: root })
    expect(r.code).toBe(1)
    expect(r.err).toContain('The dependencies are not installed. Run: npm ci')
    expect(run(['--node-only'], { SKYSWITCH_CHECK_ROOT: root }).code).toBe(0)
    const old = run(['--node-only'], { SKYSWITCH_CHECK_ROOT: root, SKYSWITCH_CHECK_NODE_VERSION: 'v16.0.0' })
    expect(old.code).toBe(1)
    expect(old.err).not.toContain('node_modules') // nothing installed yet, so nothing to reinstall
  })

  it('names the Node better-sqlite3 was built for and says to reinstall', () => {
    const root = project({ ...INSTALLED, 'node_modules/better-sqlite3/index.js': abiError(115, 127) })
    const r = run(['--native'], { SKYSWITCH_CHECK_ROOT: root })
    expect(r.code).toBe(1)
    expect(r.err).toContain('better-sqlite3 in node_modules (used by the test PDS) was built for Node 20;')
    expect(r.err).toContain(`this is Node ${process.versions.node}. Reinstall with this Node:`)
    expect(r.err).toContain('  rm -rf node_modules && npm ci')
    expect(r.err).not.toMatch(STACK)
  })

  it("names npm's nodedir when it points at another Node's headers (npm ci would rebuild the mismatch)", () => {
    const root = project({
      ...INSTALLED,
      'node_modules/better-sqlite3/index.js': abiError(115, 127),
      'old-node/include/node/node_version.h': '#define NODE_MAJOR_VERSION 20\n',
    })
    const r = run(['--native'], { SKYSWITCH_CHECK_ROOT: root, npm_config_nodedir: join(root, 'old-node') })
    expect(r.code).toBe(1)
    expect(r.err).toContain(`npm's config sets nodedir=${join(root, 'old-node')} (Node 20 headers)`)
    const prefix = dirname(dirname(process.execPath))
    if (existsSync(join(prefix, 'include/node/node_version.h'))) {
      expect(r.err).toContain(`  rm -rf node_modules && npm_config_nodedir=${prefix} npm ci`)
    } else {
      expect(r.err).toContain('npm config delete nodedir')
    }
    expect(r.err).not.toMatch(STACK)
  })

  it('says the same for "Module did not self-register"', () => {
    const root = project({
      ...INSTALLED,
      'node_modules/better-sqlite3/index.js': `throw new Error('Module did not self-register: better_sqlite3.node')`,
    })
    const r = run(['--native'], { SKYSWITCH_CHECK_ROOT: root })
    expect(r.code).toBe(1)
    expect(r.err).toContain('was built for another Node or machine')
    expect(r.err).toContain('rm -rf node_modules && npm ci')
    expect(r.err).not.toMatch(STACK)
  })

  it('does not load the native module unless asked (npm start does not need it)', () => {
    const root = project({ ...INSTALLED, 'node_modules/better-sqlite3/index.js': abiError(115, 127) })
    expect(run([], { SKYSWITCH_CHECK_ROOT: root }).code).toBe(0)
  })

  it('passes when the module loads', () => {
    const root = project({
      ...INSTALLED,
      'node_modules/better-sqlite3/index.js': 'module.exports = class { close() {} }',
    })
    expect(run(['--native'], { SKYSWITCH_CHECK_ROOT: root }).code).toBe(0)
  })
})

describe('test programs', () => {
  it('names every missing one with the Debian command, and stops', () => {
    const root = project(INSTALLED)
    const r = run(['--test-tools'], {
      SKYSWITCH_CHECK_ROOT: root,
      CHROMIUM_PATH: join(root, 'no-chromium'),
      PG_BIN: join(root, 'no-pg'),
      PATH: join(root, 'empty'),
    })
    expect(r.code).toBe(1)
    expect(r.err).toContain(`Chromium        not found at ${join(root, 'no-chromium')}`)
    expect(r.err).toContain(`no server (postgres) in ${join(root, 'no-pg')}`)
    expect(r.err).toContain('no redis-server on PATH')
    expect(r.err).toMatch(/apt-get install chromium postgresql redis-server$/m)
    expect(r.err).toContain('bash .ci/run')
    expect(r.err).toContain('npm run test:unit')
    expect(r.err).not.toMatch(STACK)
  })

  it('passes when all three are there', () => {
    const root = project({ ...INSTALLED, 'chromium*': '', 'pg/postgres*': '', 'bin/redis-server*': '' })
    const r = run(['--test-tools'], {
      SKYSWITCH_CHECK_ROOT: root,
      CHROMIUM_PATH: join(root, 'chromium'),
      PG_BIN: join(root, 'pg'),
      PATH: join(root, 'bin'),
    })
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
  })
})

describe('Electron binary', () => {
  it('turns a failed download into one line with the ways around it', () => {
    const root = project({
      ...INSTALLED,
      'node_modules/electron/install.js':
        "console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:15456:13'); process.exit(1)",
    })
    const r = run(['--electron'], { SKYSWITCH_CHECK_ROOT: root, ELECTRON_EXEC_PATH: '' })
    expect(r.code).toBe(1)
    expect(r.err).toContain('The Electron binary could not be downloaded (TypeError: fetch failed).')
    expect(r.err).toContain('npm run browser')
    expect(r.err).not.toMatch(STACK)
  })

  it('leaves an installed or given Electron alone', () => {
    const root = project({ ...INSTALLED, 'node_modules/electron/path.txt': 'electron' })
    expect(run(['--electron'], { SKYSWITCH_CHECK_ROOT: root, ELECTRON_EXEC_PATH: '' }).code).toBe(0)
    const given = project(INSTALLED)
    expect(run(['--electron'], { SKYSWITCH_CHECK_ROOT: given, ELECTRON_EXEC_PATH: '/opt/electron' }).code).toBe(0)
  })
})
