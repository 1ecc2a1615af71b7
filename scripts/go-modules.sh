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

# The modules `otel-instrument go` generates need more (gin, echo, the three Kafka clients, zap,
# the OTLP exporters) than the committed go.mod files list. Generate the full inventory in each
# HTTP × Kafka flavour and resolve it once here, so the generated-module tests do not download
# under a test timeout. Needs the built CLI (npm ci builds it); skipped without it.
if [ -f dist/src/cli.js ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  for flavour in "nethttp franz-go" "gin sarama" "echo kafka-go"; do
    read -r http kafka <<<"$flavour"
    echo "[go-modules] generated module: --http $http --kafka $kafka" >&2
    # The full inventory's "not mirrored" notes are expected: print them only on failure.
    node bin/otel-instrument.js go --inventory test/go/fixtures/inventories/full.json --out "$scratch/$http" --http "$http" --kafka "$kafka" >"$scratch/$http.log" 2>&1 \
      || { cat "$scratch/$http.log" >&2; exit 1; }
    (cd "$scratch/$http" && go mod tidy)
  done
else
  echo "[go-modules] dist/ not built: the generated modules' dependencies are fetched by the tests" >&2
fi
