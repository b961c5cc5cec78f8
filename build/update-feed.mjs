// The app's update feed, set at build time: SKYSWITCH_UPDATE_URL, the folder
// a release uploads latest-*.yml and the installers to. electron.vite.config.ts
// bakes it into the main bundle; build/stage-app.mjs writes it as
// electron-builder's generic publish target (which puts app-update.yml in the app).
// Unset or empty: a build without updates.

/**
 * The feed URL from the environment, or '' for none. It must be https (the
 * sha512 of each download comes from this feed); plain http only on loopback.
 */
export function updateFeed(env = process.env) {
  const raw = (env.SKYSWITCH_UPDATE_URL ?? '').trim()
  if (!raw) return ''
  let url
  try {
    url = new URL(raw)
  } catch {
    throw new Error('SKYSWITCH_UPDATE_URL is not a URL')
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]'
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`SKYSWITCH_UPDATE_URL must be https (http only on loopback), not ${url.protocol}//${url.host}`)
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error('SKYSWITCH_UPDATE_URL must carry no credentials, query or fragment: it ships inside the app')
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`
}
