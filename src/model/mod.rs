//! The model: versions, articles and what each version of the manual contains.
//!
//! Plain data built from [`crate::load::Source`] with no IO and no templates: for every
//! built version, which revision of each article applies, its resolved source (after
//! only-blocks) and the nav tree. Each distinct resolved source is stored once in
//! [`Site::bodies`] and shared by every version where it applies, so later stages parse
//! and render it once. Images and attachments with revisions are resolved per version
//! too ([`assets`], [`Site::asset_in`]). `diff` and the tests use the model directly.

pub mod assets;
pub mod nav;
pub mod only;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostics, Location};
use crate::load::{ArticleFile, AssetFile, ManualConfig, Source, ThemeFiles};

pub use crate::ids::{is_safe_segment, ArticleId, VersionId};
pub use assets::{Media, Revised};
pub use nav::NavTree;

/// Output folder names folio uses itself at the top of the site.
pub const RESERVED_PATHS: &[&str] = &["assets", "media", "index.html", "versions.json", "sitemap.xml", "404.html"];

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
}

impl OwnPages {
    fn new(taken: impl Fn(&str) -> bool) -> Self {
        let name = |n: &str| if taken(n) { format!("~{n}.html") } else { format!("{n}.html") };
        OwnPages { search: name("search"), changes: name("changes"), not_found: name("404") }
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
    pub body: usize,
}

/// What one built version contains.
#[derive(Debug, Clone)]
pub struct VersionView {
    pub version: Version,
    pub pages: BTreeMap<ArticleId, Page>,
    /// The version's tree; empty where [`Site::nav_built`] says it was not made.
    pub nav: NavTree,
    /// The version's start page (None only when the version has no articles, or its
    /// tree was not made).
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
    /// For each built version: whether its nav tree and home were made. Always true
    /// unless the model was built for some versions only ([`build_for`]); elsewhere
    /// the view's tree is empty and its home `None`.
    pub nav_built: Vec<bool>,
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
    /// both ways: the article itself, its successor (an article with `id` among its
    /// aliases), or a predecessor (one of its aliases that was an article there).
    pub fn counterpart_in(&self, id: &ArticleId, vi: usize) -> Option<&ArticleId> {
        assert!(vi < self.views.len(), "version {vi} is not built");
        let ix = &self.index;
        let pos = ix.slot.get(id.as_str()).copied();
        if let Some(found) = pos.and_then(|p| ix.in_version(p, vi)) {
            return Some(found);
        }
        if let Some(found) = ix.alias.get(id.as_str()).and_then(|&succ| ix.in_version(succ, vi)) {
            return Some(found);
        }
        ix.older[pos?].iter().find_map(|&old| ix.in_version(old, vi))
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

/// Builds the model of every version; problems go into `diags`.
pub fn build(source: Source, diags: &mut Diagnostics) -> Site {
    build_for(source, &[], diags)
}

/// Builds the model for writing the built versions named in `focus` (every version when
/// `focus` is empty; names that are not built versions are ignored). Pages, bodies and
/// problems are those of [`build`]: every version is resolved and validated, since
/// version menus, "Changed in" lists and messages look into all of them. Nav trees and
/// homes are made only for the focus versions and the version before each (its
/// what-changed page compares the two trees); see [`Site::nav_built`].
pub fn build_for(source: Source, focus: &[VersionId], diags: &mut Diagnostics) -> Site {
    let Source { root, config, versions: vfiles, articles: files, assets, theme, unreadable } = source;
    let versions = build_versions(&vfiles, diags);
    let known: HashMap<&str, &Version> = versions.iter().map(|v| (v.id.as_str(), v)).collect();
    let built: Vec<&Version> = versions.iter().filter(|v| v.is_built()).collect();
    let built_ids: Vec<&VersionId> = built.iter().map(|v| &v.id).collect();

    // Group files by slug.
    let mut by_slug: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if !is_safe_segment(&f.slug) || f.slug.contains("..") {
            diags.error(
                Location::file(&f.path),
                format!(
                    "slug '{}' may contain only letters, digits, '-', '_' and '.', and may not start with '.'",
                    f.slug
                ),
            );
            continue;
        }
        by_slug.entry(f.slug.clone()).or_default().push(i);
    }

    // Slugs that differ only in letter case name one file on Windows and macOS disks
    // (where many readers open the manual): `Install.html` would overwrite `install.html`.
    let mut by_lower: BTreeMap<String, &str> = BTreeMap::new();
    for (slug, idxs) in &by_slug {
        match by_lower.get(&slug.to_lowercase()) {
            Some(first) => {
                let other = &files[by_slug[*first][0]].path;
                for &i in idxs {
                    diags.error(
                        Location::file(&files[i].path),
                        format!(
                            "slug '{slug}' differs from '{first}' ({}) only in letter case: their pages would be one file on Windows and macOS disks; rename one",
                            other.display()
                        ),
                    );
                }
            }
            None => {
                by_lower.insert(slug.to_lowercase(), slug);
            }
        }
    }

    let mut articles: BTreeMap<ArticleId, Article> = BTreeMap::new();
    for (slug, idxs) in &by_slug {
        if let Some(a) = build_article(slug, idxs, &files, &known, &built, diags) {
            articles.insert(a.id.clone(), a);
        }
    }

    // Only-blocks, parsed once per file (in parallel: files are independent), reported
    // in file order.
    let parsed: Vec<Result<only::OnlyBlocks, Vec<only::OnlyError>>> =
        files.par_iter().map(|f| only::parse(&f.body)).collect();
    let mut blocks: Vec<Option<only::OnlyBlocks>> = Vec::with_capacity(files.len());
    for (f, parsed) in files.iter().zip(parsed) {
        match parsed {
            Ok(b) => {
                for blk in &b.blocks {
                    for v in [&blk.range.from, &blk.range.to].into_iter().flatten() {
                        if !known.contains_key(v.as_str()) {
                            diags.error(
                                Location::line(&f.path, f.body_line + blk.open as u32),
                                format!("unknown version '{v}' in only-block (known: {})", describe_known(&versions)),
                            );
                        }
                    }
                    if let (Some(a), Some(b)) = (&blk.range.from, &blk.range.to) {
                        if VersionId::new(a.as_str()) > VersionId::new(b.as_str()) {
                            diags.error(
                                Location::line(&f.path, f.body_line + blk.open as u32),
                                format!("only-block range {a}..{b} is empty: {a} is after {b}"),
                            );
                        }
                    }
                }
                blocks.push(Some(b));
            }
            Err(errs) => {
                for (line, msg) in errs {
                    diags.error(Location::line(&f.path, f.body_line + line as u32), msg);
                }
                blocks.push(None);
            }
        }
    }

    // Positions in the ordered version list, computed once so resolving 30 versions of
    // thousands of articles compares integers, not version names.
    // Names of known versions are looked up (comparing version names parses them);
    // others (already reported) are placed by comparison.
    let all_ids: Vec<&VersionId> = versions.iter().map(|v| &v.id).collect();
    let mut known_pos: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, id) in all_ids.iter().enumerate() {
        known_pos.entry(id.as_str()).and_modify(|e| e.1 = i + 1).or_insert((i, i + 1));
    }
    let below = |name: &str| match known_pos.get(name) {
        Some(&(first, _)) => first,
        None => {
            let v = VersionId::new(name);
            all_ids.partition_point(|x| **x < v)
        }
    };
    let up_to = |name: &str| match known_pos.get(name) {
        Some(&(_, after)) => after,
        None => {
            let v = VersionId::new(name);
            all_ids.partition_point(|x| **x <= v)
        }
    };
    let built_pos: Vec<usize> =
        built.iter().map(|b| all_ids.iter().position(|x| **x == b.id).expect("built versions are versions")).collect();
    let file_start: Vec<usize> = files.iter().map(|f| f.at.as_deref().map(below).unwrap_or(0)).collect();
    let block_ranges: Vec<Vec<(usize, usize)>> = blocks
        .iter()
        .map(|b| match b {
            Some(b) => b
                .blocks
                .iter()
                .map(|blk| {
                    (
                        blk.range.from.as_deref().map(below).unwrap_or(0),
                        blk.range.to.as_deref().map(up_to).unwrap_or(all_ids.len()),
                    )
                })
                .collect(),
            None => Vec::new(),
        })
        .collect();

