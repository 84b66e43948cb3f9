import { beforeAll, describe, expect, it } from 'vitest'
import { request, sessionCookieFor, useFreshAppDatabase } from '../support/app'

const dir = useFreshAppDatabase()
let db: (typeof import('../../app/db.server'))['db']

beforeAll(async () => {
  db = (await import('../../app/db.server')).db
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'right-password', fixturesDir: dir })
})

describe('login', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const { attemptLogin } = await import('../../app/auth/login.server')
    expect(await attemptLogin(db, { username: 'supervisor', password: 'right-password', ip: '10.0.0.1' })).toMatchObject({ ok: true })
    expect(await attemptLogin(db, { username: 'supervisor', password: 'wrong', ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'invalid' })
    expect(await attemptLogin(db, { username: 'nobody', password: 'right-password', ip: '10.0.0.1' })).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })

  it('slows guessing from one address down, doubling the wait; the right password from elsewhere still works', async () => {
    const { attemptLogin } = await import('../../app/auth/login.server')
    const { PAIR_POLICY } = await import('../../app/auth/throttle')
    const t0 = new Date('2026-12-07T08:00:00Z')
    const at = (ms: number) => new Date(t0.getTime() + ms)
    for (let i = 0; i < PAIR_POLICY.free + 1; i++)
      expect(await attemptLogin(db, { username: 'staff', password: 'guess' + i, ip: '10.0.1.1' }, at(i))).toEqual({
        ok: false,
        reason: 'invalid',
      })
    // the next one from that address must wait 2 s, even with the right password…
    expect(await attemptLogin(db, { username: 'staff', password: 'right-password', ip: '10.0.1.1' }, at(1_000))).toMatchObject({
      ok: false,
      reason: 'locked',
      retryAfterMs: 1_004,
    })
    // …while the user signs in from another address at once: failing on purpose locks nobody out
    expect(await attemptLogin(db, { username: 'staff', password: 'right-password', ip: '10.0.2.1' }, at(1_000))).toMatchObject({ ok: true })
    // after the wait the guesser may try again, and the wait then doubles
    expect(await attemptLogin(db, { username: 'staff', password: 'guess-again', ip: '10.0.1.1' }, at(2_100))).toEqual({
      ok: false,
      reason: 'invalid',
    })
    expect(await attemptLogin(db, { username: 'staff', password: 'guess-again', ip: '10.0.1.1' }, at(5_000))).toMatchObject({
      ok: false,
      reason: 'locked',
      retryAfterMs: 1_100,
    })
    // a success clears the pair
    expect(await attemptLogin(db, { username: 'staff', password: 'right-password', ip: '10.0.1.1' }, at(7_000))).toMatchObject({ ok: true })
    expect(await db.selectFrom('login_throttle').select('key').where('key', '=', 'pair:staff|10.0.1.1').execute()).toEqual([])
  })

  it('the login action answers 429 with Retry-After and a Chinese message saying how long to wait', async () => {
    const { PAIR_POLICY } = await import('../../app/auth/throttle')
    const login = await import('../../app/routes/login')
    const post = (password: string) =>
      login.action({
        request: request('/login', { form: { username: 'oversight', password } }),
        params: {},
        context: {},
      }) as Promise<Response>
    for (let i = 0; i <= PAIR_POLICY.free; i++) expect((await post('wrong' + i)).status).toBe(401)
    const res = await post('right-password')
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect((await res.json()).error).toMatch(/请 \d+ 秒后再试/)
    await db.deleteFrom('login_throttle').execute()
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

describe('demo accounts on a real installation', () => {
  it('the login page stops showing the demo password once a real user exists, and demo accounts still on it are named', async () => {
    const { demoLoginHint, exposedDemoAccounts } = await import('../../app/org/demo.server')
    const { createUser } = await import('../../app/org/org.server')
    // a pure demo: the hint shows, nothing is "exposed"
    expect(await demoLoginHint(db)).toBe('right-password')
    expect(await exposedDemoAccounts(db)).toEqual([])
    const unit = await db.selectFrom('units').select('id').executeTakeFirstOrThrow()
    await createUser(db, { username: 'wang.real', password: 'a-real-password', role: 'supervisor', unitId: unit.id, displayName: '王正式' })
    expect(await demoLoginHint(db)).toBeNull()
    expect((await exposedDemoAccounts(db)).sort()).toEqual(['admin', 'oversight', 'staff', 'supervisor'])
    // changing a demo account's password (npm run user:update) takes it off the list
    const { hashPassword } = await import('../../app/auth/password.server')
    await db
      .updateTable('users')
      .set({ password_hash: await hashPassword('changed-password-1') })
      .where('username', '=', 'admin')
      .execute()
    expect((await exposedDemoAccounts(db)).sort()).toEqual(['oversight', 'staff', 'supervisor'])
    await db.deleteFrom('users').where('username', '=', 'wang.real').execute()
    await db
      .updateTable('users')
      .set({ password_hash: await hashPassword('right-password') })
      .where('username', '=', 'admin')
      .execute()
  })
})

describe('API tokens', () => {
  it('a user holds at most MAX_ACTIVE_TOKENS unrevoked tokens (one user made 103); revoking one makes room', async () => {
    const { createApiToken, revokeApiToken, MAX_ACTIVE_TOKENS } = await import('../../app/auth/tokens.server')
    const user = await db.selectFrom('users').select('id').where('username', '=', 'oversight').executeTakeFirstOrThrow()
    const made = []
    for (let i = 0; i < MAX_ACTIVE_TOKENS; i++) made.push(await createApiToken(db, user.id, `t${i}`))
    await expect(createApiToken(db, user.id, 'one too many')).rejects.toMatchObject({ status: 409 })
    await revokeApiToken(db, user.id, made[0].id)
    expect((await createApiToken(db, user.id, 'after revoking')).token).toMatch(/^ft_[A-Za-z0-9_-]{43}$/) // base64url: '-' is no \w, a run of 20 was luck
  })
})
