#!/usr/bin/env bash
# Restore drills restore with the system Postgres 15 server and its tools (pg_basebackup, pg_verifybackup,
# pg_waldump, amcheck), and test pgBackRest, Barman and zstd-compressed archives (each skipped, with a
# message, when its tool is missing).
# Called by .ci/run before the tests; Debian packages are reachable from CI.
set -euo pipefail
need=()
[ -x /usr/lib/postgresql/15/bin/pg_verifybackup ] || need+=(postgresql-15)
command -v pgbackrest >/dev/null 2>&1 || need+=(pgbackrest)
command -v barman >/dev/null 2>&1 || need+=(barman)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
/usr/lib/postgresql/15/bin/postgres --version
pgbackrest version
barman --version
