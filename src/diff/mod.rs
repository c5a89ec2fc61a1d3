//! Differences between versions of the manual, read from the model.
//!
//! Owns the answers to "what changed between version A and version B" ([`versions`],
//! with the images and attachments whose bytes differ: [`assets`]),
//! "in which versions did this article change" ([`history`], [`step`]) and the line,
//! word and prose diffs that `folio diff` and the build's diff pages show ([`text`],
//! [`prose`]). Consumes [`Site`] only.
//!
//! Content is compared on each article's resolved source (after revision choice and
//! only-blocks), so an only-block that differs counts as a change and a new revision
//! that leaves the text alone does not. Renames are followed through `aliases` exactly
//! as the version menu follows them ([`Site::counterpart_in`]): an article `old` in A
//! and an article `new` in B with `old` among `new`'s aliases are one article.

pub mod prose;
pub mod report;
pub mod select;
pub mod text;
pub mod timeline;

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{ArticleId, Page, Site};

/// An article as it is in one version: its slug and title there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub slug: String,
    pub title: String,
}

impl Entry {
    fn of(p: &Page) -> Entry {
        Entry { slug: p.id.to_string(), title: p.title.clone() }
    }
}

/// An article renamed through `aliases`; `slug` and `title` are those in the newer version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub slug: String,
    pub title: String,
    pub from_slug: String,
    pub from_title: String,
}

/// An article whose parent in the nav tree changed (`None`: the top level). Parents are
/// named as they are in each version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    pub slug: String,
    pub title: String,
    pub from_parent: Option<Entry>,
    pub to_parent: Option<Entry>,
}

/// An article with a new title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retitled {
    pub slug: String,
    pub title: String,
    pub from_title: String,
}

/// An article whose resolved source changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub slug: String,
    pub title: String,
    /// The slug in the older version (differs from `slug` when also renamed).
    pub from_slug: String,
    /// The source files (revisions) that apply in each version, repository-relative.
    pub from_file: String,
    pub to_file: String,
    /// Lines of the resolved source added and removed.
    pub lines_added: usize,
    pub lines_removed: usize,
}

/// An asset (by base path under `articles/`) and the file that applies in one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetEntry {
    pub path: String,
    /// Repository-relative, e.g. `articles/images/x@2.0.png`.
    pub file: String,
}

/// An asset whose bytes differ between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetChanged {
    pub path: String,
    pub from_file: String,
    pub to_file: String,
}

/// Images and attachments whose bytes differ between two built versions: only assets
/// with revisions can (any other file is the same in every version). Sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AssetDiff {
    pub added: Vec<AssetEntry>,
    pub removed: Vec<AssetEntry>,
    pub changed: Vec<AssetChanged>,
}

impl AssetDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Which assets' bytes differ between built versions `from` and `to`: a revision whose
/// bytes equal an earlier one's is no change.
pub fn assets(site: &Site, from: usize, to: usize) -> AssetDiff {
    let file = |f: usize| format!("articles/{}", site.assets[f].rel);
    let mut d = AssetDiff::default();
    for (path, a) in &site.media.revised {
        let (x, y) = (a.in_version[from], a.in_version[to]);
        match (x, y) {
            (None, Some(b)) => d.added.push(AssetEntry { path: path.clone(), file: file(b) }),
            (Some(a), None) => d.removed.push(AssetEntry { path: path.clone(), file: file(a) }),
            (Some(a), Some(b)) if site.media_path(a) != site.media_path(b) => {
                d.changed.push(AssetChanged { path: path.clone(), from_file: file(a), to_file: file(b) })
            }
            _ => {}
        }
    }
    d
}

/// What differs between two built versions. An article can be in several groups (a
/// renamed article whose text changed is in `renamed` and `changed`). Every list is
/// sorted by slug (`removed` by the slug in the older version, the others by the slug
/// in the newer one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionDiff {
    pub added: Vec<Entry>,
    pub removed: Vec<Entry>,
    pub renamed: Vec<Renamed>,
    pub moved: Vec<Moved>,
    pub retitled: Vec<Retitled>,
    pub changed: Vec<Changed>,
    /// Articles in both versions that are in no group.
    pub unchanged: usize,
    /// Images and attachments whose bytes differ.
    pub assets: AssetDiff,
}

