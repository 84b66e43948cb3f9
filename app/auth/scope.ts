// Who sees what: the unit-scope rule, in one place (decision 016). Pure, so route components
// (browser code) use it too; the SQL form of the same rule is in scope.server.ts.
//
// Units form a tree with materialised paths ("/root/child/", every path ends with "/"), so a
// unit is in a subtree exactly when its path starts with the subtree's root path: "/1/2/" never
// matches "/1/20/" because of the closing "/".
import type { Role } from '../../db/schema'

/** Who is asking: enough to decide scope and permissions (a SessionUser is one). */
export interface Actor {
  id: string
  role: Role
  unitId: string
  unitPath: string
}

/** What scope each role has: `everything` sees every unit; the others their unit's subtree. */
export const ROLE_SCOPE: Record<Role, 'everything' | 'subtree'> = {
  admin: 'everything',
  supervisor: 'subtree',
  staff: 'subtree',
  oversight: 'subtree',
}

/** Roles that may own a task (责任人): those who do the work. Oversight only reads; an admin runs the system. */
export const TASK_OWNER_ROLES: readonly Role[] = ['staff', 'supervisor']

export function canOwnTasks(role: Role): boolean {
  return TASK_OWNER_ROLES.includes(role)
}

/** The path as a subtree root: always ending with "/", so a prefix test cannot match a sibling. */
export function subtreeRoot(path: string): string {
  return path.endsWith('/') ? path : `${path}/`
}

/** Whether the unit at `path` is `rootPath`'s unit or below it. The subtree rule itself. */
export function isUnder(path: string, rootPath: string): boolean {
  return path.startsWith(subtreeRoot(rootPath))
}

/** Whether the actor sees every unit (no subtree to check). */
export function seesEverything(actor: { role: Role }): boolean {
  return ROLE_SCOPE[actor.role] === 'everything'
}

/** Scope is always a subtree: a unit is in scope when it is the actor's unit or below it. Admins see everything. */
export function inScope(actor: { role: Role; unitPath: string }, unitPath: string): boolean {
  return seesEverything(actor) || isUnder(unitPath, actor.unitPath)
}

/** A task is seen by those whose scope holds its unit, and by its owner wherever the owner sits. */
export function canSeeTask(
  actor: { id: string; role: Role; unitPath: string },
  task: { unitPath: string; ownerId: string | null },
): boolean {
  return inScope(actor, task.unitPath) || task.ownerId === actor.id
}

/**
 * The paths of the units above `path`, root first: "/a/b/c/" → ["/a/", "/a/b/"]. A path is
 * "/root/…/unit/": its ancestors are its prefixes that end with a "/" (an indexed IN list, where
 * "path like units.path || '%'" would read every unit).
 */
export function ancestorPaths(path: string): string[] {
  const ancestors: string[] = []
  for (let i = path.indexOf('/', 1); i > 0 && i < path.length - 1; i = path.indexOf('/', i + 1)) ancestors.push(path.slice(0, i + 1))
  return ancestors
}

/** The units (or people, with their unit's path) of a list that lie in the subtree at `rootPath`. */
export function unitsUnder<T>(
  items: readonly T[],
  rootPath: string,
  pathOf: (item: T) => string = item => (item as { path: string }).path,
): T[] {
  return items.filter(item => isUnder(pathOf(item), rootPath))
}

/** Whether the subtree at `rootPath` holds every unit of the list (then there is nothing to filter). */
export function coversAll(rootPath: string, allPaths: readonly string[]): boolean {
  return allPaths.every(p => isUnder(p, rootPath))
}
