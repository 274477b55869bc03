//! `collabgov scenarios`: lists the bundled scenarios with what each teaches, or prints
//! one's TOML (`--show NAME`) for a user with only the binary to copy and edit.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::files::{self, BUNDLED};

/// `collabgov scenarios`.
#[derive(Args, Debug, Default)]
pub struct ScenariosArgs {
    /// Print this bundled scenario's TOML (e.g. `collabgov scenarios --show siloed-government > mine.toml`).
    #[arg(long, value_name = "NAME")]
    pub show: Option<String>,
}

/// `collabgov scenarios`.
pub fn scenarios(args: &ScenariosArgs) -> Result<ExitCode> {
    if let Some(name) = &args.show {
        let Some((_, text)) = BUNDLED.iter().find(|(n, _)| n == name) else {
            bail!(
                "expected a bundled scenario name ({}), found \"{}\"",
                BUNDLED
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", "),
                collabgov_core::scenario::error::excerpt(name)
            );
        };
        use std::io::Write as _;
        let _ = std::io::stdout().write_all(text.as_bytes());
        return Ok(ExitCode::SUCCESS);
    }
    let width = BUNDLED.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, text) in BUNDLED {
        out!("{name:width$}  {}", files::bundled_summary(text));
    }
    out!(
        "\nRun one with `collabgov run NAME`; compare with `collabgov compare A B`; print its TOML to copy and edit with `collabgov scenarios --show NAME`."
    );
    Ok(ExitCode::SUCCESS)
}
