//! Output folders of `run`, `compare` and `assess`: checked, locked and staged before any simulation,
//! filled under a temporary name, and moved into place whole. A folder that is not a
//! collabgov output of the same kind is never replaced; leftovers of a killed run are
//! recovered or removed by the next one.

use std::collections::BTreeSet;
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

    /// Every kind.
    pub const ALL: [OutputKind; 3] = [OutputKind::Run, OutputKind::Compare, OutputKind::Assess];

    fn noun(self) -> &'static str {
        match self {
            OutputKind::Run => "run",
            OutputKind::Compare => "comparison",
            OutputKind::Assess => "assessment",
        }
    }
}

/// The key of a manifest that lists the files collabgov wrote into its folder, the manifest
/// included: a folder is replaced whole only when it holds nothing else.
pub const FILES_KEY: &str = "files";

/// What a folder's manifest says of it.
enum Manifest {
    /// No collabgov manifest of this kind (or not a JSON object with a `collabgov_version`).
    None,
    /// A manifest of an earlier collabgov that did not list its files.
    Unlisted,
    /// A manifest and the files it lists.
    Listed(BTreeSet<String>),
}

fn read_manifest(dir: &Path, kind: OutputKind) -> Manifest {
    let path = dir.join(kind.manifest());
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return Manifest::None;
    };
    if !meta.is_file() || meta.len() > crate::files::MAX_TOML_BYTES {
        return Manifest::None;
    }
    let Some(json) = fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .filter(|v| v["collabgov_version"].is_string())
    else {
        return Manifest::None;
    };
    let listed = json[FILES_KEY].as_array().and_then(|files| {
        files
            .iter()
            .map(|f| f.as_str().map(str::to_string))
            .collect::<Option<BTreeSet<String>>>()
    });
    match listed {
        Some(files) => Manifest::Listed(files),
        None => Manifest::Unlisted,
    }
}

/// What an output folder's target is now.
enum Found {
    /// Nothing by that name.
    Missing,
    /// An empty folder.
    Empty,
    /// A collabgov output of the kind that holds only the files its manifest lists.
    Ours,
    /// Anything else, and why it is not ours.
    NotOurs(String),
}

/// Looks at `target`: an error when it exists but cannot be listed (collabgov never takes a
/// folder it cannot see into for a missing one).
fn inspect(target: &Path, kind: OutputKind) -> Result<Found> {
    let entries = match fs::read_dir(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if fs::symlink_metadata(target).is_ok() {
                return Ok(Found::NotOurs(
                    "it is a symbolic link to nothing".to_string(),
                ));
            }
            return Ok(Found::Missing);
        }
        Err(e) => bail!(
            "{}: cannot list this folder ({e}): collabgov will not replace a folder whose contents it cannot see; choose another --out",
            target.display()
        ),
        Ok(entries) => entries,
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", target.display()))?;
        names.push(entry.file_name().to_string_lossy().to_string());
    }
    if names.is_empty() {
        return Ok(Found::Empty);
    }
    names.sort();
    Ok(match read_manifest(target, kind) {
        Manifest::None => Found::NotOurs(format!(
            "it is not a collabgov {} folder (it has no {})",
            kind.noun(),
            kind.manifest()
        )),
        Manifest::Unlisted => Found::NotOurs(format!(
            "its {} comes from an earlier collabgov that did not list the files it wrote, so which files are yours cannot be told (remove the folder yourself if it holds nothing of yours)",
            kind.manifest()
        )),
        Manifest::Listed(listed) => {
            let strays: Vec<&String> = names.iter().filter(|n| !listed.contains(*n)).collect();
            match strays.first() {
                None => Found::Ours,
                Some(first) => Found::NotOurs(format!(
                    "it holds {first}{}, which collabgov did not write",
                    if strays.len() > 1 {
                        format!(" and {} more", strays.len() - 1)
                    } else {
                        String::new()
                    }
                )),
            }
        }
    })
}

