//! Naming sets of versions as ranges ("15.4..24.3"), and problems that recur across
//! versions reported once with such a range.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::{Diagnostics, Location};
use crate::ids::VersionId;

/// Compresses a presence mask over ordered versions into "a..b, c" text.
pub fn describe_ranges(ids: &[&VersionId], presence: &[bool]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        if !presence.get(i).copied().unwrap_or(false) {
            i += 1;
            continue;
        }
        let start = i;
        while i + 1 < ids.len() && presence.get(i + 1).copied().unwrap_or(false) {
            i += 1;
        }
        if start == i {
            parts.push(ids[start].to_string());
        } else {
            parts.push(format!("{}..{}", ids[start], ids[i]));
        }
        i += 1;
    }
    if parts.is_empty() {
        "no version".to_string()
    } else {
        parts.join(", ")
    }
}

/// Collects problems that recur across versions and reports each once, naming the
/// versions as a range ("version 15.4..24.3: ...").
#[derive(Default)]
pub struct PerVersion {
    items: BTreeMap<(PathBuf, Option<u32>, String, bool), Vec<usize>>,
}

impl PerVersion {
    /// Records an error at `loc` (its version is ignored) in built version `vi`.
    pub fn error(&mut self, path: PathBuf, line: Option<u32>, vi: usize, msg: String) {
        self.items.entry((path, line, msg, true)).or_default().push(vi);
    }

    /// Records a warning in built version `vi`.
    pub fn warning(&mut self, path: PathBuf, line: Option<u32>, vi: usize, msg: String) {
        self.items.entry((path, line, msg, false)).or_default().push(vi);
    }

    /// Adds the problems another collector found.
    pub fn merge(&mut self, other: PerVersion) {
        for (k, v) in other.items {
            self.items.entry(k).or_default().extend(v);
        }
    }

    /// Moves everything into `diags`, with version ranges over `ids`.
    pub fn finish(self, ids: &[&VersionId], diags: &mut Diagnostics) {
        for ((path, line, msg, is_error), vis) in self.items {
            let mut mask = vec![false; ids.len()];
            for vi in vis {
                mask[vi] = true;
            }
            let loc = Location { path, line, version: Some(VersionId::new(describe_ranges(ids, &mask))) };
            if is_error {
                diags.error(loc, msg);
            } else {
                diags.warning(loc, msg);
            }
        }
    }
}
