import type { VerifyResult } from './types.js'

/** The stable JSON contract (version 1, documented in docs/snapshot.md): one document, keys in a fixed order. */
export function renderVerifyJson(result: VerifyResult): string {
  return `${JSON.stringify(result, null, 2)}\n`
}
