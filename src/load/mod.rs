//! Loading: the only stage that reads the source tree.
//!
//! Walks `manual.yaml`, `versions/`, `articles/` and `themes/` (always in file-name
//! order, so every later stage sees the same input on every machine), splits and parses
//! YAML front matter, hashes the assets that may be revisions of one another
//! ([`AssetFile::digest`]), and returns raw [`Source`] data. Problems in single files become
//! diagnostics; only an unreadable root stops loading.

mod front;
pub mod identity;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::diag::{Diagnostics, Location};
use crate::error::Error;

pub use front::{split_front_matter, FrontMatter};

/// Site settings from `manual.yaml`; every key has a default.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ManualConfig {
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub home: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output")]
    pub output: String,
    #[serde(default)]
    pub base_url: Option<String>,
    /// The site's identity (see [`identity`]): image paths from the manual's folder,
    /// the footer's text and links, and the pattern of each article's edit link.
    #[serde(default)]
    pub logo: Option<String>,
    #[serde(default)]
    pub favicon: Option<String>,
    #[serde(default)]
    pub footer: Option<identity::Footer>,
    #[serde(default)]
    pub edit_url: Option<String>,
    /// A folder of the output whose `<slug>.html` always leads to the newest version
    /// that has the article (a permanent address for Help buttons and bookmarks).
    #[serde(default)]
    pub current: Option<String>,
    /// Whether each version gets its print page (`print.html`, the whole manual on one
    /// page) and the pages link it; `print: false` leaves them out.
    #[serde(default = "default_print")]
    pub print: bool,
}

fn default_title() -> String {
    "Manual".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_output() -> String {
    "site".to_string()
}
fn default_print() -> bool {
    true
}

impl Default for ManualConfig {
    fn default() -> Self {
        ManualConfig {
            title: default_title(),
            home: None,
            theme: default_theme(),
            output: default_output(),
            base_url: None,
            logo: None,
            favicon: None,
            footer: None,
            edit_url: None,
            current: None,
            print: default_print(),
        }
    }
}

/// The keys of one `versions/<name>.yaml` file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VersionSpec {
    pub label: Option<String>,
    pub path: Option<String>,
    pub released: Option<String>,
    pub status: Option<String>,
    pub url: Option<String>,
}

/// One version file.
#[derive(Debug, Clone)]
pub struct VersionFile {
    /// Repository-relative path, e.g. `versions/24.3.yaml`.
    pub path: PathBuf,
    /// The file stem: the version's name.
    pub name: String,
    pub spec: VersionSpec,
}

/// One Markdown file under `articles/`.
#[derive(Debug, Clone)]
pub struct ArticleFile {
    /// Repository-relative path with `/`.
    pub path: PathBuf,
    /// The file stem before any `@`.
    pub slug: String,
    /// The version after `@`, for a revision file.
    pub at: Option<String>,
    pub front: FrontMatter,
    /// The Markdown after the front matter; shared with the model's bodies of this
    /// file that are its whole text (no only-blocks).
    pub body: Arc<str>,
    /// 1-based line number of the first body line in the file.
    pub body_line: u32,
}

/// A non-Markdown file under `articles/` (image or attachment), copied once.
#[derive(Debug, Clone)]
pub struct AssetFile {
    /// Path relative to `articles/`, with `/`.
    pub rel: String,
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// SHA-256 of the bytes, for files that may be revisions of one asset (see
    /// [`asset_revision_names`]): a file with `@` in its name and any file such a name
    /// could be a revision of. `None` for every other file (not read when loading).
    pub digest: Option<[u8; 32]>,
}

/// The ways file `rel` (under `articles/`) may name a revision of another asset: (base
/// path, version name) pairs, the likelier first. `images/x@24.3.png` gives
/// `("images/x.png", "24.3")` (the version before the extension), then
/// `("images/x", "24.3.png")` (the whole rest after the last `@`, for files without an
/// extension). Whether the version is defined decides (in the model); names without `@`
/// give nothing.
pub fn asset_revision_names(rel: &str) -> Vec<(String, String)> {
    let (dir, name) = match rel.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), rel),
    };
    let Some((stem, rest)) = name.rsplit_once('@') else { return Vec::new() };
    if stem.is_empty() || rest.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some((version, ext)) = rest.rsplit_once('.') {
        if !version.is_empty() && !ext.is_empty() {
            out.push((format!("{dir}{stem}.{ext}"), version.to_string()));
        }
    }
    out.push((format!("{dir}{stem}"), rest.to_string()));
    out
}

