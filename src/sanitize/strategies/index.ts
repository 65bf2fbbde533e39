import { address } from './address.js'
import { choice } from './choice.js'
import { constant } from './constant.js'
import { dateShift } from './date-shift.js'
import { email } from './email.js'
import { hash } from './hash.js'
import { ip } from './ip.js'
import { jsonbPaths } from './jsonb-paths.js'
import { keep } from './keep.js'
import { name } from './name.js'
import { noise } from './noise.js'
import { nullify } from './null.js'
import { partial } from './partial.js'
import { phone } from './phone.js'
import { scrub } from './scrub.js'
import type { Strategy } from './strategy.js'

/** Every strategy by name. Add one: a file in this folder, one line here. */
export const STRATEGIES: Record<string, Strategy> = Object.fromEntries(
  [address, choice, constant, dateShift, email, hash, ip, jsonbPaths, keep, name, noise, nullify, partial, phone, scrub].map((s) => [s.name, s]),
)

export type { Strategy, ColumnType, Params } from './strategy.js'
export { paramsProblem } from './strategy.js'
