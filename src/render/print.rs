//! The print page of a version (`print.html`): the whole manual in reading order on one
//! page, to print or save as PDF from the browser.
//!
//! The page holds a cover, a table of contents and every article, nested in `<article>`
//! elements as the nav tree nests them. Ids must be unique on the page, so each
//! article's ids are prefixed with its slug (`<slug>--<id>`), and its title carries the
//! slug itself; links between articles of the version become links within the page
//! (`other.html#x` → `#other--x`, `#x` → `#<slug>--x`). Other links (media, external)
//! are kept: the page sits in the version folder, as article pages do. Images load
//! lazily (`loading="lazy"`), which Chromium still prints in full.
//!
//! An article with children can be shown alone: its `<article>` carries
//! `id="section:<slug>"` (`:` is never in a slug nor in a heading id folio makes, so the
//! id cannot meet another), and the theme's stylesheet shows only the targeted article
//! and its descendants (`:target`, `:has()`), with JavaScript or without. Each article's
//! own part (title and body) is wrapped (`div.print-own`), so that the stylesheet hides
//! those parts and shows the target's and its descendants' again, without testing each
//! article for what it contains. A link to an article (`#other`) lands on its title and
//! keeps the whole manual shown.

use std::collections::HashMap;
use std::fmt::Write as _;

use lol_html::{element, rewrite_str, RewriteStrSettings};
use minijinja::Value;
use rayon::prelude::*;
use serde::Serialize;

use super::markdown::percent_decode;
use super::page::{Common, Target, VersionCx};
use super::templates::escape_html;
use super::RenderedBody;
use crate::model::ArticleId;

/// The id that shows article `slug` alone on the print page (`print.html#section:<slug>`).
pub fn section_id(slug: &str) -> String {
    format!("section:{slug}")
}

/// The context of `print.html`.
#[derive(Debug, Clone, Serialize)]
pub struct PrintContext {
    #[serde(flatten)]
    pub common: Common,
    /// The table of contents: nested `<ol>`s of links to the articles (safe HTML).
    pub toc: Value,
    /// Every article in reading order, nested (safe HTML).
    pub articles: Value,
    /// How many articles the page holds.
    pub count: usize,
}

/// `href` as the print page links it, from the article `slug`: `None` when it stays as
/// it is. `is_page` says whether a slug is an article of the version.
fn in_page_href(href: &str, slug: &str, is_page: &dyn Fn(&str) -> bool) -> Option<String> {
    if let Some(frag) = href.strip_prefix('#') {
        return (!frag.is_empty()).then(|| format!("#{slug}--{frag}"));
    }
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    // Links between pages of the version folder: no folder, no query, `<slug>.html`.
    let target = path.strip_suffix(".html")?;
    if target.is_empty() || target.contains(['/', '?', ':']) {
        return None;
    }
    let target = percent_decode(target);
    if !is_page(&target) {
        return None;
    }
    Some(match frag {
        Some(f) if !f.is_empty() => format!("#{target}--{f}"),
        _ => format!("#{target}"),
    })
}

/// The body `html` of article `slug` as the print page shows it: every id prefixed with
/// `<slug>--`, links within the article or to another article of the version
/// (`is_page`) turned into links within the page, and images loaded lazily.
pub fn rewrite_body(html: &str, slug: &str, is_page: &dyn Fn(&str) -> bool) -> String {
    let prefix = format!("{slug}--");
    let settings = RewriteStrSettings {
        element_content_handlers: vec![
            element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    el.set_attribute("id", &format!("{prefix}{id}"))?;
                }
                Ok(())
            }),
            // Loaded as the reader scrolls: Chromium still loads every one to print.
            element!("img:not([loading])", |el| el.set_attribute("loading", "lazy").map_err(Into::into)),
            element!("a[href], area[href]", |el| {
                if let Some(href) = el.get_attribute("href") {
                    if let Some(new) = in_page_href(&href, slug, is_page) {
                        el.set_attribute("href", &new)?;
                    }
                }
                Ok(())
            }),
        ],
        ..RewriteStrSettings::new()
    };
    // The body is folio's own rendering; should the rewriter refuse it, the page keeps
    // the body as it is rather than losing it.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

