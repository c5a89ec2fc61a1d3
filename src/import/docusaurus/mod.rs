//! `folio import docusaurus`: a Docusaurus site's versioned docs (`versions.json`,
//! `versioned_docs/version-*/`, `versioned_sidebars/`, the current docs folder on
//! request, `archivedVersions.json`) become one folio source. Each release's docs are
//! read with their ids, titles and positions, its sidebars become the table of contents
//! ([`sidebar`]), each doc's MDX is converted with its links resolved for that release
//! ([`mdx`]); renames, merging and writing are shared with every importer.

mod links;
pub mod mdx;
pub mod sidebar;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;
use walkdir::WalkDir;

use super::dedup::Doc;
use super::emit::{self, Report, VersionOut};
use super::links::Reported;
use super::snapshot::usable_slug;
use super::{aliases, check_into, tree, ImportError};
use crate::model::VersionId;
use links::Host;

/// Everything `folio import docusaurus` is told.
#[derive(Debug, Clone, Default)]
pub struct DocusaurusOptions {
    /// The folder with `docusaurus.config.*` and `versions.json`.
    pub site: PathBuf,
    pub into: PathBuf,
    /// Import the current docs folder as this version (e.g. `next`).
    pub current: Option<String>,
    /// The current docs folder (default: `docs/` in the site, else beside it).
    pub docs: Option<PathBuf>,
    /// The published site's URL (default: `url` + `baseUrl` of the config).
    pub site_url: Option<String>,
    pub manual_title: Option<String>,
}

/// One doc of one release.
#[derive(Debug, Clone, Default)]
pub struct DocFile {
    /// Path under the release's docs folder, `/`-separated.
    pub rel: String,
    /// Docusaurus's id: folders (number prefixes stripped) and `id` or the file stem.
    pub id: String,
    pub position: Option<f64>,
    pub sidebar_label: Option<String>,
    pub title: String,
    /// The `slug` front matter: the doc's URL path, if set.
    pub url_slug: Option<String>,
    pub body: String,
}

/// One release: its docs folder, docs and sidebars.
pub(super) struct Release {
    pub(super) name: String,
    pub(super) label: String,
    pub(super) dir: PathBuf,
    pub(super) docs: Vec<DocFile>,
    sidebars: Option<Value>,
    /// Files a doc may use: docs-folder paths, and `static/…` for the site's static files.
    pub(super) files: BTreeMap<String, PathBuf>,
}

/// The parts of `docusaurus.config.*` the import uses.
#[derive(Debug, Default)]
struct Config {
    url: Option<String>,
    base_url: String,
    /// The docs plugin's `routeBasePath` (default `docs`).
    docs_route: String,
    title: Option<String>,
}

fn read_config(site: &Path) -> Config {
    let mut c = Config { base_url: "/".to_string(), docs_route: "docs".to_string(), ..Default::default() };
    for name in ["docusaurus.config.js", "docusaurus.config.mjs", "docusaurus.config.ts", "docusaurus.config.cjs"] {
        let Ok(text) = fs::read_to_string(site.join(name)) else { continue };
        let value = |key: &str, want: &dyn Fn(&str) -> bool| {
            let mut rest = text.as_str();
            while let Some(i) = rest.find(key) {
                let after = rest[i + key.len()..].trim_start();
                rest = &rest[i + key.len()..];
                let Some(q) = after.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) else { continue };
                let Some(end) = after[1..].find(q) else { continue };
                let v = &after[1..1 + end];
                if want(v) {
                    return Some(v.to_string());
                }
            }
            None
        };
        c.url = value("url:", &|v| v.starts_with("http"));
        c.base_url = value("baseUrl:", &|v| v.starts_with('/')).unwrap_or_else(|| "/".to_string());
        c.title = value("title:", &|v| !v.is_empty());
        c.docs_route =
            value("routeBasePath:", &|_| true).unwrap_or_else(|| "docs".to_string()).trim_matches('/').to_string();
        break;
    }
    c
}

