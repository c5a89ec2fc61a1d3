//! Link checks: every cross-link must reach an article (and heading) of the same version.

use crate::diag::Diagnostics;
use crate::model::{PerVersion, Site, VersionId};

use super::RenderedBody;

/// Checks the cross-links of every page of the selected versions; problems name the
/// file, line and versions, and say where the target does exist.
pub fn check(site: &Site, bodies: &[Option<RenderedBody>], selected: &[usize], diags: &mut Diagnostics) {
    let mut per = PerVersion::default();
    for &vi in selected {
        let view = &site.views[vi];
        for page in view.pages.values() {
            let body = &site.bodies[page.body];
            let Some(r) = &bodies[page.body] else { continue };
            let path = &site.files[body.file].path;
            for link in &r.links {
                let line = Some(body.file_line(link.line));
                let (target_id, target_body) = match &link.slug {
                    None => (page.id.clone(), Some(r)),
                    Some(slug) => {
                        let Some(article) = site.lookup(slug) else {
                            per.error(
                                path.clone(),
                                line,
                                vi,
                                format!("link target '{slug}' does not exist: no article or alias has that slug"),
                            );
                            continue;
                        };
                        match site.resolve_in(slug, vi).and_then(|id| view.pages.get(id)) {
                            None => {
                                let removed_here = site.views[..vi].iter().any(|v| v.pages.contains_key(&article.id));
                                let what = if removed_here {
                                    "was removed before this version"
                                } else {
                                    "is not in this version"
                                };
                                per.error(
                                    path.clone(),
                                    line,
                                    vi,
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
                per.error(
                    path.clone(),
                    line,
                    vi,
                    format!("link target '{target_id}#{frag}': no heading with id '{frag}' in this version ({where_})"),
                );
            }
        }
    }
    let ids: Vec<&VersionId> = site.views.iter().map(|v| &v.version.id).collect();
    per.finish(&ids, diags);
}
