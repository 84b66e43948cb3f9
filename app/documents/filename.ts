// File names as users send them, made safe to store and show. Pure.

/**
 * The name an uploaded file (a report or a piece of evidence) is stored and shown under: the base
 * name only (a client may send a path such as "../../etc/passwd.txt"), without control or bidirectional-override characters (which could make
 * "x\u202etxt.exe" look like "xexe.txt"), at most 120 characters with the extension kept.
 */
export function storedFilename(filename: string, fallback = '未命名文件'): string {
  let name =
    String(filename ?? '')
      .split(/[\\/]/)
      .pop() ?? ''
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '').trim()
  if (name.length > 120) {
    const dot = name.lastIndexOf('.')
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : ''
    name = name.slice(0, 120 - ext.length) + ext
  }
  return name || fallback
}