impl VersionDiff {
    /// Whether nothing differs (no article and no asset).
    pub fn is_empty(&self) -> bool {
        self.total() == 0 && self.assets.is_empty()
    }

    /// How many distinct articles are in at least one group.
    pub fn total(&self) -> usize {
        let mut touched: HashSet<&str> = HashSet::new();
        touched.extend(self.added.iter().map(|e| e.slug.as_str()));
        touched.extend(self.renamed.iter().map(|e| e.slug.as_str()));
        touched.extend(self.moved.iter().map(|e| e.slug.as_str()));
        touched.extend(self.retitled.iter().map(|e| e.slug.as_str()));
        touched.extend(self.changed.iter().map(|e| e.slug.as_str()));
        // Removed articles are not in the newer version, so they cannot collide.
        touched.len() + self.removed.len()
    }
}

fn path_text(site: &Site, file: usize) -> String {
    site.files.get(file).map(|f| f.path.to_string_lossy().replace('\\', "/")).unwrap_or_default()
}

/// Whether two pages show different text (bodies are shared, so equal indexes are the
/// same text; different indexes may still hold equal text).
fn text_differs(site: &Site, a: &Page, b: &Page) -> bool {
    a.body != b.body && !text::same_text(&site.bodies[a.body].text, &site.bodies[b.body].text)
}

/// Compares built versions `from` and `to` (indexes into [`Site::views`], `from` the
/// older one; any two indexes work, adjacent or not).
pub fn versions(site: &Site, from: usize, to: usize) -> VersionDiff {
    let (va, vb) = (&site.views[from], &site.views[to]);
    let mut d = VersionDiff::default();

    // Pair each page of B with the page standing for the same article in A. In a valid
    // model this is one-to-one; `used` keeps it so for any model.
    let mut used: HashSet<&ArticleId> = HashSet::new();
    let mut pairs: Vec<(&Page, &Page)> = Vec::new();
    for (id, pb) in &vb.pages {
        let old = site
            .counterpart_in(id, from)
            .filter(|o| *o == id || !vb.pages.contains_key(*o))
            .filter(|o| !used.contains(o))
            .and_then(|o| va.pages.get(o));
        match old {
            Some(pa) => {
                used.insert(&pa.id);
                pairs.push((pa, pb));
            }
            None => d.added.push(Entry::of(pb)),
        }
    }
    d.removed = va.pages.values().filter(|p| !used.contains(&p.id)).map(Entry::of).collect();

    // Parents are compared through the pairing, so a parent that was only renamed does
    // not move its children.
    let a_to_b: HashMap<&ArticleId, &ArticleId> = pairs.iter().map(|(pa, pb)| (&pa.id, &pb.id)).collect();
    let parent_entry = |view: &crate::model::VersionView, p: &ArticleId| Entry {
        slug: p.to_string(),
        title: view.pages.get(p).map(|pg| pg.title.clone()).unwrap_or_default(),
    };
    for (pa, pb) in pairs {
        let mut same = true;
        if pa.id != pb.id {
            same = false;
            d.renamed.push(Renamed {
                slug: pb.id.to_string(),
                title: pb.title.clone(),
                from_slug: pa.id.to_string(),
                from_title: pa.title.clone(),
            });
        }
        let parent_a = va.nav.parent.get(&pa.id);
        let parent_b = vb.nav.parent.get(&pb.id);
        let mapped = parent_a.map(|p| a_to_b.get(p).copied().unwrap_or(p));
        if mapped != parent_b {
            same = false;
            d.moved.push(Moved {
                slug: pb.id.to_string(),
                title: pb.title.clone(),
                from_parent: parent_a.map(|p| parent_entry(va, p)),
                to_parent: parent_b.map(|p| parent_entry(vb, p)),
            });
        }
        if pa.title != pb.title {
            same = false;
            d.retitled.push(Retitled {
                slug: pb.id.to_string(),
                title: pb.title.clone(),
                from_title: pa.title.clone(),
            });
        }
        if text_differs(site, pa, pb) {
            same = false;
            let (lines_added, lines_removed) =
                text::line_counts(&site.bodies[pa.body].text, &site.bodies[pb.body].text);
            d.changed.push(Changed {
                slug: pb.id.to_string(),
                title: pb.title.clone(),
                from_slug: pa.id.to_string(),
                from_file: path_text(site, pa.file),
                to_file: path_text(site, pb.file),
                lines_added,
                lines_removed,
            });
        }
        if same {
            d.unchanged += 1;
        }
    }
    // `vb.pages` is a BTreeMap, so the B-keyed lists are in slug order already.
    d.assets = assets(site, from, to);
    d
}

