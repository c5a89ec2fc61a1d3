//! The model: versions, articles and what each version of the manual contains.
//!
//! Plain data built from [`crate::load::Source`] with no IO and no templates: for every
//! built version, which revision of each article applies, its resolved source (after
//! only-blocks) and the nav tree. Each distinct resolved source is stored once in
//! [`Site::bodies`] and shared by every version where it applies, so later stages parse
//! and render it once. `diff` and the tests use the model directly.

pub mod ids;
pub mod nav;
pub mod only;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::{Diagnostics, Location};
use crate::load::{ArticleFile, AssetFile, ManualConfig, Source, ThemeFiles};

pub use ids::{is_safe_segment, ArticleId, VersionId};
pub use nav::NavTree;

/// Output folder names folio uses itself at the top of the site.
pub const RESERVED_PATHS: &[&str] = &["assets", "media", "index.html", "versions.json", "sitemap.xml", "404.html"];

/// Slugs folio uses for its own pages in every version folder.
pub const RESERVED_SLUGS: &[&str] = &["index", "search", "changes", "404", "diff"];

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
    pub text: String,
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
    pub theme: ThemeFiles,
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
        let view = &self.views[vi];
        if let Some((id, _)) = view.pages.get_key_value(slug) {
            return Some(id);
        }
        let target = self.aliases.get(slug)?;
        view.pages.get_key_value(target).map(|(id, _)| id)
    }

    /// The page that stands for article `id` in built version `vi`, following renames
    /// both ways: the article itself, its successor (an article with `id` among its
    /// aliases), or a predecessor (one of its aliases that was an article there).
    pub fn counterpart_in(&self, id: &ArticleId, vi: usize) -> Option<&ArticleId> {
        let view = &self.views[vi];
        if let Some((k, _)) = view.pages.get_key_value(id) {
            return Some(k);
        }
        if let Some(succ) = self.aliases.get(id.as_str()) {
            if let Some((k, _)) = view.pages.get_key_value(succ) {
                return Some(k);
            }
        }
        let article = self.articles.get(id)?;
        article.aliases.iter().find_map(|a| view.pages.get_key_value(a.as_str()).map(|(k, _)| k))
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

/// Builds the model; problems go into `diags`.
pub fn build(source: Source, diags: &mut Diagnostics) -> Site {
    let Source { root, config, versions: vfiles, articles: files, assets, theme } = source;
    let versions = build_versions(&vfiles, diags);
    let known: HashMap<&str, &Version> = versions.iter().map(|v| (v.id.as_str(), v)).collect();
    let built: Vec<&Version> = versions.iter().filter(|v| v.is_built()).collect();
    let built_ids: Vec<&VersionId> = built.iter().map(|v| &v.id).collect();

    // Group files by slug.
    let mut by_slug: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if RESERVED_SLUGS.contains(&f.slug.as_str()) {
            diags.error(
                Location::file(&f.path),
                format!("slug '{}' is reserved: folio writes its own {}.html in every version", f.slug, f.slug),
            );
            continue;
        }
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

    let mut articles: BTreeMap<ArticleId, Article> = BTreeMap::new();
    for (slug, idxs) in &by_slug {
        if let Some(a) = build_article(slug, idxs, &files, &known, &built, diags) {
            articles.insert(a.id.clone(), a);
        }
    }

    // Only-blocks, parsed once per file.
    let mut blocks: Vec<Option<only::OnlyBlocks>> = Vec::with_capacity(files.len());
    for f in &files {
        match only::parse(&f.body) {
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
    let all_ids: Vec<&VersionId> = versions.iter().map(|v| &v.id).collect();
    let below = |name: &str| {
        let v = VersionId::new(name);
        all_ids.partition_point(|x| **x < v)
    };
    let up_to = |name: &str| {
        let v = VersionId::new(name);
        all_ids.partition_point(|x| **x <= v)
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
    let bounds: Vec<(usize, usize)> = articles
        .values()
        .map(|a| {
            (
                a.since.as_ref().map(|s| below(s.as_str())).unwrap_or(0),
                a.until.as_ref().map(|u| up_to(u.as_str())).unwrap_or(all_ids.len()),
            )
        })
        .collect();

    // Resolve every version.
    let mut bodies: Vec<Body> = Vec::new();
    let mut body_ids: HashMap<(usize, Vec<bool>), usize> = HashMap::new();
    let mut views = Vec::with_capacity(built.len());
    for (vi, v) in built.iter().enumerate() {
        let p = built_pos[vi];
        let mut pages = BTreeMap::new();
        for (a, &(lo, hi)) in articles.values_mut().zip(&bounds) {
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
            a.presence[vi] = true;
            let active: Vec<bool> = block_ranges[fi].iter().map(|&(from, to)| from <= p && p < to).collect();
            let key = (fi, active);
            let body = match body_ids.get(&key) {
                Some(&id) => id,
                None => {
                    let (text, line_map) = match &blocks[fi] {
                        Some(b) => {
                            let (text, map) = b.resolve(&f.body, &key.1);
                            (text, map.into_iter().map(|l| f.body_line + l).collect())
                        }
                        // Broken only-blocks were reported; the raw text stands in.
                        None => (f.body.clone(), line_map(&f.body, f.body_line)),
                    };
                    bodies.push(Body { file: fi, text, line_map });
                    body_ids.insert(key, bodies.len() - 1);
                    bodies.len() - 1
                }
            };
            pages.insert(a.id.clone(), page_of(a, fi, f, body));
        }
        views.push(VersionView { version: (*v).clone(), pages, nav: NavTree::default(), home: None });
    }

    let aliases = build_aliases(&articles, &files, &built_ids, diags);
    // Each version's tree is independent of the others: build them in parallel.
    let trees: Vec<(NavTree, PerVersion)> = views
        .par_iter()
        .enumerate()
        .map(|(vi, view)| {
            let mut per = PerVersion::default();
            let tree = nav::build(view, vi, &articles, &aliases, &files, &mut per, &built_ids);
            (tree, per)
        })
        .collect();
    let mut per = PerVersion::default();
    for (view, (tree, p)) in views.iter_mut().zip(trees) {
        view.nav = tree;
        view.home = choose_home(&config, view);
        per.merge(p);
    }
    per.finish(&built_ids, diags);
    if let Some(home) = &config.home {
        if !articles.contains_key(&ArticleId::new(home.as_str())) {
            diags.error(Location::file("manual.yaml"), format!("home '{home}' is not an article"));
        }
    }

    Site { config, root, versions, views, files, articles, aliases, bodies, assets, theme }
}

fn line_map(body: &str, first: u32) -> Vec<u32> {
    (0..body.lines().count() as u32).map(|l| first + l).collect()
}

fn page_of(a: &Article, fi: usize, f: &ArticleFile, body: usize) -> Page {
    Page {
        id: a.id.clone(),
        file: fi,
        title: f.front.title.clone().unwrap_or_default(),
        parent: f.front.parent.as_ref().map(|p| ArticleId::new(p.as_str())),
        order: f.front.order,
        keywords: f.front.keywords.clone(),
        body,
    }
}

fn choose_home(config: &ManualConfig, view: &VersionView) -> Option<ArticleId> {
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
                        "alias '{alias}' may contain only letters, digits, '-', '_' and '.', and may not be one of {}",
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
}
