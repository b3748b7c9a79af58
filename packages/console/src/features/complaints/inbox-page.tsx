import { useEffect, useMemo, useRef, useState } from 'react'
import { Link, useNavigate } from 'react-router'
import type { Complaint, ComplaintStatus } from '../../api/client'
import { formatCount, formatDateTime, label } from '../../lib/format'
import { loadedRows } from '../../lib/cursor-list'
import { useShortcuts } from '../../lib/shortcuts'
import { TRANSITIONS, type Transition } from '../../lib/transitions'
import { useUrlParams } from '../../lib/url-params'
import { useSession } from '../../session'
import { useAnnouncer } from '../../ui/announcer'
import { AddressSearch } from '../../ui/address-search'
import { Field } from '../../ui/field'
import { LoadMore } from '../../ui/load-more'
import { type FilterParam, toApiFilters } from './filters'
import { useCampaigns, useComplaintCounts, useComplaintList, useTriage } from './queries'

const STATUSES = ['new', 'triage', 'resolved'] as const
const CATEGORIES = ['unwanted_contact', 'phishing_fraud', 'unsolicited_marketing', 'opt_out_not_honored', 'wrong_recipient', 'content_concern', 'other'] as const
const SOURCES = ['recipient', 'carrier', 'staff', 'feedback_loop', 'import'] as const
const CHANNELS = ['sms', 'email'] as const

export const reporterOf = (complaint: Complaint): string => complaint.reporter_number ?? complaint.reporter_email ?? 'unknown reporter'

/** The transitions every one of these statuses allows: a bulk button never fails half-way. */
function commonTransitions (statuses: ComplaintStatus[]): Transition[] {
  const [first, ...rest] = statuses
  if (first === undefined) return []
  return TRANSITIONS[first].filter((transition) => rest.every((status) => TRANSITIONS[status].some((other) => other.to === transition.to)))
}

