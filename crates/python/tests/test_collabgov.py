"""The Python package against the CLI: same numbers for the same scenario and seed, dict
and TOML inputs agreeing, errors as documented."""

import io
import json
import os
import subprocess
import tempfile

import numpy as np
import pytest

import collabgov

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CLI = os.environ.get("COLLABGOV_BIN", os.path.join(ROOT, "target", "release", "collabgov"))

SMALL = {
    "name": "small",
    "rounds": 30,
    "replicates": 8,
    "seed": 4,
    "sectors": [
        {"name": "a", "agencies": 3, "ngo": 2},
        {"name": "b", "agencies": 2, "community": 3},
    ],
    "parameters": {"silo": 0.4},
}

SMALL_TOML = """
name = "small"
rounds = 30
replicates = 8
seed = 4

[[sectors]]
name = "a"
agencies = 3
ngo = 2

[[sectors]]
name = "b"
agencies = 2
community = 3

[parameters]
silo = 0.4
"""


def cli_run(spec, out, *extra):
    subprocess.run(
        [CLI, "run", spec, "--no-charts", "--out", out, *extra],
        check=True,
        capture_output=True,
    )


def test_results_equal_the_cli_byte_for_byte():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli")
        cli_run("siloed-government", out, "--replicates", "12", "--rounds", "40")
        result = collabgov.run("siloed-government", replicates=12, rounds=40, threads=2)
        for name in ("rounds", "replicates", "summary", "actors", "network"):
            with open(os.path.join(out, name + ".csv"), newline="") as f:
                assert result.csv(name) == f.read(), name
        # The DataFrames hold the file's values: written back, the same bytes.
        assert result.replicates.to_csv(index=False) == pd_roundtrip(out, "replicates.csv")
        saved = os.path.join(tmp, "py")
        result.save(saved)
        for name in ("rounds.csv", "replicates.csv", "actors.csv", "network.csv", "network.graphml"):
            with open(os.path.join(saved, name), "rb") as a, open(os.path.join(out, name), "rb") as b:
                assert a.read() == b.read(), name
        # The manifest lists what was written, so the CLI may replace that folder whole
        # later, and never one that also holds the user's own files.
        with open(os.path.join(saved, "run.json")) as f:
            assert "rounds.csv" in json.load(f)["files"]
        cli_run("default", saved, "--replicates", "2", "--rounds", "3")
        with open(os.path.join(saved, "notes.txt"), "w") as f:
            f.write("mine")
        refused = subprocess.run(
            [CLI, "run", "default", "--rounds", "3", "--no-charts", "--out", saved],
            capture_output=True, text=True,
        )
        assert refused.returncode == 1 and "notes.txt" in refused.stderr
        assert result.manifest["seed"] == 11
        assert result.manifest["replicates"] == 12
        # Each replicate on a network of its own, and the summary says what its
        # intervals cover.
        assert result.replicates["network_draw"].tolist() == list(range(12))
        assert result.manifest["network_draws"] == 12
        row = result.summary.set_index("metric").loc["trust_across"]
        assert row["ci_low"] < row["mean"] < row["ci_high"]
        assert "each on a network of its own" in row["interval"]
        assert abs(result.manifest["finals"]["trust_across"]["mean"] - row["mean"]) < 1e-12


def pd_roundtrip(folder, name):
    import pandas as pd

    return pd.read_csv(os.path.join(folder, name)).to_csv(index=False)


def test_services_tables_and_activities():
    result = collabgov.run("services-one-door", replicates=6, rounds=30)
    assert "service_time" in set(result.rounds.metric)
    assert list(result.activities.activity.unique())[:2] == [
        "informal_cooperation",
        "mutual_aid_agreement",
    ]
    agencies = result.actors[result.actors.kind == "agency"]
    assert agencies.training_given.notna().all()


