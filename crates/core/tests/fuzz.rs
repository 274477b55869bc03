//! Parser fuzzing with proptest: arbitrary text and mutations of real scenario files must be
//! accepted or refused with an error that names where and why; never a panic. The corpus of
//! interesting inputs in `tests/corpus/` runs every time. `FUZZ_CASES` sets the number of
//! generated cases (default 300; the long campaign in docs/reliability.md used more).

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use collabgov_core::Scenario;
use proptest::prelude::*;

const SEEDS: [&str; 4] = [
    include_str!("../../../scenarios/default.toml"),
    include_str!("../../../scenarios/whole-of-government.toml"),
    include_str!("../../../scenarios/power-imbalance.toml"),
    "name = \"e\"\n[[sectors]]\nname = \"a\"\nagencies = 2\nngo = 1\n[network]\ntype = \"edges\"\nfile = \"e.csv\"\n",
];

const TOKENS: [&str; 28] = [
    "=",
    "[[",
    "]]",
    "[",
    "]",
    "\"",
    "nan",
    "inf",
    "-inf",
    "-1",
    "1e400",
    "0",
    "4294967295",
    "99999999999",
    "{",
    "}",
    ",",
    "\n",
    "#",
    "agencies = 400000",
    "type = \"small_world\"",
    "type = \"edges\"",
    "uniform(0.5, 0.1)",
    "beta(0, 0)",
    "normal(1, -1)",
    "issues = 0",
    "[[interventions]]\ntype = \"task_force\"\nfrom = 1\nuntil = 0\nsectors = []",
    "\u{feff}",
];

fn files() -> HashMap<String, String> {
    let mut f = HashMap::new();
    f.insert(
        "e.csv".to_string(),
        "source,target,trust\na-agency-1,a-ngo-1,0.5\n".to_string(),
    );
    f
}

/// Parses, and checks that a refusal says where (file) and why (a message).
fn check(text: &str) {
    let f = files();
    let load = move |p: &str| f.get(p).cloned().ok_or_else(|| "no such file".to_string());
    if let Err(e) = Scenario::parse(text, "fuzz.toml", &load) {
        assert!(!e.message.is_empty(), "an error without a reason");
        assert!(
            e.file == "fuzz.toml" || e.file == "e.csv",
            "an error without its file: {e}"
        );
    }
}

fn mutate(seed: &str, edits: &[(usize, usize, usize)]) -> String {
    let mut text: Vec<char> = seed.chars().collect();
    for &(kind, pos, pick) in edits {
        let at = if text.is_empty() { 0 } else { pos % text.len() };
        match kind % 3 {
            0 => {
                let end = (at + pick % 12).min(text.len());
                text.drain(at..end);
            }
            1 => {
                let token: Vec<char> = TOKENS[pick % TOKENS.len()].chars().collect();
                text.splice(at..at, token);
            }
            _ => {
                if let Some(c) = text.get_mut(at) {
                    if c.is_ascii_digit() {
                        *c = char::from(b'0' + (pick % 10) as u8);
                    } else {
                        *c = ['.', '-', 'x', '9', ' ', '"'][pick % 6];
                    }
                }
            }
        }
    }
    text.into_iter().collect()
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn mutated_scenarios_never_panic(seed in 0usize..SEEDS.len(), edits in prop::collection::vec((0usize..3, 0usize..10_000, 0usize..1000), 1..8)) {
        check(&mutate(SEEDS[seed], &edits));
    }
}

#[test]
fn corpus_inputs_are_refused_or_accepted_without_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_string();
        check(&text);
        n += 1;
    }
    assert!(n >= 10, "the corpus holds {n} files");
}
