/**
 * The renderer's Content-Security-Policy: only our own scripts, styles and
 * connections; images may also be https avatars or data URLs. Sent by the
 * Electron session and by browser mode alike. Browser mode (development and
 * tests, whose AppView runs on loopback) also loads avatars from loopback.
 */
export function rendererCsp(opts: { loopbackImages?: boolean } = {}): string {
  const loopback = opts.loopbackImages ? ' http://localhost:* http://127.0.0.1:*' : ''
  return RENDERER_CSP.replace("img-src 'self' data: https:", `img-src 'self' data: https:${loopback}`)
}

export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
