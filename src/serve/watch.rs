//! Watching the source tree: `articles/`, `versions/`, `themes/` and `manual.yaml`.
//!
//! File-system events arrive in bursts (an editor's save is often a rename, a write and
//! a close), so they are collected until ~50 ms pass without a new one and handed over
//! as one [`Batch`] of repository-relative paths. Files `load` never reads (hidden ones)
//! and editors' temporary files are ignored. Symbolic links inside the source folders are
//! not followed, as `load` does not follow them: the watcher watches what build reads.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::ModifyKind;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// Quiet time that ends a burst of events.
const DEBOUNCE: Duration = Duration::from_millis(50);
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
    watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
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
        let mut watcher = RecommendedWatcher::new(
            move |res| {
                let _ = tx.send(res);
            },
            config,
        )
        .map_err(|e| format!("cannot watch {} for changes: {e}", root.display()))?;
        // The root itself, for manual.yaml and for the folders appearing later.
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {} for changes: {e}", root.display()))?;
        let mut w =
            Watcher { watcher, rx, root: root.to_path_buf(), watched: BTreeSet::new(), early: Batch::default() };
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
                let _ = self.watcher.unwatch(&dir);
                self.watched.remove(name);
                changed = true;
            } else if !self.watched.contains(name)
                && is_dir
                && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
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
            let ev = match deadline {
                None => match self.rx.recv() {
                    Ok(ev) => ev,
                    // The watcher lives as long as self, so the channel stays open.
                    Err(_) => return None,
                },
                Some(d) => match self.rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                    Ok(ev) => ev,
                    Err(_) => return None,
                },
            };
            self.add(ev, &mut batch);
        }
        let start = Instant::now();
        while start.elapsed() < MAX_BURST {
            match self.rx.recv_timeout(DEBOUNCE) {
                Ok(ev) => self.add(ev, &mut batch),
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }

    /// Whether relevant changes are waiting (does not block).
    pub fn has_events(&mut self) -> bool {
        while let Ok(ev) = self.rx.try_recv() {
            let mut early = std::mem::take(&mut self.early);
            self.add(ev, &mut early);
            self.early = early;
        }
        !self.early.is_empty()
    }

    fn add(&mut self, ev: notify::Result<notify::Event>, batch: &mut Batch) {
        let ev = match ev {
            Ok(ev) => ev,
            Err(_) => {
                // A watch error usually means lost events: read everything again.
                batch.rescan = true;
                return;
            }
        };
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
                        let _ = self.watcher.unwatch(&self.root.join(name));
                    }
                }
                batch.paths.insert(rel);
            }
        }
        if self.watch_folders() {
            batch.rescan = true;
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
}
