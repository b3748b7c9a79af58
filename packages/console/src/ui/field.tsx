import { type ReactNode, useId } from 'react'

/**
 * A label and its control, tied by id rather than by nesting: a control nested in its
 * label would be named by the label's whole text, options included.
 */
export function Field ({ label, children }: { label: string, children: (id: string) => ReactNode }) {
  const id = useId()
  return (
    <div className='field'>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  )
}
