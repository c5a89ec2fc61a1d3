//! `folio serve`: a local preview that rebuilds on change and reloads the browser.
//!
//! Builds the manual into a temporary folder and serves it on 127.0.0.1 only
//! (`http`); watches `articles/`, `versions/`, `themes/` and `manual.yaml`
//! (`watch`); on every change re-renders only the pages the change touches
//! (`rebuild`) and tells open pages to reload over server-sent events. The live-reload
//! script is added to HTML responses as they are served, never to files on disk, so the
//! folder holds exactly what `folio build` writes. A change with errors keeps the last
//! good site: the errors go to the terminal and over the page in the browser, and fixing
//! them recovers without a restart.

mod http;
mod rebuild;
mod reload;
mod search;
mod watch;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, RwLock};

use crate::cli::{Verbosity, EXIT_CONTENT, EXIT_USAGE};

/// Options of `folio serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The manual's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port on 127.0.0.1; when it is busy the next free one is used (0: any free port).
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Open the site in the web browser.
    #[arg(long)]
    pub open: bool,
}

/// Prefix of the temporary folders `folio serve` builds into (then the process id).
const TMP_PREFIX: &str = "folio-serve-";

/// `folio serve`: runs until the process is stopped; returns an exit status only when it
/// cannot start.
pub fn run(args: &ServeArgs, verbosity: Verbosity) -> i32 {
    let root = match std::fs::canonicalize(&args.root) {
        Ok(r) if r.is_dir() => r,
        Ok(_) => {
            eprintln!("error: cannot read the manual: {}: not a directory", args.root.display());
            return EXIT_USAGE;
        }
        Err(e) => {
            eprintln!("error: cannot read the manual: {}: {e}", args.root.display());
            return EXIT_USAGE;
        }
    };
    remove_stale_folders();
    let tmp = match tempfile::Builder::new().prefix(&format!("{TMP_PREFIX}{}-", std::process::id())).tempdir() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot create a temporary folder: {e}");
            return EXIT_CONTENT;
        }
    };
    let (listener, note) = match http::bind(args.port) {
        Ok(l) => l,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_USAGE;
        }
    };
    if let Some(note) = note {
        eprintln!("{note}");
    }
    let port = match listener.local_addr() {
        Ok(a) => a.port(),
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1: {e}");
            return EXIT_USAGE;
        }
    };
    // Watch before the first build, so edits made while it runs are not missed.
    let mut watcher = match watch::Watcher::start(&root) {
        Ok(w) => w,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_CONTENT;
        }
    };

    let hub = Arc::new(reload::Hub::default());
    let served: Arc<RwLock<Option<PathBuf>>> = Arc::new(RwLock::new(None));
    let mut builder = rebuild::Builder::new(root, tmp.path().to_path_buf(), served.clone(), hub.clone(), verbosity);
    builder.initial();
    if let Err(msg) = http::start(listener, served, hub) {
        eprintln!("error: {msg}");
        return EXIT_CONTENT;
    }
    let url = format!("http://127.0.0.1:{port}/");
    println!("serving at {url}");
    let _ = std::io::stdout().flush();
    if verbosity != Verbosity::Quiet {
        eprintln!("watching for changes; press Ctrl-C to stop");
    }
    if args.open {
        open_browser(&url);
    }
    loop {
        builder.idle(&mut || watcher.has_events());
        if let Some(batch) = watcher.next_batch(builder.wakeup()) {
            if !batch.is_empty() {
                builder.rebuild(&batch);
            }
        }
    }
}

/// Opens `url` in the default browser when a launcher is available; best effort.
fn open_browser(url: &str) {
    let launcher = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let child =
        Command::new(launcher).arg(url).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    match child {
        Ok(mut c) => {
            // Reap it so it does not linger as a zombie.
            std::thread::spawn(move || {
                let _ = c.wait();
            });
        }
        Err(_) => eprintln!("cannot open a browser ({launcher} is not available): open {url} yourself"),
    }
}

/// Removes, in the background, the build folders of `folio serve` processes that no
/// longer run (a stopped server cannot clean up after itself, and a large manual's site
/// is big). Only where running processes can be seen (`/proc`); elsewhere nothing is
/// removed.
fn remove_stale_folders() {
    let proc = Path::new("/proc/self");
    if !proc.exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    let mut stale = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TMP_PREFIX)) else { continue };
        let Some(pid) = rest.split('-').next().filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            stale.push(entry.path());
        }
    }
    if !stale.is_empty() {
        // Whatever is left when this process ends is removed by the next one.
        let _ = std::thread::Builder::new().name("folio-cleanup".into()).spawn(move || {
            for dir in stale {
                let _ = std::fs::remove_dir_all(dir);
            }
        });
    }
}
