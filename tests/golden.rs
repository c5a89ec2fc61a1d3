//! Golden build tests: parts of the built site compared with reviewed files under
//! `tests/golden/<fixture>/`, so that any change in what `folio build` writes shows up as a
//! diff in review.
//!
//! Each fixture (the sample manual at the repository root, as `sample`, and
//! `tests/fixtures/basic`, `diff-categories`, `asset-revisions`) is built by the `folio`
//! binary into a temp dir, then each entry of its table below is cut out of one output
//! file and compared with one golden file:
//!
//! - `x.main.html`: the page's `<main>` element (article pages, home pages, what-changed
//!   and diff pages, 404 and print pages), so theme chrome does not churn these files;
//! - `x.menu.html`: the version menu, the `<details>` element in the page's `<header>`;
//! - `x.html`, `x.json`, `x.xml`: a whole file (the redirect pages written for aliases and
//!   renames, `versions.json`, `sitemap.xml`);
//! - `<version>/nav.js`: the contents tree of one version (its `nav.<hash>.js`), with a line
//!   break before every entry;
//! - `<version>/files.txt`: the path of every file written under one version's folder;
//! - `tree.sha256`: `sha256  path` for every file of the build, so that any byte that
//!   changes anywhere (search index, nav script, sitemap, stylesheet) is seen.
//!
//! In `.main.html` and `.menu.html` files a line break is added before every `<li>` (and
//! `<li `) so long lists diff item by item, and one at the end; nothing else is changed or
//! stripped, since two builds of the same source are byte-identical (hashed file names
//! included).
//!
//! On a mismatch the test prints a unified diff per golden file, naming it, and fails.
//! After a deliberate change to the output, rewrite the goldens and review the diff:
//!
//! ```text
//! UPDATE_EXPECTED=1 cargo test --test golden
//! git diff tests/golden/
//! ```
//!
//! The update also writes golden files that are missing and deletes those that no table
//! entry produces any more (without it, both are reported as failures).
//!
//! To compare two builds of the sample manual file by file (for instance before and after
//! a change to the build engine), print the hash of every output file, sorted by path:
//!
//! ```text
//! FOLIO_TREE_HASHES=/tmp/before.sha256 cargo test --test golden -- --ignored sample_manual_tree_hashes
//! ```
//!
//! (a relative path is taken from the repository root; without FOLIO_TREE_HASHES the lines
//! are printed, seen with `--nocapture`), then the same into `/tmp/after.sha256` on the other
//! checkout, and `diff /tmp/before.sha256 /tmp/after.sha256`. For a site already built into
//! `site/`, this prints the same lines:
//! `(cd site && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum)`.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// What part of the build one golden file holds.
#[derive(Clone, Copy)]
enum View {
    /// The `<main>` element of a page.
    Main(&'static str),
    /// The version menu of a page: the first `<details>` element inside `<header>`.
    Menu(&'static str),
    /// A whole file.
    Whole(&'static str),
    /// The contents tree of one version: its `nav.<hash>.js`, one entry per line.
    Nav(&'static str),
    /// The paths of the files under one version's folder, one per line.
    Files(&'static str),
    /// `sha256  path` of every file of the build, sorted by path.
    Hashes,
}

impl View {
    /// The golden file's path under `tests/golden/<fixture>/`.
    fn golden_name(self) -> String {
        match self {
            View::Main(page) => format!("{}.main.html", page.strip_suffix(".html").unwrap_or(page)),
            View::Menu(page) => format!("{}.menu.html", page.strip_suffix(".html").unwrap_or(page)),
            View::Whole(file) => file.to_string(),
            View::Nav(dir) => format!("{dir}/nav.js"),
            View::Files(dir) => format!("{dir}/files.txt"),
            View::Hashes => "tree.sha256".to_string(),
        }
    }

    /// This view of the site built into `site`, or why it cannot be taken.
    fn take(self, site: &Path) -> Result<String, String> {
        match self {
            View::Main(page) => {
                let html = page_text(site, page)?;
                let main = between(&html, "<main", "</main>").ok_or(format!("{page}: no <main> element"))?;
                Ok(item_per_line(main) + "\n")
            }
            View::Menu(page) => {
                let html = page_text(site, page)?;
                let header = between(&html, "<header", "</header>").ok_or(format!("{page}: no <header> element"))?;
                let menu =
                    between(header, "<details", "</details>").ok_or(format!("{page}: no <details> in <header>"))?;
                Ok(item_per_line(menu) + "\n")
            }
            View::Whole(file) => page_text(site, file),
            View::Nav(dir) => {
                // The hashed name itself is in files.txt and tree.sha256.
                let files = common::tree(&site.join(dir));
                let mut navs = files.keys().filter(|p| p.starts_with("nav.") && p.ends_with(".js"));
                let (Some(nav), None) = (navs.next(), navs.next()) else {
                    return Err(format!("{dir}/: not exactly one nav.<hash>.js"));
                };
                // A line break before every entry; removing them gives the file back.
                Ok(page_text(site, &format!("{dir}/{nav}"))?.replace("[\"", "\n[\""))
            }
            View::Files(dir) => {
                let prefix = format!("{dir}/");
                let files: String = common::tree(site)
                    .keys()
                    .filter(|path| path.starts_with(&prefix))
                    .map(|path| format!("{path}\n"))
                    .collect();
                if files.is_empty() {
                    return Err(format!("{dir}/: no files in the build"));
                }
                Ok(files)
            }
            View::Hashes => Ok(tree_hashes(site)),
        }
    }
}

/// The text of `rel` in the built site.
fn page_text(site: &Path, rel: &str) -> Result<String, String> {
    fs::read_to_string(site.join(rel)).map_err(|e| format!("{rel}: not in the build ({e})"))
}

/// From the first `start` to the end of the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)?;
    let to = from + text[from..].find(end)? + end.len();
    Some(&text[from..to])
}

/// A line break before every list item, so a long list diffs item by item. Nothing is
/// lost: removing the line break before each `<li>` / `<li ` gives the page's text back.
fn item_per_line(html: &str) -> String {
    html.replace("<li>", "\n<li>").replace("<li ", "\n<li ")
}

/// `sha256  path` for every file under `site`, sorted by path (the format of `sha256sum`).
fn tree_hashes(site: &Path) -> String {
    let mut out = String::new();
    for (path, bytes) in common::tree(site) {
        let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        out.push_str(&format!("{hex}  {path}\n"));
    }
    out
}

/// Builds the manual at `root` into `out` with the `folio` binary.
fn build(root: &Path, out: &Path) {
    let o = common::run(root, &["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "build of {} failed:\n{}", root.display(), common::stderr(&o, root));
}

/// Builds a fixture under `tests/fixtures/` (copied to a temp dir) and checks its goldens.
fn check_fixture(name: &str, views: &[View]) {
    let manual = common::fixture(name);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(manual.path(), &site);
    check(name, &site, views);
}

fn golden_dir(fixture: &str) -> PathBuf {
    common::repo_root().join("tests/golden").join(fixture)
}

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECTED").is_some()
}

/// Compares every view of `site` with its golden file under `tests/golden/<fixture>/`
/// (or rewrites them with UPDATE_EXPECTED=1), and fails listing every difference.
fn check(fixture: &str, site: &Path, views: &[View]) {
    let dir = golden_dir(fixture);
    let update = updating();
    let mut problems = Vec::new();
    let mut wanted = BTreeSet::new();
    for view in views {
        let name = view.golden_name();
        let shown = format!("tests/golden/{fixture}/{name}");
        let path = dir.join(&name);
        assert!(wanted.insert(path.clone()), "{shown} is listed twice");
        let actual = match view.take(site) {
            Ok(text) => text,
            Err(why) => {
                problems.push(format!("{shown}: {why}"));
                continue;
            }
        };
        let expected = fs::read_to_string(&path).ok();
        if expected.as_deref() == Some(actual.as_str()) {
            continue;
        }
        if update {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &actual).unwrap();
            eprintln!("updated {shown}");
            continue;
        }
        match expected {
            None => problems.push(format!("{shown}: missing; the build gives:\n{actual}")),
            Some(expected) => {
                let diff = similar::TextDiff::from_lines(&expected, &actual)
                    .unified_diff()
                    .context_radius(3)
                    .header(&shown, "build")
                    .to_string();
                problems.push(format!("{shown} differs from the build:\n{diff}"));
            }
        }
    }
    // A golden file that no view produces is left over from a removed entry.
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() || wanted.contains(entry.path()) {
                continue;
            }
            let shown = format!("tests/golden/{fixture}/{}", entry.path().strip_prefix(&dir).unwrap().display());
            if update {
                fs::remove_file(entry.path()).unwrap();
                eprintln!("removed {shown}");
            } else {
                problems.push(format!("{shown}: no entry of the table produces it"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} golden file(s) of {fixture} do not match the build; if the change is intended, \
         `UPDATE_EXPECTED=1 cargo test --test golden` rewrites them (then review `git diff tests/golden/`)\n\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The sample manual at the repository root: 36 versions, revisions, only-blocks, an alias.
#[test]
fn sample_manual() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(&common::repo_root(), &site);
    check(
        "sample",
        &site,
        &[
            // The site's entry page sends readers to the latest version.
            View::Whole("index.html"),
            // Home page of the latest version.
            View::Main("manual243/index.html"),
            // Revised in 17.1 (portaltroubleshooting@17.1.md) and holding only-blocks: the
            // first version built, the last one before the revision, and the latest.
            View::Main("manual154/portaltroubleshooting.html"),
            View::Main("manual164/portaltroubleshooting.html"),
            View::Main("manual243/portaltroubleshooting.html"),
            View::Menu("manual243/portaltroubleshooting.html"),
            View::Nav("manual243"),
            View::Whole("versions.json"),
            // The alias `listenerservice` of econnector.
            View::Whole("manual243/listenerservice.html"),
            View::Main("manual171/changes.html"),
            View::Main("manual171/diff/portaltroubleshooting.html"),
            View::Main("manual243/changes.html"),
            View::Main("manual243/404.html"),
            View::Files("manual243"),
        ],
    );
}

/// Revisions, an only-block, a marker inside a code block, an alias, an article that ends
/// (legacy, until 1.1), one that starts (cloud, since 1.1), and an external version.
#[test]
fn basic() {
    check_fixture(
        "basic",
        &[
            View::Main("w10/setup.html"),
            View::Main("w11/setup.html"),
            View::Main("w20/setup.html"),
            View::Main("w20/index.html"),
            View::Main("w11/cloud.html"),
            View::Menu("w20/setup.html"),
            View::Menu("w10/legacy.html"),
            View::Whole("w20/listener.html"),
            View::Whole("index.html"),
            View::Whole("versions.json"),
            View::Whole("sitemap.xml"),
            View::Nav("w10"),
            View::Nav("w20"),
            View::Main("w11/changes.html"),
            View::Main("w20/changes.html"),
            View::Main("w20/diff/setup.html"),
            View::Main("w20/404.html"),
            View::Main("w20/print.html"),
            View::Files("w20"),
            View::Hashes,
        ],
    );
}

/// One article per kind of change from 1.0 to 2.0 (added, removed, renamed, moved,
/// retitled, revised, changed by an only-block) and an only-block that starts in 3.0.
#[test]
fn diff_categories() {
    check_fixture(
        "diff-categories",
        &[
            View::Main("v2.0/changes.html"),
            View::Main("v3.0/changes.html"),
            View::Main("v2.0/diff/revised.html"),
            View::Main("v2.0/diff/onlyblock.html"),
            View::Main("v2.0/diff/newname.html"),
            View::Main("v2.0/diff/retitled.html"),
            View::Main("v3.0/diff/laterblock.html"),
            View::Main("v3.0/diff/newname.html"),
            View::Main("v1.0/onlyblock.html"),
            View::Main("v2.0/onlyblock.html"),
            View::Main("v1.0/removed.html"),
            View::Menu("v1.0/removed.html"),
            View::Menu("v2.0/newname.html"),
            // The old name of a renamed article redirects to the new one.
            View::Whole("v2.0/oldname.html"),
            View::Hashes,
        ],
    );
}

/// Images with revisions (`screen@2.0.png`, `screen@3.0.png` with the same bytes as
/// `screen.png`, `badge@2.0.png` only).
#[test]
fn asset_revisions() {
    check_fixture(
        "asset-revisions",
        &[
            View::Main("v1.0/home.html"),
            View::Main("v2.0/home.html"),
            View::Main("v3.0/home.html"),
            View::Main("v3.0/badge.html"),
            View::Main("v2.0/print.html"),
            View::Hashes,
        ],
    );
}

/// Prints `sha256  path` for every file of a build of the sample manual, sorted by path,
/// and writes it to the file named by FOLIO_TREE_HASHES when that is set. Two such lists
/// (say, before and after a change to the build engine) compare with `diff`.
#[test]
#[ignore = "prints the hash of every output file of the sample manual; see the file's header"]
fn sample_manual_tree_hashes() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(&common::repo_root(), &site);
    let hashes = tree_hashes(&site);
    if let Some(file) = std::env::var_os("FOLIO_TREE_HASHES") {
        fs::write(&file, &hashes).unwrap();
        eprintln!("wrote {} lines to {}", hashes.lines().count(), Path::new(&file).display());
    } else {
        print!("{hashes}");
    }
}
