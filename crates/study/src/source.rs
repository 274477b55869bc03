//! A scenario's source, for every front end: a bundled name, a file, or a text (the page's,
//! a Python string or dict). Each file read for it goes through [`crate::inputs`] (regular
//! files only, capped, hashed), so `run.json` lists the same inputs whichever front end
//! ran it.

use std::path::{Path, PathBuf};

use collabgov_core::scenario::error::excerpt;
use collabgov_core::scenario::{ScenarioError, no_files};
use collabgov_core::{Overrides, Scenario};

use crate::bundled::BUNDLED;
use crate::inputs::InputFile;
use crate::inputs::{InputError, Inputs, MAX_TOML_BYTES};

/// Why a source could not be found, read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Neither a file nor a bundled name.
    #[error(
        "no scenario file or bundled scenario named \"{}\" (bundled: {}; see `collabgov scenarios`)",
        excerpt(.0),
        bundled_names().join(", ")
    )]
    NotFound(String),
    /// A file that could not be read (the message names it).
    #[error("{0}")]
    Input(#[from] InputError),
    /// A scenario the engine refuses (file, line, key).
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
}

/// The bundled scenarios' names, in their order.
pub fn bundled_names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(n, _)| *n).collect()
}

/// A scenario's text, its name in messages (a path, `bundled:NAME` or the caller's), and the
/// folder its relative files are read from (none: it reads no file).
pub struct Source {
    /// The TOML text.
    pub text: String,
    /// How messages and `run.json` name it (a path, `bundled:NAME`, `<scenario>`).
    pub origin: String,
    folder: Option<PathBuf>,
    inputs: Inputs,
}

/// A parsed scenario and where it came from.
pub struct Loaded {
    /// The validated scenario, with the overrides applied.
    pub scenario: Scenario,
    /// How to name it to the user (a path, or `bundled:NAME`).
    pub origin: String,
    /// The files it was read from (the scenario file and the files it names), with hashes.
    pub inputs: Vec<InputFile>,
    /// What the overrides skipped (an intervention after the last round, ...).
    pub warnings: Vec<String>,
}

impl Source {
    /// The command line's rule: an existing path is a file, else a bundled name.
    pub fn find(spec: &str) -> Result<Source, SourceError> {
        if Path::new(spec).exists() {
            Source::path(Path::new(spec))
        } else {
            Source::bundled(spec)
        }
    }

    /// A bundled scenario by name.
    pub fn bundled(name: &str) -> Result<Source, SourceError> {
        BUNDLED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, text)| Source {
                text: (*text).to_string(),
                origin: format!("bundled:{n}"),
                folder: None,
                inputs: Inputs::default(),
            })
            .ok_or_else(|| SourceError::NotFound(name.to_string()))
    }

    /// A scenario file (at most [`MAX_TOML_BYTES`]); the files it names are read relative
    /// to its folder.
    pub fn path(path: &Path) -> Result<Source, SourceError> {
        let inputs = Inputs::default();
        let text = inputs.read(path, MAX_TOML_BYTES)?;
        Ok(Source {
            text,
            origin: path.display().to_string(),
            folder: Some(path.parent().map(Path::to_path_buf).unwrap_or_default()),
            inputs,
        })
    }

    /// A text named `origin` in messages, reading its files from `folder` (none: a
    /// scenario that names a file is refused, as on the classroom page).
    pub fn text(text: String, origin: &str, folder: Option<PathBuf>) -> Source {
        Source {
            text,
            origin: origin.to_string(),
            folder,
            inputs: Inputs::default(),
        }
    }

    /// The folder its relative files are read from, if it reads files.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// The loader of the files the scenario names (through [`Inputs`], so each is recorded).
    pub fn loader(&self) -> impl Fn(&str) -> Result<String, String> + '_ {
        move |name: &str| match &self.folder {
            Some(folder) => self.inputs.loader(folder)(name),
            None => no_files(name),
        }
    }

    /// Parses the text with `overrides` applied before validation (the one configuration
    /// path).
    pub fn parse(&self, overrides: &Overrides) -> Result<Loaded, ScenarioError> {
        let load = self.loader();
        let parsed = Scenario::parse_with(&self.text, &self.origin, &load, overrides)?;
        Ok(Loaded {
            scenario: parsed.scenario,
            origin: self.origin.clone(),
            inputs: self.inputs.list(),
            warnings: parsed.warnings,
        })
    }
}

/// [`Source::find`] then [`Source::parse`]: the scenario a command line names.
pub fn load(spec: &str, overrides: &Overrides) -> Result<Loaded, SourceError> {
    Ok(Source::find(spec)?.parse(overrides)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundled_name_parses_and_an_unknown_one_lists_the_names() {
        let loaded = load("siloed-government", &Overrides::default()).unwrap_or_else(|e| {
            panic!("{e}");
        });
        assert_eq!(loaded.origin, "bundled:siloed-government");
        assert!(loaded.inputs.is_empty());
        let Err(e) = load("no-such-scenario-xyz", &Overrides::default()) else {
            panic!("an unknown name must be refused");
        };
        let message = e.to_string();
        assert!(message.contains("no-such-scenario-xyz"), "{message}");
        assert!(message.contains("siloed-government"), "{message}");
    }

    #[test]
    fn a_text_without_a_folder_reads_no_file() {
        let text = "name = \"x\"\nactors_file = \"a.csv\"\n";
        let source = Source::text(text.to_string(), "<scenario>", None);
        let Err(e) = source.parse(&Overrides::default()) else {
            panic!("a text without a folder must not read a file");
        };
        assert!(e.to_string().contains("cannot read other files"), "{e}");
    }
}
