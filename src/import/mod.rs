//! Import: an existing manual becomes one folio source tree (`manual.yaml`,
//! `versions/`, `articles/`).
//!
//! Each importer reads its kind of input into the same shape — per release, each
//! article's title, place in the tree and Markdown text, and the files its pages use —
//! and shares the rest: the nav tree from a table of contents ([`tree`]), renames and
//! aliases, the merge of each article's releases into the fewest files ([`dedup`]), and
//! writing the tree with its images and a report ([`emit`]). Nothing is written until
//! every step has succeeded, and then only inside the target folder.
//!
//! - [`html`]: one folder of HTML pages per release ([`snapshot`], [`toc`],
//!   [`convert`] with its Markdown clean-up in `tidy`, [`links`]).
//! - [`docusaurus`]: a Docusaurus site's `versioned_docs`.

pub mod convert;
pub mod dedup;
pub mod docusaurus;
pub mod emit;
pub mod html;
pub mod links;
pub mod snapshot;
mod tidy;
pub mod toc;
pub mod tree;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use dedup::Doc;
use emit::Report;

pub use html::{html, HtmlOptions};

/// A problem that stops the import: the file it concerns and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub path: PathBuf,
    pub message: String,
    /// A problem with the command's arguments (exit status 2) rather than the input.
    pub usage: bool,
}

impl ImportError {
    pub fn io(path: &Path, message: String) -> Self {
        ImportError { path: path.to_path_buf(), message, usage: false }
    }
    pub(crate) fn usage(path: &Path, message: impl Into<String>) -> Self {
        ImportError { path: path.to_path_buf(), message: message.into(), usage: true }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.as_os_str().is_empty() {
            write!(f, "error: {}", self.message)
        } else {
            write!(f, "{}: {}", self.path.display(), self.message)
        }
    }
}

pub(crate) fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Checks that `into` is absent or empty.
pub(crate) fn check_into(into: &Path, errors: &mut Vec<ImportError>) {
    match std::fs::read_dir(into) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                errors.push(ImportError::usage(into, "--into must be an empty folder (it is not empty)"));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => errors.push(ImportError::usage(into, format!("cannot read --into: {e}"))),
    }
}

/// Aliases: a stub to a page of the same release, and a page that ended where another
/// with the same text began (a rename). An alias is kept only where folio allows it:
/// never an article in a release where its target is one too.
pub(crate) fn aliases(
    docs: &BTreeMap<String, Vec<Option<Doc>>>,
    stubs: &[BTreeMap<String, String>],
    sections: &BTreeMap<String, Vec<Option<String>>>,
    report: &mut Report,
) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let coexist = |a: &str, b: &str| match (docs.get(a), docs.get(b)) {
        (Some(x), Some(y)) => x.iter().zip(y).any(|(p, q)| p.is_some() && q.is_some()),
        _ => false,
    };
    let mut taken: HashMap<String, String> = HashMap::new();
    for st in stubs {
        for (stub, target) in st {
            if coexist(stub, target) || taken.get(stub).is_some_and(|t| t != target) {
                report.alias_skipped.push((stub.clone(), target.clone()));
                continue;
            }
            taken.insert(stub.clone(), target.clone());
            out.entry(target.clone()).or_default().insert(stub.clone());
        }
    }
    // Renames: A's last text equals B's first, B starts right after A ends.
    let mut starts: HashMap<(usize, &str), Vec<&str>> = HashMap::new();
    for (slug, d) in docs {
        if sections.contains_key(slug) {
            continue;
        }
        if let Some(f) = d.iter().position(Option::is_some) {
            if f > 0 {
                starts.entry((f, d[f].as_ref().expect("present").body.as_str())).or_default().push(slug);
            }
        }
    }
    for (slug, d) in docs {
        let Some(l) = d.iter().rposition(Option::is_some) else { continue };
        if l + 1 >= d.len() || sections.contains_key(slug) {
            continue;
        }
        let body = d[l].as_ref().expect("present").body.as_str();
        if body.trim().is_empty() {
            continue;
        }
        if let Some([to]) = starts.get(&(l + 1, body)).map(Vec::as_slice) {
            if !coexist(slug, to) && !taken.contains_key(slug.as_str()) {
                taken.insert(slug.clone(), to.to_string());
                out.entry(to.to_string()).or_default().insert(slug.clone());
                report.renames.push((slug.clone(), to.to_string()));
            }
        }
    }
    out.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect()
}
