//! Building the model: every version's pages, bodies, nav tree and home from the
//! loaded source, with every problem reported at once.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostics, Location};
use crate::load::{ArticleFile, ManualConfig, Source};

use super::articles::{build_aliases, build_article};
use super::versions::{build_versions, describe_known};
use super::*;

/// Builds the model of every version: pages, bodies, nav trees and homes; problems go
/// into `diags`. Every version is resolved and validated, also for a build that writes
/// only some of them, since version menus, "Changed in" lists, the manual's timeline and
/// messages look into all of them.
pub fn build(source: Source, diags: &mut Diagnostics) -> Site {
    let Source { root, config, versions: vfiles, articles: files, assets, theme, unreadable } = source;
    let versions = build_versions(&vfiles, diags);
    if let Some(folder) = &config.current {
        if let Some(v) = versions.iter().find(|v| v.url.is_none() && &v.path == folder) {
            diags.error(
                Location::file("manual.yaml"),
                format!("current '{folder}' is the output folder of version {}; choose another name", v.id),
            );
        }
    }
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
                    Some((a.id.clone(), page_of(a, fi, &files[fi], BodyId(n[lb]), &articles)))
                })
                .collect();
            VersionView { version: (*v).clone(), pages, nav: NavTree::default(), home: None }
        })
        .collect();
    for (a, r) in articles.values_mut().zip(&mut resolved) {
        a.presence = std::mem::take(&mut r.presence);
    }

    let aliases = build_aliases(&articles, &files, &built_ids, diags);

    let input = nav::Input::new(&articles, &aliases, &files, &unreadable);
    let trees: Vec<(NavTree, PerVersion)> = (0..built.len())
        .into_par_iter()
        .map(|vi| {
            let mut per = PerVersion::default();
            let chosen: Vec<Option<usize>> = resolved.iter().map(|r| r.pages[vi].map(|(fi, _)| fi)).collect();
            let parents = input.parents(vi, &chosen, &mut per, &built_ids);
            (input.tree(&chosen, parents), per)
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
fn page_of(a: &Article, fi: usize, f: &ArticleFile, body: BodyId, articles: &BTreeMap<ArticleId, Article>) -> Page {
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
