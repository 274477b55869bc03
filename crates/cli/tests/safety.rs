//! What collabgov must never do to a user's files, each finding of the hostile review as a
//! test: foreign output folders, files and devices as `--out`, crashes at every named
//! point (injected with COLLABGOV_FAULT, never timed), a full disk, a file-size limit,
//! locks, fingerprints over input files, `--restart`, merge checks, bounded reading, and
//! the one configuration path (`--seed`, `--set`, `--rounds`).

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn collabgov_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_collabgov"));
    cmd.current_dir(dir).args(args);
    for k in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn collabgov(dir: &Path, args: &[&str]) -> Output {
    collabgov_env(dir, args, &[])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

fn ok(out: &Output) {
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn refused(out: &Output, needle: &str) {
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(needle), "{}", text(&out.stderr));
}

const SMALL: &[&str] = &["--rounds", "8", "--no-charts"];

/// `run default --out OUT` with 3 replicates of 8 rounds, unless `extra` gives `--replicates`.
fn run_into(dir: &Path, out: &str, extra: &[&str]) -> Output {
    collabgov(dir, &run_args(out, extra))
}

fn run_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["run", "default", "--out", out];
    args.extend_from_slice(SMALL);
    if !extra.contains(&"--replicates") {
        args.extend_from_slice(&["--replicates", "3"]);
    }
    args.extend_from_slice(extra);
    args
}

/// Names in `dir` that a run leaves only while it works.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".partial-") || n.contains(".old-") || n.ends_with(".tmp"))
        .collect()
}

/// A complete run folder: every table and a manifest with the expected replicates.
fn assert_complete(dir: &Path, replicates: u64) {
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    assert_eq!(json["replicates"], replicates);
    let rounds = fs::read_to_string(dir.join("rounds.csv")).unwrap();
    // The forum's rows of the 9 rounds, and the per-group rows after each round's.
    assert_eq!(
        rounds
            .lines()
            .filter(|l| l.split(',').nth(2) == Some("all"))
            .count(),
        9 * collabgov_sim::Metric::recorded(collabgov_sim::Families::FORUM).count()
    );
    assert!(
        rounds
            .lines()
            .last()
            .unwrap()
            .starts_with("8,participation,kind:")
    );
    for f in ["replicates.csv", "actors.csv", "network.csv"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
}

#[test]
fn out_never_replaces_what_is_not_ours() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::create_dir_all(t.join("thesis/chapters")).unwrap();
    fs::write(t.join("thesis/draft.txt"), "my draft").unwrap();
    fs::write(t.join("thesis/.hidden"), "x").unwrap();
    refused(&run_into(t, "thesis", &[]), "not a collabgov run folder");
    refused(
        &collabgov(
            t,
            &[
                "compare",
                "default",
                "siloed-government",
                "--out",
                "thesis",
                "--replicates",
                "2",
                "--rounds",
                "5",
            ],
        ),
        "not a collabgov comparison folder",
    );
    assert_eq!(
        fs::read_to_string(t.join("thesis/draft.txt")).unwrap(),
        "my draft"
    );
    assert!(t.join("thesis/chapters").is_dir() && t.join("thesis/.hidden").is_file());
    // --force writes the run's files beside the user's, replacing nothing else.
    ok(&run_into(t, "thesis", &["--force"]));
    assert_eq!(
        fs::read_to_string(t.join("thesis/draft.txt")).unwrap(),
        "my draft"
    );
    assert!(t.join("thesis/chapters").is_dir() && t.join("thesis/rounds.csv").is_file());
    // A file, a device and the working folder are refused; nothing is made of them.
    fs::write(t.join("notes.txt"), "keep").unwrap();
    refused(&run_into(t, "notes.txt", &[]), "not a folder");
    assert_eq!(fs::read_to_string(t.join("notes.txt")).unwrap(), "keep");
    refused(&run_into(t, "/dev/null", &[]), "not a folder");
    assert!(!Path::new("/dev/null").is_dir());
    let here = t.display().to_string();
    refused(&run_into(t, &here, &[]), "working folder");
    // The refusal comes before any simulation and leaves nothing behind.
    assert!(leftovers(t).is_empty(), "{:?}", leftovers(t));
    assert!(!t.join(".notes.txt.lock").exists());
    // Our own earlier run is replaced, as before.
    ok(&run_into(t, "mine", &[]));
    ok(&run_into(t, "mine", &["--replicates", "4"]));
    assert_complete(&t.join("mine"), 4);
    assert!(leftovers(t).is_empty());
}

#[test]
fn a_crash_at_any_point_leaves_the_old_output_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for point in [
        "staged",
        "mid-write",
        "before-commit",
        "commit-swapped",
        "commit-old-moved",
        "commit-new-placed",
    ] {
        let _ = fs::remove_dir_all(t.join("out"));
        ok(&run_into(t, "out", &[]));
        let args = run_args("out", &["--replicates", "4"]);
        let crashed = collabgov_env(t, &args, &[("COLLABGOV_FAULT", &format!("crash:{point}"))]);
        assert_eq!(
            crashed.status.code(),
            Some(86),
            "{point}: {}",
            text(&crashed.stderr)
        );
        // Under the final name: the old run, the new one, or (between the two renames)
        // nothing, with the old one kept aside for the next run to put back.
        match fs::metadata(t.join("out")) {
            Ok(_) => {
                let json = fs::read_to_string(t.join("out/run.json")).unwrap();
                let n = if json.contains("\"replicates\": 4") {
                    4
                } else {
                    3
                };
                assert_complete(&t.join("out"), n);
            }
            Err(_) => assert_eq!(point, "commit-old-moved"),
        }
        let next = run_into(t, "out", &["--replicates", "5"]);
        ok(&next);
        assert_complete(&t.join("out"), 5);
        assert!(leftovers(t).is_empty(), "{point}: {:?}", leftovers(t));
    }
    // The recovery puts the earlier run back when the next command cannot replace it.
    let _ = fs::remove_dir_all(t.join("out"));
    ok(&run_into(t, "out", &[]));
    let args = run_args("out", &[]);
    collabgov_env(t, &args, &[("COLLABGOV_FAULT", "crash:commit-old-moved")]);
    assert!(!t.join("out").exists());
    let again = collabgov_env(t, &args, &[("COLLABGOV_FAULT", "crash:staged")]);
    assert!(
        text(&again.stderr).contains("put back"),
        "{}",
        text(&again.stderr)
    );
    assert_complete(&t.join("out"), 3);
    // A misspelt point is refused, so a test cannot pass without injecting anything.
    let typo = collabgov_env(t, &args, &[("COLLABGOV_FAULT", "crash:stagde")]);
    assert_eq!(typo.status.code(), Some(2));
}

