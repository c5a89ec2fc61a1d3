//! One version's files: its nav data, article pages, home page, search and 404 pages,
//! alias redirects, what-changed and diff pages, print page, and search index.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::record::{render_to, Written};
use super::search::{fragment_path, write_index};
use super::Progress;
use super::{changes, print};
use crate::diag::Location;
use crate::error::Error;
use crate::index;
use crate::model::{ArticleId, BodyId, Site};
use crate::render::page::{MenuTable, Target, VersionCx};
use crate::render::templates::hashed_name;
use crate::render::{RenderedBody, Theme};
use crate::write::Sink;

/// What every version's writer shares.
pub(super) struct Shared<'a> {
    pub o: &'a Sink,
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub bodies: &'a [Option<RenderedBody>],
    pub selected: &'a [bool],
    pub hist: &'a BTreeMap<ArticleId, Vec<usize>>,
    pub assets_from_root: &'a BTreeMap<String, String>,
    /// Per body: where its search fragment was written first.
    pub first_fragment: &'a [Option<String>],
    pub menus: &'a MenuTable<'a>,
    pub done: &'a AtomicU64,
    pub total: u64,
    pub progress: Option<Progress<'a>>,
    /// Link targets of every version written so far, each once. A version's menus link
    /// to the same pages as every other version's menus, so keeping each version's own
    /// list until the end would grow with versions × pages.
    pub targets: &'a std::sync::Mutex<HashSet<String>>,
}