/// Templates and static files of the theme found on disk (the embedded default
/// theme fills in whatever is missing).
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// Template name (relative to `templates/`, with `/`) -> (repository path, text).
    pub templates: BTreeMap<String, (PathBuf, String)>,
    /// Static file name (relative to `static/`, with `/`) -> bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// Everything read from the source tree.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub root: PathBuf,
    pub config: ManualConfig,
    pub versions: Vec<VersionFile>,
    pub articles: Vec<ArticleFile>,
    pub assets: Vec<AssetFile>,
    pub theme: ThemeFiles,
    /// Slugs of article files that could not be read or whose front matter is invalid
    /// (already reported), with the aliases such a file lists where they can be read:
    /// links and parents naming them are not reported again.
    pub unreadable: std::collections::BTreeSet<String>,
}

/// Writes `files` (path under the manual's root, text) into a new temporary folder and
/// loads it, asserting that loading reported no errors: the small manuals of unit tests.
#[cfg(test)]
pub(crate) fn load_files(files: &[(&str, &str)]) -> (tempfile::TempDir, Source) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("a file under the root")).expect("its folder");
        std::fs::write(p, text).expect("the file");
    }
    let mut diags = Diagnostics::new();
    let source = site(dir.path(), &mut diags).expect("the manual loads");
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    (dir, source)
}

/// Reads the whole source tree under `root`.
pub fn site(root: &Path, diags: &mut Diagnostics) -> Result<Source, Error> {
    let meta = fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if !meta.is_dir() {
        return Err(Error::Usage(format!("{}: not a directory", root.display())));
    }
    let config = load_config(root, diags);
    let versions = load_versions(root, diags)?;
    let (articles, assets, unreadable) = load_articles(root, diags)?;
    let mut theme = load_theme(root, &config.theme, diags)?;
    identity::add_files(root, &config, &mut theme, diags);
    Ok(Source { root: root.to_path_buf(), config, versions, articles, assets, theme, unreadable })
}

/// A source file's text as the loader reads it: UTF-8, without a byte-order mark.
pub fn source_text(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    let mut s = String::from_utf8(bytes)?;
    if s.starts_with('\u{feff}') {
        s.drain(..3);
    }
    Ok(s)
}

/// The text of the source file at `path` as [`site`] reads it; `None` when it cannot
/// be read or is not UTF-8.
pub fn read_source(path: &Path) -> Option<String> {
    source_text(fs::read(path).ok()?).ok()
}

fn read_text(abs: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<String> {
    let bytes = match fs::read(abs) {
        Ok(b) => b,
        Err(e) => {
            diags.error(Location::file(rel), format!("cannot read file: {e}"));
            return None;
        }
    };
    match source_text(bytes) {
        Ok(s) => Some(s),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u32;
            diags.error(
                Location::line(rel, line),
                format!("file is not valid UTF-8 (invalid byte at offset {valid}); save it as UTF-8"),
            );
            None
        }
    }
}

fn yaml_location(e: &serde_yaml::Error, first_line: u32) -> Option<u32> {
    e.location().map(|l| first_line + l.line() as u32 - 1)
}

