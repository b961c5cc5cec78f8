/**
 * The demo runs the built app (out/). It builds first, like `npm run browser`
 * does, unless out/ is already newer than every source file.
 */
import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const SOURCES = ['src-main', 'src-renderer', 'electron.vite.config.ts', 'package.json']
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']

function newest(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let max = st.mtimeMs
  for (const e of readdirSync(path)) max = Math.max(max, newest(join(path, e)))
  return max
}

export function buildIsFresh(root: string): boolean {
  try {
    const built = Math.min(...OUTPUTS.map((o) => statSync(join(root, o)).mtimeMs))
    return SOURCES.every((s) => newest(join(root, s)) <= built)
  } catch {
    return false
  }
}

/** electron-vite build; its output goes to stderr so stdout stays the demo's own lines. */
export function build(root: string): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: ['ignore', process.stderr, process.stderr],
    })
    child.once('error', fail)
    child.once('exit', (code, signal) =>
      code === 0 ? ok() : fail(new Error(`the build failed (${signal ?? `exit code ${code}`})`)),
    )
  })
}
