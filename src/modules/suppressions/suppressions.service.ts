import type { Database } from '../../db/database.js'
import type { Channel, SuppressionReason, SuppressionRow } from '../../db/schema.js'
import { newId } from '../../lib/ids.js'
import { deleteSuppression, findSuppression, upsertSuppressions } from './suppressions.repository.js'

/** Whom to stop delivering to: one address, for one number, one domain, or the whole organization. */
export interface SuppressionTarget {
  channel: Channel
  /** Already normalized: E.164 for sms, lower-cased for email. */
  address: string
  phoneNumberId?: string | null
  domainId?: string | null
}

export interface SuppressionOrigin {
  reason: SuppressionReason
  complaintId?: string | null
  createdAt?: Date
}

/**
 * Suppresses each target (idempotent: an existing suppression keeps its first reason).
 * Runs in the caller's transaction; returns the stored rows in input order.
 */
export async function suppress (db: Database, orgId: string, targets: SuppressionTarget[], origin: SuppressionOrigin): Promise<SuppressionRow[]> {
  const createdAt = origin.createdAt ?? new Date()
  return await upsertSuppressions(db, orgId, targets.map((target) => {
    const phoneNumberId = target.phoneNumberId ?? null
    const domainId = target.domainId ?? null
    return {
      id: newId(),
      channel: target.channel,
      address: target.address,
      scope: phoneNumberId !== null ? 'phone_number' as const : domainId !== null ? 'domain' as const : 'org' as const,
      scopeId: phoneNumberId ?? domainId ?? orgId,
      phoneNumberId,
      domainId,
      reason: origin.reason,
      complaintId: origin.complaintId ?? null,
      createdAt
    }
  }))
}

function scopeIdOf (orgId: string, target: SuppressionTarget): string {
  return target.phoneNumberId ?? target.domainId ?? orgId
}

/** Lifts the suppression of one target (optionally only one of a given reason); returns what was removed. */
export async function lift (db: Database, orgId: string, target: SuppressionTarget, reason?: SuppressionReason): Promise<SuppressionRow[]> {
  return await deleteSuppression(db, orgId, { channel: target.channel, address: target.address, scopeId: scopeIdOf(orgId, target), ...(reason !== undefined ? { reason } : {}) })
}

/** The suppression of exactly this target, if any. */
export async function findTargetSuppression (db: Database, orgId: string, target: SuppressionTarget): Promise<SuppressionRow | undefined> {
  return await findSuppression(db, orgId, { channel: target.channel, address: target.address, scopeId: scopeIdOf(orgId, target) })
}

export function toSuppression (row: SuppressionRow) {
  return {
    id: row.id,
    org_id: row.org_id,
    channel: row.channel,
    address: row.address,
    scope: row.scope,
    phone_number_id: row.phone_number_id,
    domain_id: row.domain_id,
    reason: row.reason,
    complaint_id: row.complaint_id,
    created_at: row.created_at.toISOString()
  }
}
