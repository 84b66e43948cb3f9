// In-code migration list (works the same under tsx, vitest and the Remix build). Names sort by date.
import type { Migration } from 'kysely'
import * as initial from './2026-11-23-initial'

export const migrations: Record<string, Migration> = {
  '2026-11-23-initial': initial,
}
