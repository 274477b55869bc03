#!/usr/bin/env bash
# Checks that two collabgov binaries write byte-identical tables for every bundled scenario
# and a sweep (a refactoring must not change what a run computes), and times both, side by
# side, on the published performance cases: the 1,000-actor run and the 441-point sweep.
#
#   scripts/compare-outputs.sh OLD_BINARY NEW_BINARY [--timing]
set -euo pipefail
old="$1"; new="$2"; timing="${3:-}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for bin in old new; do
  exe="${!bin}"
  mkdir -p "$work/$bin"
  for s in default siloed-government whole-of-government conflict-prehistory \
           conflict-prehistory-facilitated power-imbalance power-imbalance-facilitated \
           inclusive-forum-low inclusive-forum-high unclear-legal-basis; do
    "$exe" run "$s" --no-charts --out "$work/$bin/$s" >/dev/null
  done
  "$exe" sweep "$here/scenarios/silo-leadership.sweep.toml" --no-charts --out "$work/$bin/sweep" >/dev/null
done
for f in $(cd "$work/old" && ls -d */*.csv); do
  if ! cmp -s "$work/old/$f" "$work/new/$f"; then echo "differs: $f"; status=1; fi
done
[ "$status" = 0 ] && echo "identical: every bundled scenario's tables and the sweep's points.csv"
if [ "$timing" = "--timing" ]; then
  for round in 1 2 3; do
    for bin in old new; do
      exe="${!bin}"
      t0=$(date +%s.%N)
      "$exe" run "$here/benches/scenarios/bench-1000.toml" --threads 2 --no-charts --out "$work/t-$bin-run" >/dev/null
      t1=$(date +%s.%N)
      rm -rf "$work/t-$bin-sweep"
      "$exe" sweep "$here/benches/scenarios/sweep-441.sweep.toml" --no-charts --out "$work/t-$bin-sweep" >/dev/null
      t2=$(date +%s.%N)
      printf '%s round %s: 1k-actor run %.2f s, 441-point sweep %.2f s\n' "$bin" "$round" \
        "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
    done
  done
fi
exit "$status"
