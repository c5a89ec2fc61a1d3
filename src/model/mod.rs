//! The model: versions, articles and what each version of the manual contains.
//!
//! Plain data built from [`crate::load::Source`] with no IO and no templates: for every
//! built version, which revision of each article applies, its resolved source (after
//! only-blocks) and the nav tree. Each distinct resolved source is stored once in
//! [`Site::bodies`] and shared by every version where it applies, so later stages parse
//! and render it once. Images and attachments with revisions are resolved per version
//! too ([`assets`], [`Site::asset_in`]). `diff` and the tests use the model directly.

mod articles;
pub mod assets;
mod build;
pub mod nav;
pub mod only;
mod ranges;
mod versions;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::load::{ArticleFile, AssetFile, ManualConfig, ThemeFiles};

pub use crate::ids::{is_safe_segment, ArticleId, BodyId, VersionId, RESERVED_PATHS};
pub use assets::{Media, Revised};
pub use build::build;
pub(crate) use build::resolve_body;
pub use nav::NavTree;
pub use ranges::{describe_ranges, PerVersion};

/// Names an alias may not take: `<alias>.html` would be the version's home page. (An
/// article may be named `index`: its page is then the home page; see `choose_home`.)
pub const RESERVED_SLUGS: &[&str] = &["index"];

/// The file names of folio's own pages in every version folder. Each is its plain name
/// (`search.html`) unless an article or alias of the manual has that slug; the article
/// keeps the name and folio's page takes one no slug can have (`~search.html`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnPages {
    pub search: String,
    pub changes: String,
    pub not_found: String,
    /// The whole manual on one page, to print.
    pub print: String,
}

impl OwnPages {
    fn new(taken: impl Fn(&str) -> bool) -> Self {
        let name = |n: &str| if taken(n) { format!("~{n}.html") } else { format!("{n}.html") };
        OwnPages { search: name("search"), changes: name("changes"), not_found: name("404"), print: name("print") }
    }
}

/// One product version.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub id: VersionId,
    pub label: String,
    /// Output folder, one path segment.
    pub path: String,
    pub released: Option<String>,
    /// `current`, `supported` or `archived`.
    pub status: String,
    /// An external version: listed in the version menu only, never built.
    pub url: Option<String>,
    /// Repository path of the version file.
    pub file: PathBuf,
}

impl Version {
    pub fn is_built(&self) -> bool {
        self.url.is_none()
    }
}

/// An article across all versions.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: ArticleId,
    /// Indexes into [`Site::files`], ordered by the version they start at (base first).
    pub files: Vec<usize>,
    pub since: Option<VersionId>,
    pub until: Option<VersionId>,
    pub aliases: Vec<String>,
    /// For each built version (same order as [`Site::views`]): whether it exists there.
    pub presence: Vec<bool>,
}

/// A distinct resolved source: one file's body after applying only-blocks for some set
/// of versions.
#[derive(Debug, Clone)]
pub struct Body {
    /// Index into [`Site::files`].
    pub file: usize,
    /// The resolved Markdown; the file's own text (shared, not copied) when the file has
    /// no only-blocks.
    pub text: Arc<str>,
    /// For each line of `text`, its 1-based line in the file.
    pub line_map: Vec<u32>,
}

impl Body {
    /// The file line of a 0-based line of the resolved text.
    pub fn file_line(&self, line: usize) -> u32 {
        self.line_map.get(line).copied().or_else(|| self.line_map.last().copied()).unwrap_or(1)
    }
}

/// An article as it is in one version.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: ArticleId,
    /// Index into [`Site::files`] of the revision that applies.
    pub file: usize,
    pub title: String,
    pub parent: Option<ArticleId>,
    pub order: Option<i64>,
    pub keywords: Vec<String>,
    /// Index into [`Site::bodies`].
    pub body: BodyId,
}

/// What one built version contains.
#[derive(Debug, Clone)]
pub struct VersionView {
    pub version: Version,
    pub pages: BTreeMap<ArticleId, Page>,
    /// The version's tree.
    pub nav: NavTree,
    /// The version's start page (None only when the version has no articles).
    pub home: Option<ArticleId>,
}

