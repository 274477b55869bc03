//! Key paths into a scenario's TOML document (`parameters.silo`, `interventions[0].round`,
//! `initial.trust.across@1`): how `--set KEY=VALUE` and sweep factors change one value of
//! the raw scenario before it is validated.

/// A value to put at a key path.
#[derive(Clone, Debug, PartialEq)]
pub enum SetValue {
    /// A number (a sweep factor's level): an integer key stays an integer (rounded), `@N`
    /// replaces a distribution's N-th argument.
    Number(f64),
    /// Text from the command line (`--set KEY=VALUE`): read as the type the key already
    /// has (number, whole number, true/false, text), or as a TOML value (a number, a
    /// boolean, a quoted string, an array) when the key is new; otherwise as text.
    Text(String),
}

enum Seg {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Option<(Vec<Seg>, Option<usize>)> {
    let (path, arg) = match path.split_once('@') {
        Some((p, a)) => (p, Some(a.parse::<usize>().ok().filter(|&a| a >= 1)?)),
        None => (path, None),
    };
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(pos) => (&part[..pos], &part[pos..]),
            None => (part, ""),
        };
        if key.is_empty() && rest.is_empty() {
            return None;
        }
        if !key.is_empty() {
            segs.push(Seg::Key(key.to_string()));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let close = stripped.find(']')?;
            segs.push(Seg::Index(stripped[..close].parse().ok()?));
            rest = &stripped[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    if segs.is_empty() {
        return None;
    }
    Some((segs, arg))
}

/// The canonical spelling of a key path (so `a.b` given twice, or as `a . b`, is found to be
/// the same key), or `None` when it is not a key path.
pub fn canonical(path: &str) -> Option<String> {
    let (segs, arg) = parse_path(path.trim())?;
    let mut out = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k.trim());
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if let Some(n) = arg {
        out.push_str(&format!("@{n}"));
    }
    Some(out)
}

/// Reads command-line text as a new TOML value: number, boolean, quoted string or array,
/// else plain text.
fn infer(text: &str) -> toml::Value {
    let t = text.trim();
    if let Ok(i) = t.parse::<i64>() {
        return toml::Value::Integer(i);
    }
    if let Ok(f) = t.parse::<f64>() {
        return toml::Value::Float(f);
    }
    match t {
        "true" => return toml::Value::Boolean(true),
        "false" => return toml::Value::Boolean(false),
        _ => {}
    }
    let structured = t.starts_with('[') || t.starts_with('"') || t.starts_with('{');
    if let Some(v) = structured
        .then(|| format!("v = {t}").parse::<toml::Table>().ok())
        .flatten()
        .and_then(|table| table.get("v").cloned())
    {
        return v;
    }
    toml::Value::String(text.to_string())
}

/// Sets the value at `path` in a TOML document. A missing table key is created (the
/// scenario's own validation then says whether the key exists).
pub fn set_path(doc: &mut toml::Value, path: &str, value: &SetValue) -> Result<(), String> {
    let (segs, arg) = parse_path(path).ok_or_else(|| {
        format!(
            "expected a key path such as parameters.silo, interventions[0].round or initial.trust.across@1, found \"{}\"",
            super::error::excerpt(path)
        )
    })?;
    let mut node = doc;
    for (k, seg) in segs.iter().enumerate() {
        let last = k + 1 == segs.len();
        node = match seg {
            Seg::Key(key) => {
                let table = node
                    .as_table_mut()
                    .ok_or_else(|| format!("\"{path}\": expected a table before `{key}`"))?;
                if !table.contains_key(key) {
                    let fresh = match (last, value) {
                        (false, _) => toml::Value::Table(Default::default()),
                        (true, SetValue::Number(_)) => toml::Value::Float(0.0),
                        (true, SetValue::Text(text)) => infer(text),
                    };
                    table.insert(key.clone(), fresh);
                }
                table
                    .get_mut(key)
                    .ok_or_else(|| format!("\"{path}\": no key `{key}`"))?
            }
            Seg::Index(idx) => {
                let array = node
                    .as_array_mut()
                    .ok_or_else(|| format!("\"{path}\": expected an array before [{idx}]"))?;
                let len = array.len();
                array.get_mut(*idx).ok_or_else(|| {
                    format!("\"{path}\": index [{idx}] is out of range (the array has {len} items)")
                })?
            }
        };
    }
    let number = |what: &str| -> Result<f64, String> {
        match value {
            SetValue::Number(v) => Ok(*v),
            SetValue::Text(t) => t.trim().parse::<f64>().map_err(|_| {
                format!(
                    "\"{path}\": expected {what}, found \"{}\"",
                    super::error::excerpt(t)
                )
            }),
        }
    };
    match (arg, &mut *node) {
        (None, toml::Value::Integer(i)) => {
            let v = number("a whole number")?;
            let whole_text = matches!(value, SetValue::Text(_)) && v.fract() != 0.0;
            if !v.is_finite() || v < 0.0 || v > i64::MAX as f64 || whole_text {
                return Err(format!("\"{path}\": expected a whole number, found {v}"));
            }
            *i = v.round() as i64;
        }
        (None, toml::Value::Float(f)) => *f = number("a number")?,
        (Some(n), toml::Value::String(text)) => {
            let v = number("a number")?;
            let (name, rest) = text.split_once('(').ok_or_else(|| {
                format!(
                    "\"{path}\": expected a distribution such as uniform(0, 1), found \"{}\"",
                    super::error::excerpt(text)
                )
            })?;
            let inner = rest
                .trim_end()
                .strip_suffix(')')
                .ok_or_else(|| format!("\"{path}\": expected a closing ')' in \"{text}\""))?;
            let mut args: Vec<String> = inner.split(',').map(|a| a.trim().to_string()).collect();
            if n > args.len() {
                return Err(format!(
                    "\"{path}\": {} has {} arguments, found @{n}",
                    name.trim(),
                    args.len()
                ));
            }
            args[n - 1] = format!("{v}");
            *text = format!("{}({})", name.trim(), args.join(", "));
        }
        (None, toml::Value::String(text)) => match value {
            SetValue::Text(t) => *text = t.clone(),
            SetValue::Number(_) => {
                return Err(format!(
                    "\"{path}\": expected a numeric value, found string (use @N for a distribution's N-th argument)"
                ));
            }
        },
        (None, toml::Value::Boolean(b)) => match value {
            SetValue::Text(t) if t.trim() == "true" => *b = true,
            SetValue::Text(t) if t.trim() == "false" => *b = false,
            _ => return Err(format!("\"{path}\": expected true or false")),
        },
        (None, other) => match value {
            SetValue::Text(t) => *other = infer(t),
            SetValue::Number(_) => {
                return Err(format!(
                    "\"{path}\": expected a numeric value, found {}",
                    other.type_str()
                ));
            }
        },
        (Some(n), other) => {
            return Err(format!(
                "\"{path}@{n}\": expected a distribution string, found {}",
                other.type_str()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn n(v: f64) -> SetValue {
        SetValue::Number(v)
    }

    #[test]
    fn numbers_integers_arrays_and_distribution_arguments() {
        let mut doc: toml::Value = toml::from_str(
            "rounds = 10\n[parameters]\nsilo = 0.1\n[initial.trust]\nacross = \"uniform(0.1, 0.4)\"\n[[interventions]]\nround = 5\n",
        )
        .unwrap();
        set_path(&mut doc, "parameters.silo", &n(0.7)).unwrap();
        set_path(&mut doc, "parameters.leadership", &n(0.9)).unwrap();
        set_path(&mut doc, "interventions[0].round", &n(12.0)).unwrap();
        set_path(&mut doc, "initial.trust.across@2", &n(0.8)).unwrap();
        assert_eq!(doc["parameters"]["silo"].as_float(), Some(0.7));
        assert_eq!(doc["parameters"]["leadership"].as_float(), Some(0.9));
        assert_eq!(doc["interventions"][0]["round"].as_integer(), Some(12));
        assert_eq!(
            doc["initial"]["trust"]["across"].as_str(),
            Some("uniform(0.1, 0.8)")
        );
        let err = |doc: &mut toml::Value, p: &str, v: SetValue| set_path(doc, p, &v).unwrap_err();
        assert!(err(&mut doc, "interventions[3].round", n(1.0)).contains("out of range"));
        assert!(err(&mut doc, "initial.trust.across", n(1.0)).contains("numeric"));
        assert!(err(&mut doc, "initial.trust.across@3", n(1.0)).contains("2 arguments"));
        assert!(set_path(&mut doc, "a..b", &n(1.0)).is_err());
    }

    #[test]
    fn text_values_take_the_type_of_the_key() {
        let mut doc: toml::Value =
            toml::from_str("name = \"x\"\nrounds = 10\n[parameters]\nsilo = 0.1\n").unwrap();
        let t = |s: &str| SetValue::Text(s.into());
        set_path(&mut doc, "name", &t("silo-high")).unwrap();
        set_path(&mut doc, "parameters.silo", &t("0.9")).unwrap();
        set_path(&mut doc, "rounds", &t("20")).unwrap();
        set_path(&mut doc, "parameters.leadership", &t("1")).unwrap();
        set_path(&mut doc, "network.type", &t("sbm")).unwrap();
        assert_eq!(doc["name"].as_str(), Some("silo-high"));
        assert_eq!(doc["parameters"]["silo"].as_float(), Some(0.9));
        assert_eq!(doc["rounds"].as_integer(), Some(20));
        assert_eq!(doc["parameters"]["leadership"].as_integer(), Some(1));
        assert_eq!(doc["network"]["type"].as_str(), Some("sbm"));
        assert!(
            set_path(&mut doc, "rounds", &t("20.5"))
                .unwrap_err()
                .contains("whole number")
        );
        assert!(
            set_path(&mut doc, "parameters.silo", &t("high"))
                .unwrap_err()
                .contains("expected a number")
        );
    }

    #[test]
    fn canonical_spelling() {
        assert_eq!(
            canonical(" parameters.silo").as_deref(),
            Some("parameters.silo")
        );
        assert_eq!(
            canonical("initial.trust.across@1").as_deref(),
            Some("initial.trust.across@1")
        );
        assert_eq!(canonical("a..b"), None);
    }
}
