//! What a write produced: the files, the pages, the links those pages make, and the
//! content errors met on the way; and the check that every link reaches a file.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::diag::{Diagnostics, Location};
use crate::error::Error;
use crate::render::Theme;
use crate::write::Sink;

/// What one parallel unit wrote: files and the link targets its pages point at.
#[derive(Default)]
pub struct Written {
    pub files: Vec<String>,
    pub targets: Vec<String>,
    pub errors: Vec<(Location, String)>,
    pub pages: usize,
}

impl Written {
    pub fn merge(mut self, other: Written) -> Written {
        self.files.extend(other.files);
        self.targets.extend(other.targets);
        self.errors.extend(other.errors);
        self.pages += other.pages;
        self
    }
}

/// Puts the problems of a whole-site write into `diags` (its content errors, and any
/// link from a page to a file it did not write); true when there were none.
pub fn report(written: &Written, out: &Path, diags: &mut Diagnostics) -> bool {
    let files: HashSet<&str> = written.files.iter().map(|s| s.as_str()).collect();
    let ok = written.errors.is_empty();
    for (loc, msg) in written.errors.iter().collect::<BTreeSet<_>>() {
        diags.error(loc.clone(), msg.clone());
    }
    if !ok {
        // A page whose template failed is not written: the links to it are no news.
        return false;
    }
    targets_reached(&written.targets, |t| files.contains(t), out, diags)
}

/// Whether every link target in `targets` is a file (`exists`); each one that is not
/// becomes an error at `out` (the folder written).
pub fn targets_reached(targets: &[String], exists: impl Fn(&str) -> bool, out: &Path, diags: &mut Diagnostics) -> bool {
    let missing: BTreeSet<&str> = targets.iter().map(|t| t.as_str()).filter(|t| !exists(t)).collect();
    for t in &missing {
        diags.error(Location::file(out), format!("internal: a page links to {t}, which the build did not write"));
    }
    missing.is_empty()
}

/// What an incremental write put into its staging folder.
#[derive(Debug, Default)]
pub struct Staged {
    /// Site-relative paths of the files written, with `/`.
    pub files: Vec<String>,
    /// Site-relative files the written pages link to.
    pub targets: Vec<String>,
    /// Article pages written.
    pub pages: usize,
}

impl Staged {
    /// Adds what another write staged.
    pub fn extend(&mut self, other: Staged) {
        self.files.extend(other.files);
        self.targets.extend(other.targets);
        self.pages += other.pages;
    }
}

/// Content problems of a staged write go into `diags`; with any, nothing is staged.
pub fn staged(w: Written, diags: &mut Diagnostics) -> Option<Staged> {
    if !w.errors.is_empty() {
        for (loc, msg) in w.errors.iter().collect::<BTreeSet<_>>() {
            diags.error(loc.clone(), msg.clone());
        }
        return None;
    }
    Some(Staged { files: w.files, targets: w.targets, pages: w.pages })
}

/// Renders template `tmpl` with `ctx` into `rel`, noting the file in `w`; a template
/// error goes into `w` too.
pub fn render_to<S: Serialize>(
    o: &Sink,
    theme: &Theme,
    tmpl: &str,
    ctx: &S,
    rel: &str,
    w: &mut Written,
) -> Result<(), Error> {
    match theme.render(tmpl, ctx) {
        Ok(html) => {
            o.write(rel, html.as_bytes())?;
            w.files.push(rel.to_string());
        }
        Err(e) => w.errors.push(e),
    }
    Ok(())
}
