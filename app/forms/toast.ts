// What a toast is, shared by the server (which sets it) and the browser (which shows it): a plain
// module, so nothing here is lost when the client bundle drops *.server files.
export type ToastType = 'success' | 'message' | 'error'

export interface Toast {
  /** New for every toast, so the same words twice still show (and are announced) twice. */
  id: string
  type: ToastType
  description: string
}

/** How a page action answers a refusal, whichever route it is: the message, and field errors by name. */
export interface ActionFailure {
  error: string
  fields?: Record<string, string[]>
  /** The form's intent, so the page can show the message beside the form that was sent. */
  intent?: string
}

export function isActionFailure(value: unknown): value is ActionFailure {
  return !!value && typeof value === 'object' && typeof (value as { error?: unknown }).error === 'string'
}
