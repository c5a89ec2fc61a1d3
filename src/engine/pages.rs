//! Parts of a site for `folio serve`, which keeps the site it serves up to date by
//! re-rendering only what an edit touches: whole versions, the pages of some articles,
//! one version's what-changed pages, print page or search index. Each renders into a
//! staging folder (never the served one), checks nothing against the rest of the site
//! and replaces nothing: it reports the files it wrote and the files those pages link
//! to, and serve moves the files into place. They are the steps [`super::build`] runs,
//! so every page is byte-identical to the one `folio build` writes.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::record::render_to;
use super::record::{staged, Staged, Written};
use super::search::{fragment_path, write_index};
use super::version::assets_from_root;
use super::{changes, print, site, Bodies};
use crate::diag::Diagnostics;
use crate::error::Error;
use crate::index;
use crate::model::{ArticleId, Site};
use crate::render::page::VersionCx;
use crate::render::{RenderedBody, Theme};
use crate::write::Sink;

/// What every page is made from: the model, the theme, the rendered bodies (aligned
/// with `site.bodies`) and each article's "Changed in" versions
/// ([`crate::diff::history`] of `site`, current at least for the pages written).
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub bodies: &'a [Option<RenderedBody>],
    pub history: &'a BTreeMap<ArticleId, Vec<usize>>,
}

/// Renders everything a full build renders for the built versions marked in `selected`
/// into `dir`, without checking links or replacing any output. Root files, theme assets
/// and media are written too; a caller that keeps the other versions takes only the
/// version folders. Template errors go into `diags`, and then `Ok(None)`.
pub fn versions(
    dir: &Path,
    inputs: Inputs<'_>,
    selected: &[bool],
    diags: &mut Diagnostics,
) -> Result<Option<Staged>, Error> {
    let Inputs { site, theme, bodies, history } = inputs;
    let w = site::all(&Sink::folder(dir), site, theme, history, Bodies::Kept(bodies), selected, None)?;
    Ok(staged(w, diags))
}

