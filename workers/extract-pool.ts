// A pool of extraction threads (piscina) for one worker process: processReport hands it the bytes
// and gets the text and the extraction back; see docs/decisions/013-extraction-threads.md.
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { FollowUp, ReportForFollowUp } from '../app/followup/index'
import type { AnalyseInput, Analysis } from './analyse'

export interface ExtractPool {
  analyse: (input: AnalyseInput) => Promise<Analysis>
  /** The follow-up engine's comparison of two reports (runFollowUp's `compare`). */
  compare: (earlier: ReportForFollowUp, later: ReportForFollowUp) => Promise<FollowUp>
  threads: number
  close: () => Promise<void>
}

const TASK = fileURLToPath(new URL('./analyse.ts', import.meta.url))

/**
 * `threads` defaults to EXTRACT_THREADS, else the worker's concurrency capped by the cores: more
 * threads than cores only adds memory (each thread loads the decoders, about 40 MB).
 */
export function createExtractPool({ threads, maxQueue }: { threads?: number; maxQueue?: number } = {}): ExtractPool {
  const n = Math.max(1, threads ?? (Number(process.env.EXTRACT_THREADS ?? 0) || Math.min(Number(process.env.WORKER_CONCURRENCY ?? 2), os.availableParallelism())))
  // The task is TypeScript: threads load it through tsx, as the process itself was (tests run the
  // worker inside vitest, whose execArgv does not carry it).
  const execArgv = process.execArgv.some(a => a.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx']
  const pool = new Piscina({ filename: TASK, minThreads: 1, maxThreads: n, idleTimeout: 30_000, maxQueue, execArgv })
  return {
    threads: n,
    analyse: input => pool.run(input) as Promise<Analysis>,
    compare: (earlier, later) => pool.run({ earlier, later }, { name: 'compareReports' }) as Promise<FollowUp>,
    close: () => pool.destroy(),
  }
}
