//! End-to-end tests of the `collabgov` binary: the files a run writes, redrawing from CSV,
//! determinism across threads, clear errors on bad input, validate, compare, and the
//! lessons of the bundled scenarios.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

fn collabgov(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_collabgov"))
        .current_dir(dir)
        .args(args)
        // The summaries' language follows the locale: these tests read English.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |s: &[u8]| u32::from_be_bytes([s[0], s[1], s[2], s[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn run_writes_tables_json_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = collabgov(tmp.path(), &["run", "--replicates", "6", "--rounds", "25"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("consensus reached in"), "{stdout}");
    let dir = tmp.path().join("output/default");
    for f in [
        "rounds.csv",
        "replicates.csv",
        "actors.csv",
        "network.csv",
        "run.json",
        "overview.png",
        "overview.svg",
        "consensus.png",
        "network.png",
        "network.svg",
        "metric-trust_across.png",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let rounds = std::fs::read_to_string(dir.join("rounds.csv")).unwrap();
    assert!(rounds.starts_with("round,metric,group,mean,sd,q025,q50,q975,n\n"));
    // The forum's rows (group `all`), then trust, commitment and participation of each
    // sector and kind, every round.
    let group_of = |line: &str| line.split(',').nth(2).unwrap_or("").to_string();
    let mut groups: Vec<String> = rounds.lines().skip(1).map(group_of).collect();
    assert_eq!(
        groups.iter().filter(|g| *g == "all").count(),
        26 * collabgov_sim::Metric::recorded(collabgov_sim::Families::FORUM).count()
    );
    groups.sort();
    groups.dedup();
    assert!(groups.contains(&"kind:agency".to_string()), "{groups:?}");
    assert!(
        groups.iter().any(|g| g.starts_with("sector:")),
        "{groups:?}"
    );
    assert_eq!(
        rounds.lines().count(),
        1 + 26
            * (collabgov_sim::Metric::recorded(collabgov_sim::Families::FORUM).count()
                + 3 * (groups.len() - 1))
    );
    assert!(dir.join("groups.png").is_file());
    assert_eq!(
        std::fs::read_to_string(dir.join("replicates.csv"))
            .unwrap()
            .lines()
            .count(),
        7
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    assert_eq!(json["replicates"], 6);
    assert_eq!(json["scenario"]["parameters"]["convergence"], 0.3);
    assert_eq!(
        png_size(&std::fs::read(dir.join("overview.png")).unwrap()),
        (1800, 1000)
    );
    let svg = std::fs::read_to_string(dir.join("overview.svg")).unwrap();
    assert!(
        svg.contains("<svg")
            && svg.contains("default: the collaborative-governance cycle")
            && svg.contains("Round")
    );
    // No staging folder or temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path().join("output"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with('.') && name != ".default.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn no_groups_leaves_the_forum_rows_as_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "run",
        "siloed-government",
        "--replicates",
        "4",
        "--rounds",
        "12",
    ];
    for (out, extra) in [("with", None), ("without", Some("--no-groups"))] {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--out", out, "--format", "png"]);
        all.extend(extra);
        let run = collabgov(tmp.path(), &all);
        assert!(run.status.success(), "{}", text(&run.stderr));
    }
    let read =
        |dir: &str| std::fs::read_to_string(tmp.path().join(dir).join("rounds.csv")).unwrap();
    let forum_rows: String = read("with")
        .lines()
        .filter(|l| !l.contains(",sector:") && !l.contains(",kind:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(read("without"), forum_rows);
    assert!(tmp.path().join("with/groups.png").is_file());
    assert!(!tmp.path().join("without/groups.png").exists());
}

#[test]
fn plot_redraws_the_same_charts_from_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let out = collabgov(
        tmp.path(),
        &[
            "run",
            "whole-of-government",
            "--replicates",
            "5",
            "--rounds",
            "40",
            "--out",
            "r",
            "--format",
            "svg",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = collabgov(tmp.path(), &["plot", "r", "--out", "p", "--format", "svg"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for f in [
        "overview.svg",
        "consensus.svg",
        "network.svg",
        "metric-understanding.svg",
    ] {
        let a = std::fs::read(tmp.path().join("r").join(f)).unwrap();
        let b = std::fs::read(tmp.path().join("p").join(f)).unwrap();
        assert!(a == b, "{f} differs between run and plot");
    }
    let svg = std::fs::read_to_string(tmp.path().join("p/overview.svg")).unwrap();
    assert!(
        svg.contains("coordinating agency"),
        "intervention markers are drawn"
    );
    let out = collabgov(
        tmp.path(),
        &[
            "plot", "r", "--out", "q", "--format", "png", "--width", "900", "--height", "600",
        ],
    );
    assert!(out.status.success());
    assert_eq!(
        png_size(&std::fs::read(tmp.path().join("q/overview.png")).unwrap()),
        (900, 600)
    );
}

#[test]
fn output_is_identical_on_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    for (threads, dir) in [("1", "t1"), ("2", "t2")] {
        let out = collabgov(
            tmp.path(),
            &[
                "run",
                "siloed-government",
                "--replicates",
                "12",
                "--rounds",
                "30",
                "--threads",
                threads,
                "--out",
                dir,
                "--no-charts",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    for f in ["rounds.csv", "replicates.csv", "actors.csv", "network.csv"] {
        let a = std::fs::read(tmp.path().join("t1").join(f)).unwrap();
        let b = std::fs::read(tmp.path().join("t2").join(f)).unwrap();
        assert!(a == b, "{f} differs between 1 and 2 threads");
    }
}

#[test]
fn bad_scenarios_get_clear_errors_and_no_output() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "mu.toml",
            "name = \"m\"\n[[sectors]]\nname = \"a\"\nagencies = 2\n[parameters]\nconvergence = 0.6\n",
            "mu.toml, line 6, key `parameters.convergence`: expected a number in [0, 0.5], found 0.6",
        ),
        ("key.toml", "name = \"k\"\nrouns = 3\n", "mu.toml"),
        (
            "empty.toml",
            "name = \"e\"\n[[sectors]]\nname = \"b\"\nngo = 1\n[[sectors]]\nname = \"a\"\n",
            "expected at least one actor in sector \"a\", found none",
        ),
        (
            "edges.toml",
            "name = \"g\"\n[[sectors]]\nname = \"a\"\nagencies = 2\n[network]\ntype = \"edges\"\nfile = \"e.csv\"\n",
            "e.csv, line 2, key `target`: expected the id of an actor of the scenario, found unknown id \"zz\"",
        ),
    ];
    std::fs::write(tmp.path().join("e.csv"), "source,target\na-agency-1,zz\n").unwrap();
    for (file, body, needle) in cases {
        std::fs::write(tmp.path().join(file), body).unwrap();
        let out = collabgov(tmp.path(), &["run", file]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = text(&out.stderr);
        if file == "key.toml" {
            assert!(
                stderr.contains("key.toml, line 2") && stderr.contains("rouns"),
                "{stderr}"
            );
        } else {
            assert!(stderr.contains(needle), "{file}: {stderr}");
        }
        assert!(!stderr.contains("panicked"));
    }
    assert!(
        !tmp.path().join("output").exists()
            || std::fs::read_dir(tmp.path().join("output"))
                .unwrap()
                .count()
                == 0
    );
    let out = collabgov(tmp.path(), &["run", "no-such-scenario"]);
    assert!(text(&out.stderr).contains("bundled: default"));
}

#[test]
fn scenarios_validate_and_compare() {
    let tmp = tempfile::tempdir().unwrap();
    let out = collabgov(tmp.path(), &["scenarios"]);
    let listing = text(&out.stdout);
    for name in [
        "default",
        "siloed-government",
        "whole-of-government",
        "conflict-prehistory",
        "power-imbalance",
        "inclusive-forum-low",
        "unclear-legal-basis",
    ] {
        assert!(listing.contains(name), "{name}");
        let out = collabgov(tmp.path(), &["validate", name, "--strict"]);
        assert!(out.status.success(), "{name}: {}", text(&out.stdout));
        assert!(text(&out.stdout).contains("6 of 6 criteria met"));
    }
    std::fs::write(
        tmp.path().join("private.toml"),
        "name = \"p\"\n[[sectors]]\nname = \"a\"\nbusiness = 3\n[forum]\nfocus = \"private\"\n",
    )
    .unwrap();
    let out = collabgov(tmp.path(), &["validate", "private.toml", "--strict"]);
    assert_eq!(out.status.code(), Some(3));
    let report = text(&out.stdout);
    assert!(report.contains("[FAIL] 1.") && report.contains("no public agency"));
    assert!(report.contains("[FAIL] 6.") && report.contains("\"private\""));

    let out = collabgov(
        tmp.path(),
        &[
            "compare",
            "inclusive-forum-low",
            "inclusive-forum-high",
            "--replicates",
            "20",
            "--rounds",
            "60",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = tmp
        .path()
        .join("output/compare-inclusive-forum-low-inclusive-forum-high");
    let summary = std::fs::read_to_string(dir.join("summary.txt")).unwrap();
    assert!(
        summary.contains("in inclusive-forum-low and")
            && summary.contains("Consensus was reached in")
    );
    let table = std::fs::read_to_string(dir.join("compare.csv")).unwrap();
    // The summary's commitment numbers are the table's, rounded.
    let row = table
        .lines()
        .find(|l| l.starts_with("inclusive-forum-high,commitment,"))
        .unwrap();
    // scenario, metric, n, network_draws, mean
    let mean: f64 = row.split(',').nth(4).unwrap().parse().unwrap();
    assert!(
        summary.contains(&format!("{mean:.2} [")),
        "{summary}\n{row}"
    );
    assert!(dir.join("compare.png").is_file());
}

mod lessons {
    use collabgov_core::Scenario;
    use collabgov_core::scenario::no_files;
    use collabgov_sim::{Metric, RunOptions, RunResult, run};

    fn bundled(name: &str) -> Scenario {
        let path = format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        Scenario::parse(&text, name, &no_files).unwrap()
    }

    fn play(name: &str) -> RunResult {
        let mut s = bundled(name);
        s.replicates = 80;
        run(&s, &RunOptions::default())
    }

    /// 95 % confidence interval of the mean final value.
    fn ci(r: &RunResult, metric: Metric) -> (f64, f64) {
        let s = r.final_summary(metric);
        let half = 1.96 * s.sd / (s.n as f64).sqrt();
        (s.mean - half, s.mean + half)
    }

    fn consensus(r: &RunResult) -> (f64, f64) {
        collabgov_sim::stats::wilson(r.consensus_count(), r.replicates.len())
    }

    fn below(low: (f64, f64), high: (f64, f64), what: &str) {
        assert!(
            low.1 < high.0,
            "{what}: {low:?} is not clearly below {high:?}"
        );
    }

    #[test]
    fn siloisation_fails_and_whole_of_government_recovers() {
        let (silo, wog) = (play("siloed-government"), play("whole-of-government"));
        below(consensus(&silo), consensus(&wog), "consensus share");
        below(
            ci(&silo, Metric::TrustAcross),
            ci(&wog, Metric::TrustAcross),
            "cross-sector trust",
        );
        below(
            ci(&silo, Metric::Understanding),
            ci(&wog, Metric::Understanding),
            "shared understanding",
        );
    }

    #[test]
    fn facilitative_leadership_overcomes_a_conflict_prehistory() {
        let (weak, strong) = (
            play("conflict-prehistory"),
            play("conflict-prehistory-facilitated"),
        );
        below(
            ci(&weak, Metric::TrustAcross),
            ci(&strong, Metric::TrustAcross),
            "cross-sector trust",
        );
        below(consensus(&weak), consensus(&strong), "consensus share");
    }

    #[test]
    fn facilitative_leadership_evens_out_power() {
        let (weak, strong) = (play("power-imbalance"), play("power-imbalance-facilitated"));
        below(
            ci(&weak, Metric::Trust),
            ci(&strong, Metric::Trust),
            "trust",
        );
        below(consensus(&weak), consensus(&strong), "consensus share");
    }

    #[test]
    fn inclusive_forums_keep_commitment() {
        let (low, high) = (play("inclusive-forum-low"), play("inclusive-forum-high"));
        below(
            ci(&low, Metric::Commitment),
            ci(&high, Metric::Commitment),
            "commitment",
        );
        below(consensus(&low), consensus(&high), "consensus share");
    }

    #[test]
    fn unclear_legal_basis_stalls_commitment() {
        // inclusive-forum-high is the same forum with legal_clarity = 1.
        let (unclear, clear) = (play("unclear-legal-basis"), play("inclusive-forum-high"));
        below(
            ci(&unclear, Metric::Commitment),
            ci(&clear, Metric::Commitment),
            "commitment",
        );
        assert_eq!(unclear.consensus_count(), 0);
    }
}

mod sweeps {
    use super::*;

    const SWEEP: &str = "name = \"s\"\nbase = \"siloed-government\"\ndesign = \"grid\"\nreplicates = 6\nrounds = 40\nseed = 3\n\
        [[factors]]\nkey = \"parameters.silo\"\nfrom = 0.0\nto = 1.0\nsteps = 5\n\
        [[factors]]\nkey = \"parameters.leadership\"\nvalues = [0.1, 0.5, 0.9]\n";

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn points(dir: &Path) -> String {
        std::fs::read_to_string(dir.join("points.csv")).unwrap()
    }

    #[test]
    fn grid_sweep_writes_every_point_and_shards_merge_to_the_same_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "s.toml", SWEEP);
        let out = collabgov(
            tmp.path(),
            &["sweep", "s.toml", "--out", "one", "--no-charts"],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let single = points(&tmp.path().join("one"));
        assert_eq!(single.lines().count(), 1 + 15);
        let mut levels: Vec<(String, String)> = single
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[1].to_string(), f[2].to_string())
            })
            .collect();
        levels.dedup();
        assert_eq!(levels.len(), 15, "every (silo, leadership) pair once");
        for k in 1..=3 {
            let shard = format!("{k}/3");
            let out = collabgov(
                tmp.path(),
                &["sweep", "s.toml", "--out", "many", "--shard", &shard],
            );
            assert!(out.status.success(), "{}", text(&out.stderr));
        }
        let out = collabgov(tmp.path(), &["merge", "many", "--no-charts"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(points(&tmp.path().join("many")), single);
        // A part of another plan is refused, not mixed in.
        let sidecar = tmp.path().join("many/points.part-1-of-3.json");
        let original = std::fs::read_to_string(&sidecar).unwrap();
        std::fs::write(&sidecar, "{\"fingerprint\": \"0000000000000000\"}").unwrap();
        let out = collabgov(tmp.path(), &["merge", "many", "--no-charts"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("another sweep plan"),
            "{}",
            text(&out.stderr)
        );
        std::fs::write(&sidecar, original).unwrap();
        // A missing shard is named.
        std::fs::remove_file(tmp.path().join("many/points.part-1-of-3.csv")).unwrap();
        std::fs::remove_file(tmp.path().join("many/points.csv")).unwrap();
        let out = collabgov(tmp.path(), &["merge", "many"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("5 of 15 points are missing")
                && text(&out.stderr).contains("0, 3, 6"),
            "{}",
            text(&out.stderr)
        );
    }

    #[test]
    fn a_sweep_of_another_plan_is_not_mixed_in() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "s.toml", SWEEP);
        assert!(
            collabgov(
                tmp.path(),
                &["sweep", "s.toml", "--out", "o", "--no-charts"]
            )
            .status
            .success()
        );
        write(tmp.path(), "s.toml", &SWEEP.replace("seed = 3", "seed = 4"));
        let out = collabgov(
            tmp.path(),
            &["sweep", "s.toml", "--out", "o", "--no-charts"],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("another plan"),
            "{}",
            text(&out.stderr)
        );
        assert!(
            collabgov(
                tmp.path(),
                &["sweep", "s.toml", "--out", "o", "--no-charts", "--restart"]
            )
            .status
            .success()
        );
    }

    #[test]
    fn bad_sweep_files_get_clear_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let cases = [
            (
                SWEEP.replace("parameters.leadership", "parameters.leadershp"),
                "factors[1].key",
                "leadershp",
            ),
            (
                SWEEP.replace("to = 1.0", "to = 0.0"),
                "factors[0]",
                "empty range",
            ),
            (
                SWEEP.replace("parameters.leadership", "name"),
                "factors[1].key",
                "expected a numeric value, found string",
            ),
            (
                SWEEP.replace("design = \"grid\"", "design = \"random\""),
                "design",
                "grid, lhs or sobol",
            ),
            (
                SWEEP.replace("replicates = 6", "replicates = 6\nreplicatez = 2"),
                "",
                "replicatez",
            ),
        ];
        for (body, key, needle) in cases {
            write(tmp.path(), "bad.toml", &body);
            let out = collabgov(tmp.path(), &["sweep", "bad.toml"]);
            assert_eq!(out.status.code(), Some(1));
            let stderr = text(&out.stderr);
            assert!(
                stderr.contains("bad.toml, line")
                    && stderr.contains(key)
                    && stderr.contains(needle),
                "{stderr}"
            );
        }
    }

    #[test]
    fn discover_finds_a_box_and_refuses_bad_input_before_writing() {
        let tmp = tempfile::tempdir().unwrap();
        let sweep = "name = \"d\"\nbase = \"siloed-government\"\ndesign = \"lhs\"\nsamples = 60\nreplicates = 4\nrounds = 60\n\
                     [[factors]]\nkey = \"parameters.leadership\"\nfrom = 0.0\nto = 1.0\n[[factors]]\nkey = \"parameters.trust_loss\"\nfrom = 0.05\nto = 0.4\n";
        write(tmp.path(), "d.toml", sweep);
        let out = collabgov(
            tmp.path(),
            &["sweep", "d.toml", "--no-charts", "--out", "d"],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = collabgov(
            tmp.path(),
            &[
                "discover",
                "d",
                "--where",
                "trust_across_mean < 0.5",
                "--out",
                "found",
                "--format",
                "svg",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("trust_across_mean < 0.5 holds in"),
            "{stdout}"
        );
        let table = std::fs::read_to_string(tmp.path().join("found/discover.csv")).unwrap();
        assert!(
            table.starts_with("id,coverage,density,mass,n,k,res_dim,parameters.leadership_low,")
        );
        // Box 0 holds every point; coverage never rises along the peeling.
        assert!(table.lines().nth(1).unwrap().starts_with("0,1,"));
        assert!(tmp.path().join("found/discover.svg").is_file());
        // Errors name what was expected and what was found; nothing is written.
        for (args, needle) in [
            (
                vec!["discover", "d", "--where", "consensus_share = 0.2"],
                "OP one of",
            ),
            (
                vec!["discover", "d", "--where", "nonsense < 0.2"],
                "expected a column of points.csv",
            ),
            (
                vec!["discover", "d", "--where", "consensus_share < -1"],
                "holds at none",
            ),
            (
                vec!["discover", "d.toml", "--where", "consensus_share < 0.2"],
                "not a finished sweep folder",
            ),
            (
                vec![
                    "discover",
                    "d",
                    "--where",
                    "consensus_share < 0.2",
                    "--out",
                    "found",
                ],
                "not an empty folder",
            ),
            (
                vec![
                    "discover",
                    "d",
                    "--where",
                    "consensus_share < 0.9",
                    "--box",
                    "999",
                ],
                "--box: expected a step",
            ),
            (
                vec![
                    "discover",
                    "d",
                    "--where",
                    "consensus_share < 0.9",
                    "--peel-alpha",
                    "0.7",
                ],
                "--peel-alpha",
            ),
        ] {
            let out = collabgov(tmp.path(), &args);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let stderr = text(&out.stderr);
            assert!(stderr.contains(needle), "{args:?}: {stderr}");
        }
        assert_eq!(
            std::fs::read_dir(tmp.path().join("found")).unwrap().count(),
            2
        );
    }

    #[test]
    fn lhs_and_sobol_sweeps_write_their_outputs() {
        let tmp = tempfile::tempdir().unwrap();
        let lhs = "name = \"l\"\nbase = \"default\"\ndesign = \"lhs\"\nsamples = 12\nreplicates = 3\nrounds = 20\n\
                   [[factors]]\nkey = \"parameters.silo\"\nfrom = 0.0\nto = 1.0\n";
        write(tmp.path(), "l.toml", lhs);
        let out = collabgov(tmp.path(), &["sweep", "l.toml", "--out", "l"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(points(&tmp.path().join("l")).lines().count(), 13);
        assert!(tmp.path().join("l/sweep.png").is_file());
        let sobol = "name = \"so\"\nbase = \"default\"\ndesign = \"sobol\"\nbase_samples = 8\nreplicates = 2\nrounds = 15\nbootstrap = 50\n\
                     [[factors]]\nkey = \"parameters.silo\"\nfrom = 0.0\nto = 1.0\n[[factors]]\nkey = \"initial.trust.across@1\"\nfrom = 0.0\nto = 0.3\n";
        write(tmp.path(), "so.toml", sobol);
        let out = collabgov(tmp.path(), &["sweep", "so.toml", "--out", "so"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(points(&tmp.path().join("so")).lines().count(), 1 + 8 * 4);
        let table = std::fs::read_to_string(tmp.path().join("so/sobol.csv")).unwrap();
        assert!(table.starts_with("output,factor,S1,S1_low,S1_high,ST,ST_low,ST_high,noise\n"));
        assert!(table.contains("consensus_share,initial.trust.across@1,"));
        // Two replicates per point: a mean's noise is a real share of the variance across
        // points, the same on both factors' rows of an output.
        let row = table
            .lines()
            .find(|l| l.starts_with("trust_across_mean,parameters.silo,"))
            .unwrap();
        let noise: f64 = row.rsplit(',').next().unwrap().parse().unwrap();
        assert!(noise > 0.0 && noise < 1.0, "{row}");
        assert!(table.lines().any(
            |l| l.starts_with("trust_across_mean,initial.trust.across@1,")
                && l.ends_with(&format!(",{}", row.rsplit(',').next().unwrap()))
        ));
        assert!(tmp.path().join("so/sobol.png").is_file());
    }
}

/// The services lessons (CG-2): each holds with non-overlapping 95 % intervals.
mod services_lessons {
    use collabgov_core::Scenario;
    use collabgov_core::scenario::no_files;
    use collabgov_sim::{Metric, RunOptions, RunResult, run};

    fn play(name: &str) -> RunResult {
        let path = format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let mut s = Scenario::parse(&text, name, &no_files).unwrap();
        s.replicates = 60;
        run(&s, &RunOptions::default())
    }

    /// 95 % interval of the mean over replicates of `metric` averaged over `rounds`.
    fn ci(r: &RunResult, metric: Metric, rounds: std::ops::RangeInclusive<usize>) -> (f64, f64) {
        let per: Vec<f64> = r
            .replicates
            .iter()
            .map(|rep| {
                let v: Vec<f64> = rep.records[rounds.clone()]
                    .iter()
                    .map(|rec| rec[metric.index()])
                    .filter(|v| !v.is_nan())
                    .collect();
                v.iter().sum::<f64>() / v.len() as f64
            })
            .collect();
        let n = per.len() as f64;
        let mean = per.iter().sum::<f64>() / n;
        let sd = (per.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half = 1.96 * sd / n.sqrt();
        (mean - half, mean + half)
    }

    /// The last 20 rounds (81-100).
    const END: std::ops::RangeInclusive<usize> = 81..=100;

    fn below(low: (f64, f64), high: (f64, f64), what: &str) {
        assert!(
            low.1 < high.0,
            "{what}: {low:?} is not clearly below {high:?}"
        );
    }

    #[test]
    fn one_door_cuts_trips_but_needs_cross_sector_trust_to_cut_service_time() {
        let siloed = play("services-siloed");
        let door = play("services-one-door");
        let task_force = play("services-one-door-task-force");
        below(
            ci(&door, Metric::Trips, END),
            ci(&siloed, Metric::Trips, END),
            "trips",
        );
        below(
            ci(&door, Metric::Duplication, END),
            ci(&siloed, Metric::Duplication, END),
            "duplicate collections",
        );
        // Refusals send citizens back: most requests the one-door counter asks across
        // sectors are refused, and service time barely improves...
        let refused = ci(&door, Metric::AssistanceRefused, END);
        let granted = ci(&door, Metric::AssistanceGranted, END);
        below(granted, refused, "granted against refused under one door");
        let (door_time, siloed_time) = (
            ci(&door, Metric::ServiceTime, END),
            ci(&siloed, Metric::ServiceTime, END),
        );
        let cut = |a: (f64, f64), b: (f64, f64)| 1.0 - (a.0 + a.1) / (b.0 + b.1);
        // ...while the task force cuts it clearly, by much more.
        let tf_time = ci(&task_force, Metric::ServiceTime, END);
        below(tf_time, door_time, "service time with a task force");
        assert!(
            cut(tf_time, siloed_time) > 2.0 * cut(door_time, siloed_time),
            "the task force's cut {} is not far above the counter's alone {}",
            cut(tf_time, siloed_time),
            cut(door_time, siloed_time)
        );
    }

    #[test]
    fn electronic_service_has_the_fewest_trips_and_shortest_time() {
        let electronic = play("services-electronic");
        let others = [
            "services-siloed",
            "services-one-door",
            "services-one-door-task-force",
        ];
        let trips = ci(&electronic, Metric::Trips, END);
        assert!(trips.1 < 0.3, "trips {trips:?} are not close to none");
        let duplication = ci(&electronic, Metric::Duplication, END);
        assert!(duplication.1 < 0.3, "duplication {duplication:?}");
        for other in others {
            let r = play(other);
            below(trips, ci(&r, Metric::Trips, END), other);
            below(
                ci(&electronic, Metric::ServiceTime, END),
                ci(&r, Metric::ServiceTime, END),
                other,
            );
        }
    }

    #[test]
    fn mutual_aid_agreements_restore_assistance_refused_for_law() {
        let unclear = play("assistance-unclear-law");
        let aid = play("assistance-mutual-aid");
        // Under an unclear law, law is most of the refusals.
        let law = ci(&unclear, Metric::RefusedLaw, END);
        let refused = ci(&unclear, Metric::AssistanceRefused, END);
        assert!(
            law.0 > 0.5 * refused.1,
            "law {law:?} of refused {refused:?}"
        );
        below(
            ci(&unclear, Metric::AssistanceGranted, END),
            ci(&aid, Metric::AssistanceGranted, END),
            "assistance granted",
        );
        for rep in &aid.replicates {
            for rec in &rep.records[21..] {
                assert_eq!(rec[Metric::RefusedLaw.index()], 0.0);
            }
            // Informal cooperation gives way to cooperation under agreements (activity 2).
            let after: u32 = rep.activities[21..].iter().map(|a| a[0]).sum();
            assert_eq!(after, 0);
        }
        let agreements = |r: &RunResult| -> f64 {
            r.replicates
                .iter()
                .map(|rep| {
                    rep.activities[21..]
                        .iter()
                        .map(|a| f64::from(a[1]))
                        .sum::<f64>()
                })
                .sum()
        };
        assert!(agreements(&aid) > 2.0 * agreements(&unclear));
    }

    #[test]
    fn a_capacity_gap_overloads_first_and_training_closes_it() {
        let r = play("capacity-gap");
        below(
            ci(&r, Metric::RefusedOverload, 81..=100),
            ci(&r, Metric::RefusedOverload, 11..=30),
            "overload refusals, late against early",
        );
        // The weak sector's agencies gained capacity from training (0.3 at the start).
        let trained: u32 = r.replicates[0].activities.iter().map(|a| a[3]).sum();
        assert!(trained > 0);
        let finals = r.replicates[0].agencies.as_ref().unwrap();
        let weak: Vec<f64> = finals.actors[8..]
            .iter()
            .map(|&a| r.replicates[0].state.capacity[a as usize])
            .collect();
        let mean = weak.iter().sum::<f64>() / weak.len() as f64;
        assert!(mean > 0.4, "weak agencies' capacity {mean}");
    }
}

/// A build without the `parquet` feature refuses `--format parquet` up front, saying how
/// to get it, and writes nothing.
#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_is_refused_before_running() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &[
            "run",
            "siloed-government",
            "--format",
            "parquet",
            "--out",
            "r",
        ][..],
        &["sweep", "nowhere.sweep.toml", "--format", "svg,parquet"][..],
    ] {
        let out = collabgov(tmp.path(), args);
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(err.contains("--features parquet"), "{err}");
    }
    assert!(!tmp.path().join("r").exists());
}

/// With the `parquet` feature: `--format parquet` writes Parquet tables only, and `plot`
/// redraws from them the very charts a CSV run draws.
#[cfg(feature = "parquet")]
#[test]
fn plot_redraws_from_parquet_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let base = [
        "run",
        "siloed-government",
        "--replicates",
        "6",
        "--format",
        "svg",
    ];
    let pq = collabgov(
        tmp.path(),
        &[&base[..], &["--format", "parquet", "--out", "pq"]].concat(),
    );
    assert!(pq.status.success(), "{}", text(&pq.stderr));
    assert!(tmp.path().join("pq/rounds.parquet").exists());
    assert!(!tmp.path().join("pq/rounds.csv").exists());
    let csv = collabgov(tmp.path(), &[&base[..], &["--out", "csv"]].concat());
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    let plot = collabgov(
        tmp.path(),
        &["plot", "pq", "--format", "svg", "--out", "again"],
    );
    assert!(plot.status.success(), "{}", text(&plot.stderr));
    for chart in ["overview.svg", "network.svg", "consensus.svg"] {
        assert_eq!(
            std::fs::read(tmp.path().join("again").join(chart)).unwrap(),
            std::fs::read(tmp.path().join("csv").join(chart)).unwrap(),
            "{chart}"
        );
    }
}

/// Output files are made as the user's other files are (0666 less the umask), not
/// private to the owner as temporary files are.
#[test]
fn output_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new("sh")
        .current_dir(tmp.path())
        .args([
            "-c",
            "umask 027 && exec \"$0\" run siloed-government --replicates 2 --rounds 5 --format svg --out r",
            env!("CARGO_BIN_EXE_collabgov"),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    for file in ["rounds.csv", "run.json", "network.graphml", "overview.svg"] {
        let mode = std::fs::metadata(tmp.path().join("r").join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640, "{file}: {:o}", mode & 0o777);
    }
}

/// `report` writes one self-contained HTML file with every chart inline and the run's
/// numbers, and never replaces a file that is not a collabgov report.
#[test]
fn report_is_self_contained_and_never_replaces_a_users_file() {
    let tmp = tempfile::tempdir().unwrap();
    let run = collabgov(
        tmp.path(),
        &[
            "run",
            "whole-of-government",
            "--replicates",
            "8",
            "--rounds",
            "60",
            "--no-charts",
            "--out",
            "r",
        ],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let printed = text(&run.stdout);
    let report = collabgov(tmp.path(), &["report", "r"]);
    assert!(report.status.success(), "{}", text(&report.stderr));
    let html = std::fs::read_to_string(tmp.path().join("r/report.html")).unwrap();
    assert_eq!(
        html.matches("<figure>").count(),
        html.matches("<svg").count()
    );
    // The methods paragraph, in the report and as methods.md, listed with the run's files.
    let methods = std::fs::read_to_string(tmp.path().join("r/methods.md")).unwrap();
    let paragraph = methods.lines().nth(2).unwrap();
    assert!(paragraph.contains("replicates of") && paragraph.contains("95 % confidence intervals"));
    assert!(html.contains("<h2>Methods</h2>"), "no methods section");
    let listed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("r/run.json")).unwrap())
            .unwrap();
    let files = listed["files"].as_array().unwrap();
    assert!(files.iter().any(|f| f == "methods.md"), "{files:?}");
    assert!(html.matches("<svg").count() >= 10);
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    // The numbers `run` printed, and the six criteria.
    let consensus = printed
        .lines()
        .find(|l| l.contains("consensus reached in"))
        .unwrap();
    assert!(html.contains(consensus.trim()), "{consensus}");
    assert!(html.contains("The forum aims to decide by consensus"));
    assert!(html.contains("From round 30: coordinating agency."));
    // Again: a report replaces a report.
    assert!(collabgov(tmp.path(), &["report", "r"]).status.success());
    // A user's file is refused, untouched.
    std::fs::write(tmp.path().join("notes.html"), "my notes").unwrap();
    let refused = collabgov(tmp.path(), &["report", "r", "--out", "notes.html"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("not a collabgov report"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.html")).unwrap(),
        "my notes"
    );
}

#[test]
fn handout_is_in_the_language_asked_and_prints_what_run_says() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "run",
        "whole-of-government",
        "--replicates",
        "8",
        "--rounds",
        "60",
        "--no-charts",
        "--out",
        "r",
    ];
    let run = collabgov(tmp.path(), &args);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let mut id_args = args.to_vec();
    id_args[8] = "r-id";
    id_args.extend(["--lang", "id"]);
    let run_id = collabgov(tmp.path(), &id_args);
    assert!(run_id.status.success(), "{}", text(&run_id.stderr));
    // --lang needs --handout (the full report is in English).
    let refused = collabgov(tmp.path(), &["report", "r", "--lang", "id"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("--handout"),
        "{}",
        text(&refused.stderr)
    );
    let made = collabgov(tmp.path(), &["report", "r", "--handout", "--lang", "id"]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(text(&made.stdout).contains("handout.html"));
    let html = std::fs::read_to_string(tmp.path().join("r/handout.html")).unwrap();
    assert!(html.contains("<html lang=\"id\">"));
    // The cycle and the network, inline; no request leaves the file.
    assert_eq!(html.matches("<figure>").count(), 2);
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    // The numbers `run --lang id` printed, word for word (escaped as HTML).
    let printed = text(&run_id.stdout);
    let consensus = printed
        .lines()
        .find(|l| l.contains("konsensus tercapai pada"))
        .unwrap()
        .trim();
    assert!(html.contains(consensus), "{consensus}");
    // The interventions named in Indonesian, in the words and on the chart.
    assert!(html.contains("Mulai putaran 30: lembaga koordinasi khusus."));
    assert!(
        html.contains("\nlembaga koordinasi khusus\n</text>"),
        "the chart's label"
    );
    assert!(html.contains("gugus tugas"));
    assert!(!html.contains("coordinating agency"), "an English label");
    // Listed with the run's files; run again, it replaces its own handout.
    let listed = std::fs::read_to_string(tmp.path().join("r/run.json")).unwrap();
    assert!(listed.contains("\"handout.html\""));
    let again = collabgov(tmp.path(), &["report", "r", "--handout", "--lang", "en"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let english = std::fs::read_to_string(tmp.path().join("r/handout.html")).unwrap();
    assert!(english.contains("From round 30: coordinating agency."));
    // A file of the user's is never replaced.
    std::fs::write(tmp.path().join("mine.html"), "my notes").unwrap();
    let kept = collabgov(
        tmp.path(),
        &["report", "r", "--handout", "--out", "mine.html"],
    );
    assert!(!kept.status.success());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine.html")).unwrap(),
        "my notes"
    );
}

#[test]
fn report_of_a_comparison_holds_both_scenarios_and_its_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let run = collabgov(
        tmp.path(),
        &[
            "run",
            "siloed-government",
            "--replicates",
            "6",
            "--rounds",
            "40",
            "--no-charts",
            "--out",
            "a",
        ],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    // One side from a finished run folder, one run by compare.
    let compare = collabgov(
        tmp.path(),
        &[
            "compare",
            "a",
            "whole-of-government",
            "--replicates",
            "6",
            "--rounds",
            "40",
            "--format",
            "svg",
            "--out",
            "c",
        ],
    );
    assert!(compare.status.success(), "{}", text(&compare.stderr));
    let report = collabgov(tmp.path(), &["report", "c"]);
    assert!(report.status.success(), "{}", text(&report.stderr));
    assert!(text(&report.stdout).contains("(1 chart,"));
    let html = std::fs::read_to_string(tmp.path().join("c/report.html")).unwrap();
    assert!(html.contains("Comparison: siloed-government vs whole-of-government"));
    // Both scenarios in words and against the criteria, the side read from its folder too.
    assert!(html.contains("<h3>siloed-government</h3>"));
    assert!(html.contains("<h3>whole-of-government</h3>"));
    assert!(html.contains("From round 30: coordinating agency."));
    assert_eq!(
        html.matches("The forum aims to decide by consensus")
            .count(),
        2
    );
    // The comparison's numbers, as compare printed them, and its chart inline.
    let summary = std::fs::read_to_string(tmp.path().join("c/summary.txt")).unwrap();
    let consensus = summary
        .lines()
        .find(|l| l.starts_with("Consensus was reached"))
        .unwrap();
    assert!(html.contains(consensus), "{consensus}");
    assert_eq!(html.matches("<figure>").count(), 1);
    assert_eq!(html.matches("<svg").count(), 1);
    assert!(html.contains("bundled:whole-of-government"));
    // Same seed and replicates: paired differences, replicate by replicate.
    assert!(summary.contains("Paired differences, whole-of-government minus siloed-government"));
    let paired = std::fs::read_to_string(tmp.path().join("c/paired.csv")).unwrap();
    assert!(paired.starts_with("scenario,minus,metric,pairs,mean_difference,ci_low,ci_high\n"));
    assert!(paired.contains("whole-of-government,siloed-government,consensus_reached_share,6,"));
    assert!(html.contains("Paired differences"));
}

#[test]
fn scenarios_show_prints_a_bundled_scenario_that_runs_as_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let shown = collabgov(tmp.path(), &["scenarios", "--show", "siloed-government"]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let toml = text(&shown.stdout);
    assert_eq!(
        toml,
        collabgov_study::bundled::BUNDLED
            .iter()
            .find(|(n, _)| *n == "siloed-government")
            .unwrap()
            .1
    );
    // Saved, edited and run as a file, it gives the bundled scenario's numbers.
    std::fs::write(tmp.path().join("mine.toml"), &toml).unwrap();
    let args = [
        "--replicates",
        "4",
        "--rounds",
        "20",
        "--no-charts",
        "--out",
    ];
    let a = collabgov(
        tmp.path(),
        &[&["run", "mine.toml"][..], &args, &["a"]].concat(),
    );
    let b = collabgov(
        tmp.path(),
        &[&["run", "siloed-government"][..], &args, &["b"]].concat(),
    );
    assert!(a.status.success() && b.status.success());
    assert_eq!(
        std::fs::read(tmp.path().join("a/rounds.csv")).unwrap(),
        std::fs::read(tmp.path().join("b/rounds.csv")).unwrap()
    );
    // An unknown name lists the names.
    let bad = collabgov(tmp.path(), &["scenarios", "--show", "nope"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("whole-of-government"));
}

#[test]
fn labels_name_two_variants_of_one_file_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let forum = collabgov_study::bundled::BUNDLED
        .iter()
        .find(|(n, _)| *n == "siloed-government")
        .unwrap()
        .1;
    std::fs::write(tmp.path().join("forum.toml"), forum).unwrap();
    let small = ["--replicates", "4", "--rounds", "20"];
    // Two runs of one file with --label go to two folders.
    for (label, silo) in [("silo-high", "0.9"), ("silo-low", "0.2")] {
        let set = format!("parameters.silo={silo}");
        let out = collabgov(
            tmp.path(),
            &[
                &[
                    "run",
                    "forum.toml",
                    "--label",
                    label,
                    "--set",
                    &set,
                    "--no-charts",
                ][..],
                &small,
            ]
            .concat(),
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let manifest =
            std::fs::read_to_string(tmp.path().join(format!("output/{label}/run.json"))).unwrap();
        assert!(manifest.contains(&format!("\"scenario_name\": \"{label}\"")));
    }
    // Comparing one file with itself needs labels, and they name the rows.
    let same = collabgov(
        tmp.path(),
        &[
            &["compare", "forum.toml", "forum.toml", "--format", "svg"][..],
            &small,
        ]
        .concat(),
    );
    assert_eq!(same.status.code(), Some(1));
    assert!(
        text(&same.stderr).contains("--label"),
        "{}",
        text(&same.stderr)
    );
    let labelled = collabgov(
        tmp.path(),
        &[
            &[
                "compare",
                "output/silo-high",
                "forum.toml",
                "--label",
                "high",
                "--label",
                "as-written",
                "--format",
                "svg",
                "--out",
                "c",
            ][..],
            &small,
        ]
        .concat(),
    );
    assert!(labelled.status.success(), "{}", text(&labelled.stderr));
    let table = std::fs::read_to_string(tmp.path().join("c/compare.csv")).unwrap();
    assert!(
        table.contains("\nhigh,trust,") && table.contains("\nas-written,trust,"),
        "{table}"
    );
}

#[test]
fn assess_ranks_practices_and_its_menu_reruns_the_same_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let small = ["--replicates", "30", "--rounds", "60", "--format", "png"];
    let a = collabgov(
        tmp.path(),
        &[
            &["assess", "siloed-government"][..],
            &small,
            &["--out", "a"],
        ]
        .concat(),
    );
    assert!(a.status.success(), "{}", text(&a.stderr));
    let printed = text(&a.stdout);
    for needle in [
        "Diagnosis of siloed-government",
        "Silo",
        "Prehistory of conflict",
        "Power spread",
        "Legal clarity",
        "Capacity",
        "Baseline: consensus reached in",
        "from round 12",
        "Task force of every sector",
        "Coordinating agency",
    ] {
        assert!(printed.contains(needle), "{needle} in {printed}");
    }
    let dir = tmp.path().join("a");
    let csv = std::fs::read_to_string(dir.join("assess.csv")).unwrap();
    // Seven practices (legal clarity is already 1), each with every final metric and the
    // consensus share.
    let practices: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(practices.len(), 7, "{csv}");
    assert_eq!(
        csv.lines()
            .filter(|l| l.contains(",consensus_reached_share,"))
            .count(),
        7
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("summary.txt")).unwrap(),
        printed
            .lines()
            .take_while(|l| !l.starts_with("output:"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
    let png = std::fs::read(dir.join("assess.png")).unwrap();
    assert_eq!(png_size(&png), (1600, 260 + 80 * 7));
    // The menu it ran, passed back, gives the same table; so does --print-menu's.
    let printed_menu = collabgov(
        tmp.path(),
        &[
            &["assess", "siloed-government"][..],
            &small,
            &["--print-menu"],
        ]
        .concat(),
    );
    assert!(printed_menu.status.success());
    assert_eq!(
        text(&printed_menu.stdout).trim_end(),
        std::fs::read_to_string(dir.join("menu.toml"))
            .unwrap()
            .trim_end()
    );
    let b = collabgov(
        tmp.path(),
        &[
            &["assess", "siloed-government"][..],
            &small,
            &["--menu", "a/menu.toml", "--out", "b"],
        ]
        .concat(),
    );
    assert!(b.status.success(), "{}", text(&b.stderr));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("b/assess.csv")).unwrap(),
        csv
    );
    // plot redraws the chart from assess.csv, byte for byte.
    let p = collabgov(
        tmp.path(),
        &["plot", "a", "--format", "png", "--out", "redrawn"],
    );
    assert!(p.status.success(), "{}", text(&p.stderr));
    assert_eq!(
        std::fs::read(tmp.path().join("redrawn/assess.png")).unwrap(),
        png
    );
}

#[test]
fn assess_refuses_a_menu_that_does_not_fit_and_a_folder_not_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let small = ["--replicates", "30", "--rounds", "60", "--format", "png"];
    // A menu with a practice that does not fit names the menu, the practice and the key,
    // and nothing is written.
    std::fs::write(
        tmp.path().join("bad.toml"),
        "[[practices]]\nname = \"tf\"\n[[practices.interventions]]\ntype = \"task_force\"\nfrom = 10\nuntil = 20\nsectors = [\"health\", \"nowhere\"]\n",
    )
    .unwrap();
    let bad = collabgov(
        tmp.path(),
        &[
            &["assess", "siloed-government"][..],
            &small,
            &["--menu", "bad.toml", "--out", "c"],
        ]
        .concat(),
    );
    assert!(!bad.status.success());
    let e = text(&bad.stderr);
    assert!(
        e.contains("\"tf\"") && e.contains("bad.toml") && e.contains("nowhere"),
        "{e}"
    );
    assert!(!tmp.path().join("c").exists());
    // A folder that is not ours is refused before anything runs.
    std::fs::create_dir(tmp.path().join("mine")).unwrap();
    std::fs::write(tmp.path().join("mine/notes.txt"), "keep").unwrap();
    let refused = collabgov(
        tmp.path(),
        &[
            &["assess", "siloed-government"][..],
            &small,
            &["--out", "mine"],
        ]
        .concat(),
    );
    assert!(!refused.status.success());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine/notes.txt")).unwrap(),
        "keep"
    );
}

/// Writes `NAME.toml` (siloed-government, and with `task_force` a task force of every
/// sector from round 20) and `NAME.sweep.toml` over `factors` (TOML of [[factors]]).
fn sweep_files(dir: &Path, name: &str, task_force: bool, factors: &str) {
    let mut base = collabgov_study::bundled::BUNDLED
        .iter()
        .find(|(n, _)| *n == "siloed-government")
        .unwrap()
        .1
        .replace(
            "name = \"siloed-government\"",
            &format!("name = \"{name}\""),
        );
    if task_force {
        base.push_str("\n[[interventions]]\ntype = \"task_force\"\nfrom = 20\nuntil = 60\nsectors = [\"environment\", \"health\", \"industry\", \"planning\"]\ntrust = 0.5\n");
    }
    std::fs::write(dir.join(format!("{name}.toml")), base).unwrap();
    std::fs::write(
        dir.join(format!("{name}.sweep.toml")),
        format!("name = \"{name}\"\nbase = \"{name}.toml\"\ndesign = \"grid\"\nreplicates = 12\nrounds = 60\nseed = 7\n{factors}"),
    )
    .unwrap();
}

/// Runs two sweeps over silo x leadership (2 x 3 points) into `output/plain` and
/// `output/tf` (the same with a task force).
fn plain_and_task_force_sweeps(t: &std::path::Path) {
    let grid = "[[factors]]\nkey = \"parameters.silo\"\nvalues = [0.3, 0.9]\n[[factors]]\nkey = \"parameters.leadership\"\nvalues = [0.2, 0.5, 0.8]\n";
    sweep_files(t, "plain", false, grid);
    sweep_files(t, "tf", true, grid);
    for name in ["plain", "tf"] {
        let s = collabgov(t, &["sweep", &format!("{name}.sweep.toml"), "--no-charts"]);
        assert!(s.status.success(), "{}", text(&s.stderr));
    }
}

#[test]
fn compare_pairs_two_sweeps_point_by_point() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    plain_and_task_force_sweeps(t);
    let c = collabgov(
        t,
        &[
            "compare",
            "output/plain",
            "output/tf",
            "--out",
            "cmp",
            "--format",
            "png",
        ],
    );
    assert!(c.status.success(), "{}", text(&c.stderr));
    let printed = text(&c.stdout);
    assert!(
        printed.contains("tf minus plain, paired replicate by replicate at each of 6 points"),
        "{printed}"
    );
    for chart in [
        "heatmap-diff-consensus_share.png",
        "heatmap-diff-trust_across.png",
    ] {
        assert_eq!(
            png_size(&std::fs::read(t.join("cmp").join(chart)).unwrap()),
            (1200, 1000)
        );
    }
    // plot draws a sweep's charts from its points.csv, here for a paper.
    let p = collabgov(
        t,
        &[
            "plot",
            "output/plain",
            "--format",
            "png",
            "--style",
            "paper",
        ],
    );
    assert!(p.status.success(), "{}", text(&p.stderr));
    let map = std::fs::read(t.join("output/plain/heatmap-consensus_share.png")).unwrap();
    assert_eq!(png_size(&map).0, 1950);
    // The mean paired difference is the difference of the sweeps' means, point by point.
    let read = |path: &Path| -> Vec<std::collections::HashMap<String, String>> {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
        lines
            .map(|l| {
                header
                    .iter()
                    .cloned()
                    .zip(l.split(',').map(String::from))
                    .collect()
            })
            .collect()
    };
    let (a, b) = (
        read(&t.join("output/plain/points.csv")),
        read(&t.join("output/tf/points.csv")),
    );
    let d = read(&t.join("cmp/points-paired.csv"));
    assert_eq!(d.len(), 6);
    let num =
        |m: &std::collections::HashMap<String, String>, k: &str| -> f64 { m[k].parse().unwrap() };
    let mut clear = 0;
    for i in 0..6 {
        for (diff, level) in [
            ("consensus_share_diff", "consensus_share"),
            ("trust_across_diff", "trust_across_mean"),
        ] {
            let by_hand = num(&b[i], level) - num(&a[i], level);
            assert!(
                (num(&d[i], diff) - by_hand).abs() < 1e-9,
                "point {i} {diff}"
            );
            let (lo, hi) = (
                num(&d[i], &format!("{diff}_low")),
                num(&d[i], &format!("{diff}_high")),
            );
            assert!(lo <= num(&d[i], diff) && num(&d[i], diff) <= hi);
            if lo > 0.0 || hi < 0.0 {
                clear += 1;
            }
        }
    }
    assert!(clear > 0, "a task force changes something somewhere");
}

#[test]
fn compare_of_sweeps_refuses_another_design_and_an_edited_points_file() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    plain_and_task_force_sweeps(t);
    // A sweep over another design is refused, naming what differs.
    sweep_files(
        t,
        "other",
        true,
        "[[factors]]\nkey = \"parameters.silo\"\nvalues = [0.3, 0.6]\n",
    );
    assert!(
        collabgov(t, &["sweep", "other.sweep.toml", "--no-charts"])
            .status
            .success()
    );
    let e = collabgov(
        t,
        &["compare", "output/plain", "output/other", "--out", "no"],
    );
    assert!(!e.status.success());
    assert!(
        text(&e.stderr).contains("not over the same design"),
        "{}",
        text(&e.stderr)
    );
    assert!(!t.join("no").exists());
    // An edited points.csv is found out: the pairing re-runs the points and checks them.
    let path = t.join("output/tf/points.csv");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replacen(",0.", ",0.1", 1);
    std::fs::write(&path, edited).unwrap();
    let e = collabgov(t, &["compare", "output/plain", "output/tf", "--out", "no"]);
    assert!(!e.status.success());
    assert!(
        text(&e.stderr).contains("differs from the point run again"),
        "{}",
        text(&e.stderr)
    );
}

#[test]
fn compare_of_two_one_factor_sweeps_draws_the_differences_against_the_factor() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // One factor: the differences against it.
    let line = "[[factors]]\nkey = \"parameters.silo\"\nvalues = [0.3, 0.9]\n";
    sweep_files(t, "one", false, line);
    sweep_files(t, "onetf", true, line);
    for name in ["one", "onetf"] {
        assert!(
            collabgov(t, &["sweep", &format!("{name}.sweep.toml"), "--no-charts"])
                .status
                .success()
        );
    }
    let c = collabgov(
        t,
        &[
            "compare",
            "output/one",
            "output/onetf",
            "--out",
            "line",
            "--format",
            "png",
        ],
    );
    assert!(c.status.success(), "{}", text(&c.stderr));
    assert!(t.join("line/sweep-paired.png").exists());
}

#[test]
fn run_prints_its_summary_in_indonesian_with_lang_or_the_locale() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let args = |out: &'static str| {
        vec![
            "run",
            "siloed-government",
            "--replicates",
            "6",
            "--rounds",
            "30",
            "--no-charts",
            "--out",
            out,
        ]
    };
    let mut flagged = args("a");
    flagged.extend(["--lang", "id"]);
    let by_flag = collabgov(t, &flagged);
    assert!(by_flag.status.success(), "{}", text(&by_flag.stderr));
    let printed = text(&by_flag.stdout);
    assert!(printed.contains("konsensus tercapai pada"), "{printed}");
    assert!(printed.contains("selang kepercayaan 95 %"), "{printed}");
    // Decimal commas, and intervals whose ends a semicolon separates.
    let trust = printed
        .lines()
        .find(|l| l.contains("kepercayaan akhir"))
        .unwrap();
    assert!(
        trust.contains("di dalam sektor 0,") && trust.contains("; 0,"),
        "{trust}"
    );
    let by_locale = Command::new(env!("CARGO_BIN_EXE_collabgov"))
        .current_dir(t)
        .args(args("b"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "id_ID.UTF-8")
        .output()
        .unwrap();
    let from_locale = text(&by_locale.stdout);
    // The same lines but for the output folder's name.
    assert_eq!(
        from_locale.lines().skip(1).take(4).collect::<Vec<_>>(),
        printed.lines().skip(1).take(4).collect::<Vec<_>>()
    );
    // English by default, and the tables keep their English columns whatever the language.
    let english = text(&collabgov(t, &args("c")).stdout);
    assert!(english.contains("consensus reached in"), "{english}");
    assert_eq!(
        std::fs::read(t.join("a/replicates.csv")).unwrap(),
        std::fs::read(t.join("c/replicates.csv")).unwrap()
    );
    let mut bad = args("d");
    bad.extend(["--lang", "fr"]);
    let refused = collabgov(t, &bad);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("expected en or id, found \"fr\""));
}

#[test]
fn titles_and_captions_are_options_and_never_clipped() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let run = |extra: &[&str], out: &str| {
        let mut args = vec![
            "run",
            "siloed-government",
            "--replicates",
            "4",
            "--rounds",
            "20",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        let r = collabgov(t, &args);
        assert!(r.status.success(), "{}", text(&r.stderr));
        std::fs::read_to_string(t.join(out).join("overview.svg")).unwrap()
    };
    let plain = run(&["--format", "svg"], "plain");
    assert!(plain.contains("the collaborative-governance cycle"));
    assert!(plain.contains("Wilson 95 % CI"));
    let bare = run(&["--format", "svg", "--no-title", "--no-caption"], "bare");
    assert!(!bare.contains("the collaborative-governance cycle"));
    assert!(!bare.contains("Wilson 95 % CI"));
    // Panels keep their titles; only the figure's title and caption go.
    assert!(bare.contains("Trust across sectors"));
    let own = run(
        &["--format", "svg", "--caption", "Figure 3. Forty rounds."],
        "own",
    );
    assert!(own.contains("Figure 3. Forty rounds.") && !own.contains("Wilson 95 % CI"));
    // The projector's large type: every panel title fits inside the figure (estimated at
    // 0.56 em per character, as DejaVu Sans sets these titles: "Replicates in consensus so
    // far" is 479 px wide at 29 px).
    let projector = run(&["--format", "svg", "--style", "projector"], "projector");
    let width: f64 = 1920.0;
    for piece in projector.split("<text").skip(1) {
        let attr = |name: &str| -> Option<f64> {
            piece
                .split(&format!("{name}=\""))
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()
        };
        let (Some(x), Some(size)) = (attr("x"), attr("font-size")) else {
            continue;
        };
        let body = piece
            .split('>')
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap_or("");
        let chars = body.trim().chars().count() as f64;
        // Centred, unrotated text (titles and captions; axis names are rotated).
        if piece.contains("text-anchor=\"middle\"") && !piece.contains("rotate") {
            assert!(
                x - chars * size * 0.28 >= 0.0 && x + chars * size * 0.28 <= width,
                "text {:?} at x = {x}, size {size} leaves the figure",
                body.trim()
            );
        }
    }
    // On paper a caption too long for one line takes two, never text under 8 pt (it used
    // to shrink to 6 pt).
    let long = "Figure 3. Trust across sectors in the siloed forum over twenty rounds of dialogue: the mean of four replicates and the range of the middle 95 % of them.";
    let paper = run(
        &["--format", "svg", "--style", "paper", "--caption", long],
        "paper",
    );
    let smallest = paper
        .split("font-size=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
        .fold(f64::INFINITY, f64::min);
    assert!(
        smallest * 72.0 / 300.0 >= 8.0,
        "smallest text {smallest} px"
    );
    assert!(paper.contains("Figure 3. Trust across sectors") && paper.contains("of them."));
    // A title and --no-title together are refused.
    let both = collabgov(
        t,
        &[
            "run",
            "siloed-government",
            "--title",
            "x",
            "--no-title",
            "--out",
            "both",
        ],
    );
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn paper_style_draws_six_and_a_half_inches_at_300_dpi_with_titles_of_ones_own() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let args = [
        "run",
        "siloed-government",
        "--replicates",
        "6",
        "--rounds",
        "30",
        "--style",
        "paper",
        "--title",
        "Figure 2: a siloed forum",
        "--out",
        "paper",
    ];
    let r = collabgov(t, &args);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let png = std::fs::read(t.join("paper/overview.png")).unwrap();
    // 6.5 inches at 300 dpi; the overview in two columns, so taller.
    assert_eq!(png_size(&png), (1950, 2383));
    // A pHYs chunk right after the header: 11811 pixels per metre (300 dpi), in metres.
    assert_eq!(&png[37..41], b"pHYs");
    assert_eq!(
        u32::from_be_bytes([png[41], png[42], png[43], png[44]]),
        11811
    );
    assert_eq!(png[49], 1);
    let svg = std::fs::read_to_string(t.join("paper/overview.svg")).unwrap();
    assert!(
        svg.starts_with("<svg width=\"6.500in\" height=\"7.943in\" viewBox=\"0 0 1950 2383\""),
        "{}",
        &svg[..120]
    );
    assert!(svg.contains("Figure 2: a siloed forum"));
    // On paper, the panels name their metric on the y axis; the smallest text (tick
    // labels) is 8 pt or more: an em of 33 px at 300 dpi.
    assert!(svg.contains(">\nTrust across sectors\n<"));
    let sizes: Vec<f64> = svg
        .split("font-size=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(
        smallest * 72.0 / 300.0 >= 7.5,
        "smallest text {smallest} px"
    );
    // plot redraws the same picture in the same style.
    let p = collabgov(
        t,
        &[
            "plot",
            "paper",
            "--style",
            "paper",
            "--title",
            "Figure 2: a siloed forum",
            "--format",
            "png",
            "--out",
            "again",
        ],
    );
    assert!(p.status.success(), "{}", text(&p.stderr));
    assert_eq!(std::fs::read(t.join("again/overview.png")).unwrap(), png);
    // A font scale out of range is refused before anything runs.
    let bad = collabgov(
        t,
        &[
            "run",
            "siloed-government",
            "--font-scale",
            "9",
            "--out",
            "no",
        ],
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("--font-scale"),
        "{}",
        text(&bad.stderr)
    );
    assert!(!t.join("no").exists());
}

#[test]
fn network_pictures_label_named_actors_only_and_show_the_trust_scale() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    std::fs::write(
        t.join("named.toml"),
        "name = \"named\"\nrounds = 10\nreplicates = 2\n[[sectors]]\nname = \"health\"\nagencies = 2\nngo = 3\n[[sectors]]\nname = \"planning\"\nagencies = 2\n[[actors]]\nid = \"bappeda\"\nname = \"Bappeda\"\nkind = \"agency\"\nsector = \"planning\"\n",
    )
    .unwrap();
    let r = collabgov(t, &["run", "named.toml", "--format", "svg", "--out", "o"]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let svg = std::fs::read_to_string(t.join("o/network.svg")).unwrap();
    // Named in both panels; generated actors (named by their id) are not labelled.
    assert_eq!(svg.matches(">\nBappeda\n<").count(), 2, "labels");
    assert!(!svg.contains("health-agency-1"));
    assert!(svg.contains(">\ntrust 0\n<"));
}

#[test]
fn with_no_command_collabgov_runs_the_siloisation_lesson() {
    // The README's first command, `cargo run --release`.
    let tmp = tempfile::tempdir().unwrap();
    let out = collabgov(tmp.path(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("Consensus was reached in"), "{printed}");
    assert!(
        printed.contains("Paired differences, whole-of-government minus siloed-government"),
        "{printed}"
    );
    let dir = tmp
        .path()
        .join("output/compare-siloed-government-whole-of-government");
    assert_eq!(
        png_size(&std::fs::read(dir.join("compare.png")).unwrap()),
        (1800, 1000)
    );
}

#[test]
fn plot_redraws_a_comparison_from_its_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let c = collabgov(
        t,
        &[
            "compare",
            "siloed-government",
            "whole-of-government",
            "default",
            "--replicates",
            "8",
            "--rounds",
            "40",
            "--format",
            "png",
            "--out",
            "cmp",
        ],
    );
    assert!(c.status.success(), "{}", text(&c.stderr));
    let drawn = std::fs::read(t.join("cmp/compare.png")).unwrap();
    // The same overlay, byte for byte, from the folder's own tables.
    let p = collabgov(t, &["plot", "cmp", "--format", "png", "--out", "again"]);
    assert!(p.status.success(), "{}", text(&p.stderr));
    assert_eq!(std::fs::read(t.join("again/compare.png")).unwrap(), drawn);
    // And for a projector.
    let p = collabgov(
        t,
        &[
            "plot",
            "cmp",
            "--format",
            "png",
            "--style",
            "projector",
            "--out",
            "big",
        ],
    );
    assert!(p.status.success(), "{}", text(&p.stderr));
    assert_eq!(
        png_size(&std::fs::read(t.join("big/compare.png")).unwrap()).0,
        1920
    );
}

/// `collabgov serve --port 0` with `extra` arguments, and the address it prints.
fn start_serve(extra: &[&str]) -> (std::process::Child, std::net::SocketAddr) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_collabgov"))
        .args(["serve", "--port", "0"])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.split("http://").nth(1).unwrap();
    let addr = url.split('/').next().unwrap().parse().unwrap();
    (child, addr)
}

/// Sends a run request for `toml` to the page at `addr`, and the open connection.
fn post_run(addr: std::net::SocketAddr, toml: &str) -> std::net::TcpStream {
    use std::io::Write;
    let body = serde_json::json!({ "runs": [toml] }).to_string();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(120)))
        .unwrap();
    write!(
        stream,
        "POST /api/run HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    stream
}

/// A process's peak resident memory (VmHWM), in bytes.
fn peak_memory(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap()
        * 1024
}

#[test]
fn serve_keeps_under_its_memory_cap_and_stops_on_ctrl_c_with_clients_connected() {
    use std::io::{Read, Write};
    let (mut server, addr) = start_serve(&["--max-memory", "128"]);
    let before = peak_memory(server.id());
    // The worst request the cap accepts: the longest of these live runs it lets in.
    let run_of = |rounds: u32| {
        format!(
            "name = \"worst\"\nrounds = {rounds}\nreplicates = 1\n[[sectors]]\nname = \"a\"\nagencies = 2\n"
        )
    };
    let mut accepted = None;
    for rounds in [
        60_000, 50_000, 40_000, 35_000, 30_000, 25_000, 20_000, 15_000,
    ] {
        let mut answer = String::new();
        post_run(addr, &run_of(rounds))
            .read_to_string(&mut answer)
            .unwrap();
        if answer.starts_with("HTTP/1.1 413") {
            continue;
        }
        assert!(
            answer.contains("event: done"),
            "{}",
            &answer[..answer.len().min(600)]
        );
        accepted = Some(rounds);
        break;
    }
    let rounds = accepted.expect("one of the runs fits in 128 MiB");
    assert!(rounds < 60_000, "the cap refused none");
    let grown = peak_memory(server.id()).saturating_sub(before);
    eprintln!(
        "worst accepted: {rounds} rounds; the server grew by {} MiB",
        grown >> 20
    );
    assert!(
        grown <= 128 << 20,
        "the server grew by {} MiB under a 128 MiB cap",
        grown >> 20
    );
    // Ctrl-C while a run streams to one client and another has sent half a request.
    let mut streaming = post_run(
        addr,
        "name = \"long\"\nrounds = 3000\nreplicates = 4\n[network]\ntype = \"small_world\"\nk = 4\nbeta = 0.1\n[[sectors]]\nname = \"a\"\nagencies = 1500\n",
    );
    let mut first = [0u8; 4096];
    let n = streaming.read(&mut first).unwrap();
    assert!(
        String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&first[..n])
    );
    let mut half = std::net::TcpStream::connect(addr).unwrap();
    half.write_all(b"POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let signalled = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    // Bounded: the grace period is a few seconds.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "serve still running a minute after Ctrl-C"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn compare_gives_one_side_its_own_values_and_warns_when_sides_are_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let base = [
        "compare",
        "siloed-government",
        "siloed-government",
        "--label",
        "before",
        "--label",
        "after",
        "--replicates",
        "6",
        "--rounds",
        "20",
        "--format",
        "svg",
    ];
    // The same scenario twice: every difference is zero, and the command says so.
    let same = collabgov(t, &[&base[..], &["--out", "same"]].concat());
    assert!(same.status.success(), "{}", text(&same.stderr));
    assert!(
        text(&same.stderr).contains("scenarios 1 and 2 are the same but for their names"),
        "{}",
        text(&same.stderr)
    );
    // The second side with its own silo: no warning, and cross-sector trust differs.
    let own = collabgov(
        t,
        &[
            &base[..],
            &["--side-set", "2:parameters.silo=0.3", "--out", "own"],
        ]
        .concat(),
    );
    assert!(own.status.success(), "{}", text(&own.stderr));
    assert!(
        !text(&own.stderr).contains("warning"),
        "{}",
        text(&own.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.join("own/compare.json")).unwrap())
            .unwrap();
    assert_eq!(json["compared"][1]["scenario"]["parameters"]["silo"], 0.3);
    assert_eq!(json["compared"][0]["scenario"]["parameters"]["silo"], 0.85);
    let paired = std::fs::read_to_string(t.join("own/paired.csv")).unwrap();
    let trust = paired
        .lines()
        .find(|l| l.contains(",trust_across,"))
        .unwrap();
    let mean: f64 = trust.split(',').nth(4).unwrap().parse().unwrap();
    assert!(mean.abs() > 1e-6, "{trust}");
    // A place beyond the scenarios is refused.
    let beyond = collabgov(
        t,
        &["compare", "a", "b", "--side-set", "3:parameters.silo=0.3"],
    );
    assert!(!beyond.status.success());
    assert!(
        text(&beyond.stderr).contains("from 1 to 2"),
        "{}",
        text(&beyond.stderr)
    );
}

#[test]
fn run_json_names_the_commit_it_was_built_from() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&root)
        .output()
        .ok()
        .filter(|o| o.status.success());
    let tmp = tempfile::tempdir().unwrap();
    let out = collabgov(
        tmp.path(),
        &[
            "run",
            "default",
            "--replicates",
            "2",
            "--rounds",
            "3",
            "--no-charts",
            "--out",
            "r",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("r/run.json")).unwrap())
            .unwrap();
    match head {
        // Built from this checkout: the commit checked out now.
        Some(head) => assert_eq!(
            json["source_commit"].as_str(),
            Some(text(&head.stdout).trim()),
            "{json}"
        ),
        // Not a git checkout (a source archive): no commit claimed.
        None => assert!(json.get("source_commit").is_none(), "{json}"),
    }
}

