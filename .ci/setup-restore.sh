#!/usr/bin/env bash
# Restore drills need pgBackRest for their pgBackRest test (it is skipped, with a message, when missing).
# Called by .ci/run before the tests; Debian packages are reachable from CI.
set -euo pipefail
if ! command -v pgbackrest >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest >/dev/null
fi
pgbackrest version
