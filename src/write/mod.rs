//! The output sink: the only code that touches the output folder.
//!
//! A [`Sink`] writes files under one folder: a final site, a staging folder, or nothing
//! at all (`folio check`). A file whose bytes the site being replaced already holds is
//! hard-linked from there instead of written again. [`Replace`] is a whole site written
//! into a staging folder beside the output, which takes the output's place only when
//! the build finished without errors, so a failed build leaves the previous site
//! untouched.
//!
//! Every site carries a manifest of the files written (`owned`): folio replaces only a
//! folder that it can prove is its own, follows a symbolic link `--out` to the site it
//! names, and removes the staging folders of interrupted builds.

pub mod owned;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

/// Writes files under one folder and counts the bytes.
pub struct Sink {
    root: PathBuf,
    bytes: AtomicU64,
    /// Folders already made: tens of thousands of files share a handful of folders,
    /// and asking the file system again for each one costs more than the write.
    dirs: std::sync::Mutex<HashSet<PathBuf>>,
    /// The site this build replaces, if any: a file whose bytes it already holds at the
    /// same path is linked from there instead of written again (see [`Sink::write`]).
    previous: Option<PathBuf>,
    /// Renders everything but writes nothing (`folio check`).
    dry: bool,
}

impl Sink {
    /// A sink writing under `root`, which it creates as needed.
    pub fn folder(root: &Path) -> Sink {
        Sink {
            root: root.to_path_buf(),
            bytes: AtomicU64::new(0),
            dirs: Default::default(),
            previous: None,
            dry: false,
        }
    }

    /// A sink that writes nothing: every file counts as written.
    pub fn dry() -> Sink {
        Sink { dry: true, ..Sink::folder(Path::new("")) }
    }

    /// Like [`Sink::folder`], for a build that will replace the site in `previous`.
    fn replacing(root: &Path, previous: &Path) -> Sink {
        Sink { previous: Some(previous.to_path_buf()), ..Sink::folder(root) }
    }

    /// Makes the folder `path` goes in, once per folder.
    fn make_parent(&self, path: &Path) -> Result<(), Error> {
        let Some(parent) = path.parent() else { return Ok(()) };
        if self.dirs.lock().map(|d| d.contains(parent)).unwrap_or(false) {
            return Ok(());
        }
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        if let Ok(mut d) = self.dirs.lock() {
            d.insert(parent.to_path_buf());
        }
        Ok(())
    }

    /// Writes `rel` (a `/`-separated path made only of checked segments).
    ///
    /// When the site being replaced holds exactly these bytes at `rel`, the file is
    /// hard-linked from there instead: a rebuild then creates and deletes only the files
    /// that changed (on a disk, creating and deleting files is most of a build's time),
    /// and an unchanged file keeps its modification time, so deployment tools that
    /// compare times and sizes (rsync) copy only what changed. The old site itself is not
    /// modified; it is deleted after the swap, which leaves the new links in place.
    pub fn write(&self, rel: &str, data: &[u8]) -> Result<(), Error> {
        debug_assert!(!rel.split('/').any(|s| s == ".." || s.is_empty()), "unsafe output path {rel}");
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        if self.dry {
            return Ok(());
        }
        stop_if_interrupted()?;
        let path = self.root.join(rel);
        self.make_parent(&path)?;
        if let Some(previous) = &self.previous {
            let old = previous.join(rel);
            if same_bytes(&old, data) && fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        fs::write(&path, data).map_err(|e| Error::io(&path, e))
    }

    /// Makes `rel` a copy of the already written `existing`: a hard link where the
    /// file system allows (no bytes written), else a copy.
    pub fn link(&self, existing: &str, rel: &str) -> Result<(), Error> {
        if self.dry {
            return Ok(());
        }
        stop_if_interrupted()?;
        let from = self.root.join(existing);
        let to = self.root.join(rel);
        self.make_parent(&to)?;
        if fs::hard_link(&from, &to).is_err() {
            let n = fs::copy(&from, &to).map_err(|e| Error::io(&to, e))?;
            self.bytes.fetch_add(n, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Bytes written so far (a linked file counts as written).
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// Once the process is interrupted no file is started any more, so that removing the
/// staging folder is not raced by new files.
fn stop_if_interrupted() -> Result<(), Error> {
    if owned::interrupted() {
        return Err(Error::Usage("interrupted".into()));
    }
    Ok(())
}

/// Whether the regular file at `path` holds exactly `data` (false when it cannot be read).
fn same_bytes(path: &Path, data: &[u8]) -> bool {
    use std::io::Read;
    let Ok(file) = fs::File::open(path) else { return false };
    match file.metadata() {
        Ok(m) if m.is_file() && m.len() == data.len() as u64 => {}
        _ => return false,
    }
    let mut old = Vec::with_capacity(data.len() + 1);
    // one byte more than expected: a file that grew since is not the same
    file.take(data.len() as u64 + 1).read_to_end(&mut old).is_ok() && old == data
}

/// Checks that `out` may be replaced: not the source tree or a folder holding it, and
/// either absent, empty, or a site folio wrote that holds nothing else (see [`owned`]).
/// A symbolic link is checked as the folder it names, which is where the build writes.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Error> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        // Canonicalize the longest existing ancestor so symlinks and `..` resolve.
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = fs::canonicalize(&existing).unwrap_or(existing);
        for r in rest.into_iter().rev() {
            c.push(r);
        }
        c
    };
    let resolved = owned::resolve_out(out)?;
    let root_abs = abs(root);
    let out_abs = abs(&resolved);
    if root_abs.starts_with(&out_abs) {
        return Err(Error::Usage(format!(
            "refusing to write the site to {}: it contains the manual's source",
            out.display()
        )));
    }
    for sub in ["articles", "versions", "themes"] {
        if out_abs.starts_with(root_abs.join(sub)) {
            return Err(Error::Usage(format!("refusing to write the site inside the source folder {sub}/")));
        }
    }
    if out_abs.is_dir() {
        let mut entries = fs::read_dir(&out_abs).map_err(|e| Error::io(out, e))?;
        let empty = entries.next().is_none();
        if !empty {
            if let Some(reason) = owned::refuse_reason(&out_abs) {
                return Err(Error::Usage(reason.replace(&out_abs.display().to_string(), &out.display().to_string())));
            }
        }
    } else if out_abs.exists() {
        return Err(Error::Usage(format!("{} exists and is not a folder", out.display())));
    }
    Ok(())
}

/// Forgets a staging folder when the build that made it ends, however it ends.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        owned::forget_staging(&self.0);
    }
}

/// A whole site being written into a staging folder beside its output folder. It takes
/// the output's place on [`Replace::finish`]; dropped unfinished, it is deleted and the
/// output is left as it was.
pub struct Replace {
    out: PathBuf,
    parent: PathBuf,
    tmp: tempfile::TempDir,
    sink: Sink,
    _staging: Staging,
}

impl Replace {
    /// Checks that `out` may be replaced (see [`check_output_dir`]; `root` is the source
    /// tree) and opens the staging folder beside it.
    pub fn begin(root: &Path, out: &Path) -> Result<Replace, Error> {
        check_output_dir(root, out)?;
        // A link to an earlier site: that site is replaced, the link stays.
        let out = owned::resolve_out(out)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        owned::remove_leftovers(&parent);
        let tmp = owned::create_staging(
            || tempfile::Builder::new().prefix(owned::STAGING_PREFIX).tempdir_in(&parent),
            |t| t.path(),
        )
        .map_err(|e| Error::io(&parent, e))?;
        let staging = Staging(tmp.path().to_path_buf());
        owned::mark_staging(tmp.path())?;
        // `check_output_dir` made sure an existing `out` is a folio site: its unchanged
        // files are linked into the new one.
        let sink = if out.is_dir() { Sink::replacing(tmp.path(), &out) } else { Sink::folder(tmp.path()) };
        Ok(Replace { out, parent, tmp, sink, _staging: staging })
    }

