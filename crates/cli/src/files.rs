//! Reading and writing single files: finding scenarios (paths or bundled names), reading
//! inputs (regular files only, with a size cap, each hashed for provenance), atomic writes
//! with fsync, folder names from scenario names, and exclusive locks.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use collabgov_core::Overrides;
use collabgov_core::scenario::error::excerpt;
use collabgov_study::manifest::{RunManifest, fingerprint};
use collabgov_study::output::RunTables;
use collabgov_viz::ChartMeta;

use crate::fault;

/// Bundled scenarios: name and TOML text (compiled into the library every front end uses).
pub use collabgov_study::bundled::BUNDLED;

/// The `description` of a bundled scenario.
pub fn bundled_summary(text: &str) -> String {
    text.lines()
        .find_map(|l| {
            l.strip_prefix("description = \"")
                .and_then(|d| d.strip_suffix('"'))
        })
        .unwrap_or("")
        .to_string()
}

pub use collabgov_study::inputs::{Inputs, MAX_DATA_BYTES, MAX_TOML_BYTES};

/// Reads a text input: it must be a regular file (never a FIFO, a device or a folder, which
/// could hang or never end) of at most `cap` bytes, in UTF-8 (the library's reader).
pub fn read_input(path: &Path, cap: u64) -> Result<String> {
    Ok(collabgov_study::inputs::read_text(path, cap)?)
}

/// A scenario and where it came from (the study layer's).
pub use collabgov_study::source::Loaded;

/// Loads a scenario from a path, or a bundled scenario by name, with `overrides` applied
/// before it is validated ([`collabgov_study::source::load`]); prints what the overrides
/// skip.
pub fn load_scenario(spec: &str, overrides: &Overrides) -> Result<Loaded> {
    let loaded = collabgov_study::source::load(spec, overrides).map_err(|e| match e {
        collabgov_study::source::SourceError::Input(e) => anyhow::Error::new(e)
            .context(format!("cannot read the scenario file {}", excerpt(spec))),
        e => anyhow::Error::new(e),
    })?;
    for w in &loaded.warnings {
        eprintln!("warning: {}: {w}", loaded.scenario.name);
    }
    Ok(loaded)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, synced to disk,
/// then renamed over `path` and the folder synced: a reader (or a crash) never sees a
/// half-written file under the final name. On any error nothing is left behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let (head, tail) = bytes.split_at(bytes.len() / 2);
    write_atomic_with(path, |w| {
        w.write_all(head)?;
        fault::point("mid-write");
        w.write_all(tail)
    })
}

/// Like [`write_atomic`], the contents written by `write` through a buffer (a file too
/// large to hold in memory first, such as `network.graphml`).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    // Created as any file the user makes (0666 less the umask), not tempfile's private
    // 0600: a run's tables are for sharing (a lab's group, a cluster's project folder).
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    let written = fault::write_error(&name)
        .and_then(|()| {
            let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
            write(&mut buffered)?;
            buffered.flush()
        })
        .and_then(|()| tmp.as_file().sync_all());
    written.with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot move the finished file to {}", path.display()))?;
    sync_dir(dir);
    Ok(())
}

/// Syncs a folder's entries to disk (renames into it survive a power cut); best effort.
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// An exclusive lock on a file (created if needed), holding this process's id; released
/// when dropped or when the process ends, however it ends.
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock at `path`, or says who holds it: `what` names the work for the
    /// message, e.g. "another sweep is writing DIR".
    pub fn take(path: &Path, what: &str) -> Result<Lock> {
        Lock::take_as(path, what, false)
    }

    /// A shared lock at `path`: many holders at once, none while an exclusive one is held.
    pub fn take_shared(path: &Path, what: &str) -> Result<Lock> {
        Lock::take_as(path, what, true)
    }

    fn take_as(path: &Path, what: &str, shared: bool) -> Result<Lock> {
        let mut open = fs::OpenOptions::new();
        open.read(true).write(true).create(true).truncate(false);
        // Never through a symbolic link: `.NAME.lock -> victim` must not reach the victim.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut open, libc::O_NOFOLLOW);
        let mut file = open.open(path).with_context(|| {
            format!(
                "cannot open the lock file {} (collabgov never follows a symbolic link there)",
                path.display()
            )
        })?;
        // Only a plain file of its own is truncated to hold the process id: not a device, a
        // pipe or a hard link to a user's file.
        let meta = file
            .metadata()
            .with_context(|| format!("cannot read the lock file {}", path.display()))?;
        #[cfg(unix)]
        let links = std::os::unix::fs::MetadataExt::nlink(&meta);
        #[cfg(not(unix))]
        let links = 1;
        if !meta.is_file() || links != 1 {
            bail!(
                "{}: expected collabgov's lock file (a plain file with one name), found {}: remove it if nothing else uses it",
                path.display(),
                if meta.is_file() {
                    format!("a file with {links} names (a hard link)")
                } else {
                    "something that is not a plain file".to_string()
                }
            );
        }
        let taken = if shared {
            file.try_lock_shared()
        } else {
            file.try_lock()
        };
        match taken {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.take(32).read_to_string(&mut pid);
                let pid = pid.trim();
                bail!(
                    "{what} (pid {}); wait for it to finish, or use another --out",
                    if pid.is_empty() { "unknown" } else { pid }
                );
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        if !shared {
            file.set_len(0)
                .and_then(|()| file.write_all(std::process::id().to_string().as_bytes()))
                .with_context(|| format!("cannot write the lock file {}", path.display()))?;
        }
        Ok(Lock { _file: file })
    }
}

