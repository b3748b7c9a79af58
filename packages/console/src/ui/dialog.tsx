import { type ReactNode, useEffect, useId, useRef } from 'react'

/**
 * A modal dialog on the platform's <dialog>: focus is trapped and returned to the opener
 * by the browser, Escape closes it, and it is named by its heading.
 */
export function Dialog ({ open, title, onClose, children }: { open: boolean, title: string, onClose: () => void, children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null)
  const headingId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog ref={ref} aria-labelledby={headingId} onClose={onClose} className='dialog'>
      <h2 id={headingId}>{title}</h2>
      {open && children}
    </dialog>
  )
}
