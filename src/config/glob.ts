/**
 * A path glob as in .gitignore-style configs: `**` any folders, `*` within one segment, `?` one
 * character. Matched against forward-slash paths relative to the config file's folder.
 */
export function globToRegExp(glob: string): RegExp {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += glob[i + 2] === '/' ? 2 : 1
    } else if (c === '*') out += '[^/]*'
    else if (c === '?') out += '[^/]'
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${out}$`)
}

export function matchesAny(path: string, globs: string[]): boolean {
  const normalized = path.split('\\').join('/')
  return globs.some((g) => globToRegExp(g).test(normalized))
}
