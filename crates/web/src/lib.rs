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
//! client's request (scenarios naming files are refused); every request is checked
//! against the page's caps before anything is built or run ([`Config`]: work, replicates,
//! the memory one request may need and all of them together, upload size, runs at once
//! and requests waiting); parsing and building run on the blocking pool, never on the
//! workers that answer requests; a page that stops reading its run's events for
//! [`Config::stall_timeout`] loses the run; a request's headers and body must arrive within
//! [`Config::request_timeout`]; connections are capped; a `Host` that names another site
//! is refused (DNS rebinding); Ctrl-C stops the server within a few seconds, clients
//! connected or not (`guard`).
//!
//! | route | what |
//! |---|---|
//! | `GET /` and `/assets/...` | the page |
//! | `GET /api/scenarios` | the bundled scenarios: name, description, TOML, whether they have services |
//! | `POST /api/compose` | `{toml, set: [[key, value]], practices: [[name, round]]}` to `{toml, ...}` or `{error}` |
//! | `POST /api/run` | `{runs: [toml, ...]}` (one, or two to compare): a stream of events `start`, `queued`, `round`, `done`, `error` |
//! | `POST /api/handout` | `{runs: [toml, ...], names: [name, ...], lang}`: the runs again (the same seed gives the same numbers) as the handout of `collabgov report --handout`, an HTML page to print |

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use collabgov_core::scenario::{ScenarioError, SetValue, no_files};
use collabgov_core::{Overrides, Scenario};
use collabgov_sim::{CancelToken, Metric, RoundUpdate, RunOptions};
use collabgov_study::artifacts;
use collabgov_study::bundled::BUNDLED;
use collabgov_study::i18n::Lang;
use collabgov_study::manifest::marks_in as marks;
use collabgov_study::ops::{self, Limits, Observer, compare::Given};
use collabgov_study::practices::{Practice, compose};
use collabgov_study::source::{Loaded, Source};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio_stream::wrappers::ReceiverStream;

mod assets;
pub mod guard;

/// Limits on what one client may ask, and on the page as a whole.
#[derive(Clone, Debug)]
pub struct Config {
    /// Most work one request may ask: (actors x issues + relations) x rounds x replicates
    /// ([`ops::work_of`]), its runs together.
    pub max_work: u64,
    /// Most replicates of one run (a live run holds every replicate's state at once).
    pub max_replicates: u32,
    /// Most bytes of a request (an uploaded scenario).
    pub max_upload: usize,
    /// Runs at once; others queue.
    pub max_runs: usize,
    /// Most memory one request's runs may need, as estimated before anything is built
    /// (the forum while parsing, the run before it starts).
    pub max_memory: u64,
    /// Most memory every request running or waiting may need together; a request beyond
    /// it is refused as busy (503).
    pub total_memory: u64,
    /// Requests that may wait for a run slot; more are refused as busy (503).
    pub max_queue: usize,
    /// How long a page may stop reading its run's events before the run is stopped and
    /// its slot freed.
    pub stall_timeout: Duration,
    /// Time a client has to send a request's headers, and again its body.
    pub request_timeout: Duration,
    /// Connections at once; more wait to be accepted.
    pub max_connections: usize,
    /// Host names served besides the server's addresses and `localhost` (`--allow-host`).
    pub allowed_hosts: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_work: 200_000_000,
            max_replicates: 1000,
            max_upload: 256 * 1024,
            max_runs: 2,
            max_memory: 512 << 20,
            total_memory: 1536 << 20,
            max_queue: 16,
            stall_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(10),
            max_connections: 256,
            allowed_hosts: Vec::new(),
        }
    }
}

struct App {
    config: Arc<Config>,
    runs: Arc<Semaphore>,
    /// The page's memory in MiB: a request holds its estimate from its check until its
    /// runs end (waiting requests hold their parsed forums).
    memory: Arc<Semaphore>,
    /// Requests waiting for a run slot.
    waiting: AtomicUsize,
    /// Parses and builds at once, on the blocking pool.
    parsing: Semaphore,
    /// The workers every run of the page shares (every core).
    pool: rayon::ThreadPool,
    /// `/api/scenarios`, built once.
    bundled: OnceLock<Value>,
}

