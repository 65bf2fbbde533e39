import type { DrillPhase } from './types.js'

/** Times the drill's phases; a phase that throws is still recorded. */
export class PhaseClock {
  readonly phases: DrillPhase[] = []

  async time<T>(name: DrillPhase['name'], fn: () => Promise<T>, detail?: (value: T) => string | undefined): Promise<T> {
    const t0 = performance.now()
    let value: T | undefined
    try {
      value = await fn()
      return value
    } finally {
      const phase: DrillPhase = { name, ms: Math.round(performance.now() - t0) }
      const d = value === undefined ? undefined : detail?.(value)
      if (d) phase.detail = d
      this.phases.push(phase)
    }
  }

  add(name: DrillPhase['name'], ms: number, detail?: string): void {
    this.phases.push(detail ? { name, ms: Math.round(ms), detail } : { name, ms: Math.round(ms) })
  }

  get totalMs(): number {
    return this.phases.reduce((sum, p) => sum + p.ms, 0)
  }
}