#[test]
fn a_full_disk_or_a_file_size_limit_gives_an_error_and_no_leftovers() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(&run_into(t, "out", &[]));
    let args = run_args("out", &["--replicates", "4"]);
    let full = collabgov_env(t, &args, &[("COLLABGOV_FAULT", "write-error:rounds.csv")]);
    refused(&full, "no space left on device");
    assert_complete(&t.join("out"), 3);
    assert!(leftovers(t).is_empty(), "{:?}", leftovers(t));
    // ulimit -f: the write fails with EFBIG instead of SIGXFSZ killing the process.
    let bin = env!("CARGO_BIN_EXE_collabgov");
    let limited = Command::new("sh")
        .current_dir(t)
        .arg("-c")
        .arg(format!(
            "ulimit -f 4; exec '{bin}' run default --out big --replicates 3 --rounds 8 --no-charts"
        ))
        .output()
        .unwrap();
    refused(&limited, "File too large");
    assert!(!t.join("big").exists());
    assert!(leftovers(t).is_empty(), "{:?}", leftovers(t));
}

#[test]
fn a_second_writer_is_refused_by_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let lock = fs::File::create(t.join(".held.lock")).unwrap();
    lock.lock().unwrap();
    refused(
        &run_into(t, "held", &[]),
        "another collabgov command is writing held",
    );
    drop(lock);
    ok(&run_into(t, "held", &[]));
    sweep_dir(t);
    fs::create_dir(t.join("sw")).unwrap();
    let lock = fs::File::create(t.join("sw/.points.lock")).unwrap();
    lock.lock().unwrap();
    refused(
        &collabgov(t, &["sweep", "s.toml", "--out", "sw"]),
        "another sweep is writing sw",
    );
}

const SWEEP: &str = "name = \"s\"\nbase = \"base.toml\"\ndesign = \"grid\"\nreplicates = 3\nrounds = 15\nseed = 3\n\
    [[factors]]\nkey = \"parameters.silo\"\nvalues = [0.2, 0.5, 0.8]\n\
    [[factors]]\nkey = \"parameters.leadership\"\nvalues = [0.1, 0.9]\n";

const BASE: &str = "name = \"b\"\nactors_file = \"actors.csv\"\n[[sectors]]\nname = \"a\"\n[[sectors]]\nname = \"c\"\n";

fn actors(n: usize) -> String {
    let mut s = String::from("id,kind,sector\n");
    for i in 0..n {
        let kind = if i % 2 == 0 { "agency" } else { "ngo" };
        let sector = if i % 3 == 0 { "a" } else { "c" };
        s.push_str(&format!("x{i},{kind},{sector}\n"));
    }
    s
}

fn sweep_dir(t: &Path) {
    fs::write(t.join("s.toml"), SWEEP).unwrap();
    fs::write(t.join("base.toml"), BASE).unwrap();
    fs::write(t.join("actors.csv"), actors(12)).unwrap();
}

