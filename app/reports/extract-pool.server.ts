// A pool of extraction threads (piscina) for one worker process: processReport hands it the bytes
// and gets the text and the extraction back; see docs/decisions/013-extraction-threads.md.
import fs from 'node:fs'
import os from 'node:os'
import type { ResourceLimits } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { FollowUp, ReportForFollowUp } from '../followup/index'
import type { AnalyseInput, Analysis, DocumentRefusal, UploadDecodeInput, UploadPreview } from './analyse'
import type { DecodedDocument } from '../documents/decode'

export interface ExtractPool {
  analyse: (input: AnalyseInput) => Promise<Analysis>
  /** The follow-up engine's comparison of two reports (runFollowUp's `compare`). */
  compare: (earlier: ReportForFollowUp, later: ReportForFollowUp) => Promise<FollowUp>
  /** The web process's upload validation and preview (app/reports/upload.server.ts). */
  decodeUpload: (input: UploadDecodeInput) => Promise<{ decoded: DecodedDocument } | DocumentRefusal>
  previewUpload: (input: UploadDecodeInput) => Promise<{ preview: UploadPreview } | DocumentRefusal>
  threads: number
  close: () => Promise<void>
}

// Beside this file when it runs as itself (the worker, tests); one level up from build/ when the web
// process runs it from the Remix build (build/index.js bundles this module).
const TASK =
  [new URL('./analyse.ts', import.meta.url), new URL('../app/reports/analyse.ts', import.meta.url)]
    .map(u => fileURLToPath(u))
    .find(f => fs.existsSync(f)) ?? fileURLToPath(new URL('./analyse.ts', import.meta.url))

export interface ExtractPoolOptions {
  threads?: number
  maxQueue?: number
  /** Threads kept running while idle (default 1: the first file does not wait for a thread to load the decoders). */
  minThreads?: number
  /** Heap limits per thread: a thread that exceeds them is ended and its task fails (the web's pool sets them). */
  resourceLimits?: ResourceLimits
}

/**
 * `threads` defaults to EXTRACT_THREADS, else the worker's concurrency capped by the cores: more
 * threads than cores only adds memory (each thread loads the decoders, about 40 MB).
 */
export function createExtractPool({ threads, maxQueue, minThreads = 1, resourceLimits }: ExtractPoolOptions = {}): ExtractPool {
  const n = Math.max(
    1,
    threads ??
      (Number(process.env.EXTRACT_THREADS ?? 0) || Math.min(Number(process.env.WORKER_CONCURRENCY ?? 2), os.availableParallelism())),
  )
  // The task is TypeScript: threads load it through tsx, as the process itself was (tests run the
  // worker inside vitest, whose execArgv does not carry it).
  const execArgv = process.execArgv.some(a => a.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx']
  const pool = new Piscina({
    filename: TASK,
    minThreads: Math.min(minThreads, n),
    maxThreads: n,
    idleTimeout: 30_000,
    maxQueue,
    execArgv,
    resourceLimits,
  })
  return {
    threads: n,
    analyse: input => pool.run(input) as Promise<Analysis>,
    compare: (earlier, later) => pool.run({ earlier, later }, { name: 'compareReports' }) as Promise<FollowUp>,
    decodeUpload: input => pool.run(input, { name: 'decodeUpload' }),
    previewUpload: input => pool.run(input, { name: 'previewUpload' }),
    close: () => pool.destroy(),
  }
}
