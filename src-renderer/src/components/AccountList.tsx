import { type DragEvent, type KeyboardEvent, memo, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AccountView } from '../../../src-main/ipc/contract'
import { useShallow } from 'zustand/react/shallow'
import { actions } from '../actions'
import { useStore } from '../store'
import { Avatar } from './Avatar'
import { ModerationBadge, StatusBadge, UnreadBadge } from './StatusBadge'

/** Long lists render only the rows in view; every row has this fixed height. */
const ROW_HEIGHT = 56
const OVERSCAN = 8
const VIRTUALIZE_ABOVE = 60

/**
 * The list's scroll offset and height. Read only where layout is already done
 * (scroll events, the resize observer, which also reports the first size):
 * reading it at mount would force the whole window's first layout inside
 * React's commit, which the first state's render runs synchronously.
 */
function useViewport(el: HTMLElement | null) {
  const [view, setView] = useState({ top: 0, height: 800 })
  useEffect(() => {
    if (!el) return
    const update = () => {
      const top = el.scrollTop
      const height = el.clientHeight || 800
      setView((v) => (v.top === top && v.height === height ? v : { top, height }))
    }
    el.addEventListener('scroll', update, { passive: true })
    const ro = new ResizeObserver(update)
    ro.observe(el)
    return () => {
      el.removeEventListener('scroll', update)
      ro.disconnect()
    }
  }, [el])
  return view
}

/** The row being dragged; one drag at a time, so module state is enough. */
let dragging: string | null = null
type Drop = { did: string; edge: 'before' | 'after' } | null

/**
 * The accounts as a listbox: click or arrows show an account's details,
 * Enter makes it the active one, Alt+arrows or drag and drop reorder.
 */
export function AccountList() {
  const { t } = useTranslation()
  const { order, accounts, selectedDid, activeDid } = useStore(
    useShallow((s) => ({ order: s.order, accounts: s.accounts, selectedDid: s.selectedDid, activeDid: s.activeDid })),
  )
  // State, not a ref: the viewport hook must see the list once it mounts.
  const [listEl, setListEl] = useState<HTMLUListElement | null>(null)
  const view = useViewport(listEl)
  const virtual = order.length > VIRTUALIZE_ABOVE
  const first = virtual ? Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN) : 0
  const last = virtual
    ? Math.min(order.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN)
    : order.length

  // Focus follows the keyboard. A row outside a long list's rendered window
  // is scrolled to first and focused once it has rendered.
  const pendingFocus = useRef<string | null>(null)
  const [drop, setDropState] = useState<Drop>(null)
  // The handlers are made once (rows are memoized), so they read the drop target from a ref.
  const dropRef = useRef<Drop>(null)
  const [dnd] = useState<RowDnd>(() => {
    const setDrop = (d: Drop) => {
      dropRef.current = d
      setDropState(d)
    }
    return {
      over(e, did) {
        if (!dragging) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'move'
        const box = e.currentTarget.getBoundingClientRect()
        const edge = e.clientY < box.top + box.height / 2 ? 'before' : 'after'
        const cur = dropRef.current
        if (cur?.did !== did || cur.edge !== edge) setDrop({ did, edge })
      },
      drop(e, did) {
        e.preventDefault()
        const moved = dragging
        const cur = dropRef.current
        const edge = cur?.did === did ? cur.edge : 'before'
        dragging = null
        setDrop(null)
        if (moved && moved !== did) void actions.place(moved, did, edge)
      },
      end() {
        dragging = null
        setDrop(null)
      },
    }
  })
  const rowOf = (did: string) => listEl?.querySelector<HTMLElement>(`[data-did="${CSS.escape(did)}"]`)
  const focusOption = (did: string) => {
    const row = rowOf(did)
    if (row) return row.focus()
    pendingFocus.current = did
    const index = order.indexOf(did)
    if (listEl && index >= 0) {
      const top = index * ROW_HEIGHT
      listEl.scrollTo({ top: top < listEl.scrollTop ? top : top + ROW_HEIGHT - listEl.clientHeight })
    }
  }
  useEffect(() => {
    const did = pendingFocus.current
    const row = did ? rowOf(did) : null
    if (row) {
      row.focus()
      pendingFocus.current = null
    }
  })

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
    } else if (e.key === 'Enter' && current) {
      e.preventDefault()
      void actions.switchTo(current)
    } else if (e.key === ' ' && current) {
      e.preventDefault()
      useStore.getState().select(current)
    }
  }

  if (order.length === 0) return <p className="list-empty">{t('list.empty')}</p>

  return (
    <ul
      ref={setListEl}
      className={virtual ? 'account-list virtual' : 'account-list'}
      role="listbox"
      aria-label={t('list.label')}
      onKeyDown={onKeyDown}
    >
      {/* Spacers stand in for the rows not rendered (padding would stop the list from shrinking). */}
      {first > 0 && <li role="none" aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />}
      {order.slice(first, last).map((did, i) => (
        <AccountRow
          key={did}
          position={first + i + 1}
          total={order.length}
          account={accounts[did]!}
          selected={did === (selectedDid ?? activeDid)}
          active={did === activeDid}
          focusable={did === (selectedDid ?? activeDid ?? order[0])}
          dropEdge={drop?.did === did ? drop.edge : null}
          dnd={dnd}
        />
      ))}
      {last < order.length && (
        <li role="none" aria-hidden="true" style={{ height: (order.length - last) * ROW_HEIGHT }} />
      )}
    </ul>
  )
}

