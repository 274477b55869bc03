//! The run charts, one per file over the shared frame (`frame.rs`).

pub mod assess;
pub mod compare;
pub mod consensus;
pub mod cycle;
pub mod frame;
pub mod groups;
pub mod metric;
pub mod network;
pub mod overview;
pub mod services;
pub mod units;
