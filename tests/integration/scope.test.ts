// The scope helpers (app/auth/scope.server.ts) against a real database on every engine: the SQL
// subtree test agrees with the pure one, never matches a sibling whose id starts alike nor a path
// with LIKE wildcards in it; task visibility; the whole-tree check; units on one line; unit and
// owner checks with their one message set; people in scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nowIso } from '../../db/ids'
import { AppError } from '../../app/errors'
import { inScope, type Actor } from '../../app/auth/scope'
import {
  coversWholeTree,
  inSubtree,
  listPeople,
  requireOwner,
  requireUnit,
  scopeRoot,
  taskVisible,
  unitIdsInLineWith,
  unitIdsUnder,
} from '../../app/auth/scope.server'
import { createUser } from '../../app/org/org.server'
import { zh } from '../../app/ui/zh'
import { createTestDb, engines, type TestDb } from '../support/db'

// Ids chosen to trip a careless prefix test: "1/2" and "1/20", and ids holding LIKE's wildcards.
const UNITS = [
  { id: '1', parent: null, path: '/1/' },
  { id: '2', parent: '1', path: '/1/2/' },
  { id: '3', parent: '2', path: '/1/2/3/' },
  { id: '20', parent: '1', path: '/1/20/' },
  { id: 'a_b', parent: '1', path: '/1/a_b/' },
  { id: 'aXb', parent: '1', path: '/1/aXb/' },
  { id: 'p%', parent: '1', path: '/1/p%/' },
  { id: 'pq', parent: '1', path: '/1/pq/' },
  { id: '9', parent: null, path: '/9/' },
]

