/** How much unwritten output may wait before the event loop gets a turn to hand it to the pipe. */
const QUEUED = 256 * 1024

/**
 * Writes a report made piece by piece. Writes to a pipe go out when the event loop runs: a piece
 * made while 256 KB or more still wait lets it run once first, so the reader drains the pipe while
 * the next piece is made, and the output never waits whole in memory (a 14 MB JSON report reached
 * its reader ~20 ms sooner; bench/lint-throughput.mjs, docs/linter.md "Tenth round").
 */
export async function writePieces(out: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) {
    out.write(piece)
    if (((out as { writableLength?: number }).writableLength ?? 0) >= QUEUED) await new Promise((resolve) => setImmediate(resolve))
  }
}
