//! `folio build` and `folio check`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{peak_rss_kb, print_diagnostics, PageProgress, Verbosity, EXIT_CONTENT, EXIT_OK, EXIT_USAGE};
use crate::diag::Diagnostics;
use crate::engine;
use crate::write;

/// Options of `folio build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub versions: Vec<String>,
    pub verbosity: Verbosity,
}

/// `folio build`, for the `folio` process: the model is not freed at the end.
pub fn build(opts: &BuildOptions) -> i32 {
    let start = Instant::now();
    let mut diags = Diagnostics::new();
    let mut timings = Vec::new();
    let mut manual = match engine::prepare(&opts.root, &opts.versions, &mut diags, &mut timings) {
        Ok(p) => p,
        Err(e) => {
            let msg = e.to_string();
            print_diagnostics(&diags);
            eprintln!("error: {msg}");
            return EXIT_USAGE;
        }
    };
    if diags.has_errors() {
        print_diagnostics(&diags);
        eprintln!("build failed: nothing was written");
        return EXIT_CONTENT;
    }
    let out = engine::output_dir(opts.out.as_deref(), &opts.root, &manual.site);
    if let Err(e) = write::check_output_dir(&opts.root, &out) {
        print_diagnostics(&diags);
        eprintln!("error: {e}");
        return EXIT_USAGE;
    }
    // Ctrl-C or TERM removes the folder being written (the next build removes what is
    // left if the process is killed outright).
    let _ = ctrlc::set_handler(|| {
        write::owned::on_interrupt();
        std::process::exit(130);
    });
    let selected = manual.selected.iter().filter(|s| **s).count();
    let bar = PageProgress::new(opts.verbosity);
    let progress = |done: u64, total: u64| bar.step(done, total);
    let t = Instant::now();
    let result = engine::build(&out, &mut manual, true, Some(&progress), &mut diags);
    timings.push(("write", t.elapsed().as_secs_f64()));
    if write::owned::interrupted() {
        // The write failed because the interruption removed its folder: exit as the
        // interruption does, without reporting that failure.
        write::owned::on_interrupt();
        std::process::exit(130);
    }

    bar.finish();
    print_diagnostics(&diags);
    // The process ends when this returns (see main.rs): freeing the model and every
    // rendered body, allocation by allocation, would only delay the exit.
    std::mem::forget(manual);
    match result {
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("build failed: the previous site was left as it was");
            EXIT_CONTENT
        }
        Ok(None) => {
            eprintln!("build failed: the previous site was left as it was");
            EXIT_CONTENT
        }
        Ok(Some(stats)) => {
            if opts.verbosity == Verbosity::Verbose {
                for (stage, secs) in &timings {
                    eprintln!("  {stage:<9} {:>8.1} ms", secs * 1000.0);
                }
                if let Some(kb) = peak_rss_kb() {
                    eprintln!("  peak memory {:.0} MB", kb as f64 / 1024.0);
                }
            }
            if opts.verbosity != Verbosity::Quiet {
                let n = selected;
                eprintln!(
                    "built {} version{}, {} pages, {} files, {:.1} MB in {:.2}s -> {}",
                    n,
                    if n == 1 { "" } else { "s" },
                    stats.pages,
                    stats.files,
                    stats.bytes as f64 / 1e6,
                    start.elapsed().as_secs_f64(),
                    out.display()
                );
            }
            EXIT_OK
        }
    }
}

/// `folio check`: everything `build` does (pages rendered and checked), writing nothing.
pub fn check(root: &Path, verbosity: Verbosity) -> i32 {
    let mut diags = Diagnostics::new();
    let mut timings = Vec::new();
    match engine::prepare(root, &[], &mut diags, &mut timings) {
        Err(e) => {
            let msg = e.to_string();
            print_diagnostics(&diags);
            eprintln!("error: {msg}");
            EXIT_USAGE
        }
        Ok(p) => {
            // Everything build does but write: every page is rendered and checked too.
            if !diags.has_errors() {
                let out = engine::output_dir(None, root, &p.site);
                if let Err(e) = engine::check(&out, &p, &mut diags) {
                    print_diagnostics(&diags);
                    eprintln!("error: {e}");
                    return EXIT_CONTENT;
                }
            }
            print_diagnostics(&diags);
            if diags.has_errors() {
                EXIT_CONTENT
            } else {
                if verbosity != Verbosity::Quiet {
                    let pages: usize = p.site.views.iter().map(|v| v.pages.len()).sum();
                    eprintln!(
                        "ok: {} versions, {} articles, {} pages",
                        p.site.views.len(),
                        p.site.articles.len(),
                        pages
                    );
                }
                EXIT_OK
            }
        }
    }
}