    // Resolve every article in every version. Articles are independent (a body belongs
    // to one file, a file to one article), so this runs in parallel per article.
    let mut resolved: Vec<Resolved> = articles
        .values()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|a| {
            let bounds = (
                a.since.as_ref().map(|s| below(s.as_str())).unwrap_or(0),
                a.until.as_ref().map(|u| up_to(u.as_str())).unwrap_or(all_ids.len()),
            );
            resolve_article(a, bounds, &built_pos, &files, &file_start, &blocks, &block_ranges)
        })
        .collect();
    // Bodies are numbered as they are first met going through the versions, oldest first,
    // and their articles in slug order.
    let mut local: Vec<Vec<Option<Body>>> =
        resolved.iter_mut().map(|r| std::mem::take(&mut r.bodies).into_iter().map(Some).collect()).collect();
    let mut numbers: Vec<Vec<usize>> = local.iter().map(|l| vec![usize::MAX; l.len()]).collect();
    let mut bodies: Vec<Body> = Vec::new();
    for vi in 0..built.len() {
        for (ai, r) in resolved.iter().enumerate() {
            let Some((_, lb)) = r.pages[vi] else { continue };
            if numbers[ai][lb] == usize::MAX {
                numbers[ai][lb] = bodies.len();
                bodies.push(local[ai][lb].take().expect("each body is numbered once"));
            }
        }
    }
    // Each version's pages, in parallel (slug order, so the maps are built from sorted
    // input).
    let mut views: Vec<VersionView> = built
        .par_iter()
        .enumerate()
        .map(|(vi, v)| {
            let pages: BTreeMap<ArticleId, Page> = articles
                .values()
                .zip(&resolved)
                .zip(&numbers)
                .filter_map(|((a, r), n)| {
                    let (fi, lb) = r.pages[vi]?;
                    Some((a.id.clone(), page_of(a, fi, &files[fi], n[lb], &articles)))
                })
                .collect();
            VersionView { version: (*v).clone(), pages, nav: NavTree::default(), home: None }
        })
        .collect();
    for (a, r) in articles.values_mut().zip(&mut resolved) {
        a.presence = std::mem::take(&mut r.presence);
    }

