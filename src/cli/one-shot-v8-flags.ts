/**
 * The parser is a 1.7 MB WebAssembly module. By default V8 re-compiles its hot functions (the
 * grammar's huge yyparse among them) with the optimizing compiler once they have run a while: work
 * node waits for at exit, and that a parse never uses (yyparse runs once per file, and V8 swaps in
 * optimized wasm code only on the next call). Raising the tiering budget was not enough (even the
 * int32 maximum tiered up on a 2 MB file: ~250 ms of compile); --liftoff-only keeps the parser in
 * the baseline compiler (pre-commit 0.29 → 0.18 s, 20,000 statements 1.24 → 1.03 s).
 * https://v8.dev/blog/wasm-dynamic-tiering — must run before the parser is imported.
 * Likewise for the rules' JavaScript: by default V8 sends every lukewarm function to its optimizing
 * compiler, work a single run never earns back (20,000 statements: 2.0 s of CPU, 1.4 s with a 30×
 * larger interrupt budget, which still optimizes the really hot code; bench/lint-throughput.mjs).
 * The bin (main.ts) sets them for every command, before it compiles the CLI's bundle: V8 takes the
 * bundle's code cache only under the flags the cache was made with. The longer commands (verify,
 * sanitize, drill) wait on Postgres, not on JavaScript, and still get their hot code optimized.
 */
export const ONE_SHOT_V8_FLAGS = '--liftoff-only --interrupt-budget=2000000'
