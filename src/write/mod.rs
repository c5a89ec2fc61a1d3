//! Writing: the only stage that touches the output folder.
//!
//! Everything is rendered into a temporary folder beside the output; the output is
//! replaced only when every version succeeded, so a failed build leaves the previous
//! site untouched. Pages are rendered and written in parallel and dropped as they go,
//! so memory does not grow with the number of pages. After writing, every link the
//! chrome produced (menu, banner, tree, breadcrumb, prev/next, redirects) is checked
//! against the files written.
//!
//! Every site carries a manifest of the files written (`owned`): folio replaces only a
//! folder that it can prove is its own, follows a symbolic link `--out` to the site it
//! names, and removes the staging folders of interrupted builds.

mod changes;
pub mod owned;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostics, Location};
use crate::index;
use crate::model::{ArticleId, Site};
use crate::render::page::{history, MenuTable, Target, VersionCx};
use crate::render::templates::hashed_name;
use crate::render::{RenderedBody, Theme};

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

/// A failure that stops the build (IO), as opposed to content problems.
#[derive(Debug)]
pub struct WriteError(pub String);

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteError {}

fn io_err(path: &Path, e: io::Error) -> WriteError {
    WriteError(format!("{}: {e}", path.display()))
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

/// Writes files under one folder and remembers what it wrote.
struct Out {
    root: PathBuf,
    bytes: AtomicU64,
    /// Folders already made: tens of thousands of files share a handful of folders,
    /// and asking the file system again for each one costs more than the write.
    dirs: std::sync::Mutex<HashSet<PathBuf>>,
    /// The site this build replaces, if any: a file whose bytes it already holds at the
    /// same path is linked from there instead of written again (see [`Out::write`]).
    previous: Option<PathBuf>,
    /// Renders everything but writes nothing (`folio check`).
    dry: bool,
}

impl Out {
    fn new(root: &Path) -> Out {
        Out { root: root.to_path_buf(), bytes: AtomicU64::new(0), dirs: Default::default(), previous: None, dry: false }
    }

    /// An `Out` that writes nothing: every file counts as written.
    fn dry() -> Out {
        Out { dry: true, ..Out::new(Path::new("")) }
    }

    /// Like [`Out::new`], for a build that will replace the site in `previous`.
    fn replacing(root: &Path, previous: &Path) -> Out {
        Out { previous: Some(previous.to_path_buf()), ..Out::new(root) }
    }

    /// Makes the folder `path` goes in, once per folder.
    fn make_parent(&self, path: &Path) -> Result<(), WriteError> {
        let Some(parent) = path.parent() else { return Ok(()) };
        if self.dirs.lock().map(|d| d.contains(parent)).unwrap_or(false) {
            return Ok(());
        }
        fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
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
    fn write(&self, rel: &str, data: &[u8]) -> Result<(), WriteError> {
        debug_assert!(!rel.split('/').any(|s| s == ".." || s.is_empty()), "unsafe output path {rel}");
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        if self.dry {
            return Ok(());
        }
        let path = self.root.join(rel);
        self.make_parent(&path)?;
        if let Some(previous) = &self.previous {
            let old = previous.join(rel);
            if same_bytes(&old, data) && fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        fs::write(&path, data).map_err(|e| io_err(&path, e))
    }

    /// Makes `rel` a copy of the already written `existing`: a hard link where the
    /// file system allows (no bytes written), else a copy.
    fn link(&self, existing: &str, rel: &str) -> Result<(), WriteError> {
        if self.dry {
            return Ok(());
        }
        let from = self.root.join(existing);
        let to = self.root.join(rel);
        self.make_parent(&to)?;
        if fs::hard_link(&from, &to).is_err() {
            let n = fs::copy(&from, &to).map_err(|e| io_err(&to, e))?;
            self.bytes.fetch_add(n, Ordering::Relaxed);
        }
        Ok(())
    }
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

/// What one parallel unit wrote: files and the link targets its pages point at.
#[derive(Default)]
struct Written {
    files: Vec<String>,
    targets: Vec<String>,
    errors: Vec<(Location, String)>,
    pages: usize,
}

impl Written {
    fn merge(mut self, other: Written) -> Written {
        self.files.extend(other.files);
        self.targets.extend(other.targets);
        self.errors.extend(other.errors);
        self.pages += other.pages;
        self
    }
}

#[derive(Serialize)]
struct VersionJson<'a> {
    name: &'a str,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    released: Option<&'a str>,
    latest: bool,
}

/// Checks that `out` may be replaced: not the source tree or a folder holding it, and
/// either absent, empty, or a site folio wrote that holds nothing else (see [`owned`]).
/// A symbolic link is checked as the folder it names, which is where the build writes.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), WriteError> {
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
        return Err(WriteError(format!(
            "refusing to write the site to {}: it contains the manual's source",
            out.display()
        )));
    }
    for sub in ["articles", "versions", "themes"] {
        if out_abs.starts_with(root_abs.join(sub)) {
            return Err(WriteError(format!("refusing to write the site inside the source folder {sub}/")));
        }
    }
    if out_abs.is_dir() {
        let mut entries = fs::read_dir(&out_abs).map_err(|e| io_err(out, e))?;
        let empty = entries.next().is_none();
        if !empty {
            if let Some(reason) = owned::refuse_reason(&out_abs) {
                return Err(WriteError(reason.replace(&out_abs.display().to_string(), &out.display().to_string())));
            }
        }
    } else if out_abs.exists() {
        return Err(WriteError(format!("{} exists and is not a folder", out.display())));
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

/// Renders and writes the whole site for the selected built versions into `out`.
/// Content problems (template errors, broken chrome links) go into `diags`; then nothing
/// replaces the output and `Ok(None)` is returned.
pub fn all(
    out: &Path,
    site: &Site,
    theme: &Theme,
    bodies: &[Option<RenderedBody>],
    selected: &[bool],
    progress: Option<Progress<'_>>,
    diags: &mut Diagnostics,
) -> Result<Option<Stats>, WriteError> {
    all_with(out, site, theme, Bodies::Kept(bodies), selected, progress, diags)
}

/// Like [`all`], for a caller that does not need `bodies` afterwards: each body is
/// dropped (set to `None`) once the versions that show it are written, which lowers
/// the build's peak memory.
pub fn all_releasing(
    out: &Path,
    site: &Site,
    theme: &Theme,
    bodies: &mut [Option<RenderedBody>],
    selected: &[bool],
    progress: Option<Progress<'_>>,
    diags: &mut Diagnostics,
) -> Result<Option<Stats>, WriteError> {
    all_with(out, site, theme, Bodies::Released(bodies), selected, progress, diags)
}

fn all_with(
    out: &Path,
    site: &Site,
    theme: &Theme,
    bodies: Bodies<'_>,
    selected: &[bool],
    progress: Option<Progress<'_>>,
    diags: &mut Diagnostics,
) -> Result<Option<Stats>, WriteError> {
    check_output_dir(&site.root, out)?;
    // A link to an earlier site: that site is replaced, the link stays.
    let out = &owned::resolve_out(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| io_err(&parent, e))?;
    owned::remove_leftovers(&parent);
    let tmp =
        tempfile::Builder::new().prefix(owned::STAGING_PREFIX).tempdir_in(&parent).map_err(|e| io_err(&parent, e))?;
    owned::register_staging(tmp.path());
    let _staging = Staging(tmp.path().to_path_buf());
    owned::mark_staging(tmp.path())?;
    // `check_output_dir` made sure an existing `out` is a folio site: its unchanged files
    // are linked into the new one.
    let o = if out.is_dir() { Out::replacing(tmp.path(), out) } else { Out::new(tmp.path()) };

    let written = write_into(&o, site, theme, bodies, selected, progress)?;
    if !report(&written, out, diags) {
        return Ok(None);
    }

    // The staging mark makes way for the finished manifest (linked from the earlier
    // site when unchanged, like every other file).
    let mark = tmp.path().join(owned::MANIFEST);
    fs::remove_file(&mark).map_err(|e| io_err(&mark, e))?;
    o.write(owned::MANIFEST, owned::manifest_text(&written.files).as_bytes())?;

    // Swap: the old output goes aside, the new one takes its place. An interruption
    // waits for the swap; what it leaves of the old site the next build removes.
    let stats = Stats { pages: written.pages, files: written.files.len(), bytes: o.bytes.load(Ordering::Relaxed) };
    let staged = tmp.path().to_path_buf();
    let old = owned::finish_staging(&staged, || -> Result<Option<PathBuf>, WriteError> {
        let tmp_path = tmp.keep();
        if out.exists() {
            let old = parent.join(format!("{}{}", owned::OLD_PREFIX, std::process::id()));
            fs::rename(out, &old).map_err(|e| io_err(out, e))?;
            if let Err(e) = fs::rename(&tmp_path, out) {
                let _ = fs::rename(&old, out);
                let _ = fs::remove_dir_all(&tmp_path);
                return Err(io_err(out, e));
            }
            Ok(Some(old))
        } else {
            fs::rename(&tmp_path, out).map_err(|e| {
                let _ = fs::remove_dir_all(&tmp_path);
                io_err(out, e)
            })?;
            Ok(None)
        }
    })?;
    if let Some(old) = old {
        remove_tree(&old).map_err(|e| io_err(&old, e))?;
    }
    Ok(Some(stats))
}

/// Puts the problems of a whole-site write into `diags` (its content errors, and any
/// link from a page to a file it did not write); true when there were none.
fn report(written: &Written, out: &Path, diags: &mut Diagnostics) -> bool {
    let files: HashSet<&str> = written.files.iter().map(|s| s.as_str()).collect();
    let mut ok = written.errors.is_empty();
    for (loc, msg) in written.errors.iter().collect::<BTreeSet<_>>() {
        diags.error(loc.clone(), msg.clone());
    }
    if !ok {
        // A page whose template failed is not written: the links to it are no news.
        return false;
    }
    let mut missing: BTreeSet<&str> = BTreeSet::new();
    for t in &written.targets {
        if !files.contains(t.as_str()) {
            missing.insert(t);
        }
    }
    for t in missing {
        ok = false;
        diags.error(Location::file(out), format!("internal: a page links to {t}, which the build did not write"));
    }
    ok
}

/// Renders every page [`all`] would write for the built versions in `selected` and
/// checks them as it does (templates, the links the chrome makes), writing nothing:
/// `folio check`. Problems go into `diags`; `out` names the output folder in them.
pub fn check_only(
    out: &Path,
    site: &Site,
    theme: &Theme,
    bodies: &[Option<RenderedBody>],
    selected: &[bool],
    diags: &mut Diagnostics,
) -> Result<bool, WriteError> {
    let written = write_into(&Out::dry(), site, theme, Bodies::Kept(bodies), selected, None)?;
    Ok(report(&written, out, diags))
}

fn write_into(
    o: &Out,
    site: &Site,
    theme: &Theme,
    mut bodies: Bodies<'_>,
    selected: &[bool],
    progress: Option<Progress<'_>>,
) -> Result<Written, WriteError> {
    let mut w = Written::default();
    let chosen: Vec<usize> = (0..site.views.len()).filter(|&i| selected[i]).collect();
    let Some(&newest) = chosen.last() else { return Ok(w) };

    // Shared theme assets and article media, once for all versions.
    for a in theme.assets.values() {
        o.write(&format!("assets/{}", a.hashed), &a.bytes)?;
        w.files.push(format!("assets/{}", a.hashed));
    }
    for (i, a) in site.assets.iter().enumerate() {
        if site.media_path(i) != a.rel {
            // A revision with the bytes of an earlier one: its pages use that file.
            continue;
        }
        let bytes = fs::read(&a.abs).map_err(|e| io_err(&a.abs, e))?;
        o.write(&format!("media/{}", a.rel), &bytes)?;
        w.files.push(format!("media/{}", a.rel));
    }

    // Root files.
    let latest_path = &site.views[newest].version.path;
    let redirect = |target: &str, title: &str| {
        theme.render("redirect.html", &minijinja::context! { target => target, title => title })
    };
    match redirect(&format!("{latest_path}/index.html"), &site.config.title) {
        Ok(html) => {
            o.write("index.html", html.as_bytes())?;
            w.files.push("index.html".into());
            w.targets.push(format!("{latest_path}/index.html"));
        }
        Err(e) => w.errors.push(e),
    }
    let versions: Vec<VersionJson> = site
        .versions
        .iter()
        .map(|v| {
            let built = site.view_index(&v.id).filter(|&i| selected[i]).is_some();
            VersionJson {
                name: v.id.as_str(),
                label: &v.label,
                path: built.then_some(v.path.as_str()),
                url: v.url.as_deref(),
                status: &v.status,
                released: v.released.as_deref(),
                latest: v.id == site.views[newest].version.id,
            }
        })
        .filter(|v| v.path.is_some() || v.url.is_some())
        .collect();
    let json = serde_json::to_string_pretty(&versions).expect("version list serializes") + "\n";
    o.write("versions.json", json.as_bytes())?;
    w.files.push("versions.json".into());

    let hist = history(site);
    let total: u64 = chosen.iter().map(|&vi| site.views[vi].pages.len() as u64).sum();
    let assets_from_root = assets_from_root(theme);

    // Each version's search documents in reading order (one per distinct body: its file
    // fixes slug, title and keywords), and where each distinct fragment is written
    // first; every other version hard-links that file.
    let doc_bodies: Vec<Vec<usize>> = chosen
        .iter()
        .map(|&vi| {
            let view = &site.views[vi];
            view.nav.order.iter().map(|id| view.pages[id].body).filter(|&b| bodies.get()[b].is_some()).collect()
        })
        .collect();
    let n_bodies = bodies.get().len();
    let mut first_fragment: Vec<Option<String>> = vec![None; n_bodies];
    // Per body, the last version (position in `chosen`) whose index needs it, and the
    // last whose pages show it.
    let mut last_use: Vec<usize> = vec![0; n_bodies];
    let mut last_shown: Vec<usize> = vec![0; n_bodies];
    for (ci, &vi) in chosen.iter().enumerate() {
        for page in site.views[vi].pages.values() {
            last_shown[page.body] = ci;
        }
    }
    for (ci, list) in doc_bodies.iter().enumerate() {
        let vpath = &site.views[chosen[ci]].version.path;
        for (n, &b) in list.iter().enumerate() {
            if first_fragment[b].is_none() {
                first_fragment[b] = Some(format!("{vpath}/search/f/{n}.js"));
            }
            last_use[b] = ci;
        }
    }

    let menus = MenuTable::new(site, &chosen);
    let done = AtomicU64::new(0);
    let targets = std::sync::Mutex::new(menus.targets(site, selected).into_iter().collect());
    // Versions go in windows of a few, oldest first: each window's versions are written
    // in parallel as well as the pages inside them, so one version's sequential steps
    // (search index, what changed) overlap another's pages. A search document is
    // prepared (extracted and tokenized) once, when the first window that shows it
    // starts, and dropped after the last one, so only the documents of the versions
    // in flight are held, not those of the whole manual.
    let window = 2 * rayon::current_num_threads().max(1);
    let mut prepared: Vec<Option<index::PreparedDoc>> = (0..n_bodies).map(|_| None).collect();
    let mut vocab = index::Vocab::default();
    // which versions have each term, for search's "in other versions" (assets/search/)
    let mut versions_table = index::VersionTable::default();
    let mut parts: Vec<Result<Written, WriteError>> = Vec::with_capacity(chosen.len());
    for start in (0..chosen.len()).step_by(window) {
        let span = start..(start + window).min(chosen.len());
        let mut fresh: Vec<usize> =
            doc_bodies[span.clone()].iter().flatten().copied().filter(|&b| prepared[b].is_none()).collect();
        fresh.sort_unstable();
        fresh.dedup();
        // Written once, the fragment text is not needed again: drop it at once.
        let made: Vec<(usize, index::PreparedDoc)> = fresh
            .par_iter()
            .filter_map(|&b| {
                let body = bodies.get()[b].as_ref()?;
                let mut p = prepare_search_doc(search_doc(site, b), &body.html);
                let bytes = p.take_fragment_file();
                Some(first_fragment[b].as_deref().map(|rel| o.write(rel, &bytes)).unwrap_or(Ok(())).map(|()| (b, p)))
            })
            .collect::<Result<_, _>>()?;
        for (b, mut p) in made {
            vocab.intern(&mut p);
            prepared[b] = Some(p);
        }
        vocab.seal();
        let docs: Vec<Vec<(usize, &index::PreparedDoc)>> = doc_bodies[span.clone()]
            .iter()
            .map(|list| list.iter().filter_map(|&b| prepared[b].as_ref().map(|p| (b, p))).collect())
            .collect();
        let shared = Shared {
            o,
            site,
            theme,
            bodies: bodies.get(),
            selected,
            hist: &hist,
            assets_from_root: &assets_from_root,
            first_fragment: &first_fragment,
            menus: &menus,
            done: &done,
            total,
            progress,
            targets: &targets,
        };
        for (&vi, list) in chosen[span.clone()].iter().zip(&docs) {
            let v = &site.views[vi].version;
            versions_table.add(&v.path, &v.label, &list.iter().map(|(_, p)| *p).collect::<Vec<_>>());
        }
        parts
            .par_extend(chosen[span.clone()].par_iter().zip(&docs).map(|(&vi, docs)| shared.version(vi, docs, &vocab)));
        drop(docs);
        for (b, p) in prepared.iter_mut().enumerate() {
            if p.is_some() && last_use[b] < span.end {
                *p = None;
            }
        }
        if let Bodies::Released(all) = &mut bodies {
            for (b, body) in all.iter_mut().enumerate() {
                if body.is_some() && last_shown[b] < span.end {
                    *body = None;
                }
            }
        }
    }
    for part in parts {
        w = w.merge(part?);
    }
    for (rel, bytes) in versions_table.files(&vocab) {
        let rel = format!("assets/search/{rel}");
        o.write(&rel, &bytes)?;
        w.files.push(rel);
    }
    w.targets.extend(targets.into_inner().unwrap_or_else(|e| e.into_inner()));

    if let Some(base) = &site.config.base_url {
        let base = base.trim_end_matches('/');
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for &vi in &chosen {
            let v = &site.views[vi];
            for id in &v.nav.order {
                xml.push_str(&format!("<url><loc>{}/{}/{}.html</loc></url>\n", xml_escape(base), v.version.path, id));
            }
        }
        xml.push_str("</urlset>\n");
        o.write("sitemap.xml", xml.as_bytes())?;
        w.files.push("sitemap.xml".into());
    }
    Ok(w)
}

/// What every version's writer shares.
struct Shared<'a> {
    o: &'a Out,
    site: &'a Site,
    theme: &'a Theme,
    bodies: &'a [Option<RenderedBody>],
    selected: &'a [bool],
    hist: &'a BTreeMap<ArticleId, Vec<usize>>,
    assets_from_root: &'a BTreeMap<String, String>,
    /// Per body: where its search fragment was written first.
    first_fragment: &'a [Option<String>],
    menus: &'a MenuTable<'a>,
    done: &'a AtomicU64,
    total: u64,
    progress: Option<Progress<'a>>,
    /// Link targets of every version written so far, each once. A version's menus link
    /// to the same pages as every other version's menus, so keeping each version's own
    /// list until the end would grow with versions × pages.
    targets: &'a std::sync::Mutex<HashSet<String>>,
}

impl Shared<'_> {
    /// Writes everything of built version `vi`; `docs` are its search documents.
    fn version(
        &self,
        vi: usize,
        docs: &[(usize, &index::PreparedDoc)],
        vocab: &index::Vocab,
    ) -> Result<Written, WriteError> {
        let (o, site, theme, bodies) = (self.o, self.site, self.theme, self.bodies);
        let mut w = Written::default();
        let view = &site.views[vi];
        let vpath = &view.version.path;

        // The whole tree once per version, in reading order: [slug, title, depth]. A
        // parent comes before its children in reading order, so one pass finds depths.
        let mut depth: HashMap<&ArticleId, usize> = HashMap::with_capacity(view.nav.order.len());
        let rows: Vec<(&str, &str, usize)> = view
            .nav
            .order
            .iter()
            .map(|id| {
                let d = view.nav.parent.get(id).and_then(|p| depth.get(p)).map_or(0, |d| d + 1);
                depth.insert(id, d);
                (id.as_str(), view.pages[id].title.as_str(), d)
            })
            .collect();
        let nav_js = format!("window.__folioNavData={};\n", serde_json::to_string(&rows).expect("nav rows serialize"));
        let nav_name = hashed_name("nav.js", nav_js.as_bytes());
        o.write(&format!("{vpath}/{nav_name}"), nav_js.as_bytes())?;
        w.files.push(format!("{vpath}/{nav_name}"));
        for id in &view.nav.order {
            w.targets.push(format!("{vpath}/{id}.html"));
        }

        let cx = VersionCx::new(site, vi, self.selected, nav_name, self.hist, self.assets_from_root.clone())
            .with_menus(self.menus);

        // Article pages, in parallel, and alongside them the rest of the version (its
        // home, search index and what-changed pages), which does not need them: a
        // version's own sequential steps then overlap its pages.
        let pages = || {
            view.nav
                .order
                .par_iter()
                .map(|id| {
                    let mut part = Written::default();
                    let page = &view.pages[id];
                    let Some(body) = &bodies[page.body] else { return part };
                    // An article named `index` is its version's home page (model::choose_home).
                    let (ctx, targets) = cx.article(id, body, id.as_str() == "index");
                    match theme.render("article.html", &ctx) {
                        Ok(html) => {
                            let rel = format!("{vpath}/{id}.html");
                            if let Err(e) = o.write(&rel, html.as_bytes()) {
                                part.errors.push((Location::file(&rel), e.0));
                            }
                            part.files.push(rel);
                            part.targets.extend(targets);
                            part.pages += 1;
                        }
                        Err(e) => part.errors.push(e),
                    }
                    let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
                    if let Some(p) = self.progress {
                        p(n, self.total);
                    }
                    part
                })
                .reduce(Written::default, Written::merge)
        };
        let (part, rest) = rayon::join(pages, || self.version_rest(&cx, docs, vocab));
        w = w.merge(part).merge(rest?);
        // Thousands of pages share the same link targets: keep each once, in the set
        // all versions share.
        let mut all = self.targets.lock().unwrap_or_else(|e| e.into_inner());
        for t in w.targets.drain(..) {
            all.insert(t);
        }
        Ok(w)
    }

    /// Everything of `cx`'s version but its article pages: its home, search page, 404,
    /// alias redirects, what-changed and diff pages, and search index.
    fn version_rest(
        &self,
        cx: &VersionCx,
        docs: &[(usize, &index::PreparedDoc)],
        vocab: &index::Vocab,
    ) -> Result<Written, WriteError> {
        let view = cx.view();
        let vpath = &view.version.path;
        let (o, site, theme, bodies) = (self.o, self.site, self.theme, self.bodies);
        let mut w = Written::default();
        if let Some(home) = &view.home {
            // An article named `index` is the home page under its own name.
            if home.as_str() != "index" {
                if let Some(body) = &bodies[view.pages[home].body] {
                    let (ctx, targets) = cx.article(home, body, true);
                    render_to(o, theme, "article.html", &ctx, &format!("{vpath}/index.html"), &mut w)?;
                    w.targets.extend(targets);
                }
            }
        } else {
            let mut targets = Vec::new();
            let common = cx.common(
                "home",
                "index",
                &site.config.title,
                "index.html",
                0,
                Target::Fixed("index.html"),
                None,
                &mut targets,
            );
            render_to(o, theme, "404.html", &common, &format!("{vpath}/index.html"), &mut w)?;
            w.targets.extend(targets);
        }
        for (kind, slug, title, tmpl, file) in [
            ("search", "search", "Search", "search.html", &site.own.search),
            ("404", "404", "Page not found", "404.html", &site.own.not_found),
        ] {
            let mut targets = Vec::new();
            let common = cx.common(kind, slug, title, file, 0, Target::Fixed(file), None, &mut targets);
            render_to(o, theme, tmpl, &common, &format!("{vpath}/{file}"), &mut w)?;
            w.targets.extend(targets);
        }
        for (alias, target) in &site.aliases {
            if view.pages.contains_key(target) && !view.pages.contains_key(alias.as_str()) {
                let to = format!("{target}.html");
                let html = theme
                    .render("redirect.html", &minijinja::context! { target => to, title => view.pages[target].title });
                match html {
                    Ok(html) => {
                        let rel = format!("{vpath}/{alias}.html");
                        o.write(&rel, html.as_bytes())?;
                        w.files.push(rel);
                        w.targets.push(format!("{vpath}/{to}"));
                    }
                    Err(e) => w.errors.push(e),
                }
            }
        }
        changes::write(o, site, theme, cx, bodies, &mut w)?;

        // The version's search index, documents in reading order.
        let refs: Vec<&index::PreparedDoc> = docs.iter().map(|(_, p)| *p).collect();
        for (rel, bytes) in index::build_prepared(&refs, vocab).into_files() {
            let rel = format!("{vpath}/{rel}");
            o.write(&rel, &bytes)?;
            w.files.push(rel);
        }
        for (n, (b, _)) in docs.iter().enumerate() {
            let rel = format!("{vpath}/search/f/{n}.js");
            let first = self.first_fragment[*b].as_deref().expect("every document has a first fragment");
            if first != rel {
                o.link(first, &rel)?;
            }
            w.files.push(rel);
        }
        Ok(w)
    }
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

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn render_to<S: Serialize>(
    o: &Out,
    theme: &Theme,
    tmpl: &str,
    ctx: &S,
    rel: &str,
    w: &mut Written,
) -> Result<(), WriteError> {
    match theme.render(tmpl, ctx) {
        Ok(html) => {
            o.write(rel, html.as_bytes())?;
            w.files.push(rel.to_string());
        }
        Err(e) => w.errors.push(e),
    }
    Ok(())
}

// ---- incremental writes for serve ----
//
// `folio serve` keeps the site it serves up to date by re-rendering only what an edit
// touches. These entry points render into a staging folder (never the served one), check
// nothing against the rest of the site and replace nothing: they report the files they
// wrote and the files those pages link to, and serve moves the files into place. They
// reuse the helpers above, so every page is byte-identical to the one `folio build` writes.

/// What an incremental write put into its staging folder.
#[derive(Debug, Default)]
pub struct Staged {
    /// Site-relative paths of the files written, with `/`.
    pub files: Vec<String>,
    /// Site-relative files the written pages link to.
    pub targets: Vec<String>,
    /// Article pages written.
    pub pages: usize,
}

impl Staged {
    /// Adds what another write staged.
    pub fn extend(&mut self, other: Staged) {
        self.files.extend(other.files);
        self.targets.extend(other.targets);
        self.pages += other.pages;
    }
}

/// Content problems of a staged write go into `diags`; with any, nothing is staged.
fn staged(w: Written, diags: &mut Diagnostics) -> Option<Staged> {
    if !w.errors.is_empty() {
        for (loc, msg) in w.errors.iter().collect::<BTreeSet<_>>() {
            diags.error(loc.clone(), msg.clone());
        }
        return None;
    }
    Some(Staged { files: w.files, targets: w.targets, pages: w.pages })
}

/// Theme asset name -> path from the site root, as page contexts take it.
fn assets_from_root(theme: &Theme) -> BTreeMap<String, String> {
    theme.assets.iter().map(|(k, a)| (k.clone(), format!("assets/{}", a.hashed))).collect()
}

/// Renders everything [`all`] renders for the built versions marked in `selected` into
/// `dir` (which must exist), without checking links or replacing any output. Root files,
/// theme assets and media are written too; a caller that keeps the other versions takes
/// only the version folders. Template errors go into `diags`, and then `Ok(None)`.
pub fn versions_into(
    dir: &Path,
    site: &Site,
    theme: &Theme,
    bodies: &[Option<RenderedBody>],
    selected: &[bool],
    progress: Option<Progress<'_>>,
    diags: &mut Diagnostics,
) -> Result<Option<Staged>, WriteError> {
    let o = Out::new(dir);
    let w = write_into(&o, site, theme, Bodies::Kept(bodies), selected, progress)?;
    Ok(staged(w, diags))
}

/// Renders the page of each `(vi, article)` in `pages` (built version index, slug) into
/// `dir`, and the version's `index.html` where the article is that version's home; pairs
/// whose article is not in that version are skipped. `nav_scripts[vi]` is the name of the
/// version's nav file as the last full write named it; `history` is
/// [`crate::render::page::history`] of `site` (current at least for these articles).
/// Every built version counts as written, so links into any of them are reported in
/// [`Staged::targets`]. Template errors go into `diags`, and then `Ok(None)`.
#[allow(clippy::too_many_arguments)]
pub fn articles_into(
    dir: &Path,
    site: &Site,
    theme: &Theme,
    bodies: &[Option<RenderedBody>],
    history: &BTreeMap<ArticleId, Vec<usize>>,
    nav_scripts: &[String],
    pages: &[(usize, ArticleId)],
    diags: &mut Diagnostics,
) -> Result<Option<Staged>, WriteError> {
    let o = Out::new(dir);
    let all = vec![true; site.views.len()];
    let assets = assets_from_root(theme);
    let mut by_version: BTreeMap<usize, Vec<&ArticleId>> = BTreeMap::new();
    for (vi, id) in pages {
        if site.views.get(*vi).is_some_and(|v| v.pages.contains_key(id)) {
            by_version.entry(*vi).or_default().push(id);
        }
    }
    let cxs: Vec<(VersionCx<'_>, Vec<&ArticleId>)> = by_version
        .into_iter()
        .map(|(vi, ids)| {
            let nav = nav_scripts.get(vi).cloned().unwrap_or_default();
            (VersionCx::new(site, vi, &all, nav, history, assets.clone()), ids)
        })
        .collect();
    let jobs: Vec<(&VersionCx<'_>, &ArticleId)> =
        cxs.iter().flat_map(|(cx, ids)| ids.iter().map(move |id| (cx, *id))).collect();
    let w = jobs
        .par_iter()
        .map(|(cx, id)| {
            let mut part = Written::default();
            let view = cx.view();
            let vpath = &view.version.path;
            let Some(body) = &bodies[view.pages[*id].body] else { return Ok(part) };
            let (ctx, targets) = cx.article(id, body, id.as_str() == "index");
            render_to(&o, theme, "article.html", &ctx, &format!("{vpath}/{id}.html"), &mut part)?;
            part.targets.extend(targets);
            part.pages += 1;
            if view.home.as_ref() == Some(*id) && id.as_str() != "index" {
                let (ctx, targets) = cx.article(id, body, true);
                render_to(&o, theme, "article.html", &ctx, &format!("{vpath}/index.html"), &mut part)?;
                part.targets.extend(targets);
            }
            Ok(part)
        })
        .try_reduce(Written::default, |a, b| Ok(a.merge(b)))?;
    Ok(staged(w, diags))
}

/// Renders `changes.html` and the diff pages of built version `vi` into `dir`, as [`all`]
/// does; `nav_script` and `history` as for [`articles_into`]. Template errors go into
/// `diags`, and then `Ok(None)`.
#[allow(clippy::too_many_arguments)]
pub fn changes_into(
    dir: &Path,
    site: &Site,
    theme: &Theme,
    bodies: &[Option<RenderedBody>],
    history: &BTreeMap<ArticleId, Vec<usize>>,
    nav_script: &str,
    vi: usize,
    diags: &mut Diagnostics,
) -> Result<Option<Staged>, WriteError> {
    let o = Out::new(dir);
    let all = vec![true; site.views.len()];
    let cx = VersionCx::new(site, vi, &all, nav_script.to_string(), history, assets_from_root(theme));
    let mut w = Written::default();
    changes::write(&o, site, theme, &cx, bodies, &mut w)?;
    Ok(staged(w, diags))
}

/// The search document of `site.bodies[bi]` without its sections: the body's file fixes
/// slug, title and keywords, so one document serves every version that shows the body.
fn search_doc(site: &Site, bi: usize) -> index::SearchDoc {
    let f = &site.files[site.bodies[bi].file];
    index::SearchDoc {
        url: format!("{}.html", f.slug),
        title: f.front.title.clone().unwrap_or_default(),
        keywords: f.front.keywords.clone(),
        sections: Vec::new(),
    }
}

/// What the search document of `site.bodies[bi]` is made of, owned so that it can be
/// prepared on another thread: the document without its sections, and the body's HTML
/// (`None` when the body has no rendering).
pub fn search_source(site: &Site, bodies: &[Option<RenderedBody>], bi: usize) -> Option<(index::SearchDoc, String)> {
    let r = bodies.get(bi)?.as_ref()?;
    Some((search_doc(site, bi), r.html.clone()))
}

/// Prepares a search document from what [`search_source`] returned, as [`all`] does.
pub fn prepare_search_doc(mut doc: index::SearchDoc, html: &str) -> index::PreparedDoc {
    doc.sections = index::extract_sections(html);
    index::prepare(&doc)
}

/// Writes the search index of version folder `vpath` into `dir` as [`all`] does, from
/// the version's prepared documents in reading order, interned into the sealed `vocab`.
pub fn search_into(
    dir: &Path,
    vpath: &str,
    docs: &[&index::PreparedDoc],
    vocab: &index::Vocab,
) -> Result<Staged, WriteError> {
    let o = Out::new(dir);
    let mut staged = Staged::default();
    for (rel, bytes) in index::build_prepared(docs, vocab).into_files() {
        let rel = format!("{vpath}/{rel}");
        o.write(&rel, &bytes)?;
        staged.files.push(rel);
    }
    // The fragments (which `all` shares between versions by hard links).
    for (n, p) in docs.iter().enumerate() {
        let rel = format!("{vpath}/search/f/{n}.js");
        o.write(&rel, &p.fragment_file())?;
        staged.files.push(rel);
    }
    Ok(staged)
}