    let aliases = build_aliases(&articles, &files, &built_ids, diags);

    // Parents are checked in every version; trees are made where they are needed.
    let nav_built: Vec<bool> = (0..built.len())
        .map(|vi| focus.is_empty() || built[vi..].iter().take(2).any(|v| focus.contains(&v.id)))
        .collect();
    let input = nav::Input::new(&articles, &aliases, &files, &unreadable);
    let trees: Vec<(Option<NavTree>, PerVersion)> = (0..built.len())
        .into_par_iter()
        .map(|vi| {
            let mut per = PerVersion::default();
            let chosen: Vec<Option<usize>> = resolved.iter().map(|r| r.pages[vi].map(|(fi, _)| fi)).collect();
            let parents = input.parents(vi, &chosen, &mut per, &built_ids);
            let tree = nav_built[vi].then(|| input.tree(&chosen, parents));
            (tree, per)
        })
        .collect();
    let mut per = PerVersion::default();
    for (view, (tree, p)) in views.iter_mut().zip(trees) {
        if let Some(tree) = tree {
            view.nav = tree;
            view.home = choose_home(&config, view);
        }
        per.merge(p);
    }
    per.finish(&built_ids, diags);
    if let Some(home) = &config.home {
        if !articles.contains_key(&ArticleId::new(home.as_str())) {
            diags.error(Location::file("manual.yaml"), format!("home '{home}' is not an article"));
        }
    }

    // An article named `index` is written as its version's index.html: the home page.
    let index_id = ArticleId::new("index");
    if let (Some(a), Some(home)) = (articles.get(&index_id), &config.home) {
        if home != "index"
            && views
                .iter()
                .any(|v| v.pages.contains_key(&index_id) && v.pages.contains_key(&ArticleId::new(home.as_str())))
        {
            diags.error(
                Location::file(&files[a.files[0]].path),
                format!(
                    "an article named 'index' is its version's index.html, the home page, but manual.yaml makes '{home}' the home: make 'index' the home or rename the article"
                ),
            );
        }
    }

