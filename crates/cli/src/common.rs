//! What several commands share: the scenario overrides (`--seed`, `--rounds`,
//! `--replicates`, `--set`), the thread pool (`--threads`, 0 = every core, in every
//! command), the progress bar, chart and table formats and clap's value parsers.

use anyhow::Result;
use clap::{Args, ValueEnum};
use collabgov_core::{Overrides, SetValue};
use collabgov_viz::Format;

/// A chart style preset (`--style`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum StyleName {
    /// Each chart's own size and type.
    #[default]
    Screen,
    /// For a journal: 6.5 inches wide at 300 dpi, text at 8-9 pt, y axes naming their metric.
    Paper,
    /// For a projector: 1920 pixels wide, large type, thick lines.
    Projector,
}

/// How charts look: `--style`, `--font-scale`, `--title`, `--no-title`, `--caption`,
/// `--no-caption`, `--x-label`, `--y-label`.
#[derive(Args, Clone, Debug)]
pub struct ChartStyleArgs {
    /// Chart style: screen (each chart's own size), paper (6.5 in wide at 300 dpi, 8-9 pt text, y axes naming their metric), projector (large type, thick lines).
    #[arg(long, value_enum, default_value = "screen")]
    pub style: StyleName,
    /// Multiplies the charts' text, lines and margins (0.25 to 5; on top of --style).
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub font_scale: f64,
    /// A title of your own for every chart drawn.
    #[arg(long, value_name = "TEXT", conflicts_with = "no_title")]
    pub title: Option<String>,
    /// Leave the charts' titles out (a paper's figure has its title in the text).
    #[arg(long)]
    pub no_title: bool,
    /// A caption of your own under every chart, in place of the line that says what its lines, bands and marks are.
    #[arg(long, value_name = "TEXT", conflicts_with = "no_caption")]
    pub caption: Option<String>,
    /// Leave the charts' captions out (say in the paper's caption what the lines and bands are: docs/intervals.md names each interval).
    #[arg(long)]
    pub no_caption: bool,
    /// An x axis label of your own (default: each chart's, e.g. "Round").
    #[arg(long, value_name = "TEXT")]
    pub x_label: Option<String>,
    /// A y axis label of your own, on every panel.
    #[arg(long, value_name = "TEXT")]
    pub y_label: Option<String>,
}

impl Default for ChartStyleArgs {
    /// As clap fills it when no option is given (the lesson, which has no options).
    fn default() -> ChartStyleArgs {
        ChartStyleArgs {
            style: StyleName::Screen,
            font_scale: 1.0,
            title: None,
            no_title: false,
            caption: None,
            no_caption: false,
            x_label: None,
            y_label: None,
        }
    }
}

impl ChartStyleArgs {
    /// The style, checked.
    pub fn style(&self) -> Result<collabgov_viz::style::Style> {
        use collabgov_viz::style::{Preset, Style};
        let style = Style {
            preset: match self.style {
                StyleName::Screen => Preset::Screen,
                StyleName::Paper => Preset::Paper,
                StyleName::Projector => Preset::Projector,
            },
            font_scale: self.font_scale,
            title: if self.no_title {
                Some(String::new())
            } else {
                self.title.clone()
            },
            caption: if self.no_caption {
                Some(String::new())
            } else {
                self.caption.clone()
            },
            x_label: self.x_label.clone(),
            y_label: self.y_label.clone(),
            lang: Default::default(),
        };
        style.check().map_err(anyhow::Error::msg)?;
        Ok(style)
    }
}

/// Which chart formats to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Formats {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
}

impl Formats {
    /// The formats, PNG first.
    pub fn list(self) -> Vec<Format> {
        match self {
            Formats::Png => vec![Format::Png],
            Formats::Svg => vec![Format::Svg],
            Formats::Both => vec![Format::Png, Format::Svg],
        }
    }
}

/// A format named in `run`'s and `sweep`'s `--format` list: a chart format or a table
/// format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatName {
    /// PNG charts.
    Png,
    /// SVG charts.
    Svg,
    /// PNG and SVG charts.
    Both,
    /// CSV tables.
    Csv,
    /// Parquet tables (a build with `--features parquet`).
    Parquet,
}

/// Which table formats to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tables {
    /// CSV.
    pub csv: bool,
    /// Parquet.
    pub parquet: bool,
}

impl Tables {
    /// CSV only.
    pub const CSV: Tables = Tables {
        csv: true,
        parquet: false,
    };

    /// The file names of tables `stems` in these formats (CSV first).
    pub fn files(self, stems: &[&str]) -> Vec<String> {
        [(self.csv, "csv"), (self.parquet, "parquet")]
            .into_iter()
            .filter(|&(on, _)| on)
            .flat_map(|(_, ext)| stems.iter().map(move |s| format!("{s}.{ext}")))
            .collect()
    }
}

/// The chart formats and table formats of a `--format` list: the charts named (PNG and SVG
/// when none is) and the tables named (CSV when none is). Refuses Parquet in a build
/// without it, before anything runs.
pub fn split_formats(names: &[FormatName]) -> Result<(Formats, Tables)> {
    let has = |f: FormatName| names.contains(&f);
    let (png, svg) = (
        has(FormatName::Png) || has(FormatName::Both),
        has(FormatName::Svg) || has(FormatName::Both),
    );
    let charts = match (png, svg) {
        (true, false) => Formats::Png,
        (false, true) => Formats::Svg,
        _ => Formats::Both,
    };
    let parquet = has(FormatName::Parquet);
    let tables = Tables {
        csv: has(FormatName::Csv) || !parquet,
        parquet,
    };
    if parquet && !cfg!(feature = "parquet") {
        anyhow::bail!(
            "--format parquet: this collabgov was built without Parquet; build it with `cargo build --release --features parquet` (or write CSV)"
        );
    }
    Ok((charts, tables))
}

