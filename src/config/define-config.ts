import type { KoinoniaConfig } from './keys.js'

/**
 * Types a `koinonia.config.ts`; the file is still validated when loaded (unknown keys are errors).
 * @example
 * // koinonia.config.ts
 * import { defineConfig } from 'koinonia-db'
 * export default defineConfig({ pgVersion: 16, provider: 'embedded', rules: { 'prefer-text-field': 'off' } })
 */
export function defineConfig(config: KoinoniaConfig): KoinoniaConfig {
  return config
}
