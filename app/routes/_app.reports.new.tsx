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
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { maxUploadBytes, uploadReport } from '~/reports/upload.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.upload.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'report:create')
  return json({})
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'report:create')
  const maxBytes = maxUploadBytes()
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes + 1 }))
  } catch (err) {
    if (err instanceof MaxPartSizeExceededError) return json({ error: `文件超过大小上限（${Math.round(maxBytes / 1048576)} MB）。` }, { status: 413 })
    return json({ error: '无法读取上传内容，请重试。' }, { status: 400 })
  }
  const file = form.get('file')
  const text = form.get('text')
  let result
  if (file instanceof File && file.size > 0) {
    result = await uploadReport(db, user, { kind: 'file', bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name })
  } else if (typeof text === 'string' && text.trim()) {
    const title = form.get('title')
    result = await uploadReport(db, user, { kind: 'paste', text, title: typeof title === 'string' ? title : undefined })
  } else {
    return json({ error: zh.upload.none }, { status: 400 })
  }
  if (!result.ok) return json({ error: result.error }, { status: result.status })
  return redirect(`/reports/${result.report.id}${result.duplicate ? '?duplicate=1' : ''}`)
}

export default function UploadReport() {
  const data = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  return (
    <>
      <h1>{zh.upload.title}</h1>
      <div className="panel">
        {data?.error ? (
          <div className="alert error" role="alert">
            {data.error}
          </div>
        ) : null}
        <Form method="post" encType="multipart/form-data" className="stack">
          <label>
            {zh.upload.file}
            <input type="file" name="file" accept=".txt,.text,.html,.htm,.docx,.pdf" />
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
            <button type="submit" className="btn" disabled={busy}>
              {busy ? '正在上传…' : zh.upload.submit}
            </button>
          </div>
        </Form>
      </div>
    </>
  )
}