/// Options shared by `run` and `compare`: values that replace the scenario's before it is
/// validated, and the threads.
#[derive(Args, Debug, Clone, Default)]
pub struct RunControl {
    /// Monte Carlo replicates (as `replicates =` in the scenario).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub replicates: Option<u32>,
    /// Rounds per replicate (as `rounds =`); interventions after the last round are skipped, with a warning.
    #[arg(long, value_name = "N")]
    pub rounds: Option<u32>,
    /// Master seed (as `seed =`): it draws the network and every replicate (stream r for replicate r).
    #[arg(long, value_name = "SEED", value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Set any scenario value by its key path, as if written in the file, e.g. `--set parameters.silo=0.9 --set name=silo-high` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = Overrides::parse_set)]
    pub set: Vec<(String, SetValue)>,
    /// Worker threads (0 or unset: every core, or RAYON_NUM_THREADS). Output is identical for any number.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

impl RunControl {
    /// The overrides these options make.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            seed: self.seed,
            rounds: self.rounds,
            replicates: self.replicates,
            set: self.set.clone(),
            ..Overrides::default()
        }
    }
}

/// The worker pool for `--threads N`: N threads, or (0 or unset) rayon's default of every
/// core or RAYON_NUM_THREADS.
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    Ok(collabgov_study::ops::pool(threads.unwrap_or(0))?)
}

/// The terminal's observer of an operation: a progress bar per run on stderr, and Ctrl-C,
/// which cancels between rounds (a second Ctrl-C ends the process at once). The signal
/// handlers live as long as it does.
pub struct Terminal {
    cancel: collabgov_sim::CancelToken,
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
    handlers: Vec<signal_hook::SigId>,
}

impl Terminal {
    /// Starts listening for Ctrl-C.
    pub fn new() -> Terminal {
        use signal_hook::consts::SIGINT;
        let cancel = collabgov_sim::CancelToken::new();
        let handlers = [
            signal_hook::flag::register_conditional_shutdown(SIGINT, 130, cancel.flag()),
            signal_hook::flag::register(SIGINT, cancel.flag()),
        ]
        .into_iter()
        .flatten()
        .collect();
        Terminal {
            cancel,
            bar: std::sync::Mutex::new(None),
            handlers,
        }
    }

    fn bar(&self) -> std::sync::MutexGuard<'_, Option<indicatif::ProgressBar>> {
        self.bar
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        for id in self.handlers.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

impl collabgov_study::ops::Observer for Terminal {
    fn run_started(&self, name: &str, replicates: u32) {
        *self.bar() = Some(progress(u64::from(replicates), "replicates", name));
    }

    fn replicate_done(&self) {
        if let Some(bar) = self.bar().as_ref() {
            bar.inc(1);
        }
    }

    fn run_finished(&self) {
        if let Some(bar) = self.bar().take() {
            bar.finish_and_clear();
        }
    }

    fn cancel(&self) -> &collabgov_sim::CancelToken {
        &self.cancel
    }
}

/// Refuses, before anything runs, runs that would not fit in memory on `pool` (a
/// comparison's sides, an assessment's baseline and practices: each checked).
pub fn check_size(
    runs: &[&collabgov_core::Scenario],
    options: &collabgov_sim::RunOptions,
    pool: &rayon::ThreadPool,
) -> Result<()> {
    collabgov_study::ops::check_all(
        runs,
        options,
        pool.current_num_threads(),
        &collabgov_study::ops::Limits::default(),
    )?;
    Ok(())
}

/// A progress bar on stderr when it is a terminal (hidden otherwise), counting `unit`.
pub fn progress(len: u64, unit: &str, prefix: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{prefix}} [{{bar:40}}] {{pos}}/{{len}} {unit}, {{per_sec}}, ETA {{eta}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix(prefix.to_string());
    bar
}

/// A chart side in pixels (`--width`, `--height`).
pub fn parse_pixels(arg: &str) -> Result<u32, String> {
    let v: u32 = arg
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number of pixels, found \"{arg}\""))?;
    if !(200..=10_000).contains(&v) {
        return Err(format!("expected 200 to 10000 pixels, found {v}"));
    }
    Ok(v)
}

/// Peak resident memory of this process so far, in bytes (Linux's `VmHWM`; `None` elsewhere).
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The language of what a command prints: `--lang en|id`, else the locale.
#[derive(Args, Clone, Debug, Default)]
pub struct LangArgs {
    /// Language of the printed summary: en or id (default: the locale's, from LC_ALL, LC_MESSAGES or LANG, e.g. LANG=id_ID.UTF-8; else English). Files keep English column names.
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<collabgov_study::i18n::Lang>,
}

impl LangArgs {
    /// The language asked for.
    pub fn lang(&self) -> collabgov_study::i18n::Lang {
        self.lang
            .unwrap_or_else(collabgov_study::i18n::Lang::from_env)
    }
}

/// A `--lang` value: `en` or `id` (also `id_ID` and the like).
pub fn parse_lang(text: &str) -> Result<collabgov_study::i18n::Lang, String> {
    collabgov_study::i18n::Lang::parse(text).ok_or_else(|| {
        format!(
            "expected en or id, found \"{}\"",
            collabgov_core::scenario::error::excerpt(text)
        )
    })
}
