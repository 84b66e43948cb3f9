// GET /api/v1/users: users in the caller's unit subtree (everyone for an admin), e.g. to pick owners.
import { apiJson, apiRoute } from '~/api/respond.server'
import { listPeople } from '~/auth/scope.server'
import { db } from '~/db.server'

export const { loader, action } = apiRoute({
  async GET({ user }) {
    const users = await listPeople(db, user, { orderBy: 'unit' })
    return apiJson({
      users: users.map(u => ({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        role: u.role,
        unitId: u.unit_id,
        unitName: u.unit_name,
        active: !!u.active,
      })),
    })
  },
})
