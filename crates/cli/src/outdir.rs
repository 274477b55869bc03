//! Output folders of `run`, `compare` and `assess`: checked, locked and staged before any simulation,
//! filled under a temporary name, and moved into place whole. A folder that is not a
//! collabgov output of the same kind is never replaced; leftovers of a killed run are
//! recovered or removed by the next one.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

use crate::fault;
use crate::files::{Lock, sync_dir};

/// What kind of output a folder holds, recognised by its manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// `collabgov run`: `run.json`.
    Run,
    /// `collabgov compare`: `compare.json`.
    Compare,
    /// `collabgov assess`: `assess.json`.
    Assess,
}

impl OutputKind {
    /// The manifest file that marks a folder as this kind of output.
    pub fn manifest(self) -> &'static str {
        match self {
            OutputKind::Run => "run.json",
            OutputKind::Compare => "compare.json",
            OutputKind::Assess => "assess.json",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            OutputKind::Run => "run",
            OutputKind::Compare => "comparison",
            OutputKind::Assess => "assessment",
        }
    }
}

/// Whether `dir` holds a collabgov manifest of `kind` (a JSON object with a
/// `collabgov_version`).
pub fn is_ours(dir: &Path, kind: OutputKind) -> bool {
    let path = dir.join(kind.manifest());
    let Ok(meta) = fs::metadata(&path) else {
        return false;
    };
    if !meta.is_file() || meta.len() > crate::files::MAX_TOML_BYTES {
        return false;
    }
    fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|v| v["collabgov_version"].is_string())
}

/// How the finished folder reaches its target.
enum Mode {
    /// The target does not exist, is empty, or is our own earlier output: replace it whole.
    Replace,
    /// `--force` on a folder that is not ours: move our files into it, one by one,
    /// replacing only files of the same names.
    Into,
}

/// A staged output folder: the target checked and locked, the staging folder created.
pub struct Staged {
    staging: TempDir,
    target: PathBuf,
    parent: PathBuf,
    name: String,
    mode: Mode,
    kind: OutputKind,
    _lock: Lock,
}

fn parent_and_name(target: &Path) -> Result<(PathBuf, String)> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| n != "." && n != "..")
        .with_context(|| {
            format!(
                "--out {}: expected a folder path that ends in a name",
                target.display()
            )
        })?;
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    Ok((parent, name))
}

/// Whether the finished folder may replace `target` whole, go into it file by file
/// (`--force`), or must be refused.
fn decide_mode(target: &Path, kind: OutputKind, force: bool) -> Result<Mode> {
    Ok(match fs::read_dir(target) {
        Err(_) => Mode::Replace,
        Ok(mut entries) => {
            let empty = entries.next().is_none();
            let linked = fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
            if (empty || is_ours(target, kind)) && !linked && !holds_working_folder(target) {
                Mode::Replace
            } else if force {
                Mode::Into
            } else {
                let why = if holds_working_folder(target) {
                    "it is (or holds) the working folder".to_string()
                } else if linked {
                    "it is a symbolic link".to_string()
                } else {
                    format!(
                        "it is not a collabgov {} folder (it has no {})",
                        kind.noun(),
                        kind.manifest()
                    )
                };
                bail!(
                    "{} exists and {why}: collabgov will not replace it. Choose another --out, or add --force to write the {}'s files into it, replacing only files of the same names",
                    target.display(),
                    kind.noun()
                );
            }
        }
    })
}

/// Whether `target` is the working folder or holds it.
fn holds_working_folder(target: &Path) -> bool {
    let (Ok(cwd), Ok(t)) = (std::env::current_dir(), fs::canonicalize(target)) else {
        return false;
    };
    cwd.starts_with(t)
}

