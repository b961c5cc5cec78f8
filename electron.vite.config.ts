import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { dedupePackages, mainAliases, mainStubsFor } from './build/main-bundle.mjs'
import { updateFeed } from './build/update-feed.mjs'

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { homepage?: string }

export default defineConfig({
  main: {
    // One copy of each package version, and stand-ins for code the app never runs (build/main-bundle.mjs).
    plugins: [mainStubsFor(), dedupePackages()],
    resolve: { alias: mainAliases },
    define: {
      // The Help menu's website item, when package.json names one.
      __SKYSWITCH_HOMEPAGE__: JSON.stringify(pkg.homepage ?? ''),
      // OAuth: a production client_id (https URL to its metadata); empty keeps the loopback development client.
      __SKYSWITCH_OAUTH_CLIENT_ID__: JSON.stringify(process.env.SKYSWITCH_OAUTH_CLIENT_ID ?? ''),
      // The release feed for the app's own updates; empty: no updater at all (build/update-feed.mjs).
      __SKYSWITCH_UPDATE_FEED__: JSON.stringify(updateFeed()),
    },
    build: {
      outDir: 'out/main',
      // Dependencies are bundled: the packaged app ships no node_modules.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src-main/shell/main.ts') },
        // Beside index.js, so every part of main finds the renderer and preload at the same relative path.
        output: { chunkFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed renderer can only run a CommonJS preload.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      minify: true,
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
})
