import type { InitOptions } from '../../init/init-project.js'
import { booleanFlag, defineFlags } from '../flag-spec.js'
import { booleanKey } from '../value-keys.js'
import { formatFlag } from './common-flags.js'
import { pgVersionFlag } from './lint-flags.js'

export const INIT_FLAGS = defineFlags<InitOptions>()('init', 'init', {
  force: booleanFlag(booleanKey('true or false'), 'overwrite files that exist with other content', {
    noConfig: 'init writes the config; a committed force would overwrite edited hooks and workflows on every run',
  }),
  'pg-version': pgVersionFlag,
  format: formatFlag(['pretty', 'json'] as const),
})