    let media = assets::build(&assets, &versions, &built, diags);
    let index = Index::new(&articles, &aliases, built.len());
    let own = OwnPages::new(|n| articles.contains_key(&ArticleId::new(n)) || aliases.contains_key(n));
    Site {
        config,
        root,
        versions,
        views,
        files,
        articles,
        aliases,
        bodies,
        assets,
        media,
        theme,
        nav_built,
        unreadable,
        own,
        index,
    }
}

/// One article resolved in every built version.
struct Resolved {
    /// For each built version: whether the article exists there.
    presence: Vec<bool>,
    /// For each built version: the file that applies and the body (index into `bodies`).
    pages: Vec<Option<(usize, usize)>>,
    /// The article's distinct resolved sources.
    bodies: Vec<Body>,
}

/// Resolves article `a` in every built version (`built_pos`: their positions among all
/// versions): the revision that applies, and its text after only-blocks, one [`Body`]
/// per distinct (file, active blocks). `bounds` are the positions from `since` up to
/// (not including) the one after `until`.
fn resolve_article(
    a: &Article,
    (lo, hi): (usize, usize),
    built_pos: &[usize],
    files: &[ArticleFile],
    file_start: &[usize],
    blocks: &[Option<only::OnlyBlocks>],
    block_ranges: &[Vec<(usize, usize)>],
) -> Resolved {
    let n = built_pos.len();
    let mut r = Resolved { presence: vec![false; n], pages: vec![None; n], bodies: Vec::new() };
    let mut keys: Vec<(usize, Vec<bool>)> = Vec::new();
    for (vi, &p) in built_pos.iter().enumerate() {
        if p < lo || p >= hi {
            continue;
        }
        let mut chosen = None;
        for &fi in &a.files {
            if file_start[fi] <= p {
                chosen = Some(fi);
            } else {
                break;
            }
        }
        let Some(fi) = chosen else { continue };
        let f = &files[fi];
        if f.front.removed {
            continue;
        }
        r.presence[vi] = true;
        let active: Vec<bool> = block_ranges[fi].iter().map(|&(from, to)| from <= p && p < to).collect();
        let body = match keys.iter().position(|(kf, ka)| *kf == fi && *ka == active) {
            Some(k) => k,
            None => {
                let (text, line_map) = resolve_body(blocks[fi].as_ref(), &f.body, f.body_line, &active);
                r.bodies.push(Body { file: fi, text, line_map });
                keys.push((fi, active));
                keys.len() - 1
            }
        };
        r.pages[vi] = Some((fi, body));
    }
    r
}

/// A file's body with the only-blocks `active` applied, and the file line of each of its
/// lines (the body starts at line `body_line`). Without only-blocks (or with broken ones,
/// which are reported) the body is the file's text itself, shared, not copied.
pub(crate) fn resolve_body(
    blocks: Option<&only::OnlyBlocks>,
    body: &Arc<str>,
    body_line: u32,
    active: &[bool],
) -> (Arc<str>, Vec<u32>) {
    match blocks {
        Some(b) if !b.blocks.is_empty() => {
            let (text, map) = b.resolve(body, active);
            (Arc::from(text), map.into_iter().map(|l| body_line + l).collect())
        }
        _ => (body.clone(), (0..body.lines().count() as u32).map(|l| body_line + l).collect()),
    }
}

/// Article `a`'s page from file `fi`; the parent's id is shared with `articles` when
/// the parent exists (a missing parent is reported by the nav tree).
fn page_of(a: &Article, fi: usize, f: &ArticleFile, body: usize, articles: &BTreeMap<ArticleId, Article>) -> Page {
    let parent = f.front.parent.as_deref().map(|p| match articles.get_key_value(p) {
        Some((id, _)) => id.clone(),
        None => ArticleId::new(p),
    });
    Page {
        id: a.id.clone(),
        file: fi,
        title: f.front.title.clone().unwrap_or_default(),
        parent,
        order: f.front.order,
        keywords: f.front.keywords.clone(),
        body,
    }
}

