import type { SweepOptions } from '../../postgres/sweep.js'
import { defineFlags, stringFlag } from '../flag-spec.js'
import { stringKey } from '../value-keys.js'
import { configFlag, formatFlag } from './common-flags.js'
import { urlFlag } from './verify-flags.js'

export const SWEEP_FLAGS = defineFlags<SweepOptions>()('sweep', 'sweep', {
  label: stringFlag(stringKey('a run label'), 'only leftovers of this label'),
  url: { ...urlFlag, description: 'also drop koinonia_* scratch databases whose owning process is gone on this server' },
  format: formatFlag(['pretty', 'json'] as const),
  config: configFlag,
})