/// How an article's page in one built version relates to the built version before it.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// Not in the previous version (or the first version).
    Added,
    /// Renamed, retitled or changed in content since this page in the previous version.
    Modified(&'a Page),
    /// The same slug, title and text as this page in the previous version.
    Same(&'a Page),
}

/// How article `id` in built version `vi` differs from the version before (following
/// renames); `None` when `id` is not in version `vi`. The build writes a diff page for
/// every [`Step::Modified`], and [`history`] lists the versions of `Added` and `Modified`.
pub fn step<'a>(site: &'a Site, id: &ArticleId, vi: usize) -> Option<Step<'a>> {
    let cur = site.views.get(vi)?.pages.get(id)?;
    let prev = vi.checked_sub(1).and_then(|pi| site.counterpart_in(id, pi).and_then(|p| site.views[pi].pages.get(p)));
    Some(match prev {
        None => Step::Added,
        Some(p) if p.id != cur.id || p.title != cur.title || text_differs(site, p, cur) => Step::Modified(p),
        Some(p) => Step::Same(p),
    })
}

/// One article's entry of [`history`], computed alone (for a model patched in place).
pub fn article_history(site: &Site, id: &ArticleId) -> Vec<usize> {
    (0..site.views.len())
        .filter(|&vi| {
            site.counterpart_in(id, vi)
                .and_then(|cur| step(site, cur, vi))
                .is_some_and(|s| matches!(s, Step::Added | Step::Modified(_)))
        })
        .collect()
}

