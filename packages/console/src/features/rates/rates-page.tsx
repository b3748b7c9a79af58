import { useQuery } from '@tanstack/react-query'
import { api, type RateRow } from '../../api/client'
import { formatCount, formatPercent, label } from '../../lib/format'
import { useUrlParams } from '../../lib/url-params'
import { describeError } from '../../ui/announcer'
import { Field } from '../../ui/field'
import { RateChart } from './rate-chart'

const GROUPINGS = ['campaign', 'list', 'phone_number', 'domain'] as const
type Grouping = typeof GROUPINGS[number]

const LEVEL_TEXT: Record<RateRow['level'], string> = { ok: 'OK', warning: 'Above 0.1 %', critical: 'Above 0.3 %', unknown: 'Unknown: no sends' }

/** Worst first: the highest known rate, then the rows with no denominator by their complaints. */
const worstFirst = (a: RateRow, b: RateRow): number => (b.rate ?? -1) - (a.rate ?? -1) || b.complaints - a.complaints

export function RatesPage () {
  const [params, set] = useUrlParams<'by' | 'since' | 'until'>()
  const groupBy = (GROUPINGS as readonly string[]).includes(params.get('by') ?? '') ? params.get('by') as Grouping : 'campaign'
  const since = params.get('since') ?? ''
  const until = params.get('until') ?? ''
  const report = useQuery({
    queryKey: ['rates', groupBy, since, until],
    queryFn: async () => (await api.GET('/v1/reports/complaint-rates', {
      params: { query: { group_by: groupBy, ...(since === '' ? {} : { since }), ...(until === '' ? {} : { until }) } }
    })).data
  })
  const rows = [...(report.data?.data ?? [])].sort(worstFirst)
  const measured = rows.filter((row) => row.rate !== null)
  const withoutCampaign = report.data?.meta.complaints_without_campaign ?? 0
  const above = measured.filter((row) => (row.rate ?? 0) >= 0.003).length

  return (
    <>
      <h1>Complaint rates</h1>
      <p>Mailbox providers ask bulk senders to stay under 0.1 % and never reach 0.3 %. A rate compares a group's campaigns' complaints with their sends.</p>
      <fieldset className='filters'>
        <legend>Report</legend>
        <Field label='Group by'>
          {(id) => (
            <select id={id} value={groupBy} onChange={(event) => { set('by', event.target.value) }}>
              {GROUPINGS.map((grouping) => <option key={grouping} value={grouping}>{label(grouping)}</option>)}
            </select>
          )}
        </Field>
        <label>Since<input type='date' value={since} onChange={(event) => { set('since', event.target.value) }} /></label>
        <label>Until<input type='date' value={until} onChange={(event) => { set('until', event.target.value) }} /></label>
      </fieldset>
      {report.isError && <p role='alert' className='error-text'>{describeError(report.error)}</p>}
      {report.isSuccess && rows.length === 0 && <p className='empty'>Nothing to report for this window.</p>}
      {rows.length > 0 && (
        <figure className='rates-figure'>
          <RateChart bars={measured.map((row) => ({ name: row.name ?? row.key, percent: (row.rate ?? 0) * 100 }))} />
          <figcaption>
            {above} of {measured.length} {label(groupBy).toLowerCase()}{measured.length === 1 ? '' : 's'} with sends at or above 0.3 %
            {rows.length > measured.length && `; ${rows.length - measured.length} without sends (rate unknown)`}.
            {withoutCampaign > 0 && ` ${formatCount(withoutCampaign)} complaints in the window name no campaign and have no rate.`}
          </figcaption>
        </figure>
      )}
      {rows.length > 0 && (
        <table className='rates'>
          <caption>Offenders, worst first</caption>
          <thead>
            <tr><th scope='col'>{label(groupBy)}</th><th scope='col'>Sent</th><th scope='col'>Complaints</th><th scope='col'>Rate</th><th scope='col'>Level</th><th scope='col'>Unsubscribes</th><th scope='col'>Without campaign</th></tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope='row'>{row.name ?? row.key}</th>
                <td data-label='Sent' title={row.denominator}>{formatCount(row.sent)}</td>
                <td data-label='Complaints' title={row.numerator}>{formatCount(row.complaints)}</td>
                <td data-label='Rate'>{row.rate === null ? '—' : formatPercent(row.rate)}</td>
                <td data-label='Level'><span className={`badge level-${row.level}`}>{LEVEL_TEXT[row.level]}</span></td>
                <td data-label='Unsubscribes'>{formatCount(row.unsubscribes)}</td>
                <td data-label='Without campaign'>{formatCount(row.complaints_without_campaign)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
