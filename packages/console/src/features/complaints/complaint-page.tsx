import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import type { Complaint, ComplaintEvent } from '../../api/client'
import { formatDateTime, label } from '../../lib/format'
import { useShortcuts } from '../../lib/shortcuts'
import { TRANSITIONS, type Transition } from '../../lib/transitions'
import { useSession } from '../../session'
import { describeError, useAnnouncer } from '../../ui/announcer'
import { reporterOf } from './inbox-page'
import { useCampaigns, useComplaint, useComplaintEvents, useTriage } from './queries'

export function ComplaintPage () {
  const { id = '' } = useParams()
  const complaint = useComplaint(id)
  const events = useComplaintEvents(id)
  const navigate = useNavigate()
  useShortcuts({ Escape: () => { navigate(-1) } })

  if (complaint.isPending) return <p role='status'>Loading the complaint…</p>
  if (complaint.isError) {
    return (
      <>
        <h1>Complaint</h1>
        <p role='alert' className='error-text'>{describeError(complaint.error)}</p>
        <Link to='/complaints'>Back to complaints</Link>
      </>
    )
  }
  const data = complaint.data
  return (
    <>
      <nav aria-label='Breadcrumb' className='breadcrumb'><Link to='/complaints'>Complaints</Link> / <span aria-current='page'>{reporterOf(data)}</span></nav>
      <h1>Complaint from <span className='mono'>{reporterOf(data)}</span> <span className={`badge status-${data.status}`}>{label(data.status)}</span></h1>
      <Triage complaint={data} />
      <div className='detail-grid'>
        <Fields complaint={data} />
        <section aria-labelledby='history-heading'>
          <h2 id='history-heading'>History</h2>
          {events.isError && <p role='alert' className='error-text'>{describeError(events.error)}</p>}
          <Timeline events={events.data ?? []} />
        </section>
      </div>
    </>
  )
}

function Triage ({ complaint }: { complaint: Complaint }) {
  const { can, org } = useSession()
  const triage = useTriage()
  const { announce } = useAnnouncer()
  const [note, setNote] = useState(complaint.resolution_note ?? '')
  const [error, setError] = useState<string | null>(null)

  const canWrite = can('complaints:write')
  const move = (transition: Transition | null) => {
    setError(null)
    const status = transition?.to ?? complaint.status
    const noteChanged = note !== (complaint.resolution_note ?? '')
    triage.mutate({ ids: [complaint.id], status, ...(noteChanged ? { resolution_note: note } : {}) }, {
      onSuccess: () => { announce(transition === null ? 'Note saved' : `Complaint moved to ${label(transition.to).toLowerCase()}`) },
      onError: (reason) => { setError(describeError(reason)) }
    })
  }
  useShortcuts(canWrite
    ? Object.fromEntries(TRANSITIONS[complaint.status]
      .flatMap((transition) => transition.key === undefined ? [] : [[transition.key, () => { move(transition) }]]))
    : {})

  if (!canWrite) {
    return <p className='read-only-note'>Read-only: this key's role ({org.key.role ?? 'platform'}) can read this complaint but not triage it.</p>
  }
  return (
    <section aria-label='Triage' className='triage'>
      <div className='triage-buttons'>
        {TRANSITIONS[complaint.status].map((transition) => (
          <button
            key={transition.to} type='button' onClick={() => { move(transition) }} disabled={triage.isPending}
            aria-keyshortcuts={transition.key}
          >
            {transition.name}
          </button>
        ))}
      </div>
      <label htmlFor='resolution-note'>Resolution note</label>
      <textarea
        id='resolution-note' maxLength={2000} rows={3} value={note} onChange={(event) => { setNote(event.target.value) }}
        onKeyDown={(event) => { if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) move(null) }}
      />
      <button type='button' className='secondary' onClick={() => { move(null) }} disabled={triage.isPending || note === (complaint.resolution_note ?? '')}>Save note</button>
      {error !== null && <p role='alert' className='error-text'>{error}</p>}
    </section>
  )
}

function Fields ({ complaint }: { complaint: Complaint }) {
  const { org, can } = useSession()
  const campaign = useCampaigns(can('lists:read')).data?.find((candidate) => candidate.id === complaint.campaign_id)
  const number = org.phone_numbers.find((candidate) => candidate.id === complaint.phone_number_id)
  const domain = org.domains.find((candidate) => candidate.id === complaint.domain_id)
  const rows: Array<[string, React.ReactNode]> = [
    ['Received', formatDateTime(complaint.created_at)],
    ['Status', label(complaint.status)],
    ['Category', label(complaint.category)],
    ['Source', label(complaint.source)],
    ['Channel', label(complaint.channel)],
    ['Reporter', <span className='mono' key='reporter'>{reporterOf(complaint)}</span>],
    ['Number', number === undefined ? null : <Link key='number' to={`/complaints?phone_number_id=${number.id}`}>{number.number}</Link>],
    ['Domain', domain === undefined ? null : <Link key='domain' to={`/complaints?domain_id=${domain.id}`}>{domain.name}</Link>],
    ['Campaign', complaint.campaign_id === null ? null : <Link key='campaign' to={`/complaints?campaign_id=${complaint.campaign_id}`}>{campaign?.name ?? complaint.campaign_id}</Link>],
    ['List', complaint.list_id],
    ['Feedback type', complaint.feedback_type],
    ['Outbound message', complaint.outbound_message_id],
    ['Inbound message', complaint.inbound_message_id],
    ['Excerpt', complaint.excerpt],
    ['Resolution note', complaint.resolution_note],
    ['Resolved', complaint.resolved_at === null ? null : formatDateTime(complaint.resolved_at)],
    ['Updated', formatDateTime(complaint.updated_at)],
    ['Id', <span className='mono' key='id'>{complaint.id}</span>]
  ]
  return (
    <section aria-labelledby='fields-heading'>
      <h2 id='fields-heading'>Details</h2>
      <dl className='fields'>
        {rows.filter(([, value]) => value !== null && value !== '').map(([name, value]) => (
          <div key={name}><dt>{name}</dt><dd>{value}</dd></div>
        ))}
      </dl>
    </section>
  )
}

const EVENT_TEXT: Record<ComplaintEvent['type'], (event: ComplaintEvent) => string> = {
  created: () => 'Filed',
  status_changed: (event) => `${label(event.from_status ?? '')} → ${label(event.to_status ?? '')}`,
  note_changed: () => 'Note changed'
}

function Timeline ({ events }: { events: ComplaintEvent[] }) {
  if (events.length === 0) return <p className='empty'>No history yet.</p>
  return (
    <ol className='timeline'>
      {events.map((event) => (
        <li key={event.id}>
          <span className='timeline-what'>{EVENT_TEXT[event.type](event)}</span>
          <span className='timeline-who'>by {event.actor.label} ({event.actor.kind})</span>
          <time dateTime={event.created_at}>{formatDateTime(event.created_at)}</time>
          {event.resolution_note !== null && event.type !== 'created' && <p className='timeline-note'>{event.resolution_note}</p>}
          {event.classification != null && (
            <p className='timeline-note'>
              Classified as {label(event.classification.kind)}: {event.classification.reason}
              {event.classification.language === null ? '' : ` (language: ${event.classification.language})`}
            </p>
          )}
        </li>
      ))}
    </ol>
  )
}
