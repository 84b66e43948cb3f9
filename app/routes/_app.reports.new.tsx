import {
  json,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { requireUser } from '~/auth/session.server'
import { enforceRateLimit } from '~/rate-limits.server'
import { db } from '~/db.server'
import { maxUploadBytes, previewReport, uploadReport, type UploadInput } from '~/reports/upload.server'
import { zh } from '~/ui/zh'
import { FileInput } from '~/components/FileInput'

export const meta: MetaFunction = () => [{ title: `${zh.upload.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'report:create')
  return json({})
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'report:create')
  enforceRateLimit(user, 'upload')
  const maxBytes = maxUploadBytes()
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes + 1 }))
  } catch (err) {
    if (err instanceof MaxPartSizeExceededError)
      return json({ error: `文件超过大小上限（${Math.round(maxBytes / 1048576)} MB）。` }, { status: 413 })
    return json({ error: '无法读取上传内容，请重试。' }, { status: 400 })
  }
  const file = form.get('file')
  const text = form.get('text')
  let input: UploadInput
  if (file instanceof File && file.size > 0) input = { kind: 'file', bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name }
  else if (typeof text === 'string' && text.trim()) {
    const title = form.get('title')
    input = { kind: 'paste', text, title: typeof title === 'string' ? title : undefined }
  } else return json({ error: zh.upload.none }, { status: 400 })
  if (form.get('intent') === 'preview') {
    const preview = await previewReport(input)
    return preview.ok ? json({ preview }) : json({ error: preview.error }, { status: preview.status })
  }
  const result = await uploadReport(db, user, input)
  if (!result.ok) return json({ error: result.error }, { status: result.status })
  return redirect(`/reports/${result.report.id}${result.duplicate ? '?duplicate=1' : ''}`)
}

export default function UploadReport() {
  const data = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  return (
    <>
      <div className="toolbar">
        <h1>{zh.upload.title}</h1>
        <Link to="/reports/import" className="btn secondary">
          {zh.importBatch.link}
        </Link>
      </div>
      <div className="panel">
        {data && 'error' in data ? (
          <div className="alert error" role="alert">
            {data.error}
          </div>
        ) : null}
        {data && 'preview' in data ? (
          <div className="alert info" role="status" aria-label="预览">
            <div>
              预览（尚未保存）：{data.preview.agency ?? '未识别报告机关'} · {data.preview.year ? `${data.preview.year} 年度` : '未识别年度'}{' '}
              · 编码 {data.preview.encoding} · 问题 {data.preview.items.filter(i => i.kind === 'problem').length} 条，整改措施{' '}
              {data.preview.items.filter(i => i.kind === 'plan').length} 条
            </div>
            <ol className="small preview-list">
              {data.preview.items.map((i, n) => (
                <li key={n}>
                  <span className={`badge ${i.kind}`}>{zh.itemKind[i.kind]}</span> {i.title}
                </li>
              ))}
            </ol>
            <div className="small">确认无误后点击“{zh.upload.submit}”保存。</div>
          </div>
        ) : null}
        <Form method="post" encType="multipart/form-data" className="stack">
          <label>
            {zh.upload.file}
            <FileInput label={zh.upload.file} name="file" accept=".txt,.text,.html,.htm,.docx,.pdf" />
            <span className="help">{zh.upload.fileHelp}</span>
          </label>
          <p className="muted">{zh.upload.or}</p>
          <label>
            {zh.upload.filenameLabel}
            <input type="text" name="title" maxLength={80} />
          </label>
          <label>
            {zh.upload.pasteLabel}
            <textarea name="text" />
          </label>
          <div>
            <div className="row">
              <button type="submit" className="btn" disabled={busy}>
                {busy ? '正在处理…' : zh.upload.submit}
              </button>
              <button type="submit" className="btn secondary" name="intent" value="preview" disabled={busy}>
                预览提取结果
              </button>
            </div>
          </div>
        </Form>
      </div>
    </>
  )
}
