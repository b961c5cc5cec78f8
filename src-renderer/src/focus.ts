/**
 * Where focus goes when something that held it goes away: back to the
 * control that opened a dialog or pane, else to the account list.
 */
import { type RefObject, useEffect, useRef } from 'react'
import { useStore } from './store'

/** The account list's row that takes Tab (the shown account's); `except` is one about to go. */
export function focusAccountList(except?: string): void {
  const rows = [...document.querySelectorAll<HTMLElement>('.account-list [role=option]')]
  const row =
    rows.find((r) => r.tabIndex === 0 && r.dataset.did !== except) ?? rows.find((r) => r.dataset.did !== except)
  row?.focus()
}

/** Once `did` has left the store and the list has rendered without it, focuses the list. */
export function focusListAfterRemoval(did: string): void {
  const done = () => void requestAnimationFrame(() => focusAccountList(did))
  if (!useStore.getState().accounts[did]) return done()
  const off = useStore.subscribe((s) => {
    if (s.accounts[did]) return
    off()
    done()
  })
}

/**
 * For a dialog or a pane: remembers what had focus when it opened and, when
 * it closes with focus inside it (or lost), puts focus back there, or on the
 * account list if that control is gone or disabled.
 */
export function useReturnFocus<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null)
  useEffect(() => {
    const was = document.activeElement
    const opener = was instanceof HTMLElement && was !== document.body ? was : null
    const container = ref.current
    return () => {
      const now = document.activeElement
      // Focus moved elsewhere on purpose (a click on another control): leave it there.
      if (now && now !== document.body && !container?.contains(now)) return
      if (opener?.isConnected && !opener.matches(':disabled')) opener.focus()
      if (document.activeElement !== opener) focusAccountList()
    }
  }, [])
  return ref
}
