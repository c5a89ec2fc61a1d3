//! Keeping the served folder in step with the source tree: which of the engine's entry
//! points to call after a change, and moving what they wrote into the served folder.
//!
//! The builder keeps the engine's model of the latest build attempt ([`Live`]) and the
//! work the served folder still owes ([`Pending`]). A batch of changes to article text
//! only is first offered to [`Live::patch`]; anything else, or an edit the patch path
//! does not take, goes to [`Live::load`]. What is owed is then written: the whole site
//! into a fresh folder ([`engine::build`]), or whole versions and the pages of some
//! articles into a staging folder ([`pages`]), moved into the served one only when the
//! model has no errors and every link of the new pages reaches a file, so a broken edit
//! keeps the last good site.
//!
//! Deferred until the article pages are served and no change came for a moment
//! ([`Builder::idle`]): `changes.html` and the diff pages of the versions where the
//! article's step from the version before changed and the print page of each version
//! where its text changed (here), and the search index of every version whose documents
//! changed (on the [`super::search`] thread).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::diag::{plural, Diagnostics, Location};
use crate::engine::live::{Live, Pending, Timings};
use crate::engine::record::{targets_reached, Staged};
use crate::engine::{self, pages};
use crate::error::Error;
use crate::model::VersionId;
use crate::serve::reload::Hub;
use crate::serve::search;
use crate::serve::watch::Batch;
use crate::serve::Reporter;
use crate::write::move_into;

mod deferred;

/// Deferred work (what-changed pages, search indexes) waits for this long without changes.
const DEFER_AFTER: Duration = Duration::from_millis(400);
/// How often finished background work is looked for.
const POLL: Duration = Duration::from_millis(25);
/// Search documents prepared per background job.
const PREPARE_SLICE: usize = 128;

/// Keeps the served folder in step with the source tree.
pub struct Builder {
    root: PathBuf,
    /// The temporary folder holding served sites and staging folders.
    tmp: PathBuf,
    /// The folder being served (shared with the HTTP server).
    served: Arc<RwLock<Option<PathBuf>>>,
    hub: Arc<Hub>,
    reporter: Arc<dyn Reporter>,
    cur: Option<Live>,
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

impl Builder {
    /// A builder serving from folders under `tmp`; nothing is built yet.
    pub fn new(
        root: PathBuf,
        tmp: PathBuf,
        served: Arc<RwLock<Option<PathBuf>>>,
        hub: Arc<Hub>,
        reporter: Arc<dyn Reporter>,
    ) -> Builder {
        Builder {
            root,
            tmp,
            served,
            hub,
            reporter,
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
        self.reporter.say(msg);
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
                let known: HashSet<&str> = cur.manual.site.assets.iter().map(|a| a.rel.as_str()).collect();
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
                self.reporter.diagnostics(&diags);
                self.ok = true;
                self.recheck.clear();
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                let head = if what.is_empty() { String::new() } else { format!("{what}: ") };
                self.say(&format!("{head}{summary} in {}", human_ms(ms)));
                self.reporter.detail(&format!("  {}", timings.line()));
                return;
            }
        }
        // Failed: keep serving the last good site.
        self.ok = false;
        self.reporter.diagnostics(&diags);
        let mut text: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        text.push(diags.summary());
        self.hub.problems(&text.join("\n"));
        let head = if what.is_empty() { String::new() } else { format!("{what}: ") };
        let now = if self.served_dir().is_some() {
            "the browser keeps showing the last good site"
        } else {
            "nothing to serve until they are fixed"
        };
        self.reporter.error(&format!("{head}the manual has errors; {now}"));
    }

    /// Loads and models everything again ([`Live::load`]); the new model replaces the
    /// current one and what differs from it becomes pending.
    fn full_model(&mut self, diags: &mut Diagnostics, timings: &mut Timings) {
        self.model_stale = true;
        let (cur, pending) = Live::load(&self.root, self.cur.take(), diags, timings);
        self.pend(pending);
        if cur.is_some() && !diags.has_errors() {
            self.model_stale = false;
        }
        self.cur = cur;
    }

    /// The patch path ([`Live::patch`]) for the changed article files `md`, with those
    /// of failed attempts. False (and nothing touched) when it does not apply.
    fn fast_model(&mut self, md: &BTreeSet<PathBuf>, diags: &mut Diagnostics, timings: &mut Timings) -> bool {
        if self.model_stale || md.is_empty() {
            return false;
        }
        let Some(cur) = self.cur.as_mut() else { return false };
        let paths: BTreeSet<&PathBuf> = md.iter().chain(&self.recheck).collect();
        let Some(pending) = cur.patch(&self.root, &paths, !self.recheck.is_empty(), diags, timings) else {
            return false;
        };
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
        let site = &cur.manual.site;
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
            self.pending.print.remove(id);
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
        cur: &Live,
        stage: &Path,
        diags: &mut Diagnostics,
    ) -> Result<Option<(Staged, BTreeSet<String>)>, Error> {
        let site = &cur.manual.site;
        let whole_mask: Vec<bool> = site.views.iter().map(|v| self.pending.versions.contains(&v.version.id)).collect();
        let whole: BTreeSet<String> =
            site.views.iter().zip(&whole_mask).filter(|(_, w)| **w).map(|(v, _)| v.version.path.clone()).collect();
        let mut staged = Staged::default();
        if !whole.is_empty() {
            let Some(mut s) = pages::versions(stage, cur.inputs(), &whole_mask, diags)? else {
                return Ok(None);
            };
            s.files.retain(|f| f.split_once('/').is_some_and(|(v, _)| whole.contains(v)));
            staged.extend(s);
        }
        let mut articles = Vec::new();
        for id in &self.pending.articles {
            for (vi, v) in site.views.iter().enumerate() {
                if !whole_mask[vi] && v.pages.contains_key(id) {
                    articles.push((vi, id.clone()));
                }
            }
        }
        if !articles.is_empty() {
            let navs: Vec<String> =
                site.views.iter().map(|v| self.nav.get(&v.version.path).cloned().unwrap_or_default()).collect();
            let Some(s) = pages::articles(stage, cur.inputs(), &navs, &articles, diags)? else {
                return Ok(None);
            };
            staged.extend(s);
        }
        let media: Vec<&str> = self.pending.media.iter().map(|m| m.as_str()).collect();
        staged.extend(pages::media(stage, site, &media)?);
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
        let there = |t: &str| {
            new.contains(t)
                || (self.files.contains(t) && !gone.contains(t))
                || later.iter().any(|p| t.starts_with(p.as_str()))
        };
        targets_reached(&staged.targets, there, served, diags)
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
        self.seq += 1;
        let out = self.tmp.join(format!("site-{}", self.seq));
        let reporter = self.reporter.clone();
        let cur = self.cur.as_mut()?;
        let progress = |done: u64, total: u64| reporter.pages(done, total);
        let result = engine::build(&out, &mut cur.manual, false, Some(&progress), diags);
        reporter.pages_done();
        let n = cur.manual.site.views.len();
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
        self.files.clear();
        self.nav.clear();
        let written = scan(&out);
        self.note_files(&written);
        self.pending = Pending::default();
        self.bump_all_search();
        self.hub.reload(None);
        Some(format!("built {n} version{}, {} pages", plural(n), stats.pages))
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
            for v in &cur.manual.site.views {
                *self.search_epoch.entry(v.version.id.clone()).or_default() += 1;
            }
        }
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
