//! Rendering: Markdown bodies to HTML (once per distinct resolved source), link checks
//! per version, and page contexts for the templates.

pub mod anchors;
pub mod links;
pub mod markdown;
pub mod page;
pub mod print;
pub mod templates;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::model::{PerVersion, Site, VersionId};

pub use markdown::RenderedBody;
pub use templates::Theme;

/// URL prefix from a page in a version folder to the shared media folder.
pub const MEDIA_PREFIX: &str = "../media/";

/// The site's assets as link targets, looked up by path under `articles/`; made once per
/// model and shared by every body rendered from it (`folio build` and `folio serve`).
pub struct AssetLinks<'a> {
    site: &'a Site,
    files: HashMap<&'a str, usize>,
}

impl<'a> AssetLinks<'a> {
    pub fn new(site: &'a Site) -> Self {
        AssetLinks { site, files: site.assets.iter().enumerate().map(|(i, a)| (a.rel.as_str(), i)).collect() }
    }

    /// What a link to `rel` reaches: the base path of an asset with revisions is filled in
    /// per version; any other file (also a revision file named explicitly) is one file.
    pub fn link(&self, rel: &str) -> Option<markdown::AssetLink> {
        if self.site.media.revised.contains_key(rel) {
            return Some(markdown::AssetLink::Revised);
        }
        self.files.get(rel).map(|&f| markdown::AssetLink::File(self.site.media_path(f).to_string()))
    }
}

/// Renders `text`, a resolved source of file `site.files[fi]`.
pub fn body_text(site: &Site, assets: &AssetLinks<'_>, fi: usize, text: &str) -> RenderedBody {
    let resolve = |slug: &str| site.lookup(slug).map(|a| a.id.to_string());
    let asset = |p: &str| assets.link(p);
    let path = site.files[fi].path.to_string_lossy();
    let under = path.strip_prefix("articles/").unwrap_or(&path);
    let dir = under.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let cx = markdown::Context { dir, resolve: &resolve, asset: &asset, media_prefix: MEDIA_PREFIX };
    markdown::render(text, &cx)
}

/// Renders every body used by the selected built versions (by index into
/// [`Site::views`]), in parallel; bodies no selected version uses stay `None`.
pub fn bodies(site: &Site, selected: &[usize], diags: &mut Diagnostics) -> Vec<Option<RenderedBody>> {
    let mut used = vec![false; site.bodies.len()];
    for &vi in selected {
        for p in site.views[vi].pages.values() {
            used[p.body] = true;
        }
    }
    let assets = AssetLinks::new(site);
    let rendered: Vec<Option<RenderedBody>> = site
        .bodies
        .par_iter()
        .enumerate()
        .map(|(i, body)| used[i].then(|| body_text(site, &assets, body.file, &body.text)))
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
