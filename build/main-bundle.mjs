// What the main process's bundle leaves out or shares; electron.vite.config.ts
// uses them all. tests/bench/startup.ts reports the bundle's size per package.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

// Relative to the project root, as in electron.vite.config.ts (electron-vite bundles the config elsewhere).
const stub = (file) => resolve('build/stubs', file)

/** Packages swapped for a stand-in; each stub file says why. */
export const mainAliases = [
  // @atproto-labs/fetch-node's three undici majors: the runtime's own Agent instead.
  { find: /^undici_v[678]$/, replacement: stub('node-undici.mjs') },
  // core-js polyfills of symbols Node 22 has.
  { find: /^core-js\/es\/symbol\/(async-)?dispose\.js$/, replacement: stub('disposable-symbols.mjs') },
  // conf's schema validator and migration versions: the app uses neither option.
  { find: /^ajv\/dist\/2020\.js$/, replacement: stub('conf-unused.mjs') },
  { find: /^ajv-formats$/, replacement: stub('conf-unused.mjs') },
]

const updaterOut = /\/node_modules\/electron-updater\/out\//
const updaterRuntime = /\/node_modules\/electron-updater\/node_modules\/builder-util-runtime\//

/** Stand-ins for one importer only (a package other bundled code needs for real, or a file's own import). */
const importerStubs = [
  // conf's migrations compare versions with semver; electron-updater needs the real one.
  { source: /^semver$/, importer: /\/node_modules\/conf\//, replacement: stub('conf-unused.mjs') },
  // electron-updater: feeds other than the generic one, and the package-manager installers.
  {
    source:
      /^\.\/(providers\/(GitHub|PrivateGitHub|GitLab|Bitbucket|Keygen)Provider|DebUpdater|RpmUpdater|PacmanUpdater)$/,
    importer: updaterOut,
    replacement: stub('updater-unused.mjs'),
  },
  { source: /^sax$/, importer: updaterRuntime, replacement: stub('updater-unused.mjs') },
  { source: /^debug$/, importer: updaterRuntime, replacement: stub('debug-off.mjs') },
  { source: /^lodash\.isequal$/, importer: updaterOut, replacement: stub('deep-equal.cjs') },
]

export function mainStubsFor() {
  return {
    name: 'skyswitch:importer-stubs',
    enforce: 'pre',
    resolveId(source, importer) {
      const hit = importer && importerStubs.find((s) => s.source.test(source) && s.importer.test(importer))
      return hit ? hit.replacement : null
    },
  }
}

/**
 * npm nests a copy of a package under each dependant whose range the top level
 * does not satisfy (zod 3 sits under nine @atproto packages). Every import of a
 * package at a version already bundled goes to that one copy.
 */
export function dedupePackages() {
  const firstRoot = new Map()
  const versions = new Map()
  const versionAt = (root) => {
    if (!versions.has(root)) versions.set(root, JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version)
    return versions.get(root)
  }
  return {
    name: 'skyswitch:dedupe-packages',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || /^[./\0]|^node:/.test(source)) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      const m = resolved && !resolved.external ? /^(.*\/node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(resolved.id) : null
      if (!m) return resolved
      const [, root, name] = m
      const key = `${name}@${versionAt(root)}`
      if (!firstRoot.has(key)) firstRoot.set(key, root)
      const first = firstRoot.get(key)
      return first === root ? resolved : { ...resolved, id: first + resolved.id.slice(root.length) }
    },
  }
}
