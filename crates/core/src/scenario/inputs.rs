//! The input CSV files a scenario may name: actors (`actors_file`) and edges
//! (`network.file`), parsed into raw rows whose errors name the file and the line.

use std::borrow::Cow;
use std::collections::HashMap;

use super::ScenarioError;
use super::error::excerpt;
use super::raw::RawActor;

pub(crate) fn csv_err(
    file: &str,
    line: Option<u64>,
    key: &str,
    message: impl Into<String>,
) -> ScenarioError {
    ScenarioError {
        file: file.to_string(),
        key: key.to_string(),
        line: line.map(|l| l as usize),
        message: message.into(),
    }
}

/// Checks an actor CSV's header (the three needed columns, no unknown one, the culture
/// indicators all or none and not beside `culture`); returns the view columns as (issue,
/// column), issues ascending.
fn actor_header(
    file: &str,
    headers: &csv::StringRecord,
) -> Result<Vec<(usize, usize)>, ScenarioError> {
    for needed in ["id", "kind", "sector"] {
        if !headers.iter().any(|h| h == needed) {
            return Err(csv_err(
                file,
                Some(1),
                needed,
                // Quote no header: a file that is not an actor CSV (named by mistake, or
                // on purpose) must not have its first line echoed.
                format!(
                    "expected a column \"{needed}\" in the header (id,kind,sector[,...]), found a header of {} column{} without it: is {file} an actor CSV?",
                    headers.len(),
                    if headers.len() == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    for h in headers.iter() {
        let known = matches!(
            h,
            "id" | "name" | "kind" | "sector" | "power" | "capacity" | "culture" | "commitment"
        ) || h
            .strip_prefix("view_")
            .is_some_and(|n| n.parse::<usize>().is_ok_and(|n| n >= 1))
            || CULTURE_COLUMNS.contains(&h);
        if !known {
            return Err(csv_err(
                file,
                Some(1),
                h,
                format!(
                    "expected columns id, kind, sector, name, power, capacity, culture (or culture_1..culture_7), commitment, view_1.., found unknown column \"{}\"",
                    excerpt(h)
                ),
            ));
        }
    }
    let mut views: Vec<(usize, usize)> = headers
        .iter()
        .enumerate()
        .filter_map(|(col, h)| {
            h.strip_prefix("view_")
                .and_then(|n| n.parse::<usize>().ok())
                .map(|n| (n, col))
        })
        .collect();
    views.sort_unstable();
    // The seven indicators of a collaborative culture come all together, instead of culture.
    let indicators = CULTURE_COLUMNS
        .iter()
        .filter(|c| headers.iter().any(|h| h == **c))
        .count();
    if indicators > 0 {
        if let Some(missing) = CULTURE_COLUMNS
            .iter()
            .find(|c| !headers.iter().any(|h| h == **c))
        {
            return Err(csv_err(
                file,
                Some(1),
                missing,
                format!(
                    "expected all seven culture indicator columns culture_1..culture_7, found {indicators} without \"{missing}\""
                ),
            ));
        }
        if headers.iter().any(|h| h == "culture") {
            return Err(csv_err(
                file,
                Some(1),
                "culture",
                "expected either a culture column or the seven culture_1..culture_7, found both",
            ));
        }
    }
    Ok(views)
}

/// Reads an actor CSV (`id,kind,sector` and optional `name,power,capacity,culture,commitment,
/// view_1..view_D`, or instead of `culture` the seven `culture_1..culture_7` indicator
/// scores) into raw actors; errors name the file and the line.
pub fn parse_actors_csv(file: &str, text: &str) -> Result<Vec<RawActor>, ScenarioError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_err(file, Some(1), "", format!("cannot read the header: {e}")))?
        .clone();
    let views = actor_header(file, &headers)?;
    // With the seven indicators of a collaborative culture (all of them, or none).
    let indicators = CULTURE_COLUMNS
        .iter()
        .filter(|c| headers.iter().any(|h| h == **c))
        .count();
    let mut actors = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| csv_err(file, e.position().map(|p| p.line()), "", e.to_string()))?;
        let line = record.position().map(|p| p.line());
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|c| record.get(c))
                .map(cell_in)
                .filter(|v| !v.is_empty())
        };
        let num = |name: &str| -> Result<Option<f64>, ScenarioError> {
            get(name)
                .map(|v| {
                    v.parse::<f64>().map_err(|_| {
                        csv_err(
                            file,
                            line,
                            name,
                            format!("expected a number, found \"{}\"", excerpt(v)),
                        )
                    })
                })
                .transpose()
        };
        let id = get("id").ok_or_else(|| {
            csv_err(
                file,
                line,
                "id",
                "expected an actor id, found an empty field",
            )
        })?;
        let mut view = Vec::new();
        for &(_, col) in &views {
            let v = record.get(col).unwrap_or("");
            view.push(v.parse::<f64>().map_err(|_| {
                csv_err(
                    file,
                    line,
                    "view",
                    format!("expected a number, found \"{}\"", excerpt(v)),
                )
            })?);
        }
        let mut scores = Vec::new();
        if indicators > 0 {
            for column in CULTURE_COLUMNS {
                match num(column)? {
                    Some(v) if (0.0..=1.0).contains(&v) => scores.push(v),
                    Some(v) => {
                        return Err(csv_err(
                            file,
                            line,
                            column,
                            format!(
                                "expected a score in [0, 1] (rescale Likert answers: (answer - 1) / (points - 1)), found {v}"
                            ),
                        ));
                    }
                    None => {}
                }
            }
            if !scores.is_empty() && scores.len() != CULTURE_COLUMNS.len() {
                return Err(csv_err(
                    file,
                    line,
                    "culture_1",
                    format!(
                        "expected all seven culture scores or none, found {}",
                        scores.len()
                    ),
                ));
            }
        }
        actors.push(RawActor {
            id: id.to_string(),
            name: get("name").map(str::to_string),
            kind: get("kind").unwrap_or("").to_string(),
            sector: get("sector").unwrap_or("").to_string(),
            power: num("power")?,
            capacity: num("capacity")?,
            culture: num("culture")?,
            culture_indicators: (!scores.is_empty()).then_some(scores),
            commitment: num("commitment")?,
            view: if views.is_empty() { None } else { Some(view) },
        });
    }
    Ok(actors)
}

