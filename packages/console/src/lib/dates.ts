/**
 * The instant a local calendar day (`yyyy-mm-dd`, as a date input gives it) starts, `offsetDays`
 * later, as the API's RFC 3339 timestamp; undefined for anything that is not a date. A filter
 * "until June 16" asks for the start of June 17 (offset 1), since the API's upper bounds exclude.
 */
export function startOfLocalDay (day: string, offsetDays = 0): string | undefined {
  const date = new Date(`${day}T00:00:00`)
  if (Number.isNaN(date.getTime())) return undefined
  date.setDate(date.getDate() + offsetDays)
  return date.toISOString()
}
