// npm run train:extract — trains the extractor's learned step on the whole labelled corpus
// (tests/fixtures/corpus + tests/fixtures/gold) and writes app/extract/learn/weights.json.
// Deterministic: the same corpus gives byte-identical weights (a unit test checks it).
import fs from 'node:fs'
import path from 'node:path'
import { serialize } from '../extract/learn/model'
import { trainOn, TRAIN_OPTIONS } from '../extract/learn/train'
import { loadCorpus } from './corpus'

const OUT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../extract/learn/weights.json')

const corpus = await loadCorpus()
const model = trainOn(corpus)
const s = serialize(model, { reports: corpus.length, options: TRAIN_OPTIONS })
fs.writeFileSync(OUT, JSON.stringify(s) + '\n')
console.log(
  `trained on ${corpus.length} reports: ${s.features.length} features → ${path.relative(process.cwd(), OUT)} (${Math.round(fs.statSync(OUT).size / 1024)} KB)`,
)