#[test]
fn sweeps_resume_exactly_and_refuse_changed_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    sweep_dir(t);
    ok(&collabgov(
        t,
        &[
            "sweep",
            "s.toml",
            "--out",
            "ref",
            "--no-charts",
            "--threads",
            "1",
        ],
    ));
    let reference = fs::read_to_string(t.join("ref/points.csv")).unwrap();
    // A crash in the middle of a row, then a resume: the identical file.
    let crashed = collabgov_env(
        t,
        &[
            "sweep",
            "s.toml",
            "--out",
            "k",
            "--no-charts",
            "--threads",
            "1",
        ],
        &[("COLLABGOV_FAULT", "crash:sweep-mid-row")],
    );
    assert_eq!(crashed.status.code(), Some(86));
    let partial = fs::read_to_string(t.join("k/points.csv")).unwrap();
    assert!(!partial.ends_with('\n'), "the crash came mid-row");
    ok(&collabgov(
        t,
        &["sweep", "s.toml", "--out", "k", "--no-charts"],
    ));
    assert_eq!(
        fs::read_to_string(t.join("k/points.csv")).unwrap(),
        reference
    );
    // An edited input file is a changed plan: refused on resume; --restart really restarts.
    fs::write(t.join("actors.csv"), actors(10)).unwrap();
    refused(
        &collabgov(t, &["sweep", "s.toml", "--out", "k", "--no-charts"]),
        "other input files",
    );
    fs::write(t.join("k/points_of_interest.csv"), "mine").unwrap();
    ok(&collabgov(
        t,
        &["sweep", "s.toml", "--out", "k", "--no-charts", "--restart"],
    ));
    assert_eq!(
        fs::read_to_string(t.join("k/points_of_interest.csv")).unwrap(),
        "mine"
    );
    let fresh = fs::read_to_string(t.join("k/points.csv")).unwrap();
    assert_ne!(fresh, reference);
    assert_eq!(fresh.lines().count(), reference.lines().count());
    // A points.csv without its sidecar cannot be resumed under a plan.
    fs::remove_file(t.join("k/points.json")).unwrap();
    refused(
        &collabgov(t, &["sweep", "s.toml", "--out", "k"]),
        "no sidecar",
    );
    // A folder that is not a sweep's is refused.
    fs::create_dir(t.join("data")).unwrap();
    fs::write(t.join("data/survey.csv"), "x").unwrap();
    refused(
        &collabgov(t, &["sweep", "s.toml", "--out", "data"]),
        "not a collabgov sweep folder",
    );
    // --restart with a bad argument deletes nothing.
    let before = fs::read_to_string(t.join("ref/points.csv")).unwrap();
    let bad = collabgov(
        t,
        &[
            "sweep",
            "s.toml",
            "--out",
            "ref",
            "--restart",
            "--shard",
            "0/2",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(t.join("ref/points.csv")).unwrap(),
        before
    );
    // run.json records every input file's hash.
    ok(&collabgov(
        t,
        &[
            "run",
            "base.toml",
            "--out",
            "r",
            "--replicates",
            "2",
            "--rounds",
            "5",
            "--no-charts",
        ],
    ));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(t.join("r/run.json")).unwrap()).unwrap();
    let inputs = json["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    assert!(inputs[1]["path"].as_str().unwrap().ends_with("actors.csv"));
    assert_eq!(inputs[1]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn sweep_plans_are_checked_before_the_first_point() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    sweep_dir(t);
    let dup = SWEEP.replace("parameters.leadership", "parameters.silo");
    fs::write(t.join("dup.toml"), dup).unwrap();
    refused(
        &collabgov(t, &["sweep", "dup.toml", "--out", "d"]),
        "expected each key once",
    );
    let bad_level = SWEEP.replace("[0.2, 0.5, 0.8]", "[0.2, 0.5, 1.5]");
    fs::write(t.join("lvl.toml"), bad_level).unwrap();
    let out = collabgov(t, &["sweep", "lvl.toml", "--out", "l"]);
    refused(
        &out,
        "lvl.toml, line 9, key `factors[0].values`: factor parameters.silo = 1.5",
    );
    assert!(!t.join("l").exists(), "no point ran");
    for resamples in ["4000000000", "0"] {
        let boot = SWEEP.replace("seed = 3", &format!("seed = 3\nbootstrap = {resamples}"));
        fs::write(t.join("boot.toml"), boot).unwrap();
        refused(
            &collabgov(t, &["sweep", "boot.toml", "--out", "b"]),
            "bootstrap resamples",
        );
    }
}

#[test]
fn merge_checks_every_row() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    sweep_dir(t);
    for k in 1..=2 {
        ok(&collabgov(
            t,
            &[
                "sweep",
                "s.toml",
                "--out",
                "m",
                "--shard",
                &format!("{k}/2"),
            ],
        ));
    }
    let part = t.join("m/points.part-1-of-2.csv");
    let good = fs::read_to_string(&part).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    // A finished shard's table replaced by a well-formed one of another plan (the same
    // header, other numbers) is refused: its sidecar holds the finished table's hash.
    let sidecar_path = t.join("m/points.part-1-of-2.json");
    let finished = fs::read_to_string(&sidecar_path).unwrap();
    assert!(finished.contains("finished_sha256"), "{finished}");
    let foreign: String = good
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l}\n")
            } else {
                let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
                let last = f.len() - 1;
                f[last] = "0.5".into();
                format!("{}\n", f.join(","))
            }
        })
        .collect();
    fs::write(&part, &foreign).unwrap();
    refused(
        &collabgov(t, &["merge", "m", "--no-charts"]),
        "is not the table its shard finished",
    );
    // Without the finished hash (an unfinished shard, or an older sidecar) every row is
    // checked by file and line.
    let unfinished: serde_json::Value = serde_json::from_str(&finished).unwrap();
    let unfinished = serde_json::json!({
        "fingerprint": unfinished["fingerprint"],
        "collabgov_version": unfinished["collabgov_version"],
    });
    fs::write(&sidecar_path, unfinished.to_string()).unwrap();
    // A truncated row, a row of garbage, a conflicting duplicate: each named by file and line.
    let truncated = good.trim_end_matches('\n').to_string();
    fs::write(&part, &truncated).unwrap();
    refused(
        &collabgov(t, &["merge", "m", "--no-charts"]),
        &format!(
            "points.part-1-of-2.csv, line {}: the row is incomplete",
            lines.len()
        ),
    );
    let garbage = format!("{good}zzz,1,2\n");
    fs::write(&part, garbage).unwrap();
    refused(
        &collabgov(t, &["merge", "m", "--no-charts"]),
        &format!("points.part-1-of-2.csv, line {}: expected", lines.len() + 1),
    );
    let fields: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    let mut changed = fields.clone();
    changed[3] = "0.123".into();
    let conflict = format!("{good}{}\n", changed.join(","));
    fs::write(&part, conflict).unwrap();
    refused(
        &collabgov(t, &["merge", "m", "--no-charts"]),
        "point 0 has two different rows",
    );
    lines.truncate(lines.len());
    fs::write(&part, &good).unwrap();
    // A crash between the sidecar and points.csv; merging again completes.
    let crashed = collabgov_env(
        t,
        &["merge", "m", "--no-charts"],
        &[("COLLABGOV_FAULT", "crash:merge-sidecar-written")],
    );
    assert_eq!(crashed.status.code(), Some(86));
    ok(&collabgov(t, &["merge", "m", "--no-charts"]));
    ok(&collabgov(
        t,
        &["sweep", "s.toml", "--out", "one", "--no-charts"],
    ));
    assert_eq!(
        fs::read_to_string(t.join("m/points.csv")).unwrap(),
        fs::read_to_string(t.join("one/points.csv")).unwrap()
    );
    // A hostile point count is refused before anything is allocated.
    let json = fs::read_to_string(t.join("m/sweep.json")).unwrap();
    fs::write(
        t.join("m/sweep.json"),
        json.replace("\"points\": 6", "\"points\": 1000000000000000"),
    )
    .unwrap();
    refused(
        &collabgov(t, &["merge", "m"]),
        "expected 1 to 10000000 points",
    );
}

