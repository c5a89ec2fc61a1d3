//! Finding what to compare: a built version by name, label or folder, and an article
//! by slug or alias, with close matches when there is none; and one article's diff.

use super::report::{self, ArticleDiff, Side, Sides, VersionRef};
use crate::model::{Site, VersionId};

/// The built version named `name` (its name, else its label, else its output path).
pub fn find_version(site: &Site, name: &str) -> Result<usize, String> {
    if let Some(i) = site.view_index(&VersionId::new(name)) {
        return Ok(i);
    }
    if let Some(i) = site.views.iter().position(|v| v.version.label == name || v.version.path == name) {
        return Ok(i);
    }
    if let Some(v) = site.versions.iter().find(|v| v.id.as_str() == name && !v.is_built()) {
        return Err(format!(
            "version '{name}' is external ({}) and is not built, so it cannot be compared",
            v.url.as_deref().unwrap_or("")
        ));
    }
    let names: Vec<&str> = site.views.iter().map(|v| v.version.id.as_str()).collect();
    let close = similar::get_close_matches(name, &names, 3, 0.6);
    let hint = if close.is_empty() { String::new() } else { format!("; did you mean {}?", close.join(" or ")) };
    let known = if names.is_empty() { "none".to_string() } else { names.join(", ") };
    Err(format!("unknown version '{name}'{hint} (built versions: {known})"))
}

/// Slugs and aliases close to `slug`: similar spellings first, then slugs containing it.
pub fn close_slugs<'s>(site: &'s Site, slug: &str) -> Vec<&'s str> {
    let all: Vec<&str> =
        site.articles.keys().map(|id| id.as_str()).chain(site.aliases.keys().map(|a| a.as_str())).collect();
    let mut out = similar::get_close_matches(slug, &all, 5, 0.6);
    let needle = slug.to_lowercase();
    if needle.len() >= 3 {
        for s in &all {
            if out.len() >= 5 {
                break;
            }
            if s.to_lowercase().contains(&needle) && !out.contains(s) {
                out.push(s);
            }
        }
    }
    out
}

/// The diff of the article named `slug` (a slug or an alias) from built version `a` to
/// `b`; `Err` says why there is none.
pub fn article<'s>(
    site: &'s Site,
    slug: &str,
    a: usize,
    b: usize,
    context: usize,
    word: bool,
) -> Result<ArticleDiff<'s>, String> {
    let Some(art) = site.lookup(slug) else {
        let close = close_slugs(site, slug);
        return Err(if close.is_empty() {
            format!("no article '{slug}' in the manual")
        } else {
            format!("no article '{slug}' in the manual; close matches: {}", close.join(", "))
        });
    };
    let page_in = |vi: usize| site.counterpart_in(&art.id, vi).and_then(|id| site.views[vi].pages.get(id));
    let (pa, pb) = (page_in(a), page_in(b));
    if pa.is_none() && pb.is_none() {
        return Err(format!(
            "'{}' is in neither {} nor {}; it exists in {}",
            art.id,
            site.views[a].version.id,
            site.views[b].version.id,
            site.describe_presence(&art.presence)
        ));
    }
    let ta = pa.map(|p| &*site.bodies[p.body].text).unwrap_or("");
    let tb = pb.map(|p| &*site.bodies[p.body].text).unwrap_or("");
    let hunks = super::text::hunks(ta, tb, context, word);
    let (lines_added, lines_removed) = super::text::line_counts(ta, tb);
    let meta_differs = match (pa, pb) {
        (Some(x), Some(y)) => x.id != y.id || x.title != y.title,
        _ => true,
    };
    Ok(ArticleDiff {
        schema: report::SCHEMA,
        kind: "article",
        slug: art.id.as_str(),
        from: VersionRef::of(site, a),
        to: VersionRef::of(site, b),
        article: Sides { from: Side::of(site, pa), to: Side::of(site, pb) },
        changed: meta_differs || !hunks.is_empty(),
        lines_added,
        lines_removed,
        mode: if word { "word" } else { "line" },
        context,
        hunks,
    })
}
