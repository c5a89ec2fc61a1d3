//! Watching the source tree: `articles/`, `versions/`, `themes/` and `manual.yaml`.
//!
//! File-system events arrive in bursts (an editor's save is often a rename, a write and
//! a close). notify-debouncer-full holds each event for [`DEBOUNCE`], pairs the two
//! halves of a rename and drops the events of files that came and went; its batches
//! are then joined while they follow each other within [`SETTLE`] (at most for
//! [`MAX_BURST`]), so a burst is handed over as one [`Batch`] of repository-relative
//! paths. Files `load` never reads (hidden ones) and editors' temporary files are
//! ignored. Symbolic links inside the source folders are not followed, as `load` does
//! not follow them: the watcher watches what build reads.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::ModifyKind;
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache};

/// How long the debouncer holds an event before handing it over (it looks again every
/// [`TICK`]).
const DEBOUNCE: Duration = Duration::from_millis(15);
const TICK: Duration = Duration::from_millis(5);
/// Batches closer than this are one burst. With [`DEBOUNCE`], a lone save is handed
/// over ~50 ms after its last event, as before the debouncer.
const SETTLE: Duration = Duration::from_millis(30);
/// A burst is cut after this long even if events keep coming.
const MAX_BURST: Duration = Duration::from_secs(1);
/// The folders watched recursively.
const FOLDERS: [&str; 3] = ["articles", "versions", "themes"];

/// The changes of one burst of events.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    /// Repository-relative paths with `/`, e.g. `articles/portal/a.md`.
    pub paths: BTreeSet<PathBuf>,
    /// Events were lost (or a watched folder appeared): everything must be read again.
    pub rescan: bool,
}

impl Batch {
    /// Whether the batch holds nothing to rebuild.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }
}

/// The watcher of one manual.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    rx: Receiver<DebounceEventResult>,
    root: PathBuf,
    watched: BTreeSet<&'static str>,
    /// Changes received by [`Watcher::has_events`], not yet handed out.
    early: Batch,
}

impl Watcher {
    /// Starts watching the manual at `root` (a canonical path).
    pub fn start(root: &Path) -> Result<Watcher, String> {
        let (tx, rx) = mpsc::channel();
        // `load` does not follow symbolic links inside the source folders, so neither
        // does the watcher: a link to `/usr` in `articles/` must not add a watch per
        // folder of `/usr`.
        let config = notify::Config::default().with_follow_symlinks(false);
        let handler = move |res: DebounceEventResult| {
            let _ = tx.send(res);
        };
        let mut debouncer = new_debouncer_opt(DEBOUNCE, Some(TICK), handler, RecommendedCache::new(), config)
            .map_err(|e| format!("cannot watch {} for changes: {e}", root.display()))?;
        // The root itself, for manual.yaml and for the folders appearing later.
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {} for changes: {e}", root.display()))?;
        let mut w =
            Watcher { debouncer, rx, root: root.to_path_buf(), watched: BTreeSet::new(), early: Batch::default() };
        w.watch_folders();
        Ok(w)
    }

