/**
 * Process-wide registry of everything we started that is still alive (clusters, containers).
 * `await using` covers success and thrown errors; this covers the rest: Ctrl-C / SIGTERM (stop
 * everything, then let the signal do what it would have done) and process exit (synchronous
 * last resort, because 'exit' listeners cannot await).
 */
export interface Cleanup {
  /** What it is, for messages. */
  readonly description: string
  /** Graceful, asynchronous cleanup. Must be idempotent. */
  stop(): Promise<void>
  /** Synchronous last resort used on process exit (execFileSync / rmSync only). */
  killSync(): void
}

const live = new Set<Cleanup>()
const SIGNALS = ['SIGINT', 'SIGTERM'] as const
type Signal = (typeof SIGNALS)[number]
let installed = false
let stopping: Promise<void> | null = null
/** Longest we wait for graceful cleanup after a signal before falling back to killSync. */
const SIGNAL_CLEANUP_MS = 15_000

/** Tracks a live resource until the returned function is called (normally from its own stop). */
export function registerCleanup(cleanup: Cleanup): () => void {
  live.add(cleanup)
  install()
  return () => {
    live.delete(cleanup)
    if (live.size === 0 && !stopping) uninstall()
  }
}

/** How many resources are still alive in this process. */
export function liveCleanupCount(): number {
  return live.size
}

/** Stops everything still alive; used by signal handling and available to embedders. */
export async function stopAllLive(): Promise<void> {
  await Promise.allSettled([...live].map((c) => c.stop()))
}

function killAllSync(): void {
  for (const c of [...live]) {
    try {
      c.killSync()
    } catch {
      // Best effort: the process is going away; sweep() removes what is left.
    }
    live.delete(c)
  }
}

const onSignal = (signal: Signal) => {
  if (stopping) {
    // A second Ctrl-C while we clean up: stop waiting, kill synchronously, die now.
    killAllSync()
    uninstall()
    if (onlyPassiveListeners(signal)) process.kill(process.pid, signal)
    return
  }
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SIGNAL_CLEANUP_MS)
  })
  stopping = Promise.race([stopAllLive(), deadline]).finally(() => {
    clearTimeout(timer)
    killAllSync()
    uninstall()
    stopping = null
    // Re-raise only if nobody else handles it: then Node's default applies (the process dies of the signal).
    // An embedder's own listener (the CLI aborts its commands) already got this signal; sending it again
    // would look like a second Ctrl-C to it.
    if (onlyPassiveListeners(signal)) process.kill(process.pid, signal)
  })
}
/**
 * signal-exit (loaded by testcontainers) listens to SIGINT/SIGTERM but stays passive while other listeners
 * exist, and re-raises when only its own remain. We follow the same convention, counting its listeners
 * through the global emitters it publishes (v3: process.__signal_exit_emitter__, v4: Symbol.for('signal-exit emitter')).
 */
function onlyPassiveListeners(signal: Signal): boolean {
  const v3 = (process as unknown as { __signal_exit_emitter__?: { count?: number } }).__signal_exit_emitter__
  const v4 = (globalThis as Record<symbol, { count?: number } | undefined>)[Symbol.for('signal-exit emitter')]
  const passive = (v3?.count ?? 0) + (v4?.count ?? 0)
  return process.listenerCount(signal) <= passive
}

const handlers: Record<Signal, () => void> = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') }
const onExit = () => killAllSync()

function install(): void {
  if (installed) return
  installed = true
  for (const s of SIGNALS) process.on(s, handlers[s])
  process.on('exit', onExit)
}

function uninstall(): void {
  if (!installed) return
  installed = false
  for (const s of SIGNALS) process.removeListener(s, handlers[s])
  process.removeListener('exit', onExit)
}