    /// Where the site's files go.
    pub fn sink(&self) -> &Sink {
        &self.sink
    }

    /// Writes the manifest of `files` (every file written, site-relative) and puts the
    /// new site in the output's place; returns the bytes written.
    pub fn finish(self, files: &[String]) -> Result<u64, Error> {
        let Replace { out, parent, tmp, sink, _staging } = self;
        // The staging mark makes way for the finished manifest (linked from the earlier
        // site when unchanged, like every other file).
        let mark = tmp.path().join(owned::MANIFEST);
        fs::remove_file(&mark).map_err(|e| Error::io(&mark, e))?;
        sink.write(owned::MANIFEST, owned::manifest_text(files).as_bytes())?;
        let bytes = sink.bytes();

        // Swap: the old output goes aside, the new one takes its place. An interruption
        // waits for the swap; what it leaves of the old site the next build removes.
        let staged = tmp.path().to_path_buf();
        let out = &out;
        let old = owned::finish_staging(&staged, || -> Result<Option<PathBuf>, Error> {
            let tmp_path = tmp.keep();
            if out.exists() {
                let old = parent.join(format!("{}{}", owned::OLD_PREFIX, std::process::id()));
                fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
                if let Err(e) = fs::rename(&tmp_path, out) {
                    let _ = fs::rename(&old, out);
                    let _ = fs::remove_dir_all(&tmp_path);
                    return Err(Error::io(out, e));
                }
                Ok(Some(old))
            } else {
                fs::rename(&tmp_path, out).map_err(|e| {
                    let _ = fs::remove_dir_all(&tmp_path);
                    Error::io(out, e)
                })?;
                Ok(None)
            }
        })?;
        if let Some(old) = old {
            remove_tree(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(bytes)
    }
}

/// Moves the staged `files` into `served` (each rename replaces the old file at once,
/// so a browser never reads half a page), then deletes `stale`.
pub fn move_into(stage: &Path, served: &Path, files: &[String], stale: &[String]) -> io::Result<()> {
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

/// Deletes `dir` and everything in it, its top-level entries on several threads at once.
/// Deleting the tens of thousands of files of an earlier site is mostly waiting on the
/// disk: on the project's machine the 2,000 x 30 site takes 13 s one file at a time and
/// 3.4 s with eight deletions in flight.
fn remove_tree(dir: &Path) -> io::Result<()> {
    const IN_FLIGHT: usize = 8;
    let entries: Vec<PathBuf> = fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..IN_FLIGHT.min(entries.len()) {
            s.spawn(|| {
                while let Some(p) = entries.get(next.fetch_add(1, Ordering::Relaxed)) {
                    // What fails here is reported by the final remove_dir_all below.
                    let _ = if p.is_dir() && !p.is_symlink() { fs::remove_dir_all(p) } else { fs::remove_file(p) };
                }
            });
        }
    });
    fs::remove_dir_all(dir)
}
