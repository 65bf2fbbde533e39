// A stand-in for libpg-query's Emscripten loader whose WebAssembly instance fails after the worker
// has started (no imports given, so instantiation rejects) and whose module promise never settles:
// the worker must answer the waiting thread at once instead of leaving it to the deadline.
module.exports = (options) => {
  options.instantiateWasm({}, () => {})
  return new Promise(() => {})
}
