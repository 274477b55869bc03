//! The handout: a run, or a comparison, on at most two A4 pages per run for a class, in
//! English or Indonesian (`collabgov report --handout --lang id`, the classroom page's
//! handout button, Python's `Result.report(handout=True)`). One self-contained HTML file
//! (charts inline as SVG, no external request) that prints as it shows. A run's first page
//! holds its words: the scenario, the results with their intervals and Ansell & Gash's six
//! criteria; its second the pictures: the cycle's four measures over the rounds on fixed
//! [0, 1] axes with the interventions marked, the network in the page's colours (trust from
//! orange to blue, sectors in the page's hues), and one line of provenance. Every word
//! comes from the message catalogue.

use collabgov_core::Scenario;
use collabgov_study::i18n::Lang;
use collabgov_study::manifest::RunManifest;
use collabgov_study::output::{RunTables, xml_escape};
use collabgov_study::report::{Side, compare_summary_in, describe_in, paired_summary_in};

use crate::style::{Preset, Style, with_style};
use crate::{Chart, ChartMeta, Format, VizError};

/// One run of a handout.
pub struct HandoutRun<'a> {
    /// Its name as the user knows it (the page's name of a changed run).
    pub name: &'a str,
    /// Its tables.
    pub tables: &'a RunTables,
    /// Its manifest (seed, size, fingerprint, interventions).
    pub manifest: &'a RunManifest,
    /// The scenario rebuilt, when it could be (its words, criteria and labels).
    pub scenario: Option<&'a Scenario>,
}

