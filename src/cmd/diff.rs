//! `folio diff A B [SLUG]`: the command-line face of [`crate::diff::versions`] and of the
//! line and word diffs of one article.
//!
//! Only the model is built (no Markdown rendering, no link checks): a diff reads
//! resolved sources, so it stays quick on a large manual. Exit status: 0 whether or not
//! anything differs, 1 for content problems (a manual that does not load, an unknown
//! article), 2 for usage problems (an unknown version).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{print_diagnostics, EXIT_CONTENT, EXIT_OK, EXIT_USAGE};
use crate::diag::Diagnostics;
use crate::diff::report::{self, Paint};
use crate::diff::select::{article, find_version};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: a grouped list, or a unified diff.
    Text,
    /// For programs: the documents described in docs/DIFF.md.
    Json,
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Also when piped.
    Always,
    /// Plain text.
    Never,
}

/// Arguments of `folio diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// One version (name, label or output path; the two may be given in either order).
    pub a: String,
    /// The other version.
    pub b: String,
    /// One article (slug or alias): print a unified diff of its resolved source.
    pub slug: Option<String>,
    /// The manual's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// With SLUG: diff words of prose instead of lines.
    #[arg(long, requires = "slug")]
    pub word: bool,
    /// With SLUG: lines of context around each change.
    #[arg(long, short = 'U', value_name = "N", default_value_t = 3, requires = "slug")]
    pub context: usize,
    /// Colour text output.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Whether to colour: `auto` means stdout is a terminal and NO_COLOR is unset or empty.
pub fn use_color(choice: ColorChoice, is_terminal: bool, no_color: Option<&str>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(str::is_empty),
    }
}

/// Runs `folio diff`; returns the exit status.
pub fn run(args: &DiffArgs) -> i32 {
    let mut diags = Diagnostics::new();
    let source = match crate::load::site(&args.root, &mut diags) {
        Ok(s) => s,
        Err(e) => {
            print_diagnostics(&diags);
            eprintln!("error: cannot read the manual: {e}");
            return EXIT_USAGE;
        }
    };
    let site = crate::model::build(source, &mut diags);
    if diags.has_errors() {
        print_diagnostics(&diags);
        eprintln!("error: the manual has errors; fix them to compare versions");
        return EXIT_CONTENT;
    }
    let (mut a, mut b) = match (find_version(&site, &args.a), find_version(&site, &args.b)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(msg), _) | (_, Err(msg)) => {
            eprintln!("error: {msg}");
            return EXIT_USAGE;
        }
    };
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    let no_color = std::env::var("NO_COLOR").ok();
    let paint = Paint { enabled: use_color(args.color, std::io::stdout().is_terminal(), no_color.as_deref()) };
    let output = match &args.slug {
        None => {
            let d = crate::diff::versions(&site, a, b);
            match args.format {
                Format::Json => report::versions_json(&site, a, b, &d),
                Format::Text => report::versions_text(&site, a, b, &d, paint),
            }
        }
        Some(slug) => {
            let diff = match article(&site, slug, a, b, args.context, args.word) {
                Ok(d) => d,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    return EXIT_CONTENT;
                }
            };
            match args.format {
                Format::Json => diff.json(),
                Format::Text => {
                    if !diff.changed {
                        eprintln!("'{}' is the same in {} and {}", diff.slug, diff.from.name, diff.to.name);
                    }
                    diff.text(paint)
                }
            }
        }
    };
    emit(&output)
}

/// Writes the output to stdout. A reader that stops early (`folio diff ... | head`) is
/// not an error; another write failure is.
fn emit(output: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(output.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            EXIT_CONTENT
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colour_needs_a_terminal_and_no_no_color() {
        assert!(use_color(ColorChoice::Auto, true, None));
        assert!(use_color(ColorChoice::Auto, true, Some("")));
        assert!(!use_color(ColorChoice::Auto, true, Some("1")));
        assert!(!use_color(ColorChoice::Auto, false, None));
        assert!(use_color(ColorChoice::Always, false, Some("1")));
        assert!(!use_color(ColorChoice::Never, true, None));
    }
}