/// The seven indicator columns of a collaborative culture in an actor CSV.
const CULTURE_COLUMNS: [&str; 7] = [
    "culture_1",
    "culture_2",
    "culture_3",
    "culture_4",
    "culture_5",
    "culture_6",
    "culture_7",
];

/// A parsed edge list: directed (source, target) -> trust (NaN when not given), in file order.
pub type EdgeList = Vec<(u32, u32, f64, u64)>;

/// Reads an edge CSV `source,target[,trust]` of actor ids. A header line is recognised by a
/// first field `source`; a byte-order mark and CRLF line ends are accepted.
pub fn parse_edges_csv(
    file: &str,
    text: &str,
    ids: &HashMap<&str, u32>,
) -> Result<EdgeList, ScenarioError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut edges = Vec::new();
    let mut seen: HashMap<(u32, u32), u64> = HashMap::new();
    for (idx, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| csv_err(file, e.position().map(|p| p.line()), "", e.to_string()))?;
        let line = record.position().map_or(idx as u64 + 1, |p| p.line());
        if idx == 0 && record.get(0) == Some("source") {
            continue;
        }
        if record.len() == 1 && record.get(0) == Some("") {
            continue;
        }
        if !(2..=3).contains(&record.len()) {
            return Err(csv_err(
                file,
                Some(line),
                "",
                format!(
                    "expected 2 or 3 columns (source,target[,trust]), found {}",
                    record.len()
                ),
            ));
        }
        let id = |col: usize, what: &str| -> Result<u32, ScenarioError> {
            let v = cell_in(record.get(col).unwrap_or(""));
            ids.get(v).copied().ok_or_else(|| {
                // Quote nothing of the first line: a file that is not an edge CSV (named by
                // mistake, or on purpose) must not have its first line echoed.
                let message = if idx == 0 {
                    format!(
                        "expected the id of an actor of the scenario or a header source,target[,trust], found neither: is {file} an edge CSV?"
                    )
                } else {
                    format!(
                        "expected the id of an actor of the scenario, found unknown id \"{}\"",
                        excerpt(v)
                    )
                };
                csv_err(file, Some(line), what, message)
            })
        };
        let (a, b) = (id(0, "source")?, id(1, "target")?);
        if a == b {
            return Err(csv_err(
                file,
                Some(line),
                "target",
                format!(
                    "expected a relation between two actors, found a self-relation of \"{}\"",
                    record.get(0).unwrap_or("")
                ),
            ));
        }
        let trust = match record.get(2).filter(|v| !v.is_empty()) {
            Some(v) => {
                let t: f64 = v.parse().map_err(|_| {
                    csv_err(
                        file,
                        Some(line),
                        "trust",
                        format!("expected a number in [0, 1], found \"{}\"", excerpt(v)),
                    )
                })?;
                if !(t.is_finite() && (0.0..=1.0).contains(&t)) {
                    return Err(csv_err(
                        file,
                        Some(line),
                        "trust",
                        format!("expected a number in [0, 1], found {t}"),
                    ));
                }
                t
            }
            None => f64::NAN,
        };
        if let Some(first) = seen.insert((a, b), line) {
            return Err(csv_err(
                file,
                Some(line),
                "",
                format!(
                    "expected each directed relation once, found {} -> {} again (first on line {first})",
                    record.get(0).unwrap_or(""),
                    record.get(1).unwrap_or("")
                ),
            ));
        }
        edges.push((a, b, trust, line));
    }
    Ok(edges)
}

/// Whether a spreadsheet would take `text` for a formula (its first character `=`, `+`,
/// `-`, `@`, a tab or a carriage return).
fn formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell as collabgov writes it into a table (an actor's id, name, kind or sector, a
/// relation's ends): one a spreadsheet would run as a formula gets a leading `'`, as OWASP
/// advises against CSV injection; [`cell_in`] takes it off again.
pub fn cell_out(text: &str) -> Cow<'_, str> {
    if formula_like(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text cell as read from a table: the `'` [`cell_out`] put before a formula-like text
/// taken off (every collabgov reader of actor and edge tables applies it).
pub fn cell_in(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => text,
    }
}