impl VersionCx<'_> {
    /// The context of the version's print page, `file` (`print.html`, or `~print.html`
    /// where an article has that name), from the rendered `bodies` (aligned with
    /// `site.bodies`); returns it with the site-relative files its links point at.
    pub fn print(&self, file: &str, bodies: &[Option<RenderedBody>]) -> (PrintContext, Vec<String>) {
        let mut targets = Vec::new();
        let view = self.view();
        let site = self.site;
        let title = format!("{} {}", site.config.title, view.version.label);
        let common = self.common("print", "print", &title, file, 0, Target::Fixed(file), None, &mut targets);
        let nav = &view.nav;
        let is_page = |s: &str| view.pages.contains_key(s);
        let file_html = escape_html(file);

        // Each article's own part (in parallel: rewriting is the page's bulk of work).
        let own: Vec<String> = nav
            .order
            .par_iter()
            .map(|id| {
                let page = &view.pages[id];
                let slug = escape_html(id.as_str());
                let title = escape_html(&page.title);
                let mut s = String::new();
                s.push_str("<div class=\"print-own\">");
                if !nav.children_of(id).is_empty() {
                    let _ = write!(
                        s,
                        "<p class=\"print-scope\">Showing one section: {title} \u{b7} <a href=\"{file_html}\">Show the whole manual</a></p>"
                    );
                }
                let _ = writeln!(s, "<h2 class=\"print-title\" id=\"{slug}\">{title}</h2>");
                if let Some(body) = &bodies[page.body] {
                    let html = body.html_in(|rel| site.asset_in(rel, self.vi), super::MEDIA_PREFIX);
                    s.push_str(&rewrite_body(&html, id.as_str(), &is_page));
                }
                s.push_str("</div>\n");
                s
            })
            .collect();

        // Nest them as the tree does; the table of contents follows the same walk.
        let mut articles = String::with_capacity(own.iter().map(|s| s.len() + 64).sum());
        let mut toc = String::with_capacity(96 * nav.order.len());
        let mut depths: Vec<usize> = Vec::new();
        let mut lists = 0;
        let mut depth_of: HashMap<&ArticleId, usize> = HashMap::with_capacity(nav.order.len());
        for (id, own) in nav.order.iter().zip(&own) {
            let d = nav.parent.get(id).and_then(|p| depth_of.get(p)).map_or(0, |d| d + 1);
            depth_of.insert(id, d);
            while depths.last().is_some_and(|&open| open >= d) {
                depths.pop();
                articles.push_str("</article>\n");
            }
            depths.push(d);
            // One list per level: a sibling continues the list, a child opens one.
            while lists > d + 1 {
                lists -= 1;
                toc.push_str("</ol>");
            }
            while lists < d + 1 {
                lists += 1;
                toc.push_str("<ol>");
            }
            let slug = escape_html(id.as_str());
            if nav.children_of(id).is_empty() {
                articles.push_str("<article>\n");
            } else {
                let _ = writeln!(articles, "<article id=\"{}\">", escape_html(&section_id(id.as_str())));
            }
            articles.push_str(own);
            // No `</li>`: the next `<li>` or the list's end closes it.
            let _ = write!(toc, "<li><a href=\"#{slug}\">{}</a>", escape_html(&view.pages[id].title));
        }
        while depths.pop().is_some() {
            articles.push_str("</article>\n");
        }
        toc.push_str(&"</ol>".repeat(lists));
        let ctx = PrintContext {
            common,
            toc: Value::from_safe_string(toc),
            articles: Value::from_safe_string(articles),
            count: nav.order.len(),
        };
        (ctx, targets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(s: &str) -> bool {
        ["setup", "econnector", "a.b"].contains(&s)
    }

    #[test]
    fn ids_are_prefixed_with_the_slug() {
        let html = "<h2 id=\"firewall\"><a class=\"anchor\" href=\"#firewall\">Firewall</a></h2>\n\
                    <p>x<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n\
                    <div class=\"footnote-definition\" id=\"1\">note</div>\n";
        let out = rewrite_body(html, "setup", &pages);
        assert_eq!(
            out,
            "<h2 id=\"setup--firewall\"><a class=\"anchor\" href=\"#setup--firewall\">Firewall</a></h2>\n\
             <p>x<sup class=\"footnote-reference\"><a href=\"#setup--1\">1</a></sup></p>\n\
             <div class=\"footnote-definition\" id=\"setup--1\">note</div>\n"
        );
    }

    #[test]
    fn links_to_articles_of_the_version_become_links_within_the_page() {
        let out = rewrite_body(
            "<a href=\"econnector.html\">a</a> <a href=\"econnector.html#fw\">b</a> <a href=\"a.b.html\">c</a>",
            "setup",
            &pages,
        );
        assert_eq!(out, "<a href=\"#econnector\">a</a> <a href=\"#econnector--fw\">b</a> <a href=\"#a.b\">c</a>");
    }

    #[test]
    fn other_links_are_left_alone() {
        let html = "<a href=\"../manual171/setup.html\">old</a> <a href=\"https://example.com/setup.html\">x</a> \
                    <a href=\"../media/guide.pdf#page=2\">pdf</a> <img src=\"../media/a.png\" alt=\"\" loading=\"eager\"> \
                    <a href=\"gone.html\">gone</a> <a href=\"setup.html?x=1\">q</a> <a href=\"#\">top</a>";
        assert_eq!(rewrite_body(html, "setup", &pages), html);
    }

    #[test]
    fn images_load_lazily() {
        assert_eq!(
            rewrite_body("<img src=\"../media/a.png\" alt=\"a\" />", "setup", &pages),
            "<img src=\"../media/a.png\" alt=\"a\" loading=\"lazy\" />"
        );
    }

    #[test]
    fn escaped_ids_and_encoded_links_stay_well_formed() {
        let out = rewrite_body("<h2 id=\"a&amp;b\">A</h2><a href=\"a%2Eb.html#a&amp;b\">x</a>", "setup", &pages);
        assert_eq!(out, "<h2 id=\"setup--a&amp;b\">A</h2><a href=\"#a.b--a&amp;b\">x</a>");
    }
}