/// A serde_yaml message without its trailing " at line X column Y" (the location is
/// reported separately, corrected for the front matter's offset).
pub(crate) fn yaml_message(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

/// Every bad top-level key of the YAML mapping `yaml` for `T` (a struct that denies
/// unknown fields): unknown keys and keys with a value of the wrong type, each with its
/// 0-based line in `yaml` and the message. serde stops at the first problem; this tries
/// each key on its own, so a file reports all of them. Empty when `yaml` is not a mapping
/// (then the parser's own error stands).
pub(crate) fn bad_keys<T: serde::de::DeserializeOwned>(yaml: &str) -> Vec<(usize, String)> {
    let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in map {
        let name = match &key {
            serde_yaml::Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
        };
        let mut one = serde_yaml::Mapping::new();
        one.insert(key, value);
        if let Err(e) = serde_yaml::from_value::<T>(serde_yaml::Value::Mapping(one)) {
            let line = yaml
                .lines()
                .position(|l| l.strip_prefix(name.as_str()).is_some_and(|rest| rest.trim_start().starts_with(':')))
                .unwrap_or(0);
            let msg = yaml_message(&e);
            let msg = if msg.starts_with(&format!("{name}:")) || msg.starts_with("unknown field") {
                msg
            } else {
                format!("{name}: {msg}")
            };
            out.push((line, msg));
        }
    }
    out
}

fn load_config(root: &Path, diags: &mut Diagnostics) -> ManualConfig {
    let rel = Path::new("manual.yaml");
    let abs = root.join(rel);
    if !abs.exists() {
        return ManualConfig::default();
    }
    let Some(text) = read_text(&abs, rel, diags) else {
        return ManualConfig::default();
    };
    if text.trim().is_empty() {
        return ManualConfig::default();
    }
    if let Err(at) = front::check_flow_nesting(&text) {
        diags.error(
            Location::line(rel, 1 + at as u32),
            format!("invalid manual.yaml: '[' or '{{' nested more than {} levels deep", front::MAX_FLOW_NESTING),
        );
        return ManualConfig::default();
    }
    match serde_yaml::from_str::<ManualConfig>(&text) {
        Ok(mut c) => {
            // A name, never a path: `../x` would publish another folder's files.
            if !crate::ids::is_safe_segment(&c.theme) {
                diags.error(
                    Location::file(rel),
                    format!(
                        "theme '{}' must be the name of a folder under themes/ (letters, digits, '.', '-' and '_'; no '/' or '..')",
                        c.theme
                    ),
                );
                c.theme = default_theme();
            }
            if let Some(url) = &c.base_url {
                if let Err(why) = check_config_url(url) {
                    diags.error(Location::file(rel), format!("base_url '{url}' {why}"));
                    c.base_url = None;
                }
            }
            if let Some(folder) = &c.current {
                // One folder name beside the version folders (clashes with a version's
                // folder are the model's to find).
                let reserved = crate::ids::RESERVED_PATHS;
                if !crate::ids::is_safe_segment(folder) || reserved.contains(&folder.as_str()) {
                    diags.error(
                        Location::file(rel),
                        format!(
                            "current '{folder}' must be one folder name of letters, digits, '.', '-' and '_' (and not one of {})",
                            reserved.join(", ")
                        ),
                    );
                    c.current = None;
                }
            }
            identity::check(root, &text, &mut c, diags);
            c
        }
        Err(e) => {
            let bad = bad_keys::<ManualConfig>(&text);
            for (line, msg) in &bad {
                diags.error(Location::line(rel, 1 + *line as u32), format!("invalid manual.yaml: {msg}"));
            }
            if bad.is_empty() {
                let loc = match yaml_location(&e, 1) {
                    Some(l) => Location::line(rel, l),
                    None => Location::file(rel),
                };
                diags.error(loc, format!("invalid manual.yaml: {}", yaml_message(&e)));
            }
            ManualConfig::default()
        }
    }
}

/// Checks a URL from the configuration (`base_url`, a version's `url`), which pages link
/// to: an `http:` or `https:` URL, or a relative one. Any other scheme (`javascript:`,
/// `data:`, `file:`) and control characters or spaces are refused.
pub fn check_config_url(url: &str) -> Result<(), &'static str> {
    if url.trim().is_empty() {
        return Err("is empty");
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("must not contain spaces or control characters");
    }
    // The scheme is what comes before the first ':' when no '/', '?' or '#' precedes it.
    let head = url.split(['/', '?', '#']).next().unwrap_or("");
    match head.split_once(':') {
        None => Ok(()),
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") => {
            if url[scheme.len() + 1..].starts_with("//") && url.len() > scheme.len() + 3 {
                Ok(())
            } else {
                Err("must be a full http(s) URL (http://host/...)")
            }
        }
        Some(_) => Err("must be an http or https URL, or a relative one"),
    }
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().to_str().is_some_and(|s| s.starts_with('.'))
}

fn rel_path(root: &Path, abs: &Path) -> PathBuf {
    let rel = abs.strip_prefix(root).unwrap_or(abs);
    PathBuf::from(rel.to_string_lossy().replace('\\', "/"))
}

