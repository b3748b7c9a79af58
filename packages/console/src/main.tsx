import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter, Navigate, Route, Routes } from 'react-router'
import { OmbudsError, session } from './api/client'
import { AuditPage } from './features/audit/audit-page'
import { ComplaintPage } from './features/complaints/complaint-page'
import { InboxPage } from './features/complaints/inbox-page'
import { RatesPage } from './features/rates/rates-page'
import { SignInPage } from './features/sign-in/sign-in-page'
import { SuppressionsPage } from './features/suppressions/suppressions-page'
import { ShortcutsProvider } from './lib/shortcuts'
import { RequireSession } from './session'
import { Shell } from './shell'
import { AnnouncerProvider } from './ui/announcer'
import './styles.css'

/** A key that stops working (revoked, expired session) sends the person back to sign in. */
function onOmbudsError (error: unknown): void {
  if (error instanceof OmbudsError && error.status === 401 && session.key() !== null) {
    session.signOut()
    window.location.assign('/console/sign-in')
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onOmbudsError }),
  mutationCache: new MutationCache({ onError: onOmbudsError }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // The client already retries 429 and 503; an answered error will not change by asking
      // again, a dropped connection may.
      retry: (count, error) => !(error instanceof OmbudsError) && count < 2
    }
  }
})

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ShortcutsProvider>
        <AnnouncerProvider>
          <BrowserRouter basename='/console'>
            <Routes>
              <Route path='sign-in' element={<SignInPage />} />
              <Route element={<RequireSession><Shell /></RequireSession>}>
                <Route index element={<Navigate to='/complaints' replace />} />
                <Route path='complaints' element={<InboxPage />} />
                <Route path='complaints/:id' element={<ComplaintPage />} />
                <Route path='suppressions' element={<SuppressionsPage />} />
                <Route path='rates' element={<RatesPage />} />
                <Route path='audit' element={<AuditPage />} />
                <Route path='*' element={<Navigate to='/complaints' replace />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </AnnouncerProvider>
      </ShortcutsProvider>
    </QueryClientProvider>
  </StrictMode>
)
