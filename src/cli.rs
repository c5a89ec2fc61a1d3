//! The commands: build, check, diff and new. Each returns the process exit status:
//! 0 success, 1 content errors, 2 usage errors.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diag::Diagnostics;
use crate::model::{Site, VersionId};
use crate::render::{self, RenderedBody, Theme};
use crate::{load, model, write};

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

/// Options of `folio build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub versions: Vec<String>,
    pub verbosity: Verbosity,
}

/// The result of loading, modelling and rendering bodies: what `check`, `build`,
/// `diff` and `serve` share.
pub struct Prepared {
    pub site: Site,
    pub theme: Theme,
    pub bodies: Vec<Option<RenderedBody>>,
    pub selected: Vec<bool>,
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

/// A usage problem: printed by the caller, exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Loads the manual and renders every body the selected versions need. `Err` is a
/// usage or IO error that stops everything; content problems are in `diags`.
pub fn prepare(
    root: &Path,
    versions: &[String],
    diags: &mut Diagnostics,
    timings: &mut Vec<(&'static str, f64)>,
) -> Result<Prepared, UsageError> {
    let t = Instant::now();
    let source = load::site(root, diags).map_err(|e| UsageError(format!("cannot read the manual: {e}")))?;
    timings.push(("load", t.elapsed().as_secs_f64()));
    let t = Instant::now();
    // Only the chosen versions' nav trees are made (every version is still checked).
    let focus: Vec<VersionId> = versions.iter().map(|n| VersionId::new(n.as_str())).collect();
    let site = model::build_for(source, &focus, diags);
    timings.push(("model", t.elapsed().as_secs_f64()));
    let mut selected = vec![versions.is_empty(); site.views.len()];
    for name in versions {
        match site.view_index(&VersionId::new(name.as_str())) {
            Some(i) => selected[i] = true,
            None => {
                let known: Vec<String> = site.views.iter().map(|v| v.version.id.to_string()).collect();
                return Err(UsageError(format!(
                    "unknown version '{name}' (built versions: {})",
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                )));
            }
        }
    }
    let t = Instant::now();
    let theme = Theme::load(&site.theme, diags);
    timings.push(("theme", t.elapsed().as_secs_f64()));
    let chosen: Vec<usize> = (0..site.views.len()).filter(|&i| selected[i]).collect();
    let t = Instant::now();
    let bodies = render::bodies(&site, &chosen, diags);
    timings.push(("markdown", t.elapsed().as_secs_f64()));
    let t = Instant::now();
    render::links::check(&site, &bodies, &chosen, diags);
    timings.push(("links", t.elapsed().as_secs_f64()));
    Ok(Prepared { site, theme, bodies, selected })
}

/// The output folder: `--out`, else `output` from manual.yaml under the root.
pub fn output_dir(opts_out: Option<&Path>, root: &Path, site: &Site) -> PathBuf {
    match opts_out {
        Some(p) => p.to_path_buf(),
        None => root.join(&site.config.output),
    }
}

/// `folio build`, for the `folio` process: the model is not freed at the end.
pub fn build(opts: &BuildOptions) -> i32 {
    let start = Instant::now();
    let mut diags = Diagnostics::new();
    let mut timings = Vec::new();
    let mut prepared = match prepare(&opts.root, &opts.versions, &mut diags, &mut timings) {
        Ok(p) => p,
        Err(UsageError(msg)) => {
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
    let out = output_dir(opts.out.as_deref(), &opts.root, &prepared.site);
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
    let selected = prepared.selected.iter().filter(|s| **s).count();
    let bar = PageProgress::new(opts.verbosity);
    let progress = |done: u64, total: u64| bar.step(done, total);
    let t = Instant::now();
    let result = write::all_releasing(
        &out,
        &prepared.site,
        &prepared.theme,
        &mut prepared.bodies,
        &prepared.selected,
        Some(&progress),
        &mut diags,
    );
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
    std::mem::forget(prepared);
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
    match prepare(root, &[], &mut diags, &mut timings) {
        Err(UsageError(msg)) => {
            print_diagnostics(&diags);
            eprintln!("error: {msg}");
            EXIT_USAGE
        }
        Ok(p) => {
            // Everything build does but write: every page is rendered and checked too.
            if !diags.has_errors() {
                let out = output_dir(None, root, &p.site);
                if let Err(e) = write::check_only(&out, &p.site, &p.theme, &p.bodies, &p.selected, &mut diags) {
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

const STARTER: &[(&str, &str)] = &[
    (
        "manual.yaml",
        "title: My Product Manual\nhome: welcome\n\
         # The manual's identity, all optional (docs/SPEC.md, \"manual.yaml\"):\n\
         # logo: branding/logo.svg\n\
         # favicon: branding/favicon.svg\n\
         # footer:\n\
         #   text: \"(c) 2026 Example Inc.\"\n\
         #   links:\n\
         #     - text: Support\n\
         #       url: https://example.com/support\n\
         # edit_url: https://git.example.com/manual/edit/main/{path}\n",
    ),
    ("versions/1.0.yaml", "label: v1.0\npath: v1.0\nreleased: 2025-01-15\nstatus: supported\n"),
    ("versions/2.0.yaml", "label: v2.0\npath: v2.0\nreleased: 2025-09-01\nstatus: current\n"),
    (
        "articles/welcome.md",
        "---\ntitle: Welcome\norder: 1\n---\n\nThis is the manual's start page. Read [Installing](install.md) first, then\n[Getting started](guide/getting-started.md).\n",
    ),
    (
        "articles/install.md",
        "---\ntitle: Installing\norder: 2\nkeywords: [setup, requirements]\n---\n\n## Requirements {#requirements}\n\nA computer with 4 GB of memory.\n\n<!-- only ..1.0 -->\n> **Note:** version 1.0 also needs the legacy runtime.\n<!-- /only -->\n\n## Steps\n\n1. Download the installer.\n2. Run it and follow the prompts.\n",
    ),
    (
        "articles/guide/getting-started.md",
        "---\ntitle: Getting started\nparent: welcome\n---\n\nOpen the program and create your first project. See the\n[requirements](../install.md#requirements) if it does not start.\n",
    ),
    (
        "articles/guide/getting-started@2.0.md",
        "---\ntitle: Getting started\nparent: welcome\n---\n\nVersion 2.0 opens on the project list: click **New project**. See the\n[requirements](../install.md#requirements) if it does not start.\n",
    ),
];

/// `folio new DIR`: a starter manual that builds.
pub fn new_manual(dir: &Path) -> i32 {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        eprintln!("error: {} exists and is not empty; choose a new folder", dir.display());
        return EXIT_USAGE;
    }
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                eprintln!("error: {}: {e}", parent.display());
                return EXIT_CONTENT;
            }
        }
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: {}: {e}", path.display());
            return EXIT_CONTENT;
        }
    }
    eprintln!("created a starter manual in {}; build it with: folio build --root {}", dir.display(), dir.display());
    EXIT_OK
}

/// The process's peak resident memory in KiB (`VmHWM` of `/proc/self/status`), where
/// the system has it (Linux).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