def test_levels_of_government_give_units_and_their_chart(tmp_path):
    result = collabgov.run(
        "levels-devolved", replicates=4, rounds=20, set={"levels.control": 0.3}
    )
    assert {"trust_vertical", "units_in_consensus"} <= set(result.rounds.metric)
    assert {"level:national", "level:province", "level:regency"} <= set(result.rounds.group)
    units = result.units
    assert len(units) == 1 + 5 + 20
    assert list(units.columns[:5]) == ["unit", "level", "level_name", "parent", "name"]
    assert units.consensus_share.between(0, 1).all()
    assert "units" in result.charts
    chart = collabgov.plot(result, "units")
    assert chart.data[:4] == b"\x89PNG"
    # The same table as the CLI writes for the same run.
    out = tmp_path / "cli"
    subprocess.run(
        [CLI, "run", "levels-devolved", "--replicates", "4", "--rounds", "20",
         "--set", "levels.control=0.3", "--out", str(out), "--no-charts"],
        check=True, capture_output=True,
    )
    assert (out / "units.csv").read_text() == result.csv("units")


def test_rounds_hold_the_groups_series():
    result = collabgov.run("siloed-government", replicates=6, rounds=20)
    rounds = result.rounds
    assert list(rounds.columns[:3]) == ["round", "metric", "group"]
    forum = rounds[rounds.group == "all"]
    assert len(forum) == 21 * forum.metric.nunique()
    groups = set(rounds.group) - {"all"}
    assert {"kind:agency", "kind:non_state", "sector:environment"} <= groups
    # One row per round, group metric and group; participation is empty at round 0.
    by_group = rounds[rounds.group != "all"]
    assert set(by_group.metric) == {"trust", "commitment", "participation"}
    assert len(by_group) == 21 * 3 * len(groups)
    start = by_group[(by_group["round"] == 0) & (by_group.metric == "participation")]
    assert start["mean"].isna().all()
    wide = by_group[by_group["round"] == 20].pivot(index="group", columns="metric", values="mean")
    assert wide.loc["kind:agency", "participation"] == 1.0
    assert 0.0 < wide.loc["kind:non_state", "trust"] < 1.0


def test_dict_toml_and_path_inputs_agree():
    a = collabgov.run(SMALL)
    b = collabgov.run(SMALL_TOML)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "small.toml")
        with open(path, "w") as f:
            f.write(SMALL_TOML)
        c = collabgov.run(path)
    for name in ("rounds", "replicates", "actors"):
        assert a.csv(name) == b.csv(name) == c.csv(name)


def test_same_numbers_on_one_and_several_threads():
    one = collabgov.run("siloed-government", replicates=6, rounds=20, threads=1)
    two = collabgov.run("siloed-government", replicates=6, rounds=20, threads=2)
    assert one.csv("rounds") == two.csv("rounds")


def test_errors_are_scenario_errors_naming_file_line_and_key():
    bad = SMALL_TOML.replace("silo = 0.4", "silo = 1.4")
    with pytest.raises(collabgov.ScenarioError) as e:
        collabgov.run(bad)
    assert isinstance(e.value, ValueError)
    message = str(e.value)
    assert "parameters.silo" in message and "line 18" in message, message
    with pytest.raises(FileNotFoundError) as e:
        collabgov.run("no-such-scenario-file.toml")
    assert "siloed-government" in str(e.value)
    with pytest.raises(collabgov.ScenarioError):
        collabgov.run({"name": "x", "sectors": [{"name": "a", "agencies": "three"}]})


def test_run_points_matches_a_sweep_points_file():
    with tempfile.TemporaryDirectory() as tmp:
        sweep = os.path.join(tmp, "s.sweep.toml")
        with open(sweep, "w") as f:
            f.write(
                'name = "s"\nbase = "siloed-government"\ndesign = "grid"\nreplicates = 5\n'
                'rounds = 20\nseed = 3\n[[factors]]\nkey = "parameters.silo"\nvalues = [0.2, 0.8]\n'
            )
        subprocess.run(
            [CLI, "sweep", sweep, "--no-charts", "--out", os.path.join(tmp, "sw")],
            check=True,
            capture_output=True,
        )
        import pandas as pd

        expected = pd.read_csv(os.path.join(tmp, "sw", "points.csv"))
        got = collabgov.run_points(
            "siloed-government",
            [{"parameters.silo": 0.2}, {"parameters.silo": 0.8}],
            replicates=5,
            rounds=20,
            seed=3,
        )
        pd.testing.assert_frame_equal(got, expected)
        # Replicate rows: from the same runs, and each point's are what `collabgov run`
        # writes to replicates.csv at the point's seed and values.
        points, reps = collabgov.run_points(
            "siloed-government",
            [{"parameters.silo": 0.2}, {"parameters.silo": 0.8}],
            replicates=5,
            rounds=20,
            seed=3,
            per_replicate=True,
        )
        pd.testing.assert_frame_equal(points, expected)
        assert list(reps.columns[:4]) == ["point", "parameters.silo", "seed", "replicate"]
        assert len(reps) == 10
        means = reps.groupby("point").trust_across.mean()
        assert np.allclose(means.to_numpy(), points.trust_across_mean.to_numpy(), rtol=0, atol=1e-12)
        out = os.path.join(tmp, "run")
        seed = int(points.seed[1])
        assert (reps[reps.point == 1].seed == seed).all()
        subprocess.run(
            [CLI, "run", "siloed-government", "--seed", str(seed), "--set",
             "parameters.silo=0.8", "--replicates", "5", "--rounds", "20", "--no-charts",
             "--out", out],
            check=True,
            capture_output=True,
        )
        cli = pd.read_csv(os.path.join(out, "replicates.csv"))
        mine = reps[reps.point == 1].drop(columns=["point", "parameters.silo", "seed"])
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), cli)
        # The sweep file itself, run from Python.
        pd.testing.assert_frame_equal(collabgov.sweep(sweep), expected)


