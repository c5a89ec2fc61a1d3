//! Writing the imported tree: the article files, each image once per distinct content
//! (a later release's new bytes under the same name become an asset revision,
//! `images/x@24.3.png`), `manual.yaml`, one file per version, and the import report
//! (`import-report.json`, and the summary the command prints). Everything is written
//! into a staging folder inside the target and moved into place at the end.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::dedup::{self, Doc, Outcome, SourceFile};
use super::links::{PageLinks, Reported};
use super::snapshot::{PageKind, Snapshot};
use super::tree::{TocProblem, Trees};
use super::ImportError;
use crate::model::{is_safe_segment, RESERVED_PATHS};

/// What the import did, as printed and as written to `import-report.json`.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub versions: Vec<VersionReport>,
    pub snapshot_bytes: u64,
    pub source_bytes: u64,
    /// The snapshots' pages against the article files (text only, no images).
    pub snapshot_page_bytes: u64,
    pub article_bytes: u64,
    pub articles: usize,
    pub section_articles: usize,
    pub articles_one_file: usize,
    pub files: usize,
    pub text_revisions: usize,
    pub meta_revisions: usize,
    pub removed_revisions: usize,
    pub only_blocks: usize,
    pub articles_with_only_blocks: usize,
    /// Every change of text between releases in a row, its size and what it became.
    pub text_changes: Vec<dedup::Change>,
    pub aliases: usize,
    pub renames: Vec<(String, String)>,
    /// Stubs (stub, target) not made aliases: the stub's name is an article in a
    /// release where the target is one too.
    pub alias_skipped: Vec<(String, String)>,
    pub images: usize,
    pub image_revisions: usize,
    pub cross_links: usize,
    pub file_links: usize,
    pub external_links: usize,
    pub reported_links: Vec<Reported>,
    pub skipped_pages: Vec<Skipped>,
    pub toc_problems: Vec<TocProblem>,
    pub not_in_toc: Vec<(String, String)>,
    /// Pages whose file name folio cannot use as a slug: (version, file, slug). Their
    /// old address is not kept.
    pub renamed_pages: Vec<(String, String, String)>,
    /// MDX constructs converted or dropped, by kind (Docusaurus import).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub mdx: BTreeMap<String, usize>,
    /// Files of the snapshots the pages use: path → releases.
    #[serde(skip)]
    pub asset_uses: BTreeMap<String, BTreeSet<String>>,
    #[serde(skip)]
    pub seconds: f64,
    #[serde(skip)]
    pub pages: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct VersionReport {
    pub name: String,
    pub folder: String,
    pub path: Option<String>,
    pub pages: usize,
    pub content_pages: usize,
    pub stubs: usize,
    pub skipped: usize,
}

#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub version: String,
    pub page: String,
    pub reason: String,
}

impl Report {
    pub fn add_links(&mut self, l: &PageLinks) {
        self.cross_links += l.cross_links;
        self.file_links += l.file_links;
        self.external_links += l.external;
        self.reported_links.extend(l.reported.iter().cloned());
        for a in &l.assets {
            self.asset_uses.entry(a.clone()).or_default().insert(l.rel.snap.version.clone());
        }
    }

    pub fn fill(&mut self, snaps: &[Snapshot], trees: &Trees, _into: &Path) {
        for s in snaps {
            let mut v = VersionReport { name: s.version.clone(), folder: s.folder.clone(), ..Default::default() };
            for page in s.pages.values() {
                v.pages += 1;
                match &page.kind {
                    PageKind::Content { .. } => v.content_pages += 1,
                    PageKind::Stub { .. } => v.stubs += 1,
                    PageKind::Skipped(why) => {
                        v.skipped += 1;
                        self.skipped_pages.push(Skipped {
                            version: s.version.clone(),
                            page: page.file.clone(),
                            reason: why.clone(),
                        });
                    }
                }
            }
            self.pages += v.pages;
            for (file, slug) in s.renamed() {
                self.renamed_pages.push((s.version.clone(), file, slug));
            }
            self.snapshot_bytes += s.bytes;
            self.snapshot_page_bytes += s.page_bytes;
            self.versions.push(v);
        }
        self.toc_problems = trees.toc_problems.clone();
        self.not_in_toc = trees.not_in_toc.clone();
        self.section_articles = trees.sections.len();
        self.reported_links.sort();
    }

