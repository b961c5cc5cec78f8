import { useState } from 'react'
import type { AccountView, ToolCopyKind } from '../../../src-main/ipc/contract'
import { actions } from '../actions'
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
 * local key never reaches this window. The proxy's state comes from main's
 * proxy:changed events, whoever started or stopped it (this window, the CLI).
 */
export function ToolsPanel({ account }: { account: AccountView }) {
  const proxy = useStore((s) => s.proxy)
  const [busy, setBusy] = useState(false)
  if (account.session === 'signed-out' || account.scope === 'takendown') return null

  const toggle = async () => {
    setBusy(true)
    await actions.setProxyRunning(!proxy?.running)
    setBusy(false)
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
            onClick={() => void actions.copyForTools(account.did, c.kind, c.label[0]!.toUpperCase() + c.label.slice(1))}
          >
            Copy {c.label}
          </button>
        ))}
      </div>
    </section>
  )
}