def test_a_sweep_with_linked_keys_and_a_fixed_network_equals_the_cli():
    # Python runs a sweep file through the command line's loop: linked keys (`also`) and
    # `fixed_network` mean there what they mean to `collabgov sweep`.
    with tempfile.TemporaryDirectory() as tmp:
        sweep = os.path.join(tmp, "linked.sweep.toml")
        with open(sweep, "w") as f:
            f.write(
                'name = "linked"\nbase = "siloed-government"\ndesign = "grid"\nreplicates = 4\n'
                'rounds = 25\nseed = 5\nfixed_network = true\n'
                '[[factors]]\nkey = "parameters.silo"\nvalues = [0.1, 0.9]\n'
                'also = ["parameters.ground_rules"]\n'
            )
        subprocess.run(
            [CLI, "sweep", sweep, "--no-charts", "--out", os.path.join(tmp, "sw")],
            check=True,
            capture_output=True,
        )
        with open(os.path.join(tmp, "sw", "points.csv")) as f:
            expected = f.read()
        import pandas as pd

        got = collabgov.sweep(sweep)
        assert got.to_csv(index=False) == pd.read_csv(io.StringIO(expected)).to_csv(index=False)


def test_scenarios_and_validate():
    names = set(collabgov.scenarios().name)
    assert {"siloed-government", "services-one-door", "capacity-gap"} <= names
    criteria = collabgov.validate("siloed-government")
    assert len(criteria) == 6
    assert all(set(c) == {"pass", "reason"} for c in criteria.values())


def test_ctrl_c_stops_a_long_run():
    import signal
    import sys
    import time

    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import collabgov, sys; print('started', flush=True); "
            "collabgov.run('default', replicates=3000, rounds=5000)",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell that started these tests in the background ignores SIGINT, and Python
        # keeps an ignored SIGINT ignored: the child gets the default back, as a terminal's.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert child.stdout.readline().strip() == "started"
    time.sleep(1.0)  # the run is under way (it would take minutes)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=120)
    assert child.returncode != 0
    assert "KeyboardInterrupt" in err, err


def test_networkx_reads_the_run_graphml_with_every_attribute():
    nx = pytest.importorskip("networkx")
    result = collabgov.run("whole-of-government", replicates=3, rounds=40)
    g = nx.parse_graphml(result.graphml)
    actors = result.actors[result.actors.replicate == 0].set_index("id")
    assert set(g.nodes) == set(actors.index)
    for node, data in g.nodes(data=True):
        row = actors.loc[node]
        assert data["kind"] == row["kind"] and data["sector"] == row["sector"]
        for column in ("power", "capacity", "commitment", "view_1", "view_2"):
            assert data["final_" + column] == row[column], (node, column)
        assert "power" not in data, "the final state is not an attribute an import reads"
    network = result.network
    assert g.number_of_edges() == len(network)
    for _, row in network.iterrows():
        data = g.edges[row["source"], row["target"]]
        assert (data["source_id"], data["target_id"]) == (row["source"], row["target"])
        assert data["trust_st_final"] == row["trust_st_final"]
        assert data["from"] == row["from"]