/// The whole manual, resolved per version.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: ManualConfig,
    pub root: PathBuf,
    /// Every version, built and external, oldest first.
    pub versions: Vec<Version>,
    /// One view per built version, oldest first.
    pub views: Vec<VersionView>,
    pub files: Vec<ArticleFile>,
    pub articles: BTreeMap<ArticleId, Article>,
    /// Old slug -> article, from `aliases`.
    pub aliases: BTreeMap<String, ArticleId>,
    pub bodies: Vec<Body>,
    pub assets: Vec<AssetFile>,
    /// Asset revisions: which file of each asset applies in each version, and where each
    /// file's bytes are written.
    pub media: Media,
    pub theme: ThemeFiles,
    /// Slugs of article files that could not be loaded (see [`Source::unreadable`]).
    pub unreadable: std::collections::BTreeSet<String>,
    /// File names of folio's own pages (search, what changed, not found).
    pub own: OwnPages,
    /// Slug lookups for the questions asked once per page and version.
    index: Index,
}

/// Which article a slug names, and in which built versions each article exists, with
/// hashed lookups: the version menu asks this for every page in every version. Derived
/// from [`Site::articles`], [`Site::aliases`] and the articles' presence, none of which
/// changes once the model is built (`serve` only swaps bodies; it models anew for the
/// rest).
#[derive(Debug, Clone, Default)]
struct Index {
    /// Article slug -> its position in `Site::articles` (slug order).
    slot: HashMap<ArticleId, usize>,
    /// Position -> slug.
    ids: Vec<ArticleId>,
    /// Position x built version -> whether the article exists there.
    present: Vec<bool>,
    versions: usize,
    /// Alias (valid, from `Site::aliases`) -> position of its article.
    alias: HashMap<String, usize>,
    /// Position -> positions of the articles among its `aliases`, in that order.
    older: Vec<Vec<usize>>,
}

impl Index {
    fn new(articles: &BTreeMap<ArticleId, Article>, aliases: &BTreeMap<String, ArticleId>, versions: usize) -> Index {
        let slot: HashMap<ArticleId, usize> = articles.keys().enumerate().map(|(i, id)| (id.clone(), i)).collect();
        let mut present = Vec::with_capacity(articles.len() * versions);
        for a in articles.values() {
            present.extend((0..versions).map(|vi| a.presence.get(vi).copied().unwrap_or(false)));
        }
        Index {
            ids: articles.keys().cloned().collect(),
            present,
            versions,
            alias: aliases.iter().map(|(k, id)| (k.clone(), slot[id])).collect(),
            older: articles
                .values()
                .map(|a| a.aliases.iter().filter_map(|old| slot.get(old.as_str()).copied()).collect())
                .collect(),
            slot,
        }
    }

    /// The article at `pos` if it exists in built version `vi`.
    fn in_version(&self, pos: usize, vi: usize) -> Option<&ArticleId> {
        self.present[pos * self.versions + vi].then(|| &self.ids[pos])
    }
}

impl Site {
    /// The view of a built version.
    pub fn view(&self, id: &VersionId) -> Option<&VersionView> {
        self.views.iter().find(|v| &v.version.id == id)
    }

    /// Position of a built version in [`Site::views`].
    pub fn view_index(&self, id: &VersionId) -> Option<usize> {
        self.views.iter().position(|v| &v.version.id == id)
    }

    /// The newest built version.
    pub fn latest(&self) -> Option<&VersionView> {
        self.views.last()
    }

    /// Finds an article by slug or alias.
    pub fn lookup(&self, slug: &str) -> Option<&Article> {
        self.articles.get(slug).or_else(|| self.aliases.get(slug).and_then(|id| self.articles.get(id)))
    }

    /// The article a link to `slug` reaches in built version `vi`: the article with that
    /// slug if it exists there, else the article that has `slug` as an alias.
    pub fn resolve_in(&self, slug: &str, vi: usize) -> Option<&ArticleId> {
        assert!(vi < self.views.len(), "version {vi} is not built");
        let ix = &self.index;
        if let Some(&pos) = ix.slot.get(slug) {
            if let Some(id) = ix.in_version(pos, vi) {
                return Some(id);
            }
        }
        ix.in_version(*ix.alias.get(slug)?, vi)
    }

