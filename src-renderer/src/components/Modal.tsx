import type { HTMLAttributes, KeyboardEvent, ReactNode } from 'react'
import { useReturnFocus } from '../focus'

const TABBABLE = 'button:not(:disabled), input:not(:disabled), select:not(:disabled), a[href], [tabindex="0"]'

/**
 * A dialog over a dimmed backdrop: a click outside or Escape closes it, Tab
 * stays inside it, and focus goes back to what opened it when it closes.
 */
export function Modal({
  onClose,
  onKeyDown,
  className,
  children,
  ...aria
}: {
  onClose: () => void
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void
  className?: string
  children: ReactNode
} & Pick<HTMLAttributes<HTMLDivElement>, 'role' | 'aria-label' | 'aria-labelledby' | 'aria-describedby'>) {
  const ref = useReturnFocus<HTMLDivElement>()
  const trap = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>(TABBABLE)]
    const [first, last] = [items[0], items[items.length - 1]]
    if (!first || !last) return
    const at = document.activeElement
    if (e.shiftKey ? at === first || !e.currentTarget.contains(at) : at === last) {
      e.preventDefault()
      ;(e.shiftKey ? last : first).focus()
    }
  }
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        ref={ref}
        className={className ? `modal ${className}` : 'modal'}
        aria-modal="true"
        {...aria}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose()
          else if (e.key === 'Tab') trap(e)
          else onKeyDown?.(e)
        }}
      >
        {children}
      </div>
    </div>
  )
}
