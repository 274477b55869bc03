//! `collabgov serve`: the classroom page (crate `collabgov-web`) on a local port.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

/// `collabgov serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. Only this machine can reach the default; another address (e.g. 0.0.0.0 for a classroom network) lets others in, with a warning.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Most work one request of the page may ask: (actors x issues + relations) x rounds x replicates.
    #[arg(long, value_name = "N", default_value_t = collabgov_web::Config::default().max_work)]
    pub max_work: u64,
    /// Runs at once; further runs queue.
    #[arg(long, value_name = "N", default_value_t = collabgov_web::Config::default().max_runs, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
    pub max_runs: usize,
    /// Most memory one request may need, in MiB (estimated before anything is built); all requests under way together may use three times as much.
    #[arg(long, value_name = "MIB", default_value_t = collabgov_web::Config::default().max_memory >> 20, value_parser = clap::builder::RangedU64ValueParser::<u64>::new().range(16..=65536))]
    pub max_memory: u64,
    /// A host name the page answers to besides this machine's addresses and localhost (e.g. a classroom's DNS name); repeat for more. Other names are refused, so a web site cannot reach the page by pointing its own name at this machine.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

/// `collabgov serve`.
pub fn serve(args: &ServeArgs) -> Result<ExitCode> {
    if !args.host.is_loopback() {
        eprintln!(
            "warning: listening on {}: every machine that can reach this address can use the page (runs are capped; no file is read or written at a client's request)",
            args.host
        );
    }
    let config = collabgov_web::Config {
        max_work: args.max_work,
        max_runs: args.max_runs,
        max_memory: args.max_memory << 20,
        total_memory: (args.max_memory << 20).saturating_mul(3),
        allowed_hosts: args.allow_host.clone(),
        ..Default::default()
    };
    let open = args.open;
    collabgov_web::serve(SocketAddr::new(args.host, args.port), config, |addr| {
        let url = format!("http://{addr}/");
        out!(
            "collabgov {}: the classroom page is at {url} (Ctrl-C stops it)",
            env!("CARGO_PKG_VERSION")
        );
        if open && let Err(e) = open_browser(&url) {
            eprintln!("note: cannot open a browser ({e}); open {url} yourself");
        }
    })
    .with_context(|| format!("cannot serve on {}:{}", args.host, args.port))?;
    Ok(ExitCode::SUCCESS)
}

/// Opens `url` with the desktop's opener (xdg-open, open or start).
fn open_browser(url: &str) -> std::io::Result<()> {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(target_os = "windows") {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
