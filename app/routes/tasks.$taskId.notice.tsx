// GET /tasks/:taskId/notice: the task's 督办单 as a printable page (its latest issued one, or a
// preview); POST intent=issue: a supervisor issues one for the overdue task (a task event that
// notifies the owner). Outside the app layout so it prints as the paper itself.
import { DateInput } from '~/components/DateInput'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import QRCode from 'qrcode'
import { requireUser } from '~/auth/session.server'
import { z } from 'zod'
import { ActionResult } from '~/components/ActionResult'
import { SubmitButton } from '~/components/SubmitButton'
import { done, pageAction } from '~/forms/page-action.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { issueSupervisionNotice, loadSupervisionNotice } from '~/paperwork/notice.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.paperwork.notice.link} · ${zh.appName}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:read')
  try {
    const found = await loadSupervisionNotice(db, user, params.taskId!)
    const qr = await QRCode.toDataURL(found.notice.link, { margin: 1, width: 200 })
    return json({ ...found, qr, taskId: params.taskId! })
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}

const IssueNotice = z.object({ intent: z.literal('issue'), replyBy: z.string().optional() })

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'task:manage',
    schema: IssueNotice,
    handlers: {
      issue: async ({ user, params, data }) => {
        const issued = await issueSupervisionNotice(db, user, params.taskId!, { replyBy: data.replyBy ?? null })
        return done(zh.paperwork.notice.issued(issued.number))
      },
    },
  })
}

const PRINT_CSS = `
.notice-sheet { max-width: 720px; margin: 24px auto; padding: 48px 56px; background: #fff; color: #000; font-family: "FangSong", "仿宋_GB2312", "仿宋", serif; }
.notice-sheet h1 { color: #c00000; text-align: center; letter-spacing: .3em; font-family: "SimHei", "黑体", sans-serif; margin: 0; }
.notice-sheet .number { text-align: center; margin: 8px 0 4px; }
.notice-sheet hr { border: 0; border-top: 2px solid #c00000; }
.notice-sheet table { width: 100%; border-collapse: collapse; margin: 12px 0; }
.notice-sheet th, .notice-sheet td { border: 1px solid #000; padding: 6px 8px; text-align: left; vertical-align: top; }
.notice-sheet th { width: 7em; font-family: "SimHei", "黑体", sans-serif; font-weight: normal; }
.notice-sheet .request { text-indent: 2em; line-height: 1.8; }
.notice-sheet footer { display: flex; justify-content: space-between; align-items: flex-end; margin-top: 24px; }
.notice-sheet .qr { text-align: center; font-size: 12px; }
.notice-sheet .sign { text-align: right; line-height: 2; }
.notice-tools { max-width: 720px; margin: 16px auto; padding: 0 16px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
@media (max-width: 640px) { .notice-sheet { margin: 12px; padding: 24px 16px; } }
@media print { .notice-tools { display: none; } .notice-sheet { margin: 0; padding: 0; max-width: none; } body { background: #fff; } }
`

export default function SupervisionNoticePage() {
  const { notice, issued, overdue, canIssue, qr, taskId } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const n = zh.paperwork.notice
  return (
    <>
      <style>{PRINT_CSS}</style>
      <div className="notice-tools">
        <Link to={`/tasks/${taskId}`}>{n.back}</Link>
        {issued ? (
          <>
            <a className="btn secondary" href={`/tasks/${taskId}/notice.pdf`} download>
              {n.pdf}
            </a>
            <button type="button" className="btn secondary" onClick={() => window.print()}>
              {n.print}
            </button>
          </>
        ) : null}
        {canIssue ? (
          <Form method="post" className="row">
            <label>
              {n.replyBy} <DateInput name="replyBy" />
            </label>
            <SubmitButton name="intent" value="issue">
              {n.issue}
            </SubmitButton>
          </Form>
        ) : null}
        <ActionResult result={result} />
        {!issued ? <p className="muted small">{overdue ? n.preview : n.notOverdue}</p> : null}
      </div>
      <article className="notice-sheet" aria-label={notice.heading}>
        <h1>{notice.heading}</h1>
        <p className="number">{notice.number}</p>
        <hr />
        <p>{notice.addressee}</p>
        <table>
          <tbody>
            {notice.rows.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="request">{notice.request}</p>
        <footer>
          <div className="qr">
            <img src={qr} alt={n.qr} width={110} height={110} />
            <div>{n.qr}</div>
          </div>
          <div className="sign">
            <div>
              {n.issuer}：{notice.issuer}
            </div>
            <div>
              {n.issuedOn}：{notice.issuedOn}
            </div>
          </div>
        </footer>
      </article>
    </>
  )
}
