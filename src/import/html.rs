//! `folio import html`: one folder of HTML pages per release (a published manual's
//! snapshots). The steps, in order: read each snapshot ([`super::snapshot`]), read its
//! table of contents ([`super::toc`]), decide which pages are articles and which are
//! redirect stubs, place every article in each release's tree, convert each page's
//! content to Markdown with its links resolved for that release ([`super::convert`],
//! [`super::links`]), then find renames, merge and write as every importer does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use scraper::Selector;

use super::dedup::Doc;
use super::emit::{self, Report};
use super::links::{self, PageLinks, Release};
use super::snapshot::{self, PageKind, Selectors, Snapshot};
use super::{aliases, check_into, convert, same_dir, toc, tree, ImportError};
use crate::model::{is_safe_segment, VersionId};

/// Everything `folio import html` is told.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    /// (version name, snapshot folder), oldest first or in any order.
    pub versions: Vec<(String, PathBuf)>,
    pub into: PathBuf,
    pub content: Vec<String>,
    pub title: Vec<String>,
    pub title_prefix: Vec<String>,
    /// The TOC file, relative to each snapshot folder.
    pub toc: Option<String>,
    pub skip: Vec<String>,
    /// URL of the folder that holds the snapshots on the old site.
    pub site_url: Option<String>,
    pub manual_title: Option<String>,
}

