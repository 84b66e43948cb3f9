import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { getUser } from '~/auth/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (!user) return redirect('/login')
  // 待办 is everyone's home: what waits for me (app/tasks/todo.ts).
  return redirect('/todo')
}