describe.each(engines)('scope helpers on %s', engine => {
  let t: TestDb
  const user: Record<string, Actor> = {}

  beforeAll(async () => {
    t = await createTestDb(engine)
    for (const u of UNITS)
      await t.db
        .insertInto('units')
        .values({ id: u.id, name: `单位${u.id}`, parent_id: u.parent, path: u.path, created_at: nowIso() })
        .execute()
    const mk = async (username: string, role: Actor['role'], unitId: string, active = true) => {
      const { id } = await createUser(t.db, { username, displayName: username, password: 'password-1', role, unitId })
      if (!active) await t.db.updateTable('users').set({ active: 0 }).where('id', '=', id).execute()
      user[username] = { id, role, unitId, unitPath: UNITS.find(u => u.id === unitId)!.path }
    }
    await mk('admin', 'admin', '9')
    await mk('sup2', 'supervisor', '2')
    await mk('staff3', 'staff', '3')
    await mk('staff20', 'staff', '20')
    await mk('ovs2', 'oversight', '2')
    await mk('gone3', 'staff', '3', false)
    await mk('supab', 'supervisor', 'a_b')
    await mk('suppct', 'supervisor', 'p%')
    await mk('other', 'supervisor', '9')
  }, 60_000)
  afterAll(() => t.cleanup())

  const unitsIn = async (actor: Actor) =>
    (await t.db.selectFrom('units').select('id').where(inSubtree(actor, 'units.path')).orderBy('id').execute()).map(u => u.id)
  const under = async (path: string) => (await unitIdsUnder(t.db, path).orderBy('units.id').execute()).map(u => u.id)

  it('the SQL subtree agrees with the pure rule for every actor and unit: no sibling, no wildcard match', async () => {
    for (const actor of Object.values(user)) {
      expect(await unitsIn(actor), actor.unitPath).toEqual(
        UNITS.filter(u => inScope(actor, u.path))
          .map(u => u.id)
          .sort(),
      )
    }
    expect(await under('/1/2/')).toEqual(['2', '3'])
    expect(await under('/1/2')).toEqual(['2', '3']) // a root without its closing "/" is still a subtree, not a name prefix
    expect(await under('/1/a_b/')).toEqual(['a_b']) // "_" is not a wildcard here
    expect(await under('/1/p%/')).toEqual(['p%']) // nor "%"
  })

  it('tasks: in scope, or owned wherever they lie', async () => {
    const now = nowIso()
    await t.db
      .insertInto('reports')
      .values({
        id: 'r',
        filename: 'r.txt',
        format: 'txt',
        size_bytes: 1,
        sha256: 'scope-r',
        encoding: 'UTF-8',
        text: '',
        status: 'confirmed',
        error: null,
        agency_id: null,
        agency_name: null,
        year: 2024,
        published_at: null,
        title: null,
        unit_id: '1',
        uploaded_by: null,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    await t.db
      .insertInto('report_items')
      .values(
        ['i1', 'i2', 'i3'].map((id, seq) => ({
          id,
          report_id: 'r',
          seq,
          kind: 'plan' as const,
          title: id,
          text: id,
          start_offset: 0,
          end_offset: 1,
          answers: '[]',
          due_date: null,
          created_at: now,
        })),
      )
      .execute()
    const task = (id: string, item: string, unit: string, owner: string | null) => ({
      id,
      report_id: 'r',
      item_id: item,
      kind: 'plan' as const,
      title: id,
      text: '',
      unit_id: unit,
      owner_id: owner,
      due_date: null,
      priority: 'normal' as const,
      status: owner ? ('in_progress' as const) : ('unassigned' as const),
      created_by: null,
      created_at: now,
      updated_at: now,
      closed_at: null,
    })
    // t20 lies in unit 20 but is owned by staff3 (as after a move): the owner still sees it
    await t.db
      .insertInto('tasks')
      .values([task('t3', 'i1', '3', null), task('t20', 'i2', '20', user.staff3.id), task('t1', 'i3', '1', null)])
      .execute()
    const visible = async (actor: Actor) =>
      (
        await t.db
          .selectFrom('tasks')
          .innerJoin('units', 'units.id', 'tasks.unit_id')
          .select('tasks.id')
          .where(taskVisible(actor))
          .orderBy('tasks.id')
          .execute()
      ).map(r => r.id)
    expect(await visible(user.admin)).toEqual(['t1', 't20', 't3'])
    expect(await visible(user.sup2)).toEqual(['t3'])
    expect(await visible(user.staff3)).toEqual(['t20', 't3'])
    expect(await visible(user.staff20)).toEqual(['t20'])
    expect(await visible(user.other)).toEqual([])
  })

  it('requireUnit and requireOwner: one message set, owners active, of an owner role, in scope and in the unit’s subtree', async () => {
    const refused = async (p: Promise<unknown>, message: string) => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(AppError)
      expect(err).toMatchObject({ status: 400, message })
    }
    expect(await requireUnit(t.db, user.sup2, '3')).toMatchObject({ id: '3', path: '/1/2/3/' })
    await refused(requireUnit(t.db, user.sup2, '20'), zh.scope.unitNotInScope)
    await refused(requireUnit(t.db, user.sup2, 'nope'), zh.scope.unitNotInScope)
    expect(await requireUnit(t.db, user.admin, '20')).toMatchObject({ id: '20' })

    expect(await requireOwner(t.db, user.sup2, user.staff3.id, '/1/2/')).toMatchObject({ id: user.staff3.id })
    expect(await requireOwner(t.db, user.sup2, user.sup2.id, '/1/2/')).toMatchObject({ id: user.sup2.id })
    await refused(requireOwner(t.db, user.sup2, user.gone3.id, '/1/2/'), zh.scope.ownerInactive)
    await refused(requireOwner(t.db, user.sup2, 'nobody', '/1/2/'), zh.scope.ownerInactive)
    await refused(requireOwner(t.db, user.sup2, user.staff20.id, '/1/2/'), zh.scope.ownerInactive) // outside the actor's scope
    await refused(requireOwner(t.db, user.sup2, user.ovs2.id, '/1/2/'), zh.scope.ownerRole)
    await refused(requireOwner(t.db, user.admin, user.admin.id, '/9/'), zh.scope.ownerRole)
    await refused(requireOwner(t.db, user.sup2, user.sup2.id, '/1/2/3/'), zh.scope.ownerNotInUnit)
    await refused(requireOwner(t.db, user.sup2, user.sup2.id, '/1/2/3/', { kept: true }), zh.scope.unitWithoutOwner)
    // the admin may set anyone of an owner role, but still only within the unit's subtree
    await refused(requireOwner(t.db, user.admin, user.staff20.id, '/1/2/'), zh.scope.ownerNotInUnit)
    expect(await requireOwner(t.db, user.admin, user.staff20.id, '/1/20/')).toMatchObject({ id: user.staff20.id })
  })

  it('listPeople: the actor’s subtree (everyone for an admin), one unit’s, by role, and who may own tasks', async () => {
    const names = async (actor: Actor, opts: Parameters<typeof listPeople>[2] = {}) =>
      (await listPeople(t.db, actor, opts)).map(p => p.username).sort()
    expect(await names(user.sup2)).toEqual(['gone3', 'ovs2', 'staff3', 'sup2'])
    expect(await names(user.sup2, { owners: true })).toEqual(['staff3', 'sup2'])
    expect(await names(user.sup2, { unitId: '3' })).toEqual(['gone3', 'staff3'])
    expect(await names(user.sup2, { roles: ['oversight'] })).toEqual(['ovs2'])
    expect(await names(user.supab)).toEqual(['supab'])
    expect(await names(user.suppct)).toEqual(['suppct'])
    expect(await names(user.admin)).toHaveLength(Object.keys(user).length)
    await expect(listPeople(t.db, user.sup2, { unitId: '20' })).rejects.toMatchObject({ status: 404 })
    const people = await listPeople(t.db, user.staff3)
    expect(people.every(p => inScope(user.staff3, p.unit_path))).toBe(true)
  })

  // Last: it removes the other tree (and its users) for a while.
  it('the whole-tree check, the scope root of a page, and units on one line', async () => {
    expect(await coversWholeTree(t.db, '/1/')).toBe(false) // "/9/" is another tree
    await t.db.deleteFrom('users').where('unit_id', '=', '9').execute()
    await t.db.deleteFrom('units').where('id', '=', '9').execute()
    try {
      expect(await coversWholeTree(t.db, '/1/')).toBe(true)
      expect(await coversWholeTree(t.db, '/1/2/')).toBe(false)
      expect(await scopeRoot(t.db, { ...user.sup2, unitPath: '/1/' }, undefined, { nullWhenWholeTree: true })).toBeNull()
    } finally {
      await t.db.insertInto('units').values({ id: '9', name: '单位9', parent_id: null, path: '/9/', created_at: nowIso() }).execute()
    }
    expect(await scopeRoot(t.db, user.admin)).toBeNull()
    expect(await scopeRoot(t.db, user.sup2)).toBe('/1/2/')
    expect(await scopeRoot(t.db, user.sup2, '3')).toBe('/1/2/3/')
    for (const outside of ['20', '1', 'nope']) await expect(scopeRoot(t.db, user.sup2, outside)).rejects.toMatchObject({ status: 404 })
    const inLine = async (path: string) => (await unitIdsInLineWith(t.db, path).orderBy('units.id').execute()).map(u => u.id)
    expect(await inLine('/1/2/')).toEqual(['1', '2', '3'])
    expect(await inLine('/9/')).toEqual(['9'])
  })
})
