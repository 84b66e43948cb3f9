// The fields of a user account as the admin forms send them: one schema for creating and editing,
// validated on the server (pure: Zod only).
import { z } from 'zod'
import { passwordField } from '../auth/password-rules'
import { ROLES } from '../auth/permissions'
import type { Role } from '../../db/schema'

/** What an admin may change on an existing account. */
export const UserFields = z.object({
  displayName: z.string().trim().min(1, '请填写姓名。').max(50, '姓名不能超过 50 个字。'),
  role: z.enum(ROLES as [Role, ...Role[]], { errorMap: () => ({ message: '请选择角色。' }) }),
  unitId: z.string().min(1, '请选择单位。'),
  email: z.union([z.literal(''), z.string().trim().email('邮箱格式不正确。')]).optional(),
})

/** A new account: the same fields, plus a username and a first password. */
export const NewUserForm = UserFields.extend({
  username: z
    .string()
    .trim()
    .regex(/^[a-zA-Z0-9_.-]{2,40}$/, '用户名为 2–40 位字母、数字、下划线、点或连字符。'),
  password: passwordField,
})
