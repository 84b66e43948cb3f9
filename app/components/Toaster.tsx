// The toast a page action left for the next page (app/forms/toast.server.ts), fixed at the bottom of
// the screen so it is seen wherever the person has scrolled. It fades by CSS after a few seconds
// (paused while pointed at or focused), so it also goes away without JavaScript.
import { useEffect, useState } from 'react'
import type { Toast } from '~/forms/toast'
import { zh } from '~/ui/zh'

export function Toaster({ toast }: { toast: Toast | null }) {
  const [shown, setShown] = useState(toast)
  useEffect(() => {
    if (toast) setShown(toast)
  }, [toast])
  // The live region stays in the page, so a toast put into it is read out; the card itself has
  // the role (status, or alert for an error), so only a shown toast counts as one.
  return (
    <div className="toaster" aria-live="polite" aria-atomic="true">
      {shown ? <ToastCard key={shown.id} toast={shown} onClose={() => setShown(null)} /> : null}
    </div>
  )
}

function ToastCard({ toast, onClose }: { toast: Toast; onClose: () => void }) {
  return (
    <div
      role={toast.type === 'error' ? 'alert' : 'status'}
      className={`toast ${toast.type}`}
      onAnimationEnd={e => e.animationName === 'toast-out' && onClose()}
    >
      <span className="toast-text">{toast.description}</span>
      <button type="button" className="toast-close" aria-label={zh.feedback.closeToast} onClick={onClose} />
    </div>
  )
}
