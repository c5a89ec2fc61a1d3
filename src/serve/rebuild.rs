//! Rebuilding on change, touching only what the change touches.
//!
//! The builder keeps the model of the latest build attempt ([`Current`]: site, theme,
//! rendered bodies, history) and the work the served folder still owes ([`Pending`]).
//! A change is first turned into a new model, then into writes:
//!
//! * **Fast path** — the usual edit: the text of existing articles changed and their
//!   front matter did not (same raw YAML). Only those files' resolved bodies are redone in
//!   the current model, in place; their Markdown is rendered and their links checked. The
//!   nav trees cannot have changed.
//! * **Full model** — anything else (front matter, new, removed or renamed files,
//!   versions, theme, manual.yaml, media): load and model everything again, render only
//!   bodies whose text is new (cached by file and text), check every link, and compare
//!   the new model with the old one to find what changed.
//!
//! Writes follow from the comparison: an article whose pages differ in any version is
//! re-rendered in every version (its "Changed in" list spans them all), together with the
//! articles linked to it by renames; a version whose nav tree, titles or home changed is
//! re-rendered whole; changes to versions, the theme, `manual.yaml`, the set of files, or
//! the bytes of a file that is (or may be) an asset revision (which file each version's
//! pages show may change) rebuild the whole site into a fresh folder; other media edits
//! are only copied again. Pages are rendered into a staging folder
//! and moved into the served one only when the model has no errors and every link of the
//! new pages reaches a file, so a broken edit keeps the last good site.
//!
//! Deferred until the article pages are served and no change came for a moment
//! ([`Builder::idle`]): `changes.html` and the diff pages of the versions where the
//! article's step from the version before changed (here), and the search index of every
//! version whose documents changed (on the [`super::search`] thread).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::reload::Hub;
use super::search;
use super::watch::Batch;
use crate::cli::Verbosity;
use crate::diag::{Diagnostics, Location};
use crate::index::PreparedDoc;
use crate::model::only::{self, OnlyBlocks};
use crate::model::{ArticleId, Body, PerVersion, Site, VersionId, VersionView};
use crate::render::markdown::RenderedBody;
use crate::render::page::history;
use crate::render::{self, links, AssetLinks, Theme};
use crate::write::{self, Staged};
use crate::{load, model};

/// Deferred work (what-changed pages, search indexes) waits for this long without changes.
const DEFER_AFTER: Duration = Duration::from_millis(400);
/// How often finished background work is looked for.
const POLL: Duration = Duration::from_millis(25);
/// Search documents prepared per background job.
const PREPARE_SLICE: usize = 128;

/// Identifies one content of one body slot, so that work done for it elsewhere is not
/// applied after the slot changed.
static STAMP: AtomicU64 = AtomicU64::new(1);

fn stamp() -> u64 {
    STAMP.fetch_add(1, Ordering::Relaxed)
}

/// The model of the latest build attempt.
struct Current {
    site: Site,
    theme: Theme,
    /// Rendered bodies, aligned with `site.bodies`.
    bodies: Vec<Option<RenderedBody>>,
    /// Search documents of the bodies, aligned with `site.bodies`; made when first needed.
    docs: Vec<Option<Arc<PreparedDoc>>>,
    /// The [`stamp`] of each body slot's current content.
    stamps: Vec<u64>,
    /// "Changed in" versions per article, as pages show them.
    hist: BTreeMap<ArticleId, Vec<usize>>,
    /// The raw front matter of each article file as `site` holds it, by repository path.
    yaml: HashMap<PathBuf, String>,
    /// Index into `site.files` by repository path.
    by_path: HashMap<PathBuf, usize>,
}

/// Work the served folder owes: what changed since it was last written.
#[derive(Debug, Default)]
struct Pending {
    /// Rebuild the whole site into a fresh folder.
    full: bool,
    /// Versions to re-render whole.
    versions: BTreeSet<VersionId>,
    /// Articles whose pages to re-render in every version.
    articles: BTreeSet<ArticleId>,
    /// Versions whose `changes.html` and diff pages to re-render.
    changes: BTreeSet<VersionId>,
    /// Versions whose search index to rebuild.
    search: BTreeSet<VersionId>,
    /// Media files (paths under `articles/`) to copy again.
    media: BTreeSet<String>,
}

impl Pending {
    fn merge(&mut self, other: Pending) {
        self.full |= other.full;
        self.versions.extend(other.versions);
        self.articles.extend(other.articles);
        self.changes.extend(other.changes);
        self.search.extend(other.search);
        self.media.extend(other.media);
    }

    /// Marks the changes pages of version `vi` and of the version after it.
    fn changes_around(&mut self, site: &Site, vi: usize) {
        for v in site.views.iter().skip(vi).take(2) {
            self.changes.insert(v.version.id.clone());
        }
    }
}

/// Keeps the served folder in step with the source tree.
pub struct Builder {
    root: PathBuf,
    /// The temporary folder holding served sites and staging folders.
    tmp: PathBuf,
    /// The folder being served (shared with the HTTP server).
    served: Arc<RwLock<Option<PathBuf>>>,
    hub: Arc<Hub>,
    verbosity: Verbosity,
    cur: Option<Current>,
    pending: Pending,
    /// The last attempt had no errors: its model may be written.
    ok: bool,
    /// The last full-model attempt failed: the next one must be a full model too.
    model_stale: bool,
    /// Files of failed fast-path attempts: redone, with every link checked, next time.
    recheck: BTreeSet<PathBuf>,
    /// Site-relative paths of the files in the served folder.
    files: HashSet<String>,
    /// Version folder -> name of its nav script in the served folder.
    nav: HashMap<String, String>,
    /// Numbers the folders under `tmp`.
    seq: u64,
    /// The search thread.
    worker: search::Worker,
    /// Bumped per version whenever its documents change or it is written otherwise, so
    /// that a search job started before is not applied.
    search_epoch: HashMap<VersionId, u64>,
    /// When the running search job started.
    search_started: Instant,
    /// When the last change was handled.
    last_change: Instant,
}