/// A request's way to a run slot.
enum Entry {
    /// A slot, at once.
    Now(OwnedSemaphorePermit),
    /// A place in the queue, left when dropped.
    Waiting(Ticket),
}

/// A place in the queue of [`App::enter`].
struct Ticket(Arc<App>);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Bytes in a permit of [`App::memory`].
const MIB: u64 = 1 << 20;

impl App {
    /// The page's caps for a request's check ([`ops::check_all`]).
    fn limits(&self, live: bool) -> Limits {
        Limits {
            max_work: Some(self.config.max_work),
            max_replicates: Some(self.config.max_replicates),
            max_memory: Some(self.config.max_memory),
            live,
        }
    }

    /// Holds `bytes` of the page's memory, or says the page is busy.
    fn reserve(&self, bytes: u64) -> Result<OwnedSemaphorePermit, Box<Response>> {
        let mib = u32::try_from(bytes.div_ceil(MIB).max(1)).unwrap_or(u32::MAX);
        Arc::clone(&self.memory)
            .try_acquire_many_owned(mib)
            .map_err(|_| {
                Box::new(plain_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!(
                        "the page is busy: the runs under way need its memory ({} in all); try again when one has finished",
                        collabgov_core::scenario::size_text(self.config.total_memory)
                    ),
                ))
            })
    }

    /// A run slot now, or a place in the bounded queue; `None` when the queue is full.
    fn enter(self: &Arc<Self>) -> Option<Entry> {
        if let Ok(permit) = Arc::clone(&self.runs).try_acquire_owned() {
            return Some(Entry::Now(permit));
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.config.max_queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Entry::Waiting(Ticket(Arc::clone(self))))
    }

    /// A request that answers at the end (`assess`, the handout) admitted: `bytes` of the
    /// page's memory held, then a run slot, now or after waiting its turn in the queue; the
    /// page busy, the queue full or the server closing says so.
    async fn admit(
        self: &Arc<Self>,
        bytes: u64,
    ) -> Result<(OwnedSemaphorePermit, OwnedSemaphorePermit), Box<Response>> {
        let memory = self.reserve(bytes)?;
        let slot = match self.enter() {
            None => Err(Box::new(busy_queue(&self.config))),
            Some(Entry::Now(permit)) => Ok(permit),
            Some(Entry::Waiting(ticket)) => {
                let permit = Arc::clone(&self.runs).acquire_owned().await;
                drop(ticket);
                permit.map_err(|_| Box::new(closing()))
            }
        }?;
        Ok((memory, slot))
    }

    /// Runs `work` on the blocking pool, at most as many at once as there are cores.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Box<Response>> {
        let Ok(_permit) = self.parsing.acquire().await else {
            return Err(Box::new(closing()));
        };
        tokio::task::spawn_blocking(work).await.map_err(|e| {
            Box::new(plain_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.to_string(),
            ))
        })
    }
}

fn closing() -> Response {
    plain_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "the page is closing".into(),
    )
}

fn busy_queue(config: &Config) -> Response {
    plain_error(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the page is busy: {} requests are already waiting; try again in a moment",
            config.max_queue
        ),
    )
}

/// The application: every route of the page and its API.
pub fn router(config: Config) -> Router {
    let limit = config.max_upload;
    let config = Arc::new(config);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let memory = u32::try_from(config.total_memory / MIB)
        .unwrap_or(u32::MAX)
        .max(1);
    let hosts = guard::Hosts {
        names: Arc::new(
            config
                .allowed_hosts
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
        ),
    };
    let app = Arc::new(App {
        runs: Arc::new(Semaphore::new(config.max_runs.max(1))),
        memory: Arc::new(Semaphore::new(memory as usize)),
        waiting: AtomicUsize::new(0),
        parsing: Semaphore::new(cores),
        config: Arc::clone(&config),
        pool: ops::pool(0).expect("the page's worker threads start"),
        bundled: OnceLock::new(),
    });
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::file))
        .route("/api/scenarios", get(scenarios))
        .route("/api/compose", post(compose_handler))
        .route("/api/run", post(run_handler))
        .route("/api/assess", post(assess_handler))
        .route("/api/handout", post(handout_handler))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(app)
        .layer(middleware::from_fn_with_state(config, guard::read_body))
        .layer(middleware::from_fn_with_state(hosts, guard::check_host))
}

