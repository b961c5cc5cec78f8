// A Node module hook: `import 'electron'` loads the stand-in (tests/support/electron.ts).
// node --import tsx --import ./tests/support/electron-hook.mjs <script>
import { register } from 'node:module'

const standIn = new URL('./electron.ts', import.meta.url).href
register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: ${JSON.stringify(standIn)}, shortCircuit: true }
  return next(specifier, context)
}`)}`,
)