/// Stage timings of one rebuild, for `--verbose`.
#[derive(Default)]
struct Timings(Vec<(&'static str, f64)>);

impl Timings {
    fn lap(&mut self, stage: &'static str, since: &mut Instant) {
        self.0.push((stage, since.elapsed().as_secs_f64() * 1000.0));
        *since = Instant::now();
    }

    fn line(&self) -> String {
        self.0.iter().map(|(s, ms)| format!("{s} {ms:.1}")).collect::<Vec<_>>().join(", ") + " ms"
    }
}

impl Builder {
    /// A builder serving from folders under `tmp`; nothing is built yet.
    pub fn new(
        root: PathBuf,
        tmp: PathBuf,
        served: Arc<RwLock<Option<PathBuf>>>,
        hub: Arc<Hub>,
        verbosity: Verbosity,
    ) -> Builder {
        Builder {
            root,
            tmp,
            served,
            hub,
            verbosity,
            cur: None,
            pending: Pending { full: true, ..Pending::default() },
            ok: false,
            model_stale: true,
            recheck: BTreeSet::new(),
            files: HashSet::new(),
            nav: HashMap::new(),
            seq: 0,
            worker: search::Worker::start(),
            search_epoch: HashMap::new(),
            search_started: Instant::now(),
            last_change: Instant::now(),
        }
    }

    fn say(&self, msg: &str) {
        if self.verbosity != Verbosity::Quiet {
            eprintln!("{msg}");
        }
    }

    fn served_dir(&self) -> Option<PathBuf> {
        self.served.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The first build.
    pub fn initial(&mut self) {
        let start = Instant::now();
        self.say(&format!("building {}", self.root.display()));
        let mut diags = Diagnostics::new();
        let mut timings = Timings::default();
        self.full_model(&mut diags, &mut timings);
        self.finish(diags, timings, start, "");
    }

    /// Rebuilds after the changes in `batch`.
    pub fn rebuild(&mut self, batch: &Batch) {
        let start = Instant::now();
        let mut md = BTreeSet::new();
        let mut media = BTreeSet::new();
        let mut other = batch.rescan;
        for p in &batch.paths {
            let s = p.to_string_lossy();
            match s.strip_prefix("articles/") {
                Some(rest) if s.ends_with(".md") && !rest.is_empty() => {
                    md.insert(p.clone());
                }
                Some(rest) if !rest.is_empty() => {
                    media.insert(rest.to_string());
                }
                _ => other = true,
            }
        }
        let what = describe(batch);
        let mut diags = Diagnostics::new();
        let mut timings = Timings::default();
        let fast = !other && media.is_empty() && self.fast_model(&md, &mut diags, &mut timings);
        if !fast {
            if other {
                self.pending.full = true;
            }
            self.full_model(&mut diags, &mut timings);
            if let Some(cur) = &self.cur {
                let known: HashSet<&str> = cur.site.assets.iter().map(|a| a.rel.as_str()).collect();
                self.pending.media.extend(media.into_iter().filter(|m| known.contains(m.as_str())));
            }
        }
        self.finish(diags, timings, start, &what);
    }

    /// Reports the attempt; writes what is pending when it has no errors.
    fn finish(&mut self, mut diags: Diagnostics, mut timings: Timings, start: Instant, what: &str) {
        self.last_change = Instant::now();
        let errors = diags.has_errors();
        if !errors {
            let wrote = self.publish(&mut diags, &mut timings);
            if let Some(summary) = wrote {
                crate::cli::print_diagnostics(&diags);
                self.ok = true;
                self.recheck.clear();
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                let head = if what.is_empty() { String::new() } else { format!("{what}: ") };
                self.say(&format!("{head}{summary} in {}", human_ms(ms)));
                if self.verbosity == Verbosity::Verbose {
                    eprintln!("  {}", timings.line());
                }
                return;
            }
        }
        // Failed: keep serving the last good site.
        self.ok = false;
        crate::cli::print_diagnostics(&diags);
        let mut text: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        text.push(diags.summary());
        self.hub.problems(&text.join("\n"));
        let head = if what.is_empty() { String::new() } else { format!("{what}: ") };
        let now = if self.served_dir().is_some() {
            "the browser keeps showing the last good site"
        } else {
            "nothing to serve until they are fixed"
        };
        eprintln!("{head}the manual has errors; {now}");
    }

    /// Loads and models everything again; the new model replaces the current one and
    /// what differs from it becomes pending.
    fn full_model(&mut self, diags: &mut Diagnostics, timings: &mut Timings) {
        let mut t = Instant::now();
        self.model_stale = true;
        let source = match load::site(&self.root, diags) {
            Ok(s) => s,
            Err(e) => {
                diags.error(Location::file(&self.root), format!("cannot read the manual: {e}"));
                self.cur = None;
                self.pending.full = true;
                return;
            }
        };
        timings.lap("load", &mut t);
        let site = model::build(source, diags);
        timings.lap("model", &mut t);
        let theme = Theme::load(&site.theme, diags);
        let old = self.cur.take();
        match &old {
            // folio's own pages moved (an article took `search`, …): every page links them.
            Some(o) if o.site.own != site.own => self.pending.full = true,
            Some(o) => {
                let p = compare(&o.site, &site);
                self.pend(p);
            }
            None => self.pending.full = true,
        }
        let (bodies, docs, rendered) = render_cached(&site, old, diags);
        timings.lap(if rendered == 0 { "markdown (all cached)" } else { "markdown" }, &mut t);
        let all: Vec<usize> = (0..site.views.len()).collect();
        links::check(&site, &bodies, &all, diags);
        timings.lap("links", &mut t);
        let hist = history(&site);
        let yaml = read_yaml(&self.root, &site);
        let by_path = site.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
        timings.lap("history", &mut t);
        if !diags.has_errors() {
            self.model_stale = false;
        }
        let stamps = (0..site.bodies.len()).map(|_| stamp()).collect();
        self.cur = Some(Current { site, theme, bodies, docs, stamps, hist, yaml, by_path });
    }

    /// The fast path: redoes the bodies of the changed article files in the current model
    /// when their front matter is unchanged. False (and nothing touched) when it does not
    /// apply.
    fn fast_model(&mut self, md: &BTreeSet<PathBuf>, diags: &mut Diagnostics, timings: &mut Timings) -> bool {
        let mut t = Instant::now();
        if self.model_stale || md.is_empty() {
            return false;
        }
        let Some(cur) = self.cur.as_mut() else { return false };
        let paths: BTreeSet<&PathBuf> = md.iter().chain(&self.recheck).collect();
        let mut patches = Vec::with_capacity(paths.len());
        for rel in &paths {
            match eligible(&self.root, cur, rel) {
                Some(p) => patches.push(p),
                None => return false,
            }
        }
        let mut check_all = !self.recheck.is_empty();
        let mut pages: Vec<(usize, ArticleId)> = Vec::new();
        let mut pending = Pending::default();
        for p in patches {
            let done = apply_patch(cur, p);
            check_all |= done.headings_changed;
            if !done.changed.is_empty() {
                let related = renamed_with(&cur.site, &done.id);
                for &vi in &done.changed {
                    pending.search.insert(cur.site.views[vi].version.id.clone());
                    if related.len() > 1 {
                        // Renames pair pages across slugs: keep to the simple rule.
                        pending.changes_around(&cur.site, vi);
                    }
                }
                if related.len() == 1 {
                    for &vi in &done.changes {
                        pending.changes.insert(cur.site.views[vi].version.id.clone());
                    }
                }
                pending.articles.extend(related);
            }
            pages.extend(done.pages.into_iter().map(|vi| (vi, done.id.clone())));
        }
        timings.lap("markdown", &mut t);

        // Problems found while rendering, as `render::bodies` reports them.
        let mut per = PerVersion::default();
        for (vi, id) in &pages {
            let page = &cur.site.views[*vi].pages[id];
            let body = &cur.site.bodies[page.body];
            if let Some(r) = &cur.bodies[page.body] {
                for (line, msg) in &r.problems {
                    per.error(cur.site.files[body.file].path.clone(), Some(body.file_line(*line)), *vi, msg.clone());
                }
            }
        }
        let ids: Vec<&VersionId> = cur.site.views.iter().map(|v| &v.version.id).collect();
        per.finish(&ids, diags);
        let links_ok = pages.iter().all(|(vi, id)| links_resolve(&cur.site, &cur.bodies, *vi, id));
        if check_all || !links_ok {
            // Exact messages, and links from other pages into changed headings.
            let all: Vec<usize> = (0..cur.site.views.len()).collect();
            links::check(&cur.site, &cur.bodies, &all, diags);
        }
        timings.lap("links", &mut t);
        for id in &pending.articles {
            // Only these articles' histories can have changed.
            let one = article_history(&cur.site, id);
            cur.hist.insert(id.clone(), one);
        }
        timings.lap("history", &mut t);
        self.pend(pending);
        if diags.has_errors() {
            self.recheck.extend(md.iter().cloned());
        }
        true
    }

    /// Writes what is pending (except the deferred changes pages). Returns a summary of
    /// what was written, or `None` when it failed (problems in `diags`).
    fn publish(&mut self, diags: &mut Diagnostics, timings: &mut Timings) -> Option<String> {
        let mut t = Instant::now();
        if self.pending.full || self.served_dir().is_none() {
            let done = self.write_full(diags);
            timings.lap("write", &mut t);
            return done;
        }
        let served = self.served_dir()?;
        let cur = self.cur.as_ref()?;
        let site = &cur.site;
        self.seq += 1;
        let stage = self.tmp.join(format!("stage-{}", self.seq));
        let result = self.stage_pages(cur, &stage, diags);
        timings.lap("render", &mut t);
        let outcome = match result {
            Ok(Some((staged, whole))) => {
                // Diff pages of versions whose changes are still to be redone are checked then.
                let later: Vec<String> = site
                    .views
                    .iter()
                    .filter(|v| self.pending.changes.contains(&v.version.id) && !whole.contains(&v.version.path))
                    .map(|v| format!("{}/diff/", v.version.path))
                    .collect();
                let stale = stale_files(&self.files, &staged.files, &whole);
                if self.check_targets(&staged, &stale, &later, &served, diags) {
                    match move_into(&stage, &served, &staged.files, &stale) {
                        Ok(()) => Some((staged, stale, whole)),
                        Err(e) => {
                            diags.error(Location::file(&served), format!("cannot update the served site: {e}"));
                            self.pending.full = true;
                            None
                        }
                    }
                } else {
                    None
                }
            }
            Ok(None) => None,
            Err(e) => {
                diags.error(Location::file(&stage), e.to_string());
                None
            }
        };
        let _ = fs::remove_dir_all(&stage);
        let (staged, stale, whole) = outcome?;
        let whole_ids: Vec<VersionId> =
            site.views.iter().filter(|v| whole.contains(&v.version.path)).map(|v| v.version.id.clone()).collect();
        for f in &stale {
            self.files.remove(f);
        }
        self.note_files(&staged.files);
        for id in &whole_ids {
            self.pending.changes.remove(id);
            self.pending.search.remove(id);
            *self.search_epoch.entry(id.clone()).or_default() += 1;
        }
        self.pending.versions.clear();
        self.pending.articles.clear();
        self.pending.media.clear();
        let html: Vec<String> = staged.files.iter().filter(|f| f.ends_with(".html")).cloned().collect();
        if html.len() > 5000 || staged.files.iter().any(|f| f.starts_with("media/")) {
            self.hub.reload(None);
        } else {
            self.hub.reload(Some(&html));
        }
        let mut summary = format!("{} page{}", staged.pages, plural(staged.pages));
        if !whole.is_empty() {
            summary.push_str(&format!(" ({} whole version{})", whole.len(), plural(whole.len())));
        }
        let media = staged.files.iter().filter(|f| f.starts_with("media/")).count();
        if media > 0 {
            summary.push_str(&format!(", {media} media file{}", plural(media)));
        }
        timings.lap("publish", &mut t);
        Some(summary)
    }

    /// Renders the pending versions, article pages and media into `stage`; returns what
    /// was staged (only version folders and media) and the version folders written whole.
    fn stage_pages(
        &self,
        cur: &Current,
        stage: &Path,
        diags: &mut Diagnostics,
    ) -> Result<Option<(Staged, BTreeSet<String>)>, write::WriteError> {
        let site = &cur.site;
        fs::create_dir_all(stage).map_err(|e| write::WriteError(format!("{}: {e}", stage.display())))?;
        let whole_mask: Vec<bool> = site.views.iter().map(|v| self.pending.versions.contains(&v.version.id)).collect();
        let whole: BTreeSet<String> =
            site.views.iter().zip(&whole_mask).filter(|(_, w)| **w).map(|(v, _)| v.version.path.clone()).collect();
        let mut staged = Staged::default();
        if !whole.is_empty() {
            let Some(mut s) = write::versions_into(stage, site, &cur.theme, &cur.bodies, &whole_mask, None, diags)?
            else {
                return Ok(None);
            };
            s.files.retain(|f| f.split_once('/').is_some_and(|(v, _)| whole.contains(v)));
            staged.extend(s);
        }
        let mut pages = Vec::new();
        for id in &self.pending.articles {
            for (vi, v) in site.views.iter().enumerate() {
                if !whole_mask[vi] && v.pages.contains_key(id) {
                    pages.push((vi, id.clone()));
                }
            }
        }
        if !pages.is_empty() {
            let navs: Vec<String> =
                site.views.iter().map(|v| self.nav.get(&v.version.path).cloned().unwrap_or_default()).collect();
            let Some(s) = write::articles_into(stage, site, &cur.theme, &cur.bodies, &cur.hist, &navs, &pages, diags)?
            else {
                return Ok(None);
            };
            staged.extend(s);
        }
        for rel in &self.pending.media {
            let Some(fi) = site.assets.iter().position(|a| &a.rel == rel) else { continue };
            let asset = &site.assets[fi];
            if site.media_path(fi) != rel {
                // Its bytes are written as an earlier revision's.
                continue;
            }
            let to = stage.join("media").join(rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| write::WriteError(format!("{}: {e}", parent.display())))?;
            }
            fs::copy(&asset.abs, &to).map_err(|e| write::WriteError(format!("{}: {e}", asset.abs.display())))?;
            staged.files.push(format!("media/{rel}"));
        }
        Ok(Some((staged, whole)))
    }

    /// Whether every link of the staged pages reaches a file the served site will have
    /// (links under the `later` prefixes are checked when those are written); if not,
    /// the problems go into `diags`.
    fn check_targets(
        &self,
        staged: &Staged,
        stale: &[String],
        later: &[String],
        served: &Path,
        diags: &mut Diagnostics,
    ) -> bool {
        let new: HashSet<&str> = staged.files.iter().map(|s| s.as_str()).collect();
        let gone: HashSet<&str> = stale.iter().map(|s| s.as_str()).collect();
        let mut missing = BTreeSet::new();
        for t in &staged.targets {
            let there = new.contains(t.as_str()) || (self.files.contains(t) && !gone.contains(t.as_str()));
            if !there && !later.iter().any(|p| t.starts_with(p.as_str())) {
                missing.insert(t);
            }
        }
        for t in &missing {
            diags
                .error(Location::file(served), format!("internal: a page links to {t}, which the build did not write"));
        }
        missing.is_empty()
    }

    fn note_files(&mut self, written: &[String]) {
        for f in written {
            if let Some((vpath, name)) = f.split_once('/') {
                if is_nav_script(name) {
                    self.nav.insert(vpath.to_string(), name.to_string());
                }
            }
            self.files.insert(f.clone());
        }
    }

    /// Builds the whole site into a fresh folder and serves that.
    fn write_full(&mut self, diags: &mut Diagnostics) -> Option<String> {
        let cur = self.cur.as_ref()?;
        self.seq += 1;
        let out = self.tmp.join(format!("site-{}", self.seq));
        let all = vec![true; cur.site.views.len()];
        let bar = crate::cli::PageProgress::new(self.verbosity);
        let progress = |done: u64, total: u64| bar.step(done, total);
        let result = write::all(&out, &cur.site, &cur.theme, &cur.bodies, &all, Some(&progress), diags);
        bar.finish();
        let stats = match result {
            Ok(Some(stats)) => stats,
            Ok(None) => return None,
            Err(e) => {
                diags.error(Location::file(&out), e.to_string());
                return None;
            }
        };
        let old = self.served.write().unwrap_or_else(|e| e.into_inner()).replace(out.clone());
        if let Some(old) = old {
            // Deleting a large site takes a while; nobody waits for it.
            std::thread::spawn(move || {
                let _ = fs::remove_dir_all(old);
            });
        }
        let n = cur.site.views.len();
        self.files.clear();
        self.nav.clear();
        let written = scan(&out);
        self.note_files(&written);
        self.pending = Pending::default();
        self.bump_all_search();
        self.hub.reload(None);
        Some(format!("built {n} version{}, {} pages", plural(n), stats.pages))
    }

    /// How long the caller may wait for changes before calling [`Builder::idle`] again:
    /// `None` when nothing is left to do.
    pub fn wakeup(&self) -> Option<Duration> {
        if self.worker.busy() {
            return Some(POLL);
        }
        let owed = !self.pending.changes.is_empty() || !self.pending.search.is_empty();
        if !self.ok || self.pending.full || self.cur.is_none() || !owed {
            return None;
        }
        Some(DEFER_AFTER.saturating_sub(self.last_change.elapsed()).max(POLL))
    }

    /// The work deferred after a rebuild: applies finished search jobs, and once no
    /// change came for [`DEFER_AFTER`], writes the what-changed pages (here, one version
    /// at a time, stopping when `interrupted` says new changes wait) and starts the next
    /// search index job.
    pub fn idle(&mut self, interrupted: &mut dyn FnMut() -> bool) {
        while let Some(done) = self.worker.try_done() {
            self.finish_job(done);
        }
        if !self.ok || self.pending.full || self.cur.is_none() || self.last_change.elapsed() < DEFER_AFTER {
            return;
        }
        if !self.pending.changes.is_empty() {
            self.deferred_changes(interrupted);
        }
        if !self.worker.busy() && !self.pending.search.is_empty() && !interrupted() {
            self.start_search_job();
        }
    }

    /// Writes the deferred `changes.html` and diff pages, one version at a time.
    fn deferred_changes(&mut self, interrupted: &mut dyn FnMut() -> bool) {
        let start = Instant::now();
        let Some(served) = self.served_dir() else { return };
        let mut html = Vec::new();
        let mut versions = 0;
        let todo: Vec<VersionId> = self.pending.changes.iter().cloned().collect();
        for vid in todo {
            if interrupted() {
                break;
            }
            let mut diags = Diagnostics::new();
            match self.write_changes(&vid, &served, &mut diags) {
                Some(written) => {
                    html.extend(written);
                    versions += 1;
                    self.pending.changes.remove(&vid);
                }
                None => {
                    // Not retried until the next change.
                    self.ok = false;
                    crate::cli::print_diagnostics(&diags);
                    let mut text: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
                    text.push(diags.summary());
                    self.hub.problems(&text.join("\n"));
                    break;
                }
            }
        }
        if !html.is_empty() {
            self.hub.reload(Some(&html));
        }
        if versions > 0 && self.verbosity == Verbosity::Verbose {
            eprintln!(
                "  then what-changed pages of {versions} version{} in {}",
                plural(versions),
                human_ms(start.elapsed().as_secs_f64() * 1000.0)
            );
        }
    }

    /// Starts the next search job: preparing missing documents of the newest version
    /// whose index is owed, or, when it has them all, writing its index.
    fn start_search_job(&mut self) {
        let Some(cur) = self.cur.as_ref() else { return };
        let Some(vi) =
            (0..cur.site.views.len()).rev().find(|&vi| self.pending.search.contains(&cur.site.views[vi].version.id))
        else {
            // Owed for versions that are gone.
            self.pending.search.clear();
            return;
        };
        let view = &cur.site.views[vi];
        let bodies: Vec<usize> = view.nav.order.iter().filter_map(|id| view.pages.get(id)).map(|p| p.body).collect();
        let mut missing: Vec<usize> = bodies
            .iter()
            .copied()
            .filter(|&b| cur.docs.get(b).is_some_and(|d| d.is_none()) && cur.bodies.get(b).is_some_and(|r| r.is_some()))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            // The first index of a session prepares every document: in slices, so that
            // results flow back and stale ones are few.
            let items = missing
                .into_iter()
                .take(PREPARE_SLICE)
                .filter_map(|bi| {
                    let (doc, html) = write::search_source(&cur.site, &cur.bodies, bi)?;
                    Some((bi, cur.stamps[bi], doc, html))
                })
                .collect();
            self.worker.send(search::Job::Prepare(items));
            return;
        }
        let docs: Vec<Arc<PreparedDoc>> = bodies.iter().filter_map(|&b| cur.docs.get(b).cloned().flatten()).collect();
        let vid = view.version.id.clone();
        let vpath = view.version.path.clone();
        let epoch = self.search_epoch.get(&vid).copied().unwrap_or(0);
        self.seq += 1;
        let stage = self.tmp.join(format!("stage-{}", self.seq));
        self.search_started = Instant::now();
        self.worker.send(search::Job::Build { vid, epoch, vpath, stage, docs });
    }

    /// Applies a finished search job, unless the model or the site moved on meanwhile.
    fn finish_job(&mut self, done: search::Done) {
        match done {
            search::Done::Prepared(items) => {
                let Some(cur) = self.cur.as_mut() else { return };
                for (bi, stamp, doc) in items {
                    if cur.stamps.get(bi) == Some(&stamp) {
                        cur.docs[bi] = Some(Arc::new(doc));
                    }
                }
            }
            search::Done::Built { vid, epoch, stage, result } => {
                let current = self.search_epoch.get(&vid).copied().unwrap_or(0) == epoch;
                match (result, self.served_dir()) {
                    (Ok(staged), Some(served)) if current => {
                        let Some((vpath, _)) = staged.files.first().and_then(|f| f.split_once('/')) else {
                            self.pending.search.remove(&vid);
                            let _ = fs::remove_dir_all(&stage);
                            return;
                        };
                        let prefix = format!("{vpath}/search/");
                        let new: HashSet<&String> = staged.files.iter().collect();
                        let stale: Vec<String> =
                            self.files.iter().filter(|f| f.starts_with(&prefix) && !new.contains(f)).cloned().collect();
                        match move_into(&stage, &served, &staged.files, &stale) {
                            Ok(()) => {
                                for f in &stale {
                                    self.files.remove(f);
                                }
                                self.note_files(&staged.files);
                                self.pending.search.remove(&vid);
                                if self.verbosity == Verbosity::Verbose {
                                    let ms = self.search_started.elapsed().as_secs_f64() * 1000.0;
                                    eprintln!("  search index of {vid} in {}", human_ms(ms));
                                }
                            }
                            Err(e) => {
                                eprintln!("error: cannot update the search index of {vid}: {e}");
                                self.pending.full = true;
                            }
                        }
                    }
                    (Err(e), _) => {
                        eprintln!("error: cannot write the search index of {vid}: {e}");
                        self.pending.search.remove(&vid);
                    }
                    // Stale: the version's documents changed, or a full rebuild replaced
                    // the site; it is owed again or was written since.
                    _ => {}
                }
                let _ = fs::remove_dir_all(&stage);
            }
        }
    }

    /// Adds `p` to the pending work; search jobs already running for its versions
    /// become stale.
    fn pend(&mut self, p: Pending) {
        for vid in p.search.iter().chain(&p.versions) {
            *self.search_epoch.entry(vid.clone()).or_default() += 1;
        }
        if p.full {
            self.bump_all_search();
        }
        self.pending.merge(p);
    }

    fn bump_all_search(&mut self) {
        for e in self.search_epoch.values_mut() {
            *e += 1;
        }
        if let Some(cur) = &self.cur {
            for v in &cur.site.views {
                *self.search_epoch.entry(v.version.id.clone()).or_default() += 1;
            }
        }
    }

    /// Rewrites the changes pages of one version; the HTML files written, or `None` on
    /// failure.
    fn write_changes(&mut self, vid: &VersionId, served: &Path, diags: &mut Diagnostics) -> Option<Vec<String>> {
        let cur = self.cur.as_ref()?;
        let Some(vi) = cur.site.view_index(vid) else { return Some(Vec::new()) };
        let vpath = cur.site.views[vi].version.path.clone();
        let nav = self.nav.get(&vpath).cloned().unwrap_or_default();
        self.seq += 1;
        let stage = self.tmp.join(format!("stage-{}", self.seq));
        let staged = fs::create_dir_all(&stage)
            .map_err(|e| write::WriteError(format!("{}: {e}", stage.display())))
            .and_then(|_| write::changes_into(&stage, &cur.site, &cur.theme, &cur.bodies, &cur.hist, &nav, vi, diags));
        let result = match staged {
            Ok(Some(staged)) => {
                let prefix = format!("{vpath}/diff/");
                let stale: Vec<String> = self
                    .files
                    .iter()
                    .filter(|f| f.starts_with(&prefix) && f.ends_with(".html"))
                    .filter(|f| !staged.files.contains(f))
                    .cloned()
                    .collect();
                if !self.check_targets(&staged, &stale, &[], served, diags) {
                    None
                } else if let Err(e) = move_into(&stage, served, &staged.files, &stale) {
                    diags.error(Location::file(served), format!("cannot update the served site: {e}"));
                    self.pending.full = true;
                    None
                } else {
                    Some((staged, stale))
                }
            }
            Ok(None) => None,
            Err(e) => {
                diags.error(Location::file(&stage), e.to_string());
                None
            }
        };
        let _ = fs::remove_dir_all(&stage);
        let (staged, stale) = result?;
        for f in &stale {
            self.files.remove(f);
        }
        self.note_files(&staged.files);
        Some(staged.files.into_iter().filter(|f| f.ends_with(".html")).collect())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn human_ms(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// "articles/a.md changed", "articles/a.md and 2 more changed".
fn describe(batch: &Batch) -> String {
    let mut paths = batch.paths.iter();
    match (paths.next(), batch.paths.len()) {
        (None, _) => "changes".to_string(),
        (Some(p), 1) => format!("{} changed", p.display()),
        (Some(p), n) => format!("{} and {} more changed", p.display(), n - 1),
    }
}

fn is_nav_script(name: &str) -> bool {
    name.starts_with("nav.") && name.ends_with(".js") && !name.contains('/')
}

/// Every file under `dir`, site-relative with `/`.
fn scan(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(|p| p.to_string_lossy().replace('\\', "/")))
        .collect()
}

/// Files of the version folders in `whole` that the new write did not produce: pages
/// and nav scripts of the old tree. (Other files, e.g. search data, are only replaced.)
fn stale_files(files: &HashSet<String>, written: &[String], whole: &BTreeSet<String>) -> Vec<String> {
    if whole.is_empty() {
        return Vec::new();
    }
    let written: HashSet<&str> = written.iter().map(|s| s.as_str()).collect();
    let mut out: Vec<String> = files
        .iter()
        .filter(|f| {
            let Some((v, rest)) = f.split_once('/') else { return false };
            whole.contains(v) && !written.contains(f.as_str()) && (f.ends_with(".html") || is_nav_script(rest))
        })
        .cloned()
        .collect();
    out.sort();
    out
}

/// Moves the staged `files` into `served` (each rename replaces the old file at once,
/// so a browser never reads half a page), then deletes `stale`.
fn move_into(stage: &Path, served: &Path, files: &[String], stale: &[String]) -> std::io::Result<()> {
    for rel in files {
        let to = served.join(rel);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(stage.join(rel), &to)?;
    }
    for rel in stale {
        match fs::remove_file(served.join(rel)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// The raw front matter of every article file whose text on disk is still what `site`
/// holds (a file changed since it was loaded is left out, so it takes the full path).
fn read_yaml(root: &Path, site: &Site) -> HashMap<PathBuf, String> {
    site.files
        .par_iter()
        .filter_map(|f| {
            let text = read_source(&root.join(&f.path))?;
            let (yaml, body, body_line) = load::split_front_matter(&text)?;
            (body == &*f.body && body_line == f.body_line).then(|| (f.path.clone(), yaml.to_string()))
        })
        .collect()
}

/// A source file's text as `load` reads it (UTF-8, without a byte-order mark).
fn read_source(path: &Path) -> Option<String> {
    let mut text = String::from_utf8(fs::read(path).ok()?).ok()?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Some(text)
}

/// A changed article file the fast path can take.
struct FilePatch {
    fi: usize,
    body: Arc<str>,
    blocks: OnlyBlocks,
}

/// The patch for `rel` when only its body changed and its only-blocks are valid (the
/// full model reports problems with them); `None` sends the change to the full model.
fn eligible(root: &Path, cur: &Current, rel: &Path) -> Option<FilePatch> {
    let &fi = cur.by_path.get(rel)?;
    let old_yaml = cur.yaml.get(rel)?;
    let f = &cur.site.files[fi];
    let article = cur.site.articles.get(&ArticleId::new(f.slug.as_str()))?;
    if !article.files.contains(&fi) {
        return None;
    }
    let text = read_source(&root.join(rel))?;
    let (yaml, body, body_line) = load::split_front_matter(&text)?;
    if yaml != old_yaml || body_line != f.body_line {
        return None;
    }
    let blocks = only::parse(body).ok()?;
    let known = |v: &String| cur.site.versions.iter().any(|x| x.id.as_str() == v);
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
struct Patched {
    id: ArticleId,
    /// Built versions whose page of the article comes from the patched file.
    pages: Vec<usize>,
    /// Those of them whose text changed.
    changed: Vec<usize>,
    /// Built versions whose `changes.html` may show the article differently: where it
    /// differs from the version before, before or after the edit (renames aside).
    changes: Vec<usize>,
    /// A heading id appeared or went in some version (links into the page may break).
    headings_changed: bool,
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
fn apply_patch(cur: &mut Current, p: FilePatch) -> Patched {
    let site = &cur.site;
    let f = &site.files[p.fi];
    let id = ArticleId::new(f.slug.as_str());
    // Plan: (version, old body, new body key).
    let mut keys: Vec<Vec<bool>> = Vec::new();
    let mut texts: Vec<(Arc<str>, Vec<u32>)> = Vec::new();
    let mut plan: Vec<(usize, usize, usize)> = Vec::new();
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
        headings_changed |= ids_of(cur.bodies[old].as_ref()) != ids_of(Some(&rendered[k]));
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
    let mut free: Vec<usize> = plan.iter().map(|(_, old, _)| *old).collect::<BTreeSet<_>>().into_iter().collect();
    free.reverse();
    let mut slot_of = Vec::with_capacity(texts.len());
    for ((text, line_map), r) in texts.into_iter().zip(rendered) {
        let body = Body { file: p.fi, text, line_map };
        match free.pop() {
            Some(s) => {
                cur.site.bodies[s] = body;
                cur.bodies[s] = Some(r);
                cur.docs[s] = None;
                cur.stamps[s] = stamp();
                slot_of.push(s);
            }
            None => {
                cur.site.bodies.push(body);
                cur.bodies.push(Some(r));
                cur.docs.push(None);
                cur.stamps.push(stamp());
                slot_of.push(cur.site.bodies.len() - 1);
            }
        }
    }
    for s in free {
        // No page uses it any more.
        cur.site.bodies[s].text = Arc::from("");
        cur.site.bodies[s].line_map = Vec::new();
        cur.bodies[s] = None;
        cur.docs[s] = None;
        cur.stamps[s] = stamp();
    }
    let mut pages = Vec::with_capacity(plan.len());
    for (vi, _, k) in plan {
        if let Some(page) = cur.site.views[vi].pages.get_mut(&id) {
            page.body = slot_of[k];
        }
        pages.push(vi);
    }
    cur.site.files[p.fi].body = p.body;
    Patched { id, pages, changed, changes, headings_changed }
}

/// Renders every body the site's pages use, taking those whose file and text are
/// unchanged from `old` (when links and media resolve the same way there). Returns the
/// bodies and how many were rendered anew; problems go into `diags`.
#[allow(clippy::type_complexity)]
fn render_cached(
    site: &Site,
    old: Option<Current>,
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
        let same_assets = old.site.assets.iter().map(|a| &a.rel).eq(site.assets.iter().map(|a| &a.rel))
            && old.site.media.same_links(&site.media);
        if same_assets && old.site.aliases == site.aliases {
            let mut by_path: HashMap<&Path, Vec<usize>> = HashMap::new();
            for (i, b) in old.site.bodies.iter().enumerate() {
                if old.bodies[i].is_some() {
                    by_path.entry(old.site.files[b.file].path.as_path()).or_default().push(i);
                }
            }
            let mut moved: HashMap<usize, usize> = HashMap::new();
            for (i, b) in site.bodies.iter().enumerate() {
                if !used[i] {
                    continue;
                }
                let cands = by_path.get(site.files[b.file].path.as_path()).map(|v| v.as_slice()).unwrap_or(&[]);
                let Some(&oi) = cands.iter().find(|&&oi| old.site.bodies[oi].text == b.text) else { continue };
                out[i] = match moved.get(&oi) {
                    Some(&first) => out[first].clone(),
                    None => {
                        moved.insert(oi, i);
                        // A search document also holds the file's slug, title and keywords.
                        let (of, nf) = (&old.site.files[old.site.bodies[oi].file], &site.files[b.file]);
                        if of.slug == nf.slug && of.front == nf.front {
                            docs[i] = old.docs[oi].take();
                        }
                        old.bodies[oi].take()
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

/// Whether every cross-link of article `id`'s page in version `vi` reaches a page and
/// heading of that version (the condition under which `links::check` reports nothing).
fn links_resolve(site: &Site, bodies: &[Option<RenderedBody>], vi: usize, id: &ArticleId) -> bool {
    let view = &site.views[vi];
    let Some(page) = view.pages.get(id) else { return true };
    let Some(r) = &bodies[page.body] else { return true };
    links::asset_problems(site, r, vi, |_, _| {})
        && r.links.iter().all(|link| {
            let target = match &link.slug {
                None => Some(r),
                Some(slug) => match site.resolve_in(slug, vi).and_then(|t| view.pages.get(t)) {
                    None => return false,
                    Some(tp) => bodies[tp.body].as_ref(),
                },
            };
            match (&link.fragment, target) {
                (Some(frag), Some(tb)) => frag.is_empty() || tb.headings.iter().any(|h| &h.id == frag),
                _ => true,
            }
        })
}

/// `id` and every article linked to it by renames (`aliases`, followed both ways and
/// transitively): their "Changed in" lists and diff pages follow each other.
fn renamed_with(site: &Site, id: &ArticleId) -> BTreeSet<ArticleId> {
    let mut out = BTreeSet::new();
    let mut todo = vec![id.clone()];
    while let Some(a) = todo.pop() {
        if !out.insert(a.clone()) {
            continue;
        }
        if let Some(succ) = site.aliases.get(a.as_str()) {
            todo.push(succ.clone());
        }
        if let Some(art) = site.articles.get(&a) {
            todo.extend(
                art.aliases.iter().map(|s| ArticleId::new(s.as_str())).filter(|p| site.articles.contains_key(p)),
            );
        }
    }
    out
}

/// One article's entry of [`history`].
fn article_history(site: &Site, id: &ArticleId) -> Vec<usize> {
    use crate::diff::{step, Step};
    (0..site.views.len())
        .filter(|&vi| {
            site.counterpart_in(id, vi)
                .and_then(|cur| step(site, cur, vi))
                .is_some_and(|s| matches!(s, Step::Added | Step::Modified(_)))
        })
        .collect()
}

/// What differs between the model the served site was last compared with and a new one.
fn compare(old: &Site, new: &Site) -> Pending {
    let mut p = Pending::default();
    let files_differ = old.files.len() != new.files.len()
        || old.files.iter().zip(&new.files).any(|(a, b)| a.path != b.path || a.slug != b.slug || a.at != b.at);
    // A file that is (or may be) a revision of an asset and whose bytes changed may
    // now share, or no longer share, an earlier revision's file: pages may point
    // elsewhere.
    let assets_differ = old.assets.len() != new.assets.len()
        || old.assets.iter().zip(&new.assets).any(|(a, b)| a.rel != b.rel || a.abs != b.abs || a.digest != b.digest)
        || old.media != new.media;
    if files_differ
        || assets_differ
        || old.config != new.config
        || old.versions != new.versions
        || old.aliases != new.aliases
        || old.theme.templates != new.theme.templates
        || old.theme.statics != new.theme.statics
        || old.views.len() != new.views.len()
        || !old.articles.keys().eq(new.articles.keys())
    {
        p.full = true;
        return p;
    }
    for (vi, (a, b)) in old.views.iter().zip(&new.views).enumerate() {
        if tree_changed(a, b) {
            p.versions.insert(b.version.id.clone());
            p.changes_around(new, vi);
        }
    }
    for id in new.articles.keys() {
        let mut differs = false;
        for (vi, (a, b)) in old.views.iter().zip(&new.views).enumerate() {
            let same = match (a.pages.get(id), b.pages.get(id)) {
                (None, None) => true,
                (Some(x), Some(y)) => {
                    x.title == y.title
                        && x.parent == y.parent
                        && x.order == y.order
                        && x.keywords == y.keywords
                        && x.file == y.file
                        && old.bodies[x.body].text == new.bodies[y.body].text
                }
                _ => false,
            };
            if !same {
                differs = true;
                p.changes_around(new, vi);
                p.search.insert(new.views[vi].version.id.clone());
            }
        }
        if differs {
            p.articles.extend(renamed_with(new, id));
        }
    }
    p
}

/// Whether anything a version's pages show of its tree differs: pages, order, parents,
/// titles or the home page.
fn tree_changed(a: &VersionView, b: &VersionView) -> bool {
    a.home != b.home
        || a.nav.order != b.nav.order
        || !a.pages.keys().eq(b.pages.keys())
        || a.nav.order.iter().any(|id| {
            a.pages.get(id).map(|p| &p.title) != b.pages.get(id).map(|p| &p.title)
                || a.nav.parent.get(id) != b.nav.parent.get(id)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let mut diags = Diagnostics::new();
        let source = load::site(dir.path(), &mut diags).unwrap();
        let site = model::build(source, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        (dir, site)
    }

    const BASE: [(&str, &str); 5] = [
        ("versions/1.yaml", ""),
        ("versions/2.yaml", ""),
        ("versions/3.yaml", ""),
        ("articles/a.md", "---\ntitle: A\n---\nalpha\n<!-- only 2.. -->\nnew in 2\n<!-- /only -->\n"),
        ("articles/b.md", "---\ntitle: B\nparent: a\n---\nbeta [a](a.md)\n"),
    ];

    #[test]
    fn a_body_edit_redoes_only_that_article() {
        let (_d, old) = site(&BASE);
        let mut files = BASE.to_vec();
        files[3].1 = "---\ntitle: A\n---\nalpha!\n<!-- only 2.. -->\nnew in 2\n<!-- /only -->\n";
        let (_d2, new) = site(&files);
        let p = compare(&old, &new);
        assert!(!p.full && p.versions.is_empty());
        assert_eq!(p.articles.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ["a"]);
        assert_eq!(p.changes.len(), 3);
    }

    #[test]
    fn a_retitle_redoes_the_versions_of_that_revision() {
        let mut files = BASE.to_vec();
        files.push(("articles/b@3.md", "---\ntitle: B\nparent: a\n---\nbeta 3 [a](a.md)\n"));
        let (_d, old) = site(&files);
        files[5].1 = "---\ntitle: B three\nparent: a\n---\nbeta 3 [a](a.md)\n";
        let (_d2, new) = site(&files);
        let p = compare(&old, &new);
        assert!(!p.full);
        assert_eq!(p.versions.iter().map(|v| v.as_str()).collect::<Vec<_>>(), ["3"]);
        assert_eq!(p.articles.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn a_new_file_rebuilds_everything() {
        let (_d, old) = site(&BASE);
        let mut files = BASE.to_vec();
        files.push(("articles/c.md", "---\ntitle: C\n---\ngamma\n"));
        let (_d2, new) = site(&files);
        assert!(compare(&old, &new).full);
    }

    #[test]
    fn the_fast_path_matches_the_full_model() {
        let (dir, site0) = site(&BASE);
        let theme = Theme::load(&site0.theme, &mut Diagnostics::new());
        let (bodies, docs, _) = render_cached(&site0, None, &mut Diagnostics::new());
        let hist = history(&site0);
        let yaml = read_yaml(dir.path(), &site0);
        let by_path = site0.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
        let stamps = vec![0; site0.bodies.len()];
        let mut cur = Current { site: site0, theme, bodies, docs, stamps, hist, yaml, by_path };
        let edited = "---\ntitle: A\n---\nalpha\n<!-- only 3.. -->\nnew in 3\n<!-- /only -->\n## H {#h}\n";
        fs::write(dir.path().join("articles/a.md"), edited).unwrap();
        let patch = eligible(dir.path(), &cur, Path::new("articles/a.md")).expect("body-only edit");
        let done = apply_patch(&mut cur, patch);
        assert_eq!(done.pages, [0, 1, 2]);
        assert_eq!(done.changed, [0, 1, 2]);
        // 1 -> 2: "new in 2" appeared, and no longer does; 2 -> 3: "new in 3" appears.
        assert_eq!(done.changes, [1, 2]);
        assert!(done.headings_changed);

        let mut diags = Diagnostics::new();
        let full = model::build(load::site(dir.path(), &mut diags).unwrap(), &mut diags);
        for (a, b) in cur.site.views.iter().zip(&full.views) {
            for (id, p) in &b.pages {
                let q = &a.pages[id];
                assert_eq!(cur.site.bodies[q.body].text, full.bodies[p.body].text, "{id} in {}", b.version.id);
                assert_eq!(cur.site.bodies[q.body].line_map, full.bodies[p.body].line_map);
            }
        }
        assert_eq!(article_history(&cur.site, &ArticleId::new("a")), history(&full)[&ArticleId::new("a")]);

        // Front matter edits are not for the fast path.
        fs::write(dir.path().join("articles/a.md"), "---\ntitle: A2\n---\nalpha\n").unwrap();
        assert!(eligible(dir.path(), &cur, Path::new("articles/a.md")).is_none());
    }
}
