//! Reading the files a scenario or a sweep names, for every front end (the CLI, the Python
//! package): regular files only (never a FIFO, a device or a folder, which could hang or
//! never end), with a size cap, in UTF-8, each recorded with its SHA-256 for `run.json`
//! and the sweep fingerprints.

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// A file an output was computed from, and the hash of its content.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InputFile {
    /// The path as the user (or the scenario) named it.
    pub path: String,
    /// SHA-256 of its content, in hex.
    pub sha256: String,
}

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
