import type { HTMLAttributes, KeyboardEvent, ReactNode } from 'react'

/** A dialog over a dimmed backdrop: a click outside or Escape closes it. */
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
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className={className ? `modal ${className}` : 'modal'}
        aria-modal="true"
        {...aria}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose()
          else onKeyDown?.(e)
        }}
      >
        {children}
      </div>
    </div>
  )
}
