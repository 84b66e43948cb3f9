// The one place Redis connections are made (BullMQ guide "connections").
import { Redis, type RedisOptions } from 'ioredis'

export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
}

/** Prefix for every BullMQ key, so tests (and several deployments) can share one Redis. */
export function queuePrefix(): string {
  return process.env.QUEUE_PREFIX ?? 'ft'
}

/**
 * Workers block on Redis and must never give up a command: maxRetriesPerRequest null.
 * The web side fails fast instead, so a request never hangs on a dead Redis.
 */
export function createRedis(kind: 'worker' | 'web', url = redisUrl()): Redis {
  const common: RedisOptions = { lazyConnect: false, connectionName: `follow-through-${kind}` }
  return kind === 'worker'
    ? new Redis(url, { ...common, maxRetriesPerRequest: null })
    : new Redis(url, { ...common, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 })
}