/// Serves the page on `addr` until Ctrl-C, calling `ready` with the bound address (the
/// port is chosen when `addr`'s is 0). Ctrl-C stops it within
/// [`guard::SHUTDOWN_GRACE`], whatever its clients are doing.
pub fn serve(
    addr: SocketAddr,
    config: Config,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        let app = router(config.clone());
        guard::accept_loop(listener, app, &config, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    });
    // Runs still under way are not waited for.
    runtime.shutdown_background();
    served
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
        "levels": s.levels.is_some(),
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
            "autonomy": s.levels.as_ref().map_or(0.0, |l| l.autonomy),
            "control": s.levels.as_ref().map_or(0.0, |l| l.control),
        },
    });
    match value {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

async fn scenarios(State(app): State<Arc<App>>) -> Response {
    if let Some(list) = app.bundled.get() {
        return Json(list.clone()).into_response();
    }
    match app.blocking(bundled_list).await {
        Ok(list) => Json(app.bundled.get_or_init(|| list).clone()).into_response(),
        Err(response) => *response,
    }
}

/// The bundled scenarios as `/api/scenarios` lists them.
fn bundled_list() -> Value {
    let list: Vec<Value> = BUNDLED
        .iter()
        .filter_map(|(name, text)| {
            let s = Scenario::parse(text, name, &no_files).ok()?;
            let mut f = facts(&s);
            f.insert("name".into(), json!(name));
            f.insert("toml".into(), json!(text));
            Some(Value::Object(f))
        })
        .collect();
    Value::Array(list)
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

async fn compose_handler(State(app): State<Arc<App>>, Json(req): Json<ComposeRequest>) -> Response {
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
    // Parsed and built on the blocking pool, a forum above the page's memory refused
    // before it is built.
    let budget = app.config.max_memory;
    let toml = req.toml;
    let composed = app
        .blocking(move || {
            let text = compose(&toml, &file, &set, &practices, budget)?;
            let s = Scenario::parse_within(&text, &file, &no_files, budget)?;
            Ok::<_, ScenarioError>((text, facts(&s)))
        })
        .await;
    match composed {
        Err(response) => *response,
        Ok(Err(e)) => error_response(StatusCode::UNPROCESSABLE_ENTITY, &e),
        Ok(Ok((text, mut f))) => {
            f.insert("toml".into(), json!(text));
            Json(Value::Object(f)).into_response()
        }
    }
}

/// A run request: one scenario text, or two to compare on the same axes.
#[derive(Deserialize)]
struct RunRequest {
    runs: Vec<String>,
}

/// The metrics the page charts, with services the service figures too, and with levels of
/// government trust between levels, understanding between regencies and the regencies in
/// consensus.
fn charted(scenario: &Scenario) -> Vec<Metric> {
    let mut m = vec![
        Metric::TrustWithin,
        Metric::TrustAcross,
        Metric::Commitment,
        Metric::Understanding,
        Metric::Wins,
        Metric::Consensus,
    ];
    if scenario.services.is_some() {
        m.extend([Metric::ServiceTime, Metric::Trips]);
    }
    if scenario.levels.is_some() {
        m.extend([
            Metric::TrustVertical,
            Metric::UnderstandingBetweenUnits,
            Metric::UnitsInConsensus,
        ]);
    }
    m
}

/// Checks a run request on the blocking pool: every text a scenario that reads no file,
/// its forum within the page's memory before it is built, and its runs within the page's
/// caps and the memory estimate every front end applies ([`ops::check_all`], counting every
/// replicate of a live run). Returns the scenarios and the memory they need.
fn check(app: &App, runs: &[String]) -> Result<(Vec<Loaded>, u64), Box<Response>> {
    if runs.is_empty() || runs.len() > 2 {
        return Err(Box::new(plain_error(
            StatusCode::BAD_REQUEST,
            format!(
                "expected one scenario, or two to compare, found {}",
                runs.len()
            ),
        )));
    }
    let overrides = Overrides {
        memory_budget: Some(app.config.max_memory),
        ..Overrides::default()
    };
    let mut out = Vec::with_capacity(runs.len());
    for text in runs {
        let loaded = Source::text(text.clone(), "scenario.toml", None)
            .parse(&overrides)
            .map_err(|e| Box::new(error_response(StatusCode::UNPROCESSABLE_ENTITY, &e)))?;
        out.push(loaded);
    }
    // Replicate 0's live trust aside (not in the estimate), every run's options are the
    // same.
    let all: Vec<&Scenario> = out.iter().map(|l| &l.scenario).collect();
    let bytes = ops::check_all(
        &all,
        &options_for(all[0]),
        app.pool.current_num_threads(),
        &app.limits(true),
    )
    .map_err(|e| Box::new(plain_error(StatusCode::PAYLOAD_TOO_LARGE, e.to_string())))?;
    Ok((out, bytes))
}

/// The page's run options: no network table (the page sends rounds and replicates only),
/// and replicate 0's trust each round where the network is animated (at most
/// [`MAX_LIVE_RELATIONS`] relations).
fn options_for(scenario: &Scenario) -> RunOptions {
    RunOptions {
        skip_network: true,
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
    tx: &'a Events,
    cancel: CancelToken,
}

/// The sending end of a run's event stream, and how long a send may wait for a page
/// that has stopped reading.
struct Events {
    tx: mpsc::Sender<Result<Event, Infallible>>,
    stall: Duration,
    /// The server's runtime, whose timer bounds each send.
    runtime: tokio::runtime::Handle,
}

impl Events {
    /// Sends an event from a blocking thread; `Err` when the page has closed, or has not
    /// read for `stall` (the run then ends and frees its slot).
    fn send(&self, name: &str, data: &Value) -> Result<(), String> {
        // The timer is made inside the runtime's context, where `block_on` polls it.
        let sent = self.runtime.block_on(async {
            tokio::time::timeout(self.stall, self.tx.send(event(name, data))).await
        });
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err("the page closed".into()),
            Err(_) => Err(format!(
                "the page did not read for {} s",
                self.stall.as_secs()
            )),
        }
    }
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
        // Each actor's commitment and power, in hundredths, for the actor a click inspects.
        if let (Some(_), Some((commitment, power))) = (self.live, &update.actors) {
            let hundredths =
                |v: &[f64]| -> Vec<i64> { v.iter().map(|x| (x * 100.0).round() as i64).collect() };
            data["commitment"] = json!(hundredths(commitment));
            data["power"] = json!(hundredths(power));
        }
        if self.tx.send("round", &data).is_err() {
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
    let shared = Arc::clone(&app);
    let checked = app.blocking(move || check(&shared, &req.runs)).await;
    let (scenarios, bytes) = match checked {
        Ok(Ok(checked)) => checked,
        Ok(Err(response)) | Err(response) => return *response,
    };
    // Held from here until the runs end, waiting included.
    let memory = match app.reserve(bytes) {
        Ok(m) => m,
        Err(response) => return *response,
    };
    let Some(entry) = app.enter() else {
        return busy_queue(&app.config);
    };
    let (tx, rx) = mpsc::channel::<Result<Event, Infallible>>(256);
    tokio::spawn(async move {
        let _memory = memory;
        let permit = match entry {
            Entry::Now(permit) => permit,
            Entry::Waiting(ticket) => {
                if tx.send(event("queued", &json!({}))).await.is_err() {
                    return;
                }
                let permit = tokio::select! {
                    permit = Arc::clone(&app.runs).acquire_owned() => permit,
                    () = tx.closed() => return,
                };
                drop(ticket);
                match permit {
                    Ok(p) => p,
                    Err(_) => return,
                }
            }
        };
        if tx.is_closed() {
            return;
        }
        let events = Events {
            tx: tx.clone(),
            stall: app.config.stall_timeout,
            runtime: tokio::runtime::Handle::current(),
        };
        let shared = Arc::clone(&app);
        let done =
            tokio::task::spawn_blocking(move || play(scenarios, &shared.pool, &events)).await;
        drop(permit);
        if let Ok(Err(message)) = done {
            let _ = tx.try_send(event("error", &json!({"message": message})));
        }
    });
    Sse::new(ReceiverStream::new(rx))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Runs the scenarios one after the other, sending each round's numbers and, at the end,
/// each run's summary and tables. Stops (`Err`) when the page has gone.
fn play(runs: Vec<Loaded>, pool: &rayon::ThreadPool, tx: &Events) -> Result<(), String> {
    let send = |name: &str, data: Value| tx.send(name, &data);
    let mut finished: Vec<Given> = Vec::new();
    let mut summaries = Vec::new();
    for (index, loaded) in runs.iter().enumerate() {
        let scenario = &loaded.scenario;
        let metrics = charted(scenario);
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
                // Shares are drawn on [0, 1], the others from 0.
                "shares": metrics.iter().filter(|m| m.is_share()).map(|m| m.name()).collect::<Vec<_>>(),
                // Each intervention's round and label in both languages, marked on every
                // chart.
                "interventions": marks(scenario, Lang::En)
                    .into_iter()
                    .zip(marks(scenario, Lang::Id))
                    .map(|(en, id)| json!({"round": en.round, "label": en.label, "label_id": id.label}))
                    .collect::<Vec<_>>(),
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
        // The summary in both languages of the page, so a switch rewords it.
        let summary_id =
            collabgov_study::report::run_summary_in(&tables, collabgov_study::i18n::Lang::Id);
        let c = collabgov_study::report::consensus_figures(&tables);
        summaries.push(json!({"name": scenario.name, "lines": summary, "lines_id": summary_id}));
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
                "groups": group_series(&tables),
            }),
        )?;
        finished.push(Given::Finished {
            name: scenario.name.clone(),
            fingerprint: ran.manifest.scenario_fingerprint.clone(),
            marks: ran.manifest.interventions,
            run_dir: String::new(),
            seed: scenario.seed,
            tables: Box::new(tables),
        });
    }
    // The comparison's paragraph in both languages of the page.
    let (comparison, comparison_id) = if finished.len() == 2 {
        let compared = ops::compare::compare(finished, pool, &ops::Quiet::default())
            .map_err(|e| e.to_string())?;
        (
            compared.summary(),
            compared.summary_in(collabgov_study::i18n::Lang::Id),
        )
    } else {
        (String::new(), String::new())
    };
    send(
        "done",
        json!({"summaries": summaries, "comparison": comparison, "comparison_id": comparison_id}),
    )
}

/// The most sectors the page draws one line each for in its panels by sector.
const MAX_SECTOR_PANELS: usize = 12;

/// The run's series by sector (the `sector:` groups of `rounds.csv`), for the page's
/// panels by sector: for each group metric, each sector's mean over replicates, round by
/// round (`null` where a round has no value).
fn group_series(tables: &collabgov_study::output::RunTables) -> Value {
    let rounds = tables.rounds.last().map_or(0, |r| r.round as usize);
    let mut series: Vec<(&str, &str, Vec<Option<f64>>)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for row in &tables.groups {
        let Some(sector) = row.group.strip_prefix("sector:") else {
            continue;
        };
        let metric = row.metric.name();
        let at = *index.entry((metric, sector)).or_insert_with(|| {
            series.push((metric, sector, vec![None; rounds + 1]));
            series.len() - 1
        });
        if index.len() > 3 * MAX_SECTOR_PANELS {
            // More lines than a panel can show apart: the page leaves the panels out.
            return Value::Array(Vec::new());
        }
        if let Some(slot) = series[at].2.get_mut(row.round as usize) {
            *slot = Some(row.summary.mean).filter(|v| v.is_finite());
        }
    }
    Value::Array(
        series
            .into_iter()
            .map(|(metric, sector, mean)| json!({"metric": metric, "sector": sector, "mean": mean}))
            .collect(),
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
    // Planned (every scenario parsed, each forum within the page's memory before it is
    // built) and checked on the blocking pool.
    let shared = Arc::clone(&app);
    let planned = app
        .blocking(move || {
            let source = Source::text(req.toml, "scenario.toml", None);
            let overrides = Overrides {
                memory_budget: Some(shared.config.max_memory),
                ..Overrides::default()
            };
            let plan = match ops::assess::plan(
                &source,
                &overrides,
                ops::assess::MenuChoice::Default { round: None },
            ) {
                Ok(plan) => plan,
                Err(ops::OpError::Scenario(e)) => {
                    return Err(Box::new(error_response(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        &e,
                    )));
                }
                Err(e) => {
                    return Err(Box::new(plain_error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        e.to_string(),
                    )));
                }
            };
            // The baseline and every practice run one after the other: their work counts
            // together.
            ops::check_all(
                &plan.scenarios(),
                &ops::assess::options(),
                shared.pool.current_num_threads(),
                &shared.limits(false),
            )
            .map(|bytes| (plan, bytes))
            .map_err(|e| Box::new(plain_error(StatusCode::PAYLOAD_TOO_LARGE, e.to_string())))
        })
        .await;
    let (plan, bytes) = match planned {
        Ok(Ok(planned)) => planned,
        Ok(Err(response)) | Err(response) => return *response,
    };
    let (_memory, permit) = match app.admit(bytes).await {
        Ok(admitted) => admitted,
        Err(response) => return *response,
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
                "label_id": item.title_in(collabgov_study::i18n::Lang::Id),
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

/// A handout request: the scenarios the page ran, the names it shows them by, and its
/// language.
#[derive(Deserialize)]
struct HandoutRequest {
    runs: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    lang: String,
}

/// The longest name of a run the handout takes from the page.
const MAX_NAME: usize = 200;

/// The handout of the runs the page shows ([`collabgov_viz::handout`]): they run again,
/// under the same checks, caps and queue as a run (the same scenario and seed give the
/// same numbers), with the network table the handout draws.
async fn handout_handler(State(app): State<Arc<App>>, Json(req): Json<HandoutRequest>) -> Response {
    let lang = Lang::parse(&req.lang).unwrap_or_default();
    let shared = Arc::clone(&app);
    let runs = req.runs;
    let checked = app.blocking(move || check(&shared, &runs)).await;
    let (scenarios, bytes) = match checked {
        Ok(Ok(checked)) => checked,
        Ok(Err(response)) | Err(response) => return *response,
    };
    let (_memory, permit) = match app.admit(bytes).await {
        Ok(admitted) => admitted,
        Err(response) => return *response,
    };
    let shared = Arc::clone(&app);
    let names = req.names;
    let done = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let mut ran = Vec::with_capacity(scenarios.len());
        for loaded in &scenarios {
            let options = RunOptions::default();
            ran.push(
                ops::run::run(loaded, &options, &shared.pool, &ops::Quiet::default())
                    .map_err(|e| e.to_string())?,
            );
        }
        let parts: Vec<collabgov_viz::handout::HandoutRun<'_>> = scenarios
            .iter()
            .zip(&ran)
            .enumerate()
            .map(|(k, (loaded, ran))| collabgov_viz::handout::HandoutRun {
                name: names
                    .get(k)
                    .map(|n| n.trim())
                    .filter(|n| !n.is_empty() && n.chars().count() <= MAX_NAME)
                    .unwrap_or(&loaded.scenario.name),
                tables: &ran.tables,
                manifest: &ran.manifest,
                scenario: Some(&loaded.scenario),
            })
            .collect();
        collabgov_viz::handout::handout(&parts, lang).map_err(|e| e.to_string())
    })
    .await;
    drop(permit);
    match done {
        Ok(Ok(html)) => {
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        }
        Ok(Err(e)) => plain_error(StatusCode::UNPROCESSABLE_ENTITY, e),
        Err(e) => plain_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
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
                    "name": a.name,
                    "name_id": Lang::Id.actor_name(&a.name, &forum.sectors[a.sector as usize]),
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
