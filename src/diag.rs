//! Diagnostics: user-facing problems with the file, line and version they concern.
//!
//! Content problems are collected into [`Diagnostics`] rather than returned with `?`, so
//! one run reports every problem at once, sorted by location.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::ids::VersionId;

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a problem is: a repository-relative path, and optionally a line and a version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<u32>,
    pub version: Option<VersionId>,
}

impl Location {
    /// A location naming only a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location { path: path.into(), line: None, version: None }
    }

    /// A location naming a file and a line.
    pub fn line(path: impl Into<PathBuf>, line: u32) -> Self {
        Location { path: path.into(), line: Some(line), version: None }
    }

    /// The same location, in a given version.
    pub fn in_version(mut self, version: &VersionId) -> Self {
        self.version = Some(version.clone());
        self
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", display_path(&self.location.path))?;
        if let Some(line) = self.location.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(v) = &self.location.version {
            write!(f, "version {v}: ")?;
        }
        if self.severity == Severity::Warning {
            write!(f, "warning: ")?;
        }
        write!(f, "{}", self.message)
    }
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Every problem found by one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error.
    pub fn error(&mut self, location: Location, message: impl Into<String>) {
        self.items.push(Diagnostic { severity: Severity::Error, location, message: message.into() });
    }

    /// Records a warning.
    pub fn warning(&mut self, location: Location, message: impl Into<String>) {
        self.items.push(Diagnostic { severity: Severity::Warning, location, message: message.into() });
    }

    /// Adds every diagnostic of another collection.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by location, then message; exact repeats are dropped
    /// (the same problem found in one shared revision is reported once per version).
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| {
            (&a.location.path, a.location.line, &a.location.version, &a.message, a.severity).cmp(&(
                &b.location.path,
                b.location.line,
                &b.location.version,
                &b.message,
                b.severity,
            ))
        });
        items.dedup();
        items
    }

    /// The closing count line, e.g. "2 errors, 1 warning".
    pub fn summary(&self) -> String {
        let e = self.error_count();
        let w = self.warning_count();
        format!("{} error{}, {} warning{}", e, plural(e), w, plural(w))
    }
}

/// "s" unless `n` is 1.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_path_line_version_message() {
        let mut d = Diagnostics::new();
        d.error(
            Location::line("articles/a.md", 14).in_version(&VersionId::new("24.3")),
            "link target 'b' is not in this version",
        );
        let s = d.sorted()[0].to_string();
        assert_eq!(s, "articles/a.md:14: version 24.3: link target 'b' is not in this version");
        assert_eq!(d.summary(), "1 error, 0 warnings");
    }

    #[test]
    fn sorts_by_location_and_dedups() {
        let mut d = Diagnostics::new();
        d.error(Location::line("b.md", 1), "x");
        d.error(Location::line("a.md", 9), "y");
        d.error(Location::line("a.md", 2), "z");
        d.error(Location::line("a.md", 2), "z");
        let lines: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(lines, vec!["a.md:2: z", "a.md:9: y", "b.md:1: x"]);
    }
}
