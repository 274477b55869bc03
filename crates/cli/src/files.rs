//! Everything that touches the file system: finding scenarios (paths or bundled names),
//! reading the files they name, and atomic writes.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use collabgov_core::Scenario;

/// Bundled scenarios: name and TOML text, compiled into the binary.
pub const BUNDLED: &[(&str, &str)] = &[
    ("default", include_str!("../../../scenarios/default.toml")),
    (
        "siloed-government",
        include_str!("../../../scenarios/siloed-government.toml"),
    ),
    (
        "whole-of-government",
        include_str!("../../../scenarios/whole-of-government.toml"),
    ),
    (
        "conflict-prehistory",
        include_str!("../../../scenarios/conflict-prehistory.toml"),
    ),
    (
        "conflict-prehistory-facilitated",
        include_str!("../../../scenarios/conflict-prehistory-facilitated.toml"),
    ),
    (
        "power-imbalance",
        include_str!("../../../scenarios/power-imbalance.toml"),
    ),
    (
        "power-imbalance-facilitated",
        include_str!("../../../scenarios/power-imbalance-facilitated.toml"),
    ),
    (
        "inclusive-forum-low",
        include_str!("../../../scenarios/inclusive-forum-low.toml"),
    ),
    (
        "inclusive-forum-high",
        include_str!("../../../scenarios/inclusive-forum-high.toml"),
    ),
    (
        "unclear-legal-basis",
        include_str!("../../../scenarios/unclear-legal-basis.toml"),
    ),
];

/// A scenario and where it came from.
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// How to name it to the user (a path, or `bundled:NAME`).
    pub origin: String,
}

/// The first comment paragraph of a bundled scenario, joined into one line.
pub fn bundled_summary(text: &str) -> String {
    let description = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("description = \"")
                .and_then(|d| d.strip_suffix('"'))
        })
        .unwrap_or("");
    description.to_string()
}

/// Loads a scenario from a path, or a bundled scenario by name.
pub fn load_scenario(spec: &str) -> Result<Loaded> {
    let path = Path::new(spec);
    if path.is_file() {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read the scenario file {}", path.display()))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let load = |name: &str| -> Result<String, String> {
            let full = base.join(name);
            fs::read_to_string(&full).map_err(|e| format!("{} ({e})", full.display()))
        };
        let scenario = Scenario::parse(&text, &path.display().to_string(), &load)?;
        return Ok(Loaded {
            scenario,
            origin: path.display().to_string(),
        });
    }
    if let Some((name, text)) = BUNDLED.iter().find(|(name, _)| *name == spec) {
        let scenario = Scenario::parse(
            text,
            &format!("bundled:{name}"),
            &collabgov_core::scenario::no_files,
        )?;
        return Ok(Loaded {
            scenario,
            origin: format!("bundled:{name}"),
        });
    }
    if path.exists() {
        bail!("{spec} is not a file: expected a scenario file (.toml) or a bundled scenario name");
    }
    let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
    bail!(
        "no scenario file or bundled scenario named \"{spec}\" (bundled: {}; see `collabgov scenarios`)",
        names.join(", ")
    )
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees a half-written file under the final name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(&tmp, path)
        .with_context(|| format!("cannot move {} to {}", tmp.display(), path.display()))?;
    Ok(())
}

/// A run folder built under a temporary name and moved into place when complete.
pub struct StagedDir {
    /// The folder being filled.
    pub staging: PathBuf,
    /// Where it goes when done.
    pub target: PathBuf,
}

impl StagedDir {
    /// Starts a staged folder for `target`.
    pub fn new(target: &Path) -> Result<StagedDir> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "run".into());
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).ok();
        }
        fs::create_dir_all(&staging)
            .with_context(|| format!("cannot create the folder {}", staging.display()))?;
        Ok(StagedDir {
            staging,
            target: target.to_path_buf(),
        })
    }

    /// Path of a file inside the staging folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    /// Replaces the target folder with the finished one.
    pub fn commit(self) -> Result<PathBuf> {
        if self.target.exists() {
            let old = self.staging.with_extension("old");
            fs::rename(&self.target, &old)
                .with_context(|| format!("cannot replace {}", self.target.display()))?;
            fs::rename(&self.staging, &self.target).with_context(|| {
                format!("cannot move the finished run to {}", self.target.display())
            })?;
            fs::remove_dir_all(&old).ok();
        } else {
            fs::rename(&self.staging, &self.target).with_context(|| {
                format!("cannot move the finished run to {}", self.target.display())
            })?;
        }
        Ok(self.target)
    }
}

/// A file-name-safe form of a scenario name.
pub fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "run".into() } else { s }
}

/// FNV-1a, for the plan fingerprint.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}
