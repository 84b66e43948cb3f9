// What a password must be, in one place: account creation (page and command line), an admin's reset
// and a user's own change all check the same rule. Pure, so forms (browser code) can import it.
import { z } from 'zod'

export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 200

/** The Chinese reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 位。`
  if (password.length > PASSWORD_MAX) return `密码不能超过 ${PASSWORD_MAX} 位。`
  if (password.trim() !== password) return '密码首尾不能有空格。'
  return null
}

/** The same rule as a Zod field for server-side form schemas. */
export const passwordField = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value)
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem })
})