    /// The summary printed after an import.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let pct = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 * 100.0 / b as f64 };
        for v in &self.versions {
            s.push_str(&format!(
                "version {} ({}): {} pages: {} with content, {} redirect stubs, {} skipped\n",
                v.name, v.folder, v.pages, v.content_pages, v.stubs, v.skipped
            ));
        }
        s.push_str(&format!(
            "articles: {} ({} sections from label-only headings); {} one file, {} files in all\n",
            self.articles, self.section_articles, self.articles_one_file, self.files
        ));
        s.push_str(&format!(
            "revisions: {} for changed text, {} for a new title or place, {} removals; only-blocks: {} in {} articles\n",
            self.text_revisions, self.meta_revisions, self.removed_revisions, self.only_blocks, self.articles_with_only_blocks
        ));
        s.push_str(&format!("aliases: {} ({} renames)\n", self.aliases, self.renames.len()));
        s.push_str(&format!("images and files: {}, with {} revisions\n", self.images, self.image_revisions));
        s.push_str(&format!(
            "links: {} cross-links, {} to files, {} external kept, {} reported\n",
            self.cross_links,
            self.file_links,
            self.external_links,
            self.reported_links.len()
        ));
        let mut reasons: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for r in &self.reported_links {
            let became = if r.became == "text" { "plain text" } else { "absolute URL" };
            *reasons.entry((r.reason, became)).or_default() += 1;
        }
        for ((reason, became), n) in reasons {
            s.push_str(&format!("  {n} {reason} -> {became}\n"));
        }
        let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &self.skipped_pages {
            *skipped.entry(p.reason.as_str()).or_default() += 1;
        }
        for (why, n) in skipped {
            s.push_str(&format!("pages skipped: {n}: {why}\n"));
        }
        for (what, n) in &self.mdx {
            s.push_str(&format!("mdx: {n} {what}\n"));
        }
        if !self.renamed_pages.is_empty() {
            s.push_str(&format!("pages renamed (a name folio cannot use): {}\n", self.renamed_pages.len()));
        }
        s.push_str(&format!(
            "table of contents: {} entries without a page in their release, {} pages not in it (top level)\n",
            self.toc_problems.len(),
            self.not_in_toc.len()
        ));
        s.push_str(&format!(
            "source: {} bytes against {} bytes of snapshots ({:.1} %)\n",
            self.source_bytes,
            self.snapshot_bytes,
            pct(self.source_bytes, self.snapshot_bytes)
        ));
        s.push_str(&format!(
            "text: {} bytes of articles against {} bytes of pages ({:.1} %)\n",
            self.article_bytes,
            self.snapshot_page_bytes,
            pct(self.article_bytes, self.snapshot_page_bytes)
        ));
        s.push_str(&format!(
            "{} pages in {:.2} s ({:.0} pages/s)\n",
            self.pages,
            self.seconds,
            self.pages as f64 / self.seconds.max(1e-9)
        ));
        s
    }
}

/// Everything to write, relative to the target folder.
pub struct Tree {
    pub articles: Vec<SourceFile>,
    /// (path under `articles/`, source file).
    pub assets: Vec<(String, PathBuf)>,
    /// `versions/<name>.yaml`, and `title` and `home` of `manual.yaml`.
    pub versions: Vec<VersionOut>,
    pub title: String,
    pub home: Option<String>,
}

impl Tree {
    /// `files[v]` maps each path of release `v`'s folder to its file.
    pub fn assemble(
        files: &[&BTreeMap<String, PathBuf>],
        docs: &BTreeMap<String, Vec<Option<Doc>>>,
        aliases: &BTreeMap<String, Vec<String>>,
        asset_uses: &BTreeMap<String, BTreeSet<String>>,
        names: &[String],
        report: &mut Report,
    ) -> Tree {
        let none: Vec<String> = Vec::new();
        let mut articles = Vec::new();
        for (slug, d) in docs {
            let (files, o): (Vec<SourceFile>, Outcome) =
                dedup::files(slug, d, aliases.get(slug).unwrap_or(&none), names);
            report.articles += 1;
            report.files += o.files;
            report.articles_one_file += usize::from(o.files == 1);
            report.text_revisions += o.text_revisions;
            report.meta_revisions += o.meta_revisions;
            report.removed_revisions += o.removed_revisions;
            report.only_blocks += o.only_blocks;
            report.articles_with_only_blocks += usize::from(o.only_blocks > 0);
            report.text_changes.extend(o.changes);
            articles.extend(files);
        }
        report.aliases = aliases.values().map(Vec::len).sum();
        let mut assets = Vec::new();
        for (rel, users) in asset_uses {
            let mut last: Option<[u8; 32]> = None;
            for (vi, name) in names.iter().enumerate() {
                if !users.contains(name) {
                    continue;
                }
                let Some(path) = files[vi].get(rel) else { continue };
                let Ok(hash) = hash_file(path) else { continue };
                if last == Some(hash) {
                    continue;
                }
                let dest = if last.is_none() { rel.clone() } else { revision_name(rel, name) };
                if last.is_some() {
                    report.image_revisions += 1;
                } else {
                    report.images += 1;
                }
                assets.push((dest, path.clone()));
                last = Some(hash);
            }
        }
        Tree { articles, assets, versions: Vec::new(), title: String::new(), home: None }
    }
}

