import { existsSync, readFileSync } from 'node:fs'
import { InputError } from '../errors.js'
import type { DrillResult } from './types.js'

export type DrillHistoryEntry = Omit<DrillResult, 'kept'>

/** Reads a drill history file (one JSON result per line, appended by runDrill's historyFile). */
export function readDrillHistory(file: string): DrillHistoryEntry[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').split('\n').flatMap((line, i) => {
    if (!line.trim()) return []
    try {
      return [JSON.parse(line) as DrillHistoryEntry]
    } catch (error) {
      throw new InputError('KDB_DRILL_HISTORY', `line ${i + 1} of the drill history is not JSON`, { file, line: i + 1, cause: error, hint: 'Remove or fix that line; each line is one drill result.' })
    }
  })
}

export interface DrillTrend {
  drills: number
  passed: number
  /** Oldest first, the last `window` drills. */
  rtoSeconds: number[]
  rpoSeconds: number[]
  /** Latest RTO relative to the median of the window before it (1.2 = 20 % slower). */
  rtoChange?: number
}

/** How RTO and RPO move across the last drills of the same scenario and source. */
export function drillTrend(history: DrillHistoryEntry[], like?: Pick<DrillResult, 'scenario' | 'source'>, window = 10): DrillTrend {
  const same = like ? history.filter((h) => h.scenario === like.scenario && h.source.location === like.source.location) : history
  const recent = same.slice(-window)
  const rto = recent.map((h) => h.rtoSeconds)
  const before = rto.slice(0, -1).sort((a, b) => a - b)
  const median = before.length ? before[Math.floor(before.length / 2)] : undefined
  return {
    drills: same.length,
    passed: same.filter((h) => h.verdict === 'pass').length,
    rtoSeconds: rto,
    rpoSeconds: recent.map((h) => h.rpoSeconds),
    rtoChange: median && rto.length ? Math.round((rto[rto.length - 1] / median) * 100) / 100 : undefined,
  }
}
