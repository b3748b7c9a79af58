import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'
import { OmbudsError } from '../api/client'

interface Announcer {
  /** Polite news: counts, outcomes ("2 complaints moved to triage"). */
  announce: (message: string) => void
  /** An error a person must see, with the API's message and request id. */
  fail: (error: unknown) => void
  clearError: () => void
}

const AnnouncerContext = createContext<Announcer | null>(null)

export function describeError (error: unknown): string {
  if (error instanceof OmbudsError) return `${error.message}${error.requestId === null ? '' : ` (request ${error.requestId})`}`
  return error instanceof Error ? error.message : String(error)
}

/**
 * One status region and one alert region, mounted with the app so that screen readers
 * announce their changes (a region inserted already filled is often not announced).
 */
export function AnnouncerProvider ({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState('')
  const [error, setError] = useState('')
  const announce = useCallback((message: string) => { setStatus(message) }, [])
  const fail = useCallback((reason: unknown) => { setError(describeError(reason)) }, [])
  const clearError = useCallback(() => { setError('') }, [])
  const value = useMemo(() => ({ announce, fail, clearError }), [announce, fail, clearError])
  return (
    <AnnouncerContext.Provider value={value}>
      {children}
      <div className='toast-area'>
        <p role='status' className={status === '' ? 'visually-hidden' : 'toast'}>{status}</p>
        <div role='alert' className={error === '' ? 'visually-hidden' : 'toast toast-error'}>
          {error !== '' && <><span>{error}</span> <button type='button' className='link-button' onClick={clearError}>Dismiss</button></>}
        </div>
      </div>
    </AnnouncerContext.Provider>
  )
}

export function useAnnouncer (): Announcer {
  const announcer = useContext(AnnouncerContext)
  if (announcer === null) throw new Error('useAnnouncer outside AnnouncerProvider')
  return announcer
}
