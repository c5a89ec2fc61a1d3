//! Link checks: every cross-link must reach an article (and heading) of the same version,
//! and every link to an asset with revisions a file of it in that version.

use crate::diag::Diagnostics;
use crate::model::{ArticleId, Page, PerVersion, Site, VersionId};

use super::RenderedBody;

/// Checks the cross-links of every page of the selected versions; problems name the
/// file, line and versions, and say where the target does exist.
pub fn check(site: &Site, bodies: &[Option<RenderedBody>], selected: &[usize], diags: &mut Diagnostics) {
    let mut per = PerVersion::default();
    for &vi in selected {
        for page in site.views[vi].pages.values() {
            let body = &site.bodies[page.body];
            let path = &site.files[body.file].path;
            page_problems(site, bodies, vi, page, |line, msg| {
                per.error(path.clone(), Some(body.file_line(line)), vi, msg)
            });
        }
    }
    let ids: Vec<&VersionId> = site.views.iter().map(|v| &v.version.id).collect();
    per.finish(&ids, diags);
}

/// Whether [`check`] finds nothing wrong with the links of article `id`'s page in built
/// version `vi` (true when the version has no such page).
pub fn page_ok(site: &Site, bodies: &[Option<RenderedBody>], vi: usize, id: &ArticleId) -> bool {
    let Some(page) = site.views[vi].pages.get(id) else { return true };
    let mut ok = true;
    page_problems(site, bodies, vi, page, |_, _| ok = false);
    ok
}

/// Reports each problem with the links of `page` in built version `vi`:
/// `report(line in the body, message)`.
fn page_problems(
    site: &Site,
    bodies: &[Option<RenderedBody>],
    vi: usize,
    page: &Page,
    mut report: impl FnMut(usize, String),
) {
    let view = &site.views[vi];
    let Some(r) = &bodies[page.body] else { return };
    asset_problems(site, r, vi, &mut report);
    for link in &r.links {
        let (target_id, target_body) = match &link.slug {
            None => (page.id.clone(), Some(r)),
            Some(slug) => {
                let Some(article) = site.lookup(slug) else {
                    if site.unreadable.contains(slug.as_str()) {
                        // The target's own file is in error (reported there).
                        continue;
                    }
                    report(
                        link.line,
                        format!("link target '{slug}' does not exist: no article or alias has that slug"),
                    );
                    continue;
                };
                match site.resolve_in(slug, vi).and_then(|id| view.pages.get(id)) {
                    None => {
                        let removed_here = site.views[..vi].iter().any(|v| v.pages.contains_key(&article.id));
                        let what =
                            if removed_here { "was removed before this version" } else { "is not in this version" };
                        report(
                            link.line,
                            format!(
                                "link target '{slug}' {what} (it exists in {})",
                                site.describe_presence(&article.presence)
                            ),
                        );
                        continue;
                    }
                    Some(tp) => (tp.id.clone(), bodies[tp.body].as_ref()),
                }
            }
        };
        let (Some(frag), Some(tb)) = (&link.fragment, target_body) else { continue };
        if frag.is_empty() || tb.headings.iter().any(|h| &h.id == frag) {
            continue;
        }
        // Where does that heading exist?
        let mut mask = vec![false; site.views.len()];
        for (wi, w) in site.views.iter().enumerate() {
            if let Some(p) = w.pages.get(&target_id) {
                if let Some(b) = &bodies[p.body] {
                    mask[wi] = b.headings.iter().any(|h| &h.id == frag);
                }
            }
        }
        let where_ = if mask.iter().any(|m| *m) {
            format!("it exists in {}", site.describe_presence(&mask))
        } else {
            let ids: Vec<&str> = tb.headings.iter().map(|h| h.id.as_str()).take(8).collect();
            format!("headings here: {}", if ids.is_empty() { "none".to_string() } else { ids.join(", ") })
        };
        report(
            link.line,
            format!("link target '{target_id}#{frag}': no heading with id '{frag}' in this version ({where_})"),
        );
    }
}

/// Reports each link of `r` to an asset with revisions that has no file in built
/// version `vi` (it starts with a later revision): `report(line, message)`. Returns
/// whether there was none.
pub fn asset_problems(site: &Site, r: &RenderedBody, vi: usize, mut report: impl FnMut(usize, String)) -> bool {
    let mut ok = true;
    for link in &r.revised {
        if site.asset_in(&link.rel, vi).is_some() {
            continue;
        }
        ok = false;
        let what = if link.is_image { "image" } else { "link target" };
        let present: Vec<bool> = site
            .media
            .revised
            .get(&link.rel)
            .map(|a| a.in_version.iter().map(|f| f.is_some()).collect())
            .unwrap_or_default();
        report(
            link.line,
            format!(
                "{what} '{}' is not in this version (the asset exists in {})",
                link.rel,
                site.describe_presence(&present)
            ),
        );
    }
    ok
}
