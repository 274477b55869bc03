//! The page's files, embedded in the binary (it works from any folder, with no network):
//! `index.html`, `app.js` (the page: settings, runs, charts, the lesson, both languages),
//! `app.css`, uPlot 1.6.32 and @fluent/bundle 0.19.1 from the npm registry with their
//! licences (`vendor/`), and the message catalogue (`en.ftl`, `id.ftl`: the one every
//! front end reads, `collabgov_study::i18n`).

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The page's files by name.
const FILES: [(&str, &str); 9] = [
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
    (
        "fluent-bundle.js",
        include_str!("assets/vendor/fluent-bundle.js"),
    ),
    (
        "fluent-bundle-LICENSE.txt",
        include_str!("assets/vendor/fluent-bundle-LICENSE.txt"),
    ),
    ("en.ftl", collabgov_study::i18n::EN_FTL),
    ("id.ftl", collabgov_study::i18n::ID_FTL),
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

#[cfg(test)]
mod tests {
    use collabgov_study::i18n::{EN_FTL, ID_FTL, keys};

    /// Every literal key the page asks the catalogue for (`t("key"` in app.js,
    /// `data-i18n="key"` in index.html) is in both languages' catalogue.
    #[test]
    fn every_key_the_page_uses_is_in_both_catalogues() {
        let (en, id) = (keys(EN_FTL), keys(ID_FTL));
        let mut used = Vec::new();
        for (text, marker) in [
            (include_str!("assets/app.js"), "t(\""),
            (include_str!("assets/index.html"), "data-i18n=\""),
        ] {
            for (at, _) in text.match_indices(marker) {
                // `t("` itself, not the end of `createElement("`.
                let before = text[..at].chars().next_back().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' || before == '.' {
                    continue;
                }
                let key = text[at + marker.len()..].split('"').next().unwrap_or("");
                // A prefix a name is added to (`t("group_" + kind)`) is checked where used.
                if !key.ends_with('_') && !key.ends_with('-') {
                    used.push(key.to_string());
                }
            }
        }
        assert!(used.len() > 40, "found only {} keys", used.len());
        let missing: Vec<_> = used
            .iter()
            .filter(|k| !en.contains(k) || !id.contains(k))
            .collect();
        assert!(
            missing.is_empty(),
            "keys missing from a catalogue: {missing:?}"
        );
    }
}