interface RowDnd {
  over(e: DragEvent<HTMLLIElement>, did: string): void
  drop(e: DragEvent<HTMLLIElement>, did: string): void
  end(): void
}

/** Memoized: switching re-renders two rows, not a thousand. */
const AccountRow = memo(
  function AccountRow({
    account,
    selected,
    active,
    focusable,
    position,
    total,
    dropEdge,
    dnd,
  }: {
    account: AccountView
    selected: boolean
    active: boolean
    focusable: boolean
    position: number
    total: number
    dropEdge: 'before' | 'after' | null
    dnd: RowDnd
  }) {
    // Its own hook: a memoized row still follows a change of language.
    const { t } = useTranslation()
    const did = account.did
    const name = account.displayName || account.handle
    return (
      <li
        role="option"
        aria-selected={selected}
        aria-current={active ? 'true' : undefined}
        aria-posinset={position}
        aria-setsize={total}
        tabIndex={focusable ? 0 : -1}
        data-did={did}
        className={`account-row${selected ? ' selected' : ''}${active ? ' active' : ''}${dropEdge ? ` drop-${dropEdge}` : ''}`}
        // Viewing is not switching: a click shows the details; Enter or "Use this account" switches.
        onClick={() => useStore.getState().select(did)}
        draggable
        onDragStart={(e) => {
          dragging = did
          e.dataTransfer.effectAllowed = 'move'
          e.dataTransfer.setData('text/plain', account.handle)
        }}
        onDragOver={(e) => dnd.over(e, did)}
        onDrop={(e) => dnd.drop(e, did)}
        onDragEnd={() => dnd.end()}
      >
        <Avatar account={account} />
        <span className="account-names">
          <span className="account-name">{name}</span>
          <span className="account-handle">@{account.handle}</span>
        </span>
        <UnreadBadge account={account} />
        <span className="account-side">
          <span className="badges">
            {active && (
              <span className="active-mark" title={t('list.activeAccount')}>
                <span aria-hidden="true">●</span> {t('list.inUse')}
              </span>
            )}
            <StatusBadge account={account} />
          </span>
          <ModerationBadge account={account} />
        </span>
      </li>
    )
  },
  // The drag handlers are stable; only what is shown matters.
  (a, b) =>
    a.account === b.account &&
    a.selected === b.selected &&
    a.active === b.active &&
    a.focusable === b.focusable &&
    a.position === b.position &&
    a.total === b.total &&
    a.dropEdge === b.dropEdge,
)
