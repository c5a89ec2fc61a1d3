//! The work a rebuild defers until the article pages are served and no change came
//! for a moment: the what-changed pages and print pages of the versions that owe them
//! (written here, one version at a time) and search indexes (prepared and written on the
//! [`super::super::search`] thread, applied here when they are still current).

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{human_ms, Builder, DEFER_AFTER, POLL, PREPARE_SLICE};
use crate::diag::{plural, Diagnostics, Location};
use crate::engine::{self, pages};
use crate::index::PreparedDoc;
use crate::model::{BodyId, VersionId};
use crate::serve::search;
use crate::write::move_into;

/// How the manual's timeline, which every what-changed page loads, is named in the site.
const TIMELINE: &str = "assets/timeline.";

impl Builder {
    /// How long the caller may wait for changes before calling [`Builder::idle`] again:
    /// `None` when nothing is left to do.
    pub fn wakeup(&self) -> Option<Duration> {
        if self.worker.busy() {
            return Some(POLL);
        }
        let owed =
            !self.pending.changes.is_empty() || !self.pending.print.is_empty() || !self.pending.search.is_empty();
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
        if !self.pending.changes.is_empty() || !self.pending.print.is_empty() {
            self.deferred_pages(interrupted);
        }
        if !self.worker.busy() && !self.pending.search.is_empty() && !interrupted() {
            self.start_search_job();
        }
    }

    /// Writes the deferred `changes.html` and diff pages, then print pages, one version
    /// at a time.
    fn deferred_pages(&mut self, interrupted: &mut dyn FnMut() -> bool) {
        let start = Instant::now();
        let Some(served) = self.served_dir() else { return };
        let mut html = Vec::new();
        let mut versions = 0;
        // The manual's timeline, once for every what-changed page written now.
        let mut timeline = String::new();
        if !self.pending.changes.is_empty() {
            let mut diags = Diagnostics::new();
            match self.write_timeline(&served, &mut diags) {
                Some(rel) => timeline = rel,
                None => return self.failed(&diags),
            }
        }
        let todo: Vec<(bool, VersionId)> = (self.pending.changes.iter().map(|v| (false, v.clone())))
            .chain(self.pending.print.iter().map(|v| (true, v.clone())))
            .collect();
        for (print, vid) in todo {
            if interrupted() {
                break;
            }
            let mut diags = Diagnostics::new();
            match self.write_deferred(print, &vid, &timeline, &served, &mut diags) {
                Some(written) => {
                    html.extend(written);
                    versions += 1;
                    if print {
                        self.pending.print.remove(&vid);
                    } else {
                        self.pending.changes.remove(&vid);
                    }
                }
                None => {
                    self.failed(&diags);
                    break;
                }
            }
        }
        if !html.is_empty() {
            self.hub.reload(Some(&html));
        }
        if versions > 0 {
            self.reporter.detail(&format!(
                "  then what-changed and print pages ({versions} version{}) in {}",
                plural(versions),
                human_ms(start.elapsed().as_secs_f64() * 1000.0)
            ));
        }
    }

    /// Reports deferred work that failed; it is not retried until the next change.
    fn failed(&mut self, diags: &Diagnostics) {
        self.ok = false;
        self.reporter.diagnostics(diags);
        let mut text: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        text.push(diags.summary());
        self.hub.problems(&text.join("\n"));
    }

    /// Writes the manual's timeline into the served folder; its path there, or `None` on
    /// failure. An edit that changes the timeline gives it a new name, which every
    /// version's changes.html names: the old file goes, and every version's what-changed
    /// pages are owed.
    fn write_timeline(&mut self, served: &Path, diags: &mut Diagnostics) -> Option<String> {
        let cur = self.cur.as_ref()?;
        self.seq += 1;
        let stage = self.tmp.join(format!("stage-{}", self.seq));
        let result = match pages::timeline(&stage, &cur.manual.site) {
            Ok(staged) => {
                let stale: Vec<String> = self
                    .files
                    .iter()
                    .filter(|f| f.starts_with(TIMELINE) && !staged.files.contains(f))
                    .cloned()
                    .collect();
                match move_into(&stage, served, &staged.files, &stale) {
                    Ok(()) => Some((staged, stale)),
                    Err(e) => {
                        diags.error(Location::file(served), format!("cannot update the served site: {e}"));
                        self.pending.full = true;
                        None
                    }
                }
            }
            Err(e) => {
                diags.error(Location::file(&stage), e.to_string());
                None
            }
        };
        let _ = fs::remove_dir_all(&stage);
        let (staged, stale) = result?;
        if !stale.is_empty() {
            let all = cur.manual.site.views.iter().map(|v| v.version.id.clone());
            self.pending.changes.extend(all);
        }
        for f in &stale {
            self.files.remove(f);
        }
        self.note_files(&staged.files);
        staged.files.into_iter().next()
    }

