import { getDb } from '../db/db'

/** The web process's database handle. */
export const db = getDb()
