#!/usr/bin/env bash
# The GitHub Action's gate, as a script so it runs the same locally (test/action/) as on a runner.
# Inputs (env): GITHUB_ACTION_PATH, KDB_BASE_REF, KDB_PG_VERSION, KDB_VERIFY, KDB_OUT; GITHUB_STEP_SUMMARY and
# GITHUB_OUTPUT when on a runner.
set -uo pipefail
kdb() { node "$GITHUB_ACTION_PATH/dist/cli/main.cjs" "$@"; }
out="${KDB_OUT:?}"
mkdir -p "$out"
common=(--since "${KDB_BASE_REF:?}" --pg-version "${KDB_PG_VERSION:-15}")

kdb lint "${common[@]}" --format sarif >"$out/lint.sarif"
lint=$?
# Annotations on the PR diff; the exit code is already known from the SARIF run.
kdb lint "${common[@]}" --format github || true
kdb lint "${common[@]}" --format markdown >"$out/report.md" || true

verify=0
if [ "${KDB_VERIFY:-true}" = "true" ] && [ "$lint" -ne 2 ]; then
  kdb verify "${common[@]}" --format markdown --output "$out/verify.md"
  verify=$?
  [ -f "$out/verify.md" ] && { printf '\n'; cat "$out/verify.md"; } >>"$out/report.md"
fi

[ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$out/report.md" >>"$GITHUB_STEP_SUMMARY"
verdict=pass
if [ "$lint" -ne 0 ] || [ "$verify" -ne 0 ]; then verdict=fail; fi
[ -n "${GITHUB_OUTPUT:-}" ] && echo "verdict=$verdict" >>"$GITHUB_OUTPUT"
echo "koinonia-db gate: $verdict (lint exit $lint, verify exit $verify)" >&2
# Usage and environment errors (2, 3) are reported as such; findings fail the job with 1.
if [ "$lint" -ge 2 ]; then exit "$lint"; fi
if [ "$verify" -ge 2 ]; then exit "$verify"; fi
[ "$verdict" = pass ]