    /// Starts the next search job: preparing missing documents of the newest version
    /// whose index is owed, or, when it has them all, writing its index.
    fn start_search_job(&mut self) {
        let Some(cur) = self.cur.as_ref() else { return };
        let Some(vi) = (0..cur.manual.site.views.len())
            .rev()
            .find(|&vi| self.pending.search.contains(&cur.manual.site.views[vi].version.id))
        else {
            // Owed for versions that are gone.
            self.pending.search.clear();
            return;
        };
        let view = &cur.manual.site.views[vi];
        let bodies: Vec<BodyId> = view.nav.order.iter().filter_map(|id| view.pages.get(id)).map(|p| p.body).collect();
        let mut missing: Vec<BodyId> = bodies
            .iter()
            .copied()
            .filter(|&b| {
                cur.docs.get(b.index()).is_some_and(|d| d.is_none())
                    && cur.manual.bodies.get(b.index()).is_some_and(|r| r.is_some())
            })
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
                    let (doc, html) = engine::search::search_source(&cur.manual.site, &cur.manual.bodies, bi)?;
                    Some((bi, cur.stamps[bi], doc, html))
                })
                .collect();
            self.worker.send(search::Job::Prepare(items));
            return;
        }
        let docs: Vec<Arc<PreparedDoc>> =
            bodies.iter().filter_map(|&b| cur.docs.get(b.index()).cloned().flatten()).collect();
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
                    if cur.stamps.get(bi.index()) == Some(&stamp) {
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
                                let ms = self.search_started.elapsed().as_secs_f64() * 1000.0;
                                self.reporter.detail(&format!("  search index of {vid} in {}", human_ms(ms)));
                            }
                            Err(e) => {
                                self.reporter.error(&format!("error: cannot update the search index of {vid}: {e}"));
                                self.pending.full = true;
                            }
                        }
                    }
                    (Err(e), _) => {
                        self.reporter.error(&format!("error: cannot write the search index of {vid}: {e}"));
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

    /// Rewrites one version's deferred pages: its `changes.html` and diff pages (which
    /// load `timeline`, the manual's timeline as [`Builder::write_timeline`] wrote it), or
    /// with `print` its print page; the HTML files written, or `None` on failure.
    fn write_deferred(
        &mut self,
        print: bool,
        vid: &VersionId,
        timeline: &str,
        served: &Path,
        diags: &mut Diagnostics,
    ) -> Option<Vec<String>> {
        let cur = self.cur.as_ref()?;
        let Some(vi) = cur.manual.site.view_index(vid) else { return Some(Vec::new()) };
        let vpath = cur.manual.site.views[vi].version.path.clone();
        let nav = self.nav.get(&vpath).cloned().unwrap_or_default();
        self.seq += 1;
        let stage = self.tmp.join(format!("stage-{}", self.seq));
        let staged = if print {
            pages::print(&stage, cur.inputs(), &nav, vi, diags)
        } else {
            pages::changes(&stage, cur.inputs(), &nav, vi, timeline, diags)
        };
        let result = match staged {
            Ok(Some(staged)) => {
                // The version's diff pages that are no longer written go.
                let prefix = format!("{vpath}/diff/");
                let stale: Vec<String> = if print {
                    Vec::new()
                } else {
                    self.files
                        .iter()
                        .filter(|f| f.starts_with(&prefix) && f.ends_with(".html"))
                        .filter(|f| !staged.files.contains(f))
                        .cloned()
                        .collect()
                };
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
