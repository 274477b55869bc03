//! `collabgov report`: one self-contained HTML file of a run or a comparison (charts inline
//! as SVG, no external request), laid out to print on A4: the first page holds the
//! scenarios in words and the key numbers, the second the six criteria and the
//! provenance, then one chart per landscape page, never cut across pages.

use collabgov_core::Scenario;
use collabgov_study::manifest::RunManifest;
use collabgov_study::output::{RunTables, xml_escape};

use crate::{Chart, ChartMeta, Format, VizError};

/// What a report shows of one scenario; every text is plain (escaped here).
#[derive(Clone, Debug, Default)]
pub struct ScenarioText {
    /// The scenario's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// The scenario in words, one sentence each (empty when it could not be rebuilt).
    pub words: Vec<String>,
    /// Ansell & Gash's six criteria: name, met, why (absent when the scenario could not
    /// be rebuilt).
    pub criteria: Option<Vec<(String, bool, String)>>,
}

/// What a report shows: a run (one scenario) or a comparison (several); every text is
/// plain (escaped here).
pub struct Report<'a> {
    /// The title: the scenario's name, or the comparison's.
    pub name: &'a str,
    /// The line under the title.
    pub description: &'a str,
    /// The scenarios, in words and against the six criteria.
    pub scenarios: &'a [ScenarioText],
    /// The key numbers, as `collabgov run` or `collabgov compare` prints them.
    pub numbers: &'a [String],
    /// Provenance: a label and one value per scenario (in the order of `scenarios`).
    pub provenance: &'a [(String, Vec<String>)],
    /// Charts: caption and SVG text.
    pub charts: &'a [(String, String)],
    /// The methods paragraphs ([`collabgov_study::report::methods_paragraph`]), on a page
    /// of their own before the charts.
    pub methods: &'a [String],
}

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 14mm; }
@page chart { size: A4 landscape; margin: 12mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #1a1a1a; margin: 0 auto; max-width: 270mm; }
section.page { max-width: 180mm; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 4pt; color: #0072b2; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; border-bottom: 1px solid #ccc; }
h3 { font-size: 11pt; margin: 8pt 0 2pt; }
p.lead { color: #444; margin-top: 0; }
ul { padding-left: 16pt; }
li { margin: 2pt 0; }
pre { font-size: 9pt; white-space: pre-wrap; background: #f6f6f6; padding: 6pt; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
td, th { border-bottom: 1px solid #ddd; padding: 3pt 4pt; text-align: left; vertical-align: top; }
td.ok { color: #009e73; font-weight: bold; } td.no { color: #d55e00; font-weight: bold; }
section.page { break-after: page; }
figure { page: chart; break-before: page; break-inside: avoid; margin: 0; }
figure svg { width: 100%; height: auto; max-height: 170mm; }
figcaption { font-weight: bold; margin-bottom: 6pt; }
code { font-size: 9pt; word-break: break-all; }
"#;

/// The report as one HTML document.
pub fn html(r: &Report<'_>) -> String {
    let e = xml_escape;
    let mut out =
        String::with_capacity(64 * 1024 + r.charts.iter().map(|c| c.1.len()).sum::<usize>());
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"collabgov {}\">\n<title>{} - collabgov report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        e(r.name)
    ));
    out.push_str("<section class=\"page\">\n");
    out.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"lead\">{}</p>\n",
        e(r.name),
        e(r.description)
    ));
    let several = r.scenarios.len() > 1;
    out.push_str(if several {
        "<h2>The scenarios</h2>\n"
    } else {
        "<h2>The scenario</h2>\n"
    });
    for s in r.scenarios {
        if several {
            out.push_str(&format!(
                "<h3>{}</h3>\n<p class=\"lead\">{}</p>\n",
                e(&s.name),
                e(&s.description)
            ));
        }
        if s.words.is_empty() {
            out.push_str("<p>The scenario could not be rebuilt from its manifest (a file it names has moved).</p>\n");
            continue;
        }
        out.push_str("<ul>\n");
        for w in &s.words {
            out.push_str(&format!("<li>{}</li>\n", e(w)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2>Key numbers</h2>\n<ul>\n");
    for n in r.numbers {
        out.push_str(&format!("<li>{}</li>\n", e(n)));
    }
    out.push_str("</ul>\n<p>Intervals: 95 % confidence intervals (Wilson score intervals for consensus shares); the last key number says which variance they cover.</p>\n</section>\n");
    out.push_str("<section class=\"page\">\n<h2>Is it collaborative governance? Ansell &amp; Gash's six criteria</h2>\n");
    for s in r.scenarios {
        if several {
            out.push_str(&format!("<h3>{}</h3>\n", e(&s.name)));
        }
        match &s.criteria {
            Some(criteria) => {
                out.push_str("<table>\n<tr><th>criterion</th><th>met</th><th>why</th></tr>\n");
                for (name, pass, why) in criteria {
                    out.push_str(&format!(
                        "<tr><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>\n",
                        e(name),
                        if *pass { "ok" } else { "no" },
                        if *pass { "yes" } else { "no" },
                        e(why)
                    ));
                }
                out.push_str("</table>\n");
            }
            None => out.push_str("<p>The scenario could not be rebuilt from its manifest (a file it names has moved), so the criteria are not judged here; `collabgov validate` judges them.</p>\n"),
        }
    }
    out.push_str(&format!(
        "<h2>Provenance</h2>\n<p>Written by collabgov {}.</p>\n<table>\n",
        env!("CARGO_PKG_VERSION")
    ));
    if several {
        out.push_str("<tr><th></th>");
        for s in r.scenarios {
            out.push_str(&format!("<th>{}</th>", e(&s.name)));
        }
        out.push_str("</tr>\n");
    }
    for (k, values) in r.provenance {
        out.push_str(&format!("<tr><th>{}</th>", e(k)));
        for v in values {
            out.push_str(&format!("<td><code>{}</code></td>", e(v)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</section>\n");
    if !r.methods.is_empty() {
        out.push_str("<section class=\"page\">\n<h2>Methods</h2>\n");
        for p in r.methods {
            out.push_str(&format!("<p>{}</p>\n", e(p)));
        }
        out.push_str("</section>\n");
    }
    for (caption, svg) in r.charts {
        // The SVG comes from this crate's own renderer, so it is inlined as it is.
        let svg = svg.trim_start_matches(|c| c != '<');
        out.push_str(&format!(
            "<figure>\n<figcaption>{}</figcaption>\n{svg}\n</figure>\n",
            e(caption)
        ));
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The scenario of a manifest in words and against the six criteria, given the scenario
/// rebuilt from it (the front end rebuilds it: reading its files is theirs) or why it could
/// not be (then the words say why and there are no criteria).
pub fn scenario_text(
    name: &str,
    manifest: &RunManifest,
    scenario: Result<&Scenario, &String>,
) -> ScenarioText {
    ScenarioText {
        name: name.to_string(),
        description: manifest
            .scenario
            .as_ref()
            .map(|r| r.description.clone())
            .unwrap_or_default(),
        words: match scenario {
            Ok(s) => collabgov_study::report::describe(s),
            Err(why) => vec![format!("Note: {why}.")],
        },
        criteria: scenario.ok().map(|s| {
            collabgov_study::criteria::six_criteria(s)
                .into_iter()
                .map(|c| (c.name.to_string(), c.pass, c.reason))
                .collect()
        }),
    }
}

/// Provenance rows of several runs' manifests: a label and one value per run (empty where
/// a run has no such row, e.g. an input file of another run).
pub fn provenance_of(manifests: &[&RunManifest]) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for (k, manifest) in manifests.iter().enumerate() {
        let mut own = vec![
            (
                "run by".to_string(),
                match &manifest.source_commit {
                    Some(commit) => format!(
                        "collabgov {} ({}), commit {commit}",
                        manifest.collabgov_version, manifest.model
                    ),
                    None => format!(
                        "collabgov {} ({})",
                        manifest.collabgov_version, manifest.model
                    ),
                },
            ),
            ("scenario".to_string(), manifest.origin.clone()),
            ("seed".to_string(), manifest.seed.to_string()),
            (
                "replicates x rounds".to_string(),
                format!("{} x {}", manifest.replicates, manifest.rounds),
            ),
            (
                "scenario fingerprint".to_string(),
                manifest.scenario_fingerprint.clone(),
            ),
            (
                "threads, wall time".to_string(),
                format!(
                    "{}, {:.2} s (the output does not depend on the threads)",
                    manifest.threads, manifest.wall_time_seconds
                ),
            ),
        ];
        for f in &manifest.inputs {
            own.push((format!("input {}", f.path), format!("sha256 {}", f.sha256)));
        }
        for (label, value) in own {
            let at = match rows.iter().position(|(l, _)| *l == label) {
                Some(at) => at,
                None => {
                    rows.push((label, vec![String::new(); manifests.len()]));
                    rows.len() - 1
                }
            };
            rows[at].1[k] = value;
        }
    }
    rows
}

/// The report of one run: its scenario in words and against the criteria (`scenario` as
/// [`scenario_text`] takes it), the numbers `collabgov run` prints, the provenance from
/// its manifest, and every chart of the run as SVG. What `collabgov report` writes for a
/// run folder and Python's `Result.report()` returns.
pub fn run_report(
    name: &str,
    tables: &RunTables,
    meta: &ChartMeta,
    manifest: &RunManifest,
    scenario: Result<&Scenario, &String>,
) -> Result<String, VizError> {
    let scenario = scenario_text(name, manifest, scenario);
    let mut charts = Vec::new();
    for chart in Chart::all(tables) {
        let svg = crate::draw(chart, tables, meta, Format::Svg, None)?;
        charts.push((chart.caption(), String::from_utf8_lossy(&svg).into_owned()));
    }
    let provenance = provenance_of(&[manifest]);
    Ok(html(&Report {
        name,
        description: &scenario.description.clone(),
        scenarios: &[scenario],
        numbers: &collabgov_study::report::run_summary(tables),
        provenance: &provenance,
        charts: &charts,
        methods: &[collabgov_study::report::methods_paragraph(manifest, tables)],
    }))
}