    /// Keeps a recursive watch on each source folder that exists (they may appear,
    /// disappear or be replaced while serving); true when the set changed.
    fn watch_folders(&mut self) -> bool {
        let mut changed = false;
        for name in FOLDERS {
            let dir = self.root.join(name);
            let is_dir = dir.is_dir();
            if self.watched.contains(name) && !is_dir {
                let _ = self.debouncer.unwatch(&dir);
                self.watched.remove(name);
                changed = true;
            } else if !self.watched.contains(name)
                && is_dir
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(name);
                changed = true;
            }
        }
        changed
    }

    /// Waits for the next burst of relevant changes, or until `timeout` passes without
    /// one (then `None`); without a timeout, waits as long as it takes.
    pub fn next_batch(&mut self, timeout: Option<Duration>) -> Option<Batch> {
        let mut batch = std::mem::take(&mut self.early);
        let deadline = timeout.map(|t| Instant::now() + t);
        while batch.is_empty() {
            let res = match deadline {
                None => match self.rx.recv() {
                    Ok(res) => res,
                    // The debouncer lives as long as self, so the channel stays open.
                    Err(_) => return None,
                },
                Some(d) => match self.rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                    Ok(res) => res,
                    Err(_) => return None,
                },
            };
            self.add(res, &mut batch);
        }
        let start = Instant::now();
        while start.elapsed() < MAX_BURST {
            match self.rx.recv_timeout(SETTLE) {
                Ok(res) => self.add(res, &mut batch),
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }

    /// Whether relevant changes are waiting (does not block).
    pub fn has_events(&mut self) -> bool {
        while let Ok(res) = self.rx.try_recv() {
            let mut early = std::mem::take(&mut self.early);
            self.add(res, &mut early);
            self.early = early;
        }
        !self.early.is_empty()
    }

    fn add(&mut self, res: DebounceEventResult, batch: &mut Batch) {
        let events = match res {
            Ok(events) => events,
            Err(_) => {
                // A watch error usually means lost events: read everything again.
                batch.rescan = true;
                return;
            }
        };
        for ev in &events {
            self.add_event(ev, batch);
        }
        if self.watch_folders() {
            batch.rescan = true;
        }
    }

    fn add_event(&mut self, ev: &DebouncedEvent, batch: &mut Batch) {
        if ev.need_rescan() {
            batch.rescan = true;
        }
        if matches!(ev.kind, EventKind::Access(_)) && !is_close_write(&ev.kind) {
            return;
        }
        for path in &ev.paths {
            if let Some(rel) = relevant(&self.root, path) {
                if let Some(name) = FOLDERS.iter().find(|f| rel.as_os_str() == **f) {
                    // A source folder itself: only its appearing, going or being replaced
                    // matters, and then it is watched anew.
                    if !matches!(
                        ev.kind,
                        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
                    ) {
                        continue;
                    }
                    if self.watched.remove(name) {
                        let _ = self.debouncer.unwatch(self.root.join(name));
                    }
                }
                batch.paths.insert(rel);
            }
        }
    }
}

fn is_close_write(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)))
}

