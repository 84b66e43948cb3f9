// The web process's extraction threads (the worker's pool, extract-pool.server.ts, with one thread
// by default): an upload is validated by decoding it there, and the upload page's 预览 extracts there,
// so a flate bomb, a 20 MB text or a slow PDF never holds the event loop that answers every other
// request (issue 18, item 6). Created on first use; EXTRACT_THREADS=0 decodes inline, as in the worker.
import { createExtractPool, type ExtractPool } from './extract-pool.server'
import { decodeUpload, previewUpload } from './analyse'

let pool: ExtractPool | undefined

/** At most this many uploads wait for a thread; more are answered 503 at once. */
const MAX_WAITING = 16

type Decoding = Pick<ExtractPool, 'decodeUpload' | 'previewUpload'>

export function uploadThreads(): Decoding {
  if (process.env.EXTRACT_THREADS === '0') return { decodeUpload, previewUpload }
  pool ??= createExtractPool({
    threads: Number(process.env.WEB_EXTRACT_THREADS ?? 0) || 1,
    maxQueue: MAX_WAITING,
    // A crafted file that still needs more heap than any real report ends its thread, not the web process.
    resourceLimits: { maxOldGenerationSizeMb: Number(process.env.WEB_EXTRACT_HEAP_MB ?? 0) || 2048 },
  })
  return pool
}

/** For a clean shutdown (app/cli/web.ts) and tests. */
export async function closeUploadThreads(): Promise<void> {
  const p = pool
  pool = undefined
  await p?.close()
}