fn load_versions(root: &Path, diags: &mut Diagnostics) -> Result<Vec<VersionFile>, Error> {
    let dir = root.join("versions");
    let mut out = Vec::new();
    if !dir.is_dir() {
        diags.error(
            Location::file("versions"),
            "no versions/ folder: add one file per product version, e.g. versions/1.0.yaml",
        );
        return Ok(out);
    }
    for entry in WalkDir::new(&dir).max_depth(1).sort_by_file_name().into_iter().filter_entry(|e| !is_hidden(e)) {
        let entry = entry.map_err(|e| Error::io(&dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let abs = entry.path();
        let ext = abs.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext != "yaml" && ext != "yml" {
            continue;
        }
        let rel = rel_path(root, abs);
        let name = abs.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
        let Some(text) = read_text(abs, &rel, diags) else { continue };
        let spec = if text.trim().is_empty() {
            VersionSpec::default()
        } else if let Err(at) = front::check_flow_nesting(&text) {
            diags.error(
                Location::line(&rel, 1 + at as u32),
                format!("invalid version file: '[' or '{{' nested more than {} levels deep", front::MAX_FLOW_NESTING),
            );
            continue;
        } else {
            let quoted = front::quote_version_values(&text, &["released"]);
            match serde_yaml::from_str::<VersionSpec>(&quoted) {
                Ok(s) => s,
                Err(e) => {
                    let bad = bad_keys::<VersionSpec>(&quoted);
                    for (line, msg) in &bad {
                        diags.error(Location::line(&rel, 1 + *line as u32), format!("invalid version file: {msg}"));
                    }
                    if bad.is_empty() {
                        let loc = match yaml_location(&e, 1) {
                            Some(l) => Location::line(&rel, l),
                            None => Location::file(&rel),
                        };
                        diags.error(loc, format!("invalid version file: {}", yaml_message(&e)));
                    }
                    continue;
                }
            }
        };
        if let Some(url) = &spec.url {
            if let Err(why) = check_config_url(url) {
                diags.error(Location::file(&rel), format!("url '{url}' {why}"));
                continue;
            }
        }
        out.push(VersionFile { path: rel, name, spec });
    }
    if out.is_empty() {
        diags
            .error(Location::file("versions"), "no versions: add one file per product version, e.g. versions/1.0.yaml");
    }
    Ok(out)
}

/// The article files, the other files under `articles/`, and the slugs of the article
/// files that could not be loaded.
type Articles = (Vec<ArticleFile>, Vec<AssetFile>, std::collections::BTreeSet<String>);

fn load_articles(root: &Path, diags: &mut Diagnostics) -> Result<Articles, Error> {
    let dir = root.join("articles");
    let mut articles = Vec::new();
    let mut assets = Vec::new();
    let mut unreadable = std::collections::BTreeSet::new();
    if !dir.is_dir() {
        diags.error(Location::file("articles"), "no articles/ folder: add Markdown articles under articles/");
        return Ok((articles, assets, unreadable));
    }
    let mut markdown: Vec<(PathBuf, PathBuf)> = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().filter_entry(|e| !is_hidden(e)) {
        let entry = entry.map_err(|e| Error::io(&dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let abs = entry.path();
        let rel = rel_path(root, abs);
        let is_md = abs.extension().and_then(|e| e.to_str()) == Some("md");
        if !is_md {
            let under = rel_path(&dir, abs).to_string_lossy().into_owned();
            assets.push(AssetFile { rel: under, abs: abs.to_path_buf(), digest: None });
            continue;
        }
        markdown.push((abs.to_path_buf(), rel));
    }
    digest_revisions(root, &mut assets, diags);
    // Reading and parsing front matter is independent per file: do it in parallel,
    // keeping the walk's order.
    let parsed: Vec<(Result<ArticleFile, Vec<String>>, Diagnostics)> = markdown
        .par_iter()
        .map(|(abs, rel)| {
            let mut d = Diagnostics::new();
            let stem = abs.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            let (slug, at) = match stem.split_once('@') {
                Some((s, v)) => (s.to_string(), Some(v.to_string())),
                None => (stem.clone(), None),
            };
            let file = match read_text(abs, rel, &mut d) {
                None => Err(vec![slug]),
                Some(text) => {
                    // The names the file would have answered to, should it be in error.
                    let aliases = front::salvage_aliases(&text);
                    match front::parse(text, rel, &mut d) {
                        Some((front, body, body_line)) => {
                            Ok(ArticleFile { path: rel.clone(), slug, at, front, body: Arc::from(body), body_line })
                        }
                        None => Err(std::iter::once(slug).chain(aliases).collect()),
                    }
                }
            };
            (file, d)
        })
        .collect();
    for (file, d) in parsed {
        diags.extend(d);
        match file {
            Ok(f) => articles.push(f),
            Err(names) => unreadable.extend(names),
        }
    }
    if articles.is_empty() && unreadable.is_empty() {
        diags.warning(
            Location::file("articles"),
            "no articles: the site has no pages; add Markdown files under articles/",
        );
    }
    Ok((articles, assets, unreadable))
}

/// Reads and hashes the assets that may be revisions of one another (see
/// [`AssetFile::digest`]): the model compares their bytes to write each distinct
/// revision once.
fn digest_revisions(root: &Path, assets: &mut [AssetFile], diags: &mut Diagnostics) {
    use sha2::{Digest, Sha256};
    let mut involved: std::collections::HashSet<String> = std::collections::HashSet::new();
    for a in assets.iter() {
        let names = asset_revision_names(&a.rel);
        if !names.is_empty() {
            involved.insert(a.rel.clone());
            involved.extend(names.into_iter().map(|(base, _)| base));
        }
    }
    if involved.is_empty() {
        return;
    }
    let read: Vec<(usize, Result<[u8; 32], io::Error>)> = assets
        .par_iter()
        .enumerate()
        .filter(|(_, a)| involved.contains(&a.rel))
        .map(|(i, a)| (i, fs::read(&a.abs).map(|bytes| Sha256::digest(&bytes).into())))
        .collect();
    for (i, r) in read {
        match r {
            Ok(d) => assets[i].digest = Some(d),
            Err(e) => {
                let rel = rel_path(root, &assets[i].abs);
                diags.error(Location::file(rel), format!("cannot read file: {e}"));
            }
        }
    }
}

fn load_theme(root: &Path, theme: &str, diags: &mut Diagnostics) -> Result<ThemeFiles, Error> {
    let mut files = ThemeFiles::default();
    let dir = root.join("themes").join(theme);
    if !dir.is_dir() {
        if theme != "default" {
            diags.error(
                Location::file("manual.yaml"),
                format!("theme '{theme}' not found: expected a folder themes/{theme}/"),
            );
        }
        return Ok(files);
    }
    let tdir = dir.join("templates");
    if tdir.is_dir() {
        for entry in WalkDir::new(&tdir).sort_by_file_name().into_iter().filter_entry(|e| !is_hidden(e)) {
            let entry = entry.map_err(|e| Error::io(&tdir, e.into()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = rel_path(root, entry.path());
            let name = rel_path(&tdir, entry.path()).to_string_lossy().into_owned();
            if let Some(text) = read_text(entry.path(), &rel, diags) {
                files.templates.insert(name, (rel, text));
            }
        }
    }
    let sdir = dir.join("static");
    if sdir.is_dir() {
        for entry in WalkDir::new(&sdir).sort_by_file_name().into_iter().filter_entry(|e| !is_hidden(e)) {
            let entry = entry.map_err(|e| Error::io(&sdir, e.into()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = rel_path(&sdir, entry.path()).to_string_lossy().into_owned();
            let bytes = fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            files.statics.insert(name, bytes);
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_names_that_may_be_revisions() {
        let pair = |b: &str, v: &str| (b.to_string(), v.to_string());
        assert_eq!(
            asset_revision_names("images/x@24.3.png"),
            [pair("images/x.png", "24.3"), pair("images/x", "24.3.png")]
        );
        assert_eq!(asset_revision_names("logo@2x.png"), [pair("logo.png", "2x"), pair("logo", "2x.png")]);
        assert_eq!(asset_revision_names("a/notes@2.0"), [pair("a/notes.0", "2"), pair("a/notes", "2.0")]);
        assert!(asset_revision_names("images/x.png").is_empty());
        assert!(asset_revision_names("a@b/x.png").is_empty());
        assert!(asset_revision_names("@1.0.png").is_empty());
    }
}