/// The repository-relative path of an event's `path` when it concerns the manual.
fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<Vec<&str>>>()?;
    let first = *parts.first()?;
    if parts.len() == 1 && first != "manual.yaml" && !FOLDERS.contains(&first) {
        return None;
    }
    if parts.len() > 1 && !FOLDERS.contains(&first) {
        return None;
    }
    // `load` skips hidden files and folders; editors' temporary files come and go.
    if parts.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    let name = parts.last()?;
    if name.ends_with('~') || name.starts_with('#') || *name == "4913" || name.ends_with(".swp") {
        return None;
    }
    Some(PathBuf::from(parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_source_files_and_skips_the_rest() {
        let root = Path::new("/m");
        let rel = |p: &str| relevant(root, &root.join(p)).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(rel("articles/portal/a.md").as_deref(), Some("articles/portal/a.md"));
        assert_eq!(rel("versions/24.3.yaml").as_deref(), Some("versions/24.3.yaml"));
        assert_eq!(rel("manual.yaml").as_deref(), Some("manual.yaml"));
        assert_eq!(rel("themes").as_deref(), Some("themes"));
        assert_eq!(rel("site/v1/a.html"), None);
        assert_eq!(rel("README.md"), None);
        assert_eq!(rel("articles/.a.md.swp"), None);
        assert_eq!(rel("articles/a.md~"), None);
        assert_eq!(rel("articles/4913"), None);
        assert_eq!(rel("articles/.git/x"), None);
        assert_eq!(relevant(root, Path::new("/elsewhere/a.md")), None);
    }

    #[cfg(unix)]
    #[test]
    fn watcher_watches_exactly_what_build_reads_no_symlinks_out_of_articles() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("m");
        let outside = d.path().join("outside");
        std::fs::create_dir_all(root.join("articles")).unwrap();
        std::fs::create_dir_all(outside.join("deep")).unwrap();
        std::fs::write(root.join("articles/a.md"), "---\ntitle: A\n---\n").unwrap();
        std::fs::write(outside.join("deep/b.md"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("articles/ext")).unwrap();
        let root = std::fs::canonicalize(&root).unwrap();
        let mut w = Watcher::start(&root).unwrap();
        // An edit behind the link: build never reads it, so no change is seen.
        std::fs::write(outside.join("deep/b.md"), "changed").unwrap();
        assert!(w.next_batch(Some(Duration::from_millis(500))).is_none(), "the watcher followed the link");
        std::fs::write(root.join("articles/a.md"), "---\ntitle: A2\n---\n").unwrap();
        let batch = w.next_batch(Some(Duration::from_secs(5))).expect("an edit in articles/ is seen");
        assert!(batch.paths.contains(Path::new("articles/a.md")), "{batch:?}");
        // A link made while serving is not followed either.
        std::os::unix::fs::symlink(&outside, root.join("articles/ext2")).unwrap();
        let _ = w.next_batch(Some(Duration::from_millis(500)));
        std::fs::write(outside.join("deep/b.md"), "changed again").unwrap();
        std::fs::write(outside.join("deep/c.md"), "new").unwrap();
        if let Some(batch) = w.next_batch(Some(Duration::from_millis(500))) {
            panic!("the watcher followed a new link: {batch:?}");
        }
    }

    #[test]
    fn a_burst_is_one_batch_and_a_rename_save_names_the_saved_file() {
        let d = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(d.path()).unwrap();
        std::fs::create_dir_all(root.join("articles/guide")).unwrap();
        std::fs::write(root.join("articles/a.md"), "a").unwrap();
        let mut w = Watcher::start(&root).unwrap();
        // Several files written a few milliseconds apart (a checkout, a search and
        // replace): one batch.
        for name in ["a.md", "b.md", "guide/c.md", "guide/d.md"] {
            std::fs::write(root.join("articles").join(name), "x").unwrap();
            std::thread::sleep(Duration::from_millis(5));
        }
        let batch = w.next_batch(Some(Duration::from_secs(5))).expect("the writes are seen");
        let want = ["articles/a.md", "articles/b.md", "articles/guide/c.md", "articles/guide/d.md"];
        for p in want {
            assert!(batch.paths.contains(Path::new(p)), "{p} missing from {batch:?}");
        }
        assert!(w.next_batch(Some(Duration::from_millis(300))).is_none(), "the burst was split");
        // An editor's save: the text goes to a hidden temporary file, renamed over the
        // article; the backup it leaves is ignored.
        std::fs::write(root.join("articles/.a.md.tmp"), "saved").unwrap();
        std::fs::copy(root.join("articles/a.md"), root.join("articles/a.md~")).unwrap();
        std::fs::rename(root.join("articles/.a.md.tmp"), root.join("articles/a.md")).unwrap();
        let batch = w.next_batch(Some(Duration::from_secs(5))).expect("the save is seen");
        let paths: Vec<_> = batch.paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        assert_eq!(paths, ["articles/a.md"], "{batch:?}");
        // manual.yaml at the root is watched; the output folder's files are not.
        std::fs::create_dir_all(root.join("site/v1")).unwrap();
        std::fs::write(root.join("site/v1/a.html"), "x").unwrap();
        std::fs::write(root.join("manual.yaml"), "title: M\n").unwrap();
        let batch = w.next_batch(Some(Duration::from_secs(5))).expect("manual.yaml is seen");
        let paths: Vec<_> = batch.paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        assert_eq!(paths, ["manual.yaml"], "{batch:?}");
    }
}
