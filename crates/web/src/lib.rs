//! collabgov-web: the classroom page of `collabgov serve`. A local web application (axum
//! on tokio) whose page (HTML, JavaScript, CSS and the vendored uPlot, embedded in the
//! binary) lets a class pick a bundled scenario or upload one, turn the parameters a lesson
//! turns, switch Whole-of-Government practices on, and watch the charts grow while the
//! model runs (server-sent events from [`collabgov_sim::run_live`]), in Bahasa Indonesia or
//! English.
//!
//! The server calls the library's entry points and no other code: a page's settings become
//! scenario text through [`collabgov_study::practices::compose`] (the text the page offers for
//! download, so `collabgov run` on it reproduces the page's numbers byte for byte), runs
//! go through `run_live`, the summary is [`collabgov_study::report::run_summary`] and the
//! tables the writers of `collabgov run`.
//!
//! Safety for a classroom network: no file on the machine is read or written at a
//! client's request (scenarios naming files are refused); caps on the work of one request
//! ([`Config::max_work`]), on upload size and on runs at once (others queue); a closed
//! page cancels its run.
//!
//! | route | what |
//! |---|---|
//! | `GET /` and `/assets/...` | the page |
//! | `GET /api/scenarios` | the bundled scenarios: name, description, TOML, whether they have services |
//! | `POST /api/compose` | `{toml, set: [[key, value]], practices: [[name, round]]}` to `{toml, ...}` or `{error}` |
//! | `POST /api/run` | `{runs: [toml, ...]}` (one, or two to compare): a stream of events `start`, `queued`, `round`, `done`, `error` |

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use collabgov_core::scenario::{ScenarioError, SetValue, no_files};
use collabgov_core::{Overrides, Scenario};
use collabgov_sim::{CancelToken, Metric, RoundUpdate, RunOptions};
use collabgov_study::artifacts;
use collabgov_study::bundled::BUNDLED;
use collabgov_study::ops::{self, Limits, Observer, compare::Given};
use collabgov_study::practices::{Practice, compose};
use collabgov_study::source::{Loaded, Source};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::{Semaphore, mpsc};
use tokio_stream::wrappers::ReceiverStream;

mod assets;

/// Limits on what one client may ask.
#[derive(Clone, Debug)]
pub struct Config {
    /// Most work one run may ask: (actors + relations) x rounds x replicates.
    pub max_work: u64,
    /// Most replicates of one run (a live run holds every replicate's state at once).
    pub max_replicates: u32,
    /// Most bytes of a request (an uploaded scenario).
    pub max_upload: usize,
    /// Runs at once; others queue.
    pub max_runs: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_work: 200_000_000,
            max_replicates: 1000,
            max_upload: 256 * 1024,
            max_runs: 2,
        }
    }
}

struct App {
    config: Config,
    runs: Semaphore,
    /// The workers every run of the page shares (every core).
    pool: rayon::ThreadPool,
}

/// The application: every route of the page and its API.
pub fn router(config: Config) -> Router {
    let limit = config.max_upload;
    let app = Arc::new(App {
        runs: Semaphore::new(config.max_runs.max(1)),
        config,
        pool: ops::pool(0).expect("the page's worker threads start"),
    });
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::file))
        .route("/api/scenarios", get(scenarios))
        .route("/api/compose", post(compose_handler))
        .route("/api/run", post(run_handler))
        .route("/api/assess", post(assess_handler))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(app)
}

/// Serves the page on `addr` until Ctrl-C, calling `ready` with the bound address (the
/// port is chosen when `addr`'s is 0).
pub fn serve(
    addr: SocketAddr,
    config: Config,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(config))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}

/// A JSON error: `{error: {message, file, line, key}}` with a status.
fn error_response(status: StatusCode, e: &ScenarioError) -> Response {
    (
        status,
        Json(json!({"error": {
            "message": e.to_string(),
            "file": e.file,
            "line": e.line,
            "key": e.key,
        }})),
    )
        .into_response()
}

fn plain_error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({"error": {"message": message}}))).into_response()
}

