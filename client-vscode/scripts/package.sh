#!/bin/sh
# Builds the extension from a clean checkout: the locked dependencies (npm ci), a type check,
# the esbuild bundle, then `vsce package`. Usage: scripts/package.sh [OUT.vsix] (Node >= 22).
set -eu
cd "$(dirname "$0")/.."
out="${1:-dl-lsp-$(node -p 'require("./package.json").version').vsix}"
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
  echo "scripts/package.sh: @vscode/vsce needs Node 22 or later (this is $(node --version))" >&2
  exit 1
fi
# Reinstall only when package-lock.json is newer than what node_modules was installed from.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
npx vsce package --no-dependencies --skip-license --allow-missing-repository --out "$out"