#[test]
fn series_holds_every_replicate_and_round_on_any_number_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let args = |threads: &'static str, out: &'static str| {
        [
            "run",
            "siloed-government",
            "--replicates",
            "6",
            "--rounds",
            "15",
            "--series",
            "--no-charts",
            "--threads",
            threads,
            "--out",
            out,
        ]
    };
    for (threads, out) in [("1", "one"), ("2", "two")] {
        let o = collabgov(t, &args(threads, out));
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let series = std::fs::read_to_string(t.join("one/series.csv")).unwrap();
    assert_eq!(
        series,
        std::fs::read_to_string(t.join("two/series.csv")).unwrap()
    );
    // One row per replicate and round; each round's mean is the rounds table's.
    let mut reader = csv::Reader::from_reader(series.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = headers.iter().position(|h| h == "trust_across").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6 * 16);
    let rounds = std::fs::read_to_string(t.join("one/rounds.csv")).unwrap();
    for round in 0..=15u32 {
        let values: Vec<f64> = rows
            .iter()
            .filter(|r| r[2].parse::<u32>().unwrap() == round)
            .map(|r| r[column].parse::<f64>().unwrap())
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let line = rounds
            .lines()
            .find(|l| l.starts_with(&format!("{round},trust_across,all,")))
            .unwrap();
        let expected: f64 = line.split(',').nth(3).unwrap().parse().unwrap();
        assert!(
            (mean - expected).abs() < 1e-12,
            "round {round}: {mean} {expected}"
        );
    }
}