    /// The page that stands for article `id` in built version `vi`, following renames
    /// both ways and through several renames: the article itself, a successor (an
    /// article with `id` among its aliases, or that article's successor, …), or a
    /// predecessor (one of its aliases that was an article there, or one of that
    /// article's, …), the nearest first.
    pub fn counterpart_in(&self, id: &ArticleId, vi: usize) -> Option<&ArticleId> {
        assert!(vi < self.views.len(), "version {vi} is not built");
        let ix = &self.index;
        let pos = ix.slot.get(id.as_str()).copied();
        if let Some(found) = pos.and_then(|p| ix.in_version(p, vi)) {
            return Some(found);
        }
        // Successors: each alias names one article, so this is a chain (cut at a cycle).
        let mut next = ix.alias.get(id.as_str()).copied();
        for _ in 0..ix.ids.len() {
            let Some(succ) = next else { break };
            if let Some(found) = ix.in_version(succ, vi) {
                return Some(found);
            }
            next = ix.alias.get(ix.ids[succ].as_str()).copied().filter(|&n| Some(n) != pos);
        }
        // Predecessors, breadth first.
        let mut seen: Vec<usize> = pos.into_iter().collect();
        let mut queue: std::collections::VecDeque<usize> = pos.into_iter().collect();
        while let Some(p) = queue.pop_front() {
            for &old in &ix.older[p] {
                if seen.contains(&old) {
                    continue;
                }
                if let Some(found) = ix.in_version(old, vi) {
                    return Some(found);
                }
                seen.push(old);
                queue.push_back(old);
            }
        }
        None
    }

    /// The path under `media/` where the bytes of [`Site::assets`]`[file]` are written: its
    /// own path, or that of an earlier revision of its asset with the same bytes.
    pub fn media_path(&self, file: usize) -> &str {
        let written = self.media.written_as.get(file).copied().unwrap_or(file);
        &self.assets[written].rel
    }

    /// For a link to an asset with revisions (`rel`: its base path under `articles/`),
    /// the path under `media/` of the bytes it shows in built version `vi`; `None` when
    /// `rel` has no revisions or does not exist yet in that version.
    pub fn asset_in(&self, rel: &str, vi: usize) -> Option<&str> {
        let file = self.media.revised.get(rel)?.in_version.get(vi).copied().flatten()?;
        Some(self.media_path(file))
    }

