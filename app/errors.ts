/** A refusal the user should read: routes and the API answer with `status` and this Chinese message. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 507,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const notFound = () => new AppError(404, '找不到该记录，或您无权查看。')

/**
 * The disk or the database is full: a refusal (507) the user can read, not a server error. Node's
 * file errors (ENOSPC, quota, a too-large or read-only file system), SQLite's SQLITE_FULL and
 * PostgreSQL's disk_full (53100).
 */
export function isStorageFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && ['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'SQLITE_FULL', '53100'].includes(code)
}
