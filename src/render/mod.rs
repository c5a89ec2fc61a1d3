//! Rendering: Markdown bodies to HTML (once per distinct resolved source), link checks
//! per version, and page contexts for the templates.

pub mod links;
pub mod markdown;
pub mod page;
pub mod templates;

use std::collections::HashSet;

use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::model::{PerVersion, Site, VersionId};

pub use markdown::RenderedBody;
pub use templates::Theme;

/// URL prefix from a page in a version folder to the shared media folder.
pub const MEDIA_PREFIX: &str = "../media/";

/// Renders every body used by the selected built versions (by index into
/// [`Site::views`]), in parallel; bodies no selected version uses stay `None`.
pub fn bodies(site: &Site, selected: &[usize], diags: &mut Diagnostics) -> Vec<Option<RenderedBody>> {
    let mut used = vec![false; site.bodies.len()];
    for &vi in selected {
        for p in site.views[vi].pages.values() {
            used[p.body] = true;
        }
    }
    let assets: HashSet<&str> = site.assets.iter().map(|a| a.rel.as_str()).collect();
    let resolve = |slug: &str| site.lookup(slug).map(|a| a.id.to_string());
    let exists = |p: &str| assets.contains(p);
    let rendered: Vec<Option<RenderedBody>> = site
        .bodies
        .par_iter()
        .enumerate()
        .map(|(i, body)| {
            if !used[i] {
                return None;
            }
            let path = site.files[body.file].path.to_string_lossy();
            let under = path.strip_prefix("articles/").unwrap_or(&path);
            let dir = under.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let cx = markdown::Context { dir, resolve: &resolve, asset_exists: &exists, media_prefix: MEDIA_PREFIX };
            Some(markdown::render(&body.text, &cx))
        })
        .collect();

    // Problems found while rendering, once per file line, naming the versions.
    let mut per = PerVersion::default();
    for &vi in selected {
        for p in site.views[vi].pages.values() {
            let body = &site.bodies[p.body];
            let Some(r) = &rendered[p.body] else { continue };
            for (line, msg) in &r.problems {
                let path = site.files[body.file].path.clone();
                per.error(path, Some(body.file_line(*line)), vi, msg.clone());
            }
        }
    }
    let ids: Vec<&VersionId> = site.views.iter().map(|v| &v.version.id).collect();
    per.finish(&ids, diags);
    rendered
}
