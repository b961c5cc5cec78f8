/**
 * The renderer's own origin, app://skyswitch: which URL is which built file,
 * and the handler the shell registers with Electron's protocol.handle.
 * Pure apart from reading the renderer's folder, so it runs in plain Node.
 */
import { readdir, readFile } from 'node:fs/promises'
import { extname, join, relative, sep } from 'node:path'
import { RENDERER_CSP } from './csp'

export const APP_SCHEME = 'app'
export const APP_HOST = 'skyswitch'
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/**
 * standard: a real origin, so relative URLs resolve and the CSP's 'self' means it;
 * secure: a secure context; supportFetchAPI: module scripts load through fetch.
 * No corsEnabled, bypassCSP, serviceWorkers or stream: no other origin may read it.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const

/** The only types served; anything else in the folder is refused, never sniffed. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export type AppTarget = { ok: true; path: string; contentType: string } | { ok: false; status: 400 | 404; why: string }

const refuse = (status: 400 | 404, why: string): AppTarget => ({ ok: false, status, why })

/**
 * Which of the renderer's files (relative paths, '/'-separated) a URL names.
 * The path is read as sent, segment by segment, before URL parsing folds
 * "..", "%2e%2e" or a backslash away: any of them is refused, not resolved.
 */
export function resolveAppUrl(url: string, files: ReadonlySet<string>): AppTarget {
  // Controls and spaces are dropped by URL parsing: the raw path below would no longer line up.
  if (hasControlOrSpace(url)) return refuse(400, 'control characters')
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return refuse(400, 'not a URL')
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password) {
    return refuse(404, 'not the app origin')
  }
  const raw = url.slice(url.indexOf('//') + 2 + APP_HOST.length).split(/[?#]/, 1)[0]!
  if (raw === '' || raw === '/') return lookup('index.html', files)
  if (!raw.startsWith('/')) return refuse(400, 'malformed path')
  const segments: string[] = []
  const parts = raw.slice(1).split('/')
  for (const [i, part] of parts.entries()) {
    let s: string
    try {
      s = decodeURIComponent(part)
    } catch {
      return refuse(400, 'bad escape')
    }
    // A trailing slash names a folder: not a file, so unknown below.
    if (s === '' && i === parts.length - 1) return refuse(404, 'a folder')
    if (s === '' || s === '.' || s === '..' || /[/\\:%]/.test(s) || hasControlOrSpace(s))
      return refuse(400, 'not a plain file name')
    segments.push(s)
  }
  return lookup(segments.join('/'), files)
}

function hasControlOrSpace(s: string): boolean {
  return Array.from(s).some((c) => c <= ' ' || c === '\u007f')
}

function lookup(path: string, files: ReadonlySet<string>): AppTarget {
  const contentType = TYPES[extname(path).toLowerCase()]
  if (!files.has(path) || !contentType) return refuse(404, 'unknown file')
  return { ok: true, path, contentType }
}

/** Whether `url` is the app's page (the only page the window may show or be called from). */
export function isAppPageUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return (
      u.protocol === `${APP_SCHEME}:` &&
      u.host === APP_HOST &&
      !u.username &&
      !u.password &&
      u.pathname === '/index.html'
    )
  } catch {
    return false
  }
}

/** Regular files under root, listed once: symbolic links are not files here, so nothing outside is served. */
async function listFiles(root: string): Promise<Set<string>> {
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true })
    return new Set(
      entries.filter((d) => d.isFile()).map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/')),
    )
  } catch {
    return new Set()
  }
}

/** Serves the built renderer in `root`, with the renderer's CSP on every answer. */
export function appProtocolHandler(root: string): (request: Request) => Promise<Response> {
  let files: Promise<Set<string>> | null = null
  const headers = { 'content-security-policy': RENDERER_CSP, 'x-content-type-options': 'nosniff' }
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers })
    files ??= listFiles(root)
    const target = resolveAppUrl(request.url, await files)
    if (!target.ok) return new Response(null, { status: target.status, headers })
    const body = request.method === 'HEAD' ? null : await readFile(join(root, ...target.path.split('/')))
    return new Response(body, { status: 200, headers: { ...headers, 'content-type': target.contentType } })
  }
}