export function InboxPage () {
  const [params, setFilter, clearFilters] = useUrlParams<FilterParam>()
  const filters = useMemo(() => toApiFilters(params), [params])
  const { reporter, created_after: createdAfter, created_before: createdBefore } = filters
  const counts = useComplaintCounts({ reporter, created_after: createdAfter, created_before: createdBefore })
  const list = useComplaintList(filters)
  const { can, org } = useSession()
  const canTriage = can('complaints:write')
  const triage = useTriage()
  const { announce, fail } = useAnnouncer()
  const navigate = useNavigate()
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [active, setActive] = useState(0)
  const rowsRef = useRef<HTMLTableSectionElement>(null)

  const { rows: complaints, total } = useMemo(() => loadedRows(list.data), [list.data])

  // A new search starts a new selection.
  useEffect(() => { setSelected(new Set()); setActive(0) }, [params])

  const apply = (ids: string[], transition: Transition) => {
    if (ids.length === 0) return
    triage.mutate({ ids, status: transition.to }, {
      onSuccess: () => {
        announce(`${ids.length === 1 ? '1 complaint' : `${ids.length} complaints`} moved to ${label(transition.to).toLowerCase()}`)
        setSelected(new Set())
      },
      onError: fail
    })
  }

  const activeComplaint = complaints[Math.min(active, complaints.length - 1)]
  const targets = selected.size > 0 ? complaints.filter((complaint) => selected.has(complaint.id)) : activeComplaint === undefined ? [] : [activeComplaint]
  const bulkTransitions = commonTransitions(complaints.filter((complaint) => selected.has(complaint.id)).map((complaint) => complaint.status))

  const focusRow = (index: number) => {
    const bounded = Math.max(0, Math.min(index, complaints.length - 1))
    setActive(bounded)
    rowsRef.current?.querySelectorAll<HTMLAnchorElement>('a.row-link')[bounded]?.focus()
  }
  const shortcutFor = (key: 't' | 'r' | 'n') => () => {
    if (!canTriage) return
    const transition = commonTransitions(targets.map((complaint) => complaint.status)).find((candidate) => candidate.key === key)
    if (transition !== undefined) apply(targets.map((complaint) => complaint.id), transition)
  }
  useShortcuts({
    j: () => { focusRow(active + 1) },
    k: () => { focusRow(active - 1) },
    Enter: () => { if (activeComplaint !== undefined) navigate(`/complaints/${activeComplaint.id}`) },
    x: () => { if (activeComplaint !== undefined) toggle(activeComplaint.id) },
    t: shortcutFor('t'),
    r: shortcutFor('r'),
    n: shortcutFor('n')
  })

  const toggle = (id: string) => {
    setSelected((current) => {
      const next = new Set(current)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  }
  const allSelected = complaints.length > 0 && complaints.every((complaint) => selected.has(complaint.id))
  const selectAllRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (selectAllRef.current !== null) selectAllRef.current.indeterminate = selected.size > 0 && !allSelected
  }, [selected, allSelected])

  return (
    <>
      <h1>Complaints</h1>
      <section aria-label='Complaint counts' className='stat-cards'>
        <StatCard name='New' value={counts.data?.new} to={withStatus(params, 'new')} />
        <StatCard name='In triage' value={counts.data?.in_triage} to={withStatus(params, 'triage')} />
        <StatCard name={`Resolved (${counts.data?.resolved_window_days ?? 30} days)`} value={counts.data?.resolved_recent} to={withStatus(params, 'resolved')} />
      </section>

      <AddressSearch
        purpose='Search complaints by reporter' label='Reporter' id='reporter' name='reporter'
        value={params.get('reporter') ?? ''} onSearch={(address) => { setFilter('reporter', address) }}
      />

      <fieldset className='filters'>
        <legend>Filters</legend>
        <Select name='status' label='Status' values={STATUSES} params={params} onChange={setFilter} />
        <Select name='category' label='Category' values={CATEGORIES} params={params} onChange={setFilter} />
        <Select name='source' label='Source' values={SOURCES} params={params} onChange={setFilter} />
        <Select name='channel' label='Channel' values={CHANNELS} params={params} onChange={setFilter} />
        <EntityFilters params={params} onChange={setFilter} />
        <label>Received from<input type='date' value={params.get('from') ?? ''} onChange={(event) => { setFilter('from', event.target.value) }} /></label>
        <label>Received to<input type='date' value={params.get('to') ?? ''} onChange={(event) => { setFilter('to', event.target.value) }} /></label>
        {[...params.keys()].length > 0 && <button type='button' className='link-button' onClick={clearFilters}>Clear filters</button>}
      </fieldset>

      {!canTriage && <p className='read-only-note'>Read-only: this key's role ({org.key.role ?? 'platform'}) can read complaints but not triage them.</p>}

      {canTriage && selected.size > 0 && (
        <div role='toolbar' aria-label={`Bulk actions for ${selected.size} selected complaints`} className='bulk-bar'>
          <span>{selected.size} selected</span>
          {bulkTransitions.map((transition) => (
            <button key={transition.to} type='button' onClick={() => { apply([...selected], transition) }} disabled={triage.isPending}>{transition.name}</button>
          ))}
          {bulkTransitions.length === 0 && <span>No single step applies to all of them.</span>}
          <button type='button' className='secondary' onClick={() => { setSelected(new Set()) }}>Clear selection</button>
        </div>
      )}

      {list.isError && <p role='alert' className='error-text'>Could not load complaints: {String(list.error.message)}</p>}
      {list.isSuccess && complaints.length === 0 && (
        <p className='empty'>{[...params.keys()].length > 0 ? 'No complaint matches these filters.' : 'No complaints yet. They arrive from replies, carrier reports, feedback loops and staff.'}</p>
      )}
      {complaints.length > 0 && (
        <table className='inbox'>
          <caption>{formatCount(total)} {total === 1 ? 'complaint' : 'complaints'}</caption>
          <thead>
            <tr>
              <th scope='col'>
                {canTriage && (
                  <input
                    ref={selectAllRef} type='checkbox' aria-label={allSelected ? 'Deselect all' : 'Select all'} checked={allSelected}
                    onChange={() => { setSelected(allSelected ? new Set() : new Set(complaints.slice(0, 100).map((complaint) => complaint.id))) }}
                  />
                )}
              </th>
              <th scope='col'>Received</th>
              <th scope='col'>Status</th>
              <th scope='col'>Category</th>
              <th scope='col'>Source</th>
              <th scope='col'>Channel</th>
              <th scope='col'>Reporter</th>
              <th scope='col'>Excerpt</th>
            </tr>
          </thead>
          <tbody ref={rowsRef}>
            {complaints.map((complaint, index) => (
              <tr key={complaint.id} aria-selected={selected.has(complaint.id)} className={index === active ? 'active' : undefined}>
                <td>
                  {canTriage && (
                    <input
                      type='checkbox' checked={selected.has(complaint.id)} onChange={() => { toggle(complaint.id) }}
                      aria-label={`Select complaint from ${reporterOf(complaint)}, ${formatDateTime(complaint.created_at)}`}
                    />
                  )}
                </td>
                <td data-label='Received'>
                  <Link className='row-link' to={`/complaints/${complaint.id}`} onFocus={() => { setActive(index) }}>{formatDateTime(complaint.created_at)}</Link>
                </td>
                <td data-label='Status'><span className={`badge status-${complaint.status}`}>{label(complaint.status)}</span></td>
                <td data-label='Category'>{label(complaint.category)}</td>
                <td data-label='Source'>{label(complaint.source)}</td>
                <td data-label='Channel'>{label(complaint.channel)}</td>
                <td data-label='Reporter' className='mono'>{reporterOf(complaint)}</td>
                <td data-label='Excerpt' className='excerpt'>{complaint.excerpt ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore list={list} shown={complaints.length} total={total} />
      <p className='shortcut-help'>Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> opens, <kbd>x</kbd> selects, <kbd>t</kbd> triage, <kbd>r</kbd> resolve, <kbd>n</kbd> back to new.</p>
    </>
  )
}

function withStatus (params: URLSearchParams, status: ComplaintStatus): string {
  const next = new URLSearchParams(params)
  next.set('status', status)
  return `/complaints?${next.toString()}`
}

function StatCard ({ name, value, to }: { name: string, value: number | undefined, to: string }) {
  return (
    <Link to={to} className='stat-card'>
      <span className='stat-name'>{name}</span>
      <span className='stat-value'>{value === undefined ? '…' : formatCount(value)}</span>
    </Link>
  )
}

function Select ({ name, label: text, values, params, onChange, options }: {
  name: FilterParam
  label: string
  values?: readonly string[]
  options?: Array<{ value: string, text: string }>
  params: URLSearchParams
  onChange: (name: FilterParam, value: string) => void
}) {
  const choices = options ?? (values ?? []).map((value) => ({ value, text: label(value) }))
  return (
    <Field label={text}>
      {(id) => (
        <select id={id} value={params.get(name) ?? ''} onChange={(event) => { onChange(name, event.target.value) }}>
          <option value=''>Any</option>
          {choices.map((choice) => <option key={choice.value} value={choice.value}>{choice.text}</option>)}
        </select>
      )}
    </Field>
  )
}

/** Campaign, number and domain filters, named as people know them. */
function EntityFilters ({ params, onChange }: { params: URLSearchParams, onChange: (name: FilterParam, value: string) => void }) {
  const { org, can } = useSession()
  const campaigns = useCampaigns(can('lists:read'))
  return (
    <>
      <Select name='campaign_id' label='Campaign' params={params} onChange={onChange} options={(campaigns.data ?? []).map((campaign) => ({ value: campaign.id, text: campaign.name }))} />
      <Select name='phone_number_id' label='Number' params={params} onChange={onChange} options={org.phone_numbers.map((number) => ({ value: number.id, text: number.number }))} />
      <Select name='domain_id' label='Domain' params={params} onChange={onChange} options={org.domains.map((domain) => ({ value: domain.id, text: domain.name }))} />
    </>
  )
}
