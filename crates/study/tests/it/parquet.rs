//! Parquet tables (feature `parquet`): every table a run or a sweep writes comes back from
//! its Parquet file as the very same CSV bytes.

#![cfg(feature = "parquet")]
#![allow(clippy::unwrap_used)]

use collabgov_core::Scenario;
use collabgov_core::scenario::no_files;
use collabgov_sim::{CancelToken, RunOptions, run};
use collabgov_study::bundled::BUNDLED;
use collabgov_study::columnar::{csv_to_parquet, parquet_to_csv};
use collabgov_study::output::RunTables;
use collabgov_study::sweep::{PointsOptions, run_points};

fn round_trip(name: &str, csv_text: &[u8]) {
    let mut parquet = Vec::new();
    csv_to_parquet(name, csv_text, &mut parquet).unwrap();
    // Parquet's magic number at both ends.
    assert_eq!(&parquet[..4], b"PAR1", "{name}");
    assert_eq!(&parquet[parquet.len() - 4..], b"PAR1", "{name}");
    let back = parquet_to_csv(name, parquet).unwrap();
    assert!(
        back == csv_text,
        "{name}: the CSV read back from Parquet differs:\n{}\n---\n{}",
        String::from_utf8_lossy(&back[..back.len().min(400)]),
        String::from_utf8_lossy(&csv_text[..csv_text.len().min(400)])
    );
}

fn bundled(name: &str) -> &'static str {
    BUNDLED.iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn parquet_every_run_table_comes_back_byte_for_byte() {
    let text = bundled("services-one-door");
    let scenario = Scenario::parse(&format!("{text}\n"), "s.toml", &no_files).unwrap();
    let mut scenario = scenario;
    scenario.replicates = 6;
    let options = RunOptions {
        all_actors: true,
        ..Default::default()
    };
    let tables = RunTables::from_run(&scenario, &run(&scenario, &options));
    type Writer = fn(&RunTables, &mut dyn std::io::Write) -> std::io::Result<()>;
    let writers: [(&str, Writer); 5] = [
        ("rounds", RunTables::write_rounds),
        ("replicates", RunTables::write_replicates),
        ("actors", RunTables::write_actors),
        ("network", RunTables::write_network),
        ("activities", RunTables::write_activities),
    ];
    for (name, write) in writers {
        let mut csv_text = Vec::new();
        write(&tables, &mut csv_text).unwrap();
        assert!(csv_text.len() > 200, "{name} is too small to test");
        round_trip(name, &csv_text);
    }
}

#[test]
fn parquet_points_table_comes_back_byte_for_byte() {
    let keys = vec![
        "parameters.silo".to_string(),
        "parameters.leadership".to_string(),
    ];
    let points: Vec<Vec<f64>> = (0..12)
        .map(|i| vec![f64::from(i) / 11.0, 0.3 + f64::from(i % 3) * 0.2])
        .collect();
    let text = run_points(
        bundled("siloed-government"),
        "siloed-government.toml",
        &no_files,
        &keys,
        &points,
        PointsOptions {
            seed: 7,
            replicates: 4,
            rounds: Some(30),
            per_replicate: false,
        },
        &CancelToken::new(),
    )
    .unwrap()
    .points;
    round_trip("points", text.as_bytes());
}

#[test]
fn parquet_a_damaged_table_is_an_error_never_a_panic_or_an_abort() {
    let mut csv_text = String::from("round,metric,mean\n");
    for r in 0..3000 {
        csv_text.push_str(&format!("{r},trust,0.{r}\n"));
    }
    let mut parquet = Vec::new();
    csv_to_parquet("t.csv", csv_text.as_bytes(), &mut parquet).unwrap();
    let mut errors = 0;
    // Every byte of the footer and a sample of the data, each set to values that make
    // lengths and counts huge or negative; and the file cut at many places.
    let footer = parquet.len().saturating_sub(600);
    let positions = (0..footer).step_by(37).chain(footer..parquet.len());
    for at in positions {
        for value in [0xff, 0x7f, 0x00, 0x80] {
            let mut bad = parquet.clone();
            bad[at] = value;
            match parquet_to_csv("t.csv", bad) {
                Ok(text) => assert!(text.len() < 64 << 20, "byte {at}: {} bytes", text.len()),
                Err(e) => {
                    assert!(e.to_string().starts_with("t.csv: "), "{e}");
                    errors += 1;
                }
            }
        }
    }
    for cut in (0..parquet.len()).step_by(97) {
        assert!(
            parquet_to_csv("t.csv", parquet[..cut].to_vec()).is_err(),
            "cut at {cut}"
        );
    }
    assert!(
        errors > 100,
        "only {errors} of the damaged files were refused"
    );
}
