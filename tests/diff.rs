//! `folio diff` and the build's change pages, run through the binary.
//!
//! `tests/fixtures/diff-categories/` is a three-version manual in which, from 1.0 to
//! 2.0, one article falls in each group (added, removed, renamed, moved, retitled,
//! changed by a revision, changed by an only-block) and several do not change at all
//! (among them a new revision with the same text, and an only-block that starts in 3.0).
//! `UPDATE_EXPECTED=1 cargo test --test diff` rewrites the JSON goldens.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn categories() -> PathBuf {
    common::repo_root().join("tests/fixtures/diff-categories")
}

/// Runs `folio diff` on `root` (stdout piped, NO_COLOR unset unless given).
fn diff(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(common::bin());
    cmd.arg("diff").args(args).arg("--root").arg(root).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The slugs listed in one group of a `versions` document.
fn slugs(doc: &Value, group: &str) -> Vec<String> {
    doc[group].as_array().unwrap().iter().map(|e| e["slug"].as_str().unwrap().to_string()).collect()
}

/// Compares `actual` with a golden file, or rewrites it with UPDATE_EXPECTED=1.
fn golden(name: &str, actual: &str) {
    let path = categories().join(name);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = common::read(&path);
    assert!(
        expected == actual,
        "{} differs from the output (UPDATE_EXPECTED=1 rewrites it):\n{actual}",
        path.display()
    );
}

#[test]
fn sample_portaltroubleshooting_shows_the_econnector_rewrite() {
    let out = diff(&common::repo_root(), &["16.4", "17.1", "portaltroubleshooting"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(
        "--- portaltroubleshooting (16.4, articles/portaltroubleshooting.md)\n\
         +++ portaltroubleshooting (17.1, articles/portaltroubleshooting@17.1.md)\n@@ -"
    ));
    for line in [
        "-2. Open the Service Manager (see Step 2) and verify the OpenDentCustListener service is",
        "+1. Check that the eConnector server is on.",
        "+2. Verify the eConnector service is running.",
        "+   [eConnector Firewall](allowapplication.md).",
        "-   your firewall. See [Firewall Troubleshooting](firewall.md).",
    ] {
        assert!(text.lines().any(|l| l == line), "missing line {line:?} in:\n{text}");
    }
    assert!(!text.contains('\x1b'), "piped output has no colour");

    // The same change, word by word.
    let out = diff(&common::repo_root(), &["16.4", "17.1", "portaltroubleshooting", "--word"], &[]);
    let text = stdout(&out);
    assert!(text.contains("the port the [-Listener-]{+eConnector+} Service is using"), "{text}");

    // And in the version comparison, under "Changed".
    let doc = json(&diff(&common::repo_root(), &["16.4", "17.1", "--format", "json"], &[]));
    assert!(slugs(&doc, "changed").contains(&"portaltroubleshooting".to_string()));
    assert_eq!(slugs(&doc, "added"), ["allowapplication"]);
    assert_eq!(slugs(&doc, "removed"), ["firewall"]);
}

#[test]
fn each_category_lands_in_exactly_its_group() {
    let doc = json(&diff(&categories(), &["1.0", "2.0", "--format", "json"], &[]));
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["kind"], "versions");
    assert_eq!(slugs(&doc, "added"), ["added"]);
    assert_eq!(slugs(&doc, "removed"), ["removed"]);
    assert_eq!(slugs(&doc, "renamed"), ["newname"]);
    assert_eq!(doc["renamed"][0]["from_slug"], "oldname");
    assert_eq!(slugs(&doc, "moved"), ["moved"]);
    assert_eq!(doc["moved"][0]["from_parent"]["slug"], "guide");
    assert_eq!(doc["moved"][0]["to_parent"]["slug"], "reference");
    assert_eq!(slugs(&doc, "retitled"), ["retitled"]);
    assert_eq!(doc["retitled"][0]["from_title"], "Old Title");
    // Changed by a revision (revised) and by an only-block alone (onlyblock, same file).
    assert_eq!(slugs(&doc, "changed"), ["onlyblock", "revised"]);
    assert_eq!(doc["changed"][0]["from_file"], doc["changed"][0]["to_file"]);
    assert_eq!(doc["changed"][1]["to_file"], "articles/revised@2.0.md");
    // home, guide, reference, unchanged, samerevision (new file, same text) and
    // laterblock (its only-block starts in 3.0).
    assert_eq!(doc["counts"]["unchanged"], 6);
    assert_eq!(doc["counts"]["total"], 7);

    // From 2.0 to 3.0 the later only-block and the renamed article's new revision count.
    let doc = json(&diff(&categories(), &["2.0", "3.0", "--format", "json"], &[]));
    assert_eq!(slugs(&doc, "changed"), ["laterblock", "newname"]);
    for group in ["added", "removed", "renamed", "moved", "retitled"] {
        assert!(slugs(&doc, group).is_empty(), "{group}");
    }
}

#[test]
fn json_matches_the_golden_files() {
    golden("expected.json", &stdout(&diff(&categories(), &["1.0", "2.0", "--format", "json"], &[])));
    golden(
        "expected-article.json",
        &stdout(&diff(&categories(), &["1.0", "2.0", "revised", "--format", "json", "--word"], &[])),
    );
}

#[test]
fn versions_may_come_in_either_order() {
    for format in ["text", "json"] {
        let forward = diff(&categories(), &["1.0", "2.0", "--format", format], &[]);
        let backward = diff(&categories(), &["2.0", "1.0", "--format", format], &[]);
        assert_eq!(stdout(&forward), stdout(&backward));
    }
    // Labels and output paths name versions too.
    let by_label = diff(&categories(), &["v2.0", "v1.0"], &[]);
    assert_eq!(stdout(&by_label), stdout(&diff(&categories(), &["1.0", "2.0"], &[])));
}

#[test]
fn text_report_groups_and_counts() {
    let text = stdout(&diff(&categories(), &["1.0", "2.0"], &[]));
    let expected = "\
Changes from v1.0 to v2.0: 7 articles (1 added, 1 removed, 1 renamed, 1 moved, 1 retitled, 2 changed; 6 unchanged)

Added (1):
  added  Added Article

Removed (1):
  removed  Removed Article

Renamed (1):
  oldname -> newname  Renamed Article

Moved (1):
  moved  Moved Article  (parent: guide -> reference)

Retitled (1):
  retitled  \"Old Title\" -> \"New Title\"

Changed (2):
  onlyblock  Only-block Article  +1 -0
  revised    Revised Article  +3 -1
";
    assert_eq!(text, expected);
}

#[test]
fn exit_status_and_errors() {
    // Differences or none: 0.
    let out = diff(&categories(), &["1.0", "2.0"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let out = diff(&categories(), &["2.0", "2.0"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "Changes from v2.0 to v2.0: no differences (12 articles, all unchanged)\n");
    let out = diff(&categories(), &["1.0", "2.0", "unchanged"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "'unchanged' is the same in 1.0 and 2.0\n");

    // Unknown version: usage error, 2, naming close versions and the known ones.
    let out = diff(&categories(), &["1.0", "2.1"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: unknown version '2.1'; did you mean 2.0? (built versions: 1.0, 2.0, 3.0)\n");
    assert_eq!(stdout(&out), "");
    let out = diff(&categories(), &["9", "1.0", "revised"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: unknown version '9'"), "{}", stderr(&out));

    // Unknown article: content error, 1, naming close matches.
    let out = diff(&categories(), &["1.0", "2.0", "revsed"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: no article 'revsed' in the manual; close matches: revised, removed\n");
    let out = diff(&categories(), &["1.0", "2.0", "zzzz"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: no article 'zzzz' in the manual\n");
    // A known article that is in neither version.
    let out = diff(&categories(), &["2.0", "3.0", "removed"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: 'removed' is in neither 2.0 nor 3.0; it exists in 1.0\n");

    // --word and -U need an article.
    let out = diff(&categories(), &["1.0", "2.0", "--word"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = diff(&categories(), &["1.0", "2.0", "-U", "5"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

// Bug: `folio diff ... | head` panicked with "failed printing to stdout: Broken pipe".
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let mut child = Command::new(common::bin())
        .args(["diff", "1.0", "2.0", "revised", "--root"])
        .arg(categories())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before folio has loaded the manual and written anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn article_diff_follows_renames_and_absence() {
    // By its old slug: the rename, and no text change.
    let doc = json(&diff(&categories(), &["1.0", "2.0", "oldname", "--format", "json"], &[]));
    assert_eq!(doc["kind"], "article");
    assert_eq!(doc["slug"], "oldname");
    assert_eq!(doc["article"]["from"]["slug"], "oldname");
    assert_eq!(doc["article"]["to"]["slug"], "newname");
    assert_eq!(doc["changed"], true);
    assert_eq!(doc["hunks"].as_array().unwrap().len(), 0);
    let text = stdout(&diff(&categories(), &["1.0", "2.0", "oldname"], &[]));
    assert_eq!(text, "renamed: oldname -> newname\n");

    // An added article: everything is new, the old side is null.
    let doc = json(&diff(&categories(), &["1.0", "2.0", "added", "--format", "json"], &[]));
    assert_eq!(doc["article"]["from"], Value::Null);
    assert_eq!(doc["hunks"][0]["from_start"], 0);
    assert_eq!(doc["hunks"][0]["from_lines"], 0);
    let text = stdout(&diff(&categories(), &["1.0", "2.0", "added"], &[]));
    assert!(text.starts_with("--- added (1.0: not in this version)\n+++ added (2.0, articles/added.md)\n"));
}

#[test]
fn colour_only_on_request_or_on_a_terminal() {
    let args = ["1.0", "2.0", "revised"];
    let plain = stdout(&diff(&categories(), &args, &[]));
    assert!(!plain.contains('\x1b'));
    let never = stdout(&diff(&categories(), &[&args[..], &["--color", "never"]].concat(), &[]));
    assert_eq!(never, plain);
    let always = stdout(&diff(&categories(), &[&args[..], &["--color", "always"]].concat(), &[("NO_COLOR", "1")]));
    assert!(always.contains("\x1b[31m-1. Open the old settings window.\x1b[0m"), "{always:?}");
    assert!(always.contains("\x1b[32m+1. Open the new settings window.\x1b[0m"), "{always:?}");
    let summary = stdout(&diff(&categories(), &["1.0", "2.0", "--color", "always"], &[]));
    assert!(summary.contains("\x1b[1m"));
    let json_out = stdout(&diff(&categories(), &["1.0", "2.0", "--format", "json", "--color", "always"], &[]));
    assert!(!json_out.contains('\x1b'), "JSON is never coloured");
}

#[test]
fn word_diff_marks_words_not_lines() {
    let text = stdout(&diff(&categories(), &["1.0", "2.0", "revised", "--word"], &[]));
    assert!(text.contains("1. Open the [-old-]{+new+} settings window.\n"), "{text}");
    assert!(text.contains("{+A paragraph added in 2.0.+}"), "{text}");
    assert!(!text.contains("\n-"), "no removed lines in a word diff: {text}");
}

/// Builds the categories fixture into a temp folder; returns (temp dir, site folder).
fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let res = Command::new(common::bin())
        .args(["build", "--quiet", "--root"])
        .arg(categories())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(0), "{}", stderr(&res));
    (tmp, out)
}

#[test]
fn build_writes_diff_pages_linked_from_changes() {
    let (_tmp, site) = built();
    let changes = common::read(site.join("v2.0/changes.html"));
    let main = common::main_of(&changes);
    assert!(
        main.contains("Since v1.0, 7 articles changed: 1 added, 1 removed, 1 renamed, 1 moved, 1 retitled, 2 changed.")
    );
    for group in ["Added", "Removed", "Renamed", "Moved in the contents", "Retitled", "Changed"] {
        assert!(main.contains(&format!(">{group} <span class=\"count\">(")), "group {group}");
    }
    // A diff page for each article whose text, title or slug changed, and only those.
    let mut pages: Vec<String> = std::fs::read_dir(site.join("v2.0/diff"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    assert_eq!(pages, ["newname.html", "onlyblock.html", "retitled.html", "revised.html"]);
    for page in &pages {
        assert!(main.contains(&format!("href=\"diff/{page}\"")), "changes.html links diff/{page}");
    }
    assert!(main.contains("href=\"../v1.0/removed.html\">Removed Article</a>"));
    assert!(main.contains("(from under “Guide” to under “Reference”)"));

    // The diff page shows the text readers see, marked without relying on colour.
    let revised = common::read(site.join("v2.0/diff/revised.html"));
    let main = common::main_of(&revised);
    assert!(main.contains("Open the <del>old</del><ins>new</ins> settings window."), "{main}");
    assert!(main.contains("<ins>A paragraph added in 2.0.</ins>"));
    assert!(main.contains("class=\"diff-legend\""));
    assert!(main.contains("<span class=\"sign\" aria-hidden=\"true\">+</span>"));
    let (prose, source) = main.split_once("<details class=\"source-diff\">").expect("a source diff for writers");
    assert!(prose.contains("Click Save.") && !prose.contains("**Save**"), "the reader's text, not Markdown");
    assert!(source.contains("<del>-1. Open the old settings window.</del>"), "{source}");
    let only = common::read(site.join("v2.0/diff/onlyblock.html"));
    assert!(common::main_of(&only).contains("<ins>Note: this note appears from 2.0 on.</ins>"));
    let retitled = common::read(site.join("v2.0/diff/retitled.html"));
    assert!(common::main_of(&retitled).contains("Title: <del>Old Title</del> <ins>New Title</ins>"));
    assert!(common::main_of(&retitled).contains("The text is the same in v1.0 and v2.0."));

    // The first version has nothing to compare with; every home links its changes.
    let first = common::read(site.join("v1.0/changes.html"));
    assert!(common::main_of(&first).contains("is the first version of this manual"));
    assert!(!site.join("v1.0/diff").exists());
    let home = common::read(site.join("v2.0/index.html"));
    assert!(common::main_of(&home).contains("<a href=\"changes.html\">What changed in v2.0</a>"));
}

/// An article that never changed after it first appeared lists no versions: it was
/// not "changed in" the first version, nor in the one that added it.
#[test]
fn article_history_leaves_out_articles_that_never_changed() {
    let (_tmp, site) = built();
    for page in ["v1.0/unchanged.html", "v3.0/unchanged.html", "v2.0/added.html", "v3.0/added.html"] {
        let html = common::read(site.join(page));
        let main = common::main_of(&html);
        assert!(!main.contains("<h2>Changed in</h2>"), "{page}: {main}");
    }
    // An entry for the version an article first appeared in says so.
    let html = common::read(site.join("v3.0/newname.html"));
    let main = common::main_of(&html);
    assert!(main.contains("<li><a href=\"../v1.0/oldname.html\">v1.0</a> <small>(added)</small>"), "{main}");
}

#[test]
fn article_history_follows_renames() {
    let (_tmp, site) = built();
    let page = common::read(site.join("v3.0/newname.html"));
    let main = common::main_of(&page);
    let history = &main[main.find("<section><h2>Changed in</h2>").expect("a history section")..];
    let history = &history[..history.find("</section>").unwrap()];
    // Added as oldname in 1.0 (the page it had: no diff page there), renamed in 2.0,
    // changed in 3.0 (their diff pages, under the new name).
    assert!(history.contains("<li><a href=\"../v1.0/oldname.html\">v1.0</a>"), "{history}");
    assert!(history.contains("<li><a href=\"../v2.0/diff/newname.html\">v2.0</a>"), "{history}");
    // This version's own diff page is in its folder.
    assert!(history.contains("<li><a href=\"diff/newname.html\" aria-current=\"true\">v3.0</a>"), "{history}");
    assert_eq!(history.matches("<li>").count(), 3, "{history}");
    // The old page lists the same versions.
    let old = common::read(site.join("v1.0/oldname.html"));
    assert!(common::main_of(&old).contains("<a href=\"../v3.0/diff/newname.html\">v3.0</a>"));
    // A moved-only article did not change; a new revision with the same text neither.
    let moved = common::read(site.join("v2.0/moved.html"));
    assert!(!common::main_of(&moved).contains("../v2.0/diff/moved.html"));
    let same = common::read(site.join("v3.0/samerevision.html"));
    assert!(!common::main_of(&same).contains("../v2.0/samerevision.html\">v2.0"));
}

/// The manual's timeline (`assets/timeline.<hash>.js`) of the site built from `root`
/// with `args`: its file name and its data.
fn timeline(root: &Path, args: &[&str]) -> (String, Value) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let mut all = vec!["build", "--quiet", "--out", site.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = common::run(root, &all);
    assert!(o.status.success(), "{}", stderr(&o));
    let name = std::fs::read_dir(site.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("timeline.") && n.ends_with(".js"))
        .expect("a timeline");
    let text = common::read(site.join("assets").join(&name));
    let json = text.strip_prefix("window.__folioTimeline=").and_then(|t| t.strip_suffix(";\n")).expect("the script");
    (name, serde_json::from_str(json).unwrap())
}

#[test]
fn the_timeline_holds_only_what_changed_and_is_the_same_for_a_one_version_build() {
    let root = categories();
    let (name, data) = timeline(&root, &[]);
    assert_eq!(timeline(&root, &["--version", "2.0"]).0, name, "the same file whichever versions are written");
    let versions: Vec<&str> = data["v"].as_array().unwrap().iter().map(|v| v[0].as_str().unwrap()).collect();
    assert_eq!(versions, ["1.0", "2.0", "3.0"]);
    // Each article's entries, found by its first slug.
    let entries = |slug: &str| -> Vec<Value> {
        let a = data["a"].as_array().unwrap().iter().find(|a| a[0][1] == slug).unwrap_or_else(|| panic!("{slug}"));
        a.as_array().unwrap().clone()
    };
    assert_eq!(entries("unchanged").len(), 1, "an article that never changes has one entry");
    assert_eq!(entries("samerevision").len(), 1, "a revision with the same text is no change");
    assert_eq!(entries("removed")[1], serde_json::json!([1]), "gone from 2.0 on");
    let renamed = entries("oldname");
    assert_eq!((renamed[1][0].clone(), renamed[1][1].clone()), (1.into(), "newname".into()));
    assert_eq!(renamed[1][7], 1, "2.0 has a diff page of the renamed article");
    let revised = entries("revised");
    assert_eq!(renamed.len() + revised.len(), 3 + 2, "{renamed:?} {revised:?}");
    assert!(revised[1][5].as_u64().unwrap() + revised[1][6].as_u64().unwrap() > 0, "lines counted: {revised:?}");
}

#[test]
fn the_timeline_grows_with_changes_not_with_versions() {
    let mut files = vec![("manual.yaml".to_string(), "title: T\n".to_string())];
    for v in 1..=12 {
        files.push((format!("versions/{v}.0.yaml"), format!("label: v{v}\npath: v{v}\n")));
    }
    for a in ["one", "two", "three"] {
        files.push((format!("articles/{a}.md"), format!("---\ntitle: {a}\n---\n\nThe same in every version.\n")));
    }
    files.push(("articles/two@7.0.md".into(), "---\ntitle: two\n---\n\nChanged once.\n".into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = common::manual(&refs);
    let (_, data) = timeline(dir.path(), &[]);
    let entries: usize = data["a"].as_array().unwrap().iter().map(|a| a.as_array().unwrap().len()).sum();
    assert_eq!(entries, 3 + 1, "one entry per article and one per change, over 12 versions");
}