/// For each article, the built versions (indexes into [`Site::views`]) in which it
/// first appeared or changed: renamed, retitled or changed in content. Renames are
/// followed, so an article's list includes the versions in which it had another slug,
/// and the old slug's list is the same. In any of these versions `vi`,
/// `site.counterpart_in(id, vi)` is the slug it had there.
pub fn history(site: &Site) -> BTreeMap<ArticleId, Vec<usize>> {
    // What `step` says of every page, version by version (slug order): added or
    // modified. Walking both versions' pages in slug order finds the page before
    // without a lookup, except across renames.
    let changed: Vec<Vec<(&ArticleId, bool)>> = (0..site.views.len())
        .into_par_iter()
        .map(|vi| {
            let view = &site.views[vi];
            let Some(pi) = vi.checked_sub(1) else {
                return view.pages.keys().map(|id| (id, true)).collect();
            };
            let before = &site.views[pi].pages;
            let mut older = before.iter().peekable();
            view.pages
                .iter()
                .map(|(id, cur)| {
                    while older.next_if(|(o, _)| *o < id).is_some() {}
                    let prev = match older.peek() {
                        Some((o, p)) if *o == id => Some(*p),
                        _ => site.counterpart_in(id, pi).and_then(|o| before.get(o)),
                    };
                    let modified = match prev {
                        None => true,
                        Some(p) => p.id != cur.id || p.title != cur.title || text_differs(site, p, cur),
                    };
                    (id, modified)
                })
                .collect()
        })
        .collect();
    // Every article in slug order: in each version, its own page (the next one in
    // that version's list) or, across renames, the page that stands for it there.
    let mut next = vec![0; changed.len()];
    site.articles
        .keys()
        .map(|id| {
            let versions = (0..changed.len())
                .filter(|&vi| {
                    let list = &changed[vi];
                    while next[vi] < list.len() && list[next[vi]].0 < id {
                        next[vi] += 1;
                    }
                    match list.get(next[vi]) {
                        Some(&(here, modified)) if here == id => modified,
                        _ => site.counterpart_in(id, vi).is_some_and(|other| {
                            list.binary_search_by(|(x, _)| (*x).cmp(other)).is_ok_and(|i| list[i].1)
                        }),
                    }
                })
                .collect();
            (id.clone(), versions)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;

    /// Builds the model of a small manual written to a temp dir.
    fn site(files: &[(&str, &str)]) -> Site {
        let (_dir, source) = crate::load::load_files(files);
        let mut diags = Diagnostics::new();
        let site = crate::model::build(source, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        site
    }

    const VERSIONS: [(&str, &str); 3] = [("versions/1.yaml", ""), ("versions/2.yaml", ""), ("versions/3.yaml", "")];

    #[test]
    fn a_renamed_parent_does_not_move_its_children() {
        let mut files = VERSIONS.to_vec();
        files.extend([
            ("articles/old.md", "---\ntitle: Top\nuntil: \"1\"\n---\nx\n"),
            ("articles/new.md", "---\ntitle: Top\nsince: \"2\"\naliases: [old]\n---\nx\n"),
            ("articles/kid.md", "---\ntitle: Kid\nparent: old\n---\ny\n"),
            ("articles/kid@2.md", "---\ntitle: Kid\nparent: new\n---\ny\n"),
        ]);
        let s = site(&files);
        let d = versions(&s, 0, 1);
        assert_eq!(d.renamed.len(), 1);
        assert!(d.moved.is_empty(), "{:?}", d.moved);
        assert!(d.added.is_empty() && d.removed.is_empty());
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.total(), 1);
    }

    #[test]
    fn history_follows_renames_both_ways() {
        let mut files = VERSIONS.to_vec();
        files.extend([
            ("articles/old.md", "---\ntitle: Old\nuntil: \"1\"\n---\nx\n"),
            ("articles/new.md", "---\ntitle: Old\nsince: \"2\"\naliases: [old]\n---\nx\n"),
            ("articles/new@3.md", "---\ntitle: Old\n---\nchanged\n"),
            ("articles/same.md", "---\ntitle: Same\n---\nz\n"),
        ]);
        let s = site(&files);
        let h = history(&s);
        assert_eq!(h[&ArticleId::new("new")], [0, 1, 2]);
        assert_eq!(h[&ArticleId::new("old")], [0, 1, 2]);
        assert_eq!(h[&ArticleId::new("same")], [0]);
        assert!(matches!(step(&s, &ArticleId::new("new"), 1), Some(Step::Modified(p)) if p.id.as_str() == "old"));
    }

    #[test]
    fn history_is_what_step_says_in_every_version() {
        let mut files = VERSIONS.to_vec();
        files.extend([
            ("versions/4.yaml", ""),
            ("articles/old.md", "---\ntitle: Old\nuntil: \"1\"\n---\nx\n"),
            ("articles/new.md", "---\ntitle: Old\nsince: \"2\"\naliases: [old, gone]\n---\nx\n"),
            ("articles/new@4.md", "---\ntitle: Newer\n---\nx\n"),
            ("articles/back.md", "---\ntitle: Back\n---\n<!-- only 3 -->\ny\n<!-- /only -->\nz\n"),
            ("articles/back@2.md", "---\ntitle: Back\nremoved: true\n---\n"),
            ("articles/back@3.md", "---\ntitle: Back\n---\n<!-- only 3 -->\ny\n<!-- /only -->\nz\n"),
            ("articles/a.md", "---\ntitle: A\n---\n<!-- only 2.. -->\n<!-- /only -->\nsame\n"),
            ("articles/zz.md", "---\ntitle: Z\nsince: \"3\"\n---\nz\n"),
        ]);
        let s = site(&files);
        let by_step: BTreeMap<ArticleId, Vec<usize>> = s
            .articles
            .keys()
            .map(|id| {
                let versions = (0..s.views.len())
                    .filter(|&vi| {
                        s.counterpart_in(id, vi)
                            .and_then(|cur| step(&s, cur, vi))
                            .is_some_and(|st| matches!(st, Step::Added | Step::Modified(_)))
                    })
                    .collect();
                (id.clone(), versions)
            })
            .collect();
        assert_eq!(history(&s), by_step);
        assert_eq!(by_step[&ArticleId::new("back")], [0, 2, 3]);
        assert_eq!(by_step[&ArticleId::new("a")], [0]);
    }

    #[test]
    fn an_identical_revision_is_not_a_change() {
        let mut files = VERSIONS.to_vec();
        files.extend([
            ("articles/a.md", "---\ntitle: A\nkeywords: [x]\n---\nsame text\n"),
            ("articles/a@2.md", "---\ntitle: A\nkeywords: [y]\n---\nsame text\n"),
        ]);
        let s = site(&files);
        assert!(versions(&s, 0, 2).is_empty());
        assert_eq!(history(&s)[&ArticleId::new("a")], [0]);
    }
}
