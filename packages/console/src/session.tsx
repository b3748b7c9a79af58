import { useQuery, useQueryClient } from '@tanstack/react-query'
import { createContext, type ReactNode, useCallback, useContext } from 'react'
import { Navigate, useLocation, useNavigate } from 'react-router'
import { api, type Organization, session } from './api/client'

interface Session {
  org: Organization
  can: (scope: string) => boolean
  signOut: () => void
}

const SessionContext = createContext<Session | null>(null)

export const orgQuery = { queryKey: ['org'], queryFn: async () => (await api.GET('/v1/org')).data?.data as Organization, staleTime: 60_000 }

/** Who the key belongs to (`GET /v1/org`); without a key, the sign-in page. */
export function RequireSession ({ children }: { children: ReactNode }) {
  const location = useLocation()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const key = session.key()
  const org = useQuery({ ...orgQuery, enabled: key !== null })
  const signOut = useCallback(() => {
    session.signOut()
    queryClient.clear()
    void navigate('/sign-in')
  }, [navigate, queryClient])
  if (key === null) return <Navigate to='/sign-in' replace state={{ from: location.pathname + location.search }} />
  if (org.isPending) return <p className='page-loading' role='status'>Loading your organization…</p>
  if (org.isError) return <Navigate to='/sign-in' replace />
  const value: Session = { org: org.data, can: (scope) => (org.data.key.scopes as readonly string[]).includes(scope), signOut }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession (): Session {
  const value = useContext(SessionContext)
  if (value === null) throw new Error('useSession outside RequireSession')
  return value
}
