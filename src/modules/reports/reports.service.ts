import type { Database } from '../../db/database.js'
import { notFound, Problems, validationFailed } from '../../errors.js'
import { isUuid } from '../../lib/ids.js'
import {
  countComplaintsWithoutCampaign, type RateCount, type RateGrouping, selectComplaintRateCounts, selectListComplaintPage, type WrittenListComplaint
} from './reports.repository.js'

/** The mailbox providers' bulk-sender thresholds, as complaints per message sent. */
const WARNING_RATE = 0.001
const CRITICAL_RATE = 0.003

export type RateLevel = 'ok' | 'warning' | 'critical' | 'unknown'

/**
 * The level of `complaints / sent`, computed on integers so that exactly 0.1 % is a
 * warning and exactly 0.3 % critical. With nothing sent there is no rate to judge:
 * unknown, never ok (28 complaints over no recorded sends are not reassuring).
 */
export function rateLevel (complaints: number, sent: number): RateLevel {
  if (sent <= 0) return 'unknown'
  if (complaints * 1000 >= sent * 3) return 'critical'
  if (complaints * 1000 >= sent) return 'warning'
  return 'ok'
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i

/** yyyy-mm-dd (midnight UTC) or an RFC 3339 timestamp with an offset; null for anything else. */
function parseReportTime (text: string): Date | null {
  const day = DATE_ONLY.exec(text)
  if (day !== null) return parseDay(text)
  if (!DATE_TIME.test(text)) return null
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? null : date
}

/** A calendar day yyyy-mm-dd as midnight UTC; null when it is not one (2016-02-30 is not). */
export function parseDay (text: string): Date | null {
  const day = DATE_ONLY.exec(text)
  if (day === null) return null
  const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])))
  return date.toISOString().slice(0, 10) === text ? date : null
}

export interface RateQuery {
  group_by: RateGrouping
  since?: string
  until?: string
}

/** What a row's denominator is, in words (the row says it, so nobody reads a rate without its basis). */
function denominatorOf (count: RateCount): string {
  if (count.campaigns === 0) return 'none: no campaign of this group was created in the window'
  const campaigns = count.campaigns === 1 ? '1 campaign' : `${count.campaigns} campaigns`
  if (count.sent > 0) return `sent_count of the ${campaigns} created in the window`
  return `none: the ${campaigns} created in the window ${count.campaigns === 1 ? 'records' : 'record'} no sends (sent_count 0)`
}

/**
 * Complaint rates per campaign, list, sending number or domain. A row's denominator
 * (`sent`) sums `sent_count` of the group's campaigns created in [since, until); its
 * numerator (`complaints`) counts the complaints that name one of those campaigns, so the
 * rate compares complaints with the sends they are about. Complaints that name no campaign
 * (attributed to the group by their own list, number or domain, created in the window)
 * have no denominator: they are reported as `complaints_without_campaign`, outside the
 * rate. No sends: the level is `unknown`, never `ok`.
 */
export async function complaintRates (db: Database, orgId: string, query: RateQuery) {
  const problems = new Problems()
  const since = query.since === undefined ? null : parseReportTime(query.since)
  const until = query.until === undefined ? null : parseReportTime(query.until)
  if (query.since !== undefined && since === null) problems.add('since', 'must be a date (yyyy-mm-dd) or an RFC 3339 timestamp')
  if (query.until !== undefined && until === null) problems.add('until', 'must be a date (yyyy-mm-dd) or an RFC 3339 timestamp')
  if (since !== null && until !== null && since.getTime() >= until.getTime()) problems.add('until', 'must be after since')
  problems.throwIfAny()

  const [counts, withoutCampaign] = await Promise.all([
    selectComplaintRateCounts(db, orgId, query.group_by, since, until),
    countComplaintsWithoutCampaign(db, orgId, since, until)
  ])
  const rows = counts.map((count) => ({
    key: count.key,
    name: count.name,
    complaints: count.complaints,
    sent: count.sent,
    rate: count.sent > 0 ? count.complaints / count.sent : null,
    level: rateLevel(count.complaints, count.sent),
    campaigns: count.campaigns,
    denominator: denominatorOf(count),
    numerator: count.campaigns === 0 ? 'none: no campaign, so no complaint of a campaign' : 'complaints naming those campaigns, whenever received',
    complaints_without_campaign: count.complaintsWithoutCampaign,
    unsubscribes: count.unsubscribes
  }))
  rows.sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.complaints - a.complaints || b.complaints_without_campaign - a.complaints_without_campaign || (a.name ?? '').localeCompare(b.name ?? '') || a.key.localeCompare(b.key))
  return {
    data: rows,
    meta: {
      total: rows.length,
      group_by: query.group_by,
      since: since?.toISOString() ?? null,
      until: until?.toISOString() ?? null,
      complaints_without_campaign: withoutCampaign,
      warning_rate: WARNING_RATE,
      critical_rate: CRITICAL_RATE
    }
  }
}

const LIST_REPORT_PAGE_SIZE = 500

export interface ListComplaintReportQuery {
  /** First UTC day (yyyy-mm-dd) of the window, or null for no lower bound */
  startDay: string | null
  /** UTC day (yyyy-mm-dd) the window ends before, or null for no upper bound */
  endDay: string | null
  skip: number
}

export interface ListComplaintReport {
  total: number
  skip: number
  max: number
  /** The page's complaints as WhatCounts subscriber records, written by PostgreSQL (see `selectListComplaintPage`) */
  records: WrittenListComplaint[]
}

/**
 * The complaints on one list (its campaigns' complaints, which inherit the list) in a
 * window of whole UTC days, newest first, `skip` rows in, 500 at most, each with the complainer's contact on that list when
 * there is one. `listReference` is the list's id or its external_id; another
 * organization's list is not found. One statement.
 */
export async function listComplaintReport (db: Database, orgId: string, listReference: string, query: ListComplaintReportQuery): Promise<ListComplaintReport> {
  const skip = Math.min(Math.max(0, Math.trunc(query.skip)), Number.MAX_SAFE_INTEGER)
  if (query.startDay !== null && parseDay(query.startDay) === null) throw validationFailed({ start: 'must be a day, yyyy-mm-dd' })
  if (query.endDay !== null && parseDay(query.endDay) === null) throw validationFailed({ end: 'must be a day, yyyy-mm-dd' })
  const list = { id: isUuid(listReference) ? listReference.toLowerCase() : null, externalId: listReference }
  const page = await selectListComplaintPage(db, orgId, list, { startDay: query.startDay, endDay: query.endDay }, skip, LIST_REPORT_PAGE_SIZE)
  if (!page.listFound) throw notFound()
  return { total: page.total, skip, max: LIST_REPORT_PAGE_SIZE, records: page.records }
}
