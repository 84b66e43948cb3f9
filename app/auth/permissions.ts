// Who may do what. Pure: the server calls these in every loader and action.
import type { Role } from '../../db/schema'

export type Permission =
  | 'report:read'
  | 'report:create'
  /** Batch import of a directory or .zip (oversight bodies too: it adds reports, never changes work). */
  | 'report:import'
  | 'report:review'
  | 'task:read'
  | 'task:update'
  | 'task:manage'
  | 'ledger:export'
  /** Dashboards across agencies and years (督查总览): read-only, in the user's subtree. */
  | 'oversight:read'
  | 'admin'

const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: [
    'report:read',
    'report:create',
    'report:import',
    'report:review',
    'task:read',
    'task:update',
    'task:manage',
    'ledger:export',
    'oversight:read',
    'admin',
  ],
  supervisor: [
    'report:read',
    'report:create',
    'report:import',
    'report:review',
    'task:read',
    'task:update',
    'task:manage',
    'ledger:export',
    'oversight:read',
  ],
  staff: ['report:read', 'task:read', 'task:update'],
  oversight: ['report:read', 'task:read', 'ledger:export', 'oversight:read'],
}

export const ROLES: readonly Role[] = ['admin', 'supervisor', 'staff', 'oversight']

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function can(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission)
}

// Who may see which unit's work (the subtree rule) and who may own a task: app/auth/scope.ts.
