//! `collabgov scenarios`: lists the bundled scenarios with what each teaches.

use std::process::ExitCode;

use anyhow::Result;

use crate::files::{self, BUNDLED};

/// `collabgov scenarios`.
pub fn scenarios() -> Result<ExitCode> {
    let width = BUNDLED.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, text) in BUNDLED {
        out!("{name:width$}  {}", files::bundled_summary(text));
    }
    out!("\nRun one with `collabgov run NAME`; compare with `collabgov compare A B`.");
    Ok(ExitCode::SUCCESS)
}
