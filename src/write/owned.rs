//! Which folders are folio's to replace or delete.
//!
//! Every site folio builds holds a manifest, [`MANIFEST`], listing the files it wrote. A
//! folder is folio's only when it can show one: a non-empty output folder without it is
//! refused, and so is a site holding files the manifest does not list (someone put them
//! there; replacing the site would delete them). The staging folders a build renders
//! into (`.folio-build-*`) carry a manifest from their first moment, naming the process
//! that writes them, so a later build can tell an interrupted build's leftovers from
//! anything else and remove them. Sites built before the manifest existed are recognised
//! by their shape (see [`legacy_site`]).

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::Error;

/// The manifest's file name, at the top of every site folio writes.
pub const MANIFEST: &str = ".folio-site";
/// The manifest's first line.
const HEADER: &str = "# folio site: the files below were written by folio build";
/// The second line of a staging folder's manifest while its build runs.
const BUILDING: &str = "# building in process ";
/// Prefix of the folder a build renders into, beside the output.
pub const STAGING_PREFIX: &str = ".folio-build-";
/// Prefix of the earlier site while it is being deleted after the swap.
pub const OLD_PREFIX: &str = ".folio-old-";

/// A site's manifest as read from disk.
pub struct Manifest {
    /// The process still writing the folder (a staging folder), if any.
    pub building: Option<u32>,
    /// The files listed, `/`-separated and relative to the folder.
    pub files: Vec<String>,
}

/// Reads the manifest of `dir`, if it has one (a regular file, not a link, whose first
/// line is folio's).
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    let path = dir.join(MANIFEST);
    if !fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let text = fs::read_to_string(&path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut building = None;
    let mut files = Vec::new();
    for line in lines {
        if let Some(pid) = line.strip_prefix(BUILDING) {
            building = Some(pid.trim().parse().ok()?);
        } else if !line.starts_with('#') && !line.is_empty() {
            files.push(line.to_string());
        }
    }
    Some(Manifest { building, files })
}

/// The manifest text for a finished site that holds `files`.
pub fn manifest_text(files: &[String]) -> String {
    let mut sorted: Vec<&str> = files.iter().map(|s| s.as_str()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut s = String::with_capacity(files.len() * 32 + HEADER.len() + 1);
    s.push_str(HEADER);
    s.push('\n');
    for f in sorted {
        s.push_str(f);
        s.push('\n');
    }
    s
}

/// Marks `dir` (a fresh staging folder) as being written by this process.
pub fn mark_staging(dir: &Path) -> Result<(), Error> {
    let path = dir.join(MANIFEST);
    fs::write(&path, format!("{HEADER}\n{BUILDING}{}\n", std::process::id())).map_err(|e| Error::io(&path, e))
}

/// `out` as the build will use it: a symbolic link is followed to the folder it names,
/// so the site is built into that folder and the link is left as it is.
pub fn resolve_out(out: &Path) -> Result<PathBuf, Error> {
    match fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(out) {
            Ok(target) => Ok(target),
            Err(e) => Err(Error::Usage(format!(
                "refusing to write the site to {}: it is a symbolic link whose target cannot be read ({e})",
                out.display()
            ))),
        },
        _ => Ok(out.to_path_buf()),
    }
}

/// Why the existing, non-empty folder `dir` may not be replaced, or `None` when it is a
/// site folio wrote and holds nothing else.
pub fn refuse_reason(dir: &Path) -> Option<String> {
    let shown = dir.display();
    match read_manifest(dir) {
        Some(m) if m.building.is_some() => {
            Some(format!("refusing to replace {shown}: it is a build folder that is still being written"))
        }
        Some(m) => {
            let listed: HashSet<&str> = m.files.iter().map(|s| s.as_str()).collect();
            let mut extra = Vec::new();
            for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
                let Ok(entry) = entry else {
                    return Some(format!("refusing to replace {shown}: part of it cannot be read"));
                };
                if entry.file_type().is_dir() {
                    continue;
                }
                let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel != MANIFEST && !listed.contains(rel.as_str()) {
                    extra.push(rel);
                }
            }
            if extra.is_empty() {
                return None;
            }
            let n = extra.len();
            extra.truncate(5);
            Some(format!(
                "refusing to replace {shown}: it holds {n} file{} that folio did not write ({}{}); move {} away first",
                if n == 1 { "" } else { "s" },
                extra.join(", "),
                if n > 5 { ", …" } else { "" },
                if n == 1 { "it" } else { "them" },
            ))
        }
        None if legacy_site(dir) => None,
        None => Some(format!(
            "refusing to replace {shown}: it is not empty and is not a folio site (no {MANIFEST}); remove it or choose another --out"
        )),
    }
}

