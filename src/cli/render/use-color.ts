/**
 * Colour only for a terminal. NO_COLOR (https://no-color.org) turns it off, FORCE_COLOR turns it on
 * even through a pipe (FORCE_COLOR=0 or false turns it off), as in Node's own util.styleText.
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false')
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}
