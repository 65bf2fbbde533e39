import { existsSync, readFileSync } from 'node:fs'
import { dirname, extname, isAbsolute, resolve } from 'node:path'
import { LineCounter, parseDocument, isMap, isScalar, type Node } from 'yaml'
import { InputError } from '../errors.js'
import type { DrillOptions, TableReference } from './types.js'

const KEYS = ['scenario', 'source', 'target', 'pgMajor', 'bindir', 'markers', 'assertions', 'reference', 'database', 'amcheck',
  'failureTime', 'targets', 'workDir', 'port', 'keep', 'historyFile', 'settings', 'timeoutSeconds']
const PATH_KEYS = ['backupDir', 'archiveDir', 'config'] as const

/**
 * Reads a drill file (YAML or JSON; JSON is YAML). Keys mirror runDrill's options; relative paths are
 * relative to the file; `reference` may be inline or the path of a JSON file from captureReference.
 */
export function loadDrillFile(file: string): DrillOptions {
  if (!existsSync(file)) throw new InputError('KDB_DRILL_FILE', `drill file ${file} does not exist`, { hint: 'Pass the path of a .yaml or .json drill file.' })
  const text = readFileSync(file, 'utf8')
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : undefined)
  if (doc.errors.length) {
    const e = doc.errors[0]
    const at = lines.linePos(e.pos[0])
    throw new InputError('KDB_DRILL_FILE', `drill file is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}`, {
      file, line: at.line, column: at.col, hint: 'Fix the syntax; see fixtures/drills/ for examples.',
    })
  }
  if (!isMap(doc.contents)) throw new InputError('KDB_DRILL_FILE', 'a drill file must be a mapping of options', { file, line: 1, hint: 'Start with `source:` and `target:`.' })
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?'
    if (!KEYS.includes(key))
      throw new InputError('KDB_DRILL_FILE', `unknown drill option "${key}"`, { file, line: lineOf(pair.key as Node), hint: `Known options: ${KEYS.join(', ')}.` })
  }
  const options = doc.toJS() as DrillOptions & { reference?: TableReference | string }
  const base = dirname(resolve(file))
  const rel = (p: string) => (isAbsolute(p) ? p : resolve(base, p))
  if (!options.source || typeof options.source !== 'object')
    throw new InputError('KDB_DRILL_FILE', 'the drill file has no source', { file, hint: 'Add source: { kind: base-backup, backupDir: ..., archiveDir: ... } , { kind: pgbackrest, stanza: ... } or { kind: barman, server: ... }.' })
  const source = options.source as unknown as Record<string, string>
  for (const key of PATH_KEYS) if (typeof source[key] === 'string') source[key] = rel(source[key])
  if (options.historyFile) options.historyFile = rel(options.historyFile)
  if (options.workDir) options.workDir = rel(options.workDir)
  if (typeof options.reference === 'string') options.reference = readReference(rel(options.reference))
  return options as DrillOptions
}

export function readReference(file: string): TableReference {
  try {
    const ref = JSON.parse(readFileSync(file, 'utf8')) as TableReference
    if (!ref.database || typeof ref.tables !== 'object') throw new Error('expected { database, tables }')
    return ref
  } catch (error) {
    throw new InputError('KDB_DRILL_REFERENCE', `cannot read the table reference: ${(error as Error).message}`, {
      file, cause: error, hint: 'Create it with captureReference() or `koinonia-db drill --capture-reference URL` at the target moment.',
    })
  }
}
