//! Fault injection for tests, read once at start-up from `COLLABGOV_FAULT` (as SQLite's
//! fault-injection hooks): `crash:POINT` ends the process at a named point as a kill
//! would (no clean-up runs), `touch:POINT:PATH` writes a file at PATH at that point as
//! another program writing into the output would, `write-error:FILE` makes the write of
//! FILE fail as a full disk would. Unset, every check is one comparison with `None`.

use std::sync::OnceLock;

/// The exit status of an injected crash.
pub const CRASH_STATUS: i32 = 86;

/// Every named crash point, in the order a run or sweep passes them.
pub const POINTS: &[&str] = &[
    // run and compare: the staging folder exists and is empty.
    "staged",
    // between writing half of a file's bytes and the rest (any file, the first one).
    "mid-write",
    // every file is in the staging folder; the target is untouched.
    "before-commit",
    // --force into a folder that is not ours: the first finished file is moved in.
    "into-first-moved",
    // Linux: the new folder and the old one have swapped names in one step; the old one,
    // now under the staging name, is not yet emptied.
    "commit-swapped",
    // the two-rename commit (other systems, or forced by a crash asked at one of its
    // points): the old output folder has been moved aside; the new one is not yet in place.
    "commit-old-moved",
    // the new folder is in place; the old one is not yet removed.
    "commit-new-placed",
    // sweep: half of a batch of rows is appended to points.csv.
    "sweep-mid-row",
    // merge: the sidecar points.json is written; points.csv is not yet.
    "merge-sidecar-written",
];

static FAULT: OnceLock<Option<String>> = OnceLock::new();

/// Reads `COLLABGOV_FAULT` once; an unknown crash point ends the process with status 2, so
/// a test with a misspelt point cannot pass without injecting anything.
pub fn init() {
    // Only builds with debug assertions (the tests') read it: a release build ignores it.
    let fault = FAULT.get_or_init(|| {
        cfg!(debug_assertions)
            .then(|| std::env::var("COLLABGOV_FAULT").ok())
            .flatten()
    });
    let named = fault.as_deref().and_then(|f| {
        f.strip_prefix("crash:").or_else(|| {
            f.strip_prefix("touch:")
                .map(|t| t.split(':').next().unwrap_or(t))
        })
    });
    if let Some(point) = named
        && !POINTS.contains(&point)
    {
        eprintln!(
            "COLLABGOV_FAULT: unknown crash point \"{point}\" (known: {})",
            POINTS.join(", ")
        );
        std::process::exit(2);
    }
}

fn fault() -> Option<&'static str> {
    FAULT.get_or_init(|| None).as_deref()
}

/// Whether `COLLABGOV_FAULT` asks for a crash at one of `points` (a caller with two ways
/// of doing a step takes the one those points are on).
pub fn crash_asked(points: &[&str]) -> bool {
    fault()
        .and_then(|f| f.strip_prefix("crash:"))
        .is_some_and(|p| points.contains(&p))
}

/// Ends the process here when `COLLABGOV_FAULT=crash:POINT` names this point; writes a
/// file when `touch:POINT:PATH` does.
pub fn point(name: &str) {
    let Some(fault) = fault() else {
        return;
    };
    if fault.strip_prefix("crash:") == Some(name) {
        eprintln!("collabgov: injected crash at {name}");
        std::process::exit(CRASH_STATUS);
    }
    if let Some((point, path)) = fault.strip_prefix("touch:").and_then(|t| t.split_once(':'))
        && point == name
    {
        let _ = std::fs::write(path, "written by another program while collabgov worked\n");
    }
}

/// An error as a full disk would give, when `COLLABGOV_FAULT=write-error:FILE` names the
/// file being written (by its file name).
pub fn write_error(file_name: &str) -> std::io::Result<()> {
    match fault().and_then(|f| f.strip_prefix("write-error:")) {
        Some(name) if name == file_name => Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left on device (injected by COLLABGOV_FAULT)",
        )),
        _ => Ok(()),
    }
}