/// Longest folder name collabgov makes from a scenario name (file systems allow 255 bytes;
/// the staging and lock names add to it).
const MAX_SLUG: usize = 120;

/// A readable folder name for a scenario name: lower-case ASCII letters, digits, `-` and
/// `_`, other characters as `-`. Where that changes the name (or shortens it), `.` and 12
/// hex digits of the full name's SHA-256 are added. A name kept as it is never holds a `.`,
/// so it never meets a changed one, and two changed names meet only when 48 bits of their
/// hashes do.
pub fn slug(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(MAX_SLUG)
        .collect();
    if s.is_empty() {
        s = "run".into();
    }
    if s != name {
        s = format!("{s}.{}", &fingerprint(name.as_bytes())[..12]);
    }
    s
}

/// Writes a table given as CSV text into `dir` as `STEM.csv` and/or `STEM.parquet`, as
/// `tables` asks (both atomically).
pub fn write_table(
    dir: &Path,
    stem: &str,
    csv_text: &[u8],
    tables: crate::common::Tables,
) -> Result<()> {
    if tables.csv {
        write_atomic(&dir.join(format!("{stem}.csv")), csv_text)?;
    }
    if tables.parquet {
        write_atomic(
            &dir.join(format!("{stem}.parquet")),
            &to_parquet(stem, csv_text)?,
        )?;
    }
    Ok(())
}

/// Writes a folder's files ([`collabgov_study::artifacts`]): each table in the formats
/// `tables` names, each other file as it is (streamed: `network.graphml` may be large).
pub fn write_artifacts(
    dir: &Path,
    files: &[collabgov_study::artifacts::Artifact<'_>],
    tables: crate::common::Tables,
) -> Result<()> {
    use collabgov_study::artifacts::Format;
    for a in files {
        match a.format {
            Format::Table => write_table(dir, &a.name, &a.bytes()?, tables)?,
            Format::File => write_atomic_with(&dir.join(&a.name), |w| (a.write)(w))?,
        }
    }
    Ok(())
}

#[cfg(feature = "parquet")]
fn to_parquet(stem: &str, csv_text: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    collabgov_study::columnar::csv_to_parquet(&format!("{stem}.parquet"), csv_text, &mut out)?;
    Ok(out)
}

#[cfg(not(feature = "parquet"))]
fn to_parquet(stem: &str, _csv_text: &[u8]) -> Result<Vec<u8>> {
    anyhow::bail!("{stem}.parquet: this collabgov was built without Parquet (--features parquet)")
}

/// Reads a table of a finished folder as CSV text: `STEM.csv`, or else `STEM.parquet`
/// converted back to the same CSV. `None` when neither exists.
pub fn read_table_text(dir: &Path, stem: &str) -> Result<Option<String>> {
    let csv_path = dir.join(format!("{stem}.csv"));
    if fs::symlink_metadata(&csv_path).is_ok() {
        return read_input(&csv_path, MAX_DATA_BYTES).map(Some);
    }
    let parquet_path = dir.join(format!("{stem}.parquet"));
    if fs::symlink_metadata(&parquet_path).is_err() {
        return Ok(None);
    }
    from_parquet(&parquet_path).map(Some)
}

#[cfg(feature = "parquet")]
fn from_parquet(path: &Path) -> Result<String> {
    let bytes = collabgov_study::inputs::read_bytes(path, MAX_DATA_BYTES)?;
    let text = collabgov_study::columnar::parquet_to_csv(&path.display().to_string(), bytes)?;
    String::from_utf8(text).with_context(|| format!("{}: expected UTF-8 text", path.display()))
}

#[cfg(not(feature = "parquet"))]
fn from_parquet(path: &Path) -> Result<String> {
    anyhow::bail!(
        "{}: this folder's tables are Parquet, and this collabgov was built without Parquet (--features parquet)",
        path.display()
    )
}

/// A table of a run folder as CSV text (from `STEM.csv` or `STEM.parquet`); empty when an
/// optional table is absent.
pub fn read_table(dir: &Path, stem: &str, required: bool) -> Result<String> {
    let context = || {
        format!(
            "cannot read {} (is {} a run folder written by `collabgov run`?)",
            dir.join(format!("{stem}.csv")).display(),
            dir.display()
        )
    };
    match read_table_text(dir, stem).with_context(context)? {
        Some(text) => Ok(text),
        None if !required => Ok(String::new()),
        None => Err(anyhow::anyhow!("no such file").context(context())),
    }
}

/// Reads a finished run folder: its name, tables, chart metadata and `run.json` (the
/// default manifest when the folder has none).
pub fn read_run_dir(dir: &Path) -> Result<(String, RunTables, ChartMeta, RunManifest)> {
    let mut tables = RunTables::read(
        &read_table(dir, "rounds", true)?,
        &read_table(dir, "replicates", true)?,
        &read_table(dir, "actors", false)?,
        &read_table(dir, "network", false)?,
        &read_table(dir, "activities", false)?,
    )
    .with_context(|| format!("in the run folder {}", dir.display()))?;
    let units = read_table(dir, "units", false)?;
    if !units.is_empty() {
        tables.units = collabgov_study::output::read_units(&units)
            .map_err(|m| anyhow::anyhow!(m))
            .with_context(|| format!("in the run folder {}", dir.display()))?;
    }
    let manifest: RunManifest = match fs::symlink_metadata(dir.join("run.json")) {
        Err(_) => RunManifest::default(),
        Ok(_) => serde_json::from_str(&read_input(&dir.join("run.json"), MAX_TOML_BYTES)?)
            .with_context(|| {
                format!(
                    "{} is not a collabgov run.json",
                    dir.join("run.json").display()
                )
            })?,
    };
    check_whole(dir, &tables, &manifest)?;
    let name = if manifest.scenario_name.is_empty() {
        dir.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "run".into())
    } else {
        manifest.scenario_name.clone()
    };
    let meta = ChartMeta::from_manifest(&name, &manifest);
    Ok((name, tables, meta, manifest))
}

