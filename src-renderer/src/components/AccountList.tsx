import { type KeyboardEvent, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { actions } from '../actions'
import { useStore } from '../store'
import { Avatar } from './Avatar'
import { StatusBadge } from './StatusBadge'

/**
 * The accounts as a listbox: click or Enter switches, arrows move the
 * selection, Alt+arrows reorder.
 */
export function AccountList() {
  const { order, selectedDid, activeDid } = useStore(
    useShallow((s) => ({ order: s.order, selectedDid: s.selectedDid, activeDid: s.activeDid })),
  )
  const listRef = useRef<HTMLUListElement>(null)

  const focusOption = (did: string) => {
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-did="${CSS.escape(did)}"]`)?.focus())
  }

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const current = selectedDid ?? activeDid
    const i = current ? order.indexOf(current) : -1
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const delta = e.key === 'ArrowDown' ? 1 : -1
      if (e.altKey && current) {
        void actions.move(current, delta).then(() => focusOption(current))
        return
      }
      const next = order[Math.min(Math.max(i + delta, 0), order.length - 1)]
      if (next) {
        useStore.getState().select(next)
        focusOption(next)
      }
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault()
      const next = e.key === 'Home' ? order[0] : order[order.length - 1]
      if (next) {
        useStore.getState().select(next)
        focusOption(next)
      }
    } else if ((e.key === 'Enter' || e.key === ' ') && current) {
      e.preventDefault()
      void actions.switchTo(current)
    }
  }

  if (order.length === 0) return <p className="list-empty">No accounts yet.</p>

  return (
    <ul ref={listRef} className="account-list" role="listbox" aria-label="Accounts" onKeyDown={onKeyDown}>
      {order.map((did) => (
        <AccountRow
          key={did}
          did={did}
          selected={did === (selectedDid ?? activeDid)}
          active={did === activeDid}
          focusable={did === (selectedDid ?? activeDid ?? order[0])}
        />
      ))}
    </ul>
  )
}

function AccountRow({
  did,
  selected,
  active,
  focusable,
}: {
  did: string
  selected: boolean
  active: boolean
  focusable: boolean
}) {
  const account = useStore((s) => s.accounts[did])
  if (!account) return null
  const name = account.displayName || account.handle
  return (
    <li
      role="option"
      aria-selected={selected}
      aria-current={active ? 'true' : undefined}
      aria-label={`${name}, @${account.handle}${active ? ', active account' : ''}`}
      tabIndex={focusable ? 0 : -1}
      data-did={did}
      className={`account-row${selected ? ' selected' : ''}${active ? ' active' : ''}`}
      onClick={() => void actions.switchTo(did)}
    >
      <Avatar account={account} />
      <span className="account-names">
        <span className="account-name">{name}</span>
        <span className="account-handle">@{account.handle}</span>
      </span>
      <span className="account-side">
        <StatusBadge account={account} />
        {active && (
          <span className="active-mark" title="Active account">
            ● In use
          </span>
        )}
      </span>
    </li>
  )
}
