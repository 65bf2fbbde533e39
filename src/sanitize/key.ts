import { createHash, createHmac, randomBytes } from 'node:crypto'
import { UsageError } from '../errors.js'

export const DEFAULT_KEY_ENV = 'KOINONIA_SANITIZE_KEY'

/**
 * The masking secret, held only in memory. Postgres receives keys derived from it as session
 * settings (bind parameters, never in SQL text or a catalog row), so nothing persists.
 */
export interface SanitizeKey {
  /** Whether the key came from the environment (deterministic across runs) or is random for this run. */
  source: 'env' | 'random'
  /** A one-way id of the key, recorded in the state table so a rerun can tell it uses the same key. */
  id: string
  /**
   * Hex. `mi`/`mo`: HMAC-SHA-256 pads for masking. `fk`: the fingerprint key, used as a secret prefix
   * (`sha256(fk || value)` truncated to 10 bytes): one C call per original value instead of an
   * HMAC's two, and the truncation leaves nothing for a length-extension attack to build on.
   */
  pads: { mi: string; mo: string; fk: string }
}

function pads(key: Buffer): { inner: string; outer: string } {
  const block = Buffer.alloc(64)
  key.copy(block)
  const inner = Buffer.from(block.map((b) => b ^ 0x36))
  const outer = Buffer.from(block.map((b) => b ^ 0x5c))
  return { inner: inner.toString('hex'), outer: outer.toString('hex') }
}

/** Reads the key from `env[envName]`; a random key per run when unset. */
export function resolveKey(env: NodeJS.ProcessEnv = process.env, envName = DEFAULT_KEY_ENV): SanitizeKey {
  const raw = env[envName]
  if (raw !== undefined && raw.length < 16)
    throw new UsageError('KDB_SANITIZE_WEAK_KEY', `${envName} is shorter than 16 characters`, {
      hint: `Use a long random secret, e.g. \`openssl rand -hex 32\`, and keep it out of files.`,
    })
  const secret = raw !== undefined ? Buffer.from(raw, 'utf8') : randomBytes(32)
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest()
  const mask = pads(derive('koinonia-db sanitize v1 mask'))
  const fk = derive('koinonia-db sanitize v2 fingerprint prefix key')
  return {
    source: raw !== undefined ? 'env' : 'random',
    // v2: email fakes became fingerprints; v3: so did default-domain hash fakes; v4: scrub masks IP
    // addresses inside text; v5: and the full names masked name columns held. A rerun over tables
    // masked by an older version must refuse (as with another key) rather than mix two fakes of one
    // value, or a fake and the value it stands for.
    id: derive('koinonia-db sanitize v5 key-id').toString('hex').slice(0, 16),
    pads: { mi: mask.inner, mo: mask.outer, fk: fk.toString('hex') },
  }
}

/** The same HMAC as `pg_temp.kdb_mac(domain, value)`, for tests and checks done in Node. */
export function macInNode(key: SanitizeKey, domain: string, value: string): Buffer {
  const inner = createHash('sha256').update(Buffer.from(key.pads.mi, 'hex')).update(`${domain}:${value}`, 'utf8').digest()
  return createHash('sha256').update(Buffer.from(key.pads.mo, 'hex')).update(inner).digest()
}

/** The same fingerprint as `pg_temp.kdb_fp(token)`, for tests and checks done in Node. */
export function fingerprintInNode(key: SanitizeKey, token: string): Buffer {
  return createHash('sha256').update(Buffer.from(key.pads.fk, 'hex')).update(token, 'utf8').digest().subarray(0, 10)
}
