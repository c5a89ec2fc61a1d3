//! The build: the one pipeline behind `folio build`, `folio check` and `folio serve`.
//!
//! [`prepare`] runs the stages that read and resolve the manual (load, model, theme,
//! Markdown, link checks) into a [`Manual`]. [`build`] writes it: a staging folder
//! beside the output ([`crate::write::Replace`]), every file of the site
//! ([`site`]: theme assets and media, root files, then each version: [`version`],
//! [`changes`], [`print`]), the check that every link the pages make reaches a file written
//! ([`record`]), then the swap. [`check`] does the same writing nothing. `folio serve`
//! keeps a [`live::Live`] model and writes the parts an edit touches with [`pages`],
//! the same steps a full build runs.

mod changes;
pub mod live;
pub mod pages;
mod print;
pub mod record;
pub mod search;
mod site;
mod version;

use std::path::Path;
use std::time::Instant;

use crate::diag::Diagnostics;
use crate::diff::history;
use crate::error::Error;
use crate::model::{Site, VersionId};
use crate::render::{self, RenderedBody, Theme};
use crate::write::{Replace, Sink};
use crate::{load, model};

/// Figures about one build.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Article pages written (all versions).
    pub pages: usize,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Progress callback: (done, total) pages.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// The rendered bodies a write reads: borrowed from a caller that keeps them (serve),
/// or handed over by a one-shot build, which drops each body after the last window of
/// versions that shows it, so the memory goes to the versions still to come.
enum Bodies<'a> {
    Kept(&'a [Option<RenderedBody>]),
    Released(&'a mut [Option<RenderedBody>]),
}

impl Bodies<'_> {
    fn get(&self) -> &[Option<RenderedBody>] {
        match self {
            Bodies::Kept(b) => b,
            Bodies::Released(b) => b,
        }
    }
}

/// The manual read, resolved and rendered: what `check`, `build` and `serve` write.
pub struct Manual {
    pub site: Site,
    pub theme: Theme,
    /// Rendered bodies, aligned with `site.bodies` (`None`: not needed by the versions built).
    pub bodies: Vec<Option<RenderedBody>>,
    /// The built versions to write, aligned with `site.views`.
    pub selected: Vec<bool>,
}

/// Loads the manual and renders every body the selected versions need (all versions
/// when `versions` is empty). `Err` is a usage or IO error that stops everything;
/// content problems are in `diags`. Each stage's time goes into `timings`.
pub fn prepare(
    root: &Path,
    versions: &[String],
    diags: &mut Diagnostics,
    timings: &mut Vec<(&'static str, f64)>,
) -> Result<Manual, Error> {
    let t = Instant::now();
    let source = load::site(root, diags).map_err(|e| Error::Usage(format!("cannot read the manual: {e}")))?;
    timings.push(("load", t.elapsed().as_secs_f64()));
    let t = Instant::now();
    let site = model::build(source, diags);
    timings.push(("model", t.elapsed().as_secs_f64()));
    let mut selected = vec![versions.is_empty(); site.views.len()];
    for name in versions {
        match site.view_index(&VersionId::new(name.as_str())) {
            Some(i) => selected[i] = true,
            None => {
                let known: Vec<String> = site.views.iter().map(|v| v.version.id.to_string()).collect();
                return Err(Error::Usage(format!(
                    "unknown version '{name}' (built versions: {})",
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                )));
            }
        }
    }
    let t = Instant::now();
    let theme = Theme::load(&site.theme, diags);
    timings.push(("theme", t.elapsed().as_secs_f64()));
    let chosen: Vec<usize> = (0..site.views.len()).filter(|&i| selected[i]).collect();
    let t = Instant::now();
    let bodies = render::bodies(&site, &chosen, diags);
    timings.push(("markdown", t.elapsed().as_secs_f64()));
    let t = Instant::now();
    render::links::check(&site, &bodies, &chosen, diags);
    timings.push(("links", t.elapsed().as_secs_f64()));
    Ok(Manual { site, theme, bodies, selected })
}

/// Writes the site of `manual`'s selected versions into `out`, replacing what is there
/// only when everything succeeded. `release` hands the rendered bodies over: each is
/// dropped once the versions that show it are written, which lowers the peak memory
/// (serve keeps them). Content problems (template errors, broken chrome links) go into
/// `diags`; then nothing replaces the output and `Ok(None)` is returned.
pub fn build(
    out: &Path,
    manual: &mut Manual,
    release: bool,
    progress: Option<Progress<'_>>,
    diags: &mut Diagnostics,
) -> Result<Option<Stats>, Error> {
    let replace = Replace::begin(&manual.site.root, out)?;
    let hist = history(&manual.site);
    let bodies = if release { Bodies::Released(&mut manual.bodies) } else { Bodies::Kept(&manual.bodies) };
    let written = site::all(replace.sink(), &manual.site, &manual.theme, &hist, bodies, &manual.selected, progress)?;
    if !record::report(&written, out, diags) {
        return Ok(None);
    }
    let bytes = replace.finish(&written.files)?;
    Ok(Some(Stats { pages: written.pages, files: written.files.len(), bytes }))
}

/// Renders every page [`build`] would write and checks them as it does (templates, the
/// links the chrome makes), writing nothing: `folio check`. Problems go into `diags`;
/// `out` names the output folder in them.
pub fn check(out: &Path, manual: &Manual, diags: &mut Diagnostics) -> Result<bool, Error> {
    let hist = history(&manual.site);
    let bodies = Bodies::Kept(&manual.bodies);
    let written = site::all(&Sink::dry(), &manual.site, &manual.theme, &hist, bodies, &manual.selected, None)?;
    Ok(record::report(&written, out, diags))
}

/// The output folder: `--out`, else `output` from manual.yaml under the root.
pub fn output_dir(opts_out: Option<&Path>, root: &Path, site: &Site) -> std::path::PathBuf {
    match opts_out {
        Some(p) => p.to_path_buf(),
        None => root.join(&site.config.output),
    }
}
