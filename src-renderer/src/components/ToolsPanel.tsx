import type { TFunction } from 'i18next'
import { useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { AccountView, ToolCopyKind } from '../../../src-main/ipc/contract'
import { actions } from '../actions'
import { useStore } from '../store'

/** Each copy: its button, what the toast calls it, and whether it needs the proxy running. */
const copies = (t: TFunction): { kind: ToolCopyKind; button: string; what: string; needsProxy: boolean }[] => [
  { kind: 'proxyUrl', button: t('tools.copy.proxyUrl'), what: t('tools.copied.proxyUrl'), needsProxy: true },
  { kind: 'proxyKey', button: t('tools.copy.proxyKey'), what: t('tools.copied.proxyKey'), needsProxy: false },
  {
    kind: 'proxyExecLine',
    button: t('tools.copy.proxyExecLine'),
    what: t('tools.copied.proxyExecLine'),
    needsProxy: false,
  },
  { kind: 'execLine', button: t('tools.copy.execLine'), what: t('tools.copied.execLine'), needsProxy: false },
]

/**
 * Tools that never hold a token: the local proxy (address, this account's
 * local key) and ready `skyswitch exec` lines. Copies happen in main; the
 * local key never reaches this window. The proxy's state comes from main's
 * proxy:changed events, whoever started or stopped it (this window, the CLI).
 */
export function ToolsPanel({ account }: { account: AccountView }) {
  const { t } = useTranslation()
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
      <h2 id="tools-title">{t('tools.title')}</h2>
      <p className="hint">
        <Trans
          i18nKey="tools.hint"
          values={{
            proxyLine: `skyswitch exec ${account.handle} --proxy -- CMD`,
            tokenLine: `skyswitch exec ${account.handle} -- CMD`,
          }}
          components={{ code: <code className="mono" /> }}
        />
      </p>
      <p role="status" aria-label={t('tools.proxyStatus')}>
        {proxy?.running ? (
          <Trans i18nKey="tools.running" values={{ url: proxy.url }} components={{ code: <code className="mono" /> }} />
        ) : (
          t('tools.stopped')
        )}{' '}
        <button type="button" disabled={busy || proxy === null} onClick={() => void toggle()}>
          {proxy?.running ? t('tools.stop') : t('tools.start')}
        </button>
      </p>
      <div className="copy-grid">
        {copies(t).map((c) => (
          <button
            key={c.kind}
            type="button"
            disabled={c.needsProxy && !proxy?.running}
            onClick={() => void actions.copyForTools(account.did, c.kind, c.what)}
          >
            {c.button}
          </button>
        ))}
      </div>
    </section>
  )
}
