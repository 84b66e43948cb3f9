/** A refusal the user should read: routes and the API answer with `status` and this Chinese message. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const notFound = () => new AppError(404, '找不到该记录，或您无权查看。')
