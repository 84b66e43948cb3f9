// The labelled corpus as training examples for the topic model (model.ts): every problem and plan of
// topics.json with its whole text from the gold extraction of its report, and every labelled
// sentence of an account of work done (passages.json). Pure code: the caller reads the files.
import type { TopicExample } from './model'

export interface TopicsFile {
  taxonomy: Array<{ id: string; label: string }>
  items: Array<{ file: string; kind: 'problem' | 'plan'; key: string; topics?: string[] }>
}

export interface PassagesFile {
  items: Array<{ file: string; text: string; topics?: string[] }>
}

export interface GoldFile {
  problems?: Array<{ key: string; text: string }>
  plans?: Array<{ key: string; text: string }>
}

export interface LabelledCorpus {
  topics: TopicsFile
  passages: PassagesFile
  /** Gold extraction by report file name (without extension). */
  gold: Record<string, GoldFile>
}

/** Training examples, in a fixed order (by report, then as listed), optionally only of some reports. */
export function topicExamples(corpus: LabelledCorpus, keep: (file: string) => boolean = () => true): TopicExample[] {
  const out: TopicExample[] = []
  for (const i of corpus.topics.items) {
    if (!i.topics?.length || !keep(i.file)) continue
    const g = corpus.gold[i.file]
    const list = i.kind === 'problem' ? g?.problems : g?.plans
    const text = list?.find(x => x.key === i.key)?.text ?? i.key
    out.push({ text, topics: i.topics, group: i.file })
  }
  for (const p of corpus.passages.items) {
    if (!p.topics?.length || !keep(p.file)) continue
    out.push({ text: p.text, topics: p.topics, group: p.file })
  }
  // stable: by report, then in the files' order
  return out
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.group! < b.e.group! ? -1 : a.e.group! > b.e.group! ? 1 : a.i - b.i))
    .map(x => x.e)
}

/** The topic ids of the taxonomy, in its order. */
export function topicIds(corpus: LabelledCorpus): string[] {
  return corpus.topics.taxonomy.map(t => t.id)
}
