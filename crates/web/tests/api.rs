//! The page's API without a browser: a run's streamed tables equal the library's run of
//! the composed (downloadable) scenario byte for byte; caps and bad uploads give clear
//! errors; a closed page frees its place for the next run.

#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use collabgov_core::Scenario;
use collabgov_core::scenario::no_files;
use collabgov_sim::{RunOptions, run};
use collabgov_study::output::RunTables;
use collabgov_web::{Config, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn post(app: &axum::Router, path: &str, body: Value) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(
            Request::post(path)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// The events of a finished stream: (name, data).
fn events(text: &str) -> Vec<(String, Value)> {
    text.split("\n\n")
        .filter_map(|block| {
            let mut name = String::new();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event:") {
                    name = n.trim().to_string();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data.push_str(d.trim_start());
                }
            }
            (!data.is_empty()).then(|| (name, serde_json::from_str(&data).unwrap()))
        })
        .collect()
}

fn bundled(name: &str) -> &'static str {
    collabgov_study::bundled::BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1
}

#[tokio::test]
async fn streamed_tables_equal_a_run_of_the_downloaded_toml() {
    let app = router(Config::default());
    let (status, body) = post(
        &app,
        "/api/compose",
        json!({
            "toml": bundled("siloed-government"),
            "file": "siloed-government.toml",
            "set": [["parameters.silo", 0.6], ["replicates", 24], ["rounds", 60]],
            "practices": [["task_force", 20], ["coordinating_agency", 20]],
        }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let composed: Value = serde_json::from_str(&body).unwrap();
    let toml = composed["toml"].as_str().unwrap().to_string();
    let (status, stream) = post(&app, "/api/run", json!({"runs": [toml]})).await;
    assert_eq!(status, StatusCode::OK);
    let events = events(&stream);
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"start"));
    assert_eq!(names.iter().filter(|n| **n == "round").count(), 61);
    assert_eq!(&names[names.len() - 2..], ["finished", "done"]);
    // What `collabgov run` of the downloaded file computes.
    let scenario = Scenario::parse(&toml, "downloaded.toml", &no_files).unwrap();
    assert_eq!((scenario.replicates, scenario.rounds), (24, 60));
    assert_eq!(scenario.params.silo, 0.6);
    assert_eq!(scenario.interventions.len(), 2);
    let tables = RunTables::from_run(&scenario, &run(&scenario, &RunOptions::default()));
    let mut rounds = Vec::new();
    tables.write_rounds(&mut rounds).unwrap();
    let mut replicates = Vec::new();
    tables.write_replicates(&mut replicates).unwrap();
    let finished = &events[events.len() - 2].1;
    assert_eq!(
        finished["rounds_csv"].as_str().unwrap().as_bytes(),
        &rounds[..]
    );
    assert_eq!(
        finished["replicates_csv"].as_str().unwrap().as_bytes(),
        &replicates[..]
    );
    assert_eq!(
        finished["summary"],
        json!(collabgov_study::report::run_summary(&tables))
    );
    // The summary box's lines in Indonesian come from the same catalogue as the CLI's.
    let done = &events.last().unwrap().1;
    assert_eq!(
        done["summaries"][0]["lines_id"],
        json!(collabgov_study::report::run_summary_in(
            &tables,
            collabgov_study::i18n::Lang::Id
        ))
    );
    // The streamed means are the table's.
    let last = &events[events.len() - 3].1;
    assert_eq!(last["round"], 60);
    let trust = last["values"]["trust_across"][0].as_f64().unwrap();
    let row = String::from_utf8(rounds)
        .unwrap()
        .lines()
        .find(|l| l.starts_with("60,trust_across,all,"))
        .unwrap()
        .to_string();
    let mean: f64 = row.split(',').nth(3).unwrap().parse().unwrap();
    assert_eq!(trust, mean);
    // The live network: replicate 0's actors and relations, and each round's trust; the
    // last round's is network.csv's final mutual trust, in hundredths.
    let picture = &events[0].1["network"];
    assert_eq!(
        picture["actors"].as_array().unwrap().len(),
        scenario.forum.actors.len()
    );
    assert_eq!(
        picture["relations"].as_array().unwrap().len(),
        tables.network.len()
    );
    let streamed: Vec<i64> = last["trust"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    let expected: Vec<i64> = tables
        .network
        .iter()
        .map(|r| ((r.trust_st_final + r.trust_ts_final) * 50.0).round() as i64)
        .collect();
    assert_eq!(streamed, expected);
    // At round 0, the relations that exist then (those added later show their trust at
    // creation in network.csv).
    assert_eq!(events[1].1["round"], 0);
    let first = events[1].1["trust"].as_array().unwrap();
    let mut compared = 0;
    for (r, streamed) in tables.network.iter().zip(first) {
        if r.from == 0 {
            let expected = ((r.trust_st_initial + r.trust_ts_initial) * 50.0).round() as i64;
            assert_eq!(streamed.as_i64().unwrap(), expected);
            compared += 1;
        }
    }
    assert!(compared > 0);
}

#[tokio::test]
async fn two_runs_compare_with_the_cli_summary() {
    let app = router(Config::default());
    let small = |name: &str| {
        format!("{}\n", bundled(name))
            .replace("replicates = 200", "replicates = 12")
            .replace("rounds = 150", "rounds = 50")
    };
    let runs = [small("siloed-government"), small("whole-of-government")];
    let (status, stream) = post(&app, "/api/run", json!({"runs": runs})).await;
    assert_eq!(status, StatusCode::OK);
    let events = events(&stream);
    let done = &events.last().unwrap().1;
    let comparison = done["comparison"].as_str().unwrap();
    assert!(comparison.contains("siloed-government"), "{comparison}");
    assert!(comparison.contains("whole-of-government"), "{comparison}");
    let starts = events.iter().filter(|(n, _)| n == "start").count();
    assert_eq!(starts, 2);
}

#[tokio::test]
async fn bad_uploads_and_caps_give_clear_errors() {
    let app = router(Config {
        max_work: 1_000_000,
        max_upload: 4096,
        ..Config::default()
    });
    // A bad value names the uploaded file's own line.
    let bad = "name = \"x\"\nrounds = 10\n\n[parameters]\nsilo = 1.4\n";
    let (status, body) = post(
        &app,
        "/api/compose",
        json!({"toml": bad, "file": "mine.toml"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(e["error"]["line"], 5, "{body}");
    assert_eq!(e["error"]["file"], "mine.toml");
    assert!(e["error"]["message"].as_str().unwrap().contains("silo"));
    // Broken TOML too.
    let (status, body) = post(
        &app,
        "/api/run",
        json!({"runs": ["name = \"x\"\nrounds = ="]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("line 2"), "{body}");
    // A setting out of range names the key, not a line the user never saw.
    let (status, body) = post(
        &app,
        "/api/compose",
        json!({"toml": bundled("default"), "set": [["parameters.leadership", 3]]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("with the page's settings") && body.contains("leadership"),
        "{body}"
    );
    // Too much work for the page.
    let (status, body) = post(
        &app,
        "/api/run",
        json!({"runs": [bundled("siloed-government")]}),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.contains("too much work"), "{body}");
    // An upload above the size cap.
    let (status, _) = post(&app, "/api/compose", json!({"toml": "#".repeat(10_000)})).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // A scenario naming a file: the page reads no file at a client's request.
    let reads = "name = \"x\"\nactors_file = \"/etc/passwd\"\n";
    let (status, body) = post(&app, "/api/compose", json!({"toml": reads})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("/etc/passwd") && !body.contains("root:"),
        "{body}"
    );
    // An unknown practice.
    let (status, body) = post(
        &app,
        "/api/compose",
        json!({"toml": bundled("default"), "practices": [["magic", 3]]}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("task_force"), "{body}");
}

#[tokio::test]
async fn a_closed_page_frees_its_place_for_the_next_run() {
    // One run at a time, and a first run far too long to finish during the test.
    let app = router(Config {
        max_runs: 1,
        max_work: u64::MAX,
        max_replicates: 100_000,
        max_memory: u64::MAX >> 21,
        total_memory: u64::MAX >> 20,
        ..Config::default()
    });
    // A thousand actors, 100 replicates, 100,000 rounds: hours of work.
    let long = include_str!("../../../benches/scenarios/bench-1000.toml")
        .replace("replicates = 200", "replicates = 100")
        .replace("rounds = 200", "rounds = 100000");
    let response = app
        .clone()
        .oneshot(
            Request::post("/api/run")
                .header("content-type", "application/json")
                .body(Body::from(json!({"runs": [long]}).to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let mut body = response.into_body();
    // Wait for its first round, then close the page.
    let mut seen = String::new();
    while !seen.contains("event: round") {
        let frame = body.frame().await.unwrap().unwrap();
        if let Some(data) = frame.data_ref() {
            seen.push_str(&String::from_utf8_lossy(data));
        }
    }
    drop(body);
    let short = format!("{}\n", bundled("siloed-government"))
        .replace("replicates = 200", "replicates = 4")
        .replace("rounds = 150", "rounds = 10");
    // If the closed page's run went on, this one would wait for hours.
    let (status, stream) = tokio::time::timeout(
        std::time::Duration::from_secs(300),
        post(&app, "/api/run", json!({"runs": [short]})),
    )
    .await
    .expect("the second run started: the first was cancelled");
    assert_eq!(status, StatusCode::OK);
    assert!(stream.contains("event: done"), "{stream}");
}

#[tokio::test]
async fn the_page_assesses_with_the_same_numbers_as_the_library() {
    let app = router(Config::default());
    // siloed-government at a page's size.
    let text = format!(
        "{}\n",
        bundled("siloed-government")
            .replace("replicates = 200", "replicates = 12")
            .replace("rounds = 150", "rounds = 40")
    );
    let (status, body) = post(&app, "/api/assess", json!({"toml": text})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let got: Value = serde_json::from_str(&body).unwrap();
    // The same operation through the library: the same assess.csv and summary.
    let source = collabgov_study::source::Source::text(text.clone(), "scenario.toml", None);
    let plan = collabgov_study::ops::assess::plan(
        &source,
        &collabgov_core::Overrides::default(),
        collabgov_study::ops::assess::MenuChoice::Default { round: None },
    )
    .unwrap();
    let pool = collabgov_study::ops::pool(2).unwrap();
    let assessed =
        collabgov_study::ops::assess::assess(&plan, &pool, &collabgov_study::ops::Quiet::default())
            .unwrap();
    assert_eq!(
        got["assess_csv"].as_str().unwrap().as_bytes(),
        assessed.table.as_slice()
    );
    assert_eq!(got["summary"].as_str().unwrap(), assessed.summary);
    let ranking = got["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), plan.menu.practices.len());
    for (k, r) in ranking.iter().enumerate() {
        assert_eq!(r["rank"].as_u64().unwrap() as usize, k + 1);
        let c = &r["consensus"];
        assert!(
            c["low"].as_f64().unwrap() <= c["mean"].as_f64().unwrap(),
            "{r}"
        );
    }
    // The baseline and its practices count against the page's caps together.
    let small = router(Config {
        max_work: 300_000,
        ..Config::default()
    });
    let (status, body) = post(&small, "/api/assess", json!({"toml": text})).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.contains("runs in all"), "{body}");
    // A scenario the engine refuses names its key.
    let (status, body) = post(
        &app,
        "/api/assess",
        json!({"toml": "name = \"x\"\n[parameters]\nsilo = 2\n"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("silo"), "{body}");
}

#[tokio::test]
async fn the_handout_of_the_pages_runs_is_the_librarys_in_the_pages_language() {
    let app = router(Config::default());
    let small = |name: &str| {
        bundled(name)
            .replace("replicates = 200", "replicates = 8")
            .replace("rounds = 150", "rounds = 40")
    };
    let runs = [small("siloed-government"), small("whole-of-government")];
    let (status, html) = post(
        &app,
        "/api/handout",
        json!({"runs": runs, "names": ["siloed-government", "+ gugus tugas"], "lang": "id"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    // The library's handout of the same runs: the numbers are the page's (same seed).
    let pool = collabgov_study::ops::pool(2).unwrap();
    let loaded: Vec<_> = runs
        .iter()
        .map(|t| {
            collabgov_study::source::Source::text(t.clone(), "scenario.toml", None)
                .parse(&collabgov_core::Overrides::default())
                .unwrap()
        })
        .collect();
    let ran: Vec<_> = loaded
        .iter()
        .map(|l| {
            collabgov_study::ops::run::run(
                l,
                &RunOptions::default(),
                &pool,
                &collabgov_study::ops::Quiet::default(),
            )
            .unwrap()
        })
        .collect();
    let names = ["siloed-government", "+ gugus tugas"];
    let parts: Vec<_> = loaded
        .iter()
        .zip(&ran)
        .zip(names)
        .map(|((l, r), name)| collabgov_viz::handout::HandoutRun {
            name,
            tables: &r.tables,
            manifest: &r.manifest,
            scenario: Some(&l.scenario),
        })
        .collect();
    let expected =
        collabgov_viz::handout::handout(&parts, collabgov_study::i18n::Lang::Id).unwrap();
    // Byte for byte: the handout holds no wall time or thread count.
    assert_eq!(html, expected);
    assert!(html.contains("<html lang=\"id\">"));
    assert!(html.contains("+ gugus tugas"));
    // A bad scenario names its line; a name too long falls back to the scenario's.
    let (status, body) = post(
        &app,
        "/api/handout",
        json!({"runs": [runs[0].replace("silo = 0.85", "silo = 2")], "lang": "id"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("parameters.silo") && body.contains("line"),
        "{body}"
    );
    let (status, html) = post(
        &app,
        "/api/handout",
        json!({"runs": [runs[0]], "names": ["x".repeat(500)], "lang": "en"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains(&"x".repeat(500)));
    assert!(html.contains("<html lang=\"en\">"));
}