#[test]
fn bad_inputs_are_refused_quickly_and_briefly() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // A FIFO or a device as an input file: refused at once, never read.
    let fifo = t.join("fifo.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for file in ["fifo.csv", "/dev/zero"] {
        fs::write(
            t.join("f.toml"),
            format!("name = \"f\"\nactors_file = \"{file}\"\n[[sectors]]\nname = \"a\"\n"),
        )
        .unwrap();
        refused(
            &collabgov(t, &["validate", "f.toml"]),
            "expected a regular file",
        );
    }
    // [forum] values are checked.
    fs::write(t.join("g.toml"), "name = \"g\"\n[[sectors]]\nname = \"a\"\nagencies = 2\n[forum]\ninitiated_by = \"non-state\"\n").unwrap();
    refused(
        &collabgov(t, &["validate", "g.toml"]),
        "g.toml, line 6, key `forum.initiated_by`",
    );
    // A huge header is quoted briefly, and the first line of a file is not echoed whole.
    let header = "q".repeat(1_000_000);
    fs::write(t.join("actors.csv"), format!("{header}\nx\n")).unwrap();
    fs::write(
        t.join("h.toml"),
        "name = \"h\"\nactors_file = \"actors.csv\"\n[[sectors]]\nname = \"a\"\n",
    )
    .unwrap();
    let out = collabgov(t, &["validate", "h.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.len() < 3_000,
        "{} bytes of error",
        out.stderr.len()
    );
    // A file that is not an actor CSV (a password file, say) does not have its first line
    // echoed.
    fs::write(
        t.join("secret.txt"),
        "root:SECRETHASH:0:0:root:/root:/bin/bash\n",
    )
    .unwrap();
    fs::write(
        t.join("s.toml"),
        "name = \"s\"\nactors_file = \"secret.txt\"\n[[sectors]]\nname = \"a\"\n",
    )
    .unwrap();
    let out = collabgov(t, &["validate", "s.toml"]);
    refused(&out, "is secret.txt an actor CSV?");
    assert!(
        !text(&out.stderr).contains("SECRETHASH"),
        "{}",
        text(&out.stderr)
    );
    // plot of a corrupt rounds.csv: a clear error, not an abort.
    ok(&run_into(t, "r", &[]));
    let rounds = fs::read_to_string(t.join("r/rounds.csv")).unwrap();
    fs::write(
        t.join("r/rounds.csv"),
        format!("{rounds}4294967295,trust,all,0.5,0,0.5,0.5,0.5,3\n"),
    )
    .unwrap();
    refused(&collabgov(t, &["plot", "r"]), "rounds.csv, line");
    // --all-actors on a run too big to keep is refused before it runs.
    let big = collabgov(
        t,
        &[
            "run",
            "default",
            "--all-actors",
            "--replicates",
            "3000000",
            "--rounds",
            "1",
            "--set",
            "sectors[0].agencies=3000",
            "--out",
            "big",
        ],
    );
    refused(&big, "--all-actors");
    assert!(!t.join("big").exists());
}

#[test]
fn overrides_mean_what_the_file_means() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(&collabgov(
        t,
        &[
            "run",
            "siloed-government",
            "--out",
            "s1",
            "--replicates",
            "2",
            "--rounds",
            "5",
            "--no-charts",
        ],
    ));
    ok(&collabgov(
        t,
        &[
            "run",
            "siloed-government",
            "--seed",
            "2",
            "--out",
            "s2",
            "--replicates",
            "2",
            "--rounds",
            "5",
            "--no-charts",
        ],
    ));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(t.join("s2/run.json")).unwrap()).unwrap();
    assert_eq!(json["seed"], 2);
    assert_eq!(json["scenario"]["seed"], 2);
    assert_ne!(
        fs::read_to_string(t.join("s1/network.csv")).unwrap(),
        fs::read_to_string(t.join("s2/network.csv")).unwrap(),
        "--seed draws a new network"
    );
    // --set takes key paths, and names the output folder through `name`.
    ok(&collabgov(
        t,
        &[
            "run",
            "default",
            "--set",
            "parameters.silo=0.9",
            "--set",
            "name=silo-high",
            "--replicates",
            "2",
            "--rounds",
            "5",
            "--no-charts",
        ],
    ));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(t.join("output/silo-high/run.json")).unwrap())
            .unwrap();
    assert_eq!(json["scenario"]["parameters"]["silo"], 0.9);
    refused(
        &collabgov(t, &["run", "default", "--set", "parameters.silo=1.5"]),
        "--set parameters.silo",
    );
}

