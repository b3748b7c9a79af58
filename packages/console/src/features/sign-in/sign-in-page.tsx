import { useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { session } from '../../api/client'
import { orgQuery } from '../../session'
import { describeError } from '../../ui/announcer'

/** One field, one button; the key is checked against `GET /v1/org` before it is kept. */
export function SignInPage () {
  const navigate = useNavigate()
  const location = useLocation()
  const queryClient = useQueryClient()
  const [key, setKey] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setError(null)
    session.signIn(key.trim())
    try {
      await queryClient.fetchQuery({ ...orgQuery, staleTime: 0 })
      const from = (location.state as { from?: string } | null)?.from
      await navigate(from ?? '/complaints', { replace: true })
    } catch (reason) {
      session.signOut()
      queryClient.removeQueries({ queryKey: orgQuery.queryKey })
      setError(describeError(reason))
    } finally {
      setPending(false)
    }
  }

  return (
    <main id='main' className='sign-in'>
      <h1>Ombuds console</h1>
      <p>Sign in with an API key of your organization. It is kept in this tab only and forgotten when the tab closes.</p>
      <form onSubmit={(event) => { void submit(event) }}>
        <label htmlFor='api-key'>API key</label>
        <input id='api-key' name='api-key' type='password' autoComplete='off' spellCheck={false} required value={key}
          onChange={(event) => { setKey(event.target.value) }} aria-describedby={error === null ? undefined : 'sign-in-error'} />
        <button type='submit' disabled={pending}>Sign in</button>
        {error !== null && <p id='sign-in-error' role='alert' className='error-text'>{error}</p>}
      </form>
    </main>
  )
}
