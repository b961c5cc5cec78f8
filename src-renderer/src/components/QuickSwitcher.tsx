import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import { actions } from '../actions'
import { useStore } from '../store'
import { Avatar } from './Avatar'
import { Modal } from './Modal'
import { ModerationBadge, StatusBadge, UnreadBadge } from './StatusBadge'

/** Ctrl/Cmd+K: type to filter, arrows to pick, Enter to switch, Escape to close. */
export function QuickSwitcher() {
  const { t } = useTranslation()
  const { accounts, order, activeDid, setOpen } = useStore(
    useShallow((s) => ({ accounts: s.accounts, order: s.order, activeDid: s.activeDid, setOpen: s.setSwitcherOpen })),
  )
  const close = () => setOpen(false)
  const [query, setQuery] = useState('')
  const [index, setIndex] = useState(0)
  const inputRef = useRef<HTMLInputElement>(null)
  useEffect(() => inputRef.current?.focus(), [])

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase().replace(/^@/, '')
    return order
      .map((did) => accounts[did]!)
      .filter((a) => !q || a.handle.toLowerCase().includes(q) || (a.displayName ?? '').toLowerCase().includes(q))
  }, [accounts, order, query])

  const pick = (did: string | undefined) => {
    if (!did) return
    close()
    void actions.switchTo(did)
  }

  return (
    <Modal
      onClose={close}
      className="switcher"
      role="dialog"
      aria-label={t('switcher.label')}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown') {
          e.preventDefault()
          setIndex((i) => Math.min(i + 1, matches.length - 1))
        } else if (e.key === 'ArrowUp') {
          e.preventDefault()
          setIndex((i) => Math.max(i - 1, 0))
        } else if (e.key === 'Enter') {
          e.preventDefault()
          pick(matches[index]?.did)
        }
      }}
    >
      <input
        ref={inputRef}
        className="switcher-input"
        aria-label={t('switcher.filter')}
        placeholder={t('switcher.placeholder')}
        role="combobox"
        aria-expanded="true"
        aria-controls="switcher-list"
        aria-activedescendant={matches[index] ? `switch-${index}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value)
          setIndex(0)
        }}
      />
      <ul id="switcher-list" role="listbox" aria-label={t('switcher.matches')} className="switcher-list">
        {matches.map((a, i) => (
          <li
            key={a.did}
            id={`switch-${i}`}
            role="option"
            aria-selected={i === index}
            aria-current={a.did === activeDid ? 'true' : undefined}
            className={`account-row${i === index ? ' selected' : ''}${a.did === activeDid ? ' active' : ''}`}
            onClick={() => pick(a.did)}
            onMouseMove={() => setIndex(i)}
          >
            <Avatar account={a} size={28} />
            <span className="account-names">
              <span className="account-name">{a.displayName || a.handle}</span>
              <span className="account-handle">@{a.handle}</span>
            </span>
            <UnreadBadge account={a} />
            <StatusBadge account={a} />
            <ModerationBadge account={a} />
            {a.did === activeDid && (
              <span className="active-mark">
                <span aria-hidden="true">●</span> {t('list.inUse')}
              </span>
            )}
          </li>
        ))}
        {matches.length === 0 && <li className="list-empty">{t('switcher.none', { query })}</li>}
      </ul>
    </Modal>
  )
}
