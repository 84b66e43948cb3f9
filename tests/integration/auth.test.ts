import { beforeAll, describe, expect, it } from 'vitest'
import { request, sessionCookieFor, useFreshAppDatabase } from '../support/app'

const dir = useFreshAppDatabase()
let db: typeof import('../../app/db.server')['db']

beforeAll(async () => {
  db = (await import('../../app/db.server')).db
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../db/seed')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'right-password', fixturesDir: dir })
})

describe('login', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const { attemptLogin } = await import('../../app/auth/login.server')
    expect(await attemptLogin(db, { username: 'supervisor', password: 'right-password', ip: '10.0.0.1' })).toMatchObject({ ok: true })
    expect(await attemptLogin(db, { username: 'supervisor', password: 'wrong', ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'invalid' })
    expect(await attemptLogin(db, { username: 'nobody', password: 'right-password', ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'invalid' })
  })

  it('locks a username after 5 failures, even for the right password, and leaves other users alone', async () => {
    const { attemptLogin, MAX_FAILURES_PER_USER } = await import('../../app/auth/login.server')
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) await attemptLogin(db, { username: 'staff', password: 'guess' + i, ip: `10.0.1.${i}` })
    expect(await attemptLogin(db, { username: 'staff', password: 'right-password', ip: '10.0.2.1' })).toEqual({ ok: false, reason: 'locked' })
    expect(await attemptLogin(db, { username: 'oversight', password: 'right-password', ip: '10.0.2.1' })).toMatchObject({ ok: true })
  })

  it('the login action answers 429 with a Chinese message when locked', async () => {
    const login = await import('../../app/routes/login')
    const res = (await login.action({ request: request('/login', { form: { username: 'staff', password: 'right-password' } }), params: {}, context: {} })) as Response
    expect(res.status).toBe(429)
    expect((await res.json()).error).toContain('15 分钟')
  })

  it('stores a scrypt hash, never the password', async () => {
    const row = await db.selectFrom('users').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow()
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(row.password_hash).not.toContain('right-password')
  })
})

describe('sessions', () => {
  it('a session cookie identifies the user until logout, and not after', async () => {
    const { getUser, logout } = await import('../../app/auth/session.server')
    const user = await db.selectFrom('users').select('id').where('username', '=', 'supervisor').executeTakeFirstOrThrow()
    const cookie = await sessionCookieFor(user.id)
    expect((await getUser(request('/', { cookie })))?.username).toBe('supervisor')
    const res = await logout(request('/logout', { cookie, method: 'POST' }))
    expect(res.headers.get('Set-Cookie')).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/)
    expect(await getUser(request('/', { cookie }))).toBeNull()
  })

  it('the cookie is httpOnly and SameSite=Lax, and Secure over HTTPS', async () => {
    const { createUserSession } = await import('../../app/auth/session.server')
    const user = await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
    const plain = (await createUserSession(new Request('http://localhost/login'), user.id, '/')).headers.get('Set-Cookie')!
    expect(plain).toMatch(/HttpOnly/)
    expect(plain).toMatch(/SameSite=Lax/)
    expect(plain).not.toMatch(/Secure/)
    const secure = (await createUserSession(new Request('https://example.gov.cn/login'), user.id, '/')).headers.get('Set-Cookie')!
    expect(secure).toMatch(/Secure/)
  })

  it('a forged cookie value is not accepted', async () => {
    const { getUser } = await import('../../app/auth/session.server')
    expect(await getUser(request('/', { cookie: 'ft_session=InNvbWUtaWQi.forged' }))).toBeNull()
  })
})
