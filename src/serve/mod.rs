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

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, RwLock};

/// What `folio serve` tells the person running it; the command layer decides how.
pub trait Reporter: Send + Sync {
    /// A line about what happened (a rebuild and its time).
    fn say(&self, msg: &str);
    /// A line of detail (stage timings).
    fn detail(&self, msg: &str);
    /// A line about a failure, always shown.
    fn error(&self, msg: &str);
    /// Problems found in the manual.
    fn diagnostics(&self, diags: &crate::diag::Diagnostics);
    /// `done` of `total` pages of a whole-site write.
    fn pages(&self, done: u64, total: u64);
    /// The whole-site write ended.
    fn pages_done(&self);
    /// The site is served at `url`.
    fn serving(&self, url: &str);
}

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The manual's folder.
    pub root: PathBuf,
    /// Port on 127.0.0.1; when it is busy the next free one is used (0: any free port).
    pub port: u16,
    /// Open the site in the web browser.
    pub open: bool,
}

/// Why `folio serve` could not start.
#[derive(Debug)]
pub enum StartError {
    /// A problem with what it was asked (no such folder, no free port).
    Usage(String),
    /// Something else (a temporary folder, the file watcher).
    Failed(String),
}

/// Prefix of the temporary folders `folio serve` builds into (then the process id).
const TMP_PREFIX: &str = "folio-serve-";

/// Serves the manual until the process is stopped; returns only when it cannot start.
pub fn run(args: &Options, reporter: Arc<dyn Reporter>) -> StartError {
    let root = match std::fs::canonicalize(&args.root) {
        Ok(r) if r.is_dir() => r,
        Ok(_) => {
            return StartError::Usage(format!("cannot read the manual: {}: not a directory", args.root.display()));
        }
        Err(e) => {
            return StartError::Usage(format!("cannot read the manual: {}: {e}", args.root.display()));
        }
    };
    remove_stale_folders();
    let tmp = match tempfile::Builder::new().prefix(&format!("{TMP_PREFIX}{}-", std::process::id())).tempdir() {
        Ok(t) => t,
        Err(e) => {
            return StartError::Failed(format!("cannot create a temporary folder: {e}"));
        }
    };
    let (listener, note) = match http::bind(args.port) {
        Ok(l) => l,
        Err(msg) => return StartError::Usage(msg),
    };
    if let Some(note) = note {
        reporter.error(&note);
    }
    let port = match listener.local_addr() {
        Ok(a) => a.port(),
        Err(e) => {
            return StartError::Usage(format!("cannot listen on 127.0.0.1: {e}"));
        }
    };
    // Watch before the first build, so edits made while it runs are not missed.
    let mut watcher = match watch::Watcher::start(&root) {
        Ok(w) => w,
        Err(msg) => return StartError::Failed(msg),
    };

    let hub = Arc::new(reload::Hub::default());
    let served: Arc<RwLock<Option<PathBuf>>> = Arc::new(RwLock::new(None));
    let mut builder =
        rebuild::Builder::new(root, tmp.path().to_path_buf(), served.clone(), hub.clone(), reporter.clone());
    builder.initial();
    if let Err(msg) = http::start(listener, served, hub) {
        return StartError::Failed(msg);
    }
    let url = format!("http://127.0.0.1:{port}/");
    reporter.serving(&url);
    reporter.say("watching for changes; press Ctrl-C to stop");
    if args.open {
        open_browser(&url, &*reporter);
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
fn open_browser(url: &str, reporter: &dyn Reporter) {
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
        Err(_) => reporter.error(&format!("cannot open a browser ({launcher} is not available): open {url} yourself")),
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
