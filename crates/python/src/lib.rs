//! The Python extension `collabgov._collabgov`: the library's entry points for the Python
//! package (`crates/python/python/collabgov/__init__.py` wraps them with pandas). It
//! returns the tables as the CSV text `collabgov run` writes (the same writers), so a
//! DataFrame read from it holds the same values and writes back the same bytes. The GIL
//! is released while the engine runs, and Ctrl-C stops a run between rounds.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use collabgov_core::scenario::{Loader, ScenarioError};
use collabgov_core::{Overrides, Scenario};
use collabgov_study::bundled::BUNDLED;
use collabgov_study::inputs::{Inputs, MAX_TOML_BYTES, load_sweep};
use collabgov_study::manifest::RunManifest;
use collabgov_study::output::RunTables;
use collabgov_sim::run::{CancelToken, Cancelled, RunOptions, run_cancellable};
use collabgov_viz::{Chart, ChartMeta, Format};
use pyo3::create_exception;
use pyo3::exceptions::{PyKeyboardInterrupt, PyOSError, PyValueError};
use pyo3::prelude::*;

create_exception!(
    _collabgov,
    ScenarioError_,
    PyValueError,
    "A scenario the engine refuses: the message names the file, the line and the key."
);

fn scenario_error(e: ScenarioError) -> PyErr {
    ScenarioError_::new_err(e.to_string())
}

/// A scenario's source: its text, its file name in messages, and the folder its relative
/// files are read from (none for a bundled scenario or a string).
/// Every file read for it is recorded (with its SHA-256) in `inputs`, for `run.json`.
struct Source {
    text: String,
    file: String,
    folder: Option<PathBuf>,
    inputs: Inputs,
}

impl Source {
    fn load(&self) -> impl Fn(&str) -> Result<String, String> + '_ {
        move |name: &str| match &self.folder {
            Some(folder) => self.inputs.loader(folder)(name),
            None => collabgov_core::scenario::no_files(name),
        }
    }

    fn parse(&self, overrides: &Overrides) -> PyResult<Scenario> {
        let load = self.load();
        let load: Loader<'_> = &load;
        Scenario::parse_with(&self.text, &self.file, load, overrides)
            .map(|p| p.scenario)
            .map_err(scenario_error)
    }
}

/// `kind` is `"bundled"`, `"path"` or `"text"`.
fn source(kind: &str, value: &str) -> PyResult<Source> {
    match kind {
        "bundled" => BUNDLED
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(name, text)| Source {
                text: text.to_string(),
                file: format!("bundled:{name}"),
                folder: None,
                inputs: Inputs::default(),
            })
            .ok_or_else(|| {
                let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
                ScenarioError_::new_err(format!(
                    "no bundled scenario named \"{value}\" (bundled: {})",
                    names.join(", ")
                ))
            }),
        "path" => {
            let path = PathBuf::from(value);
            let inputs = Inputs::default();
            let text = inputs
                .read(&path, MAX_TOML_BYTES)
                .map_err(|e| PyOSError::new_err(e.to_string()))?;
            Ok(Source {
                text,
                file: value.to_string(),
                folder: Some(path.parent().map_or_else(PathBuf::new, Path::to_path_buf)),
                inputs,
            })
        }
        _ => Ok(Source {
            text: value.to_string(),
            file: "<scenario>".to_string(),
            folder: std::env::current_dir().ok(),
            inputs: Inputs::default(),
        }),
    }
}

/// Runs `work` on a thread of its own with the GIL released, checking for Ctrl-C every
/// 50 ms: on a signal the run is cancelled (it stops at its next round) and the signal's
/// exception is raised.
fn without_gil<T: Send + 'static>(
    py: Python<'_>,
    cancel: CancelToken,
    work: impl FnOnce() -> T + Send + 'static,
) -> PyResult<T> {
    let handle = std::thread::spawn(work);
    let finished = |handle: &std::thread::JoinHandle<T>| {
        let started = Instant::now();
        while !handle.is_finished() && started.elapsed() < Duration::from_millis(50) {
            std::thread::sleep(Duration::from_millis(2));
        }
        handle.is_finished()
    };
    loop {
        if py.allow_threads(|| finished(&handle)) {
            return handle
                .join()
                .map_err(|_| PyOSError::new_err("the engine's thread panicked"));
        }
        if let Err(e) = py.check_signals() {
            cancel.cancel();
            py.allow_threads(|| {
                let _ = handle.join();
            });
            return Err(e);
        }
    }
}

fn pool(threads: Option<usize>) -> PyResult<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| PyOSError::new_err(format!("cannot start the worker threads: {e}")))
}

fn csv_text(f: impl Fn(&mut Vec<u8>) -> std::io::Result<()>) -> PyResult<String> {
    let mut out = Vec::new();
    f(&mut out).map_err(|e| PyOSError::new_err(e.to_string()))?;
    String::from_utf8(out).map_err(|e| PyOSError::new_err(e.to_string()))
}

