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
import { Form, Link, useActionData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { SubmitButton } from '~/components/SubmitButton'
import { AppError } from '~/errors'
import { done, failure, pageAction } from '~/forms/page-action.server'
import type { ActionFailure } from '~/forms/toast'
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

// 上传并提取 sends intent=upload; a post without an intent (a script, an older page) uploads too, as before.
const UploadStep = z.discriminatedUnion('intent', [z.object({ intent: z.literal('upload') }), z.object({ intent: z.literal('preview') })])

async function readUpload(request: Request): Promise<FormData> {
  const maxBytes = maxUploadBytes()
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes + 1 }))
  } catch (err) {
    if (err instanceof MaxPartSizeExceededError) throw new AppError(413, `文件超过大小上限（${Math.round(maxBytes / 1048576)} MB）。`)
    throw new AppError(400, '无法读取上传内容，请重试。')
  }
  if (!form.get('intent')) form.set('intent', 'upload')
  return form
}

function uploadInput(form: FormData): Promise<UploadInput> | UploadInput {
  const file = form.get('file')
  const text = form.get('text')
  if (file instanceof File && file.size > 0)
    return file.arrayBuffer().then(b => ({ kind: 'file' as const, bytes: new Uint8Array(b), filename: file.name }))
  if (typeof text === 'string' && text.trim()) {
    const title = form.get('title')
    return { kind: 'paste', text, title: typeof title === 'string' ? title : undefined }
  }
  throw new AppError(400, zh.upload.none)
}

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'report:create',
    // Counted before the file is read, as before.
    load: async ({ user }) => enforceRateLimit(user, 'upload'),
    readForm: readUpload,
    schema: UploadStep,
    handlers: {
      preview: async ({ form }) => {
        const preview = await previewReport(await uploadInput(form))
        return preview.ok ? json({ preview }) : failure(preview.status, { error: preview.error, intent: 'preview' })
      },
      upload: async ({ user, form }) => {
        const result = await uploadReport(db, user, await uploadInput(form))
        if (!result.ok) return failure(result.status, { error: result.error, intent: 'upload' })
        // A duplicate opens the earlier record, which says so itself (?duplicate=1).
        if (result.duplicate) return redirect(`/reports/${result.report.id}?duplicate=1`)
        return done(zh.upload.uploaded, `/reports/${result.report.id}`)
      },
    },
  })
}

type Preview = Extract<Awaited<ReturnType<typeof previewReport>>, { ok: true }>

export default function UploadReport() {
  const data = useActionData<typeof action>() as { preview: Preview } | ActionFailure | undefined
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
              <SubmitButton name="intent" value="upload" pendingLabel="正在处理…">
                {zh.upload.submit}
              </SubmitButton>
              {/* The text stays for 上传并提取 after a preview. */}
              <SubmitButton className="btn secondary" name="intent" value="preview" pendingLabel="正在处理…" reset={false}>
                预览提取结果
              </SubmitButton>
            </div>
          </div>
        </Form>
      </div>
    </>
  )
}
