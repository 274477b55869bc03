#!/usr/bin/env bash
# The classroom page in a real browser: Debian's chromium driven by playwright-core (from
# the npm registry), against `collabgov serve` built just before (target/release).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! [ -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null
fi
(cd crates/web/tests/browser && npm ci --no-audit --no-fund --loglevel=error)
log="$(mktemp)"
target/release/collabgov serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://[0-9.:]*/' "$log" || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "collabgov serve did not start" >&2; exit 1; }
node crates/web/tests/browser/page.test.mjs "$url" "$PWD/target/release/collabgov" output/screenshots
# `collabgov report` loads from a file with no error and prints to the expected A4 pages.
node crates/web/tests/browser/report.test.mjs "$PWD/target/release/collabgov" output/screenshots
