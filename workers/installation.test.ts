import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { claimQueuePrefix, installationIdentity } from './installation'

describe('installation identity', () => {
  it('names the PostgreSQL database without its password, and the SQLite file with its host', () => {
    expect(installationIdentity({ DATABASE_URL: 'postgres://ft:secret@db.example:6543/zg' }, 'h1')).toBe('postgres://db.example:6543/zg')
    expect(installationIdentity({ DATABASE_URL: 'postgres://ft:secret@db.example/zg', DATABASE_SCHEMA: 's1' }, 'h1')).toBe(
      'postgres://db.example:5432/zg#s1',
    )
    expect(installationIdentity({ DATA_DIR: '/srv/ft' }, 'h1')).toBe('sqlite://h1/srv/ft/follow-through.sqlite')
    expect(installationIdentity({ DATA_DIR: '/srv/ft' }, 'h2')).not.toBe(installationIdentity({ DATA_DIR: '/srv/ft' }, 'h1'))
  })
})

describe('queue prefix claim (real Redis)', () => {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  })
  const prefix = `fttest-claim-${process.pid}`
  beforeAll(async () => {
    await redis.connect()
  })
  afterAll(async () => {
    await redis.del(`${prefix}:installation`)
    redis.disconnect()
  })

  it('the first installation holds the prefix, starts again freely, and a second one is told who holds it', async () => {
    expect(await claimQueuePrefix(redis, prefix, 'sqlite://h1/srv/a.sqlite')).toEqual({ ok: true })
    expect(await claimQueuePrefix(redis, prefix, 'sqlite://h1/srv/a.sqlite')).toEqual({ ok: true })
    expect(await claimQueuePrefix(redis, prefix, 'postgres://db:5432/other')).toEqual({ ok: false, heldBy: 'sqlite://h1/srv/a.sqlite' })
  })
})
