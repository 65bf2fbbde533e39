import { booleanFlag, stringFlag } from '../flag-spec.js'
import { booleanKey, oneOfKey, stringKey } from '../value-keys.js'

const RENDER = 'output rendering: the API returns the result object and never prints; render it with the report functions'

/** `--config PATH`: which file to read cannot itself be a key of that file. */
export const configFlag = stringFlag(stringKey('a config file path'), 'the config file (default: koinonia.config.* from here upwards)', {
  noConfig: 'it names the config file itself',
  noApi: 'the API takes options, not a file: call loadConfig({ path })',
})

export function formatFlag<const T extends string>(formats: readonly T[]) {
  return stringFlag(oneOfKey(formats), 'the report format', { default: formats[0], noApi: RENDER, code: 'KDB_FORMAT' })
}

export const outputFlag = stringFlag(stringKey('a file path'), 'write the report to this file instead of stdout/stderr', { path: true, noApi: RENDER })

/** `--since REF` / `--staged`: git selection belongs to one run (a hook, a CI job), never to the project. */
export const GIT_SELECTION = 'a per-run git selection: a committed value would make every run (hook, CI, by hand) select the same way'
export const sinceFlag = stringFlag(stringKey('a git ref'), 'only migrations added or changed since the merge base with REF', {
  noConfig: GIT_SELECTION, noApi: 'selectSince(cwd, ref) gives the files',
})
export const stagedFlag = booleanFlag(booleanKey('true or false'), 'only migrations staged for commit', {
  noConfig: GIT_SELECTION, noApi: 'selectStaged(cwd) gives the files',
})
