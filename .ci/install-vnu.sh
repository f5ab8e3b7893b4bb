#!/usr/bin/env bash
# Installs the Nu HTML Checker (vnu.jar, from the npm registry) and a Java runtime if missing,
# for the test that validates every page as HTML5. Idempotent; used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/ci-tools
if ! command -v java >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless
fi
if ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm
fi
if [ ! -f "$tools/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" vnu-jar@24 >&2
fi
java -jar "$tools/node_modules/vnu-jar/build/dist/vnu.jar" --version
