//! The Python extension `collabgov._collabgov`: the library's entry points for the Python
//! package (`crates/python/python/collabgov/__init__.py` wraps them with pandas). It
//! returns the tables as the CSV text `collabgov run` writes (the same writers), so a
//! DataFrame read from it holds the same values and writes back the same bytes. The GIL
//! is released while the engine runs, and Ctrl-C stops a run between rounds.

use std::path::Path;
use std::time::{Duration, Instant};

use collabgov_core::scenario::{ScenarioError, SetValue};
use collabgov_core::{Overrides, Scenario};
use collabgov_sim::run::{CancelToken, RunOptions};
use collabgov_study::artifacts;
use collabgov_study::bundled::BUNDLED;
use collabgov_study::inputs::Inputs;
use collabgov_study::manifest::RunManifest;
use collabgov_study::ops::assess::MenuChoice;
use collabgov_study::ops::compare::Given;
use collabgov_study::ops::run::Ran;
use collabgov_study::ops::{self, Limits, Observer, OpError};
use collabgov_study::output::RunTables;
use collabgov_study::source::{Source, SourceError};
use collabgov_study::sweep::load_sweep;
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

/// `kind` is `"bundled"`, `"path"` or `"text"` (a text reads its files from the working
/// folder).
fn source(kind: &str, value: &str) -> PyResult<Source> {
    match kind {
        "bundled" => Source::bundled(value).map_err(source_error),
        "path" => Source::path(Path::new(value)).map_err(source_error),
        _ => Ok(Source::text(
            value.to_string(),
            "<scenario>",
            std::env::current_dir().ok(),
        )),
    }
}

fn source_error(e: SourceError) -> PyErr {
    match e {
        SourceError::Input(e) => PyOSError::new_err(e.to_string()),
        e => ScenarioError_::new_err(e.to_string()),
    }
}

fn op_error(e: OpError) -> PyErr {
    match e {
        OpError::Cancelled(_) => PyKeyboardInterrupt::new_err("the run was cancelled"),
        OpError::Source(e) => source_error(e),
        OpError::Scenario(e) => scenario_error(e),
        e => ScenarioError_::new_err(e.to_string()),
    }
}

/// What every call that runs takes, as the CLI's `--replicates`, `--rounds`, `--seed`,
/// `--threads` and `--set` (a dict from Python with every key; `None` for the scenario's
/// own).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Control {
    replicates: Option<u32>,
    rounds: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    /// `KEY=VALUE` texts, each read as `--set KEY=VALUE` reads it.
    set: Vec<String>,
}

impl Control {
    /// The overrides, with `name` set to `label` where given.
    fn overrides(&self, label: Option<&str>) -> PyResult<Overrides> {
        let mut o = Overrides {
            seed: self.seed,
            rounds: self.rounds,
            replicates: self.replicates,
            ..Overrides::default()
        };
        for arg in &self.set {
            o.set.push(
                Overrides::parse_set(arg)
                    .map_err(|e| ScenarioError_::new_err(format!("set: {e}")))?,
            );
        }
        if let Some(label) = label {
            o.set
                .push(("name".into(), SetValue::Text(label.to_string())));
        }
        Ok(o)
    }
}

/// The parts of a run: each file of the run folder by name (tables by stem) as text, and
/// `run.json`'s text as `manifest`.
fn run_parts(ran: &Ran) -> PyResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for a in artifacts::run_files(&ran.tables) {
        let bytes = a.bytes().map_err(op_error)?;
        let text = String::from_utf8(bytes).map_err(|e| PyOSError::new_err(e.to_string()))?;
        out.push((a.name, text));
    }
    let json = serde_json::to_string_pretty(&ran.manifest)
        .map_err(|e| PyOSError::new_err(e.to_string()))?;
    out.push(("manifest".to_string(), json));
    Ok(out)
}

/// The observer of a call from Python: cancellation only (Ctrl-C, checked every 50 ms).
struct Py(CancelToken);

