#!/usr/bin/env bash
# Submits a collabgov sweep to SLURM: a job array of SHARDS tasks, then a merge job that runs
# when every task has succeeded.
#
#   scripts/slurm/submit.sh SWEEP.toml OUT_DIR SHARDS [CPUS_PER_TASK]
#
# Set COLLABGOV to the binary's path if it is not on PATH (e.g. target/release/collabgov).
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SWEEP.toml OUT_DIR SHARDS [CPUS_PER_TASK]" >&2
  exit 2
fi
SWEEP="$1"; OUT="$2"; SHARDS="$3"; CPUS="${4:-1}"
HERE="$(cd "$(dirname "$0")" && pwd)"
COLLABGOV="${COLLABGOV:-collabgov}"
export COLLABGOV
mkdir -p "$OUT"
array=$(sbatch --parsable --export=ALL --array=1-"$SHARDS" --cpus-per-task="$CPUS" \
  --output="$OUT/slurm-%A_%a.out" "$HERE/sweep.sbatch" "$SWEEP" "$OUT")
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" --job-name=collabgov-merge \
  --output="$OUT/slurm-merge-%j.out" --wrap "\"$COLLABGOV\" merge \"$OUT\"")
echo "array job $array ($SHARDS shards), merge job $merge"