def test_a_networkx_graph_runs_as_a_scenario_and_a_run_graphml_reads_back():
    nx = pytest.importorskip("networkx")
    g = nx.Graph()
    for i in range(4):
        g.add_node(f"agency-{i}", kind="agency", sector="health" if i < 2 else "planning")
        g.add_node(f"ngo-{i}", kind="ngo", sector="health", power=0.2)
    g.add_edges_from((f"agency-{i}", f"ngo-{i}") for i in range(4))
    g.add_edge("agency-0", "agency-3", trust=0.9)
    g.add_edge("agency-1", "agency-2")
    with tempfile.TemporaryDirectory() as tmp:
        nx.write_graphml(g, os.path.join(tmp, "stakeholders.graphml"))
        scenario = os.path.join(tmp, "s.toml")
        with open(scenario, "w") as f:
            f.write(
                'name = "from-networkx"\nrounds = 20\nreplicates = 4\n'
                '[network]\ntype = "graphml"\nfile = "stakeholders.graphml"\n'
            )
        r = collabgov.run(scenario)
        actors = r.actors[r.actors.replicate == 0]
        assert set(actors.id) == set(g.nodes)
        assert set(actors[actors.id == "ngo-1"].sector) == {"health"}
        assert len(r.network) == g.number_of_edges()
        edge = r.network[(r.network.source == "agency-0") & (r.network.target == "agency-3")]
        assert list(edge.trust_st_initial) == [0.9] and list(edge.trust_ts_initial) == [0.9]
        # The run's own network.graphml, read back as a scenario, is the same graph.
        r.save(os.path.join(tmp, "run"))
        with open(scenario, "w") as f:
            f.write(
                'name = "again"\nrounds = 5\nreplicates = 2\n'
                '[network]\ntype = "graphml"\nfile = "run/network.graphml"\n'
            )
        again = collabgov.run(scenario)
        key = lambda df: sorted(zip(df.source, df.target))
        assert key(again.network) == key(r.network)
        first = r.actors[r.actors.replicate == 0][["id", "kind", "sector"]]
        second = again.actors[again.actors.replicate == 0][["id", "kind", "sector"]]
        assert first.reset_index(drop=True).equals(second.reset_index(drop=True))


def test_a_networkx_gexf_runs_as_the_same_forum_as_its_graphml():
    nx = pytest.importorskip("networkx")
    g = nx.Graph()
    for i in range(4):
        g.add_node(f"agency-{i}", kind="agency", sector="health" if i < 2 else "planning")
        g.add_node(f"ngo-{i}", kind="ngo", sector="health", power=0.2)
    g.add_edges_from((f"agency-{i}", f"ngo-{i}") for i in range(4))
    g.add_edge("agency-0", "agency-3", weight=0.9)
    with tempfile.TemporaryDirectory() as tmp:
        nx.write_graphml(g, os.path.join(tmp, "s.graphml"))
        nx.write_gexf(g, os.path.join(tmp, "s.gexf"))
        runs = {}
        for kind in ("graphml", "gexf"):
            runs[kind] = collabgov.run(
                f'name = "x"\nrounds = 15\nreplicates = 3\n'
                f'[network]\ntype = "{kind}"\nfile = "{os.path.join(tmp, "s." + kind)}"\n'
            )
        for table in ("rounds", "replicates", "actors", "network"):
            a, b = getattr(runs["graphml"], table), getattr(runs["gexf"], table)
            assert a.equals(b), table


def test_cli_parquet_tables_read_in_pandas_as_their_csv():
    """`--format csv,parquet` (a CLI built with the `parquet` feature, as CI builds it):
    pandas reads each Parquet table with the values and dtypes of its CSV."""
    pytest.importorskip("pyarrow")
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run")
        cli_run("services-one-door", out, "--replicates", "6", "--format", "csv,parquet")
        for table in ("rounds", "replicates", "actors", "network", "activities"):
            csv_frame = pd.read_csv(os.path.join(out, table + ".csv"))
            parquet_frame = pd.read_parquet(os.path.join(out, table + ".parquet"))
            pd.testing.assert_frame_equal(parquet_frame, csv_frame, check_exact=True)
        sweep = os.path.join(tmp, "s.sweep.toml")
        with open(sweep, "w") as f:
            f.write(
                'name = "s"\nbase = "siloed-government"\ndesign = "grid"\nreplicates = 4\n'
                'rounds = 20\nseed = 3\n[[factors]]\nkey = "parameters.silo"\nvalues = [0.2, 0.5, 0.8]\n'
            )
        folder = os.path.join(tmp, "sw")
        subprocess.run(
            [CLI, "sweep", sweep, "--no-charts", "--format", "parquet", "--out", folder],
            check=True,
            capture_output=True,
        )
        pd.testing.assert_frame_equal(
            pd.read_parquet(os.path.join(folder, "points.parquet")),
            pd.read_csv(os.path.join(folder, "points.csv")),
            check_exact=True,
        )


