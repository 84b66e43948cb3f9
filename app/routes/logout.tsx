import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { logout } from '~/auth/session.server'

export const action = ({ request }: ActionFunctionArgs) => logout(request)
// No state changes on GET: a link to /logout just goes home.
export const loader = () => redirect('/')