/// The version's home: an article named `index` (its page is index.html), else `home`
/// from manual.yaml where the version has it, else the first top-level article.
fn choose_home(config: &ManualConfig, view: &VersionView) -> Option<ArticleId> {
    let index = ArticleId::new("index");
    if view.pages.contains_key(&index) {
        return Some(index);
    }
    if let Some(h) = &config.home {
        let id = ArticleId::new(h.as_str());
        if view.pages.contains_key(&id) {
            return Some(id);
        }
    }
    view.nav.roots.first().cloned()
}

fn describe_known(versions: &[Version]) -> String {
    match (versions.first(), versions.last()) {
        (Some(a), Some(b)) if a.id != b.id => format!("{}..{}", a.id, b.id),
        (Some(a), _) => a.id.to_string(),
        _ => "none".to_string(),
    }
}

fn build_versions(vfiles: &[crate::load::VersionFile], diags: &mut Diagnostics) -> Vec<Version> {
    let mut versions: Vec<Version> = Vec::new();
    for vf in vfiles {
        let name = vf.name.trim();
        if name.is_empty() || !is_safe_segment(name) {
            diags.error(
                Location::file(&vf.path),
                format!("version name '{name}' (the file stem) may contain only letters, digits, '.', '-' and '_'"),
            );
            continue;
        }
        let spec = &vf.spec;
        let path = spec.path.clone().unwrap_or_else(|| format!("v{name}"));
        if spec.url.is_none() && (!is_safe_segment(&path) || RESERVED_PATHS.contains(&path.as_str())) {
            diags.error(
                Location::file(&vf.path),
                format!(
                    "output path '{path}' must be one folder name of letters, digits, '.', '-' and '_' inside the output folder (and not one of {})",
                    RESERVED_PATHS.join(", ")
                ),
            );
            continue;
        }
        let status = spec.status.clone().unwrap_or_default();
        if !status.is_empty() && !["current", "supported", "archived"].contains(&status.as_str()) {
            diags.error(
                Location::file(&vf.path),
                format!("status '{status}' must be one of current, supported, archived"),
            );
        }
        versions.push(Version {
            id: VersionId::new(name),
            label: spec.label.clone().unwrap_or_else(|| format!("v{name}")),
            path,
            released: spec.released.clone(),
            status,
            url: spec.url.clone(),
            file: vf.path.clone(),
        });
    }
    versions.sort_by(|a, b| a.id.cmp(&b.id));
    // `1.0`, `1.00` and `01.0` are one version number: ranges, `since` and `@` suffixes
    // could not tell them apart.
    for pair in versions.windows(2) {
        if pair[0].id.same_number(&pair[1].id) {
            diags.error(
                Location::file(&pair[1].file),
                format!(
                    "version '{}' is the same version number as '{}' ({}): rename or remove one",
                    pair[1].id,
                    pair[0].id,
                    pair[0].file.display()
                ),
            );
        }
    }
    let mut seen_paths: HashMap<String, PathBuf> = HashMap::new();
    for v in &versions {
        if !v.is_built() {
            continue;
        }
        if let Some(other) = seen_paths.insert(v.path.clone(), v.file.clone()) {
            diags.error(
                Location::file(&v.file),
                format!("output path '{}' is also used by {}", v.path, other.display()),
            );
        }
    }
    let latest = versions.iter().rev().find(|v| v.is_built()).map(|v| v.id.clone());
    for v in &mut versions {
        if v.status.is_empty() {
            v.status = if Some(&v.id) == latest.as_ref() || !v.is_built() { "current" } else { "archived" }.to_string();
        }
    }
    if !versions.iter().any(|v| v.is_built()) && !vfiles.is_empty() {
        diags.error(Location::file("versions"), "no version to build: every version has a 'url'");
    }
    versions
}

