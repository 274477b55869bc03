//! `units.csv` (levels of government, CG-3): each unit of government with, over
//! replicates, the mean and 95 % interval of its final understanding, commitment, trust
//! within the unit and vertical trust, and its consensus share (the share of replicates
//! whose last round has the unit's own actors in consensus).

use std::io::Write;

use collabgov_core::scenario::levels::LEVEL_NAMES;
use collabgov_sim::model::levels::UnitFinal;
use collabgov_sim::run::RunResult;
use collabgov_sim::stats::{nested, share_interval};

use super::Row;
use collabgov_core::scenario::error::excerpt as excerpt_cell;

/// One unit's row of `units.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitSummary {
    /// The unit's index (0 is the national government).
    pub unit: u32,
    /// Its level: 0 national, 1 province, 2 regency or city.
    pub level: u8,
    /// Its parent unit.
    pub parent: u32,
    /// Its name.
    pub name: String,
    /// Mean and 95 % interval (`[mean, low, high]`) of the final understanding, alignment
    /// with the forum, commitment, trust within the unit and vertical trust, in
    /// [`UNIT_VALUES`] order.
    pub values: [[f64; 3]; 5],
    /// The consensus share and its 95 % interval.
    pub consensus: [f64; 3],
}

/// The columns of [`UnitSummary::values`], as `units.csv` names them.
pub const UNIT_VALUES: [&str; 5] = [
    "understanding",
    "alignment",
    "commitment",
    "trust_local",
    "trust_vertical",
];

/// The rows of `units.csv` of a finished run (none without levels).
pub(super) fn unit_summaries(result: &RunResult) -> Vec<UnitSummary> {
    result
        .units
        .iter()
        .map(|u| {
            let k = u.unit as usize;
            let per_replicate = |f: &dyn Fn(&UnitFinal) -> f64| -> Vec<(u32, f64)> {
                result
                    .replicates
                    .iter()
                    .filter_map(|r| r.units.get(k).map(|v| (r.draw, f(v))))
                    .collect()
            };
            let interval = |f: &dyn Fn(&UnitFinal) -> f64| {
                // Every value is in [0, 1], and so is its interval.
                let s = nested(per_replicate(f).into_iter());
                [s.mean, s.low.max(0.0), s.high.min(1.0)]
            };
            let values = [
                interval(&|v| v.understanding),
                interval(&|v| v.alignment),
                interval(&|v| v.commitment),
                interval(&|v| v.trust_local),
                interval(&|v| v.trust_vertical),
            ];
            let flags: Vec<(u32, bool)> = per_replicate(&|v| v.consensus)
                .into_iter()
                .map(|(d, c)| (d, c == 1.0))
                .collect();
            let share = flags.iter().filter(|f| f.1).count() as f64 / flags.len().max(1) as f64;
            let (low, high) = share_interval(flags.into_iter());
            UnitSummary {
                unit: u.unit,
                level: u.level,
                parent: u.parent,
                name: u.name.clone(),
                values,
                consensus: [share, low, high],
            }
        })
        .collect()
}

/// The header of `units.csv`.
pub fn units_header() -> Vec<String> {
    let mut h: Vec<String> = ["unit", "level", "level_name", "parent", "name"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for v in UNIT_VALUES {
        h.extend([v.to_string(), format!("{v}_low"), format!("{v}_high")]);
    }
    h.extend(["consensus_share", "consensus_low", "consensus_high"].map(String::from));
    h
}

/// Writes `units.csv`.
pub fn write_units(units: &[UnitSummary], w: &mut dyn Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(units_header())?;
    let mut row = Row::default();
    for u in units {
        row.clear();
        row.int(u.unit)
            .int(u.level)
            .text(LEVEL_NAMES[u.level as usize])
            .int(u.parent)
            .text(&collabgov_core::scenario::cell_out(&u.name));
        for v in u.values.iter().chain([&u.consensus]) {
            for &x in v {
                row.num(x);
            }
        }
        row.write(&mut out)?;
    }
    out.flush()
}

/// Reads `units.csv` back (for charts redrawn from a folder).
pub fn read_units(text: &str) -> Result<Vec<UnitSummary>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(String::from)
        .collect();
    if header != units_header() {
        return Err(format!(
            "units.csv: expected the header {}, found {}",
            units_header().join(","),
            excerpt_cell(&header.join(","))
        ));
    }
    let mut out = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("units.csv: {e}"))?;
        let line = line + 2;
        let int = |k: usize| -> Result<u32, String> {
            record[k].parse().map_err(|_| {
                format!(
                    "units.csv: line {line}, column {}: expected a whole number, found \"{}\"",
                    units_header()[k],
                    excerpt_cell(&record[k])
                )
            })
        };
        let num = |k: usize| -> Result<f64, String> {
            if record[k].is_empty() {
                return Ok(f64::NAN);
            }
            record[k].parse().map_err(|_| {
                format!(
                    "units.csv: line {line}, column {}: expected a number, found \"{}\"",
                    units_header()[k],
                    excerpt_cell(&record[k])
                )
            })
        };
        let level = int(1)?;
        if level > 2 {
            return Err(format!(
                "units.csv: line {line}, column level: expected 0, 1 or 2, found {level}"
            ));
        }
        let triple =
            |k: usize| -> Result<[f64; 3], String> { Ok([num(k)?, num(k + 1)?, num(k + 2)?]) };
        out.push(UnitSummary {
            unit: int(0)?,
            level: level as u8,
            parent: int(3)?,
            name: collabgov_core::scenario::cell_in(&record[4]).to_string(),
            values: [
                triple(5)?,
                triple(8)?,
                triple(11)?,
                triple(14)?,
                triple(17)?,
            ],
            consensus: triple(20)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_csv_reads_back() {
        let units = vec![UnitSummary {
            unit: 3,
            level: 2,
            parent: 1,
            name: "Kota \"Bandung\", Jawa".into(),
            values: [
                [0.5, 0.4, 0.6],
                [0.7, 0.6, 0.8],
                [0.25, f64::NAN, f64::NAN],
                [1.0, 0.9, 1.0],
                [0.1, 0.0, 0.2],
            ],
            consensus: [0.3, 0.2, 0.45],
        }];
        let mut text = Vec::new();
        write_units(&units, &mut text).unwrap();
        let back = read_units(std::str::from_utf8(&text).unwrap()).unwrap();
        assert_eq!(back[0].name, units[0].name);
        assert_eq!(back[0].values[0], units[0].values[0]);
        assert_eq!(back[0].values[1], units[0].values[1]);
        assert!(back[0].values[2][1].is_nan());
        assert_eq!(back[0].consensus, units[0].consensus);
        assert!(
            read_units("unit\n1\n")
                .unwrap_err()
                .contains("expected the header")
        );
    }
}