/// Reads one release's docs (partials, `_`-prefixed files and folders, are not docs).
fn read_docs(dir: &Path, errors: &mut Vec<ImportError>) -> Vec<DocFile> {
    let mut docs = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name().follow_links(false) {
        let Ok(entry) = entry else { continue };
        let rel_path = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let parts: Vec<String> = rel_path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if parts.iter().any(|p| p.starts_with('_') || p.starts_with('.')) || !entry.file_type().is_file() {
            continue;
        }
        let rel = parts.join("/");
        let Some(stem) = rel.strip_suffix(".md").or_else(|| rel.strip_suffix(".mdx")) else { continue };
        let text = match fs::read_to_string(entry.path()) {
            Ok(t) => t.replace("\r\n", "\n"),
            Err(e) => {
                errors.push(ImportError::io(entry.path(), e.to_string()));
                continue;
            }
        };
        let (front, body) = match crate::load::split_front_matter(&text) {
            Some((yaml, body, _)) => match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
                Ok(v) => (v, body.to_string()),
                Err(e) => {
                    errors.push(ImportError::io(entry.path(), format!("front matter: {e}")));
                    continue;
                }
            },
            None => (serde_yaml::Value::Null, text.clone()),
        };
        let get = |k: &str| {
            front.get(k).and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_f64().map(|f| f.to_string())))
        };
        let folders: Vec<&str> = stem.split('/').collect();
        let (dirs, file) = folders.split_at(folders.len() - 1);
        let own = get("id").unwrap_or_else(|| sidebar::strip_number(file[0]).1.to_string());
        let mut id: Vec<String> = dirs.iter().map(|d| sidebar::strip_number(d).1.to_string()).collect();
        id.push(own);
        let mut body = body;
        let heading = body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .filter(|l| l.starts_with("# "))
            .map(|l| l[2..].trim().to_string());
        let title = match get("title") {
            Some(t) => t,
            None => match &heading {
                Some(h) => {
                    // The first `# heading` is the title: the page shows it as such.
                    let at = body.find(&format!("# {h}")).unwrap_or(0);
                    let end = body[at..].find('\n').map(|i| at + i + 1).unwrap_or(body.len());
                    body.replace_range(at..end, "");
                    h.clone()
                }
                None => get("sidebar_label").unwrap_or_else(|| id.join("/")),
            },
        };
        docs.push(DocFile {
            rel,
            id: id.join("/"),
            position: front.get("sidebar_position").and_then(serde_yaml::Value::as_f64),
            sidebar_label: get("sidebar_label"),
            title,
            url_slug: get("slug"),
            body,
        });
    }
    docs
}

fn files_under(dir: &Path, prefix: &str, out: &mut BTreeMap<String, PathBuf>) {
    for entry in WalkDir::new(dir).sort_by_file_name().follow_links(false).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            out.insert(format!("{prefix}{}", rel.join("/")), entry.path().to_path_buf());
        }
    }
}

fn read_json(path: &Path, errors: &mut Vec<ImportError>) -> Option<Value> {
    let text = fs::read_to_string(path).ok()?;
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(ImportError::io(path, format!("not valid JSON: {e}")));
            None
        }
    }
}