/// Whether `dir` holds a collabgov manifest of `kind` (its output, to read or to add
/// charts to; whether it may be replaced whole is [`inspect`]'s question).
pub fn is_ours(dir: &Path, kind: OutputKind) -> bool {
    !matches!(read_manifest(dir, kind), Manifest::None)
}

/// Whether `a` and `b` are the same folder (`a` may be empty for the working folder).
pub fn same_folder(a: &Path, b: &Path) -> bool {
    let a = if a.as_os_str().is_empty() {
        Path::new(".")
    } else {
        a
    };
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Adds `names` (files collabgov just wrote into `dir`: redrawn charts, a report) to the
/// file list of `dir`'s manifest, so that a later command still finds nothing there that
/// collabgov did not write. A folder whose manifest lists no files is left as it is.
pub fn list_added(dir: &Path, names: &[String]) -> Result<()> {
    for kind in OutputKind::ALL {
        let Manifest::Listed(mut files) = read_manifest(dir, kind) else {
            continue;
        };
        if names.iter().all(|n| files.contains(n)) {
            continue;
        }
        files.extend(names.iter().cloned());
        let path = dir.join(kind.manifest());
        let mut json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path)?)
            .with_context(|| format!("cannot read {}", path.display()))?;
        json[FILES_KEY] = serde_json::json!(files);
        crate::files::write_atomic(&path, serde_json::to_string_pretty(&json)?.as_bytes())?;
    }
    Ok(())
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
    let found = inspect(target, kind)?;
    let linked = fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
    let working = holds_working_folder(target);
    let why = if working {
        "it is (or holds) the working folder".to_string()
    } else if linked {
        "it is a symbolic link".to_string()
    } else {
        match found {
            Found::NotOurs(why) => why,
            Found::Missing | Found::Empty | Found::Ours => return Ok(Mode::Replace),
        }
    };
    if force {
        return Ok(Mode::Into);
    }
    bail!(
        "{} exists and {why}: collabgov will not replace it. Choose another --out, or add --force to write the {}'s files into it, replacing only files of the same names",
        target.display(),
        kind.noun()
    );
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
        let lock = folder_lock(target, false)?;
        recover(&parent, &name, target)?;
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
    /// that marks the folder as ours, listing every file of it), last, then moves the
    /// finished folder into place.
    pub fn commit_with_manifest<M: serde::Serialize>(self, manifest: &M) -> Result<PathBuf> {
        /// The manifest with the list of the folder's files after its own keys.
        #[derive(serde::Serialize)]
        struct WithFiles<'a, M> {
            #[serde(flatten)]
            manifest: &'a M,
            files: Vec<String>,
        }
        let mut files: Vec<String> = fs::read_dir(self.path())
            .with_context(|| format!("cannot list {}", self.path().display()))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .chain([self.kind.manifest().to_string()])
            .collect();
        files.sort();
        files.dedup();
        let json = serde_json::to_string_pretty(&WithFiles { manifest, files })?;
        crate::files::write_atomic(&self.file(self.kind.manifest()), json.as_bytes())?;
        self.commit()
    }

    /// Moves the finished folder into place. A target to be replaced is looked at again
    /// first: when something collabgov did not write appeared in it while the work ran,
    /// nothing is replaced and the finished folder is kept beside it.
    fn commit(self) -> Result<PathBuf> {
        fault::point("before-commit");
        let staging = self.staging.keep();
        let placed = match self.mode {
            Mode::Into => move_files_into(&staging, &self.target, self.kind),
            Mode::Replace => match inspect(&self.target, self.kind) {
                Ok(Found::Missing | Found::Empty | Found::Ours) => {
                    replace(&staging, &self.target, &self.parent, &self.name, self.kind)
                }
                Ok(Found::NotOurs(why)) => {
                    let kept = keep_aside(&staging, &self.parent, &self.name)?;
                    bail!(
                        "{} changed while collabgov worked ({why}), so it was not replaced; the finished {} is in {}",
                        self.target.display(),
                        self.kind.noun(),
                        kept.display()
                    );
                }
                Err(e) => {
                    let kept = keep_aside(&staging, &self.parent, &self.name)?;
                    return Err(e.context(format!(
                        "the finished {} is in {}",
                        self.kind.noun(),
                        kept.display()
                    )));
                }
            },
        };
        if placed.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        placed?;
        sync_dir(&self.parent);
        Ok(self.target)
    }
}

