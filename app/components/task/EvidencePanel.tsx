// 佐证材料: the task's files and links, and the forms that add one.
import { Form } from '@remix-run/react'
import { FileInput } from '~/components/FileInput'
import { SubmitButton } from '~/components/SubmitButton'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'
import type { TaskPageData } from './types'

export function EvidencePanel({
  evidence,
  canWork,
  open,
  busy,
}: Pick<TaskPageData, 'evidence' | 'canWork'> & { open: boolean; busy: boolean }) {
  return (
    <section className="panel" aria-label="佐证材料">
      <h2>佐证材料</h2>
      {evidence.length === 0 ? <p className="muted">暂无佐证材料。</p> : null}
      <ul className="evidence">
        {evidence.map(ev => (
          <li key={ev.id}>
            {ev.kind === 'file' ? (
              <a href={`/evidence/${ev.id}`}>{ev.filename}</a>
            ) : (
              <a href={ev.url ?? '#'} target="_blank" rel="noopener noreferrer nofollow">
                {ev.title ?? ev.url}
              </a>
            )}
            <span className="small muted">
              {' '}
              {ev.size_bytes ? `${Math.max(1, Math.round(ev.size_bytes / 1024))} KB · ` : ''}
              {ev.uploader} · {formatDateTime(ev.created_at)}
            </span>
          </li>
        ))}
      </ul>
      {canWork && open ? (
        <div className="row evidence-forms">
          <Form method="post" encType="multipart/form-data" className="inline">
            <input type="hidden" name="intent" value="file" />
            <FileInput label="上传文件" name="file" accept=".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.txt,.zip,.ofd" required />
            <SubmitButton className="btn small" disabled={busy} pendingLabel={zh.feedback.uploading}>
              上传
            </SubmitButton>
          </Form>
          <Form method="post" className="inline">
            <input type="hidden" name="intent" value="link" />
            <input type="text" name="url" placeholder="https://…" aria-label="链接地址" required />
            <input type="text" name="title" placeholder="说明（可选）" aria-label="链接说明" />
            <SubmitButton className="btn small secondary" disabled={busy}>
              添加链接
            </SubmitButton>
          </Form>
        </div>
      ) : null}
    </section>
  )
}
