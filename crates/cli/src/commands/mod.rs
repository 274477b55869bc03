//! One file per command, as cargo's `src/bin/cargo/commands/`: each holds its clap
//! arguments and the function that runs it, over the libraries and the shared helpers in
//! `common.rs`, `files.rs` and `outdir.rs`.

pub mod assess;
pub mod bench;
pub mod compare;
pub mod discover;
pub mod merge;
pub mod plot;
pub mod report;
pub mod run;
pub mod scenarios;
pub mod serve;
pub mod sweep;
pub mod sweep_compare;
pub mod validate;