/// Whether `dir`, which has no manifest, is a site written by a folio from before the
/// manifest: its `versions.json` is folio's (a list of versions with `name`, `label`,
/// `status` and `latest`) and every entry at its top is one folio writes there (the
/// shared folders, the root files, and the folders `versions.json` names).
pub fn legacy_site(dir: &Path) -> bool {
    let Ok(text) = fs::read_to_string(dir.join("versions.json")) else { return false };
    let Ok(serde_json::Value::Array(list)) = serde_json::from_str::<serde_json::Value>(&text) else { return false };
    let mut allowed: HashSet<String> =
        ["assets", "media", "index.html", "versions.json", "sitemap.xml"].iter().map(|s| s.to_string()).collect();
    for v in &list {
        let Some(o) = v.as_object() else { return false };
        if !["name", "label", "status", "latest"].iter().all(|k| o.contains_key(*k)) {
            return false;
        }
        if let Some(p) = o.get("path").and_then(|p| p.as_str()) {
            allowed.insert(p.to_string());
        }
    }
    let Ok(entries) = fs::read_dir(dir) else { return false };
    for e in entries {
        let Ok(e) = e else { return false };
        let Ok(kind) = e.file_type() else { return false };
        if kind.is_symlink() || !allowed.contains(e.file_name().to_string_lossy().as_ref()) {
            return false;
        }
    }
    true
}

/// Whether process `pid` may still be running. Where the system cannot tell (no
/// `/proc`), every process counts as running, so nothing is removed.
fn running(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes what interrupted builds left in `parent` (the output's folder): staging and
/// old-site folders, recognised by their name and by their manifest, whose process is
/// no longer running. A staging folder interrupted before its manifest was written is
/// still empty and is removed only if it is. Anything else is left alone.
pub fn remove_leftovers(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let old = name.strip_prefix(OLD_PREFIX);
        if !name.starts_with(STAGING_PREFIX) && old.is_none() {
            continue;
        }
        if !e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            continue;
        }
        let path = e.path();
        match read_manifest(&path) {
            Some(m) => {
                let owner = m.building.or_else(|| old.and_then(|pid| pid.parse().ok()));
                if owner.is_some_and(|pid| pid == std::process::id() || running(pid)) {
                    continue;
                }
                let _ = fs::remove_dir_all(&path);
            }
            None => {
                // Empty (interrupted before its mark) or not folio's: only the first goes.
                let _ = fs::remove_dir(&path);
            }
        }
    }
}

/// The staging folders this process is writing, removed if it is interrupted.
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Creates a staging folder with `make` and registers it (see [`on_interrupt`]), as one step for an
/// interruption: one that comes meanwhile waits, then finds the folder registered.
pub fn create_staging<T>(make: impl FnOnce() -> std::io::Result<T>, path: impl Fn(&T) -> &Path) -> std::io::Result<T> {
    let mut s = STAGING.lock().unwrap_or_else(|e| e.into_inner());
    let made = make()?;
    s.push(path(&made).to_path_buf());
    Ok(made)
}

/// Runs `f` (the swap) with `dir` no longer counted as staging; an interruption waits
/// until `f` is done, so it never removes a folder that has just become the site.
pub fn finish_staging<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    let mut s = STAGING.lock().unwrap_or_else(|e| e.into_inner());
    s.retain(|d| d != dir);
    f()
}

/// Forgets `dir` as a staging folder (it was removed).
pub fn forget_staging(dir: &Path) {
    finish_staging(dir, || ());
}

/// Set when the process is interrupted: writes that fail from then on fail because
/// their folder is being removed, and are no error of their own.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether [`on_interrupt`] has run.
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Removes this process's staging folders: for an interrupted build (Ctrl-C, TERM).
/// No write starts after this; the few in flight are waited out by retrying, and what
/// is left even then the next build removes.
pub fn on_interrupt() {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut s = STAGING.lock().unwrap_or_else(|e| e.into_inner());
    for dir in s.drain(..) {
        // Writes already started may still add a file or two: try again a few times,
        // a moment apart (no new write starts once INTERRUPTED is set).
        // A write that had just passed the check may even make the folder again (its
        // parent folders are created as needed): look again a moment after each removal.
        for _ in 0..20 {
            let _ = fs::remove_dir_all(&dir);
            std::thread::sleep(std::time::Duration::from_millis(5));
            if !dir.exists() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_round_trip() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir(d.path().join("v1")).unwrap();
        fs::write(d.path().join("v1/a.html"), "x").unwrap();
        fs::write(d.path().join("index.html"), "x").unwrap();
        fs::write(d.path().join(MANIFEST), manifest_text(&["v1/a.html".into(), "index.html".into()])).unwrap();
        let m = read_manifest(d.path()).unwrap();
        assert_eq!(m.building, None);
        assert_eq!(m.files, ["index.html", "v1/a.html"]);
        assert_eq!(refuse_reason(d.path()), None);
        fs::write(d.path().join("v1/mine.txt"), "x").unwrap();
        assert!(refuse_reason(d.path()).unwrap().contains("v1/mine.txt"));
    }

    #[test]
    fn a_staging_mark_names_the_process() {
        let d = tempfile::tempdir().unwrap();
        mark_staging(d.path()).unwrap();
        assert_eq!(read_manifest(d.path()).unwrap().building, Some(std::process::id()));
    }
}
