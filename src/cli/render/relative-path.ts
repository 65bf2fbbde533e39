import { isAbsolute, relative } from 'node:path'

/** A path as the user would type it from `cwd`: relative (with `..` when outside it), absolute only across drives. */
export function displayPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path
  const rel = relative(cwd, path)
  return rel && !isAbsolute(rel) ? rel : path
}
