import type { Finding } from '../types.js'

/** File-level notices about one comment start with "line N: "; the others belong to the top of the file. */
export function noticeLine(notice: Finding): number {
  const m = /^line (\d+): /.exec(notice.message)
  return m ? Number(m[1]) : 1
}