#[test]
fn rounds_skip_interventions_and_names_stay_distinct() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // --rounds says which interventions it skips, and run.json holds only what ran.
    let out = collabgov(
        t,
        &[
            "run",
            "whole-of-government",
            "--rounds",
            "20",
            "--replicates",
            "2",
            "--no-charts",
            "--out",
            "w",
        ],
    );
    ok(&out);
    assert!(
        text(&out.stderr).contains("interventions[1] (task_force from round 30) is skipped"),
        "{}",
        text(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(t.join("w/run.json")).unwrap()).unwrap();
    assert_eq!(json["interventions"].as_array().unwrap().len(), 0);
    // Distinct names get distinct folders; a comma in a name gives a valid compare.csv.
    ok(&collabgov(
        t,
        &[
            "run",
            "default",
            "--set",
            "name=a/b",
            "--replicates",
            "2",
            "--rounds",
            "5",
            "--no-charts",
        ],
    ));
    ok(&collabgov(
        t,
        &[
            "run",
            "default",
            "--set",
            "name=a:b",
            "--replicates",
            "2",
            "--rounds",
            "5",
            "--no-charts",
        ],
    ));
    let folders: Vec<String> = fs::read_dir(t.join("output"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("a-b"))
        .collect();
    assert_eq!(folders.len(), 2, "{folders:?}");
    fs::write(t.join("ab.toml"), "name = \"a, b\"\nrounds = 5\nreplicates = 2\n[[sectors]]\nname = \"x\"\nagencies = 3\nngo = 2\n").unwrap();
    ok(&collabgov(
        t,
        &[
            "compare",
            "ab.toml",
            "default",
            "--replicates",
            "2",
            "--rounds",
            "5",
            "--out",
            "c",
        ],
    ));
    let mut reader = csv::Reader::from_path(t.join("c/compare.csv")).unwrap();
    let names: std::collections::BTreeSet<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(names.into_iter().collect::<Vec<_>>(), ["a, b", "default"]);
}

#[test]
fn the_memory_estimate_is_within_a_quarter_of_the_measured_peak() {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    if !status.contains("VmHWM") {
        eprintln!("no VmHWM on this system: nothing to measure");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let cases: &[(usize, f64, &[&str])] = &[
        (8_000, 10.0, &[]),
        (24_000, 4.0, &[]),
        (60_000, 10.0, &[]),
        (40_000, 40.0, &[]),
        (40_000, 10.0, &["--replicates", "12", "--rounds", "20"]),
        (40_000, 10.0, &["--replicates", "10", "--all-actors"]),
        (40_000, 4.0, &["--network"]),
        // Many rounds of a small forum: the rounds table is most of the peak.
        (200, 4.0, &["--rounds", "60000"]),
        // The national scenario (levels of government, services, units.csv).
        (0, 0.0, &["--replicates", "8", "--rounds", "20"]),
    ];
    for (i, (n, degree, extra)) in cases.iter().enumerate() {
        fs::write(
            t.join("m.toml"),
            collabgov_sim::bench::sbm_toml(*n as u64, *degree, 1, 1),
        )
        .unwrap();
        let out = format!("o{i}");
        let mut args = vec![
            "run",
            if *n == 0 { "indonesia" } else { "m.toml" },
            "--out",
            &out,
            "--no-charts",
            "--threads",
            "2",
        ];
        args.extend_from_slice(extra);
        ok(&collabgov(t, &args));
        let json: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(t.join(&out).join("run.json")).unwrap())
                .unwrap();
        let peak = json["peak_memory_bytes"].as_f64().unwrap();
        let estimate = json["estimated_memory_bytes"].as_f64().unwrap();
        let ratio = estimate / peak;
        eprintln!("{n} actors, degree {degree}, {extra:?}: estimate / peak = {ratio:.2}");
        assert!(
            (0.75..=1.25).contains(&ratio),
            "{n} actors, degree {degree}, {extra:?}: estimated {:.0} MiB, measured {:.0} MiB",
            estimate / 1048576.0,
            peak / 1048576.0
        );
    }
}

#[test]
fn a_sweep_with_services_streams_resumes_and_draws_its_heatmaps() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::write(
        t.join("s.toml"),
        "name = \"sv\"\nbase = \"services-one-door\"\ndesign = \"grid\"\nreplicates = 4\nrounds = 30\nseed = 9\n\
         [[factors]]\nkey = \"services.requests\"\nvalues = [0.3, 0.6]\n\
         [[factors]]\nkey = \"parameters.legal_clarity\"\nvalues = [0.2, 0.6, 1.0]\n",
    )
    .unwrap();
    let args = ["sweep", "s.toml", "--out", "ref", "--threads", "1"];
    ok(&collabgov(t, &args));
    let reference = fs::read_to_string(t.join("ref/points.csv")).unwrap();
    let header = reference.lines().next().unwrap();
    for column in [
        "service_time_mean",
        "trips_q975",
        "backlog_mean",
        "policy_inconsistency_sd",
    ] {
        assert!(header.contains(column), "{column} missing from {header}");
    }
    for map in ["heatmap-service_time_mean.png", "heatmap-trips_mean.png"] {
        assert!(t.join("ref").join(map).is_file(), "{map}");
    }
    let crashed = collabgov_env(
        t,
        &[
            "sweep",
            "s.toml",
            "--out",
            "k",
            "--no-charts",
            "--threads",
            "1",
        ],
        &[("COLLABGOV_FAULT", "crash:sweep-mid-row")],
    );
    assert_eq!(crashed.status.code(), Some(86));
    ok(&collabgov(
        t,
        &["sweep", "s.toml", "--out", "k", "--no-charts"],
    ));
    assert_eq!(
        fs::read_to_string(t.join("k/points.csv")).unwrap(),
        reference
    );
}

