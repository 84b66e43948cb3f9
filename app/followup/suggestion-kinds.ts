// The kinds and states of a follow-up suggestion: plain constants, shared by the server code and
// the pages' browser code (a constant imported from a .server module is empty in the browser:
// the 跨年对照 page threw "SUGGESTION_STATUSES is not iterable" on load).
export const SUGGESTION_KINDS = ['evidence', 'recurring'] as const
export const SUGGESTION_STATUSES = ['pending', 'confirmed', 'rejected'] as const
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number]
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number]
