//! The `folio` command line: parses arguments, runs a command, sets the exit status.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use folio::cmd::{self, build::BuildOptions, Verbosity};

#[derive(Parser)]
#[command(name = "folio", version, about = "Static site generator for versioned product manuals")]
struct Cli {
    /// Print nothing but errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print timings per stage, and the peak memory where the system reports it.
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short, global = true, value_name = "N")]
    jobs: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render every version of the manual.
    Build {
        /// The manual's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: `output` from manual.yaml, else `site`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Build only these versions (repeatable).
        #[arg(long = "version", value_name = "NAME")]
        versions: Vec<String>,
    },
    /// Do everything build does (render and check every page), writing nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Compare two versions, or one article between them.
    Diff(cmd::diff::DiffArgs),
    /// Preview the manual on 127.0.0.1, rebuilding and reloading on change.
    Serve(cmd::serve::ServeArgs),
    /// Bring an existing manual in as a folio source tree (docs/IMPORT.md).
    #[command(subcommand)]
    Import(cmd::import::ImportCommand),
    /// Write a starter manual that builds.
    New {
        /// Folder to create.
        dir: PathBuf,
    },
    /// Print the search index's terms of each word read from stdin, one line per word
    /// (a check that terms.js tokenizes and stems as the index does).
    #[command(name = "debug-terms", hide = true)]
    DebugTerms,
}

/// The build allocates many small, short-lived strings on several threads at once;
/// jemalloc does that with less CPU than glibc's allocator and a lower peak at 10,000
/// articles (docs/PERFORMANCE.md, "Memory").
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(n) = cli.jobs {
        if let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global() {
            eprintln!("error: cannot set up {n} worker threads: {e}");
            return ExitCode::from(cmd::EXIT_USAGE as u8);
        }
    }
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let code = match cli.command {
        Command::Build { root, out, versions } => cmd::build::build(&BuildOptions { root, out, versions, verbosity }),
        Command::Check { root } => cmd::build::check(&root, verbosity),
        Command::Diff(args) => cmd::diff::run(&args),
        Command::Serve(args) => cmd::serve::run(&args, verbosity),
        Command::Import(command) => cmd::import::run(&command, verbosity),
        Command::New { dir } => cmd::new::new_manual(&dir),
        Command::DebugTerms => cmd::debug::terms(),
    };
    ExitCode::from(code as u8)
}
