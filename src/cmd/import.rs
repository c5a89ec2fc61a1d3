//! `folio import html` and `folio import docusaurus`: the command-line face of
//! [`crate::import::html`] and [`crate::import::docusaurus::run`]. Prints the summary
//! (stdout) or every problem (stderr); exit status 0 on success, 1 when the input has
//! problems, 2 for problems with the arguments.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Verbosity, EXIT_CONTENT, EXIT_OK, EXIT_USAGE};
use crate::import;

/// What to import.
#[derive(Debug, Clone, Subcommand)]
pub enum ImportCommand {
    /// One folder of HTML pages per release (a published manual's snapshots).
    Html(HtmlArgs),
    /// A Docusaurus site's versioned docs (versions.json, versioned_docs/, versioned_sidebars/).
    Docusaurus(DocusaurusArgs),
}

/// Arguments of `folio import docusaurus` (docs/IMPORT.md).
#[derive(Debug, Clone, Args)]
pub struct DocusaurusArgs {
    /// The site's folder: the one with docusaurus.config.* and versions.json.
    pub site: PathBuf,
    /// The folder to write the folio source into: absent or empty.
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// Also import the current docs (the unreleased version) under this version name.
    #[arg(long, value_name = "NAME")]
    pub current: Option<String>,
    /// The current docs folder (default: docs/ in the site folder, else beside it).
    #[arg(long, value_name = "DIR")]
    pub docs: Option<PathBuf>,
    /// The published site's URL (default: url and baseUrl from the config): links to
    /// the rest of the site become absolute URLs there.
    #[arg(long, value_name = "URL")]
    pub site_url: Option<String>,
    /// The manual's title in manual.yaml (default: the config's title).
    #[arg(long, value_name = "TEXT")]
    pub manual_title: Option<String>,
}

/// Arguments of `folio import html` (docs/IMPORT.md).
#[derive(Debug, Clone, Args)]
pub struct HtmlArgs {
    /// A release and its snapshot folder, NAME=FOLDER (repeatable; any order). The
    /// folder's name becomes the version's output path, so old URLs keep working.
    #[arg(long = "version", value_name = "NAME=FOLDER", required = true, value_parser = parse_version)]
    pub versions: Vec<(String, PathBuf)>,
    /// The folder to write the folio source into: absent or empty.
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// CSS selector of a page's content region (repeatable: the first that matches wins).
    #[arg(long = "content", value_name = "SELECTOR", required = true)]
    pub content: Vec<String>,
    /// CSS selector of a page's title (repeatable; then the page's `<title>`).
    #[arg(long = "title", value_name = "SELECTOR")]
    pub title: Vec<String>,
    /// Text to remove from the start of a `<title>` (repeatable; the first that matches).
    #[arg(long = "title-prefix", value_name = "TEXT")]
    pub title_prefix: Vec<String>,
    /// The table of contents, relative to each snapshot folder: an HTML page with a
    /// nested list, or a .js file whose strings hold one.
    #[arg(long, value_name = "PATH")]
    pub toc: Option<String>,
    /// A page file name not to import (repeatable).
    #[arg(long = "skip", value_name = "FILE")]
    pub skip: Vec<String>,
    /// URL of the folder holding the snapshot folders on the old site: links that leave
    /// the manual become absolute URLs there instead of plain text.
    #[arg(long, value_name = "URL")]
    pub site_url: Option<String>,
    /// The manual's title in manual.yaml.
    #[arg(long, value_name = "TEXT")]
    pub manual_title: Option<String>,
}

fn parse_version(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((name, dir)) if !name.is_empty() && !dir.is_empty() => Ok((name.to_string(), PathBuf::from(dir))),
        _ => Err(format!("'{s}' is not NAME=FOLDER (e.g. 24.3=snapshots/manual243)")),
    }
}

/// Runs `folio import …`; returns the exit status.
pub fn run(cmd: &ImportCommand, verbosity: Verbosity) -> i32 {
    let (result, into) = match cmd {
        ImportCommand::Html(a) => match html_options(a) {
            Ok(opts) => (import::html(&opts), &a.into),
            Err(code) => return code,
        },
        ImportCommand::Docusaurus(a) => {
            if let Some(code) = check_url(a.site_url.as_deref()) {
                return code;
            }
            let opts = import::docusaurus::DocusaurusOptions {
                site: a.site.clone(),
                into: a.into.clone(),
                current: a.current.clone(),
                docs: a.docs.clone(),
                site_url: a.site_url.clone(),
                manual_title: a.manual_title.clone(),
            };
            (import::docusaurus::run(&opts), &a.into)
        }
    };
    finish(result, into, verbosity)
}

fn check_url(url: Option<&str>) -> Option<i32> {
    match url {
        Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => {
            eprintln!("error: --site-url must be an http(s) URL, not '{u}'");
            Some(EXIT_USAGE)
        }
        _ => None,
    }
}

fn html_options(a: &HtmlArgs) -> Result<import::HtmlOptions, i32> {
    if let Some(code) = check_url(a.site_url.as_deref()) {
        return Err(code);
    }
    Ok(import::HtmlOptions {
        versions: a.versions.clone(),
        into: a.into.clone(),
        content: a.content.clone(),
        title: a.title.clone(),
        title_prefix: a.title_prefix.clone(),
        toc: a.toc.clone(),
        skip: a.skip.clone(),
        site_url: a.site_url.clone(),
        manual_title: a.manual_title.clone(),
    })
}

fn finish(
    result: Result<import::emit::Report, Vec<import::ImportError>>,
    into: &std::path::Path,
    verbosity: Verbosity,
) -> i32 {
    match result {
        Ok(report) => {
            if verbosity != Verbosity::Quiet {
                print!("{}", report.summary());
                println!("wrote {} (details in import-report.json)", into.display());
            }
            EXIT_OK
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("{} error{}; nothing was written", errors.len(), if errors.len() == 1 { "" } else { "s" });
            if errors.iter().all(|e| e.usage) {
                EXIT_USAGE
            } else {
                EXIT_CONTENT
            }
        }
    }
}
