//! collabgov-core: the CG-1 model of collaborative governance, as data.
//!
//! - [`Kind`], [`Actor`]: public agencies and non-state actors (NGO, business, community,
//!   academia, media), each in a sector.
//! - [`Dist`]: the initial-value distributions (`constant`, `uniform`, `beta`, `normal`).
//! - [`RelationGraph`]: undirected relations on a petgraph CSR with two directed trust slots
//!   each, and the sparse generators (`complete`, `sbm`, `small_world`) in [`graph`].
//! - [`Params`]: every CG-1 parameter with docs/model.md's default.
//! - [`Scenario`]: a scenario file parsed in two stages (the raw serde image
//!   [`scenario::raw::RawScenario`], then validation) into a [`Forum`] that every replicate
//!   shares read-only.
//!
//! This crate does no I/O: files named by a scenario are read through a [`scenario::Loader`]
//! that the caller supplies.
//!
//! ```
//! use collabgov_core::{Scenario, scenario::no_files};
//!
//! let toml = r#"
//!     name = "two sectors"
//!     [[sectors]]
//!     name = "health"
//!     agencies = 2
//!     ngo = 1
//!     [[sectors]]
//!     name = "environment"
//!     agencies = 1
//!     community = 2
//!     [parameters]
//!     silo = 0.5
//! "#;
//! let scenario = Scenario::parse(toml, "example.toml", &no_files).unwrap();
//! assert_eq!(scenario.forum.n_actors(), 6);
//! assert_eq!(scenario.forum.graph.n_relations(), 15); // complete by default
//! assert_eq!(scenario.params.silo, 0.5);
//! assert_eq!(scenario.params.leadership, 0.5); // docs/model.md's default
//! ```

// Only for its `std` feature: float functions from the system libm in every build (Cargo.toml).
use num_traits as _;

pub mod actor;
pub mod dist;
pub mod graph;
pub mod params;
pub mod scenario;

pub use actor::{Actor, FixedValues, Kind};
pub use dist::Dist;
pub use graph::RelationGraph;
pub use params::Params;
pub use scenario::{
    Forum, Intervention, Label, LabelArg, Overrides, Parsed, Profile, Scenario, ScenarioError,
    SetValue, Window,
};
