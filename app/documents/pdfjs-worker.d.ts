// pdfjs-dist ships no types for its worker bundle; we only hand the module to pdfjs itself.
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown
}
