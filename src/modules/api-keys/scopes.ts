export const CUSTOMER_SCOPES = [
  'complaints:read', 'complaints:write',
  'suppressions:read', 'suppressions:write',
  'reports:read',
  'lists:read', 'lists:write',
  'org:read', 'audit:read',
  'webhooks:read', 'webhooks:write'
] as const

export const PLATFORM_SCOPES = ['platform:admin', 'complaints:file', 'intake:write'] as const

export type CustomerScope = typeof CUSTOMER_SCOPES[number]
export type PlatformScope = typeof PLATFORM_SCOPES[number]
export type Scope = CustomerScope | PlatformScope

export const ROLES = ['owner', 'admin', 'member'] as const
export type Role = typeof ROLES[number]

const MEMBER_SCOPES: CustomerScope[] = ['complaints:read', 'suppressions:read', 'reports:read', 'lists:read', 'org:read', 'audit:read', 'webhooks:read']

/** The contract's role table: owner and admin hold every customer scope, member reads. */
export const ROLE_SCOPES: Record<Role, readonly CustomerScope[]> = {
  owner: CUSTOMER_SCOPES,
  admin: CUSTOMER_SCOPES,
  member: MEMBER_SCOPES
}
