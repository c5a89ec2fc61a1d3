//! `folio serve`: its arguments, and what it prints on the terminal.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use super::{print_diagnostics, PageProgress, Verbosity, EXIT_CONTENT, EXIT_USAGE};
use crate::diag::Diagnostics;
use crate::serve::{self, Options, Reporter, StartError};

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

/// Prints what serve reports on the terminal: the URL on stdout (tools read it there),
/// everything else on stderr, as much as `--quiet` / `--verbose` ask.
struct Console {
    verbosity: Verbosity,
    bar: PageProgress,
}

impl Reporter for Console {
    fn say(&self, msg: &str) {
        if self.verbosity != Verbosity::Quiet {
            eprintln!("{msg}");
        }
    }

    fn detail(&self, msg: &str) {
        if self.verbosity == Verbosity::Verbose {
            eprintln!("{msg}");
        }
    }

    fn error(&self, msg: &str) {
        eprintln!("{msg}");
    }

    fn diagnostics(&self, diags: &Diagnostics) {
        print_diagnostics(diags);
    }

    fn pages(&self, done: u64, total: u64) {
        self.bar.step(done, total);
    }

    fn pages_done(&self) {
        self.bar.finish();
    }

    fn serving(&self, url: &str) {
        println!("serving at {url}");
        let _ = std::io::stdout().flush();
    }
}

/// `folio serve`: runs until the process is stopped; returns an exit status only when it
/// cannot start.
pub fn run(args: &ServeArgs, verbosity: Verbosity) -> i32 {
    let opts = Options { root: args.root.clone(), port: args.port, open: args.open };
    let console = Arc::new(Console { verbosity, bar: PageProgress::new(verbosity) });
    match serve::run(&opts, console) {
        StartError::Usage(msg) => {
            eprintln!("error: {msg}");
            EXIT_USAGE
        }
        StartError::Failed(msg) => {
            eprintln!("error: {msg}");
            EXIT_CONTENT
        }
    }
}
