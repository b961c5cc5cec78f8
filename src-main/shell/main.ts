import { enableCompileCache } from 'node:module'
import { join } from 'node:path'
import { app } from 'electron'

// The app's code is compiled once per version and then read back from a cache of this user's own
// (never a shared temp folder): every later start skips parsing the bundle.
try {
  enableCompileCache?.(join(app.getPath('userData'), 'compile-cache'))
} catch {
  // A start without the cache is only slower.
}
// Electron emits `ready` only once this entry has settled, so the shell still starts before it.
const { startShell } = await import('./start')
startShell()
