//! Links and images of one imported page in one release: a page of the same release
//! becomes a folio cross-link (`slug.md`), a file of the snapshot an asset under
//! `articles/`, and everything else an absolute URL (given the old site's URL) or plain
//! text — each such case recorded for the report.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::convert::{Links, Target};
use super::snapshot::{is_html_name, Snapshot};
use crate::render::markdown::percent_decode;

/// A link or image the import could not keep as a link within the manual.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Reported {
    pub version: String,
    pub page: String,
    pub href: String,
    pub reason: &'static str,
    /// What it became: an absolute URL, or "text".
    pub became: String,
}

/// What one release knows about its pages.
pub struct Release<'a> {
    pub snap: &'a Snapshot,
    /// Slugs that are articles in this release.
    pub articles: &'a BTreeSet<String>,
    /// Redirect stubs to a page of the same release: stub slug → target slug.
    pub stubs: &'a BTreeMap<String, String>,
    /// The old site's URL, ending in '/', when known.
    pub site_url: Option<&'a str>,
}

/// The per-page link context; collects what it decided.
pub struct PageLinks<'a> {
    pub rel: &'a Release<'a>,
    pub page: &'a str,
    pub cross_links: usize,
    pub file_links: usize,
    pub external: usize,
    pub assets: BTreeSet<String>,
    pub reported: Vec<Reported>,
}

impl<'a> PageLinks<'a> {
    pub fn new(rel: &'a Release<'a>, page: &'a str) -> Self {
        PageLinks {
            rel,
            page,
            cross_links: 0,
            file_links: 0,
            external: 0,
            assets: BTreeSet::new(),
            reported: Vec::new(),
        }
    }

    fn report(&mut self, href: &str, reason: &'static str, target: &Target) {
        self.reported.push(Reported {
            version: self.rel.snap.version.clone(),
            page: self.page.to_string(),
            href: href.to_string(),
            reason,
            became: match target {
                Target::Url(u) => u.clone(),
                Target::Text => "text".to_string(),
            },
        });
    }

    /// The old site's absolute URL of a path relative to the site root, if known.
    fn absolute(&self, site_path: &str, suffix: &str) -> Target {
        match self.rel.site_url {
            Some(base) => Target::Url(format!("{base}{site_path}{suffix}")),
            None => Target::Text,
        }
    }

    fn resolve(&mut self, href: &str, image: bool) -> Target {
        if href.starts_with('#') {
            let t = Target::Text;
            self.report(href, "link to a place on the same page", &t);
            return t;
        }
        if let Some(scheme) = scheme(href) {
            if matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel" | "ftp" | "ftps") {
                self.external += 1;
                return Target::Url(href.to_string());
            }
            let t = Target::Text;
            self.report(href, "link with an unsupported scheme", &t);
            return t;
        }
        if href.starts_with("//") {
            self.external += 1;
            return Target::Url(format!("https:{href}"));
        }
        let (path, suffix) = split_suffix(href);
        let decoded = percent_decode(path);
        let site_path = if let Some(abs) = decoded.strip_prefix('/') {
            Some(abs.to_string())
        } else {
            normalize(&format!("{}/{decoded}", self.rel.snap.folder))
        };
        let Some(site_path) = site_path else {
            let t = Target::Text;
            self.report(href, "link above the site's root", &t);
            return t;
        };
        let inside = site_path.strip_prefix(&format!("{}/", self.rel.snap.folder)).map(str::to_string);
        let Some(rel) = inside else {
            let t = self.absolute(&site_path, suffix);
            self.report(href, "outside the snapshot", &t);
            return t;
        };
        if !image && !rel.contains('/') && is_html_name(&rel) {
            let stem = rel.rsplit_once('.').map(|(s, _)| s).unwrap_or(&rel);
            let slug = self.find_slug(stem);
            if let Some(slug) = slug {
                if suffix.contains('#') {
                    let t = Target::Url(format!("{slug}.md"));
                    self.report(href, "the link's #fragment was dropped", &t);
                }
                self.cross_links += 1;
                return Target::Url(format!("{slug}.md"));
            }
            let t = self.absolute(&site_path, suffix);
            self.report(href, "no such page in this release", &t);
            return t;
        }
        match self.rel.snap.find(&rel) {
            Some(found) if !is_html_name(found) || found.contains('/') => {
                self.file_links += 1;
                self.assets.insert(found.to_string());
                Target::Url(encode_path(found))
            }
            _ => {
                let t = self.absolute(&site_path, suffix);
                self.report(
                    href,
                    if image { "no such image in this release" } else { "no such file in this release" },
                    &t,
                );
                t
            }
        }
    }

    /// The article a page stem leads to in this release (through a stub), matched
    /// exactly or else ignoring letter case.
    fn find_slug(&self, stem: &str) -> Option<String> {
        let exact = |s: &str| {
            if self.rel.articles.contains(s) {
                Some(s.to_string())
            } else {
                self.rel.stubs.get(s).cloned()
            }
        };
        exact(stem).or_else(|| {
            let lower = stem.to_lowercase();
            let any =
                self.rel.articles.iter().chain(self.rel.stubs.keys()).find(|s| s.to_lowercase() == lower)?.clone();
            exact(&any)
        })
    }
}

impl Links for PageLinks<'_> {
    fn link(&mut self, href: &str) -> Target {
        self.resolve(href, false)
    }

    fn image(&mut self, src: &str) -> Target {
        self.resolve(src, true)
    }
}

/// The URL scheme of a link (`https`, `mailto`), lowercased, if it has one.
fn scheme(href: &str) -> Option<String> {
    let (s, _) = href.split_once(':')?;
    let ok = !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| s.to_ascii_lowercase())
}

/// Splits `path?query#fragment` into the path and the rest.
fn split_suffix(href: &str) -> (&str, &str) {
    let i = href.find(['?', '#']).unwrap_or(href.len());
    (&href[..i], &href[i..])
}

/// Resolves `.` and `..` in a `/`-separated path; `None` when it climbs above its start.
pub fn normalize(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    Some(out.join("/"))
}

/// A path as a Markdown link destination: characters that would end or break one are
/// percent-encoded.
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '%' => out.push_str("%25"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_schemes() {
        assert_eq!(normalize("m243/../m243/a.html").as_deref(), Some("m243/a.html"));
        assert_eq!(normalize("m243/../../x").as_deref(), None);
        assert_eq!(scheme("HTTPS://x").as_deref(), Some("https"));
        assert_eq!(scheme("a.html"), None);
        assert_eq!(scheme("c:x").as_deref(), Some("c"));
        assert_eq!(split_suffix("a.html#b"), ("a.html", "#b"));
        assert_eq!(percent_decode("my%20file.png"), "my file.png");
        assert_eq!(encode_path("images/my file (1).png"), "images/my%20file%20%281%29.png");
    }
}
