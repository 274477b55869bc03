//! The one list of the files each kind of folder holds: name, format, and the writer that
//! makes its bytes. The command line writes them into a staged folder (tables as CSV or
//! Parquet), the Python package returns them as text, the classroom page sends them; so a
//! new table is added here once and reaches every front end. Charts are drawn above this
//! layer (collabgov-viz) from the same tables; the manifest is written last.

use std::io::Write;

use crate::ops::OpError;
use crate::ops::assess::{Assessed, Plan};
use crate::ops::compare::Compared;
use crate::output::RunTables;

/// How a file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A tidy table: CSV, or Parquet where the caller asks (`--format parquet`).
    Table,
    /// A file written as is (GraphML, text, TOML).
    File,
}

/// The writer of an artifact's bytes.
pub type Writer<'a> = Box<dyn Fn(&mut dyn Write) -> std::io::Result<()> + 'a>;

/// One file of a folder.
pub struct Artifact<'a> {
    /// For a table, its stem (`rounds` → `rounds.csv`, `rounds.parquet`); for a file, its
    /// whole name (`network.graphml`).
    pub name: String,
    /// How it is written.
    pub format: Format,
    /// Writes its bytes (a table's as CSV).
    pub write: Writer<'a>,
}

impl<'a> Artifact<'a> {
    fn table(name: &str, write: impl Fn(&mut dyn Write) -> std::io::Result<()> + 'a) -> Self {
        Artifact {
            name: name.to_string(),
            format: Format::Table,
            write: Box::new(write),
        }
    }

    fn file(name: &str, write: impl Fn(&mut dyn Write) -> std::io::Result<()> + 'a) -> Self {
        Artifact {
            name: name.to_string(),
            format: Format::File,
            write: Box::new(write),
        }
    }

    fn bytes_file(name: &str, bytes: Vec<u8>) -> Self {
        Artifact::file(name, move |w| w.write_all(&bytes))
    }

    /// Its file name as CSV (a table) or as is.
    pub fn csv_name(&self) -> String {
        match self.format {
            Format::Table => format!("{}.csv", self.name),
            Format::File => self.name.clone(),
        }
    }

    /// Its bytes (a table's as CSV).
    pub fn bytes(&self) -> Result<Vec<u8>, OpError> {
        let mut out = Vec::new();
        (self.write)(&mut out)
            .map_err(|e| OpError::Table(format!("cannot format {}: {e}", self.csv_name())))?;
        Ok(out)
    }
}

fn csv_err(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}

/// A run folder's files besides `run.json` and the charts: `activities` (with services),
/// `rounds`, `replicates`, `summary`, `units` (with levels of government), `actors`,
/// `network` and, when the run kept its network, `network.graphml`.
pub fn run_files(tables: &RunTables) -> Vec<Artifact<'_>> {
    let mut out = Vec::new();
    if tables.services {
        out.push(Artifact::table("activities", |w| {
            tables.write_activities(w)
        }));
    }
    out.push(Artifact::table("rounds", |w| tables.write_rounds(w)));
    out.push(Artifact::table("replicates", |w| {
        tables.write_replicates(w)
    }));
    out.push(Artifact::table("summary", |w| {
        crate::report::write_summary_csv(tables, w).map_err(csv_err)
    }));
    if tables.levels {
        out.push(Artifact::table("units", |w| {
            crate::output::write_units(&tables.units, w)
        }));
    }
    out.push(Artifact::table("actors", |w| tables.write_actors(w)));
    out.push(Artifact::table("network", |w| tables.write_network(w)));
    if !tables.series.is_empty() {
        out.push(Artifact::table("series", |w| tables.write_series(w)));
    }
    if !tables.network.is_empty() {
        out.push(Artifact::file("network.graphml", |w| {
            tables.write_graphml(w)
        }));
    }
    out
}

/// A comparison folder's files besides `compare.json` and the overlay: `compare.csv`,
/// `paired.csv`, `summary.txt`, and each side's `side-K.rounds.csv` and
/// `side-K.replicates.csv` (so the overlay can be redrawn from the folder).
pub fn compare_files(compared: &Compared) -> Vec<Artifact<'_>> {
    let mut out = vec![
        Artifact::file("compare.csv", |w| {
            crate::report::write_compare_csv(&compared.named(), w).map_err(csv_err)
        }),
        Artifact::file("paired.csv", |w| {
            crate::report::write_paired_csv(&compared.sides(), w).map_err(csv_err)
        }),
        Artifact::bytes_file("summary.txt", compared.summary().into_bytes()),
    ];
    for (k, r) in compared.runs.iter().enumerate() {
        let stem = format!("side-{}", k + 1);
        out.push(Artifact::file(&format!("{stem}.rounds.csv"), |w| {
            r.tables.write_rounds(w)
        }));
        out.push(Artifact::file(&format!("{stem}.replicates.csv"), |w| {
            r.tables.write_replicates(w)
        }));
    }
    out
}

/// An assessment folder's files besides `assess.json` and the chart: `assess.csv`,
/// `summary.txt`, `menu.toml` (the menu as run).
pub fn assess_files<'a>(assessed: &'a Assessed, plan: &'a Plan) -> Vec<Artifact<'a>> {
    vec![
        Artifact::file("assess.csv", |w| w.write_all(&assessed.table)),
        Artifact::bytes_file("summary.txt", assessed.summary.clone().into_bytes()),
        Artifact::bytes_file("menu.toml", plan.menu.to_toml().into_bytes()),
    ]
}
