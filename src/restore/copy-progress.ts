import { folderBytes, mb } from './fs-utils.js'

/**
 * While a backup is copied into `dir` (by cp, tar, pgbackrest or barman), says how far it got: at
 * each tenth of `totalBytes` and at least every `heartbeatMs`, so an hours-long restore shows progress
 * without a line per second. Measured with `du` off the event loop, once a second. Returns the stop.
 */
export function watchCopy(dir: string, totalBytes: number, say: (message: string) => void, heartbeatMs = 60_000): () => void {
  let step = 0
  let saidAt = Date.now()
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    folderBytes(dir)
      .then((bytes) => {
        const reached = totalBytes > 0 ? Math.min(9, Math.floor((bytes * 10) / totalBytes)) : 0
        if (reached <= step && Date.now() - saidAt < heartbeatMs) return
        step = Math.max(step, reached)
        saidAt = Date.now()
        say(`restoring: ${mb(bytes)} of ${mb(totalBytes)} MB${totalBytes > 0 ? ` (${Math.min(100, Math.round((bytes * 100) / totalBytes))}%)` : ''}`)
      })
      .catch(() => undefined) // the folder not made yet, or gone: nothing to say
      .finally(() => (busy = false))
  }, 1000)
  timer.unref()
  return () => clearInterval(timer)
}
