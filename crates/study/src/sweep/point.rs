//! One point of a sweep: its scenario run with its replicates on the current thread, and
//! its row of `points.csv`.

use collabgov_core::Scenario;
use collabgov_core::scenario::{Loader, ScenarioError};

use super::SweepPlan;
use collabgov_sim::metrics::{Families, Metric};
use collabgov_sim::run::{RunOptions, RunResult, run};
use collabgov_sim::stats::{share_interval, summarize};

/// Runs point `index` (its replicates in order on the current thread) and formats its row of
/// `points.csv` (without the line end).
pub fn run_point(
    plan: &SweepPlan,
    index: usize,
    load: Loader<'_>,
) -> Result<String, ScenarioError> {
    let (_, result) = point_run(plan, index, load)?;
    Ok(point_row(
        index,
        &plan.points[index],
        &result,
        plan.families,
    ))
}

/// Point `index`'s scenario and its run (replicates in order on the current thread), the
/// network table skipped; refused when too big for memory.
pub fn point_run(
    plan: &SweepPlan,
    index: usize,
    load: Loader<'_>,
) -> Result<(Scenario, RunResult), ScenarioError> {
    let scenario = plan.scenario_at(index, load)?;
    let options = RunOptions {
        skip_network: true,
        skip_groups: true,
        ..RunOptions::default()
    };
    collabgov_sim::run::check_size(&scenario, &options, 1).map_err(|message| ScenarioError {
        file: plan.raw.base.clone(),
        key: "rounds".into(),
        line: None,
        message,
    })?;
    let result = run(&scenario, &options);
    Ok((scenario, result))
}

/// A point's first columns: its index and its factor values.
fn point_columns(index: usize, values: &[f64]) -> String {
    let mut row = index.to_string();
    for v in values {
        row.push(',');
        row.push_str(&collabgov_sim::stats::format_number(*v));
    }
    row
}

/// Point `index`'s replicates as rows of [`run_points`](super::run_points)' replicate
/// table: `replicates.csv`'s header line (without the point's columns) and its rows, each
/// after the point's index, values and master seed.
pub fn replicate_rows(
    index: usize,
    values: &[f64],
    scenario: &collabgov_core::Scenario,
    result: &RunResult,
) -> (String, String) {
    let mut buf = Vec::new();
    crate::output::RunTables::finals_of(scenario, result)
        .write_replicates(&mut buf)
        .expect("writing to memory");
    let text = String::from_utf8(buf).expect("the CSV writer writes UTF-8");
    let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
    let mut prefix = point_columns(index, values);
    prefix.push_str(&format!(",{},", result.seed));
    let mut rows = String::with_capacity(body.len() + body.lines().count() * prefix.len());
    for line in body.lines() {
        rows.push_str(&prefix);
        rows.push_str(line);
        rows.push('\n');
    }
    (format!("{header}\n"), rows)
}

/// The row of `points.csv` (without the line end) of point `index` at `values`, from its
/// run: each sweep output's final mean, sd, q025 and q975 over replicates and the 95 %
/// interval of its mean (as `summary.csv` gives it: t over replicates, or the nested
/// design's), the consensus share with its Wilson interval, the mean round of first
/// consensus over the replicates that reached it, and the point's seed.
pub fn point_row(index: usize, values: &[f64], result: &RunResult, families: Families) -> String {
    let num = collabgov_sim::stats::format_number;
    let mut row = point_columns(index, values);
    let mut scratch = Vec::new();
    for m in Metric::sweep_outputs(families) {
        let s = summarize(
            result
                .replicates
                .iter()
                .map(|r| r.records.last().map_or(f64::NAN, |rec| rec[m.index()])),
            &mut scratch,
        );
        // As summary.csv gives it (no sweep output is a 0/1 flag).
        let ci = m.within_range(result.final_interval(m));
        row.push_str(&format!(
            ",{},{},{},{},{},{}",
            num(s.mean),
            num(s.sd),
            num(s.q025),
            num(s.q975),
            num(ci.low),
            num(ci.high)
        ));
    }
    let n = result.replicates.len();
    let k = result.consensus_count();
    let (lo, hi) = share_interval(
        result
            .replicates
            .iter()
            .map(|r| (r.draw, r.consensus_round.is_some())),
    );
    let rounds: Vec<f64> = result
        .replicates
        .iter()
        .filter_map(|r| r.consensus_round.map(f64::from))
        .collect();
    let mean_round = if rounds.is_empty() {
        f64::NAN
    } else {
        rounds.iter().sum::<f64>() / rounds.len() as f64
    };
    row.push_str(&format!(
        ",{},{},{},{},{}",
        num(k as f64 / n as f64),
        num(lo),
        num(hi),
        num(mean_round),
        result.seed
    ));
    row
}
