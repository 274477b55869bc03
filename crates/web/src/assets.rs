//! The page's files, embedded in the binary (it works from any folder, with no network):
//! `index.html`, `app.js` (the page: settings, runs, charts, the lesson, both languages),
//! `app.css`, and uPlot 1.6.32 from the npm registry with its licence (`vendor/`).

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The page's files by name.
const FILES: [(&str, &str); 5] = [
    ("app.js", include_str!("assets/app.js")),
    ("app.css", include_str!("assets/app.css")),
    (
        "uPlot.iife.min.js",
        include_str!("assets/vendor/uPlot.iife.min.js"),
    ),
    ("uPlot.min.css", include_str!("assets/vendor/uPlot.min.css")),
    (
        "uPlot-LICENSE.txt",
        include_str!("assets/vendor/uPlot-LICENSE.txt"),
    ),
];

pub(crate) async fn index() -> Response {
    super::asset_response("index.html", include_str!("assets/index.html"))
}

pub(crate) async fn file(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _)| *n == name) {
        Some((n, body)) => super::asset_response(n, body),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
