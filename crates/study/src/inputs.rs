//! Reading the files a scenario or a sweep names, for every front end (the CLI, the Python
//! package): regular files only (never a FIFO, a device or a folder, which could hang or
//! never end), with a size cap, in UTF-8, each recorded with its SHA-256 for `run.json`
//! and the sweep fingerprints; and the loading of a sweep file with its base scenario.

use std::cell::RefCell;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use collabgov_core::scenario::ScenarioError;
use collabgov_core::scenario::error::excerpt;
use sha2::{Digest, Sha256};

use crate::bundled::BUNDLED;
use crate::manifest::InputFile;
use crate::sweep::SweepPlan;

/// Most bytes of a TOML file (scenario, sweep) collabgov reads.
pub const MAX_TOML_BYTES: u64 = 16 << 20;
/// Most bytes of a data file (actors, edges, a network, a run's tables) collabgov reads.
pub const MAX_DATA_BYTES: u64 = 4 << 30;

/// A file that could not be read: the message names the file and what was wrong.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Reads an input's bytes: a regular file of at most `cap` bytes.
pub fn read_bytes(path: &Path, cap: u64) -> Result<Vec<u8>, InputError> {
    let cannot = |e: std::io::Error| InputError(format!("cannot read {}: {e}", path.display()));
    let meta = fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(InputError(format!(
            "{}: expected a regular file, found {}",
            path.display(),
            kind_of(&meta)
        )));
    }
    if meta.len() > cap {
        return Err(InputError(format!(
            "{}: expected a file of at most {} MiB, found {} MiB",
            path.display(),
            cap >> 20,
            meta.len() >> 20
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    File::open(path)
        .and_then(|f| f.take(cap + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() as u64 > cap {
        return Err(InputError(format!(
            "{}: expected a file of at most {} MiB, found more (it grew while read)",
            path.display(),
            cap >> 20
        )));
    }
    Ok(bytes)
}

/// Reads a text input: [`read_bytes`], in UTF-8.
pub fn read_text(path: &Path, cap: u64) -> Result<String, InputError> {
    String::from_utf8(read_bytes(path, cap)?).map_err(|e| {
        InputError(format!(
            "{}: expected UTF-8 text, found a byte that is not (at byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

fn kind_of(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "something else"
    }
}

/// SHA-256 of some bytes, in hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Records every file read through it, for `run.json` and the fingerprints.
#[derive(Default)]
pub struct Inputs {
    files: Mutex<Vec<InputFile>>,
}

impl Inputs {
    /// Reads `path` as a text input of at most `cap` bytes and records its hash.
    pub fn read(&self, path: &Path, cap: u64) -> Result<String, InputError> {
        let text = read_text(path, cap)?;
        self.files().push(InputFile {
            path: path.display().to_string(),
            sha256: sha256(text.as_bytes()),
        });
        Ok(text)
    }

    /// A scenario loader for data files named relative to `base`.
    pub fn loader<'a>(&'a self, base: &'a Path) -> impl Fn(&str) -> Result<String, String> + 'a {
        move |name: &str| {
            self.read(&base.join(name), MAX_DATA_BYTES)
                .map_err(|e| e.to_string())
        }
    }

    fn files(&self) -> std::sync::MutexGuard<'_, Vec<InputFile>> {
        // A panic while the list was held cannot leave it inconsistent (one push).
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every file read, in order, each once.
    pub fn list(&self) -> Vec<InputFile> {
        let mut out: Vec<InputFile> = Vec::new();
        for f in self.files().iter() {
            if !out.contains(f) {
                out.push(f.clone());
            }
        }
        out
    }
}

/// Parses a sweep's text (`file` names it in messages; `folder` is where its base and the
/// base's files are found): its plan and the folder the base scenario's files are read
/// from. The base is a scenario file relative to `folder`, or else a bundled name; every
/// file read is recorded in `inputs`.
pub fn load_sweep(
    text: &str,
    file: &str,
    folder: &Path,
    inputs: &Inputs,
) -> Result<(SweepPlan, PathBuf), ScenarioError> {
    let base_dir = RefCell::new(folder.to_path_buf());
    let base_text = |spec: &str| -> Result<(String, String), String> {
        let candidate = folder.join(spec);
        if candidate.exists() {
            if let Some(parent) = candidate.parent() {
                *base_dir.borrow_mut() = parent.to_path_buf();
            }
            let text = inputs
                .read(&candidate, MAX_TOML_BYTES)
                .map_err(|e| e.to_string())?;
            return Ok((text, candidate.display().to_string()));
        }
        if let Some((name, text)) = BUNDLED.iter().find(|(n, _)| *n == spec) {
            return Ok((text.to_string(), format!("bundled:{name}")));
        }
        Err(format!(
            "expected a scenario file (relative to the sweep file) or a bundled name, found \"{}\"",
            excerpt(spec)
        ))
    };
    let load = |name: &str| -> Result<String, String> {
        let base = base_dir.borrow().clone();
        inputs.loader(&base)(name)
    };
    let plan = SweepPlan::parse(text, file, &base_text, &load)?;
    let base = base_dir.borrow().clone();
    Ok((plan, base))
}
