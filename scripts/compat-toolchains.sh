#!/usr/bin/env bash
# Installs the toolchains the compatibility tests run generated code with (older TypeScript
# compilers, Node 18, @types/node 14) into test/compat/toolchains, apart from the root: their
# `tsc` and `node` bins would otherwise shadow the project's own. Skipped when the installed
# tree was made from the same lock file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../test/compat/toolchains"
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.lock-sha256 2>/dev/null)" = "$want" ]; then
  echo "[compat-toolchains] up to date" >&2
  exit 0
fi
echo "[compat-toolchains] npm ci" >&2
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > node_modules/.lock-sha256