impl Observer for Py {
    fn cancel(&self) -> &CancelToken {
        &self.0
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
    ops::pool(threads.unwrap_or(0)).map_err(|e| PyOSError::new_err(e.to_string()))
}

/// Checks a call's runs against the memory estimate on `pool`, before anything runs.
fn check_all(pool: &rayon::ThreadPool, options: &RunOptions, runs: &[&Scenario]) -> PyResult<()> {
    ops::check_all(
        runs,
        options,
        pool.current_num_threads(),
        &Limits::default(),
    )
    .map(|_| ())
    .map_err(op_error)
}

/// The text of each artifact, by file name.
fn texts(files: Vec<artifacts::Artifact<'_>>) -> PyResult<Vec<(String, String)>> {
    files
        .into_iter()
        .map(|a| {
            let bytes = a.bytes().map_err(op_error)?;
            let text = String::from_utf8(bytes).map_err(|e| PyOSError::new_err(e.to_string()))?;
            Ok((a.csv_name(), text))
        })
        .collect()
}

fn json_text(value: &impl serde::Serialize) -> PyResult<String> {
    serde_json::to_string_pretty(value).map_err(|e| PyOSError::new_err(e.to_string()))
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

/// Runs a scenario: each file of its folder by name (tables by stem) as text and
/// `run.json`'s text as `manifest`.
#[pyfunction]
#[pyo3(signature = (kind, value, control, all_actors=false, label=None, series=false))]
fn run(
    py: Python<'_>,
    kind: &str,
    value: &str,
    control: Control,
    all_actors: bool,
    label: Option<&str>,
    series: bool,
) -> PyResult<Vec<(String, String)>> {
    let loaded = source(kind, value)?
        .parse(&control.overrides(label)?)
        .map_err(scenario_error)?;
    let options = RunOptions {
        all_actors,
        replicate_series: series,
        ..RunOptions::default()
    };
    let pool = pool(control.threads)?;
    check_all(&pool, &options, &[&loaded.scenario])?;
    let cancel = CancelToken::new();
    let observer = Py(cancel.clone());
    let ran = without_gil(py, cancel, move || {
        ops::run::run(&loaded, &options, &pool, &observer)
    })?
    .map_err(op_error)?;
    run_parts(&ran)
}

/// Compares scenarios (each a `(kind, value)`, named by `labels` in order where given):
/// each file of the comparison folder by name as text, and `compare.json`'s text as
/// `manifest`.
#[pyfunction]
fn compare(
    py: Python<'_>,
    sides: Vec<(String, String)>,
    labels: Vec<String>,
    control: Control,
    side_sets: Vec<(usize, String)>,
) -> PyResult<Vec<(String, String)>> {
    if sides.len() < 2 || labels.len() > sides.len() {
        return Err(PyValueError::new_err(format!(
            "expected two or more scenarios and at most one label each, found {} scenarios and {} labels",
            sides.len(),
            labels.len()
        )));
    }
    if let Some((n, _)) = side_sets.iter().find(|(n, _)| *n == 0 || *n > sides.len()) {
        return Err(PyValueError::new_err(format!(
            "side_set: expected a scenario's place from 1 to {}, found {n}",
            sides.len()
        )));
    }
    let mut given = Vec::with_capacity(sides.len());
    for (k, (kind, value)) in sides.iter().enumerate() {
        let mut o = control.overrides(labels.get(k).map(String::as_str))?;
        // A side's own values go after the shared ones and before its label's name.
        let at = o.set.len() - usize::from(labels.get(k).is_some());
        for (n, arg) in side_sets.iter().filter(|(n, _)| *n == k + 1) {
            let set = Overrides::parse_set(arg)
                .map_err(|e| ScenarioError_::new_err(format!("side_set[{n}]: {e}")))?;
            o.set.insert(at, set);
        }
        let loaded = source(kind, value)?.parse(&o).map_err(scenario_error)?;
        given.push(Given::ToRun(Box::new(loaded)));
    }
    ops::compare::check_names(&given).map_err(op_error)?;
    for (a, b) in ops::compare::identical_sides(&given) {
        let message = format!(
            "{} (give one its own values with side_set={{{b}: {{...}}}})",
            ops::compare::identical_warning(a, b)
        );
        let message = std::ffi::CString::new(message).unwrap_or_default();
        let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
        PyErr::warn(py, &category, &message, 1)?;
    }
    let pool = pool(control.threads)?;
    check_all(&pool, &RunOptions::default(), &ops::compare::to_run(&given))?;
    let cancel = CancelToken::new();
    let observer = Py(cancel.clone());
    let compared = without_gil(py, cancel, move || {
        ops::compare::compare(given, &pool, &observer)
    })?
    .map_err(op_error)?;
    let mut out = texts(artifacts::compare_files(&compared))?;
    out.push(("manifest".to_string(), json_text(&compared.manifest())?));
    Ok(out)
}

/// Assesses a scenario against a menu of practices (the default one from `round`, or a
/// menu's TOML text): each file of the assessment folder by name as text, and
/// `assess.json`'s text as `manifest`.
#[pyfunction]
#[pyo3(signature = (kind, value, control, round=None, menu=None))]
fn assess(
    py: Python<'_>,
    kind: &str,
    value: &str,
    control: Control,
    round: Option<u32>,
    menu: Option<String>,
) -> PyResult<Vec<(String, String)>> {
    let source = source(kind, value)?;
    let choice = match menu {
        Some(text) => MenuChoice::Text {
            text,
            origin: "<menu>".to_string(),
        },
        None => MenuChoice::Default { round },
    };
    let plan = ops::assess::plan(&source, &control.overrides(None)?, choice).map_err(op_error)?;
    let pool = pool(control.threads)?;
    check_all(&pool, &ops::assess::options(), &plan.scenarios())?;
    let cancel = CancelToken::new();
    let observer = Py(cancel.clone());
    let (plan, assessed) = without_gil(py, cancel, move || {
        let assessed = ops::assess::assess(&plan, &pool, &observer);
        (plan, assessed)
    })?;
    let assessed = assessed.map_err(op_error)?;
    let mut out = texts(artifacts::assess_files(&assessed, &plan))?;
    out.push(("manifest".to_string(), json_text(&assessed.manifest)?));
    Ok(out)
}

/// Runs the base scenario at each point (values of `keys`), as a sweep would: the text of
/// a `points.csv` and, when `with_replicates`, of the replicates' table (else empty).
#[pyfunction]
#[pyo3(signature = (kind, value, keys, points, control, with_replicates=false))]
fn run_points(
    py: Python<'_>,
    kind: &str,
    value: &str,
    keys: Vec<String>,
    points: Vec<Vec<f64>>,
    control: Control,
    with_replicates: bool,
) -> PyResult<(String, String)> {
    let base = source(kind, value)?;
    let run = collabgov_study::sweep::PointsOptions {
        seed: control.seed.unwrap_or(1),
        replicates: control.replicates.unwrap_or(20),
        rounds: control.rounds,
        per_replicate: with_replicates,
    };
    // On `threads` workers without the GIL; Ctrl-C cancels.
    let pool = pool(control.threads)?;
    let cancel = CancelToken::new();
    let token = cancel.clone();
    let tables = without_gil(py, cancel, move || {
        pool.install(|| {
            let load = base.loader();
            collabgov_study::sweep::run_points(
                &base.text,
                &base.origin,
                &load,
                &keys,
                &points,
                run,
                &token,
            )
        })
    })?
    .map_err(op_error)?;
    Ok((tables.points, tables.replicates))
}

/// Runs a sweep file (or its TOML text) point by point, as `collabgov sweep` does: the
/// text of its `points.csv`.
#[pyfunction]
#[pyo3(signature = (kind, value, threads=None))]
fn sweep(py: Python<'_>, kind: &str, value: &str, threads: Option<usize>) -> PyResult<String> {
    let src = source(kind, value)?;
    let folder = src.folder().map(Path::to_path_buf).unwrap_or_default();
    let inputs = Inputs::default();
    let (plan, base_folder) =
        load_sweep(&src.text, &src.origin, &folder, &inputs).map_err(scenario_error)?;
    // The command line's loop (`ops::sweep`): linked keys, `fixed_network` and the memory
    // check as `collabgov sweep` has them.
    let pool = pool(threads)?;
    let cancel = CancelToken::new();
    let observer = Py(cancel.clone());
    without_gil(py, cancel, move || {
        let load = |name: &str| inputs.loader(&base_folder)(name);
        ops::sweep::points_csv(&plan, &load, &pool, &observer)
    })?
    .map_err(op_error)
}

/// Scenario discovery (PRIM, as `collabgov discover`) on a `points.csv`'s text over the
/// factor columns `factors`: the trajectory's CSV, the chosen box and the sentence.
#[pyfunction]
#[pyo3(signature = (points, factors, condition, alphas, chosen=None, min_coverage=0.5))]
fn discover(
    points: &str,
    factors: Vec<String>,
    condition: &str,
    alphas: (f64, f64, f64),
    chosen: Option<usize>,
    min_coverage: f64,
) -> PyResult<(String, usize, String)> {
    let (peel_alpha, paste_alpha, mass_min) = alphas;
    let options = collabgov_study::sweep::prim::PrimOptions {
        peel_alpha,
        paste_alpha,
        mass_min,
    };
    let found = collabgov_study::sweep::prim::discover(
        points,
        &factors,
        condition,
        options,
        (chosen, min_coverage),
    )
    .map_err(PyValueError::new_err)?;
    Ok((found.trajectory_csv(), found.chosen, found.sentence()))
}

/// Ansell & Gash's six criteria: `(criterion, passes, why)` for each.
#[pyfunction]
fn validate(kind: &str, value: &str) -> PyResult<Vec<(String, bool, String)>> {
    let loaded = source(kind, value)?
        .parse(&Overrides::default())
        .map_err(scenario_error)?;
    Ok(collabgov_study::criteria::six_criteria(&loaded.scenario)
        .into_iter()
        .map(|c| (c.name.to_string(), c.pass, c.reason))
        .collect())
}

/// The run's tables and chart metadata from the parts `run` returned (CSV texts and
/// `run.json`'s text), read back as `collabgov plot` reads a run folder.
fn tables_of(parts: &[(String, String)]) -> PyResult<(RunTables, ChartMeta, RunManifest)> {
    let get = |name: &str| {
        parts
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, t)| t.as_str())
    };
    let mut tables = RunTables::read(
        get("rounds"),
        get("replicates"),
        get("actors"),
        get("network"),
        get("activities"),
    )
    .map_err(|e| PyValueError::new_err(e.to_string()))?;
    if !get("units").is_empty() {
        tables.units =
            collabgov_study::output::read_units(get("units")).map_err(PyValueError::new_err)?;
    }
    let manifest: RunManifest = serde_json::from_str(get("manifest"))
        .map_err(|e| PyValueError::new_err(format!("run.json: {e}")))?;
    let meta = ChartMeta::from_manifest(&manifest.scenario_name, &manifest);
    Ok((tables, meta, manifest))
}

