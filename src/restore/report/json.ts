import type { DrillResult } from '../types.js'

/** The stable JSON contract (docs/restore.md): everything but the live handle of a kept cluster. */
export function drillToJson(result: DrillResult): string {
  const { kept, ...rest } = result
  return `${JSON.stringify(kept ? { ...rest, kept: { url: kept.url, port: kept.port, dataDir: kept.dataDir } } : rest, null, 2)}\n`
}
