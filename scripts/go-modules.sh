#!/usr/bin/env bash
# Downloads the Go modules every Go test module in the repo needs (from the Go module proxy), so
# the Go compile checks in `npm test` do not pay for downloads under a test timeout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v go >/dev/null || { echo "[go-modules] go not found: install Go 1.26 or newer" >&2; exit 1; }
git ls-files --cached --others --exclude-standard -- '*go.mod' | while read -r mod; do
  dir=$(dirname "$mod")
  echo "[go-modules] $dir" >&2
  (cd "$dir" && go mod download)
done