const STYLE: &str = r#"
@page { size: A4; margin: 13mm 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #1a1a1a; margin: 0 auto; max-width: 182mm; }
h1 { font-size: 19pt; margin: 0 0 3pt; color: #0072b2; }
h2 { font-size: 13pt; margin: 10pt 0 3pt; color: #0072b2; border-bottom: 1.5px solid #0072b2; }
h3 { font-size: 11.5pt; margin: 6pt 0 2pt; }
p.lead { color: #333; margin: 0 0 4pt; font-size: 11pt; }
ul { padding-left: 14pt; margin: 2pt 0; }
li { margin: 1.5pt 0; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
td, th { border-bottom: 1px solid #ccc; padding: 2.5pt 4pt; text-align: left; vertical-align: top; }
td.ok { color: #007a5a; font-weight: bold; } td.no { color: #c0392b; font-weight: bold; }
section.sheet { break-after: page; }
section.sheet:last-child { break-after: auto; }
figure { margin: 4pt 0; break-inside: avoid; }
div.keep { break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
p.small { font-size: 8.5pt; color: #555; margin-top: 8pt; }
"#;

/// The chart style of a handout: the projector's large type and thick lines, no title of
/// its own (the handout's heading names it), words and numbers in `lang`.
fn chart_style(lang: Lang) -> Style {
    Style {
        preset: Preset::Projector,
        font_scale: 1.4,
        title: Some(String::new()),
        lang,
        ..Style::default()
    }
}

/// A chart's SVG text, trimmed to its `<svg` element.
fn svg_text(bytes: Vec<u8>) -> String {
    let text = String::from_utf8_lossy(&bytes).into_owned();
    text.trim_start_matches(|c| c != '<').to_string()
}

/// A run's interventions as marks in `lang`: from the scenario, or (when it could not be
/// rebuilt) as the manifest recorded them, in English.
fn marks_of(run: &HandoutRun<'_>, lang: Lang) -> Vec<(u32, String)> {
    match run.scenario {
        Some(s) => collabgov_study::manifest::marks_in(s, lang)
            .into_iter()
            .map(|m| (m.round, m.label))
            .collect(),
        None => ChartMeta::from_manifest(run.name, run.manifest).interventions,
    }
}

/// The handout of one run (two pages) or of a comparison (several runs, the first the
/// one the others are paired against; at most four pages for two), in `lang`.
pub fn handout(runs: &[HandoutRun<'_>], lang: Lang) -> Result<String, VizError> {
    let e = xml_escape;
    let titled: Vec<(String, String)> = runs
        .iter()
        .map(|r| {
            let description = r
                .manifest
                .scenario
                .as_ref()
                .map(|s| s.description.as_str())
                .unwrap_or_default();
            collabgov_study::bundled::title_in(r.name, description, lang)
        })
        .collect();
    let several = runs.len() > 1;
    let mut marks: Vec<(u32, String)> = Vec::new();
    for run in runs {
        for m in marks_of(run, lang) {
            if !marks.contains(&m) {
                marks.push(m);
            }
        }
    }
    let style = chart_style(lang);
    let named: Vec<(&str, &RunTables)> = runs
        .iter()
        .zip(&titled)
        .map(|(r, (title, _))| (title.as_str(), r.tables))
        .collect();
    let cycle = with_style(&style, || {
        // A comparison's chart a little flatter, so its longer results fit beside it.
        let height = if several { 960 } else { 1120 };
        crate::charts::cycle::cycle_chart(&named, &marks, Format::Svg, (1800, height))
    })?;
    let title = if several {
        let names: Vec<&str> = titled.iter().map(|(t, _)| t.as_str()).collect();
        lang.text("handout-title-compare", &[("names", names.join(" / "))])
    } else {
        titled[0].0.clone()
    };
    let mut out = String::with_capacity(256 * 1024);
    out.push_str(&format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"collabgov {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<section class=\"sheet\">\n<h1>{}</h1>\n",
        lang.code(),
        env!("CARGO_PKG_VERSION"),
        e(&title),
        e(&title)
    ));
    let mut results = format!("<h2>{}</h2>\n<ul>\n", e(&lang.text("handout-results", &[])));
    for line in numbers(runs, &titled, lang) {
        results.push_str(&format!("<li>{}</li>\n", e(&line)));
    }
    results.push_str("</ul>\n");
    // A heading stays with its chart.
    let chart = format!(
        "<div class=\"keep\">\n<h2>{}</h2>\n<figure>{}</figure>\n</div>\n",
        e(&lang.text("handout-chart", &[])),
        svg_text(cycle)
    );
    let provenance = |run: &HandoutRun<'_>| {
        format!(
            "<p class=\"small\">{}</p>\n",
            e(&provenance(run.manifest, lang))
        )
    };
    if let [run] = runs {
        // A run: the words on the first page (the scenario, the results, the criteria),
        // the pictures on the second (the cycle, the network), so neither page overflows
        // however long the results (services and levels add lines).
        out.push_str(&format!(
            "<p class=\"lead\">{}</p>\n<h2>{}</h2>\n{}{results}{}</section>\n<section class=\"sheet\">\n{chart}{}{}</section>\n",
            e(&titled[0].1),
            e(&lang.text("handout-scenario", &[])),
            words(run, lang),
            criteria(run, lang),
            network(run, &titled[0].0, (1800, 1000), &style, lang)?,
            provenance(run)
        ));
    } else {
        // A comparison: the chart and the results first, then each scenario on a page of
        // its own (its words, network and criteria).
        out.push_str(&format!(
            "<p class=\"lead\">{}</p>\n{chart}{results}</section>\n",
            e(&lang.text("handout-lead-compare", &[("count", runs.len().to_string())]))
        ));
        for (run, (title, description)) in runs.iter().zip(&titled) {
            out.push_str(&format!(
                "<section class=\"sheet\">\n<h2>{}</h2>\n<p class=\"lead\">{}</p>\n{}{}{}{}</section>\n",
                e(title),
                e(description),
                words(run, lang),
                network(run, title, (1800, 820), &style, lang)?,
                criteria(run, lang),
                provenance(run)
            ));
        }
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

/// A run's network picture under its heading (nothing when the run kept no network).
fn network(
    run: &HandoutRun<'_>,
    title: &str,
    size: (u32, u32),
    style: &Style,
    lang: Lang,
) -> Result<String, VizError> {
    if run.tables.network.is_empty() {
        return Ok(String::new());
    }
    let meta = ChartMeta {
        scenario: title.to_string(),
        interventions: Vec::new(),
    };
    let svg = with_style(style, || {
        crate::draw(Chart::Network, run.tables, &meta, Format::Svg, Some(size))
    })?;
    Ok(format!(
        "<div class=\"keep\">\n<h2>{}</h2>\n<figure>{}</figure>\n</div>\n",
        xml_escape(&lang.text("handout-network", &[])),
        svg_text(svg)
    ))
}

/// The scenario in words, as a list (or why it could not be rebuilt).
fn words(run: &HandoutRun<'_>, lang: Lang) -> String {
    let lines = match run.scenario {
        Some(s) => describe_in(s, lang),
        None => vec![lang.text("handout-not-rebuilt", &[])],
    };
    let mut out = String::from("<ul>\n");
    for line in lines {
        out.push_str(&format!("<li>{}</li>\n", xml_escape(&line)));
    }
    out.push_str("</ul>\n");
    out
}

/// The results in words: a run's summary, or a comparison's with its paired differences.
fn numbers(runs: &[HandoutRun<'_>], titled: &[(String, String)], lang: Lang) -> Vec<String> {
    if let [run] = runs {
        return collabgov_study::report::run_summary_in(run.tables, lang);
    }
    let named: Vec<(&str, &RunTables)> = runs
        .iter()
        .zip(titled)
        .map(|(r, (t, _))| (t.as_str(), r.tables))
        .collect();
    let sides: Vec<Side<'_>> = runs
        .iter()
        .zip(titled)
        .map(|(r, (t, _))| Side {
            name: t,
            tables: r.tables,
            seed: r.manifest.seed,
        })
        .collect();
    let mut text = compare_summary_in(&named, lang);
    text.push_str(&paired_summary_in(&sides, lang));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Ansell & Gash's six criteria: met or not (the reasons, in terms of the scenario file's
/// keys, are in `collabgov validate` and the full report).
fn criteria(run: &HandoutRun<'_>, lang: Lang) -> String {
    let e = xml_escape;
    let Some(s) = run.scenario else {
        return String::new();
    };
    let mut out = format!(
        "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th></tr>\n",
        e(&lang.text("handout-criteria", &[])),
        e(&lang.text("handout-criterion", &[])),
        e(&lang.text("handout-met", &[]))
    );
    for (k, c) in collabgov_study::criteria::six_criteria(s)
        .iter()
        .enumerate()
    {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"{}\">{}</td></tr>\n",
            e(&collabgov_study::criteria::title_in(k, lang)),
            if c.pass { "ok" } else { "no" },
            e(&lang.text(if c.pass { "handout-yes" } else { "handout-no" }, &[]))
        ));
    }
    out.push_str("</table>\n");
    out
}

/// One line of provenance: version, model, seed, size and the scenario's fingerprint.
fn provenance(m: &RunManifest, lang: Lang) -> String {
    lang.text(
        "handout-provenance",
        &[
            ("version", m.collabgov_version.clone()),
            ("model", m.model.clone()),
            ("seed", m.seed.to_string()),
            ("replicates", m.replicates.to_string()),
            ("rounds", m.rounds.to_string()),
            (
                "fingerprint",
                m.scenario_fingerprint.chars().take(12).collect(),
            ),
        ],
    )
}