/// Refuses tables that are cut short: no rows at all, or fewer replicates or rounds than
/// `run.json` (when there is one) says the run had. Nothing is drawn or reported from them.
fn check_whole(dir: &Path, tables: &RunTables, manifest: &RunManifest) -> Result<()> {
    let short = |table: &str, found: String| {
        anyhow::anyhow!(
            "{}: {found}: is it cut short? Run the scenario again",
            dir.join(table).display()
        )
    };
    if tables.replicates.is_empty() {
        return Err(short(
            "replicates.csv",
            "expected a row per replicate, found none".into(),
        ));
    }
    if tables.rounds.is_empty() {
        return Err(short(
            "rounds.csv",
            "expected a row per round and metric, found none".into(),
        ));
    }
    if manifest.replicates > 0 && tables.replicates.len() != manifest.replicates {
        return Err(short(
            "replicates.csv",
            format!(
                "expected {} replicates (run.json), found {}",
                manifest.replicates,
                tables.replicates.len()
            ),
        ));
    }
    let last = tables.rounds.iter().map(|r| r.round).max().unwrap_or(0);
    if !manifest.collabgov_version.is_empty() && last != manifest.rounds {
        return Err(short(
            "rounds.csv",
            format!(
                "expected rounds up to {} (run.json), found rounds up to {last}",
                manifest.rounds
            ),
        ));
    }
    Ok(())
}

/// A compared run: its name and tables.
pub type Named = (String, RunTables);

/// An intervention mark of the overlay: its round and label.
pub type Mark = (u32, String);

/// Reads a comparison folder's sides back (names, rounds and replicates) and its marks,
/// for `plot`.
pub fn read_compare_dir(dir: &Path) -> Result<(Vec<Named>, Vec<Mark>)> {
    let path = dir.join("compare.json");
    let json: collabgov_study::manifest::CompareManifest =
        serde_json::from_str(&read_input(&path, MAX_DATA_BYTES)?)
            .with_context(|| format!("{} is not a collabgov compare.json", path.display()))?;
    if json.sides.is_empty() {
        bail!(
            "{} holds no tables of its runs (written by an older collabgov, or a comparison of sweeps): run the comparison again to redraw it",
            dir.display()
        );
    }
    let mut runs = Vec::new();
    for side in &json.sides {
        let file = |key: &str, name: &str| -> Result<String> {
            if name.contains('/') || name.contains('\\') || name.starts_with('.') {
                bail!(
                    "{}: expected a file name in `{key}`, found \"{}\"",
                    path.display(),
                    excerpt(name)
                );
            }
            read_input(&dir.join(name), MAX_DATA_BYTES)
        };
        let tables = RunTables::read(
            &file("rounds", &side.rounds)?,
            &file("replicates", &side.replicates)?,
            "",
            "",
            "",
        )
        .with_context(|| format!("in the comparison folder {}", dir.display()))?;
        runs.push((side.name.clone(), tables));
    }
    Ok((runs, json.marks))
}
