import type { ComplaintStatus } from '../api/client'

export interface Transition {
  to: ComplaintStatus
  /** The button's accessible name, as the issue and the tests read it. */
  name: 'Triage' | 'Resolve' | 'Reopen' | 'Back to new'
  /** The single-key shortcut, when the transition has one. */
  key?: 't' | 'r' | 'n'
}

/**
 * The API's transition table as buttons: only what the current status allows is offered,
 * so resolved→new (a 409) is never a button at all.
 */
export const TRANSITIONS: Record<ComplaintStatus, Transition[]> = {
  new: [{ to: 'triage', name: 'Triage', key: 't' }, { to: 'resolved', name: 'Resolve', key: 'r' }],
  triage: [{ to: 'resolved', name: 'Resolve', key: 'r' }, { to: 'new', name: 'Back to new', key: 'n' }],
  resolved: [{ to: 'triage', name: 'Reopen' }]
}

export const allows = (from: ComplaintStatus, to: ComplaintStatus): boolean => TRANSITIONS[from].some((transition) => transition.to === to)
