//! What stands between the network and the page's routes: the accept loop (a cap on
//! connections, a deadline for a request's headers, graceful shutdown with a deadline),
//! the Host check against DNS rebinding, and a deadline for a request's body.

use std::net::IpAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::{Config, plain_error};

/// How long connections may take to finish after Ctrl-C before the server stops anyway.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Serves `app` on `listener` until `stop` resolves: at most `config.max_connections`
/// connections at once (further ones wait in the kernel's backlog), each with
/// `config.request_timeout` to send a request's headers. On `stop`, no connection is
/// accepted, open ones are asked to close, and after [`SHUTDOWN_GRACE`] the server returns
/// whatever they are doing (a page that keeps a stream open never holds it up).
pub async fn accept_loop(
    listener: TcpListener,
    app: Router,
    config: &Config,
    stop: impl std::future::Future<Output = ()>,
) {
    let connections = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let (closing, closed) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut stop = pin!(stop);
    loop {
        let permit = tokio::select! {
            () = &mut stop => break,
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors and the like: wait a moment, keep serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = TowerToHyperService::new(app.clone());
        let mut closed = closed.clone();
        let header_timeout = config.request_timeout;
        tasks.spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let mut conn = pin!(builder.serve_connection(TokioIo::new(stream), service));
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = closed.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
        // Forget finished connections as we go.
        while tasks.try_join_next().is_some() {}
    }
    let _ = closing.send(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
}

/// The hosts a request may name in its `Host` header: an IP address (whatever the server
/// listens as), `localhost`, and the names given (`--allow-host`). A DNS name that merely
/// points at the server (DNS rebinding: a web page of another site reaching a server on
/// 127.0.0.1) is refused. A request without `Host` (not a browser) passes.
#[derive(Clone, Debug)]
pub struct Hosts {
    /// Names accepted besides addresses and `localhost`, lower-case.
    pub names: Arc<Vec<String>>,
}

/// Refuses a request whose `Host` is not one of [`Hosts`] (421 Misdirected Request).
pub async fn check_host(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{fffd}").to_ascii_lowercase());
    match host {
        Some(host) if !allowed(&host, &hosts.names) => plain_error(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this server answers requests for its own addresses and localhost, not for \"{}\"; start it with --allow-host NAME to serve that name",
                collabgov_core::scenario::error::excerpt(&host)
            ),
        ),
        _ => next.run(request).await,
    }
}

/// Whether `host` (a `Host` header, with or without its port) names this server.
fn allowed(host: &str, names: &[String]) -> bool {
    let name = match host.strip_prefix('[') {
        // [v6]:port
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                name
            } else {
                host
            }
        }),
    };
    name.parse::<IpAddr>().is_ok()
        || name == "localhost"
        || name.ends_with(".localhost")
        || names.iter().any(|n| n == name)
}

/// Reads a request's body within `config.request_timeout` (a client that sends a few
/// bytes and stops is answered 408 and its connection freed), up to `config.max_upload`.
pub async fn read_body(
    State(config): State<Arc<Config>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let read = axum::body::to_bytes(body, config.max_upload);
    match tokio::time::timeout(config.request_timeout, read).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(e)) => {
            let inner = e.into_inner();
            if inner.is::<http_body_util::LengthLimitError>() {
                plain_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("expected a request of at most {} bytes", config.max_upload),
                )
            } else {
                plain_error(
                    StatusCode::BAD_REQUEST,
                    format!("the request's body could not be read: {inner}"),
                )
            }
        }
        Err(_) => plain_error(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request's body did not arrive within {} s",
                config.request_timeout.as_secs()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn hosts_are_addresses_localhost_or_named() {
        let names = vec!["kelas.example".to_string()];
        for ok in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "[::1]:8080",
            "192.168.1.20:8080",
            "localhost:8080",
            "localhost",
            "kelas.example:8080",
        ] {
            assert!(allowed(ok, &names), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "evil.example",
            "127.0.0.1.evil.example:80",
            "",
        ] {
            assert!(!allowed(bad, &names), "{bad}");
        }
    }
}