#[test]
fn two_scenario_names_never_share_a_default_folder() {
    // `River Basin` is written to a hashed folder; a scenario named exactly that folder's
    // name must get a folder of its own, not replace the first run.
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let scenario = |name: &str| {
        format!(
            "name = \"{name}\"\nreplicates = 2\nrounds = 3\n[[sectors]]\nname = \"a\"\nagencies = 2\nngo = 2\n"
        )
    };
    fs::write(t.join("a.toml"), scenario("River Basin")).unwrap();
    ok(&collabgov(t, &["run", "a.toml", "--no-charts"]));
    let folders = |t: &Path| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(t.join("output"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    let first = folders(t);
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(first[0].starts_with("river-basin."), "{first:?}");
    fs::write(t.join("b.toml"), scenario(&first[0])).unwrap();
    ok(&collabgov(t, &["run", "b.toml", "--no-charts"]));
    let both = folders(t);
    assert_eq!(both.len(), 2, "{both:?}");
    let manifest = fs::read_to_string(t.join("output").join(&first[0]).join("run.json")).unwrap();
    assert!(manifest.contains("\"River Basin\""), "{manifest}");
}

// The second hostile review: each data-loss finding provoked.

/// `compare default siloed-government --out OUT` with 2 replicates of 5 rounds.
fn compare_into(dir: &Path, out: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "compare",
        "default",
        "siloed-government",
        "--out",
        out,
        "--replicates",
        "2",
        "--rounds",
        "5",
    ];
    args.extend_from_slice(extra);
    collabgov(dir, &args)
}

#[test]
fn a_forced_write_never_makes_a_later_plain_write_destructive() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::create_dir(t.join("thesis")).unwrap();
    fs::write(t.join("thesis/draft.txt"), "my draft").unwrap();
    ok(&run_into(t, "thesis", &["--force"]));
    assert!(t.join("thesis/run.json").is_file());
    // The folder now holds a run.json, and still the user's draft: a plain write refuses.
    refused(
        &run_into(t, "thesis", &[]),
        "draft.txt, which collabgov did not write",
    );
    refused(
        &compare_into(t, "thesis", &[]),
        "not a collabgov comparison folder",
    );
    refused(
        &collabgov(t, &["assess", "siloed-government", "--out", "thesis"]),
        "not a collabgov assessment folder",
    );
    ok(&run_into(t, "thesis", &["--force", "--replicates", "4"]));
    assert_eq!(
        fs::read_to_string(t.join("thesis/draft.txt")).unwrap(),
        "my draft"
    );
    // A forced write that fails half way leaves no manifest: the manifest moves in last.
    fs::create_dir(t.join("notes")).unwrap();
    fs::write(t.join("notes/mine.txt"), "mine").unwrap();
    let args = run_args("notes", &["--force"]);
    let crashed = collabgov_env(t, &args, &[("COLLABGOV_FAULT", "crash:into-first-moved")]);
    assert_eq!(crashed.status.code(), Some(86), "{}", text(&crashed.stderr));
    assert!(!t.join("notes/run.json").exists());
    refused(&run_into(t, "notes", &[]), "not a collabgov run folder");
    assert_eq!(
        fs::read_to_string(t.join("notes/mine.txt")).unwrap(),
        "mine"
    );
    // A manifest of an earlier version, which listed no files, is not taken for ours.
    fs::create_dir(t.join("old")).unwrap();
    fs::write(t.join("old/run.json"), r#"{"collabgov_version": "0.1.0"}"#).unwrap();
    fs::write(t.join("old/chapter.txt"), "mine").unwrap();
    refused(&run_into(t, "old", &[]), "did not list the files it wrote");
    assert_eq!(
        fs::read_to_string(t.join("old/chapter.txt")).unwrap(),
        "mine"
    );
    // Our own folder, holding only what its manifest lists, is still replaced whole.
    ok(&run_into(t, "mine", &[]));
    ok(&run_into(t, "mine", &["--replicates", "4"]));
    assert_complete(&t.join("mine"), 4);
}

#[test]
fn a_target_that_changes_while_the_work_runs_is_not_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(&run_into(t, "out", &[]));
    // The user's notes appear in the target after the start, before the commit.
    let args = run_args("out", &["--replicates", "4"]);
    let touched = collabgov_env(
        t,
        &args,
        &[("COLLABGOV_FAULT", "touch:before-commit:out/notes.txt")],
    );
    refused(&touched, "changed while collabgov worked");
    assert!(t.join("out/notes.txt").is_file());
    assert_complete(&t.join("out"), 3);
    // The finished run is kept beside it, not lost.
    let kept: Vec<_> = fs::read_dir(t)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("out.new-"))
        .collect();
    assert_eq!(kept.len(), 1, "{}", text(&touched.stderr));
    assert_complete(&kept[0].path(), 4);
    // A sweep takes the same lock as a run: neither writes while the other does.
    sweep_dir(t);
    let lock = fs::File::create(t.join(".held.lock")).unwrap();
    lock.lock().unwrap();
    refused(
        &collabgov(t, &["sweep", "s.toml", "--out", "held", "--no-charts"]),
        "another collabgov command is writing held",
    );
    drop(lock);
    ok(&collabgov(
        t,
        &["sweep", "s.toml", "--out", "held", "--no-charts"],
    ));
    // A sweep's shards hold it shared, which a run cannot take.
    let lock = fs::File::create(t.join(".fresh.lock")).unwrap();
    lock.lock_shared().unwrap();
    refused(
        &run_into(t, "fresh", &[]),
        "another collabgov command is writing fresh",
    );
}

#[test]
fn a_folder_that_cannot_be_listed_is_never_taken_for_a_missing_one() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::set_permissions(t, fs::Permissions::from_mode(0o777)).unwrap();
    fs::create_dir(t.join("secret")).unwrap();
    fs::write(t.join("secret/data.txt"), "precious").unwrap();
    // Traversable, not listable; root lists anything, so as root the command runs as
    // `nobody` (a copy of the binary in the test folder, which anyone may run).
    fs::set_permissions(t.join("secret"), fs::Permissions::from_mode(0o311)).unwrap();
    let bin = t.join("collabgov");
    fs::copy(env!("CARGO_BIN_EXE_collabgov"), &bin).unwrap();
    let root = uid() == 0;
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    let out = cmd
        .current_dir(t)
        .args(run_args("secret", &[]))
        .output()
        .unwrap();
    refused(&out, "cannot list this folder");
    fs::set_permissions(t.join("secret"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        fs::read_to_string(t.join("secret/data.txt")).unwrap(),
        "precious"
    );
    assert!(leftovers(t).is_empty(), "{:?}", leftovers(t));
}

