import { useEffect } from 'react'
import { useStore } from '../store'

/** Confirmations in a status bar of their own at the bottom: it never covers a control. */
export function Toast() {
  const toast = useStore((s) => s.toast)
  useEffect(() => {
    if (!toast) return
    const t = setTimeout(() => {
      if (useStore.getState().toast?.id === toast.id) useStore.setState({ toast: null })
    }, 6000)
    return () => clearTimeout(t)
  }, [toast])
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div className="toast" key={toast.id} data-source={toast.main ? 'main' : undefined}>
          {toast.text}
        </div>
      )}
    </div>
  )
}
