// Reads the labelled follow-up corpus kept in tests/fixtures (topics, passages, gold extractions and
// the report texts): what npm run train:followup trains on and npm run eval:followup measures on.
import fs from 'node:fs'
import path from 'node:path'
import type { GoldFile, LabelledCorpus } from '../followup/training'

export const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..')
export const FIXTURES = path.join(ROOT, 'tests/fixtures/followup')
/** Report texts and their gold extractions: the corpus fixtures the extractor learns from too. */
const REPORT_DIRS = [path.join(ROOT, 'tests/fixtures/corpus')]
const GOLD_DIR = path.join(ROOT, 'tests/fixtures/gold')

export function readLabelledCorpus(dir = FIXTURES): LabelledCorpus {
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))
  const gold: Record<string, GoldFile> = {}
  for (const f of fs
    .readdirSync(GOLD_DIR)
    .filter(f => f.endsWith('.json'))
    .sort())
    gold[f.slice(0, -5)] = JSON.parse(fs.readFileSync(path.join(GOLD_DIR, f), 'utf8'))
  return { topics: read('topics.json'), passages: read('passages.json'), gold }
}

/** The text of a corpus report by file name (without extension), or null. */
export function readReportText(file: string): string | null {
  for (const d of REPORT_DIRS) {
    const p = path.join(d, file + '.txt')
    if (fs.existsSync(p)) return fs.readFileSync(p, 'utf8')
  }
  return null
}