impl Staged {
    /// Checks `target`, takes its lock, tidies what a killed run left, and creates the
    /// staging folder: everything that can fail before the work starts.
    pub fn prepare(target: &Path, kind: OutputKind, force: bool) -> Result<Staged> {
        let (parent, name) = parent_and_name(target)?;
        if name.len() > 200 {
            bail!(
                "{}: expected a folder name of at most 200 bytes, found {} (collabgov adds a suffix to it while writing)",
                target.display(),
                name.len()
            );
        }
        if let Ok(meta) = fs::symlink_metadata(target)
            && !meta.is_dir()
            && !(meta.file_type().is_symlink() && target.is_dir())
        {
            bail!(
                "{} exists and is not a folder: collabgov never replaces a file; choose another --out",
                target.display()
            );
        }
        // Refuse before creating anything (the lock file included); checked again under the
        // lock, after a killed run's leftovers are tidied.
        decide_mode(target, kind, force)?;
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        let lock = Lock::take(
            &parent.join(format!(".{name}.lock")),
            &format!("another collabgov command is writing {}", target.display()),
        )?;
        recover(&parent, &name, target, kind)?;
        let mode = decide_mode(target, kind, force)?;
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.partial-"))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a folder in {}", parent.display()))?;
        fault::point("staged");
        Ok(Staged {
            staging,
            target: target.to_path_buf(),
            parent,
            name,
            mode,
            kind,
            _lock: lock,
        })
    }

    /// Path of a file inside the staging folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.staging.path().join(name)
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Writes the folder's manifest (`run.json`, `compare.json`, `assess.json`: the file
    /// that marks the folder as ours), last, then moves the finished folder into place.
    pub fn commit_with_manifest(self, manifest: &impl serde::Serialize) -> Result<PathBuf> {
        crate::files::write_atomic(
            &self.file(self.kind.manifest()),
            serde_json::to_string_pretty(manifest)?.as_bytes(),
        )?;
        self.commit()
    }

    /// Moves the finished folder into place.
    fn commit(self) -> Result<PathBuf> {
        fault::point("before-commit");
        let staging = self.staging.keep();
        let placed = match self.mode {
            Mode::Into => move_files_into(&staging, &self.target),
            Mode::Replace => replace(&staging, &self.target, &self.parent, &self.name),
        };
        if placed.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        placed?;
        sync_dir(&self.parent);
        Ok(self.target)
    }
}

fn move_files_into(staging: &Path, target: &Path) -> Result<()> {
    for entry in fs::read_dir(staging)?.flatten() {
        let to = target.join(entry.file_name());
        if fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            bail!(
                "{} is a folder: collabgov will not replace it with a file",
                to.display()
            );
        }
        fs::rename(entry.path(), &to)
            .with_context(|| format!("cannot move a finished file to {}", to.display()))?;
    }
    fs::remove_dir(staging).ok();
    sync_dir(target);
    Ok(())
}

fn replace(staging: &Path, target: &Path, parent: &Path, name: &str) -> Result<()> {
    let exists = fs::symlink_metadata(target).is_ok();
    if !exists {
        return fs::rename(staging, target)
            .with_context(|| format!("cannot move the finished output to {}", target.display()));
    }
    // A unique name for the old folder: never a name the user could own.
    let old = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a folder in {}", parent.display()))?
        .keep();
    fs::remove_dir(&old).ok();
    fs::rename(target, &old).with_context(|| {
        format!(
            "cannot move the earlier output {} aside to {}",
            target.display(),
            old.display()
        )
    })?;
    fault::point("commit-old-moved");
    if let Err(e) = fs::rename(staging, target) {
        // Put the earlier output back where it was.
        let _ = fs::rename(&old, target);
        return Err(e)
            .with_context(|| format!("cannot move the finished output to {}", target.display()));
    }
    fault::point("commit-new-placed");
    fs::remove_dir_all(&old).with_context(|| {
        format!(
            "the new output is in {}, but the earlier one could not be removed from {}",
            target.display(),
            old.display()
        )
    })?;
    Ok(())
}

/// Under the lock: puts back an earlier output that a killed run left moved aside, and
/// removes the staging and old folders killed runs left (only folders under collabgov's
/// own temporary names).
fn recover(parent: &Path, name: &str, target: &Path, kind: OutputKind) -> Result<()> {
    let partial = format!(".{name}.partial-");
    let old = format!(".{name}.old-");
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir {
            continue;
        }
        let tail = |prefix: &str| {
            file_name
                .strip_prefix(prefix)
                .is_some_and(|t| t.len() == 6 && t.chars().all(|c| c.is_ascii_alphanumeric()))
        };
        if tail(&partial) {
            fs::remove_dir_all(&path).with_context(|| {
                format!(
                    "cannot remove {}, left by an interrupted run",
                    path.display()
                )
            })?;
        } else if tail(&old) {
            if fs::symlink_metadata(target).is_err() && is_ours(&path, kind) {
                fs::rename(&path, target).with_context(|| {
                    format!(
                        "an interrupted run left the earlier output in {}; it could not be moved back to {}",
                        path.display(),
                        target.display()
                    )
                })?;
                eprintln!(
                    "note: put back the earlier output of {} that an interrupted run had moved to {}",
                    target.display(),
                    path.display()
                );
            } else {
                fs::remove_dir_all(&path).with_context(|| {
                    format!(
                        "cannot remove {}, left by an interrupted run",
                        path.display()
                    )
                })?;
            }
        }
    }
    Ok(())
}