/// Runs the HTML import; on success the tree is written and the report returned.
pub fn html(opts: &HtmlOptions) -> Result<Report, Vec<ImportError>> {
    let started = std::time::Instant::now();
    let (sel, versions) = check(opts)?;
    let mut errors = Vec::new();
    let mut snaps = Vec::new();
    for (name, dir) in &versions {
        match Snapshot::read(name, dir, &sel) {
            Ok(s) => snaps.push(s),
            Err(e) => errors.extend(e),
        }
    }
    let tocs = read_tocs(opts, &snaps, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let names: Vec<String> = snaps.iter().map(|s| s.version.clone()).collect();

    // Articles and stubs of each release.
    let (articles, stubs) = classify(&snaps);
    // Section slugs may not take any page's name, in any release.
    let page_slugs: BTreeSet<String> = snaps.iter().flat_map(|s| s.pages.keys().cloned()).collect();
    let resolvers: Vec<_> = snaps
        .iter()
        .enumerate()
        .map(|(vi, s)| {
            let (arts, stubs) = (&articles[vi], &stubs[vi]);
            move |href: &str| toc_target(s, arts, stubs, href)
        })
        .collect();
    let inputs: Vec<tree::VersionInput> = snaps
        .iter()
        .enumerate()
        .map(|(vi, s)| tree::VersionInput {
            name: &s.version,
            toc: tocs[vi].as_deref().unwrap_or(&[]),
            articles: &articles[vi],
            resolve: &resolvers[vi],
        })
        .collect();
    let trees = tree::build(&inputs, &page_slugs);

    // Every article of every release, converted.
    let site_url = opts.site_url.as_ref().map(|u| if u.ends_with('/') { u.clone() } else { format!("{u}/") });
    let releases: Vec<Release> = snaps
        .iter()
        .enumerate()
        .map(|(vi, snap)| Release { snap, articles: &articles[vi], stubs: &stubs[vi], site_url: site_url.as_deref() })
        .collect();
    let jobs: Vec<(usize, &String)> =
        articles.iter().enumerate().flat_map(|(vi, a)| a.iter().map(move |s| (vi, s))).collect();
    let converted: Vec<(usize, String, Doc, PageLinks)> = jobs
        .par_iter()
        .map(|&(vi, slug)| {
            let rel = &releases[vi];
            let page = &rel.snap.pages[slug];
            let mut links = PageLinks::new(rel, &page.file);
            let (title, body) = match &page.kind {
                PageKind::Content { title, html } => {
                    (title.clone(), convert::to_markdown(html, Some(title), &mut links))
                }
                PageKind::Stub { title, html, .. } => {
                    let body = convert::to_markdown(html, None, &mut links);
                    (title.clone().unwrap_or_else(|| stub_title(html, slug)), body)
                }
                PageKind::Skipped(_) => unreachable!("skipped pages are not articles"),
            };
            let place = trees.places.get(slug.as_str()).and_then(|p| p[vi].clone());
            let doc = Doc {
                title,
                parent: place.as_ref().and_then(|p| p.parent.clone()),
                order: place.map(|p| p.order),
                body,
            };
            (vi, slug.clone(), doc, links)
        })
        .collect();

    let n = snaps.len();
    let mut docs: BTreeMap<String, Vec<Option<Doc>>> = BTreeMap::new();
    let mut report = Report::default();
    for (vi, slug, doc, links) in converted {
        report.add_links(&links);
        docs.entry(slug).or_insert_with(|| vec![None; n])[vi] = Some(doc);
    }
    trees.add_sections(&mut docs, n);

    let aliases = aliases(&docs, &stubs, &trees.sections, &mut report);
    let home = tocs.last().and_then(|t| t.as_ref()).and_then(|t| {
        let last = names.len() - 1;
        t.iter().find_map(|e| e.href.as_deref().and_then(|h| resolvers[last](h).ok()))
    });

    report.fill(&snaps, &trees, &opts.into);
    let uses = std::mem::take(&mut report.asset_uses);
    let files: Vec<_> = snaps.iter().map(|s| &s.files).collect();
    let mut tree = emit::Tree::assemble(&files, &docs, &aliases, &uses, &names, &mut report);
    let manual_title = opts.manual_title.clone().unwrap_or_else(|| "Manual".to_string());
    let mut taken = BTreeSet::new();
    let outs: Vec<emit::VersionOut> = snaps
        .iter()
        .zip(report.versions.iter_mut())
        .map(|(s, v)| {
            v.path = emit::usable_path(&s.folder, &mut taken);
            emit::VersionOut { name: s.version.clone(), path: v.path.clone(), ..Default::default() }
        })
        .collect();
    tree.versions = outs;
    tree.title = manual_title;
    tree.home = home;
    emit::write(&opts.into, &tree, &mut report)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// (version name, snapshot folder), oldest first.
type Releases = Vec<(String, PathBuf)>;

/// Validates the options: selectors, version names and folders, the target folder.
fn check(opts: &HtmlOptions) -> Result<(Selectors, Releases), Vec<ImportError>> {
    let none = Path::new("");
    let mut errors = Vec::new();
    let parse = |list: &[String], errors: &mut Vec<ImportError>| -> Vec<Selector> {
        list.iter()
            .filter_map(|s| match Selector::parse(s) {
                Ok(sel) => Some(sel),
                Err(e) => {
                    errors.push(ImportError::usage(none, format!("invalid CSS selector '{s}': {e}")));
                    None
                }
            })
            .collect()
    };
    let content = parse(&opts.content, &mut errors);
    let title = parse(&opts.title, &mut errors);
    if opts.content.is_empty() {
        errors.push(ImportError::usage(none, "give at least one --content selector"));
    }
    if opts.versions.is_empty() {
        errors.push(ImportError::usage(none, "give at least one --version NAME=FOLDER"));
    }
    let mut versions: Vec<(String, PathBuf)> = Vec::new();
    for (name, dir) in &opts.versions {
        if !is_safe_segment(name) {
            errors.push(ImportError::usage(
                dir,
                format!("version name '{name}' must be letters, digits, '.', '-' or '_'"),
            ));
        } else if let Some((other, _)) =
            versions.iter().find(|(o, _)| VersionId::new(o.as_str()).same_number(&VersionId::new(name.as_str())))
        {
            errors.push(ImportError::usage(dir, format!("version '{name}' is named twice (also '{other}')")));
        }
        if !dir.is_dir() {
            errors.push(ImportError::usage(dir, "snapshot folder does not exist or is not a folder"));
        } else if versions.iter().any(|(_, d)| same_dir(d, dir)) {
            errors.push(ImportError::usage(dir, "the same snapshot folder is given for two versions"));
        }
        versions.push((name.clone(), dir.clone()));
    }
    versions.sort_by(|a, b| VersionId::new(a.0.as_str()).cmp(&VersionId::new(b.0.as_str())));
    check_into(&opts.into, &mut errors);
    for (_, dir) in &versions {
        if let (Ok(a), Some(Ok(b))) = (dir.canonicalize(), opts.into.parent().map(|p| p.canonicalize())) {
            if b.starts_with(&a) {
                errors.push(ImportError::usage(&opts.into, "--into may not lie inside a snapshot folder"));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let sel = Selectors { content, title, title_prefix: opts.title_prefix.clone(), skip: opts.skip.clone() };
    Ok((sel, versions))
}

/// Each release's table of contents; a missing or empty one is an error naming it.
fn read_tocs(opts: &HtmlOptions, snaps: &[Snapshot], errors: &mut Vec<ImportError>) -> Vec<Option<Vec<toc::Entry>>> {
    snaps
        .iter()
        .map(|s| {
            let rel = opts.toc.as_ref()?;
            let path = s.dir.join(rel);
            match std::fs::read(&path) {
                Ok(raw) => {
                    let text = snapshot::decode(&raw);
                    let js = rel.to_ascii_lowercase().ends_with(".js");
                    let t = toc::parse(&text, js);
                    if t.is_none() {
                        errors.push(ImportError::io(&path, "no table of contents found (no list of entries)".into()));
                    }
                    t
                }
                Err(e) => {
                    errors.push(ImportError::io(&path, format!("no table of contents found: {e}")));
                    None
                }
            }
        })
        .collect()
}

/// Per release: the slugs that are articles (content pages, and stubs that do not lead
/// to a page of the same release), and the stubs that do (stub → target).
fn classify(snaps: &[Snapshot]) -> (Vec<BTreeSet<String>>, Vec<BTreeMap<String, String>>) {
    let mut all_articles = Vec::new();
    let mut all_stubs = Vec::new();
    for s in snaps {
        let content: BTreeSet<String> = s
            .pages
            .iter()
            .filter(|(_, p)| matches!(p.kind, PageKind::Content { .. }))
            .map(|(k, _)| k.clone())
            .collect();
        let mut stubs = BTreeMap::new();
        let mut articles = content.clone();
        for (slug, page) in &s.pages {
            let PageKind::Stub { url, .. } = &page.kind else { continue };
            match follow_stub(s, url, &content) {
                Some(target) if &target != slug => {
                    stubs.insert(slug.clone(), target);
                }
                _ => {
                    articles.insert(slug.clone());
                }
            }
        }
        all_articles.push(articles);
        all_stubs.push(stubs);
    }
    (all_articles, all_stubs)
}

/// The content page a stub's URL leads to in the same snapshot, through further stubs.
fn follow_stub(s: &Snapshot, url: &str, content: &BTreeSet<String>) -> Option<String> {
    let mut url = url.to_string();
    for _ in 0..8 {
        let path = url.split(['#', '?']).next().unwrap_or("");
        let rel = links::normalize(&format!("{}/{path}", s.folder))?;
        let rel = rel.strip_prefix(&format!("{}/", s.folder))?.to_string();
        let stem = rel.strip_suffix(".html").or_else(|| rel.strip_suffix(".htm"))?;
        let slug = s.slug_of(stem)?;
        if content.contains(slug) {
            return Some(slug.to_string());
        }
        match &s.pages.get(slug)?.kind {
            PageKind::Stub { url: next, .. } => url = next.clone(),
            _ => return None,
        }
    }
    None
}

/// The article a TOC link leads to in a release, or why it leads to none.
fn toc_target(
    s: &Snapshot,
    articles: &BTreeSet<String>,
    stubs: &BTreeMap<String, String>,
    href: &str,
) -> Result<String, String> {
    let path = href.split(['#', '?']).next().unwrap_or("");
    let rel = links::normalize(&format!("{}/{path}", s.folder)).ok_or("leads above the site's root")?;
    let Some(rel) = rel.strip_prefix(&format!("{}/", s.folder)) else {
        return Err("leads outside the snapshot".to_string());
    };
    let stem = rel.rsplit_once('.').map(|(a, _)| a).unwrap_or(rel);
    let Some(slug) = s.slug_of(stem) else { return Err("no such page in this release".to_string()) };
    if articles.contains(slug) {
        return Ok(slug.to_string());
    }
    if let Some(t) = stubs.get(slug) {
        return Err(format!("a redirect stub to '{t}'"));
    }
    match s.pages.get(slug).map(|p| &p.kind) {
        Some(PageKind::Skipped(why)) => Err(format!("the page is skipped: {why}")),
        _ => Err("no such page in this release".to_string()),
    }
}

/// A stub's title when it has no `<title>`: its link's text, else its slug.
fn stub_title(html: &str, slug: &str) -> String {
    let doc = scraper::Html::parse_fragment(html);
    let a = Selector::parse("a").expect("valid selector");
    doc.select(&a)
        .map(|e| convert::normalize_space(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| slug.to_string())
}