impl Shared<'_> {
    /// Writes everything of built version `vi`; `docs` are its search documents.
    pub(super) fn version(
        &self,
        vi: usize,
        docs: &[(BodyId, &index::PreparedDoc)],
        vocab: &index::Vocab,
    ) -> Result<Written, Error> {
        let (o, site, theme, bodies) = (self.o, self.site, self.theme, self.bodies);
        let mut w = Written::default();
        let view = &site.views[vi];
        let vpath = &view.version.path;

        // The whole tree once per version, in reading order: [slug, title, depth]. A
        // parent comes before its children in reading order, so one pass finds depths.
        let mut depth: HashMap<&ArticleId, usize> = HashMap::with_capacity(view.nav.order.len());
        let rows: Vec<(&str, &str, usize)> = view
            .nav
            .order
            .iter()
            .map(|id| {
                let d = view.nav.parent.get(id).and_then(|p| depth.get(p)).map_or(0, |d| d + 1);
                depth.insert(id, d);
                (id.as_str(), view.pages[id].title.as_str(), d)
            })
            .collect();
        let nav_js = format!("window.__folioNavData={};\n", serde_json::to_string(&rows).expect("nav rows serialize"));
        let nav_name = hashed_name("nav.js", nav_js.as_bytes());
        o.write(&format!("{vpath}/{nav_name}"), nav_js.as_bytes())?;
        w.files.push(format!("{vpath}/{nav_name}"));
        for id in &view.nav.order {
            w.targets.push(format!("{vpath}/{id}.html"));
        }
        if site.config.print {
            // every page's footer links the print page
            w.targets.push(format!("{vpath}/{}", site.own.print));
        }

        let cx = VersionCx::new(site, vi, self.selected, nav_name, self.hist, self.assets_from_root.clone())
            .with_menus(self.menus);

        // Article pages, in parallel, and alongside them the rest of the version (its
        // home, search index and what-changed pages), which does not need them: a
        // version's own sequential steps then overlap its pages.
        let pages = || {
            view.nav
                .order
                .par_iter()
                .map(|id| {
                    let mut part = Written::default();
                    let page = &view.pages[id];
                    let Some(body) = &bodies[page.body] else { return part };
                    // An article named `index` is its version's home page (model::choose_home).
                    let (ctx, targets) = cx.article(id, body, id.as_str() == "index");
                    match theme.render("article.html", &ctx) {
                        Ok(html) => {
                            let rel = format!("{vpath}/{id}.html");
                            if let Err(e) = o.write(&rel, html.as_bytes()) {
                                part.errors.push((Location::file(&rel), e.to_string()));
                            }
                            part.files.push(rel);
                            part.targets.extend(targets);
                            part.pages += 1;
                        }
                        Err(e) => part.errors.push(e),
                    }
                    let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
                    if let Some(p) = self.progress {
                        p(n, self.total);
                    }
                    part
                })
                .reduce(Written::default, Written::merge)
        };
        let (part, rest) = rayon::join(pages, || self.version_rest(&cx, docs, vocab));
        w = w.merge(part).merge(rest?);
        // Thousands of pages share the same link targets: keep each once, in the set
        // all versions share.
        let mut all = self.targets.lock().unwrap_or_else(|e| e.into_inner());
        for t in w.targets.drain(..) {
            all.insert(t);
        }
        Ok(w)
    }

    /// Everything of `cx`'s version but its article pages: its home, search page, 404,
    /// alias redirects, what-changed and diff pages, print page, and search index.
    fn version_rest(
        &self,
        cx: &VersionCx,
        docs: &[(BodyId, &index::PreparedDoc)],
        vocab: &index::Vocab,
    ) -> Result<Written, Error> {
        let view = cx.view();
        let vpath = &view.version.path;
        let (o, site, theme, bodies) = (self.o, self.site, self.theme, self.bodies);
        let mut w = Written::default();
        if let Some(home) = &view.home {
            // An article named `index` is the home page under its own name.
            if home.as_str() != "index" {
                if let Some(body) = &bodies[view.pages[home].body] {
                    let (ctx, targets) = cx.article(home, body, true);
                    render_to(o, theme, "article.html", &ctx, &format!("{vpath}/index.html"), &mut w)?;
                    w.targets.extend(targets);
                }
            }
        } else {
            let mut targets = Vec::new();
            let common = cx.common(
                "home",
                "index",
                &site.config.title,
                "index.html",
                0,
                Target::Fixed("index.html"),
                None,
                &mut targets,
            );
            render_to(o, theme, "404.html", &common, &format!("{vpath}/index.html"), &mut w)?;
            w.targets.extend(targets);
        }
        for (kind, slug, title, tmpl, file) in [
            ("search", "search", "Search", "search.html", &site.own.search),
            ("404", "404", "Page not found", "404.html", &site.own.not_found),
        ] {
            let mut targets = Vec::new();
            let common = cx.common(kind, slug, title, file, 0, Target::Fixed(file), None, &mut targets);
            render_to(o, theme, tmpl, &common, &format!("{vpath}/{file}"), &mut w)?;
            w.targets.extend(targets);
        }
        for (alias, target) in &site.aliases {
            if view.pages.contains_key(target) && !view.pages.contains_key(alias.as_str()) {
                let to = format!("{target}.html");
                let html = theme
                    .render("redirect.html", &minijinja::context! { target => to, title => view.pages[target].title });
                match html {
                    Ok(html) => {
                        let rel = format!("{vpath}/{alias}.html");
                        o.write(&rel, html.as_bytes())?;
                        w.files.push(rel);
                        w.targets.push(format!("{vpath}/{to}"));
                    }
                    Err(e) => w.errors.push(e),
                }
            }
        }
        changes::write(o, site, theme, cx, bodies, &mut w)?;
        print::write(o, theme, cx, bodies, &mut w)?;

        // The version's search index, documents in reading order.
        let refs: Vec<&index::PreparedDoc> = docs.iter().map(|(_, p)| *p).collect();
        w.files.extend(write_index(o, vpath, &refs, vocab)?);
        for (n, (b, _)) in docs.iter().enumerate() {
            let rel = fragment_path(vpath, n);
            let first = self.first_fragment[*b].as_deref().expect("every document has a first fragment");
            if first != rel {
                o.link(first, &rel)?;
            }
            w.files.push(rel);
        }
        Ok(w)
    }
}

/// Theme asset name -> path from the site root, as page contexts take it.
pub(super) fn assets_from_root(theme: &Theme) -> BTreeMap<String, String> {
    theme.assets.iter().map(|(k, a)| (k.clone(), format!("assets/{}", a.hashed))).collect()
}
