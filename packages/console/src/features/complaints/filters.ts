import type { ComplaintFilters } from '../../api/client'
import { startOfLocalDay } from '../../lib/dates'

/** The inbox's filters as they sit in the URL (shareable; the back button restores them). */
const FILTER_PARAMS = ['status', 'category', 'source', 'channel', 'campaign_id', 'phone_number_id', 'domain_id', 'reporter', 'from', 'to'] as const
export type FilterParam = typeof FILTER_PARAMS[number]

/** URL → API query: `from`/`to` are whole local days, `to` included. */
export function toApiFilters (params: URLSearchParams): ComplaintFilters {
  const filters: Record<string, string> = {}
  for (const name of FILTER_PARAMS) {
    const value = params.get(name)
    if (value === null || value === '') continue
    if (name === 'from') {
      const after = startOfLocalDay(value)
      if (after !== undefined) filters.created_after = after
    } else if (name === 'to') {
      const before = startOfLocalDay(value, 1)
      if (before !== undefined) filters.created_before = before
    } else {
      filters[name] = value
    }
  }
  return filters as ComplaintFilters
}
