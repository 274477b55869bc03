//! Scenario errors that name the file, the key path and the line, and say what was
//! expected and what was found; and the span look-ups that find the line of a key.

use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A bad scenario (or sweep) file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file the error is in (as the user named it).
    pub file: String,
    /// The key path, e.g. `parameters.convergence` or `sectors[1].agencies`; empty when the
    /// error is not about one key.
    pub key: String,
    /// 1-based line number, when known.
    pub line: Option<usize>,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if !self.key.is_empty() {
            write!(f, ", key `{}`", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// Most characters of user text an error quotes.
pub const EXCERPT_CHARS: usize = 200;

/// At most [`EXCERPT_CHARS`] characters of `text`, with an ellipsis and the full length when
/// cut, so that an error never echoes a whole file or a huge field.
pub fn excerpt(text: &str) -> String {
    let mut chars = text.char_indices();
    match chars.nth(EXCERPT_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}... ({} bytes in all)", &text[..cut], text.len()),
    }
}

impl ScenarioError {
    /// An error about `key` of `file`, its line found in the file's text `src`.
    pub fn at(file: &str, src: &str, key: &str, message: impl Into<String>) -> ScenarioError {
        let line = span_of(src, key).map(|s| line_of(src, s.start));
        ScenarioError {
            file: file.to_string(),
            key: key.to_string(),
            line,
            message: message.into(),
        }
    }

    /// An error about `key` of `file` whose line is not known.
    pub fn new(file: &str, key: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            file: file.to_string(),
            key: key.to_string(),
            line: None,
            message: message.into(),
        }
    }

    /// A TOML syntax or type error of `file` (text `src`), with the key and line it names.
    pub fn from_toml(file: &str, src: &str, err: &toml::de::Error) -> ScenarioError {
        let span = err.span();
        ScenarioError {
            file: file.to_string(),
            key: span
                .clone()
                .and_then(|s| path_at(src, s.start))
                .unwrap_or_default(),
            line: span.map(|s| line_of(src, s.start)),
            message: excerpt(err.message().trim()),
        }
    }
}

/// 1-based line of a byte offset.
pub fn line_of(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn split_path(path: &str) -> Vec<Seg<'_>> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(pos) => (&part[..pos], &part[pos..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segs.push(Seg::Key(key));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let Some(close) = stripped.find(']') else {
                break;
            };
            if let Ok(idx) = stripped[..close].parse() {
                segs.push(Seg::Index(idx));
            }
            rest = &stripped[close + 1..];
        }
    }
    segs
}

/// The span of the value at `path` in the TOML text `src` (or of the deepest part of the path
/// that exists).
pub fn span_of(src: &str, path: &str) -> Option<Range<usize>> {
    let root = DeTable::parse(src).ok()?;
    let mut best: Option<Range<usize>> = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    for seg in split_path(path) {
        match seg {
            Seg::Key(key) => {
                let current = match (table, value) {
                    (Some(t), _) => t,
                    (None, Some(v)) => match v.get_ref() {
                        DeValue::Table(t) => t,
                        _ => break,
                    },
                    _ => break,
                };
                let Some((k, v)) = current.iter().find(|(k, _)| k.get_ref() == key) else {
                    break;
                };
                best = Some(if matches!(v.get_ref(), DeValue::Table(_)) {
                    k.span()
                } else {
                    v.span()
                });
                table = None;
                value = Some(v);
            }
            Seg::Index(idx) => {
                let Some(DeValue::Array(items)) = value.map(|v| v.get_ref()) else {
                    break;
                };
                let Some(item) = items.get(idx) else { break };
                best = Some(item.span());
                value = Some(item);
            }
        }
    }
    best
}

/// The deepest key path whose key or value covers byte `offset` (for parser errors that
/// carry only a span).
pub fn path_at(src: &str, offset: usize) -> Option<String> {
    let root = DeTable::parse(src).ok()?;
    let mut path = String::new();
    walk_table(root.get_ref(), offset, &mut path);
    if path.is_empty() { None } else { Some(path) }
}

fn walk_table(table: &DeTable<'_>, offset: usize, path: &mut String) {
    for (key, value) in table.iter() {
        let in_key = key.span().contains(&offset);
        let in_value = value.span().contains(&offset) || contains_deep(value, offset);
        if in_key || in_value {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key.get_ref());
            if !in_key {
                walk_value(value.get_ref(), offset, path);
            }
            return;
        }
    }
}

fn contains_deep(value: &Spanned<DeValue<'_>>, offset: usize) -> bool {
    match value.get_ref() {
        DeValue::Table(t) => t
            .iter()
            .any(|(k, v)| k.span().contains(&offset) || contains_deep(v, offset)),
        DeValue::Array(items) => items
            .iter()
            .any(|v| v.span().contains(&offset) || contains_deep(v, offset)),
        _ => value.span().contains(&offset),
    }
}

fn walk_value(value: &DeValue<'_>, offset: usize, path: &mut String) {
    match value {
        DeValue::Table(t) => walk_table(t, offset, path),
        DeValue::Array(items) => {
            for (idx, item) in items.iter().enumerate() {
                if item.span().contains(&offset) || contains_deep(item, offset) {
                    path.push_str(&format!("[{idx}]"));
                    walk_value(item.get_ref(), offset, path);
                    return;
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "name = \"x\"\n\n[parameters]\nsilo = 0.5\nconvergence = 0.9\n\n[[sectors]]\nname = \"a\"\n\n[[sectors]]\nname = \"b\"\nagencies = 3\n";

    #[test]
    fn finds_the_line_of_a_key_path() {
        let line = |p: &str| span_of(SRC, p).map(|s| line_of(SRC, s.start));
        assert_eq!(line("parameters.convergence"), Some(5));
        assert_eq!(line("sectors[1].agencies"), Some(12));
        assert_eq!(line("name"), Some(1));
    }

    #[test]
    fn finds_the_path_at_an_offset() {
        let offset = SRC.find("agencies").unwrap();
        assert_eq!(path_at(SRC, offset).as_deref(), Some("sectors[1].agencies"));
        let offset = SRC.find("0.9").unwrap();
        assert_eq!(
            path_at(SRC, offset).as_deref(),
            Some("parameters.convergence")
        );
    }
}