    /// "17.1..24.3" style text for the built versions in which `presence` is true.
    pub fn describe_presence(&self, presence: &[bool]) -> String {
        let ids: Vec<&VersionId> = self.views.iter().map(|v| &v.version.id).collect();
        describe_ranges(&ids, presence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::load::Source;

    #[test]
    fn describes_ranges() {
        let ids: Vec<VersionId> = ["1.0", "1.1", "2.0", "3.0"].iter().map(|s| VersionId::new(*s)).collect();
        let refs: Vec<&VersionId> = ids.iter().collect();
        assert_eq!(describe_ranges(&refs, &[false, true, true, true]), "1.1..3.0");
        assert_eq!(describe_ranges(&refs, &[true, false, true, false]), "1.0, 2.0");
        assert_eq!(describe_ranges(&refs, &[false; 4]), "no version");
    }

    fn source(files: &[(&str, &str)]) -> (tempfile::TempDir, Source) {
        crate::load::load_files(files)
    }

    #[test]
    fn bodies_share_the_text_of_files_without_only_blocks() {
        let (_dir, src) = source(&[
            ("versions/1.yaml", ""),
            ("versions/2.yaml", ""),
            ("articles/home.md", "---\ntitle: Home\n---\nfirst\n<!-- only 2.. -->\nx\n<!-- /only -->\n"),
            ("articles/plain.md", "---\ntitle: Plain\nparent: home\n---\nsame\ntext\n"),
        ]);
        let mut diags = Diagnostics::new();
        let site = build(src, &mut diags);
        assert!(!diags.has_errors());
        let body_of = |slug: &str, vi: usize| &site.bodies[site.views[vi].pages[slug].body];
        // One body for both versions, and it is the file's own text, not a copy.
        let plain = body_of("plain", 0);
        assert_eq!(site.views[1].pages["plain"].body, site.views[0].pages["plain"].body);
        assert!(Arc::ptr_eq(&plain.text, &site.files[plain.file].body));
        assert_eq!((&*plain.text, plain.line_map.as_slice()), ("same\ntext\n", &[5, 6][..]));
        // Only-blocks make texts of their own.
        let (h1, h2) = (body_of("home", 0), body_of("home", 1));
        assert_eq!((&*h1.text, &*h2.text), ("first\n", "first\nx\n"));
        assert_eq!((h1.line_map.as_slice(), h2.line_map.as_slice()), (&[4][..], &[4, 6][..]));
    }

    #[test]
    fn renames_are_followed_both_ways() {
        let (_dir, src) = source(&[
            ("versions/1.yaml", ""),
            ("versions/2.yaml", ""),
            ("versions/3.yaml", ""),
            ("versions/4.yaml", ""),
            ("articles/home.md", "---\ntitle: Home\n---\n<!-- only 2..3 -->\nx\n<!-- /only -->\n"),
            ("articles/old.md", "---\ntitle: Old\nparent: home\nuntil: \"2\"\n---\nsame\n"),
            ("articles/new.md", "---\ntitle: New\nparent: home\nsince: \"3\"\naliases: [old]\n---\nsame\n"),
        ]);
        let mut diags = Diagnostics::new();
        let part = build(src, &mut diags);
        assert!(!diags.has_errors());
        // Renames both ways, aliases, and versions where neither exists.
        let (old, new) = (ArticleId::new("old"), ArticleId::new("new"));
        let there =
            |id: &ArticleId| (0..4).map(|vi| part.counterpart_in(id, vi).map(|x| x.to_string())).collect::<Vec<_>>();
        let names = |v: [&str; 4]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
        assert_eq!(there(&old), names(["old", "old", "new", "new"]));
        assert_eq!(there(&new), names(["old", "old", "new", "new"]));
        assert_eq!(part.resolve_in("old", 0).map(|x| x.as_str()), Some("old"));
        assert_eq!(part.resolve_in("old", 3).map(|x| x.as_str()), Some("new"));
        assert_eq!(part.resolve_in("new", 0), None);
        assert_eq!(part.resolve_in("nothing", 0), None);
        assert_eq!(part.counterpart_in(&ArticleId::new("nothing"), 0), None);
    }

    #[test]
    fn renames_are_followed_through_several_renames_and_a_cycle_ends() {
        let (_dir, src) = source(&[
            ("versions/1.yaml", ""),
            ("versions/2.yaml", ""),
            ("versions/3.yaml", ""),
            ("versions/4.yaml", ""),
            ("articles/home.md", "---\ntitle: Home\n---\nx\n"),
            ("articles/a.md", "---\ntitle: A\nuntil: \"1\"\n---\nx\n"),
            ("articles/d.md", "---\ntitle: D\nuntil: \"1\"\naliases: [e]\n---\nx\n"),
            ("articles/e.md", "---\ntitle: E\nsince: \"3\"\naliases: [d]\n---\nx\n"),
            ("articles/b.md", "---\ntitle: B\nsince: \"2\"\nuntil: \"2\"\naliases: [a]\n---\nx\n"),
            ("articles/c.md", "---\ntitle: C\nsince: \"4\"\naliases: [b]\n---\nx\n"),
        ]);
        let mut diags = Diagnostics::new();
        let site = build(src, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        let there = |id: &str| {
            (0..4).map(|vi| site.counterpart_in(&ArticleId::new(id), vi).map(|x| x.to_string())).collect::<Vec<_>>()
        };
        let names = |v: [Option<&str>; 4]| v.map(|s| s.map(str::to_string)).to_vec();
        // a -> b -> c through two renames (no version has two of them, version 3 none)
        for id in ["a", "b", "c"] {
            assert_eq!(there(id), names([Some("a"), Some("b"), None, Some("c")]), "{id}");
        }
        // d and e name each other: a cycle, and every lookup still ends
        assert_eq!(there("d"), names([Some("d"), None, Some("e"), Some("e")]));
        assert_eq!(there("e"), there("d"));
    }
}