def test_plot_draws_the_cli_charts_byte_for_byte():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli")
        subprocess.run(
            [CLI, "run", "services-one-door", "--replicates", "6", "--format", "svg", "--out", out],
            check=True,
            capture_output=True,
        )
        result = collabgov.run("services-one-door", replicates=6)
        assert "services" in result.charts and "overview" in result.charts
        for kind in ("overview", "metric-trust_across", "consensus", "services", "network"):
            chart = collabgov.plot(result, kind, os.path.join(tmp, kind + ".svg"))
            with open(os.path.join(out, kind + ".svg"), "rb") as f:
                assert chart.data == f.read(), kind
            with open(os.path.join(tmp, kind + ".svg"), "rb") as f:
                assert f.read() == chart.data
        png = collabgov.plot(result, "consensus", width=640, height=400)
        assert png.format == "png" and png._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png.data[16:20], "big") == 640
        with pytest.raises(ValueError, match="overview"):
            collabgov.plot(result, "pie")
        with pytest.raises(ValueError, match="200 to 10000"):
            collabgov.plot(result, "overview", width=10, height=10)


def test_report_is_the_cli_report_of_the_same_run():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli")
        subprocess.run(
            [CLI, "run", "siloed-government", "--replicates", "6", "--rounds", "40", "--no-charts", "--out", out],
            check=True,
            capture_output=True,
        )
        subprocess.run([CLI, "report", out], check=True, capture_output=True)
        with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
            cli = f.read()
        html = collabgov.run("siloed-government", replicates=6, rounds=40).report()
        assert html.startswith("<!doctype html>")
        assert "Ansell &amp; Gash's six criteria" in html
        # The same charts, numbers and scenario in words; only the provenance's wall time,
        # threads and paths may differ.
        figures = lambda text: text[text.index("<figure>"):]
        assert html.count("<figure>") == cli.count("<figure>") > 5
        assert figures(html) == figures(cli)
        numbers = lambda text: text[text.index("<h2>Key numbers</h2>"):text.index("</ul>", text.index("<h2>Key numbers</h2>"))]
        assert numbers(html) == numbers(cli)


def test_handout_is_the_cli_handout_of_the_same_run():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli")
        subprocess.run(
            [CLI, "run", "whole-of-government", "--replicates", "6", "--rounds", "40", "--no-charts", "--out", out],
            check=True,
            capture_output=True,
        )
        subprocess.run([CLI, "report", out, "--handout", "--lang", "id"], check=True, capture_output=True)
        with open(os.path.join(out, "handout.html"), encoding="utf-8") as f:
            cli = f.read()
        html = collabgov.run("whole-of-government", replicates=6, rounds=40).report(handout=True, lang="id")
        assert '<html lang="id">' in html
        assert "Enam kriteria Ansell &amp; Gash" in html
        # The same words, numbers and charts: only the provenance line may differ.
        body = lambda text: text[: text.rindex('<p class="small">')]
        assert body(html) == body(cli)
        assert html.count("<figure>") == 2
        with pytest.raises(ValueError, match='expected the language "en" or "id", found "fr"'):
            collabgov.run("whole-of-government", replicates=2, rounds=5).report(handout=True, lang="fr")


