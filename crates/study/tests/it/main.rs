//! The study layer's integration tests in one binary (one link instead of six): the
//! engine's rules through the library entry points, networks and intervals, the services
//! extension, per-group series, `assess`, Parquet tables and the golden outputs.

mod assess;
mod golden;
mod groups;
mod levels;
mod networks;
mod parquet;
mod services;
mod tests;
