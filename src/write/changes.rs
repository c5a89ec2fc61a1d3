//! `changes.html` per version (what changed since the previous built version) and a
//! diff page per changed article under `diff/`.

use serde::Serialize;

use super::{render_to, Out, WriteError, Written};
use crate::diff;
use crate::model::{ArticleId, Site};
use crate::render::page::{Target, VersionCx};
use crate::render::{RenderedBody, Theme};

#[derive(Serialize)]
struct Item {
    title: String,
    url: Option<String>,
    note: Option<String>,
    diff_url: Option<String>,
}

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
}

#[derive(Serialize)]
struct Changes {
    previous: Option<Previous>,
    total: usize,
    groups: Vec<Group>,
}

#[derive(Serialize)]
struct DiffPage {
    title: String,
    slug: String,
    from_label: String,
    page_url: String,
    lines: Vec<diff::DiffLine>,
}

/// Writes `changes.html` and the diff pages of the version `cx` stands for.
pub(super) fn write(
    o: &Out,
    site: &Site,
    theme: &Theme,
    cx: &VersionCx<'_>,
    _bodies: &[Option<RenderedBody>],
    w: &mut Written,
) -> Result<(), WriteError> {
    let vi = cx.vi;
    let view = cx.view();
    let vpath = &view.version.path;
    let mut targets = Vec::new();
    let common = cx.common(
        "changes",
        "changes",
        "What changed",
        "changes.html",
        0,
        Target::Fixed("changes.html"),
        None,
        &mut targets,
    );
    let mut changes = Changes { previous: None, total: 0, groups: Vec::new() };
    if vi > 0 {
        let prev = &site.views[vi - 1];
        let d = diff::versions(site, vi - 1, vi);
        let page_url = |slug: &str, tg: &mut Vec<String>| {
            tg.push(format!("{vpath}/{slug}.html"));
            Some(format!("{slug}.html"))
        };
        let mut groups = Vec::new();
        let mut touched = std::collections::BTreeSet::new();
        let items: Vec<Item> = d
            .added
            .iter()
            .map(|e| Item { title: e.title.clone(), url: page_url(&e.slug, &mut targets), note: None, diff_url: None })
            .collect();
        touched.extend(d.added.iter().map(|e| e.slug.clone()));
        groups.push(Group { key: "added", title: "Added", items });
        let items = d
            .removed
            .iter()
            .map(|e| {
                if cx.selected[vi - 1] {
                    targets.push(format!("{}/{}.html", prev.version.path, e.slug));
                }
                Item {
                    title: e.title.clone(),
                    url: Some(format!("../{}/{}.html", prev.version.path, e.slug)),
                    note: Some(format!("(last in {})", prev.version.label)),
                    diff_url: None,
                }
            })
            .collect();
        touched.extend(d.removed.iter().map(|e| e.slug.clone()));
        groups.push(Group { key: "removed", title: "Removed", items });
        let items = d
            .renamed
            .iter()
            .map(|r| Item {
                title: r.to.title.clone(),
                url: page_url(&r.to.slug, &mut targets),
                note: Some(format!("(was {}: {})", r.from.slug, r.from.title)),
                diff_url: None,
            })
            .collect();
        touched.extend(d.renamed.iter().map(|r| r.to.slug.clone()));
        groups.push(Group { key: "renamed", title: "Renamed", items });
        let title_of = |slug: &Option<String>| match slug {
            Some(s) => {
                view.pages.get(&ArticleId::new(s.as_str())).map(|p| p.title.clone()).unwrap_or_else(|| s.clone())
            }
            None => "the top level".to_string(),
        };
        let items = d
            .moved
            .iter()
            .map(|m| Item {
                title: m.title.clone(),
                url: page_url(&m.slug, &mut targets),
                note: Some(format!("(now under {})", title_of(&m.to_parent))),
                diff_url: None,
            })
            .collect();
        touched.extend(d.moved.iter().map(|m| m.slug.clone()));
        groups.push(Group { key: "moved", title: "Moved in the contents", items });
        let items = d
            .retitled
            .iter()
            .map(|r| Item {
                title: r.to_title.clone(),
                url: page_url(&r.slug, &mut targets),
                note: Some(format!("(was “{}”)", r.from_title)),
                diff_url: None,
            })
            .collect();
        touched.extend(d.retitled.iter().map(|r| r.slug.clone()));
        groups.push(Group { key: "retitled", title: "Retitled", items });

        let mut items = Vec::new();
        for c in &d.changed {
            let id = ArticleId::new(c.slug.as_str());
            let Some(cur) = view.pages.get(&id) else { continue };
            let Some(old) = site.counterpart_in(&id, vi - 1).and_then(|o| prev.pages.get(o)) else { continue };
            let rel = format!("{vpath}/diff/{}.html", c.slug);
            let mut dtargets = Vec::new();
            let dcommon = cx.common(
                "diff",
                &c.slug,
                &cur.title,
                &format!("diff/{}.html", c.slug),
                1,
                Target::Article(&id),
                Some(&id),
                &mut dtargets,
            );
            let page = DiffPage {
                title: cur.title.clone(),
                slug: c.slug.clone(),
                from_label: prev.version.label.clone(),
                page_url: format!("../{}.html", c.slug),
                lines: diff::lines(&site.bodies[old.body].text, &site.bodies[cur.body].text),
            };
            let ctx = minijinja::context! { diff => minijinja::Value::from_serialize(&page), ..minijinja::Value::from_serialize(&dcommon) };
            render_to(o, theme, "diff.html", &ctx, &rel, w)?;
            w.targets.extend(dtargets);
            targets.push(rel);
            items.push(Item {
                title: c.title.clone(),
                url: page_url(&c.slug, &mut targets),
                note: Some(format!("(+{} −{} lines)", c.lines_added, c.lines_removed)),
                diff_url: Some(format!("diff/{}.html", c.slug)),
            });
            touched.insert(c.slug.clone());
        }
        groups.push(Group { key: "changed", title: "Changed", items });
        groups.retain(|g| !g.items.is_empty());
        changes.total = touched.len();
        changes.groups = groups;
        changes.previous = Some(Previous {
            id: prev.version.id.to_string(),
            label: prev.version.label.clone(),
            path: prev.version.path.clone(),
        });
    }
    let ctx = minijinja::context! { changes => minijinja::Value::from_serialize(&changes), ..minijinja::Value::from_serialize(&common) };
    render_to(o, theme, "changes.html", &ctx, &format!("{vpath}/changes.html"), w)?;
    w.targets.extend(targets);
    Ok(())
}
