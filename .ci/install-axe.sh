#!/usr/bin/env bash
# Installs what the browser journeys need, if missing: Debian's Chromium and ChromeDriver (apt),
# and axe-core's axe.min.js (npm, version pinned) for the accessibility check in every page the
# journeys visit. Idempotent; used by .ci/run. Prints the path of axe.min.js on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/ci-tools
AXE_VERSION=4.14.1
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
fi
if ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >&2
fi
axe="$tools/axe/node_modules/axe-core/axe.min.js"
if [ ! -f "$axe" ] || ! grep -q "axe v$AXE_VERSION" "$axe"; then
  mkdir -p "$tools/axe"
  npm install --silent --no-audit --no-fund --prefix "$tools/axe" "axe-core@$AXE_VERSION" >&2
fi
chromium --version >&2
chromedriver --version >&2
echo "$PWD/$axe"