/// Reads every release: `versions.json`'s, oldest first, then the current docs.
fn releases(opts: &DocusaurusOptions, errors: &mut Vec<ImportError>) -> (Vec<Release>, Vec<VersionOut>) {
    let site = &opts.site;
    let mut names: Vec<String> = match read_json(&site.join("versions.json"), errors) {
        Some(Value::Array(v)) => v.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    names.sort_by(|a, b| VersionId::new(a.as_str()).cmp(&VersionId::new(b.as_str())));
    let mut statics = BTreeMap::new();
    files_under(&site.join("static"), "static/", &mut statics);
    let mut out = Vec::new();
    let mut add = |name: &str, label: String, dir: PathBuf, sidebars: Option<Value>, errors: &mut Vec<ImportError>| {
        if !dir.is_dir() {
            errors.push(ImportError::io(&dir, format!("the docs of version {name} are missing")));
            return;
        }
        let docs = read_docs(&dir, errors);
        let mut files = statics.clone();
        files_under(&dir, "", &mut files);
        out.push(Release { name: name.to_string(), label, dir, docs, sidebars, files });
    };
    for name in &names {
        let dir = site.join("versioned_docs").join(format!("version-{name}"));
        let sidebars =
            read_json(&site.join("versioned_sidebars").join(format!("version-{name}-sidebars.json")), errors);
        add(name, name.clone(), dir, sidebars, errors);
    }
    if let Some(current) = &opts.current {
        let dir = opts.docs.clone().unwrap_or_else(|| {
            let inside = site.join("docs");
            if inside.is_dir() {
                inside
            } else {
                site.join("../docs")
            }
        });
        let sidebars = read_json(&site.join("sidebars.json"), errors);
        add(current, "Next".to_string(), dir, sidebars, errors);
    }
    let mut externals = Vec::new();
    if let Some(Value::Object(map)) = read_json(&site.join("archivedVersions.json"), errors) {
        for (name, url) in map {
            if let Some(url) = url.as_str().filter(|u| u.starts_with("http")) {
                externals.push(VersionOut {
                    name: name.clone(),
                    label: Some(name.clone()),
                    url: Some(url.to_string()),
                    ..Default::default()
                });
            }
        }
    }
    (out, externals)
}

/// Runs the import; on success the tree is written and the report returned.
pub fn run(opts: &DocusaurusOptions) -> Result<Report, Vec<ImportError>> {
    let started = std::time::Instant::now();
    let mut errors = Vec::new();
    if !opts.site.is_dir() {
        errors.push(ImportError::usage(&opts.site, "site folder does not exist or is not a folder"));
        return Err(errors);
    }
    check_into(&opts.into, &mut errors);
    if !opts.site.join("versions.json").is_file() && opts.current.is_none() {
        errors.push(ImportError::usage(
            &opts.site.join("versions.json"),
            "no versions.json: give --current NAME to import the current docs",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let config = read_config(&opts.site);
    let (rels, externals) = releases(opts, &mut errors);
    if rels.is_empty() {
        errors.push(ImportError::usage(&opts.site, "no version to import"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let site_url = opts
        .site_url
        .clone()
        .or_else(|| config.url.as_ref().map(|u| format!("{}{}", u.trim_end_matches('/'), config.base_url)));
    let site_url = site_url.map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
    let names: Vec<String> = rels.iter().map(|r| r.name.clone()).collect();

    // Folio slugs: a doc id's last part, or the whole id where two ids share it.
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for r in &rels {
        ids.extend(r.docs.iter().map(|d| d.id.as_str()));
    }
    let mut by_last: BTreeMap<String, usize> = BTreeMap::new();
    for id in &ids {
        *by_last.entry(usable_slug(id.rsplit('/').next().unwrap_or(id))).or_default() += 1;
    }
    let slug_of: BTreeMap<String, String> = ids
        .iter()
        .map(|id| {
            let last = usable_slug(id.rsplit('/').next().unwrap_or(id));
            let slug = if by_last[&last] > 1 { usable_slug(&id.replace('/', "-")) } else { last };
            (id.to_string(), slug)
        })
        .collect();

    // The tree of each release.
    let articles: Vec<BTreeSet<String>> =
        rels.iter().map(|r| r.docs.iter().map(|d| slug_of[&d.id].clone()).collect()).collect();
    let tocs: Vec<Vec<super::toc::Entry>> = rels
        .iter()
        .map(|r| {
            let meta = |dir: &str| category_meta(&r.dir.join(dir));
            match &r.sidebars {
                Some(s) => sidebar::entries(s, &r.docs, &meta),
                None => sidebar::autogenerated(".", &r.docs, &meta, ""),
            }
        })
        .collect();
    let resolvers: Vec<_> = rels
        .iter()
        .map(|r| {
            let slug_of = &slug_of;
            move |href: &str| match href.strip_prefix(sidebar::DOC) {
                Some(id) if r.docs.iter().any(|d| d.id == id) => Ok(slug_of[id].clone()),
                Some(id) => Err(format!("no doc '{id}' in this version")),
                None => Err("a link, not a doc".to_string()),
            }
        })
        .collect();
    let inputs: Vec<tree::VersionInput> = rels
        .iter()
        .enumerate()
        .map(|(vi, r)| tree::VersionInput {
            name: &r.name,
            toc: &tocs[vi],
            articles: &articles[vi],
            resolve: &resolvers[vi],
        })
        .collect();
    let all_slugs: BTreeSet<String> = slug_of.values().cloned().collect();
    let trees = tree::build(&inputs, &all_slugs);

    // Every doc of every release, converted.
    let jobs: Vec<(usize, usize)> =
        rels.iter().enumerate().flat_map(|(vi, r)| (0..r.docs.len()).map(move |di| (vi, di))).collect();
    let converted: Vec<(usize, String, Doc, Host)> = jobs
        .par_iter()
        .map(|&(vi, di)| {
            let r = &rels[vi];
            let d = &r.docs[di];
            let mut host =
                Host::new(r, &rels, &slug_of, site_url.as_deref(), &d.rel, &config.base_url, &config.docs_route);
            let mut counts = mdx::Counts::new();
            let body = mdx::convert(&d.body, &mut host, &mut counts);
            host.counts = counts;
            let slug = slug_of[&d.id].clone();
            let place = trees.places.get(&slug).and_then(|p| p[vi].clone());
            let doc = Doc {
                title: d.title.clone(),
                parent: place.as_ref().and_then(|p| p.parent.clone()),
                order: place.map(|p| p.order),
                body,
            };
            (vi, slug, doc, host)
        })
        .collect();
    let n = rels.len();
    let mut report = Report::default();
    let converted = check_anchors(converted, &mut report);
    let mut docs: BTreeMap<String, Vec<Option<Doc>>> = BTreeMap::new();
    for (vi, slug, doc, host) in converted {
        report.cross_links += host.cross_links;
        report.file_links += host.assets.len();
        report.external_links += host.external;
        report.reported_links.extend(host.reported);
        for (k, v) in host.counts {
            *report.mdx.entry(k).or_default() += v;
        }
        for a in host.assets {
            report.asset_uses.entry(a).or_default().insert(rels[vi].name.clone());
        }
        docs.entry(slug).or_insert_with(|| vec![None; n])[vi] = Some(doc);
    }
    trees.add_sections(&mut docs, n);
    let no_stubs: Vec<BTreeMap<String, String>> = Vec::new();
    let mut aliases = aliases(&docs, &no_stubs, &trees.sections, &mut report);
    renames_by_file(&rels, &slug_of, &docs, &mut aliases, &mut report);

    // Report and write.
    for r in &rels {
        report.versions.push(emit::VersionReport {
            name: r.name.clone(),
            folder: r.dir.display().to_string(),
            path: Some(r.name.clone()),
            pages: r.docs.len(),
            content_pages: r.docs.len(),
            ..Default::default()
        });
        report.pages += r.docs.len();
        for d in &r.docs {
            report.snapshot_page_bytes += d.body.len() as u64;
        }
        report.snapshot_bytes += r
            .files
            .iter()
            .filter(|(k, _)| !k.starts_with("static/"))
            .filter_map(|(_, p)| fs::metadata(p).ok())
            .map(|m| m.len())
            .sum::<u64>();
    }
    report.toc_problems = trees.toc_problems.clone();
    report.not_in_toc = trees.not_in_toc.clone();
    report.section_articles = trees.sections.len();
    report.reported_links.sort();
    let uses = std::mem::take(&mut report.asset_uses);
    let files: Vec<_> = rels.iter().map(|r| &r.files).collect();
    let mut tree = emit::Tree::assemble(&files, &docs, &aliases, &uses, &names, &mut report);
    let mut outs: Vec<VersionOut> = rels
        .iter()
        .map(|r| VersionOut {
            name: r.name.clone(),
            label: Some(r.label.clone()),
            path: Some(r.name.clone()),
            ..Default::default()
        })
        .collect();
    outs.extend(externals.into_iter().filter(|e| !names.contains(&e.name)));
    let home = tocs.last().and_then(|t| first_doc(t)).and_then(|h| resolvers[n - 1](&h).ok());
    let title = opts.manual_title.clone().or(config.title).unwrap_or_else(|| "Manual".to_string());
    tree.versions = outs;
    tree.title = title;
    tree.home = home;
    emit::write(&opts.into, &tree, &mut report)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Every `#fragment` of a cross-link must be a heading id of its target in that
/// version, as folio gives them; one that is not (Docusaurus only warns of those) is
/// dropped, so the link leads to the page, and reported.
fn check_anchors<'a>(
    converted: Vec<(usize, String, Doc, Host<'a>)>,
    report: &mut Report,
) -> Vec<(usize, String, Doc, Host<'a>)> {
    use std::collections::HashSet;
    let none = |_: &str| None;
    let no_file = |_: &str| None;
    let ids: BTreeMap<(usize, String), HashSet<String>> = converted
        .par_iter()
        .map(|(vi, slug, doc, _)| {
            let cx = crate::render::markdown::Context { dir: "", resolve: &none, asset: &no_file, media_prefix: "" };
            let r = crate::render::markdown::render(&doc.body, &cx);
            ((*vi, slug.clone()), r.headings.into_iter().map(|h| h.id).collect())
        })
        .collect();
    converted
        .into_iter()
        .map(|(vi, slug, mut doc, host)| {
            let mut dropped = Vec::new();
            doc.body = mdx::rewrite_links(&doc.body, &mut |url, _| {
                let Some((path, frag)) = url.split_once('#') else { return Some(url.to_string()) };
                let target =
                    if path.is_empty() { slug.clone() } else { path.strip_suffix(".md").unwrap_or(path).to_string() };
                if path.contains('/') || path.contains(':') || (!path.is_empty() && !path.ends_with(".md")) {
                    return Some(url.to_string());
                }
                match ids.get(&(vi, target)) {
                    Some(set) if !set.contains(frag) => {
                        dropped.push(url.to_string());
                        Some(if path.is_empty() { format!("{slug}.md") } else { path.to_string() })
                    }
                    _ => Some(url.to_string()),
                }
            });
            for url in dropped {
                report.reported_links.push(Reported {
                    version: host.rel.name.clone(),
                    page: host.page.clone(),
                    href: url.clone(),
                    reason: "no such heading in the target: the #fragment was dropped",
                    became: url.split('#').next().unwrap_or("").to_string(),
                });
            }
            (vi, slug, doc, host)
        })
        .collect()
}

fn first_doc(entries: &[super::toc::Entry]) -> Option<String> {
    entries
        .iter()
        .find_map(|e| e.href.clone().filter(|h| h.starts_with(sidebar::DOC)).or_else(|| first_doc(&e.children)))
}

fn category_meta(dir: &Path) -> sidebar::CategoryMeta {
    let mut m = sidebar::CategoryMeta::default();
    let json =
        fs::read_to_string(dir.join("_category_.json")).ok().and_then(|t| serde_json::from_str::<Value>(&t).ok());
    let yaml = || {
        ["_category_.yml", "_category_.yaml"]
            .iter()
            .find_map(|n| fs::read_to_string(dir.join(n)).ok())
            .and_then(|t| serde_yaml::from_str::<Value>(&t).ok())
    };
    let v = json.or_else(yaml);
    if let Some(v) = v {
        m.label = v.get("label").and_then(Value::as_str).map(str::to_string);
        m.position = v.get("position").and_then(Value::as_f64);
        let link = v.get("link").filter(|l| l.get("type").and_then(Value::as_str) == Some("doc"));
        m.link_doc = link.and_then(|l| l.get("id")).and_then(Value::as_str).map(str::to_string);
    }
    m
}

/// A doc whose id changed from one release to the next while its file or its title
/// stayed: the new article gets the old slug as an alias.
fn renames_by_file(
    rels: &[Release],
    slug_of: &BTreeMap<String, String>,
    docs: &BTreeMap<String, Vec<Option<Doc>>>,
    aliases: &mut BTreeMap<String, Vec<String>>,
    report: &mut Report,
) {
    let exists = |slug: &str, vi: usize| docs.get(slug).is_some_and(|d| d[vi].is_some());
    let aliased: BTreeSet<String> = aliases.values().flatten().cloned().collect();
    for vi in 1..rels.len() {
        for old in &rels[vi - 1].docs {
            let from = &slug_of[&old.id];
            if exists(from, vi) || aliased.contains(from) {
                continue;
            }
            let by_file = rels[vi].docs.iter().find(|d| d.rel == old.rel && d.id != old.id);
            let by_title =
                || rels[vi].docs.iter().filter(|d| d.title == old.title && d.id != old.id).collect::<Vec<_>>();
            let new = by_file.or_else(|| match by_title().as_slice() {
                [one] => Some(*one),
                _ => None,
            });
            let Some(new) = new else { continue };
            let to = &slug_of[&new.id];
            let coexist = docs
                .get(from)
                .zip(docs.get(to))
                .is_some_and(|(a, b)| a.iter().zip(b).any(|(x, y)| x.is_some() && y.is_some()));
            if exists(to, vi - 1) || coexist {
                continue;
            }
            let list = aliases.entry(to.clone()).or_default();
            if !list.contains(from) {
                list.push(from.clone());
                list.sort();
                report.renames.push((from.clone(), to.clone()));
            }
        }
    }
}
