//! Differences between two versions of the manual, read from the model.
//!
//! Content is compared on each article's resolved source (after revision choice and
//! only-blocks), so an only-block that differs counts as a change and an untouched
//! revision does not. Renames are followed through `aliases`.

pub mod cli;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::model::{ArticleId, Page, Site};

/// An article named in a difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub slug: String,
    pub title: String,
}

/// A rename through `aliases`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub from: Entry,
    pub to: Entry,
}

/// A move in the nav tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    pub slug: String,
    pub title: String,
    pub from_parent: Option<String>,
    pub to_parent: Option<String>,
}

/// A new title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retitled {
    pub slug: String,
    pub from_title: String,
    pub to_title: String,
}

/// Changed content, with counts of changed lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub slug: String,
    pub title: String,
    pub lines_added: usize,
    pub lines_removed: usize,
}

/// What differs between built versions `from` and `to` (indexes into `Site::views`).
/// Every list is sorted by slug.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VersionDiff {
    pub added: Vec<Entry>,
    pub removed: Vec<Entry>,
    pub renamed: Vec<Renamed>,
    pub moved: Vec<Moved>,
    pub retitled: Vec<Retitled>,
    pub changed: Vec<Changed>,
}

impl VersionDiff {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.moved.is_empty()
            && self.retitled.is_empty()
            && self.changed.is_empty()
    }
}

fn entry(p: &Page) -> Entry {
    Entry { slug: p.id.to_string(), title: p.title.clone() }
}

/// Compares two built versions of the model.
pub fn versions(site: &Site, from: usize, to: usize) -> VersionDiff {
    let a = &site.views[from];
    let b = &site.views[to];
    let mut d = VersionDiff::default();
    // Pairs of (page in a, page in b) standing for the same article.
    let mut pairs: Vec<(&Page, &Page)> = Vec::new();
    for (id, pb) in &b.pages {
        match a.pages.get(id) {
            Some(pa) => pairs.push((pa, pb)),
            None => {
                let old = site
                    .articles
                    .get(id)
                    .and_then(|art| art.aliases.iter().find_map(|al| a.pages.get(&ArticleId::new(al.as_str()))))
                    .filter(|pa| !b.pages.contains_key(&pa.id));
                match old {
                    Some(pa) => {
                        d.renamed.push(Renamed { from: entry(pa), to: entry(pb) });
                        pairs.push((pa, pb));
                    }
                    None => d.added.push(entry(pb)),
                }
            }
        }
    }
    let renamed_from: Vec<&str> = d.renamed.iter().map(|r| r.from.slug.as_str()).collect();
    for (id, pa) in &a.pages {
        if !b.pages.contains_key(id) && !renamed_from.contains(&id.as_str()) {
            d.removed.push(entry(pa));
        }
    }
    for (pa, pb) in pairs {
        let parent_a = a.nav.parent.get(&pa.id).map(|p| p.to_string());
        let parent_b = b.nav.parent.get(&pb.id).map(|p| p.to_string());
        if parent_a != parent_b
            && !(parent_a.is_some()
                && parent_a.as_deref().and_then(|p| site.aliases.get(p)).map(|x| x.to_string()) == parent_b)
        {
            d.moved.push(Moved {
                slug: pb.id.to_string(),
                title: pb.title.clone(),
                from_parent: parent_a,
                to_parent: parent_b,
            });
        }
        if pa.title != pb.title {
            d.retitled.push(Retitled {
                slug: pb.id.to_string(),
                from_title: pa.title.clone(),
                to_title: pb.title.clone(),
            });
        }
        let ta = &site.bodies[pa.body].text;
        let tb = &site.bodies[pb.body].text;
        if pa.body != pb.body && ta != tb {
            let (added, removed) = line_counts(ta, tb);
            d.changed.push(Changed {
                slug: pb.id.to_string(),
                title: pb.title.clone(),
                lines_added: added,
                lines_removed: removed,
            });
        }
    }
    d.added.sort_by(|x, y| x.slug.cmp(&y.slug));
    d.removed.sort_by(|x, y| x.slug.cmp(&y.slug));
    d.renamed.sort_by(|x, y| x.to.slug.cmp(&y.to.slug));
    d.moved.sort_by(|x, y| x.slug.cmp(&y.slug));
    d.retitled.sort_by(|x, y| x.slug.cmp(&y.slug));
    d.changed.sort_by(|x, y| x.slug.cmp(&y.slug));
    d
}

/// Lines added and removed from `a` to `b`.
pub fn line_counts(a: &str, b: &str) -> (usize, usize) {
    let diff = TextDiff::from_lines(a, b);
    let mut added = 0;
    let mut removed = 0;
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    (added, removed)
}

/// One line of a line diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// `ins`, `del` or `same`.
    pub kind: &'static str,
    pub text: String,
}

/// A full line diff of two texts.
pub fn lines(a: &str, b: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(a, b)
        .iter_all_changes()
        .map(|c| DiffLine {
            kind: match c.tag() {
                ChangeTag::Insert => "ins",
                ChangeTag::Delete => "del",
                ChangeTag::Equal => "same",
            },
            text: c.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect()
}
