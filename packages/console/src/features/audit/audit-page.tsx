import { useMemo } from 'react'
import { Link } from 'react-router'
import { api, type DataOf, type QueryOf } from '../../api/client'
import { loadedRows, useCursorList } from '../../lib/cursor-list'
import { startOfLocalDay } from '../../lib/dates'
import { formatCount, formatDateTime } from '../../lib/format'
import { useUrlParams } from '../../lib/url-params'
import { describeError } from '../../ui/announcer'
import { Field } from '../../ui/field'
import { LoadMore } from '../../ui/load-more'

type AuditEvent = DataOf<'/v1/audit-events', 'get'>[number]
type AuditQuery = QueryOf<'/v1/audit-events', 'get'>

const TYPES: Array<NonNullable<AuditQuery['type']>> = [
  'complaint.created', 'complaint.status_changed', 'complaint.note_changed',
  'suppression.created', 'suppression.deleted', 'suppression.cleared',
  'api_key.issued', 'api_key.revoked',
  'phone_number.registered', 'phone_number.deleted', 'domain.registered', 'domain.deleted',
  'webhook.created', 'webhook.updated', 'webhook.deleted', 'webhook.secret_rotated', 'webhook.disabled'
]

/** Every change in the organization, newest first: who, how, when, and what it replaced. */
export function AuditPage () {
  const [params, set] = useUrlParams<'type' | 'since' | 'until'>()
  const query = useMemo(() => {
    const type = params.get('type')
    const since = startOfLocalDay(params.get('since') ?? '')
    const until = startOfLocalDay(params.get('until') ?? '', 1)
    return {
      ...(type === null || type === '' ? {} : { type: type as AuditQuery['type'] }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until })
    }
  }, [params])
  const feed = useCursorList<AuditEvent>(['audit', query], async (page) => (await api.GET('/v1/audit-events', { params: { query: { ...query, ...page } } })).data)
  const { rows: events, total } = loadedRows(feed.data)
  return (
    <>
      <h1>Audit</h1>
      <fieldset className='filters'>
        <legend>Filters</legend>
        <Field label='Type'>
          {(id) => (
            <select id={id} value={params.get('type') ?? ''} onChange={(event) => { set('type', event.target.value) }}>
              <option value=''>Any</option>
              {TYPES.map((type) => <option key={type} value={type}>{type}</option>)}
            </select>
          )}
        </Field>
        <label>Since<input type='date' value={params.get('since') ?? ''} onChange={(event) => { set('since', event.target.value) }} /></label>
        <label>Until<input type='date' value={params.get('until') ?? ''} onChange={(event) => { set('until', event.target.value) }} /></label>
      </fieldset>
      {feed.isError && <p role='alert' className='error-text'>{describeError(feed.error)}</p>}
      {feed.isSuccess && events.length === 0 && <p className='empty'>Nothing recorded for these filters.</p>}
      {events.length > 0 && (
        <table>
          <caption>{formatCount(total)} {total === 1 ? 'entry' : 'entries'}</caption>
          <thead><tr><th scope='col'>When</th><th scope='col'>What</th><th scope='col'>Subject</th><th scope='col'>Who</th><th scope='col'>How</th><th scope='col'>Change</th></tr></thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td data-label='When'>{formatDateTime(event.created_at)}</td>
                <td data-label='What'>{event.type}</td>
                <td data-label='Subject' className='mono'>
                  {event.subject.type === 'complaint' ? <Link to={`/complaints/${event.subject.id}`}>complaint {event.subject.id.slice(-8)}</Link> : `${event.subject.type} ${event.subject.id.slice(-8)}`}
                </td>
                <td data-label='Who'>{event.actor.label}{event.actor.role === null ? '' : ` (${event.actor.role})`}{event.actor.key_prefix === null ? '' : ` · ${event.actor.key_prefix}`}</td>
                <td data-label='How'>{event.via}</td>
                <td data-label='Change' className='change'>{describeChange(event)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore list={feed} shown={events.length} total={total} />
    </>
  )
}

/** The fields that differ between before and after, as "field: old → new". */
function describeChange (event: AuditEvent): string {
  const before = event.before ?? {}
  const after = event.after ?? {}
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
  return fields.slice(0, 4).map((field) => `${field}: ${String(before[field] ?? '—')} → ${String(after[field] ?? '—')}`).join('; ')
}
