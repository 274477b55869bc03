"""Coverage audit of the paired consensus-share interval on the engine (docs/intervals.md).

The rare case of the researchers' audit: siloed-government against itself with clearer
ground rules (0.9) from round 20, 100 rounds (consensus in 1-3 % of replicates). The truth
is the paired difference over TRUTH replicates; then RUNS comparisons of REPS replicates
with seeds 1..RUNS, each checked for whether its printed interval (`paired.csv`) holds the
truth, beside the t interval over the pairs' 0/+-1 differences that collabgov printed before.

    COLLABGOV_BIN=target/release/collabgov python3 docs/examples/audit_paired_consensus.py 400 30 30000
"""
import csv
import math
import os
import subprocess
import sys
import tempfile

CLI = os.path.abspath(os.environ["COLLABGOV_BIN"]) if "COLLABGOV_BIN" in os.environ else "collabgov"
RUNS, REPS, TRUTH = (int(a) for a in (sys.argv[1:] + ["400", "30", "30000"][len(sys.argv) - 1:])[:3])
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def compare(work, out, replicates, seed):
    subprocess.run(
        [CLI, "compare", "a.toml", "b.toml", "--replicates", str(replicates), "--rounds", "100",
         "--seed", str(seed), "--out", out, "--format", "svg", "--force"],
        cwd=work, check=True, capture_output=True)
    return os.path.join(work, out)


def consensus_row(folder):
    rows = csv.reader(open(os.path.join(folder, "paired.csv"), encoding="utf-8"))
    row = [r for r in rows if r[2] == "consensus_reached_share"][0]
    return float(row[4]), float(row[5]), float(row[6])


with tempfile.TemporaryDirectory() as work:
    text = open(os.path.join(ROOT, "scenarios", "siloed-government.toml"), encoding="utf-8").read()
    open(os.path.join(work, "a.toml"), "w", encoding="utf-8").write(text)
    text = text.replace('name = "siloed-government"', 'name = "ground-rules"', 1)
    text += '\n[[interventions]]\ntype = "set"\nparameter = "ground_rules"\nvalue = 0.9\nround = 20\n'
    open(os.path.join(work, "b.toml"), "w", encoding="utf-8").write(text)
    truth = consensus_row(compare(work, "truth", TRUTH, 7))[0]
    z = 1.959963984540054
    covered = former = zero = 0
    for seed in range(1, RUNS + 1):
        folder = compare(work, "run", REPS, seed)
        _, low, high = consensus_row(folder)
        covered += low <= truth <= high

        def reached(k):
            path = os.path.join(folder, f"side-{k}.replicates.csv")
            return [1 if r["consensus_round"] else 0 for r in csv.DictReader(open(path, encoding="utf-8"))]

        d = [y - x for x, y in zip(reached(1), reached(2))]
        m = sum(d) / len(d)
        sd = math.sqrt(sum((v - m) ** 2 for v in d) / (len(d) - 1))
        # t quantile at 29 degrees of freedom for 30 pairs, z otherwise (close enough above).
        half = (2.045229642132703 if len(d) == 30 else z) * sd / math.sqrt(len(d))
        former += m - half <= truth <= m + half
        zero += half == 0
    print(f"truth {truth:.4f} from {TRUTH} pairs; {RUNS} runs of {REPS} pairs: Newcombe's interval "
          f"covers {covered / RUNS:.3f}; the former t interval {former / RUNS:.3f} "
          f"({zero} of {RUNS} of zero width)")