/// What the page shows of a scenario: its name, size, sectors and the values its
/// sliders start at.
fn facts(s: &Scenario) -> serde_json::Map<String, Value> {
    let p = &s.params;
    let value = json!({
        "name": s.name,
        "description": s.description,
        "services": s.services.is_some(),
        "sectors": s.forum.sectors,
        "rounds": s.rounds,
        "replicates": s.replicates,
        "seed": s.seed,
        "actors": s.forum.actors.len(),
        "relations": s.forum.graph.n_relations(),
        "params": {
            "silo": p.silo,
            "inclusiveness": p.inclusiveness,
            "leadership": p.leadership,
            "ground_rules": p.ground_rules,
            "legal_clarity": p.legal_clarity,
        },
    });
    match value {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

async fn scenarios() -> Json<Value> {
    let list: Vec<Value> = BUNDLED
        .iter()
        .filter_map(|(name, text)| {
            let s = Scenario::parse(text, name, &no_files).ok()?;
            let mut f = facts(&s);
            f.insert("name".into(), json!(name));
            f.insert(
                "description_id".into(),
                json!(collabgov_study::bundled::description_id(name)),
            );
            f.insert("toml".into(), json!(text));
            Some(Value::Object(f))
        })
        .collect();
    Json(Value::Array(list))
}

/// A compose request: a scenario's TOML, values to set and practices to add.
#[derive(Deserialize)]
struct ComposeRequest {
    toml: String,
    #[serde(default = "page_file")]
    file: String,
    #[serde(default)]
    set: Vec<(String, Value)>,
    #[serde(default)]
    practices: Vec<(String, u32)>,
}

fn page_file() -> String {
    "scenario.toml".into()
}

async fn compose_handler(Json(req): Json<ComposeRequest>) -> Response {
    let file = collabgov_core::scenario::error::excerpt(&req.file);
    let mut set = Vec::with_capacity(req.set.len());
    for (key, value) in req.set {
        let value = match value {
            Value::Number(n) => SetValue::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => SetValue::Text(s),
            Value::Bool(b) => SetValue::Text(b.to_string()),
            other => {
                return plain_error(
                    StatusCode::BAD_REQUEST,
                    format!("{key}: expected a number or text, found {other}"),
                );
            }
        };
        set.push((key, value));
    }
    let mut practices = Vec::with_capacity(req.practices.len());
    for (name, round) in req.practices {
        match Practice::from_key(&name) {
            Some(p) => practices.push((p, round)),
            None => {
                return plain_error(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "expected a practice ({}), found \"{}\"",
                        Practice::ALL.map(Practice::key).join(", "),
                        collabgov_core::scenario::error::excerpt(&name)
                    ),
                );
            }
        }
    }
    match compose(&req.toml, &file, &set, &practices) {
        Err(e) => error_response(StatusCode::UNPROCESSABLE_ENTITY, &e),
        Ok(text) => match Scenario::parse(&text, &file, &no_files) {
            Err(e) => error_response(StatusCode::UNPROCESSABLE_ENTITY, &e),
            Ok(s) => {
                let mut f = facts(&s);
                f.insert("toml".into(), json!(text));
                Json(Value::Object(f)).into_response()
            }
        },
    }
}

/// A run request: one scenario text, or two to compare on the same axes.
#[derive(Deserialize)]
struct RunRequest {
    runs: Vec<String>,
}

/// The metrics the page charts, with services the service figures too.
fn charted(services: bool) -> Vec<Metric> {
    let mut m = vec![
        Metric::TrustWithin,
        Metric::TrustAcross,
        Metric::Commitment,
        Metric::Understanding,
        Metric::Wins,
        Metric::Consensus,
    ];
    if services {
        m.extend([Metric::ServiceTime, Metric::Trips]);
    }
    m
}

/// Checks a run request: every text a scenario that reads no file, within the page's caps
/// and the memory estimate every front end applies ([`collabgov_study::ops::check`]).
fn check(
    config: &Config,
    pool: &rayon::ThreadPool,
    runs: &[String],
) -> Result<Vec<Loaded>, Box<Response>> {
    if runs.is_empty() || runs.len() > 2 {
        return Err(Box::new(plain_error(
            StatusCode::BAD_REQUEST,
            format!(
                "expected one scenario, or two to compare, found {}",
                runs.len()
            ),
        )));
    }
    let limits = Limits {
        max_work: Some(config.max_work),
        max_replicates: Some(config.max_replicates),
    };
    let mut out = Vec::with_capacity(runs.len());
    for text in runs {
        let loaded = Source::text(text.clone(), "scenario.toml", None)
            .parse(&Overrides::default())
            .map_err(|e| Box::new(error_response(StatusCode::UNPROCESSABLE_ENTITY, &e)))?;
        let options = options_for(&loaded.scenario);
        ops::check(
            &loaded.scenario,
            &options,
            pool.current_num_threads(),
            &limits,
        )
        .map_err(|e| Box::new(plain_error(StatusCode::PAYLOAD_TOO_LARGE, e.to_string())))?;
        out.push(loaded);
    }
    Ok(out)
}

/// The page's run options: replicate 0's trust each round where the network is animated
/// (at most [`MAX_LIVE_RELATIONS`] relations).
fn options_for(scenario: &Scenario) -> RunOptions {
    RunOptions {
        live_trust: scenario.forum.graph.n_relations() <= MAX_LIVE_RELATIONS,
        ..RunOptions::default()
    }
}

/// The page's observer of a run: each round's numbers (and replicate 0's trust) as an
/// event; a closed page cancels the run.
struct Live<'a> {
    index: usize,
    metrics: Vec<Metric>,
    live: Option<&'a LiveNetwork>,
    tx: &'a mpsc::Sender<Result<Event, Infallible>>,
    cancel: CancelToken,
}

