#!/usr/bin/env bash
# One PR comment, updated on every push: found by a hidden marker, edited in place.
set -euo pipefail
marker='<!-- koinonia-db-report -->'
body_file="${KDB_OUT:?}/comment.md"
{ echo "$marker"; cat "$KDB_OUT/report.md"; } >"$body_file"
repo="${GITHUB_REPOSITORY:?}"
pr="${KDB_PR:?}"
id=$(gh api "repos/$repo/issues/$pr/comments" --paginate --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api -X PATCH "repos/$repo/issues/comments/$id" -F "body=@$body_file" >/dev/null
else
  gh api -X POST "repos/$repo/issues/$pr/comments" -F "body=@$body_file" >/dev/null
fi
