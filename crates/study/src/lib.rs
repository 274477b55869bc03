//! collabgov-study: what every front end (the `collabgov` command, the classroom page, the
//! Python package) calls, between the engine (`collabgov-sim`) and them, as cargo's
//! commands sit on `cargo::ops`. A capability is written here once and reaches all three.
//!
//! - [`source`]: a scenario's source (a bundled name, a path, a text), read with its caps
//!   and hashes, and parsed with overrides.
//! - [`ops`]: the operations: [`ops::run`], [`ops::compare`], [`ops::assess`], each taking
//!   what was loaded, options and one [`ops::Observer`] for progress and cancellation.
//! - [`artifacts`]: the one list of the files a folder of each kind holds (name, format,
//!   writer).
//! - [`manifest`]: `run.json`, `compare.json`, `sweep.json`, typed.
//! - [`inputs`]: reading the files a scenario or sweep names (capped, hashed).
//! - [`bundled`]: the bundled scenarios, compiled in.
//! - [`assess`]: the diagnosis of a forum and the ranking of practices by their paired
//!   effects (`collabgov assess`).
//! - [`practices`]: Whole-of-Government practices as interventions, and `compose` (a
//!   page's settings applied to a scenario's TOML).
//! - [`criteria`]: Ansell & Gash's six criteria.
//! - [`report`]: final summaries, the consensus share, a comparison's summary and table.
//! - [`output`]: the tables written to `rounds.csv`, `replicates.csv`, `actors.csv` and
//!   `network.csv`, and their readers (so charts can be redrawn from files).
//! - [`sweep`]: sweep files, designs, points and their analysis.
//! - `columnar` (cargo feature `parquet`): any of those tables as Parquet, and back.

pub mod artifacts;
pub mod assess;
pub mod bundled;
#[cfg(feature = "parquet")]
pub mod columnar;
pub mod criteria;
pub mod i18n;
pub mod inputs;
pub mod manifest;
pub mod ops;
pub mod output;
pub mod practices;
pub mod report;
pub mod source;
pub mod sweep;
