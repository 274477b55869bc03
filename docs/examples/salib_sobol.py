"""SALib drives collabgov: Saltelli sampling from SALib, the engine through
`collabgov.run_points`, SALib's `sobol.analyze`; then the same question asked of
`collabgov sweep`'s own Sobol design, and the two sets of indices compared.

    python docs/examples/salib_sobol.py [N]

Both estimate first-order (S1) and total (ST) indices of three CG-1 parameters on the
final cross-sector trust and shared understanding of the `default` scenario. Both designs
are Saltelli matrices from a scrambled Sobol sequence, but different scrambles (SciPy's
against the crate sobol_burley's), and the intervals differ in kind (SALib's bootstrap
standard error times 1.96, collabgov's bootstrap percentiles), so the indices should agree
within those intervals, not to the digit. Exits 1 if an index pair disagrees by more than
both intervals together allow, or if a collabgov interval is more than 1.5 times as wide as
SALib's.
"""

import io
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from SALib.analyze import sobol
from SALib.sample import sobol as sobol_sample

import collabgov

N = int(sys.argv[1]) if len(sys.argv) > 1 else 256
FACTORS = {
    "parameters.silo": (0.0, 1.0),
    "parameters.leadership": (0.0, 1.0),
    "parameters.legal_clarity": (0.3, 1.0),
}
OUTPUTS = ["trust_across_mean", "understanding_mean"]
REPLICATES, ROUNDS, SEED = 10, 60, 7

problem = {
    "num_vars": len(FACTORS),
    "names": list(FACTORS),
    "bounds": [list(b) for b in FACTORS.values()],
}
X = sobol_sample.sample(problem, N, calc_second_order=False, seed=SEED)
points = [dict(zip(FACTORS, row)) for row in X]
df = collabgov.run_points(
    "default", points, replicates=REPLICATES, rounds=ROUNDS, seed=SEED
)
salib = {}
for output in OUTPUTS:
    s = sobol.analyze(
        problem, df[output].to_numpy(), calc_second_order=False, seed=SEED
    )
    for i, factor in enumerate(FACTORS):
        salib[(output, factor)] = (s["S1"][i], s["S1_conf"][i], s["ST"][i], s["ST_conf"][i])

# The same question asked of collabgov's own Sobol design.
with tempfile.TemporaryDirectory() as tmp:
    sweep = os.path.join(tmp, "s.sweep.toml")
    with open(sweep, "w") as f:
        f.write(
            f'name = "salib-check"\nbase = "default"\ndesign = "sobol"\nbase_samples = {N}\n'
            f"replicates = {REPLICATES}\nrounds = {ROUNDS}\nseed = {SEED}\nbootstrap = 500\n"
        )
        for key, (lo, hi) in FACTORS.items():
            f.write(f'[[factors]]\nkey = "{key}"\nfrom = {lo}\nto = {hi}\n')
    binary = os.environ.get("COLLABGOV_BIN", "collabgov")
    subprocess.run(
        [binary, "sweep", sweep, "--no-charts", "--out", os.path.join(tmp, "out")],
        check=True,
        capture_output=True,
    )
    ours = pd.read_csv(os.path.join(tmp, "out", "sobol.csv"))

rows = []
disagree = 0
for (output, factor), (s1, s1c, st, stc) in salib.items():
    o = ours[(ours.output == output) & (ours.factor == factor)].iloc[0]
    for name, value, conf, mine, lo, hi in [
        ("S1", s1, s1c, o.S1, o.S1_low, o.S1_high),
        ("ST", st, stc, o.ST, o.ST_low, o.ST_high),
    ]:
        # Agreement: the gap is within the two intervals' half-widths together.
        allowed = conf + (hi - lo) / 2
        ok = abs(value - mine) <= allowed
        # Width: collabgov's interval against SALib's (+- conf), at most 1.5 times as wide.
        ratio = (hi - lo) / (2 * conf)
        narrow = ratio <= 1.5
        disagree += not (ok and narrow)
        rows.append(
            [output, factor.split(".")[-1], name, f"{value:.3f} ± {conf:.3f}",
             f"{mine:.3f} [{lo:.3f}, {hi:.3f}]", f"{ratio:.2f}",
             ("agree" if ok else "DISAGREE") + ("" if narrow else ", WIDER")]
        )
table = pd.DataFrame(
    rows,
    columns=["output", "factor", "index", "SALib (run_points)", "collabgov sweep",
             "width ratio", ""],
)
print(f"N = {N}: {len(X)} SALib points and {N * (len(FACTORS) + 2)} sweep points, "
      f"{REPLICATES} replicates x {ROUNDS} rounds each")
print(table.to_string(index=False))
print("replicate noise (share of each output's variance across points):",
      ", ".join(f"{o} {ours[ours.output == o].noise.iloc[0]:.3f}" for o in OUTPUTS))
sys.exit(1 if disagree else 0)
