import { useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'

/** While `active`, re-read the page's data every `ms` (e.g. a report still being processed). */
export function usePollWhile(active: boolean, ms = 2000) {
  const revalidator = useRevalidator()
  useEffect(() => {
    if (!active) return
    const t = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), ms)
    return () => clearInterval(t)
  }, [active, ms, revalidator])
}
