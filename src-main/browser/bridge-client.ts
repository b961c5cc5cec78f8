/**
 * Browser mode's stand-in for the preload: the same SkyswitchApi, spoken over
 * HTTP to the core on 127.0.0.1. Served by the browser-mode server only; it is
 * never part of the app's renderer bundle. Self-contained: no imports.
 */
type Listener = (payload: unknown) => void
;(() => {
  const KEY = 'skyswitch.secret'
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('secret')
  if (fromHash) {
    sessionStorage.setItem(KEY, fromHash)
    // Keep the secret out of the address bar and history.
    history.replaceState(null, '', location.pathname + location.search)
  }
  const secret = sessionStorage.getItem(KEY) ?? ''
  const listeners = new Map<string, Set<Listener>>()
  let streaming = false

  async function stream(): Promise<void> {
    if (streaming) return
    streaming = true
    for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
      try {
        const res = await fetch('/api/events', { headers: { 'x-skyswitch-secret': secret } })
        if (!res.ok || !res.body) throw new Error(String(res.status))
        delay = 250
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let nl: number
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim()
            buffer = buffer.slice(nl + 1)
            if (!line) continue
            const { event, payload } = JSON.parse(line) as { event: string; payload: unknown }
            listeners.get(event)?.forEach((l) => l(payload))
          }
        }
      } catch {
        // The core restarted or the stream dropped: reconnect below.
      }
      listeners.get('bridge:disconnected')?.forEach((l) => l(null))
      await new Promise((r) => setTimeout(r, delay))
    }
  }

  const api = {
    async invoke(name: string, request?: unknown) {
      try {
        const res = await fetch('/api/invoke', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-skyswitch-secret': secret },
          body: JSON.stringify({ name, request }),
        })
        return await res.json()
      } catch {
        return { ok: false, error: { code: 'Offline', message: 'Skyswitch’s core is not answering.' } }
      }
    },
    on(event: string, listener: Listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener)
      void stream()
      return () => {
        set.delete(listener)
      }
    },
  }
  Object.defineProperty(window, 'skyswitch', { value: Object.freeze(api), writable: false })
})()
