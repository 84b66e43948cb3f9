import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { getUser } from '~/auth/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (!user) return redirect('/login')
  return redirect(user.role === 'staff' ? '/tasks' : '/reports')
}
