// The labelled corpus the extractor learns from: tests/fixtures/corpus/<name>.txt with
// tests/fixtures/gold/<name>.json (copied from the shared corpus). Used by train:extract and eval:extract.
import fs from 'node:fs'
import path from 'node:path'
import type { LabelledReport } from '../extract/learn/train'
import { readDocument } from './read-document'

export const FIXTURES = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../tests/fixtures')

export type CorpusReport = LabelledReport & { agency: string | string[] | null; year: number | null }

/** Every labelled report, its text read as the product reads an uploaded file. */
export async function loadCorpus(dir = FIXTURES): Promise<CorpusReport[]> {
  const goldDir = path.join(dir, 'gold')
  const names = fs
    .readdirSync(goldDir)
    .filter(f => f.endsWith('.json'))
    .map(f => f.slice(0, -5))
    .sort()
  const out: CorpusReport[] = []
  for (const name of names) {
    const gold = JSON.parse(fs.readFileSync(path.join(goldDir, `${name}.json`), 'utf8'))
    const { text } = await readDocument(path.join(dir, 'corpus', `${name}.txt`))
    out.push({ name, text, problems: gold.problems ?? [], plans: gold.plans ?? [], agency: gold.agency ?? null, year: gold.year ?? null })
  }
  return out
}
