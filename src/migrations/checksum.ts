import { createHash } from 'node:crypto'

/** sha256 of a migration file's bytes, lower-case hex: what Prisma writes to `_prisma_migrations.checksum`. */
export function migrationChecksum(script: string | Uint8Array): string {
  return createHash('sha256').update(script).digest('hex')
}

/**
 * Whether a file still matches a recorded checksum, the way Prisma decides it: line endings do not
 * count (git may convert them), and rows written by old engines lack the zero padding of each byte
 * (https://github.com/prisma/prisma-engines/issues/1887).
 */
export function checksumMatches(script: string, recorded: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\r?\n/g, '\r\n')]
  return variants.some((text) => {
    const digest = createHash('sha256').update(text).digest()
    const rendered = recorded.length !== 0 && recorded.length !== 64
      ? [...digest].map((b) => b.toString(16)).join('')
      : digest.toString('hex')
    return rendered === recorded
  })
}
