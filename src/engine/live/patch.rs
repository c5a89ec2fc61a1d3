//! The patch path's edit of the model: one article file's new body, resolved for each
//! version whose page uses the file and rendered, in the body slots the file had.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::{stamp, Live};
use crate::load;
use crate::model::only::{self, OnlyBlocks};
use crate::model::{ArticleId, Body, BodyId, VersionId};
use crate::render::markdown::RenderedBody;
use crate::render::{self, AssetLinks};

/// A changed article file the fast path can take.
pub(super) struct FilePatch {
    fi: usize,
    body: Arc<str>,
    blocks: OnlyBlocks,
}

/// The patch for `rel` when only its body changed and its only-blocks are valid (the
/// full model reports problems with them); `None` sends the change to the full model.
pub(super) fn eligible(root: &Path, cur: &Live, rel: &Path) -> Option<FilePatch> {
    let &fi = cur.by_path.get(rel)?;
    let old_yaml = cur.yaml.get(rel)?;
    let f = &cur.manual.site.files[fi];
    let article = cur.manual.site.articles.get(&ArticleId::new(f.slug.as_str()))?;
    if !article.files.contains(&fi) {
        return None;
    }
    let text = load::read_source(&root.join(rel))?;
    let (yaml, body, body_line) = load::split_front_matter(&text)?;
    if yaml != old_yaml || body_line != f.body_line {
        return None;
    }
    let blocks = only::parse(body).ok()?;
    let known = |v: &String| cur.manual.site.versions.iter().any(|x| x.id.as_str() == v);
    for b in &blocks.blocks {
        if ![&b.range.from, &b.range.to].into_iter().flatten().all(known) {
            return None;
        }
        if let (Some(a), Some(z)) = (&b.range.from, &b.range.to) {
            if VersionId::new(a.as_str()) > VersionId::new(z.as_str()) {
                return None;
            }
        }
    }
    Some(FilePatch { fi, body: Arc::from(body), blocks })
}

/// What applying one [`FilePatch`] did.
pub(super) struct Patched {
    pub id: ArticleId,
    /// Built versions whose page of the article comes from the patched file.
    pub pages: Vec<usize>,
    /// Those of them whose text changed.
    pub changed: Vec<usize>,
    /// Built versions whose `changes.html` may show the article differently: where it
    /// differs from the version before, before or after the edit (renames aside).
    pub changes: Vec<usize>,
    /// A heading id appeared or went in some version (links into the page may break).
    pub headings_changed: bool,
}

/// Whether only-block range `r` contains version `v` (as the model decides it).
fn range_contains(r: &only::RangeText, v: &VersionId) -> bool {
    let from_ok = r.from.as_ref().is_none_or(|f| VersionId::new(f.as_str()) <= *v);
    let to_ok = r.to.as_ref().is_none_or(|t| *v <= VersionId::new(t.as_str()));
    from_ok && to_ok
}

/// Replaces one file's body in the model: resolves it for each version whose page uses
/// the file (one [`Body`] per distinct set of active only-blocks, reusing the file's old
/// slots), renders the new bodies and points the pages at them.
pub(super) fn apply_patch(cur: &mut Live, p: FilePatch) -> Patched {
    let site = &cur.manual.site;
    let f = &site.files[p.fi];
    let id = ArticleId::new(f.slug.as_str());
    // Plan: (version, old body, new body key).
    let mut keys: Vec<Vec<bool>> = Vec::new();
    let mut texts: Vec<(Arc<str>, Vec<u32>)> = Vec::new();
    let mut plan: Vec<(usize, BodyId, usize)> = Vec::new();
    for (vi, view) in site.views.iter().enumerate() {
        let Some(page) = view.pages.get(&id) else { continue };
        if page.file != p.fi {
            continue;
        }
        let active: Vec<bool> = p.blocks.blocks.iter().map(|b| range_contains(&b.range, &view.version.id)).collect();
        let k = match keys.iter().position(|k| *k == active) {
            Some(k) => k,
            None => {
                texts.push(crate::model::resolve_body(Some(&p.blocks), &p.body, f.body_line, &active));
                keys.push(active);
                keys.len() - 1
            }
        };
        plan.push((vi, page.body, k));
    }
    let assets = AssetLinks::new(site);
    let rendered: Vec<RenderedBody> =
        texts.par_iter().map(|(text, _)| render::body_text(site, &assets, p.fi, text)).collect();
    let ids_of = |r: Option<&RenderedBody>| r.map(|r| r.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>());
    let mut changed = Vec::new();
    let mut headings_changed = false;
    for &(vi, old, k) in &plan {
        if site.bodies[old].text != texts[k].0 {
            changed.push(vi);
        }
        headings_changed |= ids_of(cur.manual.bodies[old].as_ref()) != ids_of(Some(&rendered[k]));
    }
    // The article's text in each version, before and after.
    let before: Vec<Option<&str>> =
        site.views.iter().map(|v| v.pages.get(&id).map(|p| &*site.bodies[p.body].text)).collect();
    let mut after = before.clone();
    for &(vi, _, k) in &plan {
        after[vi] = Some(&*texts[k].0);
    }
    let changes: Vec<usize> = (1..site.views.len())
        .filter(|&vi| {
            let same_before = before[vi - 1].is_some() && before[vi - 1] == before[vi];
            let same_after = after[vi - 1].is_some() && after[vi - 1] == after[vi];
            (before[vi - 1], before[vi]) != (after[vi - 1], after[vi]) && !(same_before && same_after)
        })
        .collect();

    // Reuse the file's old slots (no other file's pages use them), append the rest.
    let mut free: Vec<BodyId> = plan.iter().map(|(_, old, _)| *old).collect::<BTreeSet<_>>().into_iter().collect();
    free.reverse();
    let mut slot_of = Vec::with_capacity(texts.len());
    for ((text, line_map), r) in texts.into_iter().zip(rendered) {
        let body = Body { file: p.fi, text, line_map };
        match free.pop() {
            Some(s) => {
                cur.manual.site.bodies[s] = body;
                cur.manual.bodies[s] = Some(r);
                cur.docs[s] = None;
                cur.stamps[s] = stamp();
                slot_of.push(s);
            }
            None => {
                cur.manual.site.bodies.push(body);
                cur.manual.bodies.push(Some(r));
                cur.docs.push(None);
                cur.stamps.push(stamp());
                slot_of.push(BodyId(cur.manual.site.bodies.len() - 1));
            }
        }
    }
    for s in free {
        // No page uses it any more.
        cur.manual.site.bodies[s].text = Arc::from("");
        cur.manual.site.bodies[s].line_map = Vec::new();
        cur.manual.bodies[s] = None;
        cur.docs[s] = None;
        cur.stamps[s] = stamp();
    }
    let mut pages = Vec::with_capacity(plan.len());
    for (vi, _, k) in plan {
        if let Some(page) = cur.manual.site.views[vi].pages.get_mut(&id) {
            page.body = slot_of[k];
        }
        pages.push(vi);
    }
    cur.manual.site.files[p.fi].body = p.body;
    Patched { id, pages, changed, changes, headings_changed }
}
