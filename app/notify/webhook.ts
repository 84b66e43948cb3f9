// Group robots (DingTalk 自定义机器人, WeCom 群机器人): the request each documented HTTP API expects,
// and what its reply means. Pure (the signature takes `now`); sending is app/notify/webhook.server.ts.
//
// DingTalk: POST JSON {"msgtype":"text","text":{"content":…}} to the webhook; a robot with 加签 also
// takes &timestamp=<ms>&sign=<urlencode(base64(HMAC-SHA256(key=secret, timestamp+"\n"+secret)))>.
// WeCom: POST the same JSON to …/cgi-bin/webhook/send?key=…; no signature. Both answer
// {"errcode":0,"errmsg":"ok"} on success, an errcode otherwise (often with HTTP 200).
import { createHmac } from 'node:crypto'
import type { RobotKind } from '../../db/schema'

export const ROBOT_KINDS: readonly RobotKind[] = ['dingtalk', 'wecom']

/** DingTalk's signature for a timestamp (ms since the epoch). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64')
}

/** The URL to post to: DingTalk with a secret gets timestamp and sign appended; otherwise the URL as configured. */
export function robotRequestUrl(robot: { kind: RobotKind; url: string; secret: string | null }, nowMs: number): string {
  if (robot.kind !== 'dingtalk' || !robot.secret) return robot.url
  const url = new URL(robot.url)
  url.searchParams.set('timestamp', String(nowMs))
  url.searchParams.set('sign', dingtalkSign(robot.secret, nowMs))
  return url.href
}

/** A text message; both robots cap it (DingTalk ~20,000 bytes, WeCom 2,048 bytes), so it is cut to fit. */
export function robotPayload(kind: RobotKind, text: string): string {
  return JSON.stringify({ msgtype: 'text', text: { content: fitBytes(text, kind === 'wecom' ? 2048 : 18000) } })
}

function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text
  let out = ''
  let bytes = 0
  for (const ch of text) {
    const b = Buffer.byteLength(ch, 'utf8')
    if (bytes + b > max - 3) break
    out += ch
    bytes += b
  }
  return `${out}…`
}

// Replies that will not get better by waiting: a wrong signature, keyword or IP rule, an unknown or
// removed robot. (DingTalk 130101 and WeCom 45009, "too many messages", are worth a retry.)
const PERMANENT_ERRCODES = new Set([300001, 310000, 400101, 400102, 93000, 93004])

export type RobotOutcome = { ok: true } | { ok: false; permanent: boolean; message: string }

/** What an HTTP reply from a robot means. Network errors never get here: they are transient. */
export function robotReply(status: number, body: string): RobotOutcome {
  let parsed: { errcode?: unknown; errmsg?: unknown } | null = null
  try {
    parsed = JSON.parse(body)
  } catch {
    parsed = null
  }
  const errcode = typeof parsed?.errcode === 'number' ? parsed.errcode : null
  if (status >= 200 && status < 300 && errcode === 0) return { ok: true }
  const message =
    `HTTP ${status}${errcode !== null ? ` errcode ${errcode}` : ''} ${typeof parsed?.errmsg === 'string' ? parsed.errmsg : body.slice(0, 200)}`.trim()
  if (status >= 500 || status === 429 || status === 408) return { ok: false, permanent: false, message }
  if (status >= 400) return { ok: false, permanent: true, message }
  return { ok: false, permanent: errcode !== null && PERMANENT_ERRCODES.has(errcode), message }
}

/**
 * How the admin page shows a robot's address: the host and path, and the credential in its query
 * (DingTalk access_token, WeCom key) cut to its last 4 characters. The full URL is never sent back.
 */
export function maskRobotUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return '（地址无效）'
  }
  const params = [...url.searchParams.entries()].map(([k, v]) => `${k}=${maskTail(v)}`)
  return `${url.origin}${url.pathname}${params.length ? `?${params.join('&')}` : ''}`
}

/** A secret shown as its last 4 characters only (SEC…wxyz); short ones not at all. */
export function maskSecret(secret: string | null): string | null {
  if (!secret) return null
  return secret.length > 8 ? `${secret.slice(0, 3)}…${secret.slice(-4)}` : '••••'
}

function maskTail(v: string): string {
  return v.length > 8 ? `…${v.slice(-4)}` : '••••'
}

/** What an admin types for a robot, checked: a reason in Chinese, or the values to store. */
export function robotSettingProblem(input: { kind: string; url: string; secret?: string | null }): string | null {
  if (!ROBOT_KINDS.includes(input.kind as RobotKind)) return '请选择机器人类型：钉钉或企业微信。'
  let url: URL
  try {
    url = new URL(input.url.trim())
  } catch {
    return '请填写完整的机器人 Webhook 地址（以 https:// 开头）。'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '机器人地址必须以 https:// 或 http:// 开头。'
  if (input.kind === 'dingtalk' && !url.searchParams.get('access_token'))
    return '钉钉机器人地址应包含 access_token 参数，请从群设置中完整复制。'
  if (input.kind === 'wecom' && !url.searchParams.get('key')) return '企业微信机器人地址应包含 key 参数，请从群设置中完整复制。'
  const secret = input.secret?.trim()
  if (secret && input.kind !== 'dingtalk') return '只有钉钉机器人使用加签密钥，企业微信机器人请留空。'
  if (secret && !/^SEC[0-9a-zA-Z]+$/.test(secret)) return '钉钉加签密钥以 SEC 开头，请从机器人安全设置中完整复制。'
  return null
}
