//! The command layer: the arguments of every subcommand, how much is printed, the
//! progress bar, printing diagnostics, and exit statuses (0 success, 1 content
//! errors, 2 usage errors). The stages below never import it.

pub mod build;
pub mod debug;
pub mod diff;
pub mod import;
pub mod new;
pub mod serve;

use std::io::IsTerminal;

use crate::diag::Diagnostics;

/// Exit status for success.
pub const EXIT_OK: i32 = 0;
/// Exit status for content errors.
pub const EXIT_CONTENT: i32 = 1;
/// Exit status for usage errors.
pub const EXIT_USAGE: i32 = 2;

/// How much a command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// The "writing pages" bar on a terminal; nothing when stderr is not a terminal or with
/// `--quiet`.
pub struct PageProgress(Option<indicatif::ProgressBar>);

impl PageProgress {
    pub fn new(verbosity: Verbosity) -> Self {
        if verbosity == Verbosity::Quiet || !std::io::stderr().is_terminal() {
            return PageProgress(None);
        }
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} writing pages {pos}/{len} [{bar:30}] {eta}")
                .expect("progress template is valid")
                .progress_chars("=> "),
        );
        PageProgress(Some(b))
    }

    /// Reports `done` of `total` pages.
    pub fn step(&self, done: u64, total: u64) {
        if let Some(b) = &self.0 {
            if b.length() != Some(total) {
                b.set_length(total);
            }
            // Pages finish in parallel and report out of order: never step back (the
            // bar would flicker and its ETA jump to 0s).
            if done > b.position() {
                b.set_position(done);
            }
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// Prints diagnostics to stderr, then their count when there are any.
pub fn print_diagnostics(diags: &Diagnostics) {
    for d in diags.sorted() {
        eprintln!("{d}");
    }
    if !diags.is_empty() {
        eprintln!("{}", diags.summary());
    }
}

/// The process's peak resident memory in KiB (`VmHWM` of `/proc/self/status`), where
/// the system has it (Linux).
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
