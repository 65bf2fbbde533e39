export { loadConfig, findConfigFile, parseConfig, CONFIG_FILE_NAMES, type LoadConfigOptions, type LoadedConfig } from './load-config.js'
export { CONFIG_KEYS, type KoinoniaConfig } from './keys.js'
export { defineConfigKey, ConfigProblem, type ConfigKey } from './config-key.js'
export { defineConfig } from './define-config.js'