/// The lock of output folder `target` (`.NAME.lock` beside it), which every command that
/// writes into the folder holds while it works: `run`, `compare` and `assess` alone, the
/// shards of a sweep `shared` among themselves.
pub fn folder_lock(target: &Path, shared: bool) -> Result<Lock> {
    let (parent, name) = parent_and_name(target)?;
    fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    let path = parent.join(format!(".{name}.lock"));
    let what = format!("another collabgov command is writing {}", target.display());
    if shared {
        Lock::take_shared(&path, &what)
    } else {
        Lock::take(&path, &what)
    }
}

/// A name in `parent` that starts with `prefix` and that nothing holds (found by creating
/// a folder of it, then removing it again): what a folder is renamed to.
fn unused_name(parent: &Path, prefix: &str) -> Result<PathBuf> {
    let path = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a folder in {}", parent.display()))?
        .keep();
    fs::remove_dir(&path).ok();
    Ok(path)
}

/// Moves a finished folder that could not be placed to a new visible name beside the
/// target (`NAME.new-XXXXXX`), so the work is not lost.
fn keep_aside(staging: &Path, parent: &Path, name: &str) -> Result<PathBuf> {
    let kept = unused_name(parent, &format!("{name}.new-"))?;
    fs::rename(staging, &kept).with_context(|| {
        format!(
            "cannot keep the finished output: moving {} to {} failed",
            staging.display(),
            kept.display()
        )
    })?;
    Ok(kept)
}

/// `--force` into a folder that is not ours: each file moved in, replacing only a file of
/// the same name, the manifest last (a move that fails half way leaves no manifest that
/// lists files that are not there).
fn move_files_into(staging: &Path, target: &Path, kind: OutputKind) -> Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(staging)?.flatten().map(|e| e.path()).collect();
    entries.sort_by_key(|p| p.file_name().is_some_and(|n| n == kind.manifest()));
    for from in entries {
        let Some(file_name) = from.file_name() else {
            continue;
        };
        let to = target.join(file_name);
        if fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            bail!(
                "{} is a folder: collabgov will not replace it with a file",
                to.display()
            );
        }
        fs::rename(&from, &to)
            .with_context(|| format!("cannot move a finished file to {}", to.display()))?;
        fault::point("into-first-moved");
    }
    fs::remove_dir(staging).ok();
    sync_dir(target);
    Ok(())
}

fn replace(
    staging: &Path,
    target: &Path,
    parent: &Path,
    name: &str,
    kind: OutputKind,
) -> Result<()> {
    let exists = fs::symlink_metadata(target).is_ok();
    if !exists {
        return fs::rename(staging, target)
            .with_context(|| format!("cannot move the finished output to {}", target.display()));
    }
    // Linux: the two folders swap names in one step, so the name never points at nothing;
    // the earlier output is then under the staging name, emptied of what it lists.
    if !fault::crash_asked(&["commit-old-moved", "commit-new-placed"])
        && swap(staging, target).is_ok()
    {
        fault::point("commit-swapped");
        return clear_old(staging, target, kind);
    }
    // A unique name for the old folder: never a name the user could own.
    let old = unused_name(parent, &format!(".{name}.old-"))?;
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
    clear_old(&old, target, kind)
}