fn hash_file(path: &Path) -> std::io::Result<[u8; 32]> {
    let mut f = fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().into())
}

/// `images/x.png` in release 24.3 → `images/x@24.3.png`.
pub fn revision_name(rel: &str, version: &str) -> String {
    let (dir, file) = match rel.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), rel),
    };
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{dir}{stem}@{version}.{ext}"),
        _ => format!("{dir}{file}@{version}"),
    }
}

/// One `versions/<name>.yaml`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VersionOut {
    #[serde(skip)]
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A folder name folio can use as a version's output path, once.
pub fn usable_path(folder: &str, taken: &mut BTreeSet<String>) -> Option<String> {
    let ok = is_safe_segment(folder) && !RESERVED_PATHS.contains(&folder) && taken.insert(folder.to_string());
    ok.then(|| folder.to_string())
}

/// Writes the tree into a staging folder inside `into`, then moves it into place.
pub fn write(into: &Path, tree: &Tree, report: &mut Report) -> Result<(), Vec<ImportError>> {
    let err = |p: &Path, e: std::io::Error| vec![ImportError::io(p, e.to_string())];
    // `into` is absent or empty (checked before anything was read); the tree is
    // written into a staging folder inside it, so nothing is written anywhere else.
    let created = !into.exists();
    fs::create_dir_all(into).map_err(|e| err(into, e))?;
    let stage = tempfile::Builder::new().prefix(".folio-import-").tempdir_in(into).map_err(|e| err(into, e))?;
    let result = write_staged(stage.path(), into, tree, report);
    if result.is_err() {
        drop(stage);
        if created {
            let _ = fs::remove_dir(into);
        }
    }
    result
}

/// Writes the tree into `root`, then moves its entries into `into`.
fn write_staged(root: &Path, into: &Path, tree: &Tree, report: &mut Report) -> Result<(), Vec<ImportError>> {
    let err = |p: &Path, e: std::io::Error| vec![ImportError::io(p, e.to_string())];
    for dir in ["articles", "versions"] {
        fs::create_dir_all(root.join(dir)).map_err(|e| err(&root.join(dir), e))?;
    }
    let mut bytes = 0u64;
    let mut put = |rel: &str, data: &[u8]| -> Result<(), Vec<ImportError>> {
        let p = root.join(rel);
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).map_err(|e| err(d, e))?;
        }
        bytes += data.len() as u64;
        fs::write(&p, data).map_err(|e| err(&p, e))
    };

    #[derive(Serialize)]
    struct Manual<'a> {
        title: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        home: Option<&'a str>,
    }
    put(
        "manual.yaml",
        serde_yaml::to_string(&Manual { title: &tree.title, home: tree.home.as_deref() }).expect("yaml").as_bytes(),
    )?;
    for v in &tree.versions {
        let text = serde_yaml::to_string(v).expect("yaml");
        let text = if text.trim() == "{}" { String::new() } else { text };
        put(&format!("versions/{}.yaml", v.name), text.as_bytes())?;
    }
    for f in &tree.articles {
        put(&format!("articles/{}", f.name), f.text.as_bytes())?;
        report.article_bytes += f.text.len() as u64;
    }
    for (rel, src) in &tree.assets {
        let dest = root.join("articles").join(rel);
        if let Some(d) = dest.parent() {
            fs::create_dir_all(d).map_err(|e| err(d, e))?;
        }
        bytes += fs::copy(src, &dest).map_err(|e| err(src, e))?;
    }
    report.source_bytes = bytes;
    let json = serde_json::to_string_pretty(&*report).expect("report serialises");
    let p = root.join("import-report.json");
    fs::write(&p, format!("{json}\n")).map_err(|e| err(&p, e))?;

    // Into place, in an order that leaves no manual.yaml if a move fails.
    for name in ["articles", "versions", "import-report.json", "manual.yaml"] {
        fs::rename(root.join(name), into.join(name)).map_err(|e| err(&into.join(name), e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_names() {
        assert_eq!(revision_name("images/x.png", "24.3"), "images/x@24.3.png");
        assert_eq!(revision_name("README", "2.0"), "README@2.0");
        assert_eq!(revision_name("a/.hidden", "2.0"), "a/.hidden@2.0");
    }
}
