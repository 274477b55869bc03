//! The page's server under a hostile classroom: a real server on 127.0.0.1 (the accept
//! loop `collabgov serve` runs) and raw HTTP clients sending the requests of the hostile
//! review, each bounded in count and time. Every bad request gets a clear error and the
//! server keeps answering others.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::Duration;

use collabgov_web::{Config, guard, router};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Longest any one exchange of these tests may take before the test fails.
const BOUND: Duration = Duration::from_secs(120);

/// A server on 127.0.0.1 with `config`, stopped when the returned sender is dropped.
async fn start(config: Config) -> (SocketAddr, oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let app = router(config.clone());
        guard::accept_loop(listener, app, &config, async {
            let _ = stopped.await;
        })
        .await;
    });
    (addr, stop)
}

/// A page's caps, short deadlines for the tests.
fn config() -> Config {
    Config {
        request_timeout: Duration::from_secs(1),
        stall_timeout: Duration::from_secs(1),
        ..Config::default()
    }
}

fn post_text(addr: SocketAddr, path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Sends `raw` and reads the answer to its end.
async fn exchange(addr: SocketAddr, raw: &str) -> String {
    tokio::time::timeout(BOUND, async {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(raw.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer).to_string()
    })
    .await
    .expect("the server answered in time")
}

fn status(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The server still answers: the bundled scenarios' list.
async fn alive(addr: SocketAddr) {
    let answer = exchange(
        addr,
        &format!("GET /api/scenarios HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(status(&answer), 200, "{answer}");
    assert!(answer.contains("siloed-government"));
}

/// Reads from `stream` until `needle` has arrived.
async fn read_until(stream: &mut TcpStream, needle: &str) {
    let mut seen = Vec::new();
    while !String::from_utf8_lossy(&seen).contains(needle) {
        let mut buf = [0u8; 4096];
        let n = tokio::time::timeout(BOUND, stream.read(&mut buf))
            .await
            .expect("the server answered in time")
            .unwrap();
        assert!(
            n > 0,
            "closed before {needle}: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
    }
}

fn run_body(toml: &str) -> String {
    json!({ "runs": [toml] }).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_requests_past_the_caps_are_refused_and_the_server_lives() {
    let (addr, _stop) = start(config()).await;
    let sbm = |actors: usize, extra: &str| {
        format!(
            "name = \"x\"\n{extra}\n[network]\ntype = \"small_world\"\nk = 4\nbeta = 0.1\n[[sectors]]\nname = \"a\"\nagencies = {actors}\n"
        )
    };
    let cases = [
        // No rounds, a thousand replicates of a large forum: a live run holds them all.
        (
            sbm(50_000, "rounds = 0\nreplicates = 1000"),
            413,
            "fits in 512 MiB",
        ),
        // 20,000 agencies on a complete network: refused before the forum is built.
        (
            "name = \"x\"\n[network]\ntype = \"complete\"\n[[sectors]]\nname = \"a\"\nagencies = 20000\n"
                .to_string(),
            422,
            "fits in 512 MiB",
        ),
        // Sixty million rounds: the per-round records are counted before anything runs.
        (
            "name = \"x\"\nrounds = 60000000\nreplicates = 1\n[[sectors]]\nname = \"a\"\nagencies = 2\n"
                .to_string(),
            413,
            "",
        ),
        (
            "name = \"x\"\nrounds = 20000000\nreplicates = 1\n[[sectors]]\nname = \"a\"\nagencies = 2\n"
                .to_string(),
            413,
            "fits in 512 MiB",
        ),
        // Many issues: counted in the work.
        (
            sbm(2000, "rounds = 200\nreplicates = 100\nissues = 50"),
            413,
            "too much work",
        ),
    ];
    for (toml, code, needle) in &cases {
        let body = run_body(toml);
        assert!(body.len() < 200, "a small request: {} bytes", body.len());
        let answer = exchange(addr, &post_text(addr, "/api/run", &body)).await;
        assert_eq!(status(&answer), *code, "{toml}\n{answer}");
        assert!(answer.contains(needle), "{answer}");
        alive(addr).await;
    }
    // Thousands of sectors: memory grows with them, not with their square.
    let mut many = String::from(
        "name = \"many\"\nrounds = 5\nreplicates = 2\n[network]\ntype = \"small_world\"\nk = 4\nbeta = 0.1\n",
    );
    for s in 0..5000 {
        many.push_str(&format!("[[sectors]]\nname = \"s{s}\"\nagencies = 1\n"));
    }
    let answer = exchange(addr, &post_text(addr, "/api/run", &run_body(&many))).await;
    assert_eq!(status(&answer), 200, "{answer}");
    assert!(answer.contains("event: done"), "{answer}");
    alive(addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_host_name_is_refused() {
    let (addr, _stop) = start(Config {
        allowed_hosts: vec!["Kelas.example".into()],
        ..config()
    })
    .await;
    let get = |host: &str| {
        format!("GET /api/scenarios HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
    };
    let answer = exchange(addr, &get("evil.example:8080")).await;
    assert_eq!(status(&answer), 421, "{answer}");
    assert!(answer.contains("--allow-host"), "{answer}");
    for host in [
        addr.to_string(),
        format!("localhost:{}", addr.port()),
        "kelas.example".to_string(),
    ] {
        assert_eq!(status(&exchange(addr, &get(&host)).await), 200, "{host}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_time_out_and_connections_are_capped() {
    let (addr, _stop) = start(Config {
        max_connections: 8,
        ..config()
    })
    .await;
    // Headers that never end: the connection is closed after the header deadline.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    tokio::time::timeout(BOUND, idle.read_to_end(&mut rest))
        .await
        .expect("the server closed the half-sent request")
        .unwrap();
    // A body that stops half way: 408.
    let partial = format!(
        "POST /api/run HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"runs\": ["
    );
    let answer = exchange(addr, &partial).await;
    assert_eq!(status(&answer), 408, "{answer}");
    // Thirty idle connections against a cap of eight: the server keeps answering as
    // their deadlines free the places.
    let mut idle = Vec::new();
    for _ in 0..30 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        idle.push(s);
    }
    alive(addr).await;
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_with_stalled_ones_are_all_answered() {
    let (addr, _stop) = start(config()).await;
    let mut stalled = Vec::new();
    for _ in 0..5 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(
            b"POST /api/compose HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\n{",
        )
        .await
        .unwrap();
        stalled.push(s);
    }
    let toml = include_str!("../../../scenarios/default.toml");
    let body = json!({"toml": toml, "set": [["parameters.silo", 0.5]]}).to_string();
    let mut clients = tokio::task::JoinSet::new();
    for i in 0..50 {
        let raw = if i % 2 == 0 {
            format!("GET /api/scenarios HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
        } else {
            post_text(addr, "/api/compose", &body)
        };
        clients.spawn(async move { exchange(addr, &raw).await });
    }
    let mut answered = 0;
    while let Some(answer) = clients.join_next().await {
        let answer = answer.unwrap();
        assert_eq!(status(&answer), 200, "{answer}");
        answered += 1;
    }
    assert_eq!(answered, 50);
    drop(stalled);
}

/// A run whose events fill any socket's buffers (the live network of 3,000 relations each
/// round): a page that stops reading stalls it.
fn long_run() -> String {
    "name = \"long\"\nrounds = 3000\nreplicates = 4\n[network]\ntype = \"small_world\"\nk = 4\nbeta = 0.1\n[[sectors]]\nname = \"a\"\nagencies = 750\n[[sectors]]\nname = \"b\"\nngo = 750\n"
        .to_string()
}

fn short_run() -> String {
    "name = \"short\"\nrounds = 5\nreplicates = 2\n[[sectors]]\nname = \"a\"\nagencies = 3\nngo = 3\n".to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_stops_reading_loses_its_run_slot() {
    let (addr, _stop) = start(Config {
        max_runs: 1,
        max_work: u64::MAX,
        ..config()
    })
    .await;
    // Asks for a long run and never reads: its events fill the socket and the channel.
    let mut stalled = TcpStream::connect(addr).await.unwrap();
    stalled
        .write_all(post_text(addr, "/api/run", &run_body(&long_run())).as_bytes())
        .await
        .unwrap();
    // Its run has the slot once it starts; from here on the page reads nothing.
    read_until(&mut stalled, "event: start").await;
    // The next run queues, then runs once the stalled page's run is stopped.
    let answer = exchange(addr, &post_text(addr, "/api/run", &run_body(&short_run()))).await;
    assert_eq!(status(&answer), 200, "{answer}");
    assert!(answer.contains("event: done"), "{answer}");
    drop(stalled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_and_the_memory_are_bounded() {
    let (addr, _stop) = start(Config {
        max_runs: 1,
        max_queue: 1,
        max_work: u64::MAX,
        ..config()
    })
    .await;
    // One long run reading its events, one waiting: a third is refused as busy.
    let mut running = TcpStream::connect(addr).await.unwrap();
    running
        .write_all(post_text(addr, "/api/run", &run_body(&long_run())).as_bytes())
        .await
        .unwrap();
    read_until(&mut running, "event: start").await;
    let mut waiting = TcpStream::connect(addr).await.unwrap();
    waiting
        .write_all(post_text(addr, "/api/run", &run_body(&short_run())).as_bytes())
        .await
        .unwrap();
    read_until(&mut waiting, "event: queued").await;
    let answer = exchange(addr, &post_text(addr, "/api/run", &run_body(&short_run()))).await;
    assert_eq!(status(&answer), 503, "{answer}");
    assert!(answer.contains("waiting"), "{answer}");
    drop((running, waiting));

    // The page's memory as a whole: the long run needs more than half the page's memory,
    // so a second one (waiting for the slot) does not fit beside it.
    let (addr, _stop) = start(Config {
        max_runs: 1,
        max_work: u64::MAX,
        // The long run is estimated at about 34 MiB (its forum, four replicates' records and
        // the 69,000 rows of text the page sends).
        max_memory: 56 << 20,
        total_memory: 56 << 20,
        ..config()
    })
    .await;
    let mut holding = TcpStream::connect(addr).await.unwrap();
    holding
        .write_all(post_text(addr, "/api/run", &run_body(&long_run())).as_bytes())
        .await
        .unwrap();
    read_until(&mut holding, "event: start").await;
    let answer = exchange(addr, &post_text(addr, "/api/run", &run_body(&long_run()))).await;
    assert_eq!(status(&answer), 503, "{answer}");
    assert!(answer.contains("memory"), "{answer}");
    drop(holding);
}
