import { useCallback, useEffect, useState } from 'react'
import type { AccountView, ProxyStatus, ToolCopyKind } from '../../../src-main/ipc/contract'
import { call, CallError } from '../api'
import { useStore } from '../store'

const COPIES: { kind: ToolCopyKind; label: string; needsProxy: boolean }[] = [
  { kind: 'proxyUrl', label: 'proxy address', needsProxy: true },
  { kind: 'proxyKey', label: 'local key', needsProxy: false },
  { kind: 'proxyExecLine', label: 'exec line (proxy)', needsProxy: false },
  { kind: 'execLine', label: 'exec line (token)', needsProxy: false },
]

/**
 * Tools that never hold a token: the local proxy (address, this account's
 * local key) and ready `skyswitch exec` lines. Copies happen in main; the
 * local key never reaches this window.
 */
export function ToolsPanel({ account }: { account: AccountView }) {
  const [proxy, setProxy] = useState<ProxyStatus | null>(null)
  const [busy, setBusy] = useState(false)
  const toast = useStore((s) => s.showToast)
  const load = useCallback(() => {
    call('proxy:status')
      .then(setProxy)
      .catch(() => setProxy(null))
  }, [])
  useEffect(() => {
    load()
    // The CLI can start or stop the proxy too: look again when the window comes back.
    window.addEventListener('focus', load)
    return () => window.removeEventListener('focus', load)
  }, [load])
  if (account.session === 'signed-out' || account.scope === 'takendown') return null

  const toggle = async () => {
    setBusy(true)
    try {
      setProxy(await call('proxy:setRunning', { running: !proxy?.running }))
    } catch (err) {
      toast(err instanceof CallError ? err.message : 'The proxy could not be changed.')
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="copy-section" aria-labelledby="tools-title">
      <h2 id="tools-title">Tools without a token</h2>
      <p className="hint">
        Prefer the proxy: point a tool at its address with this account’s local key as the Bearer token, or run it with{' '}
        <code className="mono">skyswitch exec {account.handle} --proxy -- CMD</code>. Skyswitch adds the real token to
        each request and refreshes it, so long-running scripts never see an expiry and never hold a token. Use{' '}
        <code className="mono">skyswitch exec {account.handle} -- CMD</code> (a real token in the environment) only for
        tools that must talk to other servers themselves; it lasts about 2 h.
      </p>
      <p role="status" aria-label="Proxy status">
        {proxy?.running ? (
          <>
            Proxy running at <code className="mono">{proxy.url}</code>
          </>
        ) : (
          'Proxy stopped'
        )}{' '}
        <button type="button" disabled={busy || proxy === null} onClick={() => void toggle()}>
          {proxy?.running ? 'Stop proxy' : 'Start proxy'}
        </button>
      </p>
      <div className="copy-grid">
        {COPIES.map((c) => (
          <button
            key={c.kind}
            type="button"
            disabled={c.needsProxy && !proxy?.running}
            onClick={() => void copyForTools(account.did, c.kind, c.label[0]!.toUpperCase() + c.label.slice(1))}
          >
            Copy {c.label}
          </button>
        ))}
      </div>
    </section>
  )
}

async function copyForTools(did: string, kind: ToolCopyKind, label: string): Promise<void> {
  const toast = useStore.getState().showToast
  try {
    const { clearsAt } = await call('tools:copy', { did, kind })
    const secs = clearsAt ? Math.round((clearsAt - Date.now()) / 1000) : 0
    toast(clearsAt ? `${label} copied. Clipboard clears in ${secs} s.` : `${label} copied.`)
  } catch (err) {
    toast(err instanceof CallError ? err.message : 'Copy failed.')
  }
}