fn build_article(
    slug: &str,
    idxs: &[usize],
    files: &[ArticleFile],
    known: &HashMap<&str, &Version>,
    built: &[&Version],
    diags: &mut Diagnostics,
) -> Option<Article> {
    let mut base: Option<usize> = None;
    let mut revs: BTreeMap<VersionId, usize> = BTreeMap::new();
    let mut ok = true;
    for &i in idxs {
        let f = &files[i];
        match &f.at {
            None => match base {
                None => base = Some(i),
                Some(b) => {
                    diags.error(
                        Location::file(&f.path),
                        format!("duplicate slug '{slug}': also defined by {}", files[b].path.display()),
                    );
                    ok = false;
                }
            },
            Some(v) => {
                if !known.contains_key(v.as_str()) {
                    diags.error(
                        Location::file(&f.path),
                        format!("unknown version '{v}' after '@' in the file name (no versions/{v}.yaml)"),
                    );
                    ok = false;
                    continue;
                }
                match revs.get(&VersionId::new(v.as_str())) {
                    Some(&other) => {
                        diags.error(
                            Location::file(&f.path),
                            format!(
                                "duplicate revision of '{slug}' for version {v}: also {}",
                                files[other].path.display()
                            ),
                        );
                        ok = false;
                    }
                    None => {
                        revs.insert(VersionId::new(v.as_str()), i);
                    }
                }
            }
        }
    }

    // Article-level keys must agree between files.
    let mut since: Option<(String, usize)> = None;
    let mut until: Option<(String, usize)> = None;
    let mut aliases: Option<(Vec<String>, usize)> = None;
    for &i in idxs {
        let f = &files[i];
        for (key, val, slot) in [("since", &f.front.since, &mut since), ("until", &f.front.until, &mut until)] {
            let Some(val) = val else { continue };
            if !known.contains_key(val.as_str()) {
                diags.error(
                    Location::line(&f.path, f.front.line_of(key)),
                    format!("unknown version '{val}' in '{key}' (no versions/{val}.yaml)"),
                );
                ok = false;
                continue;
            }
            match slot {
                None => *slot = Some((val.clone(), i)),
                Some((other, oi)) if other != val => {
                    diags.error(
                        Location::line(&f.path, f.front.line_of(key)),
                        format!(
                            "'{key}: {val}' disagrees with '{key}: {other}' in {}; '{key}' belongs to the whole article",
                            files[*oi].path.display()
                        ),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
        if let Some(list) = &f.front.aliases {
            let mut sorted = list.clone();
            sorted.sort();
            sorted.dedup();
            match &aliases {
                None => aliases = Some((sorted, i)),
                Some((other, oi)) if *other != sorted => {
                    diags.error(
                        Location::line(&f.path, f.front.line_of("aliases")),
                        format!(
                            "'aliases' disagree with those in {}; 'aliases' belong to the whole article",
                            files[*oi].path.display()
                        ),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
    }
    let since_id = since.as_ref().map(|(s, _)| VersionId::new(s.as_str()));
    let until_id = until.as_ref().map(|(s, _)| VersionId::new(s.as_str()));
    if let (Some(s), Some(u)) = (&since_id, &until_id) {
        if s > u {
            let (_, fi) = until.as_ref().expect("until is set");
            diags.error(
                Location::line(&files[*fi].path, files[*fi].front.line_of("until")),
                format!("'until: {u}' is before 'since: {s}'"),
            );
            ok = false;
        }
    }
    for (v, &i) in &revs {
        let f = &files[i];
        if since_id.as_ref().is_some_and(|s| v < s) {
            diags.error(
                Location::file(&f.path),
                format!(
                    "revision for {v} starts before the article exists (since {})",
                    since_id.as_ref().expect("checked")
                ),
            );
            ok = false;
        }
        if until_id.as_ref().is_some_and(|u| v > u) {
            diags.error(
                Location::file(&f.path),
                format!(
                    "revision for {v} starts after the article ends (until {})",
                    until_id.as_ref().expect("checked")
                ),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let mut ordered: Vec<usize> = base.into_iter().collect();
    ordered.extend(revs.values().copied());
    if let Some(first) = ordered.first().map(|&i| &files[i]) {
        if first.front.removed {
            diags.warning(
                Location::line(&first.path, first.front.line_of("removed")),
                format!(
                    "'removed: true' in the first file of '{slug}': the article has no page until a later revision brings it back"
                ),
            );
        }
    }
    Some(Article {
        id: ArticleId::new(slug),
        files: ordered,
        since: since_id,
        until: until_id,
        aliases: aliases.map(|(a, _)| a).unwrap_or_default(),
        presence: vec![false; built.len()],
    })
}

fn build_aliases(
    articles: &BTreeMap<ArticleId, Article>,
    files: &[ArticleFile],
    built_ids: &[&VersionId],
    diags: &mut Diagnostics,
) -> BTreeMap<String, ArticleId> {
    let mut out: BTreeMap<String, ArticleId> = BTreeMap::new();
    for a in articles.values() {
        let file_of_aliases =
            a.files.iter().map(|&i| &files[i]).find(|f| f.front.aliases.is_some()).unwrap_or(&files[a.files[0]]);
        let loc = Location::line(&file_of_aliases.path, file_of_aliases.front.line_of("aliases"));
        for alias in &a.aliases {
            if !is_safe_segment(alias) || RESERVED_SLUGS.contains(&alias.as_str()) {
                diags.error(
                    loc.clone(),
                    format!(
                        "alias '{alias}' may contain only letters, digits, '-', '_' and '.', and may not be {}",
                        RESERVED_SLUGS.join(", ")
                    ),
                );
                continue;
            }
            if alias == a.id.as_str() {
                diags.error(loc.clone(), format!("alias '{alias}' is the article's own slug"));
                continue;
            }
            // An alias may name an older article that has ended (a rename across
            // versions), but the two may not exist in the same version: the redirect
            // page would replace the article.
            if let Some(other) = articles.get(&ArticleId::new(alias.as_str())) {
                let both: Vec<bool> = a.presence.iter().zip(&other.presence).map(|(x, y)| *x && *y).collect();
                if both.iter().any(|b| *b) {
                    diags.error(
                        loc.clone(),
                        format!(
                            "alias '{alias}' is also the slug of an article that exists in the same versions ({})",
                            describe_ranges(built_ids, &both)
                        ),
                    );
                    continue;
                }
            }
            if let Some(other) = out.get(alias) {
                diags.error(loc.clone(), format!("alias '{alias}' is also an alias of '{other}'"));
                continue;
            }
            out.insert(alias.clone(), a.id.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_focused_model_has_every_page_and_only_the_trees_it_needs() {
        let (_dir, src) = source(&[
            ("versions/1.yaml", ""),
            ("versions/2.yaml", ""),
            ("versions/3.yaml", ""),
            ("versions/4.yaml", ""),
            ("articles/home.md", "---\ntitle: Home\n---\n<!-- only 2..3 -->\nx\n<!-- /only -->\n"),
            ("articles/old.md", "---\ntitle: Old\nparent: home\nuntil: \"2\"\n---\nsame\n"),
            ("articles/new.md", "---\ntitle: New\nparent: home\nsince: \"3\"\naliases: [old]\n---\nsame\n"),
        ]);
        let mut d1 = Diagnostics::new();
        let full = build(src.clone(), &mut d1);
        let mut d2 = Diagnostics::new();
        let part = build_for(src, &[VersionId::new("3")], &mut d2);
        assert_eq!(d1.sorted(), d2.sorted());
        assert_eq!(full.nav_built, [true; 4]);
        assert_eq!(part.nav_built, [false, true, true, false]);
        assert!(part.views[0].nav.order.is_empty() && part.views[0].home.is_none());
        assert_eq!(part.views[2].nav.order, full.views[2].nav.order);
        assert_eq!(part.views[1].nav.parent, full.views[1].nav.parent);
        assert_eq!(part.views[2].home, full.views[2].home);
        assert_eq!(full.bodies.len(), 4);
        for (a, b) in full.bodies.iter().zip(&part.bodies) {
            assert_eq!((a.file, &a.text, &a.line_map), (b.file, &b.text, &b.line_map));
        }
        for (a, b) in full.views.iter().zip(&part.views) {
            let ka: Vec<_> = a.pages.values().map(|p| (&p.id, p.file, p.body, &p.title)).collect();
            let kb: Vec<_> = b.pages.values().map(|p| (&p.id, p.file, p.body, &p.title)).collect();
            assert_eq!(ka, kb);
        }
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
}
