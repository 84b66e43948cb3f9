// The agency name field of the review page: as the reviewer types, the registry's matching agencies
// (and the alias that matched) are offered in a datalist from /agencies/suggest. Any name may still
// be typed: a new one is filed through the alias learning on the server.
import { useFetcher } from '@remix-run/react'
import { useEffect, useId, useRef, useState } from 'react'

interface Hit {
  id: string
  name: string
  alias: string | null
}

export function AgencyInput({ name, defaultValue }: { name: string; defaultValue: string }) {
  const fetcher = useFetcher<{ agencies: Hit[] }>()
  const listId = useId()
  const [value, setValue] = useState(defaultValue)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const { load } = fetcher
  useEffect(() => {
    const q = value.trim()
    // only once the reviewer types: a look-up on every page view (and every revalidation after an
    // action) raced the page's own loads, and a failed look-up took the whole page to its error view
    if (q.length < 2 || value === defaultValue) return
    clearTimeout(timer.current)
    timer.current = setTimeout(() => load(`/agencies/suggest?q=${encodeURIComponent(q)}`), 200)
    return () => clearTimeout(timer.current)
  }, [value, defaultValue, load])
  const hits = fetcher.data?.agencies ?? []
  return (
    <>
      <input
        type="text"
        name={name}
        value={value}
        onChange={e => setValue(e.currentTarget.value)}
        list={listId}
        maxLength={100}
        required
        autoComplete="off"
        title="输入时会列出已登记的机关；选中已登记的名称，报告会归入该机关，以便跨年对照。"
      />
      <datalist id={listId}>
        {hits.map(h => (
          <option key={h.id} value={h.name}>
            {h.alias ? `又名：${h.alias}` : '已登记机关'}
          </option>
        ))}
      </datalist>
    </>
  )
}
