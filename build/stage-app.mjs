#!/usr/bin/env node
// Stages what the installers are built from: the built app (out/, without
// source maps), a package.json with no dependencies (they are bundled into
// out/main), the build resources and electron-builder.yml. electron-builder
// then runs with the stage as its project, so it packs no node_modules.
// Usage: node build/stage-app.mjs [dir]   (default .stage)
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { updateFeed } from './update-feed.mjs'

export function stageApp(root, dest) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  rmSync(dest, { recursive: true, force: true })
  mkdirSync(dest, { recursive: true })
  const keep = ['name', 'productName', 'version', 'description', 'type', 'main', 'license', 'homepage', 'author']
  const staged = Object.fromEntries(keep.filter((k) => k in pkg).map((k) => [k, pkg[k]]))
  // The exact Electron to package, as installed (electron-builder reads it from here).
  const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
  staged.devDependencies = { electron }
  writeFileSync(join(dest, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`)
  cpSync(join(root, 'out'), join(dest, 'out'), { recursive: true, filter: (src) => !src.endsWith('.map') })
  cpSync(join(root, 'build'), join(dest, 'build'), { recursive: true })
  writeFileSync(
    join(dest, 'electron-builder.yml'),
    builderConfig(readFileSync(join(root, 'electron-builder.yml'), 'utf8')),
  )
  return dest
}

/**
 * electron-builder.yml as staged: with SKYSWITCH_UPDATE_URL, the generic
 * publish target the main bundle's feed names (electron-builder then writes
 * latest-*.yml beside the installers and app-update.yml into the app);
 * without it, no publish target and no update files.
 */
export function builderConfig(yaml, env = process.env) {
  const feed = updateFeed(env)
  if (/^publish:/m.test(yaml))
    throw new Error('electron-builder.yml must not set publish: the stage sets it from SKYSWITCH_UPDATE_URL')
  return feed
    ? `${yaml.trimEnd()}\n# From SKYSWITCH_UPDATE_URL (build/update-feed.mjs).\npublish:\n  provider: generic\n  url: ${JSON.stringify(feed)}\n`
    : yaml
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(import.meta.dirname, '..')
  stageApp(root, resolve(root, process.argv[2] ?? '.stage'))
}
