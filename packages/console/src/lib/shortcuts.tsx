import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react'

const STORAGE = 'ombuds.shortcuts'
const ShortcutsContext = createContext<{ enabled: boolean, setEnabled: (on: boolean) => void }>({ enabled: true, setEnabled: () => {} })

/** Single-key shortcuts can be switched off (WCAG 2.1.4); the choice is remembered. */
export function ShortcutsProvider ({ children }: { children: ReactNode }) {
  const [enabled, setEnabledState] = useState(() => localStorage.getItem(STORAGE) !== 'off')
  const setEnabled = (on: boolean) => {
    localStorage.setItem(STORAGE, on ? 'on' : 'off')
    setEnabledState(on)
  }
  return <ShortcutsContext.Provider value={{ enabled, setEnabled }}>{children}</ShortcutsContext.Provider>
}

export const useShortcutsSetting = () => useContext(ShortcutsContext)

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))

/**
 * Calls `handlers[key]` for a plain key press (no modifier), unless shortcuts are off,
 * focus is in a text field, or a dialog is open.
 */
export function useShortcuts (handlers: Record<string, () => void>): void {
  const { enabled } = useShortcutsSetting()
  const latest = useRef(handlers)
  latest.current = handlers
  useEffect(() => {
    if (!enabled) return
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return
      if (document.querySelector('dialog[open]') !== null) return
      const handler = latest.current[event.key]
      if (handler === undefined) return
      event.preventDefault()
      handler()
    }
    window.addEventListener('keydown', onKey)
    return () => { window.removeEventListener('keydown', onKey) }
  }, [enabled])
}
