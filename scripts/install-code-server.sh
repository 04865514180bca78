#!/usr/bin/env bash
# Installs code-server (the VS Code 1.100.3 server plus its web workbench) into DEST, using only
# the npm registry and Debian packages. Desktop VS Code cannot be downloaded on our CI machines
# (update.code.visualstudio.com is unreachable), so the extension-host tests run in code-server
# instead; see docs in ../shared/reference/vscode-testing.md and scripts/code-shim.js.
#
# Why not a plain `npm install code-server`: its postinstall fails here in three places, and a
# failed postinstall rolls back the whole package:
#   - kerberos compiles against gssapi headers          -> needs Debian's libkrb5-dev
#   - @vscode/ripgrep downloads rg from api.github.com   -> we drop Debian's rg into its bin/ first
#   - node-pty's install runs `npx node-gyp`, which npm refuses while ~/.npmrc has yes=false
# So the package is installed with --ignore-scripts and the steps of its postinstall.sh are
# redone here by hand, minus the downloads.
#
# Idempotent: a marker file per version makes a repeat run return at once.
set -euo pipefail

DEST=${1:?usage: install-code-server.sh DEST_DIR}
# 4.100.3 is the last code-server whose engines.node accepts Node 20 (4.103+ want 22 or 24).
VER=${CODE_SERVER_VERSION:-4.100.3}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
MARKER="$DEST/.installed-$VER"
if [ -f "$MARKER" ]; then
  echo "code-server $VER already installed in $DEST"
  exit 0
fi

# The native modules need a compiler, pkg-config and the gssapi headers; rg replaces the download.
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s build-essential python3 pkg-config libkrb5-dev ripgrep >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq build-essential python3 pkg-config libkrb5-dev ripgrep >/dev/null
fi

cd "$DEST"
# A private package.json keeps npm from walking up into the project's own package.json.
[ -f package.json ] || echo '{"private":true}' >package.json
npm install --ignore-scripts --no-audit --no-fund --no-save "code-server@$VER"
# code-server's own native dependency (password hashing); compiled from source, no download.
npm rebuild argon2

# What lib/vscode's part of postinstall.sh does, step by step.
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund
# @vscode/ripgrep's postinstall skips its download when bin/ already exists.
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# kerberos, node-pty, spdlog, native-watchdog, ... ; yes=true lets node-pty's `npx node-gyp` run.
npm_config_yes=true npm rebuild
# VS Code looks for an asar archive of node_modules; code-server ships a symlink instead.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
# The built-in extensions (git, sql grammar, ...) have their own runtime dependencies.
(cd extensions && npm install --omit=dev --no-audit --no-fund)

# Smoke test; the XDG variables keep code-server from writing into $HOME.
XDG_CONFIG_HOME="$DEST/.xdg" XDG_DATA_HOME="$DEST/.xdg" "$DEST/node_modules/.bin/code-server" --version
touch "$MARKER"
