// GET /api/v1/units: the caller's unit subtree (the whole tree for an admin), parents before children.
import { apiJson, apiRoute } from '~/api/respond.server'
import { db } from '~/db.server'
import { listUnits } from '~/org/org.server'

export const { loader, action } = apiRoute({
  async GET({ user }) {
    const units = await listUnits(db, user)
    return apiJson({ units: units.map(u => ({ id: u.id, name: u.name, parentId: u.parent_id, path: u.path })) })
  },
})
