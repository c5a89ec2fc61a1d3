//! The whole site, in named steps: theme assets and media once, the root files, then
//! every version (in windows of a few, oldest first; see [`all`]), then the sitemap.

use std::collections::BTreeMap;
use std::fs;
use std::sync::atomic::AtomicU64;

use rayon::prelude::*;
use serde::Serialize;

use super::record::Written;
use super::search::{fragment_path, prepare_search_doc, search_doc};
use super::version::assets_from_root;
use super::version::Shared;
use super::{changes, Bodies, Progress};
use crate::error::Error;
use crate::index;
use crate::model::{ArticleId, BodyId, Site};
use crate::render::page::MenuTable;
use crate::render::Theme;
use crate::write::Sink;

#[derive(Serialize)]
struct VersionJson<'a> {
    name: &'a str,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    released: Option<&'a str>,
    latest: bool,
}

/// Renders and writes every file of the built versions in `selected` into `o`.
pub(super) fn all(
    o: &Sink,
    site: &Site,
    theme: &Theme,
    hist: &BTreeMap<ArticleId, Vec<usize>>,
    mut bodies: Bodies<'_>,
    selected: &[bool],
    progress: Option<Progress<'_>>,
) -> Result<Written, Error> {
    let mut w = Written::default();
    let chosen: Vec<usize> = (0..site.views.len()).filter(|&i| selected[i]).collect();
    let Some(&newest) = chosen.last() else { return Ok(w) };

    // Shared theme assets and article media, once for all versions.
    for a in theme.assets.values() {
        o.write(&format!("assets/{}", a.hashed), &a.bytes)?;
        w.files.push(format!("assets/{}", a.hashed));
    }
    for (i, a) in site.assets.iter().enumerate() {
        if site.media_path(i) != a.rel {
            // A revision with the bytes of an earlier one: its pages use that file.
            continue;
        }
        let bytes = fs::read(&a.abs).map_err(|e| Error::io(&a.abs, e))?;
        o.write(&format!("media/{}", a.rel), &bytes)?;
        w.files.push(format!("media/{}", a.rel));
    }

    // Root files.
    let latest_path = &site.views[newest].version.path;
    let redirect = |target: &str, title: &str| {
        theme.render("redirect.html", &minijinja::context! { target => target, title => title })
    };
    match redirect(&format!("{latest_path}/index.html"), &site.config.title) {
        Ok(html) => {
            o.write("index.html", html.as_bytes())?;
            w.files.push("index.html".into());
            w.targets.push(format!("{latest_path}/index.html"));
        }
        Err(e) => w.errors.push(e),
    }
    let versions: Vec<VersionJson> = site
        .versions
        .iter()
        .map(|v| {
            let built = site.view_index(&v.id).filter(|&i| selected[i]).is_some();
            VersionJson {
                name: v.id.as_str(),
                label: &v.label,
                path: built.then_some(v.path.as_str()),
                url: v.url.as_deref(),
                status: &v.status,
                released: v.released.as_deref(),
                latest: v.id == site.views[newest].version.id,
            }
        })
        .filter(|v| v.path.is_some() || v.url.is_some())
        .collect();
    let json = serde_json::to_string_pretty(&versions).expect("version list serializes") + "\n";
    o.write("versions.json", json.as_bytes())?;
    w.files.push("versions.json".into());

    let total: u64 = chosen.iter().map(|&vi| site.views[vi].pages.len() as u64).sum();
    let mut assets_from_root = assets_from_root(theme);
    assets_from_root.insert("timeline.js".into(), changes::write_timeline(o, site, &mut w)?);

    // Each version's search documents in reading order (one per distinct body: its file
    // fixes slug, title and keywords), and where each distinct fragment is written
    // first; every other version hard-links that file.
    let doc_bodies: Vec<Vec<BodyId>> = chosen
        .iter()
        .map(|&vi| {
            let view = &site.views[vi];
            view.nav.order.iter().map(|id| view.pages[id].body).filter(|&b| bodies.get()[b].is_some()).collect()
        })
        .collect();
    let n_bodies = bodies.get().len();
    let mut first_fragment: Vec<Option<String>> = vec![None; n_bodies];
    // Per body, the last version (position in `chosen`) whose index needs it, and the
    // last whose pages show it.
    let mut last_use: Vec<usize> = vec![0; n_bodies];
    let mut last_shown: Vec<usize> = vec![0; n_bodies];
    for (ci, &vi) in chosen.iter().enumerate() {
        for page in site.views[vi].pages.values() {
            last_shown[page.body] = ci;
        }
    }
    for (ci, list) in doc_bodies.iter().enumerate() {
        let vpath = &site.views[chosen[ci]].version.path;
        for (n, &b) in list.iter().enumerate() {
            if first_fragment[b].is_none() {
                first_fragment[b] = Some(fragment_path(vpath, n));
            }
            last_use[b] = ci;
        }
    }

    let menus = MenuTable::new(site, &chosen);
    let done = AtomicU64::new(0);
    let targets = std::sync::Mutex::new(menus.targets(site, selected).into_iter().collect());
    // Versions go in windows of a few, oldest first: each window's versions are written
    // in parallel as well as the pages inside them, so one version's sequential steps
    // (search index, what changed) overlap another's pages. A search document is
    // prepared (extracted and tokenized) once, when the first window that shows it
    // starts, and dropped after the last one, so only the documents of the versions
    // in flight are held, not those of the whole manual.
    let window = 2 * rayon::current_num_threads().max(1);
    let mut prepared: Vec<Option<index::PreparedDoc>> = (0..n_bodies).map(|_| None).collect();
    let mut vocab = index::Vocab::default();
    // which versions have each term, for search's "in other versions" (assets/search/)
    let mut versions_table = index::VersionTable::default();
    let mut parts: Vec<Result<Written, Error>> = Vec::with_capacity(chosen.len());
    for start in (0..chosen.len()).step_by(window) {
        let span = start..(start + window).min(chosen.len());
        let mut fresh: Vec<BodyId> =
            doc_bodies[span.clone()].iter().flatten().copied().filter(|&b| prepared[b].is_none()).collect();
        fresh.sort_unstable();
        fresh.dedup();
        // Written once, the fragment text is not needed again: drop it at once.
        let made: Vec<(BodyId, index::PreparedDoc)> = fresh
            .par_iter()
            .filter_map(|&b| {
                let body = bodies.get()[b].as_ref()?;
                let mut p = prepare_search_doc(search_doc(site, b), &body.html);
                let bytes = p.take_fragment_file();
                Some(first_fragment[b].as_deref().map(|rel| o.write(rel, &bytes)).unwrap_or(Ok(())).map(|()| (b, p)))
            })
            .collect::<Result<_, _>>()?;
        for (b, mut p) in made {
            vocab.intern(&mut p);
            prepared[b] = Some(p);
        }
        vocab.seal();
        let docs: Vec<Vec<(BodyId, &index::PreparedDoc)>> = doc_bodies[span.clone()]
            .iter()
            .map(|list| list.iter().filter_map(|&b| prepared[b].as_ref().map(|p| (b, p))).collect())
            .collect();
        let shared = Shared {
            o,
            site,
            theme,
            bodies: bodies.get(),
            selected,
            hist,
            assets_from_root: &assets_from_root,
            first_fragment: &first_fragment,
            menus: &menus,
            done: &done,
            total,
            progress,
            targets: &targets,
        };
        for (&vi, list) in chosen[span.clone()].iter().zip(&docs) {
            let v = &site.views[vi].version;
            versions_table.add(&v.path, &v.label, &list.iter().map(|(_, p)| *p).collect::<Vec<_>>());
        }
        parts
            .par_extend(chosen[span.clone()].par_iter().zip(&docs).map(|(&vi, docs)| shared.version(vi, docs, &vocab)));
        drop(docs);
        for (b, p) in prepared.iter_mut().enumerate() {
            if p.is_some() && last_use[b] < span.end {
                *p = None;
            }
        }
        if let Bodies::Released(all) = &mut bodies {
            for (b, body) in all.iter_mut().enumerate() {
                if body.is_some() && last_shown[b] < span.end {
                    *body = None;
                }
            }
        }
    }
    for part in parts {
        w = w.merge(part?);
    }
    for (rel, bytes) in versions_table.files(&vocab) {
        let rel = format!("assets/search/{rel}");
        o.write(&rel, &bytes)?;
        w.files.push(rel);
    }
    w.targets.extend(targets.into_inner().unwrap_or_else(|e| e.into_inner()));

    if let Some(folder) = &site.config.current {
        current(o, site, theme, folder, &chosen, &mut w)?;
    }

    if let Some(base) = &site.config.base_url {
        let base = base.trim_end_matches('/');
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for &vi in &chosen {
            let v = &site.views[vi];
            for id in &v.nav.order {
                xml.push_str(&format!("<url><loc>{}/{}/{}.html</loc></url>\n", xml_escape(base), v.version.path, id));
            }
        }
        xml.push_str("</urlset>\n");
        o.write("sitemap.xml", xml.as_bytes())?;
        w.files.push("sitemap.xml".into());
    }
    Ok(w)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The permanent addresses: `<folder>/<slug>.html` for every article and alias slug,
/// leading to the page in the newest of the written versions (`chosen`, oldest first)
/// that has it, and `<folder>/index.html` to the newest version's home, so that a link
/// from the product or an old bookmark never breaks as versions come and go.
fn current(o: &Sink, site: &Site, theme: &Theme, folder: &str, chosen: &[usize], w: &mut Written) -> Result<(), Error> {
    let mut slugs: Vec<&str> =
        site.articles.keys().map(|id| id.as_str()).chain(site.aliases.keys().map(|a| a.as_str())).collect();
    slugs.sort_unstable();
    slugs.dedup();
    let mut pages: Vec<(String, String, String)> = Vec::with_capacity(slugs.len() + 1);
    if let Some(&newest) = chosen.last() {
        let v = &site.views[newest].version;
        pages.push(("index".to_string(), format!("{}/index.html", v.path), site.config.title.clone()));
    }
    for slug in slugs {
        if slug == "index" {
            continue; // the article named `index` is each version's home: the entry above
        }
        let found = chosen.iter().rev().find_map(|&vi| {
            let id = site.resolve_in(slug, vi)?;
            let page = site.views[vi].pages.get(id)?;
            Some((vi, id, page))
        });
        if let Some((vi, id, page)) = found {
            pages.push((slug.to_string(), format!("{}/{id}.html", site.views[vi].version.path), page.title.clone()));
        }
    }
    for (slug, target, title) in pages {
        let to = format!("../{target}");
        match theme.render("redirect.html", &minijinja::context! { target => to, title => title }) {
            Ok(html) => {
                let rel = format!("{folder}/{slug}.html");
                o.write(&rel, html.as_bytes())?;
                w.files.push(rel);
                w.targets.push(target);
            }
            Err(e) => w.errors.push(e),
        }
    }
    Ok(())
}
