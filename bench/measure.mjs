// Process timing for the benches: wall time from spawn to exit, and the CPU time (user + sys) the
// process used, read with /usr/bin/time when it is there. On a shared machine wall time includes
// waiting for a core; CPU time does not, so both are printed.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

/** Runs to exit, draining output. Exit codes 0 and 1 (findings) are success. */
export function runTimed(cmd, args, { cwd } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kdb-time-'))
  const out = join(dir, 'time')
  const [bin, argv] = TIME ? [TIME, ['-f', '%U %S', '-o', out, cmd, ...args]] : [cmd, args]
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn(bin, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let bytes = 0
    let stderr = ''
    child.stdout.on('data', (d) => (bytes += d.length))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = performance.now() - start
      let cpuMs = null
      try {
        if (TIME) {
          const [user, sys] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number)
          cpuMs = (user + sys) * 1000
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
      if (code !== 0 && code !== 1) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`))
      else resolve({ wallMs, cpuMs, bytes })
    })
  })
}

export function median(xs) {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b)
  return s.length ? s[Math.floor(s.length / 2)] : null
}

export function machineLoad() {
  return `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`
}