/// Exchanges the names of folders `a` and `b` atomically (`renameat2` with
/// `RENAME_EXCHANGE`); an error where the system or file system cannot.
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn swap(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Removes the earlier output moved aside to `old`: the files its manifest lists, the
/// manifest last. Anything else there (written by someone else after the last look) is
/// moved into `target` where that name is free, or else left in `old`, which is then kept
/// and named in a note: collabgov deletes only files it wrote.
fn clear_old(old: &Path, target: &Path, kind: OutputKind) -> Result<()> {
    let listed = match read_manifest(old, kind) {
        Manifest::Listed(files) => files,
        Manifest::None | Manifest::Unlisted => BTreeSet::new(),
    };
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(old)
        .with_context(|| format!("cannot list {}", old.display()))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name() == kind.manifest());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().to_string();
        let path = entry.path();
        if listed.contains(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            fs::remove_file(&path).with_context(|| {
                format!(
                    "the new output is in {}, but the earlier one's {} could not be removed",
                    target.display(),
                    path.display()
                )
            })?;
        } else if fs::symlink_metadata(target.join(&name)).is_err() {
            fs::rename(&path, target.join(&name)).with_context(|| {
                format!("cannot move {} into {}", path.display(), target.display())
            })?;
            eprintln!(
                "note: {name} appeared in {} while collabgov worked, and was not written by it; it is kept in the new output",
                target.display()
            );
        }
    }
    if fs::remove_dir(old).is_err() {
        eprintln!(
            "note: {} holds files collabgov did not write, found in the earlier output of {}; they are left there",
            old.display(),
            target.display()
        );
    }
    Ok(())
}

/// Under the lock: puts back an earlier output that a killed command left moved aside,
/// removes what a killed command left in collabgov's own temporary names (staging folders
/// whole; earlier outputs file by file, [`clear_old`]). An earlier output of another kind
/// (a comparison where a run now writes) is put back, never removed; a folder that holds
/// files collabgov did not list is left as it is.
fn recover(parent: &Path, name: &str, target: &Path) -> Result<()> {
    let partial = format!(".{name}.partial-");
    let old = format!(".{name}.old-");
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    // Earlier outputs moved aside first: one is put back before a staging folder is
    // looked at, so the folder under the name is the earlier output, whatever the order
    // of the folder's entries.
    let mut entries: Vec<fs::DirEntry> = entries.flatten().collect();
    entries.sort_by_key(|e| !e.file_name().to_string_lossy().starts_with(&old));
    for entry in entries {
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
        // A staging folder holds an earlier output after a crash right after the swap:
        // emptied of what its manifest lists, as an old folder; one with no manifest is
        // a killed run's unfinished work, all of it collabgov's.
        let swapped = OutputKind::ALL
            .into_iter()
            .find(|&k| matches!(read_manifest(&path, k), Manifest::Listed(_)));
        if tail(&partial) && swapped.is_none() {
            fs::remove_dir_all(&path).with_context(|| {
                format!(
                    "cannot remove {}, left by an interrupted run",
                    path.display()
                )
            })?;
        } else if let (true, Some(kind)) = (tail(&partial), swapped) {
            if fs::symlink_metadata(target).is_err() {
                fs::rename(&path, target).with_context(|| {
                    format!(
                        "an interrupted command left an output in {}; it could not be moved to {}",
                        path.display(),
                        target.display()
                    )
                })?;
            } else {
                clear_old(&path, target, kind)?;
            }
        } else if tail(&old) {
            let kind = OutputKind::ALL
                .into_iter()
                .find(|&k| matches!(inspect(&path, k), Ok(Found::Ours | Found::Empty)));
            match kind {
                Some(_) if fs::symlink_metadata(target).is_err() => {
                    fs::rename(&path, target).with_context(|| {
                        format!(
                            "an interrupted command left the earlier output in {}; it could not be moved back to {}",
                            path.display(),
                            target.display()
                        )
                    })?;
                    eprintln!(
                        "note: put back the earlier output of {} that an interrupted command had moved to {}",
                        target.display(),
                        path.display()
                    );
                }
                Some(kind) => clear_old(&path, target, kind)?,
                None => eprintln!(
                    "note: {} was left by an interrupted collabgov command and holds files collabgov did not write; it is left as it is",
                    path.display()
                ),
            }
        }
    }
    Ok(())
}