def test_series_equals_the_cli_and_averages_to_the_rounds_table():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli")
        subprocess.run(
            [CLI, "run", "siloed-government", "--replicates", "5", "--rounds", "12", "--series",
             "--no-charts", "--out", out],
            check=True, capture_output=True,
        )
        r = collabgov.run("siloed-government", replicates=5, rounds=12, series=True)
        with open(os.path.join(out, "series.csv"), encoding="utf-8") as f:
            assert r.csv("series") == f.read()
        s = r.series
        assert len(s) == 5 * 13 and list(s.columns[:3]) == ["replicate", "network_draw", "round"]
        forum = r.rounds[(r.rounds.group == "all") & (r.rounds.metric == "trust_across")]
        means = s.groupby("round").trust_across.mean()
        assert (abs(means.values - forum["mean"].values) < 1e-12).all()
    assert collabgov.run("default", replicates=2, rounds=3).series.empty


def test_run_json_lists_the_files_read_with_their_hashes():
    import hashlib

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s.toml")
        with open(path, "w") as f:
            f.write(SMALL_TOML)
        result = collabgov.run(path)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        assert result.manifest["inputs"] == [{"path": path, "sha256": digest}]


def test_compare_equals_the_cli_byte_for_byte():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli")
        subprocess.run(
            [CLI, "compare", "siloed-government", "whole-of-government", "--replicates", "10",
             "--rounds", "40", "--format", "png", "--out", out],
            check=True,
            capture_output=True,
        )
        c = collabgov.compare(
            "siloed-government", "whole-of-government", replicates=10, rounds=40, threads=2
        )
        for name in ("compare.csv", "paired.csv", "summary.txt", "side-1.rounds.csv",
                     "side-2.replicates.csv"):
            with open(os.path.join(out, name), newline="") as f:
                assert c.text(name) == f.read(), name
        paired = c.paired.set_index("metric")
        row = paired.loc["consensus_reached_share"]
        assert row["ci_low"] <= row["mean_difference"] <= row["ci_high"]
        assert row["mean_difference"] > 0
        assert [s["name"] for s in c.manifest["sides"]] == [
            "siloed-government", "whole-of-government"]
        # Saved, `collabgov plot` redraws the overlay from the folder.
        saved = os.path.join(tmp, "py")
        c.save(saved)
        subprocess.run([CLI, "plot", saved, "--format", "png"], check=True, capture_output=True)
        assert os.path.getsize(os.path.join(saved, "compare.png")) > 1000


def test_compare_set_and_labels_name_two_variants_of_one_scenario():
    with pytest.raises(collabgov.ScenarioError, match="--label"):
        collabgov.compare("siloed-government", "siloed-government", replicates=4, rounds=10)
    # `set` applies to both sides, so they are the same scenario: a warning says so.
    with pytest.warns(UserWarning, match="zero by construction"):
        c = collabgov.compare(
            "siloed-government", "siloed-government", labels=["before", "after"],
            replicates=4, rounds=10, set={"parameters.silo": 0.2},
        )
    assert [s["name"] for s in c.manifest["sides"]] == ["before", "after"]
    assert c.manifest["compared"][0]["scenario"]["parameters"]["silo"] == 0.2


def test_compare_side_set_equals_the_cli_and_identical_sides_warn():
    with pytest.warns(UserWarning, match="zero by construction"):
        collabgov.compare(
            "siloed-government", "siloed-government", labels=["a", "b"], replicates=4, rounds=10,
        )
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli")
        cli = subprocess.run(
            [CLI, "compare", "siloed-government", "siloed-government", "--side-set",
             "2:parameters.silo=0.3", "--label", "before", "--label", "after",
             "--replicates", "6", "--rounds", "20", "--out", out, "--format", "svg"],
            check=True, capture_output=True, text=True,
        )
        assert "warning" not in cli.stderr
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            c = collabgov.compare(
                "siloed-government", "siloed-government", labels=["before", "after"],
                replicates=6, rounds=20, side_set={2: {"parameters.silo": 0.3}},
            )
        with open(os.path.join(out, "paired.csv"), encoding="utf-8") as f:
            assert c.text("paired.csv") == f.read()
        assert c.manifest["compared"][1]["scenario"]["parameters"]["silo"] == 0.3
        assert c.manifest["compared"][0]["scenario"]["parameters"]["silo"] != 0.3


def test_run_set_equals_the_cli_set():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli")
        cli_run("siloed-government", out, "--replicates", "6", "--rounds", "20",
                "--set", "parameters.silo=0.3", "--label", "low-silo")
        result = collabgov.run("siloed-government", replicates=6, rounds=20,
                               set={"parameters.silo": 0.3}, label="low-silo")
        assert result.manifest["scenario_name"] == "low-silo"
        with open(os.path.join(out, "replicates.csv"), newline="") as f:
            assert result.csv("replicates") == f.read()
    with pytest.raises(collabgov.ScenarioError, match="parameters.no_such_key"):
        collabgov.run("siloed-government", replicates=2, rounds=5,
                      set={"parameters.no_such_key": 1})