/// Renders the page of each `(vi, article)` in `pages` (built version index, slug) into
/// `dir`, and the version's `index.html` where the article is that version's home; pairs
/// whose article is not in that version are skipped. `nav_scripts[vi]` is the name of the
/// version's nav file as the last full write named it. Every built version counts as
/// written, so links into any of them are reported in [`Staged::targets`]. Template
/// errors go into `diags`, and then `Ok(None)`.
pub fn articles(
    dir: &Path,
    inputs: Inputs<'_>,
    nav_scripts: &[String],
    pages: &[(usize, ArticleId)],
    diags: &mut Diagnostics,
) -> Result<Option<Staged>, Error> {
    let Inputs { site, theme, bodies, history } = inputs;
    let o = Sink::folder(dir);
    let all = vec![true; site.views.len()];
    let assets = assets_from_root(theme);
    let mut by_version: BTreeMap<usize, Vec<&ArticleId>> = BTreeMap::new();
    for (vi, id) in pages {
        if site.views.get(*vi).is_some_and(|v| v.pages.contains_key(id)) {
            by_version.entry(*vi).or_default().push(id);
        }
    }
    let cxs: Vec<(VersionCx<'_>, Vec<&ArticleId>)> = by_version
        .into_iter()
        .map(|(vi, ids)| {
            let nav = nav_scripts.get(vi).cloned().unwrap_or_default();
            (VersionCx::new(site, vi, &all, nav, history, assets.clone()), ids)
        })
        .collect();
    let jobs: Vec<(&VersionCx<'_>, &ArticleId)> =
        cxs.iter().flat_map(|(cx, ids)| ids.iter().map(move |id| (cx, *id))).collect();
    let w = jobs
        .par_iter()
        .map(|(cx, id)| {
            let mut part = Written::default();
            let view = cx.view();
            let vpath = &view.version.path;
            let Some(body) = &bodies[view.pages[*id].body] else { return Ok(part) };
            let (ctx, targets) = cx.article(id, body, id.as_str() == "index");
            render_to(&o, theme, "article.html", &ctx, &format!("{vpath}/{id}.html"), &mut part)?;
            part.targets.extend(targets);
            part.pages += 1;
            if view.home.as_ref() == Some(*id) && id.as_str() != "index" {
                let (ctx, targets) = cx.article(id, body, true);
                render_to(&o, theme, "article.html", &ctx, &format!("{vpath}/index.html"), &mut part)?;
                part.targets.extend(targets);
            }
            Ok(part)
        })
        .try_reduce(Written::default, |a, b| Ok(a.merge(b)))?;
    Ok(staged(w, diags))
}

/// Writes the manual's timeline into `dir` as a full build does; [`Staged::files`] holds
/// its path from the site root, which [`changes`] takes.
pub fn timeline(dir: &Path, site: &Site) -> Result<Staged, Error> {
    let mut w = Written::default();
    changes::write_timeline(&Sink::folder(dir), site, &mut w)?;
    Ok(Staged { files: w.files, ..Staged::default() })
}

/// Renders `changes.html` and the diff pages of built version `vi` into `dir`, as a full
/// build does; they load `timeline`, the path of the manual's timeline from the site root
/// ([`timeline`]), and `nav_script` is as for [`articles`]. Template errors go into
/// `diags`, and then `Ok(None)`.
pub fn changes(
    dir: &Path,
    inputs: Inputs<'_>,
    nav_script: &str,
    vi: usize,
    timeline: &str,
    diags: &mut Diagnostics,
) -> Result<Option<Staged>, Error> {
    let Inputs { site, theme, bodies, history } = inputs;
    let o = Sink::folder(dir);
    let all = vec![true; site.views.len()];
    let mut w = Written::default();
    let mut assets = assets_from_root(theme);
    assets.insert("timeline.js".into(), timeline.to_string());
    let cx = VersionCx::new(site, vi, &all, nav_script.to_string(), history, assets);
    changes::write(&o, site, theme, &cx, bodies, &mut w)?;
    Ok(staged(w, diags))
}

/// Renders the print page of built version `vi` into `dir`, as a full build does;
/// `nav_script` as for [`articles`]. Template errors go into `diags`, and then `Ok(None)`.
pub fn print(
    dir: &Path,
    inputs: Inputs<'_>,
    nav_script: &str,
    vi: usize,
    diags: &mut Diagnostics,
) -> Result<Option<Staged>, Error> {
    let Inputs { site, theme, bodies, history } = inputs;
    let o = Sink::folder(dir);
    let all = vec![true; site.views.len()];
    let cx = VersionCx::new(site, vi, &all, nav_script.to_string(), history, assets_from_root(theme));
    let mut w = Written::default();
    print::write(&o, theme, &cx, bodies, &mut w)?;
    Ok(staged(w, diags))
}

/// Writes the search index of version folder `vpath` into `dir` as a full build does,
/// from the version's prepared documents in reading order, interned into the sealed
/// `vocab`.
pub fn search_index(
    dir: &Path,
    vpath: &str,
    docs: &[&index::PreparedDoc],
    vocab: &index::Vocab,
) -> Result<Staged, Error> {
    let o = Sink::folder(dir);
    let mut staged = Staged { files: write_index(&o, vpath, docs, vocab)?, ..Staged::default() };
    // The fragments (which a full build shares between versions by hard links).
    for (n, p) in docs.iter().enumerate() {
        let rel = fragment_path(vpath, n);
        o.write(&rel, &p.fragment_file())?;
        staged.files.push(rel);
    }
    Ok(staged)
}

/// Copies the media files `rels` (paths under `articles/`) into `dir` as a full build
/// writes them; a file whose bytes are written as an earlier revision's is skipped.
pub fn media(dir: &Path, site: &Site, rels: &[&str]) -> Result<Staged, Error> {
    let o = Sink::folder(dir);
    let mut staged = Staged::default();
    for rel in rels {
        let Some(fi) = site.assets.iter().position(|a| a.rel == *rel) else { continue };
        if site.media_path(fi) != *rel {
            continue;
        }
        let asset = &site.assets[fi];
        let bytes = std::fs::read(&asset.abs).map_err(|e| Error::io(&asset.abs, e))?;
        o.write(&format!("media/{rel}"), &bytes)?;
        staged.files.push(format!("media/{rel}"));
    }
    Ok(staged)
}
