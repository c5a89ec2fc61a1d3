//! `changes.html` per version (what changed since the previous built version, grouped
//! as `folio diff` groups it) and a diff page `diff/<slug>.html` for every article that
//! was renamed, retitled or changed in content there.
//!
//! The manual's timeline (`assets/timeline.<hash>.js`, see [`crate::diff::timeline`]) is
//! written once per site; the what-changed pages load it to compare any two versions.
//!
//! Diff pages show the text readers see, block by block, with a word diff inside
//! changed blocks (see [`crate::diff::prose`] for why the resolved Markdown is compared
//! rather than the rendered HTML), and the Markdown source diff folded away for
//! writers. Everything comes from the model, so the page exists even when the previous
//! version is not part of this build. Diff pages render in parallel; their order and
//! content do not depend on it.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::record::render_to;
use super::record::Written;
use crate::diff::timeline::Timeline;
use crate::diff::{self, prose, text, Step};
use crate::error::Error;
use crate::model::{ArticleId, Page, Site};
use crate::render::page::{Target, VersionCx};
use crate::render::templates::hashed_name;
use crate::render::{RenderedBody, Theme};
use crate::write::Sink;

/// Rows of unchanged text kept in view around each change on a diff page.
const CONTEXT_ROWS: usize = 2;

#[derive(Serialize)]
struct Item {
    title: String,
    url: String,
    note: Option<String>,
    diff_url: Option<String>,
}

/// An item with what sorts it: its position in the contents, then its slug.
type Sorted = (usize, String, Item);

#[derive(Serialize)]
struct Group {
    key: &'static str,
    title: &'static str,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Previous {
    id: String,
    label: String,
    path: String,
    changes_url: String,
}

#[derive(Serialize)]
struct Changes {
    previous: Option<Previous>,
    total: usize,
    /// "1 added", "3 changed", ...: the non-empty groups.
    summary: Vec<String>,
    groups: Vec<Group>,
}

/// One side of a diff page.
#[derive(Serialize)]
struct SideInfo {
    label: String,
    slug: String,
    title: String,
    url: String,
}

#[derive(Serialize)]
struct MovedInfo {
    from: String,
    to: String,
}

#[derive(Serialize)]
struct SourceHunk {
    header: String,
    lines: Vec<text::Line>,
}

#[derive(Serialize)]
struct DiffPage {
    title: String,
    slug: String,
    from: SideInfo,
    to: SideInfo,
    renamed: bool,
    retitled: bool,
    moved: Option<MovedInfo>,
    text_changed: bool,
    counts: prose::RowCounts,
    chunks: Vec<prose::Chunk>,
    source: Vec<SourceHunk>,
    changes_url: String,
}

/// Writes the manual's timeline, the data that compares any two versions in the browser,
/// under a content-hashed name; returns that name's path from the site root, as
/// templates find it in `assets['timeline.js']`.
pub(super) fn write_timeline(o: &Sink, site: &Site, w: &mut Written) -> Result<String, Error> {
    let script = Timeline::of(site).script();
    let rel = format!("assets/{}", hashed_name("timeline.js", script.as_bytes()));
    o.write(&rel, script.as_bytes())?;
    w.files.push(rel.clone());
    Ok(rel)
}