/// The bundled scenarios as `(name, description)`.
#[pyfunction]
fn scenarios() -> PyResult<Vec<(String, String)>> {
    BUNDLED
        .iter()
        .map(|(name, text)| {
            let s = Scenario::parse(text, name, &collabgov_core::scenario::no_files)
                .map_err(scenario_error)?;
            Ok((name.to_string(), s.description))
        })
        .collect()
}

/// A bundled scenario's TOML text.
#[pyfunction]
fn scenario_text(name: &str) -> PyResult<String> {
    source("bundled", name).map(|s| s.text)
}

/// TOML text from JSON text (a Python dict in the scenario format).
#[pyfunction]
fn toml_from_json(json: &str) -> PyResult<String> {
    let value: toml::Value =
        serde_json::from_str(json).map_err(|e| ScenarioError_::new_err(format!("<dict>: {e}")))?;
    toml::to_string(&value).map_err(|e| ScenarioError_::new_err(format!("<dict>: {e}")))
}

/// Runs a scenario: the tables as CSV text and `run.json`'s text, in a dict.
#[pyfunction]
#[pyo3(signature = (kind, value, replicates=None, rounds=None, seed=None, threads=None, all_actors=false))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    kind: &str,
    value: &str,
    replicates: Option<u32>,
    rounds: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    all_actors: bool,
) -> PyResult<Vec<(String, String)>> {
    let src = source(kind, value)?;
    let scenario = src.parse(&Overrides {
        seed,
        rounds,
        replicates,
        ..Overrides::default()
    })?;
    let options = RunOptions {
        all_actors,
        ..RunOptions::default()
    };
    let pool = pool(threads)?;
    collabgov_sim::run::check_size(&scenario, &options, pool.current_num_threads())
        .map_err(|m| ScenarioError_::new_err(format!("{}: {m}", scenario.name)))?;
    let cancel = CancelToken::new();
    let token = cancel.clone();
    let threads = pool.current_num_threads();
    let inputs = src.inputs.list();
    let outcome = without_gil(py, cancel, move || {
        let started = Instant::now();
        pool.install(|| run_cancellable(&scenario, &options, &|| {}, &token))
            .map(|result| {
                let mut manifest = RunManifest::new(&scenario, &result, &inputs);
                manifest.wall_time_seconds = started.elapsed().as_secs_f64();
                manifest.estimated_memory_bytes =
                    collabgov_sim::run::estimate_run_bytes(&scenario, &options, threads);
                (RunTables::from_run(&scenario, &result), manifest)
            })
    })?;
    let (tables, manifest) =
        outcome.map_err(|Cancelled| PyKeyboardInterrupt::new_err("the run was cancelled"))?;
    let mut out = vec![
        ("rounds".to_string(), csv_text(|w| tables.write_rounds(w))?),
        (
            "replicates".to_string(),
            csv_text(|w| tables.write_replicates(w))?,
        ),
        (
            "summary".to_string(),
            csv_text(|w| {
                collabgov_study::report::write_summary_csv(&tables, w).map_err(std::io::Error::other)
            })?,
        ),
        ("actors".to_string(), csv_text(|w| tables.write_actors(w))?),
        (
            "network".to_string(),
            csv_text(|w| tables.write_network(w))?,
        ),
    ];
    out.push((
        "graphml".to_string(),
        csv_text(|w| tables.write_graphml(w))?,
    ));
    if tables.services {
        out.push((
            "activities".to_string(),
            csv_text(|w| tables.write_activities(w))?,
        ));
    }
    let json =
        serde_json::to_string_pretty(&manifest).map_err(|e| PyOSError::new_err(e.to_string()))?;
    out.push(("manifest".to_string(), json));
    Ok(out)
}