def test_assess_equals_the_cli_and_takes_its_menu_back():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli")
        subprocess.run(
            [CLI, "assess", "siloed-government", "--replicates", "12", "--rounds", "40",
             "--format", "png", "--out", out],
            check=True,
            capture_output=True,
        )
        a = collabgov.assess("siloed-government", replicates=12, rounds=40, threads=2)
        for name in ("assess.csv", "summary.txt", "menu.toml"):
            with open(os.path.join(out, name), newline="") as f:
                assert a.text(name) == f.read(), name
        ranks = a.manifest["practices"]
        assert [p["rank"] for p in ranks] == list(range(1, len(ranks) + 1))
        assert set(a.table["practice"]) == {p["name"] for p in ranks}
        # The menu as run, passed back, ranks the same.
        again = collabgov.assess("siloed-government", menu=a.menu, replicates=12, rounds=40)
        assert again.text("assess.csv") == a.text("assess.csv")


def test_plot_takes_the_cli_styles():
    result = collabgov.run("siloed-government", replicates=4, rounds=20)
    screen = collabgov.plot(result, "overview")
    paper = collabgov.plot(result, "overview", style="paper")
    assert screen.data != paper.data
    # A paper PNG says 300 dpi (pHYs: 11811 pixels per metre).
    assert b"pHYs" in paper.data and (11811).to_bytes(4, "big") in paper.data
    with pytest.raises(ValueError, match="style"):
        collabgov.plot(result, "overview", style="poster")


def test_discover_matches_ema_workbench_prim_on_the_bundled_sweep():
    # The bundled Latin hypercube, run by the CLI; PRIM by collabgov and by EMA Workbench
    # (its defaults: lenient1, alphas 0.05, mass_min 0.05) on the same points: the same
    # peeling and pasting trajectory, box by box.
    import pandas as pd
    from ema_workbench.analysis import prim as ema_prim

    root = os.path.join(os.path.dirname(__file__), "..", "..", "..")
    sweep = os.path.join(root, "scenarios", "consensus-discovery.sweep.toml")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "sw")
        subprocess.run([CLI, "sweep", sweep, "--no-charts", "--out", out], check=True,
                       capture_output=True)
        found = collabgov.discover(out, "consensus_share < 0.2")
        points = pd.read_csv(os.path.join(out, "points.csv"))
        cli = subprocess.run([CLI, "discover", out, "--where", "consensus_share < 0.2"],
                             check=True, capture_output=True, text=True)
    assert found.sentence in cli.stdout
    factors = ["parameters.silo", "parameters.leadership", "parameters.ground_rules",
               "parameters.trust_loss"]
    x = points[factors].astype(float)
    y = (points.consensus_share < 0.2).to_numpy().astype(int)
    box = ema_prim.Prim(x, y, threshold=0.5).find_box()
    ema = box.peeling_trajectory.reset_index(drop=True)
    ours = found.trajectory
    assert len(ours) == len(ema) > 10
    for column in ["coverage", "density", "mass", "res_dim", "n", "k"]:
        assert np.allclose(ours[column].to_numpy(float), ema[column].to_numpy(float),
                           rtol=0, atol=1e-9), column
    for i, lims in enumerate(box.box_lims):
        for f in factors:
            assert abs(ours[f + "_low"][i] - lims[f][0]) < 1e-9, (i, f)
            assert abs(ours[f + "_high"][i] - lims[f][1]) < 1e-9, (i, f)
    # The sentence describes the box it names, in words a paper can use.
    chosen = ours.iloc[found.chosen]
    assert chosen.coverage >= 0.5
    assert "{:.0f} %".format(100 * chosen.density) in found.sentence
    assert "leadership <=" in found.sentence
    # Settings are checked where PRIM is, for every front end: an error, never a panic.
    with pytest.raises(ValueError, match="peel_alpha"):
        collabgov.discover(points, "consensus_share < 0.2", factors=factors, peel_alpha=2.0)
