// Who may do what: the one table of role → permissions that every route and every menu consults (docs/privacy.md shows it).
import { staffRoles, type StaffRole } from '../models/staff.ts'

// each permission is a kind of work; routes name the one they need (requirePermission)
export const permissions = [
  // live dashboard and its socket, reception queue and duty, visit pages, notes, check-out, desk confirmation
  'reception:work',
  // open a visitor's phone number (audited, shown once)
  'visits:reveal-phone',
  // the office's channel rules (渠道规则)
  'rules:manage',
  // read and decide brokers' appeals against a ruling
  'appeals:decide',
  // decide appeals for every office of the developer, not only one's own (checked inside the appeal routes)
  'appeals:any-office',
  // the commission report and its CSV
  'commission:view',
  // anonymous reports and their exports
  'reports:view',
  // the display screens' content library and playlists (signage)
  'content:manage',
  // notices, retention, purge runs, consent ledger, data-subject requests, impact assessment
  'privacy:manage',
  // the audit log and its export
  'audit:read',
  // offices, stations, staff and broker accounts
  'admin:manage',
  // the developer-wide report across offices
  'developer-report:view',
  // a broker's own referrals (报备), appeals and presence
  'referrals:own',
  // one's own password
  'account:own',
] as const
export type Permission = (typeof permissions)[number]

export const roles = [...staffRoles, 'broker'] as const
export type Role = StaffRole | 'broker'

// a set per role, not a ranking: marketing and the privacy officer get no reception, rules or commission
export const rolePermissions: Record<Role, readonly Permission[]> = {
  sales: ['reception:work', 'visits:reveal-phone', 'account:own'],
  manager: [
    'reception:work',
    'visits:reveal-phone',
    'rules:manage',
    'appeals:decide',
    'commission:view',
    'account:own',
  ],
  marketing: ['reports:view', 'content:manage', 'account:own'],
  privacy: ['reports:view', 'privacy:manage', 'audit:read', 'account:own'],
  admin: permissions.filter((p) => p !== 'referrals:own'),
  broker: ['referrals:own', 'account:own'],
}

export function can(account: { role: string } | null | undefined, permission: Permission): boolean {
  const granted = account ? rolePermissions[account.role as Role] : undefined
  return !!granted?.includes(permission)
}

// where a signed-in account lands: the first page its permissions open
const homes: [Permission, string][] = [
  ['reception:work', '/dashboard'],
  ['rules:manage', '/rules'],
  ['reports:view', '/reports'],
  ['privacy:manage', '/privacy'],
  ['admin:manage', '/admin'],
  ['referrals:own', '/agent'],
]

export function homePath(account: { role: string }): string {
  return homes.find(([permission]) => can(account, permission))?.[1] ?? '/account/password'
}
