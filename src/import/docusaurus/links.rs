//! Links and partials of one Docusaurus doc in one release: a relative `.md`/`.mdx`
//! link, a doc route (`/docs/…`, `/docs/29.7/…`, `configuration#x`) becomes a folio
//! cross-link in the same version, a file beside the docs or in `static/` an asset, and
//! the rest an absolute URL on the site (or text), reported.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use super::{mdx, DocFile, Release};
use crate::import::links::{normalize, Reported};
use crate::render::markdown::percent_decode;

/// Link decisions for one doc in one release.
pub(super) struct Host<'a> {
    pub(super) rel: &'a Release,
    all: &'a [Release],
    slug_of: &'a BTreeMap<String, String>,
    site_url: Option<&'a str>,
    base_url: &'a str,
    /// The docs' route under the base URL (`docs`; empty when the docs are the site).
    docs_route: &'a str,
    /// The folder of the file being converted (a partial's own, while it is inlined).
    dir: String,
    pub(super) page: String,
    depth: usize,
    pub(super) cross_links: usize,
    pub(super) external: usize,
    pub(super) assets: BTreeSet<String>,
    pub(super) reported: Vec<Reported>,
    pub(super) counts: mdx::Counts,
}

impl<'a> Host<'a> {
    pub(super) fn new(
        rel: &'a Release,
        all: &'a [Release],
        slug_of: &'a BTreeMap<String, String>,
        site_url: Option<&'a str>,
        page: &str,
        base_url: &'a str,
        docs_route: &'a str,
    ) -> Self {
        let dir = page.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
        Host {
            rel,
            all,
            slug_of,
            site_url,
            base_url,
            docs_route,
            dir,
            page: page.to_string(),
            depth: 0,
            cross_links: 0,
            external: 0,
            assets: BTreeSet::new(),
            reported: Vec::new(),
            counts: mdx::Counts::new(),
        }
    }

    fn report(&mut self, href: &str, reason: &'static str, became: Option<&str>) {
        self.reported.push(Reported {
            version: self.rel.name.clone(),
            page: self.page.clone(),
            href: href.to_string(),
            reason,
            became: became.unwrap_or("text").to_string(),
        });
    }

    fn doc_by_url(&self, path: &str) -> Option<&DocFile> {
        let p = path.trim_matches('/');
        self.rel
            .docs
            .iter()
            .find(|d| d.url_slug.as_deref().map(|s| s.trim_matches('/')) == Some(p))
            .or_else(|| self.rel.docs.iter().find(|d| d.id == p))
    }

    fn cross(&mut self, d: &DocFile, frag: &str) -> Option<String> {
        self.cross_links += 1;
        Some(format!("{}.md{frag}", self.slug_of[&d.id]))
    }

    fn outside(&mut self, url: &str, site_path: &str, reason: &'static str) -> Option<String> {
        let abs = self.site_url.map(|s| format!("{s}{}", site_path.trim_start_matches('/')));
        self.report(url, reason, abs.as_deref());
        abs
    }
}

impl mdx::Host for Host<'_> {
    fn partial(&mut self, path: &str) -> Option<String> {
        if self.depth > 8 || path.starts_with('@') {
            return None;
        }
        let rel = normalize(&format!("{}/{path}", self.dir))?;
        let file = self.rel.files.get(&rel)?;
        let text = fs::read_to_string(file).ok()?.replace("\r\n", "\n");
        let body = crate::load::split_front_matter(&text).map(|(_, b, _)| b.to_string()).unwrap_or(text);
        let partial_dir = rel.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
        let saved = std::mem::replace(&mut self.dir, partial_dir.clone());
        self.depth += 1;
        let mut counts = mdx::Counts::new();
        let out = mdx::convert_partial(&body, self, &mut counts);
        for (k, v) in counts {
            *self.counts.entry(k).or_default() += v;
        }
        self.depth -= 1;
        self.dir = saved;
        // Its relative links, as seen from the including doc's folder.
        let up = if self.dir.is_empty() { String::new() } else { "../".repeat(self.dir.split('/').count()) };
        let rebased = mdx::rewrite_links(&out, &mut |url, _| {
            let relative = !(url.starts_with('#') || url.starts_with('/') || url.contains(':'));
            match normalize(&format!("{partial_dir}/{url}")) {
                Some(from_root) if relative => Some(format!("{up}{from_root}")),
                _ => Some(url.to_string()),
            }
        });
        Some(rebased)
    }

    fn link(&mut self, url: &str, image: bool) -> Option<String> {
        let url = url.trim();
        if url.starts_with('#') {
            return Some(url.to_string());
        }
        if url.contains("://") || url.starts_with("mailto:") || url.starts_with("tel:") {
            self.external += 1;
            return Some(url.to_string());
        }
        let split = url.find(['#', '?']).unwrap_or(url.len());
        let (path, frag) = (&url[..split], &url[split..]);
        let frag = if frag.starts_with('?') { "" } else { frag };
        if let Some(abs) = path.strip_prefix(self.base_url).filter(|_| path.starts_with('/')) {
            // Site-absolute: a doc route, a static file, or another page of the site.
            let route = if self.docs_route.is_empty() {
                // Docs at the site's root: a route when a doc (of some version) has it.
                Some(abs).filter(|r| {
                    let first = r.split('/').next().unwrap_or("");
                    self.all.iter().any(|x| x.name == first) || first == "next" || self.doc_by_url(r).is_some()
                })
            } else {
                abs.strip_prefix(&format!("{}/", self.docs_route)).or_else(|| (abs == self.docs_route).then_some(""))
            };
            if let Some(route) = route {
                let (version, rest) = match route.split_once('/') {
                    Some((v, r)) if self.all.iter().any(|x| x.name == v) || v == "next" => (Some(v), r),
                    _ => (None, route),
                };
                if version.is_none()
                    || version == Some(self.rel.name.as_str())
                    || (version == Some("next") && self.rel.label == "Next")
                {
                    if let Some(d) = self.doc_by_url(rest) {
                        let d = d.clone();
                        return self.cross(&d, frag);
                    }
                    return self.outside(url, abs, "no such doc in this version");
                }
                return self.outside(url, abs, "a doc of another version");
            }
            let static_rel = format!("static/{}", abs);
            if self.rel.files.contains_key(&static_rel) {
                self.assets.insert(static_rel.clone());
                return Some(static_rel);
            }
            return self.outside(url, abs, "elsewhere on the site");
        }
        let joined = normalize(&format!("{}/{}", self.dir, percent_decode(path)));
        let Some(joined) = joined else {
            self.report(url, "above the docs folder", None);
            return None;
        };
        if path.ends_with(".md") || path.ends_with(".mdx") {
            if let Some(d) = self.rel.docs.iter().find(|d| d.rel == joined).cloned() {
                return self.cross(&d, frag);
            }
            self.report(url, "no such doc in this version", None);
            return None;
        }
        if self.rel.files.contains_key(&joined) && !image || self.rel.files.contains_key(&joined) {
            self.assets.insert(joined.clone());
            return Some(joined.replace(' ', "%20"));
        }
        // A relative route (`configuration#x`): a doc of the same release.
        let from_doc = self.page.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let route = normalize(&format!("{from_doc}/{path}")).unwrap_or_default();
        if let Some(d) = self.doc_by_url(&route).or_else(|| self.doc_by_url(path)).cloned() {
            return self.cross(&d, frag);
        }
        self.report(
            url,
            if image { "no such image in this version" } else { "no such doc or file in this version" },
            None,
        );
        None
    }
}
