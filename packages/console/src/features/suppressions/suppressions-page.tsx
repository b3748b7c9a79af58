import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useMemo, useState } from 'react'
import { api, type Suppression, type SuppressionFilters } from '../../api/client'
import { loadedRows, useCursorList } from '../../lib/cursor-list'
import { formatCount, formatDateTime, label } from '../../lib/format'
import { useUrlParams } from '../../lib/url-params'
import { useSession } from '../../session'
import { describeError, useAnnouncer } from '../../ui/announcer'
import { AddressSearch } from '../../ui/address-search'
import { Dialog } from '../../ui/dialog'
import { Field } from '../../ui/field'
import { LoadMore } from '../../ui/load-more'
import { ImportCsv } from './import-csv'

const PARAMS = ['address', 'channel', 'reason', 'scope'] as const

export function SuppressionsPage () {
  const [params, setFilter] = useUrlParams<typeof PARAMS[number]>()
  const filters = useMemo(() => Object.fromEntries(PARAMS.flatMap((name) => {
    const value = params.get(name)
    return value === null || value === '' ? [] : [[name, value]]
  })) as SuppressionFilters, [params])
  const { can } = useSession()
  const canWrite = can('suppressions:write')
  const list = useCursorList<Suppression>(['suppressions', filters], async (page) => (await api.GET('/v1/suppressions', { params: { query: { ...filters, ...page } } })).data)
  const { rows, total } = loadedRows(list.data)
  const [adding, setAdding] = useState(false)
  const [lifting, setLifting] = useState<Suppression | null>(null)

  return (
    <>
      <h1>Suppressions</h1>
      <p>People the organization must not message: opt-outs, complaints, imports and manual entries. The send path's check reads the same rows.</p>
      <AddressSearch
        purpose='Search suppressions by address' label='Address' id='address-search' name='address'
        value={params.get('address') ?? ''} onSearch={(address) => { setFilter('address', address) }}
      />
      <fieldset className='filters'>
        <legend>Filters</legend>
        {([['channel', 'Channel', ['sms', 'email']], ['reason', 'Reason', ['opt_out', 'complaint', 'manual', 'import', 'unsubscribe']], ['scope', 'Scope', ['org', 'phone_number', 'domain']]] as const).map(([name, text, values]) => (
          <Field key={name} label={text}>
            {(id) => (
              <select id={id} value={params.get(name) ?? ''} onChange={(event) => { setFilter(name, event.target.value) }}>
                <option value=''>Any</option>
                {values.map((value) => <option key={value} value={value}>{label(value)}</option>)}
              </select>
            )}
          </Field>
        ))}
      </fieldset>
      {canWrite
        ? <p><button type='button' onClick={() => { setAdding(true) }}>Add suppression</button></p>
        : <p className='read-only-note'>Read-only: this key can read suppressions but not add or lift them.</p>}

      {list.isError && <p role='alert' className='error-text'>{describeError(list.error)}</p>}
      {list.isSuccess && rows.length === 0 && <p className='empty'>{[...params.keys()].length > 0 ? 'No suppression matches.' : 'No suppressions yet.'}</p>}
      {rows.length > 0 && (
        <table>
          <caption>{formatCount(total)} {total === 1 ? 'suppression' : 'suppressions'}</caption>
          <thead><tr><th scope='col'>Address</th><th scope='col'>Channel</th><th scope='col'>Reason</th><th scope='col'>Scope</th><th scope='col'>Added</th><th scope='col'><span className='visually-hidden'>Actions</span></th></tr></thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td data-label='Address' className='mono'>{row.address}</td>
                <td data-label='Channel'>{label(row.channel)}</td>
                <td data-label='Reason'>{label(row.reason)}</td>
                <td data-label='Scope'>{label(row.scope)}</td>
                <td data-label='Added'>{formatDateTime(row.created_at)}</td>
                <td>{canWrite && <button type='button' className='secondary' aria-label={`Lift ${row.address}`} onClick={() => { setLifting(row) }}>Lift</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore list={list} shown={rows.length} total={total} />
      {canWrite && <ImportCsv />}
      <Dialog open={adding} title='Add suppression' onClose={() => { setAdding(false) }}>
        <AddSuppression onDone={() => { setAdding(false) }} />
      </Dialog>
      <Dialog open={lifting !== null} title='Lift suppression' onClose={() => { setLifting(null) }}>
        {lifting !== null && <LiftSuppression suppression={lifting} onDone={() => { setLifting(null) }} />}
      </Dialog>
    </>
  )
}

function AddSuppression ({ onDone }: { onDone: () => void }) {
  const { org } = useSession()
  const queryClient = useQueryClient()
  const { announce } = useAnnouncer()
  const [channel, setChannel] = useState<'sms' | 'email'>('sms')
  const [error, setError] = useState<string | null>(null)
  const add = useMutation({
    mutationFn: async (entry: { channel: 'sms' | 'email', address: string, phone_number_id?: string, domain_id?: string }) =>
      (await api.POST('/v1/suppressions', { body: { suppressions: [entry] } })).data,
    onSuccess: async (_data, entry) => {
      announce(`Suppressed ${entry.address}`)
      await queryClient.invalidateQueries({ queryKey: ['suppressions'] })
      onDone()
    },
    onError: (reason) => { setError(describeError(reason)) }
  })
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const sender = String(form.get('sender') ?? '')
    add.mutate({
      channel,
      address: String(form.get('address') ?? '').trim(),
      ...(sender === '' ? {} : channel === 'sms' ? { phone_number_id: sender } : { domain_id: sender })
    })
  }
  const senders = channel === 'sms'
    ? org.phone_numbers.map((number) => ({ id: number.id, name: number.number }))
    : org.domains.map((domain) => ({ id: domain.id, name: domain.name }))
  return (
    <form onSubmit={submit} className='stacked'>
      <Field label='Channel'>
        {(id) => (
          <select id={id} name='channel' value={channel} onChange={(event) => { setChannel(event.target.value as 'sms' | 'email') }}>
            <option value='sms'>SMS</option>
            <option value='email'>Email</option>
          </select>
        )}
      </Field>
      <label>Address<input name='address' required autoComplete='off' placeholder={channel === 'sms' ? '+1 415 555 0123' : 'person@example.com'} /></label>
      <Field label={channel === 'sms' ? 'From number' : 'From domain'}>
        {(id) => (
          <select id={id} name='sender' defaultValue=''>
            <option value=''>Every sender of the organization</option>
            {senders.map((sender) => <option key={sender.id} value={sender.id}>{sender.name}</option>)}
          </select>
        )}
      </Field>
      {error !== null && <p role='alert' className='error-text'>{error}</p>}
      <div className='dialog-buttons'>
        <button type='submit' disabled={add.isPending}>Add suppression</button>
        <button type='button' className='secondary' onClick={onDone}>Cancel</button>
      </div>
    </form>
  )
}

function LiftSuppression ({ suppression, onDone }: { suppression: Suppression, onDone: () => void }) {
  const queryClient = useQueryClient()
  const { announce } = useAnnouncer()
  const [error, setError] = useState<string | null>(null)
  const lift = useMutation({
    mutationFn: async () => await api.DELETE('/v1/suppressions/{id}', { params: { path: { id: suppression.id } } }),
    onSuccess: async () => {
      announce(`Lifted the suppression of ${suppression.address}`)
      await queryClient.invalidateQueries({ queryKey: ['suppressions'] })
      onDone()
    },
    onError: (reason) => { setError(describeError(reason)) }
  })
  return (
    <>
      <p>Messages to <strong className='mono'>{suppression.address}</strong> will be allowed again{suppression.scope === 'org' ? ' from every sender' : ' from this sender'}.</p>
      {suppression.reason !== 'manual' && suppression.reason !== 'import' && (
        <p className='warning'>This person {suppression.reason === 'complaint' ? 'complained' : 'asked to stop'}. Lift it only if they have opted in again.</p>
      )}
      {error !== null && <p role='alert' className='error-text'>{error}</p>}
      <div className='dialog-buttons'>
        <button type='button' className='danger' onClick={() => { lift.mutate() }} disabled={lift.isPending}>Lift</button>
        <button type='button' className='secondary' onClick={onDone}>Cancel</button>
      </div>
    </>
  )
}