/// Writes `changes.html` and the diff pages of the version `cx` stands for. Rendered
/// bodies are not needed: diffs read the model.
pub(super) fn write(
    o: &Sink,
    site: &Site,
    theme: &Theme,
    cx: &VersionCx<'_>,
    _bodies: &[Option<RenderedBody>],
    w: &mut Written,
) -> Result<(), Error> {
    let vi = cx.vi;
    let view = cx.view();
    let vpath = &view.version.path;
    let mut targets = Vec::new();
    let page = &site.own.changes;
    let common = cx.common("changes", "changes", "What changed", page, 0, Target::Fixed(page), None, &mut targets);
    let mut changes = Changes { previous: None, total: 0, summary: Vec::new(), groups: Vec::new() };
    if let Some(pi) = vi.checked_sub(1) {
        let prev = &site.views[pi];
        let d = diff::versions(site, pi, vi);
        let diffs = write_diff_pages(o, site, theme, cx, &d, w)?;
        targets.extend(diffs.iter().map(|slug| format!("{vpath}/diff/{slug}.html")));
        let diff_url = |slug: &str| diffs.contains(slug).then(|| format!("diff/{slug}.html"));
        // In reading order, as the contents list them.
        let pos = |v: &crate::model::VersionView, slug: &str| {
            v.nav.position.get(&ArticleId::new(slug)).copied().unwrap_or(usize::MAX)
        };
        let mut here = |slug: &str, title: &str, note: Option<String>| {
            targets.push(format!("{vpath}/{slug}.html"));
            (
                pos(view, slug),
                slug.to_string(),
                Item { title: title.to_string(), url: format!("{slug}.html"), note, diff_url: diff_url(slug) },
            )
        };
        let quoted = |t: &str| format!("“{t}”");
        let parent = |p: &Option<diff::Entry>| match p {
            Some(e) => quoted(&e.title),
            None => "the top level".to_string(),
        };

        let mut groups: Vec<(&'static str, &'static str, Vec<Sorted>)> = vec![
            ("added", "Added", d.added.iter().map(|e| here(&e.slug, &e.title, None)).collect()),
            (
                "renamed",
                "Renamed",
                d.renamed
                    .iter()
                    .map(|r| {
                        let note = if r.from_title != r.title {
                            format!("(formerly {}, at {}.html)", quoted(&r.from_title), r.from_slug)
                        } else {
                            format!("(formerly at {}.html)", r.from_slug)
                        };
                        here(&r.slug, &r.title, Some(note))
                    })
                    .collect(),
            ),
            (
                "moved",
                "Moved in the contents",
                d.moved
                    .iter()
                    .map(|m| {
                        let note = format!("(from under {} to under {})", parent(&m.from_parent), parent(&m.to_parent));
                        here(&m.slug, &m.title, Some(note))
                    })
                    .collect(),
            ),
            (
                "retitled",
                "Retitled",
                d.retitled
                    .iter()
                    .map(|r| here(&r.slug, &r.title, Some(format!("(formerly {})", quoted(&r.from_title)))))
                    .collect(),
            ),
            ("changed", "Changed", d.changed.iter().map(|c| here(&c.slug, &c.title, None)).collect()),
        ];
        let removed = d
            .removed
            .iter()
            .map(|e| {
                if cx.selected[pi] {
                    targets.push(format!("{}/{}.html", prev.version.path, e.slug));
                }
                let item = Item {
                    title: e.title.clone(),
                    url: format!("../{}/{}.html", prev.version.path, e.slug),
                    note: Some(format!("(last in {})", prev.version.label)),
                    diff_url: None,
                };
                (pos(prev, &e.slug), e.slug.clone(), item)
            })
            .collect();
        groups.insert(1, ("removed", "Removed", removed));

        for (key, title, mut items) in groups {
            if items.is_empty() {
                continue;
            }
            items.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
            changes.summary.push(format!("{} {key}", items.len()));
            changes.groups.push(Group { key, title, items: items.into_iter().map(|(_, _, item)| item).collect() });
        }
        changes.total = d.total();
        if cx.selected[pi] {
            targets.push(format!("{}/{page}", prev.version.path));
        }
        changes.previous = Some(Previous {
            id: prev.version.id.to_string(),
            label: prev.version.label.clone(),
            path: prev.version.path.clone(),
            changes_url: format!("../{}/{page}", prev.version.path),
        });
    }
    let ctx = minijinja::context! { changes => minijinja::Value::from_serialize(&changes), ..minijinja::Value::from_serialize(&common) };
    render_to(o, theme, "changes.html", &ctx, &format!("{vpath}/{page}"), w)?;
    w.targets.extend(targets);
    Ok(())
}

