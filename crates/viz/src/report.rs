//! `collabgov report`: one self-contained HTML file of a run (charts inline as SVG, no
//! external request), laid out to print on A4: the first page holds the scenario in words
//! and the key numbers, the second the six criteria and the provenance, then one chart per
//! landscape page, never cut across pages.

use collabgov_sim::output::xml_escape;

/// What a report shows; every text is plain (escaped here).
pub struct Report<'a> {
    /// The scenario's name.
    pub name: &'a str,
    /// Its description.
    pub description: &'a str,
    /// The scenario in words, one sentence each.
    pub words: &'a [String],
    /// The key numbers, as `collabgov run` prints them.
    pub numbers: &'a [String],
    /// Ansell & Gash's six criteria: name, met, why (absent when the scenario could not
    /// be rebuilt).
    pub criteria: Option<&'a [(String, bool, String)]>,
    /// Provenance: label and value.
    pub provenance: &'a [(String, String)],
    /// Charts: caption and SVG text.
    pub charts: &'a [(String, String)],
}

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 14mm; }
@page chart { size: A4 landscape; margin: 12mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #1a1a1a; margin: 0 auto; max-width: 270mm; }
section.page { max-width: 180mm; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 4pt; color: #0072b2; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; border-bottom: 1px solid #ccc; }
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
    out.push_str("<h2>The scenario</h2>\n<ul>\n");
    for w in r.words {
        out.push_str(&format!("<li>{}</li>\n", e(w)));
    }
    out.push_str("</ul>\n<h2>Key numbers</h2>\n<ul>\n");
    for n in r.numbers {
        out.push_str(&format!("<li>{}</li>\n", e(n)));
    }
    out.push_str("</ul>\n<p>Intervals: 95 % confidence intervals of the mean over replicates (Wilson intervals for the consensus share); they cover the replicates' randomness.</p>\n</section>\n");
    out.push_str("<section class=\"page\">\n<h2>Is it collaborative governance? Ansell &amp; Gash's six criteria</h2>\n");
    match r.criteria {
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
        None => out.push_str("<p>The scenario could not be rebuilt from run.json (a file it names has moved), so the criteria are not judged here; `collabgov validate` judges them.</p>\n"),
    }
    out.push_str("<h2>Provenance</h2>\n<table>\n");
    for (k, v) in r.provenance {
        out.push_str(&format!(
            "<tr><th>{}</th><td><code>{}</code></td></tr>\n",
            e(k),
            e(v)
        ));
    }
    out.push_str("</table>\n</section>\n");
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
