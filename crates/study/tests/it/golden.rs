//! Golden outputs: every file `collabgov run` writes (but `run.json`, which holds times)
//! for seven bundled scenarios that between them use every mechanism (silos, a task force
//! and added relations, a merger, low inclusiveness, services with a task force, mutual
//! aid) at a few replicates and rounds, a comparison and an assessment, compared byte for byte with the files committed in `tests/golden/`. A change
//! that means to move numbers regenerates them with
//!
//! ```sh
//! COLLABGOV_BLESS=1 cargo test -p collabgov-study --test it golden
//! ```
//!
//! and says why in its commit.

use std::fs;
use std::path::{Path, PathBuf};

use collabgov_core::Overrides;
use collabgov_sim::RunOptions;
use collabgov_study::artifacts::{self, Artifact};
use collabgov_study::ops::{self, Quiet, assess::MenuChoice, compare::Given};
use collabgov_study::source::Source;

/// Replicates and rounds of the golden runs (the assessment's baseline and practices run
/// twice the replicates).
const REPLICATES: u32 = 3;
const ROUNDS: u32 = 35;

/// The bundled scenarios pinned.
const CASES: [&str; 7] = [
    "default",
    "siloed-government",
    "whole-of-government",
    "capacity-gap",
    "inclusive-forum-low",
    "services-one-door-task-force",
    "assistance-mutual-aid",
];

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn overrides() -> Overrides {
    Overrides {
        replicates: Some(REPLICATES),
        rounds: Some(ROUNDS),
        ..Overrides::default()
    }
}

/// Compares (or with `COLLABGOV_BLESS` set, writes) each artifact under `folder`.
fn check(folder: &str, files: &[Artifact<'_>], failures: &mut Vec<String>) {
    let bless = std::env::var_os("COLLABGOV_BLESS").is_some();
    for a in files {
        let name = format!("{folder}/{}", a.csv_name());
        let path = golden_dir().join(&name);
        let bytes = a.bytes().unwrap_or_else(|e| panic!("{name}: {e}"));
        if bless {
            fs::create_dir_all(path.parent().expect("a folder")).expect("the golden folder");
            fs::write(&path, &bytes).expect("a golden file");
            continue;
        }
        match fs::read(&path) {
            Ok(expected) if expected == bytes => {}
            Ok(expected) => {
                let at = expected
                    .iter()
                    .zip(&bytes)
                    .position(|(a, b)| a != b)
                    .unwrap_or(expected.len().min(bytes.len()));
                let line = expected[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                failures.push(format!(
                    "{name}: differs from line {line} ({} bytes committed, {} now)",
                    expected.len(),
                    bytes.len()
                ));
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "outputs differ from tests/golden (regenerate with COLLABGOV_BLESS=1 only when the change means to move them):\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_file_of_the_pinned_bundled_runs_is_as_committed() {
    let pool = ops::pool(2).expect("a pool");
    let mut failures = Vec::new();
    for name in CASES {
        let loaded = Source::bundled(name)
            .and_then(|s| Ok(s.parse(&overrides())?))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let ran = ops::run::run(&loaded, &RunOptions::default(), &pool, &Quiet::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        check(
            &format!("run/{name}"),
            &artifacts::run_files(&ran.tables),
            &mut failures,
        );
    }
    report(failures);
}

#[test]
fn a_comparison_and_an_assessment_are_as_committed() {
    let pool = ops::pool(2).expect("a pool");
    let mut failures = Vec::new();
    let given = ["siloed-government", "whole-of-government"]
        .map(|n| {
            Given::ToRun(Box::new(
                Source::bundled(n)
                    .and_then(|s| Ok(s.parse(&overrides())?))
                    .expect("a bundled scenario"),
            ))
        })
        .into_iter()
        .collect();
    let compared = ops::compare::compare(given, &pool, &Quiet::default()).expect("the comparison");
    check(
        "compare",
        &artifacts::compare_files(&compared),
        &mut failures,
    );

    let source = Source::bundled("siloed-government").expect("a bundled scenario");
    let with = Overrides {
        replicates: Some(2 * REPLICATES),
        ..overrides()
    };
    let plan = ops::assess::plan(&source, &with, MenuChoice::Default { round: None })
        .expect("the default menu");
    let assessed = ops::assess::assess(&plan, &pool, &Quiet::default()).expect("the assessment");
    check(
        "assess",
        &artifacts::assess_files(&assessed, &plan),
        &mut failures,
    );
    report(failures);
}
