// GET /api/v1/users: users in the caller's unit subtree (everyone for an admin), e.g. to pick owners.
import { apiJson, apiRoute } from '~/api/respond.server'
import { db } from '~/db.server'

export const { loader, action } = apiRoute({
  async GET({ user }) {
    let q = db
      .selectFrom('users')
      .innerJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'users.active', 'units.name as unit_name'])
    if (user.role !== 'admin') q = q.where('units.path', 'like', `${user.unitPath}%`)
    const users = await q.orderBy('units.path').orderBy('users.username').execute()
    return apiJson({
      users: users.map(u => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role, unitId: u.unit_id, unitName: u.unit_name, active: !!u.active })),
    })
  },
})
