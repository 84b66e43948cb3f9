// Trains the follow-up topic model on the labelled corpus in tests/fixtures/followup and writes its
// weights to app/followup/topic-model.json. Deterministic: the same fixtures give the same file.
//   npm run train:followup [-- --out FILE]
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { trainTopicModel } from '../followup/model'
import { topicExamples, topicIds } from '../followup/training'
import { ROOT, readLabelledCorpus } from './followup-corpus'

const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(ROOT, 'app/followup/topic-model.json') } } })
const corpus = readLabelledCorpus()
const examples = topicExamples(corpus)
const model = trainTopicModel(examples, topicIds(corpus))
fs.writeFileSync(values.out!, JSON.stringify(model) + '\n')
console.log(
  `train:followup — ${examples.length} examples, ${Object.keys(model.weights).length} features → ${path.relative(process.cwd(), values.out!)} (${fs.statSync(values.out!).size} bytes)`,
)
