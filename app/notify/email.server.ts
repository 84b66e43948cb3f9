// Sending one email: through SMTP when SMTP_URL is set, otherwise as an .eml file a person can open.
// nodemailer builds the message in both cases (encoded Chinese subject, MIME, Message-ID).
import fs from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { dataDir } from '../../db/db'

export interface OutgoingEmail {
  /** The outbox id: the file name of the .eml and the local part of the Message-ID. */
  id: string
  to: string
  subject: string
  text: string
}

export interface EmailSender {
  /** 'smtp' or 'eml', for logs and the ops page. */
  kind: 'smtp' | 'eml'
  send(email: OutgoingEmail): Promise<void>
  close(): void
}

export function mailFrom(): string {
  return process.env.MAIL_FROM ?? '整改跟踪 <noreply@follow-through.local>'
}

/** A stable Message-ID per outbox row, so a receiving server can drop a duplicate delivery. */
export function messageIdFor(id: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(mailFrom())?.[1] ?? 'follow-through.local'
  return `<outbox-${id}@${domain}>`
}

function messageOptions(email: OutgoingEmail): Mail.Options {
  return {
    from: mailFrom(),
    to: email.to,
    subject: email.subject,
    text: email.text,
    messageId: messageIdFor(email.id),
    headers: { 'X-Follow-Through-Outbox-Id': email.id },
  }
}

export function outboxDir(): string {
  return path.join(dataDir(), 'outbox')
}

// One composer per process: building a transport per message costs more than the message itself.
let composer: nodemailer.Transporter<{ message: Buffer }> | null = null

/** The RFC 822 text of one email (CRLF line ends, as a mail client expects in an .eml). */
export async function renderEmail(email: OutgoingEmail): Promise<Buffer> {
  composer ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }) as nodemailer.Transporter<{
    message: Buffer
  }>
  const info = await composer.sendMail(messageOptions(email))
  return info.message
}

/** Writes <outbox dir>/<id>.eml through a temporary file, so a retried write replaces, never doubles or truncates. */
function emlSender(dir = outboxDir()): EmailSender {
  return {
    kind: 'eml',
    async send(email) {
      if (!/^[A-Za-z0-9_-]+$/.test(email.id)) throw new Error(`unsafe outbox id for a file name: ${email.id}`)
      const message = await renderEmail(email)
      const file = path.join(dir, `${email.id}.eml`)
      const tmp = `${file}.${process.pid}.tmp`
      try {
        await fs.writeFile(tmp, message)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
        await fs.mkdir(dir, { recursive: true })
        await fs.writeFile(tmp, message)
      }
      await fs.rename(tmp, file)
    },
    close() {},
  }
}

function smtpSender(url: string): EmailSender {
  // Short timeouts (unless the URL sets its own): a hanging server must not hold a claim near its lease.
  const withTimeouts = new URL(url)
  // Pooled connections (unless the URL says pool=false): the sender has many emails in flight, and
  // one connection per message would open as many connections at once.
  for (const [key, value] of [
    ['connectionTimeout', '15000'],
    ['greetingTimeout', '15000'],
    ['socketTimeout', '60000'],
    ['pool', 'true'],
    ['maxConnections', '5'],
  ] as const) {
    if (!withTimeouts.searchParams.has(key)) withTimeouts.searchParams.set(key, value)
  }
  const transport = nodemailer.createTransport(withTimeouts.toString())
  return {
    kind: 'smtp',
    async send(email) {
      await transport.sendMail(messageOptions(email))
    },
    close() {
      transport.close()
    },
  }
}

/** From the environment: SMTP_URL (smtp://user:pass@host:587, smtps://…) or, without it, .eml files. */
export function createEmailSender(opts: { smtpUrl?: string; dir?: string } = {}): EmailSender {
  const url = opts.smtpUrl ?? process.env.SMTP_URL
  return url ? smtpSender(url) : emlSender(opts.dir)
}
