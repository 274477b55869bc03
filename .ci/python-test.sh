#!/usr/bin/env bash
# The Python package: build the wheel with maturin into a fresh virtual environment,
# install it, and run its tests against the CLI built just before (target/release, with
# the `parquet` feature).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$(mktemp -d)/venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "maturin>=1.7,<2" "pandas>=1.5" pytest networkx nbconvert ipykernel matplotlib SALib ema_workbench pyarrow
wheels="$(mktemp -d)"
"$venv/bin/maturin" build --release -m crates/python/Cargo.toml -o "$wheels" --interpreter "$venv/bin/python"
"$venv/bin/pip" install --quiet "$wheels"/collabgov-*.whl
COLLABGOV_BIN="$PWD/target/release/collabgov" "$venv/bin/python" -m pytest -q crates/python/tests
# The notebook runs top to bottom (its cells assert the lesson).
"$venv/bin/python" -m ipykernel install --sys-prefix --name python3 >/dev/null
"$venv/bin/python" -m nbconvert --to notebook --execute docs/notebooks/siloisation.ipynb \
  --output "$(mktemp -d)/siloisation.ipynb"
# The SALib worked example: SALib's Sobol indices through run_points agree with
# collabgov sweep's own within their intervals (it exits 1 otherwise).
COLLABGOV_BIN="$PWD/target/release/collabgov" "$venv/bin/python" docs/examples/salib_sobol.py 256