/// This process's user id, from `/proc/self/status` (no libc in the tests).
fn uid() -> u32 {
    fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|u| u.parse().ok())
        .unwrap()
}

#[test]
fn an_earlier_comparison_moved_aside_is_put_back_never_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(&compare_into(t, "x", &[]));
    let crashed = collabgov_env(
        t,
        &[
            "compare",
            "default",
            "siloed-government",
            "--out",
            "x",
            "--replicates",
            "3",
            "--rounds",
            "5",
        ],
        &[("COLLABGOV_FAULT", "crash:commit-old-moved")],
    );
    assert_eq!(crashed.status.code(), Some(86), "{}", text(&crashed.stderr));
    assert!(!t.join("x").exists());
    // A run of that name puts the comparison back, then refuses to replace it.
    let run = run_into(t, "x", &[]);
    refused(&run, "not a collabgov run folder");
    assert!(
        text(&run.stderr).contains("put back"),
        "{}",
        text(&run.stderr)
    );
    assert!(t.join("x/compare.json").is_file() && t.join("x/compare.csv").is_file());
    assert!(leftovers(t).is_empty(), "{:?}", leftovers(t));
}

#[test]
fn a_sweep_never_overwrites_a_users_files_of_a_sweeps_names() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    sweep_dir(t);
    fs::create_dir(t.join("analysis")).unwrap();
    for name in ["sobol.csv", "sweep.png", "points.parquet"] {
        fs::write(t.join("analysis").join(name), "mine").unwrap();
        let out = collabgov(t, &["sweep", "s.toml", "--out", "analysis"]);
        refused(&out, &format!("holds {name}"));
        assert_eq!(
            fs::read_to_string(t.join("analysis").join(name)).unwrap(),
            "mine"
        );
        fs::remove_file(t.join("analysis").join(name)).unwrap();
    }
    assert!(!t.join("analysis/points.csv").exists());
}

#[test]
fn lock_files_are_never_followed_or_truncated() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::write(t.join("victim.txt"), "precious").unwrap();
    std::os::unix::fs::symlink("victim.txt", t.join(".out.lock")).unwrap();
    refused(&run_into(t, "out", &[]), "lock file");
    assert_eq!(
        fs::read_to_string(t.join("victim.txt")).unwrap(),
        "precious"
    );
    fs::remove_file(t.join(".out.lock")).unwrap();
    fs::hard_link(t.join("victim.txt"), t.join(".out.lock")).unwrap();
    refused(&run_into(t, "out", &[]), "a hard link");
    assert_eq!(
        fs::read_to_string(t.join("victim.txt")).unwrap(),
        "precious"
    );
    assert!(!t.join("out").exists());
}

#[test]
fn tables_never_carry_a_spreadsheet_formula() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::write(
        t.join("actors.csv"),
        "id,kind,sector,name\n=cmd,agency,a,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n@sum,ngo,a,+plus\n-minus,agency,c,ok\nplain,ngo,c,fine\n",
    )
    .unwrap();
    fs::write(
        t.join("f.toml"),
        "name = \"f\"\nreplicates = 2\nrounds = 3\nactors_file = \"actors.csv\"\n[[sectors]]\nname = \"a\"\n[[sectors]]\nname = \"c\"\n",
    )
    .unwrap();
    ok(&collabgov(t, &["run", "f.toml", "--out", "o"]));
    let actors = fs::read_to_string(t.join("o/actors.csv")).unwrap();
    let network = fs::read_to_string(t.join("o/network.csv")).unwrap();
    for table in [&actors, &network] {
        for cell in table.lines().flat_map(|l| l.split(',')) {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a formula cell: {cell}\n{table}"
            );
        }
    }
    assert!(actors.contains("'=cmd") && actors.contains("'@sum") && actors.contains("'+plus"));
    // collabgov's own readers take the quote off again: the charts redraw, and the
    // report names the actors as they are.
    ok(&collabgov(t, &["plot", "o", "--out", "charts"]));
    ok(&collabgov(t, &["report", "o", "--out", "r.html"]));
}

#[test]
fn a_tampered_comparison_puts_no_script_into_its_report() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(&compare_into(t, "cmp", &[]));
    fs::write(
        t.join("cmp/compare.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert('x')</script></svg>",
    )
    .unwrap();
    ok(&collabgov(t, &["report", "cmp", "--out", "r.html"]));
    let html = fs::read_to_string(t.join("r.html")).unwrap();
    assert!(
        !html.contains("<script>alert"),
        "the tampered picture was inlined"
    );
    assert!(
        html.contains("<svg"),
        "the overlay is drawn from the tables"
    );
}

#[test]
fn plot_and_report_never_replace_another_outputs_files_and_list_what_they_add() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(&run_into(t, "a", &[]));
    ok(&run_into(t, "b", &["--seed", "9"]));
    ok(&collabgov(t, &["plot", "b"]));
    let b_chart = fs::read(t.join("b/overview.png")).unwrap();
    // plot A --out B would replace B's own charts.
    refused(
        &collabgov(t, &["plot", "a", "--out", "b"]),
        "another collabgov output",
    );
    assert_eq!(fs::read(t.join("b/overview.png")).unwrap(), b_chart);
    // Charts and a report written into a run's folder join its list of files, so the
    // next plain run still replaces the folder whole.
    ok(&collabgov(t, &["report", "a"]));
    ok(&collabgov(t, &["plot", "a"]));
    let manifest = fs::read_to_string(t.join("a/run.json")).unwrap();
    assert!(manifest.contains("\"report.html\"") && manifest.contains("\"overview.png\""));
    ok(&run_into(t, "a", &["--replicates", "4"]));
    assert_complete(&t.join("a"), 4);
}