/// The names of the charts a run can draw (`overview`, `metric-trust`, ...).
#[pyfunction]
fn chart_names(parts: Vec<(String, String)>) -> PyResult<Vec<String>> {
    let (tables, _, _) = tables_of(&parts)?;
    Ok(Chart::all(&tables).into_iter().map(Chart::name).collect())
}

/// How a chart looks, as the CLI's `--style`, `--font-scale`, `--title` and `--caption`
/// (a dict from Python; an empty title or caption leaves it out).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Looks {
    style: String,
    font_scale: f64,
    #[pyo3(default)]
    title: Option<String>,
    #[pyo3(default)]
    caption: Option<String>,
}

/// Draws chart `kind` of a run (the parts `run` returned) as PNG or SVG bytes, the same
/// chart `collabgov run` and `collabgov plot` draw.
#[pyfunction]
#[pyo3(signature = (parts, kind, looks, format="png", size=None))]
fn plot(
    py: Python<'_>,
    parts: Vec<(String, String)>,
    kind: &str,
    looks: Looks,
    format: &str,
    size: Option<(u32, u32)>,
) -> PyResult<Vec<u8>> {
    use collabgov_viz::style::{Preset, Style};
    let preset = match looks.style.as_str() {
        "screen" => Preset::Screen,
        "paper" => Preset::Paper,
        "projector" => Preset::Projector,
        other => {
            return Err(PyValueError::new_err(format!(
                "expected the style \"screen\", \"paper\" or \"projector\", found \"{}\"",
                collabgov_core::scenario::error::excerpt(other)
            )));
        }
    };
    let style = Style {
        preset,
        font_scale: looks.font_scale,
        title: looks.title,
        caption: looks.caption,
        x_label: None,
        y_label: None,
        lang: Default::default(),
    };
    style.check().map_err(PyValueError::new_err)?;
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
    let (tables, meta, _) = tables_of(&parts)?;
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
    py.allow_threads(|| {
        collabgov_viz::style::with_style(&style, || {
            collabgov_viz::draw(chart, &tables, &meta, format, size)
        })
    })
    .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The report of a run (the parts `run` returned) as one self-contained HTML document, the
/// one `collabgov report` writes for a run folder: the scenario in words and against the
/// six criteria (rebuilt from `run.json`, its files read where the scenario came from),
/// the key numbers, the provenance and every chart as SVG.
/// With `handout`, the handout of `collabgov report --handout` in `lang` (`en` or `id`)
/// instead: at most two A4 pages for a class.
#[pyfunction]
#[pyo3(signature = (parts, handout = false, lang = "en"))]
fn report(
    py: Python<'_>,
    parts: Vec<(String, String)>,
    handout: bool,
    lang: &str,
) -> PyResult<String> {
    let (tables, meta, manifest) = tables_of(&parts)?;
    let lang = collabgov_study::i18n::Lang::parse(lang).ok_or_else(|| {
        PyValueError::new_err(format!(
            "expected the language \"en\" or \"id\", found \"{}\"",
            collabgov_core::scenario::error::excerpt(lang)
        ))
    })?;
    py.allow_threads(|| {
        let scenario = manifest.rebuild();
        if handout {
            return collabgov_viz::handout::handout(
                &[collabgov_viz::handout::HandoutRun {
                    name: &manifest.scenario_name,
                    tables: &tables,
                    manifest: &manifest,
                    scenario: scenario.as_ref().ok(),
                }],
                lang,
            );
        }
        collabgov_viz::report::run_report(
            &manifest.scenario_name,
            &tables,
            &meta,
            &manifest,
            scenario.as_ref(),
        )
    })
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
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(assess, m)?)?;
    m.add_function(wrap_pyfunction!(run_points, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(discover, m)?)?;
    m.add_function(wrap_pyfunction!(chart_names, m)?)?;
    m.add_function(wrap_pyfunction!(plot, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    Ok(())
}
