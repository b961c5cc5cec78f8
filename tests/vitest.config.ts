import { fileURLToPath } from 'node:url'
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Paths below are from the project root.
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own PDS; two cores on this machine.
          maxWorkers: 2,
        },
      },
      {
        // The real src-main/shell against the Electron stand-in (the binary cannot run here).
        resolve: { alias: [{ find: /^electron$/, replacement: resolve(import.meta.dirname, 'support/electron.ts') }] },
        test: {
          name: 'shell',
          include: ['tests/shell/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // electron-store imports electron: it must see the stand-in too.
          server: { deps: { inline: ['electron-store'] } },
        },
      },
      {
        test: {
          name: 'packaging',
          include: ['tests/packaging/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