#[test]
fn a_damaged_grid_sweep_is_refused_not_drawn_with_rows_squared_cells() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    sweep_dir(t);
    ok(&collabgov(
        t,
        &["sweep", "s.toml", "--out", "sw", "--no-charts"],
    ));
    let text = fs::read_to_string(t.join("sw/points.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let columns: Vec<&str> = header.split(',').collect();
    let silo = columns
        .iter()
        .position(|c| *c == "parameters.silo")
        .unwrap();
    let leadership = columns
        .iter()
        .position(|c| *c == "parameters.leadership")
        .unwrap();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    // Twenty thousand rows, each with levels of its own: 400 million cells if drawn.
    let mut damaged = format!("{header}\n");
    for i in 0..20_000 {
        let mut r: Vec<String> = row.iter().map(|s| s.to_string()).collect();
        r[0] = (i % 6).to_string();
        r[silo] = format!("{}", i as f64 / 20_000.0);
        r[leadership] = format!("{}", 1.0 - i as f64 / 20_000.0);
        damaged.push_str(&r.join(","));
        damaged.push('\n');
    }
    fs::write(t.join("sw/points.csv"), damaged).unwrap();
    refused(&collabgov(t, &["plot", "sw"]), "is points.csv damaged?");
}

#[test]
fn a_summary_lost_to_a_full_device_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_collabgov"))
        .current_dir(tmp.path())
        .args(run_args("o", &[]))
        .stdout(full)
        .output()
        .unwrap();
    refused(&out, "cannot write to standard output");
}

#[test]
fn tables_cut_short_are_refused_not_drawn() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(&run_into(t, "o", &[]));
    let replicates = fs::read_to_string(t.join("o/replicates.csv")).unwrap();
    let header = replicates.lines().next().unwrap().to_string();
    let rounds = fs::read_to_string(t.join("o/rounds.csv")).unwrap();
    // Header only; one replicate missing; the last rounds missing.
    let cut: Vec<(&str, String, &str)> = vec![
        ("replicates.csv", format!("{header}\n"), "found none"),
        (
            "replicates.csv",
            replicates
                .lines()
                .take(3)
                .map(|l| format!("{l}\n"))
                .collect(),
            "expected 3 replicates",
        ),
        (
            "rounds.csv",
            rounds
                .lines()
                .filter(|l| !l.starts_with("8,"))
                .map(|l| format!("{l}\n"))
                .collect(),
            "expected rounds up to 8",
        ),
    ];
    for (file, text, needle) in cut {
        ok(&run_into(t, "o", &[]));
        fs::write(t.join("o").join(file), text).unwrap();
        refused(&collabgov(t, &["plot", "o"]), needle);
        refused(&collabgov(t, &["report", "o"]), needle);
    }
}

#[test]
fn a_report_says_when_the_runs_input_files_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::write(t.join("actors.csv"), actors(12)).unwrap();
    fs::write(
        t.join("f.toml"),
        "name = \"f\"\nreplicates = 2\nrounds = 3\nactors_file = \"actors.csv\"\n[[sectors]]\nname = \"a\"\n[[sectors]]\nname = \"c\"\n",
    )
    .unwrap();
    ok(&collabgov(
        t,
        &["run", "f.toml", "--out", "o", "--no-charts"],
    ));
    ok(&collabgov(t, &["report", "o", "--out", "same.html"]));
    let same = fs::read_to_string(t.join("same.html")).unwrap();
    assert!(!same.contains("changed since the run"));
    assert!(same.contains("12 actors"), "the forum is described");
    // Another forum in the same file name: the report must not describe it as the run's.
    fs::write(t.join("actors.csv"), actors(30)).unwrap();
    ok(&collabgov(t, &["report", "o", "--out", "changed.html"]));
    let changed = fs::read_to_string(t.join("changed.html")).unwrap();
    assert!(
        changed.contains("actors.csv changed since the run"),
        "no note"
    );
    assert!(
        !changed.contains("30 actors"),
        "today's file described as the run's forum"
    );
}

#[test]
fn plot_on_a_full_disk_leaves_the_earlier_charts_not_a_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(&run_into(t, "o", &[]));
    ok(&collabgov(t, &["plot", "o"]));
    let before: Vec<Vec<u8>> = ["overview.png", "metric-trust.png", "consensus.png"]
        .iter()
        .map(|f| fs::read(t.join("o").join(f)).unwrap())
        .collect();
    // Redrawn in another style, the disk full at the ninth chart.
    let full = collabgov_env(
        t,
        &["plot", "o", "--style", "paper"],
        &[("COLLABGOV_FAULT", "write-error:consensus.png")],
    );
    refused(&full, "no space left on device");
    let after: Vec<Vec<u8>> = ["overview.png", "metric-trust.png", "consensus.png"]
        .iter()
        .map(|f| fs::read(t.join("o").join(f)).unwrap())
        .collect();
    assert!(
        before == after,
        "some charts were replaced before the failure"
    );
    assert!(leftovers(t).is_empty(), "{:?}", leftovers(t));
    let staged: Vec<_> = fs::read_dir(t)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".plot-"))
        .collect();
    assert!(staged.is_empty(), "a staging folder was left behind");
}

#[test]
fn a_comparisons_report_refuses_a_compared_folder_that_holds_another_run() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(&run_into(t, "a", &[]));
    ok(&run_into(t, "b", &["--seed", "9"]));
    ok(&collabgov(
        t,
        &[
            "compare", "a", "b", "--label", "one", "--label", "two", "--out", "ab",
        ],
    ));
    ok(&collabgov(t, &["report", "ab", "--out", "r1.html"]));
    // `a` now holds another run: the comparison's report would show its provenance.
    ok(&run_into(t, "a", &["--seed", "5"]));
    refused(
        &collabgov(t, &["report", "ab", "--out", "r2.html"]),
        "no longer holds the run this comparison compared",
    );
}
