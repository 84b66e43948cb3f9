import { describe, expect, it } from 'vitest'
import { findMatches, ftsString, isShortTerm, likePattern, markAll, MAX_QUERY_CHARS, MAX_TERMS, parseQuery, snippet } from './query'

describe('parseQuery', () => {
  it('trims, collapses spaces, splits words and drops repeats (any case)', () => {
    expect(parseQuery('  政策解读 \t 形式\n单一  ')).toEqual({ text: '政策解读 形式 单一', terms: ['政策解读', '形式', '单一'] })
    expect(parseQuery('Web web WEB 门户').terms).toEqual(['Web', '门户'])
    expect(parseQuery(null)).toEqual({ text: '', terms: [] })
    expect(parseQuery('   ')).toEqual({ text: '', terms: [] })
  })

  it('drops control characters and the private-use marks the index appends', () => {
    expect(parseQuery('公开\u0000\ue000工作').terms).toEqual(['公开', '工作'])
  })

  it('cuts long input by characters, and keeps at most MAX_TERMS words', () => {
    const long = '政'.repeat(MAX_QUERY_CHARS + 20)
    expect([...parseQuery(long).text].length).toBe(MAX_QUERY_CHARS)
    expect(parseQuery('一 二 三 四 五 六 七').terms).toHaveLength(MAX_TERMS)
    // a character outside the BMP counts once and is never split
    expect(parseQuery('𠀀'.repeat(MAX_QUERY_CHARS + 1)).text).toBe('𠀀'.repeat(MAX_QUERY_CHARS))
  })
})

describe('quoting', () => {
  it('short words are those the trigram index cannot serve', () => {
    expect(isShortTerm('公')).toBe(true)
    expect(isShortTerm('公开')).toBe(true)
    expect(isShortTerm('𠀀𠀀')).toBe(true)
    expect(isShortTerm('公开栏')).toBe(false)
  })

  it('LIKE patterns escape %, _ and the escape character itself', () => {
    expect(likePattern('100%')).toBe('%100\\%%')
    expect(likePattern('a_b')).toBe('%a\\_b%')
    expect(likePattern('c\\d')).toBe('%c\\\\d%')
    expect(likePattern("'; drop table x; --")).toBe("%'; drop table x; --%")
  })

  it('an FTS5 string is one quoted phrase, inner quotes doubled', () => {
    expect(ftsString('政策解读')).toBe('"政策解读"')
    expect(ftsString('a"b')).toBe('"a""b"')
    expect(ftsString('NEAR(')).toBe('"NEAR("')
    expect(ftsString('* OR *')).toBe('"* OR *"')
  })
})

describe('highlights', () => {
  it('finds every occurrence of every word, any case, merging overlaps', () => {
    // touching matches become one mark
    expect(findMatches('公开公开，再公开', ['公开'])).toEqual([
      { start: 0, end: 4 },
      { start: 6, end: 8 },
    ])
    expect(findMatches('Web 门户 WEB', ['web'])).toEqual([
      { start: 0, end: 3 },
      { start: 7, end: 10 },
    ])
    expect(findMatches('政策解读形式', ['解读', '策解'])).toEqual([{ start: 1, end: 4 }])
    expect(findMatches('没有', ['鲲'])).toEqual([])
  })

  it('keeps offsets exact when lower-casing would change a character’s length', () => {
    const text = 'İstanbul 公开'
    const [m] = findMatches(text, ['公开'])
    expect(text.slice(m.start, m.end)).toBe('公开')
  })

  it('marks a whole title, spaces collapsed', () => {
    const m = markAll('  考核机制\n落实不到位 ', ['到位'])
    expect(m.text).toBe('考核机制 落实不到位')
    expect(m.text.slice(m.highlights[0].start, m.highlights[0].end)).toBe('到位')
  })

  it('cuts a snippet around the first match, saying where text was left out', () => {
    const text = `${'前言'.repeat(200)}问题：政策解读形式单一。${'后文'.repeat(200)}`
    const s = snippet(text, ['政策解读'], 60)
    expect(s.text.length).toBeLessThanOrEqual(60)
    expect(s.cutStart).toBe(true)
    expect(s.cutEnd).toBe(true)
    expect(s.highlights).toHaveLength(1)
    expect(s.text.slice(s.highlights[0].start, s.highlights[0].end)).toBe('政策解读')
    // no match in the text (it was in the title): the start of the text
    const start = snippet('短文本。', ['鲲'])
    expect(start).toEqual({ text: '短文本。', highlights: [], cutStart: false, cutEnd: false })
    // a match near the start keeps the start
    expect(snippet('政策解读在开头。', ['政策']).cutStart).toBe(false)
  })

  it('never splits a character outside the BMP', () => {
    const text = `${'𠀀'.repeat(100)}公开`
    const s = snippet(text, ['公开'], 21)
    expect(s.text.endsWith('公开')).toBe(true)
    expect(s.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
  })
})