impl Observer for Live<'_> {
    fn wants_rounds(&self) -> bool {
        true
    }

    fn round(&self, update: &RoundUpdate) {
        let mut values = serde_json::Map::new();
        for stat in &update.stats {
            if self.metrics.contains(&stat.metric) {
                let s = &stat.summary;
                values.insert(
                    stat.metric.name().to_string(),
                    json!([finite(s.mean), finite(s.q025), finite(s.q975)]),
                );
            }
        }
        let mut data = json!({"run": self.index, "round": update.round, "values": values});
        if let (Some(live), Some(trust)) = (self.live, &update.trust) {
            data["trust"] = live.trust(trust);
        }
        if self.tx.blocking_send(event("round", &data)).is_err() {
            self.cancel.cancel();
        }
    }

    fn cancel(&self) -> &CancelToken {
        &self.cancel
    }
}

fn event(name: &str, data: &Value) -> Result<Event, Infallible> {
    Ok(Event::default().event(name).data(data.to_string()))
}

async fn run_handler(State(app): State<Arc<App>>, Json(req): Json<RunRequest>) -> Response {
    let scenarios = match check(&app.config, &app.pool, &req.runs) {
        Ok(s) => s,
        Err(response) => return *response,
    };
    let (tx, rx) = mpsc::channel::<Result<Event, Infallible>>(256);
    tokio::spawn(async move {
        let permit = match app.runs.try_acquire() {
            Ok(p) => p,
            Err(_) => {
                if tx.send(event("queued", &json!({}))).await.is_err() {
                    return;
                }
                match app.runs.acquire().await {
                    Ok(p) => p,
                    Err(_) => return,
                }
            }
        };
        if tx.is_closed() {
            return;
        }
        let sender = tx.clone();
        let shared = Arc::clone(&app);
        let done =
            tokio::task::spawn_blocking(move || play(scenarios, &shared.pool, &sender)).await;
        if let Ok(Err(message)) = done {
            let _ = tx.send(event("error", &json!({"message": message}))).await;
        }
        drop(permit);
    });
    Sse::new(ReceiverStream::new(rx))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Runs the scenarios one after the other, sending each round's numbers and, at the end,
/// each run's summary and tables. Stops (`Err`) when the page has gone.
fn play(
    runs: Vec<Loaded>,
    pool: &rayon::ThreadPool,
    tx: &mpsc::Sender<Result<Event, Infallible>>,
) -> Result<(), String> {
    let send = |name: &str, data: Value| -> Result<(), String> {
        tx.blocking_send(event(name, &data))
            .map_err(|_| "the page closed".to_string())
    };
    let mut finished: Vec<Given> = Vec::new();
    let mut summaries = Vec::new();
    for (index, loaded) in runs.iter().enumerate() {
        let scenario = &loaded.scenario;
        let metrics = charted(scenario.services.is_some());
        let options = options_for(scenario);
        let live = options.live_trust.then(|| LiveNetwork::of(scenario));
        send(
            "start",
            json!({
                "run": index,
                "name": scenario.name,
                "rounds": scenario.rounds,
                "replicates": scenario.replicates,
                "actors": scenario.forum.actors.len(),
                "metrics": metrics.iter().map(|m| m.name()).collect::<Vec<_>>(),
                "network": live.as_ref().map(|l| &l.picture),
            }),
        )?;
        let observer = Live {
            index,
            metrics,
            live: live.as_ref(),
            tx,
            cancel: CancelToken::new(),
        };
        let ran = ops::run::run(loaded, &options, pool, &observer)
            .map_err(|_| "the page closed".to_string())?;
        let tables = ran.tables;
        let summary = collabgov_study::report::run_summary(&tables);
        let c = collabgov_study::report::consensus_figures(&tables);
        summaries.push(json!({"name": scenario.name, "lines": summary}));
        // The two tables the page downloads, as the artifacts of a run folder.
        let (rounds_csv, replicates_csv) = {
            let files = artifacts::run_files(&tables);
            let text = |stem: &str| -> Result<String, String> {
                let file = files
                    .iter()
                    .find(|a| a.name == stem)
                    .ok_or_else(|| format!("no {stem} table"))?;
                String::from_utf8(file.bytes().map_err(|e| e.to_string())?)
                    .map_err(|e| e.to_string())
            };
            (text("rounds")?, text("replicates")?)
        };
        send(
            "finished",
            json!({
                "run": index,
                "name": scenario.name,
                "summary": summary,
                "consensus": {
                    "percent": c.percent,
                    "low": c.low,
                    "high": c.high,
                    "replicates": c.replicates,
                    "median_round": c.median_round,
                },
                "rounds_csv": rounds_csv,
                "replicates_csv": replicates_csv,
            }),
        )?;
        finished.push(Given::Finished {
            name: scenario.name.clone(),
            marks: ran.manifest.interventions,
            run_dir: String::new(),
            seed: scenario.seed,
            tables: Box::new(tables),
        });
    }
    let comparison = if finished.len() == 2 {
        ops::compare::compare(finished, pool, &ops::Quiet::default())
            .map_err(|e| e.to_string())?
            .summary()
    } else {
        String::new()
    };
    send(
        "done",
        json!({"summaries": summaries, "comparison": comparison}),
    )
}

/// An assessment request: the scenario text the page runs (as composed).
#[derive(Deserialize)]
struct AssessRequest {
    toml: String,
}

/// `collabgov assess` for the page: the default menu from a fifth of the rounds, each
/// practice paired with the baseline, ranked (`ops::assess`, the same numbers as the
/// command). The baseline and every practice count against the page's caps together.
async fn assess_handler(State(app): State<Arc<App>>, Json(req): Json<AssessRequest>) -> Response {
    let source = Source::text(req.toml, "scenario.toml", None);
    let plan = match ops::assess::plan(
        &source,
        &Overrides::default(),
        ops::assess::MenuChoice::Default { round: None },
    ) {
        Ok(plan) => plan,
        Err(ops::OpError::Scenario(e)) => {
            return error_response(StatusCode::UNPROCESSABLE_ENTITY, &e);
        }
        Err(e) => return plain_error(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
    };
    // The baseline and every practice run one after the other: their work counts together.
    let limits = Limits {
        max_work: Some(app.config.max_work),
        max_replicates: Some(app.config.max_replicates),
    };
    if let Err(e) = ops::check_all(
        &plan.scenarios(),
        &ops::assess::options(),
        app.pool.current_num_threads(),
        &limits,
    ) {
        return plain_error(StatusCode::PAYLOAD_TOO_LARGE, e.to_string());
    }
    let Ok(permit) = app.runs.acquire().await else {
        return plain_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the page is closing".into(),
        );
    };
    let shared = Arc::clone(&app);
    let done = tokio::task::spawn_blocking(move || {
        ops::assess::assess(&plan, &shared.pool, &ops::Quiet::default()).map(|a| (plan, a))
    })
    .await;
    drop(permit);
    let (plan, assessed) = match done {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => return plain_error(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        Err(e) => return plain_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let effect = |p: &collabgov_study::report::Paired| json!({"mean": finite(p.mean), "low": finite(p.low), "high": finite(p.high)});
    let ranking: Vec<Value> = assessed
        .ranked
        .iter()
        .map(|r| {
            let item = &plan.menu.practices[r.practice];
            json!({
                "rank": r.rank,
                "name": item.name,
                "label": item.title(),
                "consensus": effect(&r.consensus),
                "trust_across": effect(&r.trust),
                "clear_effect": r.clear(),
                "distinct_from_next": r.distinct_from_next(),
            })
        })
        .collect();
    let assess_csv = String::from_utf8_lossy(&assessed.table).into_owned();
    Json(json!({
        "name": plan.base.scenario.name,
        "round": plan.round,
        "left_out": plan.left_out,
        "ranking": ranking,
        "summary": assessed.summary,
        "assess_csv": assess_csv,
    }))
    .into_response()
}

/// Most relations the page animates; a larger forum runs without the live network.
pub const MAX_LIVE_RELATIONS: usize = 4000;

/// Replicate 0's network as the page animates it: each actor's place (sectors as clusters,
/// as in the network picture of `collabgov run`), sector and kind, and each relation's
/// actors and the rounds it exists in; each round then sends its trust.
struct LiveNetwork {
    picture: Value,
    /// Both slots of each relation, in the order of `picture`'s relations.
    slots: Vec<(usize, usize)>,
}

impl LiveNetwork {
    fn of(scenario: &Scenario) -> LiveNetwork {
        let forum = &scenario.forum;
        let graph = &forum.graph;
        let sector: Vec<&str> = forum
            .actors
            .iter()
            .map(|a| forum.sectors[a.sector as usize].as_str())
            .collect();
        let (sectors, places) = collabgov_viz::data::layout_of(&sector, &forum.is_agency);
        let actors: Vec<Value> = forum
            .actors
            .iter()
            .zip(&places)
            .zip(&forum.is_agency)
            .map(|((a, (x, y)), agency)| {
                json!({
                    "id": a.id,
                    "x": (x * 1000.0).round() / 1000.0,
                    "y": (y * 1000.0).round() / 1000.0,
                    "sector": forum.sectors[a.sector as usize],
                    "agency": agency,
                    "joins": a.joins_at,
                })
            })
            .collect();
        let mut slots = Vec::with_capacity(graph.n_relations());
        let mut relations = Vec::with_capacity(graph.n_relations());
        for (slot, i, j) in graph.relations() {
            slots.push((slot, graph.reverse(slot)));
            let w = forum
                .windows
                .as_ref()
                .map_or(collabgov_core::Window::ALWAYS, |w| w[slot]);
            let until = (w.until != u32::MAX).then_some(w.until);
            relations.push(json!([i, j, w.from, until]));
        }
        LiveNetwork {
            picture: json!({"sectors": sectors, "actors": actors, "relations": relations}),
            slots,
        }
    }

    /// Each relation's mutual trust (the mean of both ways, as the network picture draws
    /// it) in hundredths.
    fn trust(&self, trust: &[f64]) -> Value {
        Value::Array(
            self.slots
                .iter()
                .map(|&(a, b)| json!(((trust[a] + trust[b]) * 50.0).round() as i64))
                .collect(),
        )
    }
}

/// A number for JSON (NaN and infinities as null).
fn finite(v: f64) -> Value {
    if v.is_finite() { json!(v) } else { Value::Null }
}

/// The content type of an asset by its extension.
fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    }
}

fn asset_response(file: &str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type(file)),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