/// Writes a diff page for every article of the version that [`diff::step`] calls
/// modified; returns their slugs.
fn write_diff_pages(
    o: &Sink,
    site: &Site,
    theme: &Theme,
    cx: &VersionCx<'_>,
    d: &diff::VersionDiff,
    w: &mut Written,
) -> Result<BTreeSet<String>, Error> {
    let vi = cx.vi;
    let view = cx.view();
    let modified: Vec<(&ArticleId, &Page, &Page)> = view
        .nav
        .order
        .iter()
        .filter_map(|id| match diff::step(site, id, vi) {
            Some(Step::Modified(old)) => Some((id, old, &view.pages[id])),
            _ => None,
        })
        .collect();
    let moved: HashMap<&str, &diff::Moved> = d.moved.iter().map(|m| (m.slug.as_str(), m)).collect();
    let parts: Vec<Written> = modified
        .par_iter()
        .map(|&(id, old, cur)| -> Result<Written, Error> {
            let mut part = Written::default();
            let page = diff_page(site, cx, old, cur, moved.get(id.as_str()).copied());
            let rel = format!("{}/diff/{id}.html", view.version.path);
            let common = cx.common(
                "diff",
                id.as_str(),
                &cur.title,
                &format!("diff/{id}.html"),
                1,
                Target::Article(id),
                Some(id),
                &mut part.targets,
            );
            let ctx = minijinja::context! { diff => minijinja::Value::from_serialize(&page), ..minijinja::Value::from_serialize(&common) };
            render_to(o, theme, "diff.html", &ctx, &rel, &mut part)?;
            part.targets.push(format!("{}/{id}.html", view.version.path));
            part.targets.push(format!("{}/{}", view.version.path, site.own.changes));
            let pi = vi - 1;
            if cx.selected[pi] {
                part.targets.push(format!("{}/{}.html", site.views[pi].version.path, old.id));
            }
            Ok(part)
        })
        .collect::<Result<_, _>>()?;
    for part in parts {
        let taken = std::mem::take(w);
        *w = taken.merge(part);
    }
    Ok(modified.iter().map(|(id, _, _)| id.to_string()).collect())
}

/// The context of the diff page of `cur` (in the version of `cx`) against `old` (its
/// page in the version before).
fn diff_page(site: &Site, cx: &VersionCx<'_>, old: &Page, cur: &Page, moved: Option<&diff::Moved>) -> DiffPage {
    let prev = &site.views[cx.vi - 1].version;
    let this = &cx.view().version;
    let (old_text, new_text) = (&site.bodies[old.body].text, &site.bodies[cur.body].text);
    let text_changed = old.body != cur.body && !text::same_text(old_text, new_text);
    let (counts, chunks, source) = if text_changed {
        let rows = prose::rows(&prose::blocks(old_text), &prose::blocks(new_text));
        let source = text::hunks(old_text, new_text, 3, false)
            .into_iter()
            .map(|h| SourceHunk { header: h.header(), lines: h.lines })
            .collect();
        (prose::counts(&rows), prose::fold(rows, CONTEXT_ROWS), source)
    } else {
        (prose::RowCounts::default(), Vec::new(), Vec::new())
    };
    let parent =
        |p: &Option<diff::Entry>| p.as_ref().map(|e| format!("“{}”", e.title)).unwrap_or("the top level".into());
    DiffPage {
        title: cur.title.clone(),
        slug: cur.id.to_string(),
        from: SideInfo {
            label: prev.label.clone(),
            slug: old.id.to_string(),
            title: old.title.clone(),
            url: format!("../../{}/{}.html", prev.path, old.id),
        },
        to: SideInfo {
            label: this.label.clone(),
            slug: cur.id.to_string(),
            title: cur.title.clone(),
            url: format!("../{}.html", cur.id),
        },
        renamed: old.id != cur.id,
        retitled: old.title != cur.title,
        moved: moved.map(|m| MovedInfo { from: parent(&m.from_parent), to: parent(&m.to_parent) }),
        text_changed,
        counts,
        chunks,
        source,
        changes_url: format!("../{}", site.own.changes),
    }
}
