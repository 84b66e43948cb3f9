// Which engine a Kysely instance talks to, for the few places that need engine-specific SQL.
import { PostgresAdapter, type Kysely } from 'kysely'

export type Engine = 'sqlite' | 'postgres'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const engineOf = (db: Kysely<any>): Engine => (db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite')
