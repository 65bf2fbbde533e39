/**
 * The library throws only when it could not run. Findings, data loss, a missed RTO are results.
 * Every error carries a stable `code` and a one-sentence `hint` saying what to do.
 */
export type ErrorKind = 'usage' | 'input' | 'environment' | 'internal'

export interface KoinoniaErrorOptions {
  hint?: string
  cause?: unknown
  /** Where the problem is, when it is in a file the user gave us. */
  file?: string
  line?: number
  column?: number
}

export class KoinoniaError extends Error {
  readonly code: string
  readonly kind: ErrorKind
  readonly hint?: string
  readonly file?: string
  readonly line?: number
  readonly column?: number

  constructor(code: string, kind: ErrorKind, message: string, options: KoinoniaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.kind = kind
    this.hint = options.hint
    this.file = options.file
    this.line = options.line
    this.column = options.column
  }

  /** `file:line:column: message` when a location is known. */
  get where(): string | undefined {
    if (!this.file) return undefined
    return [this.file, this.line, this.column].filter((p) => p !== undefined).join(':')
  }
}

/** Bad flags, bad config, an option out of range. CLI exit code 2. */
export class UsageError extends KoinoniaError {
  constructor(code: string, message: string, options?: KoinoniaErrorOptions) {
    super(code, 'usage', message, options)
  }
}

/** A file that cannot be read or parsed, a dump that cannot be restored. CLI exit code 2. */
export class InputError extends KoinoniaError {
  constructor(code: string, message: string, options?: KoinoniaErrorOptions) {
    super(code, 'input', message, options)
  }
}

/** Postgres or a tool could not be started or reached. CLI exit code 3. */
export class EnvironmentError extends KoinoniaError {
  constructor(code: string, message: string, options?: KoinoniaErrorOptions) {
    super(code, 'environment', message, options)
  }
}

export const EXIT = { ok: 0, findings: 1, usage: 2, environment: 3 } as const

/** The CLI's exit code for an error thrown by the library. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof KoinoniaError) return error.kind === 'environment' ? EXIT.environment : EXIT.usage
  return EXIT.environment
}