/// Runs the base scenario at each point (values of `keys`), as a sweep would: the text of
/// a `points.csv`.
#[pyfunction]
#[pyo3(signature = (kind, value, keys, points, replicates=20, rounds=None, seed=1, threads=None))]
#[allow(clippy::too_many_arguments)]
fn run_points(
    py: Python<'_>,
    kind: &str,
    value: &str,
    keys: Vec<String>,
    points: Vec<Vec<f64>>,
    replicates: u32,
    rounds: Option<u32>,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<String> {
    let src = source(kind, value)?;
    points_of(py, src, keys, points, (seed, replicates, rounds), threads)
}

/// Runs `base` at `points` (values of `keys`) on `threads` workers without the GIL, as
/// `collabgov_study::sweep::run_points` does: the text of a `points.csv`; Ctrl-C cancels.
fn points_of(
    py: Python<'_>,
    base: Source,
    keys: Vec<String>,
    points: Vec<Vec<f64>>,
    run: (u64, u32, Option<u32>),
    threads: Option<usize>,
) -> PyResult<String> {
    let pool = pool(threads)?;
    let cancel = CancelToken::new();
    let token = cancel.clone();
    let outcome = without_gil(py, cancel, move || {
        pool.install(|| {
            let load = base.load();
            let load: Loader<'_> = &load;
            collabgov_study::sweep::run_points(
                &base.text, &base.file, load, &keys, &points, run, &token,
            )
        })
    })?;
    outcome
        .map_err(scenario_error)?
        .map_err(|Cancelled| PyKeyboardInterrupt::new_err("the run was cancelled"))
}

/// Runs a sweep file (or its TOML text) point by point, as `collabgov sweep` does: the
/// text of its `points.csv`.
#[pyfunction]
#[pyo3(signature = (kind, value, threads=None))]
fn sweep(py: Python<'_>, kind: &str, value: &str, threads: Option<usize>) -> PyResult<String> {
    let src = source(kind, value)?;
    let folder = src.folder.clone().unwrap_or_default();
    let inputs = Inputs::default();
    let (plan, base_folder) =
        load_sweep(&src.text, &src.file, &folder, &inputs).map_err(scenario_error)?;
    let base = Source {
        text: plan.base_text.clone(),
        file: plan.base_file.clone(),
        folder: Some(base_folder),
        inputs,
    };
    points_of(
        py,
        base,
        plan.keys,
        plan.points,
        (plan.raw.seed, plan.raw.replicates, plan.raw.rounds),
        threads,
    )
}

/// Ansell & Gash's six criteria: `(criterion, passes, why)` for each.
#[pyfunction]
fn validate(kind: &str, value: &str) -> PyResult<Vec<(String, bool, String)>> {
    let scenario = source(kind, value)?.parse(&Overrides::default())?;
    Ok(collabgov_study::criteria::six_criteria(&scenario)
        .into_iter()
        .map(|c| (c.name.to_string(), c.pass, c.reason))
        .collect())
}

/// The run's tables and chart metadata from the parts `run` returned (CSV texts and
/// `run.json`'s text), read back as `collabgov plot` reads a run folder.
fn tables_of(parts: &[(String, String)]) -> PyResult<(RunTables, ChartMeta)> {
    let get = |name: &str| {
        parts
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, t)| t.as_str())
    };
    let tables = RunTables::read(
        get("rounds"),
        get("replicates"),
        get("actors"),
        get("network"),
        get("activities"),
    )
    .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let manifest: RunManifest = serde_json::from_str(get("manifest"))
        .map_err(|e| PyValueError::new_err(format!("run.json: {e}")))?;
    let meta = ChartMeta::from_manifest(&manifest.scenario_name, &manifest);
    Ok((tables, meta))
}

/// The names of the charts a run can draw (`overview`, `metric-trust`, ...).
#[pyfunction]
fn chart_names(parts: Vec<(String, String)>) -> PyResult<Vec<String>> {
    let (tables, _) = tables_of(&parts)?;
    Ok(Chart::all(&tables).into_iter().map(Chart::name).collect())
}

/// Draws chart `kind` of a run (the parts `run` returned) as PNG or SVG bytes, the same
/// chart `collabgov run` and `collabgov plot` draw.
#[pyfunction]
#[pyo3(signature = (parts, kind, format="png", size=None))]
fn plot(
    py: Python<'_>,
    parts: Vec<(String, String)>,
    kind: &str,
    format: &str,
    size: Option<(u32, u32)>,
) -> PyResult<Vec<u8>> {
    let format = match format {
        "png" => Format::Png,
        "svg" => Format::Svg,
        other => {
            return Err(PyValueError::new_err(format!(
                "expected the format \"png\" or \"svg\", found \"{other}\""
            )));
        }
    };
    if let Some((w, h)) = size
        && !((200..=10_000).contains(&w) && (200..=10_000).contains(&h))
    {
        return Err(PyValueError::new_err(format!(
            "expected a width and height of 200 to 10000 pixels, found {w} x {h}"
        )));
    }
    let (tables, meta) = tables_of(&parts)?;
    let charts = Chart::all(&tables);
    let chart = charts
        .iter()
        .copied()
        .find(|c| c.name() == kind)
        .ok_or_else(|| {
            let names: Vec<String> = charts.iter().map(|c| c.name()).collect();
            PyValueError::new_err(format!(
                "expected a chart of this run ({}), found \"{kind}\"",
                names.join(", ")
            ))
        })?;
    py.allow_threads(|| collabgov_viz::draw(chart, &tables, &meta, format, size))
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The module `collabgov._collabgov`.
#[pymodule]
fn _collabgov(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ScenarioError", m.py().get_type::<ScenarioError_>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_text, m)?)?;
    m.add_function(wrap_pyfunction!(toml_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(run_points, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(chart_names, m)?)?;
    m.add_function(wrap_pyfunction!(plot, m)?)?;
    Ok(())
}
