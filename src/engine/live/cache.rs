//! Reusing the work of the previous model: bodies whose file and text are unchanged keep
//! their rendering and search document; front matter as it was read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::Live;
use crate::diag::Diagnostics;
use crate::index::PreparedDoc;
use crate::load;
use crate::model::{PerVersion, Site, VersionId};
use crate::render::markdown::RenderedBody;
use crate::render::{self, AssetLinks};

/// Renders every body the site's pages use, taking those whose file and text are
/// unchanged from `old` (when links and media resolve the same way there). Returns the
/// bodies and how many were rendered anew; problems go into `diags`.
#[allow(clippy::type_complexity)]
pub(super) fn render_cached(
    site: &Site,
    old: Option<Live>,
    diags: &mut Diagnostics,
) -> (Vec<Option<RenderedBody>>, Vec<Option<Arc<PreparedDoc>>>, usize) {
    let mut used = vec![false; site.bodies.len()];
    for v in &site.views {
        for p in v.pages.values() {
            used[p.body] = true;
        }
    }
    let mut out: Vec<Option<RenderedBody>> = vec![None; site.bodies.len()];
    let mut docs: Vec<Option<Arc<PreparedDoc>>> = vec![None; site.bodies.len()];
    if let Some(mut old) = old {
        let same_assets = old.manual.site.assets.iter().map(|a| &a.rel).eq(site.assets.iter().map(|a| &a.rel))
            && old.manual.site.media.same_links(&site.media);
        if same_assets && old.manual.site.aliases == site.aliases {
            let mut by_path: HashMap<&Path, Vec<usize>> = HashMap::new();
            for (i, b) in old.manual.site.bodies.iter().enumerate() {
                if old.manual.bodies[i].is_some() {
                    by_path.entry(old.manual.site.files[b.file].path.as_path()).or_default().push(i);
                }
            }
            let mut moved: HashMap<usize, usize> = HashMap::new();
            for (i, b) in site.bodies.iter().enumerate() {
                if !used[i] {
                    continue;
                }
                let cands = by_path.get(site.files[b.file].path.as_path()).map(|v| v.as_slice()).unwrap_or(&[]);
                let Some(&oi) = cands.iter().find(|&&oi| old.manual.site.bodies[oi].text == b.text) else { continue };
                out[i] = match moved.get(&oi) {
                    Some(&first) => out[first].clone(),
                    None => {
                        moved.insert(oi, i);
                        // A search document also holds the file's slug, title and keywords.
                        let (of, nf) = (&old.manual.site.files[old.manual.site.bodies[oi].file], &site.files[b.file]);
                        if of.slug == nf.slug && of.front == nf.front {
                            docs[i] = old.docs[oi].take();
                        }
                        old.manual.bodies[oi].take()
                    }
                };
            }
        }
    }
    let assets = AssetLinks::new(site);
    let todo: Vec<usize> = (0..site.bodies.len()).filter(|&i| used[i] && out[i].is_none()).collect();
    let fresh: Vec<RenderedBody> =
        todo.par_iter().map(|&i| render::body_text(site, &assets, site.bodies[i].file, &site.bodies[i].text)).collect();
    let rendered = fresh.len();
    for (i, r) in todo.into_iter().zip(fresh) {
        out[i] = Some(r);
    }

    // Problems found while rendering, once per file line, naming the versions.
    let mut per = PerVersion::default();
    for (vi, v) in site.views.iter().enumerate() {
        for p in v.pages.values() {
            let body = &site.bodies[p.body];
            let Some(r) = &out[p.body] else { continue };
            for (line, msg) in &r.problems {
                per.error(site.files[body.file].path.clone(), Some(body.file_line(*line)), vi, msg.clone());
            }
        }
    }
    let ids: Vec<&VersionId> = site.views.iter().map(|v| &v.version.id).collect();
    per.finish(&ids, diags);
    (out, docs, rendered)
}

/// The raw front matter of every article file whose text on disk is still what `site`
/// holds (a file changed since it was loaded is left out, so it takes the full path).
pub(super) fn read_yaml(root: &Path, site: &Site) -> HashMap<PathBuf, String> {
    site.files
        .par_iter()
        .filter_map(|f| {
            let text = load::read_source(&root.join(&f.path))?;
            let (yaml, body, body_line) = load::split_front_matter(&text)?;
            (body == &*f.body && body_line == f.body_line).then(|| (f.path.clone(), yaml.to_string()))
        })
        .collect()
}
