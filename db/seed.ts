// Demo organisation for a first run: a small unit tree, one user per role, and the five sample
// reports stored as queued so the worker processes them exactly as it would an upload.
import fs from 'node:fs'
import path from 'node:path'
import type { DB } from './db'
import { createUnit, createUser } from '../app/org/org.server'
import { storeReport } from '../app/reports/reports.server'

export const DEMO_SETTING = 'demo_password'

export async function isEmpty(db: DB): Promise<boolean> {
  const row = await db.selectFrom('users').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n) === 0
}

export async function seedDemo(db: DB, opts: { password: string; fixturesDir: string }): Promise<{ reports: number }> {
  const root = await createUnit(db, { name: '示范市人民政府办公室（政务公开办）' })
  const ndrc = await createUnit(db, { name: '示范市发展和改革委员会', parentId: root.id })
  await createUnit(db, { name: '综合科', parentId: ndrc.id })
  await createUnit(db, { name: '示范市教育局', parentId: root.id })
  await createUnit(db, { name: '示范市政务服务中心', parentId: root.id })

  const people = [
    { username: 'admin', displayName: '系统管理员', role: 'admin', unitId: root.id },
    { username: 'supervisor', displayName: '张督办', role: 'supervisor', unitId: root.id },
    { username: 'staff', displayName: '李责任', role: 'staff', unitId: ndrc.id },
    { username: 'oversight', displayName: '王监督', role: 'oversight', unitId: root.id },
  ] as const
  let supervisorId: string | null = null
  for (const p of people) {
    const { id } = await createUser(db, { ...p, password: opts.password, email: `${p.username}@demo.example` })
    if (p.username === 'supervisor') supervisorId = id
  }

  const files = fs.existsSync(opts.fixturesDir) ? fs.readdirSync(opts.fixturesDir).filter(f => /^00.*\.txt$/.test(f)).sort() : []
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(opts.fixturesDir, f))
    await storeReport(db, { bytes, filename: f, unitId: root.id, uploadedBy: supervisorId })
  }
  await db.insertInto('settings').values({ key: DEMO_SETTING, value: opts.password }).onConflict(oc => oc.column('key').doUpdateSet({ value: opts.password })).execute()
  return { reports: files.length }
}

/** The demo password to show on the login page, while the demo users still exist. */
export async function demoLoginHint(db: DB): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', DEMO_SETTING).executeTakeFirst()
  if (!row) return null
  const demoUser = await db.selectFrom('users').select('id').where('username', '=', 'supervisor').executeTakeFirst()
  return demoUser ? row.value : null
}
