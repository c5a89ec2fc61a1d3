//! `folio import html`: the Open Dental recipe from docs/IMPORT.md run on a small manual
//! in the same layout (tests/fixtures/import-html), then built, then checked page by
//! page against the snapshots; and each import rule on its own.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{ElementRef, Html, Selector};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import-html")
}

/// The `sh` block of docs/IMPORT.md whose first line is `# Open Dental recipe`.
fn recipe() -> String {
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/IMPORT.md")).unwrap();
    let start = doc.find("```sh\n# Open Dental recipe\n").expect("the recipe block is in docs/IMPORT.md");
    let body = &doc[start + "```sh\n".len()..];
    body[..body.find("\n```").unwrap()].to_string()
}

/// Runs the recipe as written, with `folio` on the PATH.
fn run_recipe(snapshots: &Path, into: &Path) -> std::process::Output {
    let bin_dir = Path::new(common::bin()).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    Command::new("bash")
        .args(["-euo", "pipefail", "-c", &recipe()])
        .env("SNAPSHOTS", snapshots)
        .env("INTO", into)
        .env("PATH", path)
        .output()
        .unwrap()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Text without white space before punctuation (" ." and "." read the same).
fn tight(s: &str) -> String {
    let s = words(s);
    [" .", " ,", " :", " ;", " )", " !", " ?"].iter().fold(s, |acc, p| acc.replace(p, &p[1..]))
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An element's text; blocks (and line breaks) end with a newline.
fn text_of(el: ElementRef) -> String {
    let mut out = String::new();
    collect_text(el, &mut out);
    out.replace('\u{a0}', " ").lines().map(words).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

fn collect_text(el: ElementRef, out: &mut String) {
    for n in el.children() {
        if let Some(t) = n.value().as_text() {
            out.push_str(&t.replace(['\r', '\n'], " "));
        } else if let Some(child) = ElementRef::wrap(n) {
            let name = child.value().name();
            if matches!(name, "script" | "style" | "form" | "select") {
                continue;
            }
            let block = matches!(
                name,
                "p" | "div"
                    | "li"
                    | "ul"
                    | "ol"
                    | "table"
                    | "tr"
                    | "td"
                    | "th"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "pre"
                    | "blockquote"
                    | "br"
                    | "dt"
                    | "dd"
            );
            if block {
                out.push('\n');
            }
            collect_text(child, out);
            if block {
                out.push('\n');
            }
        }
    }
}

/// Sentences of a text: its lines, split after '.', '!' or '?' followed by a space;
/// a space before punctuation does not count.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let text = tight(&text.replace('\n', " \u{1} "));
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        if c == '\u{1}' || (matches!(c, '.' | '!' | '?') && chars.get(i + 1) == Some(&' ')) {
            if cur.ends_with('\u{1}') {
                cur.pop();
            }
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    out.push(cur.trim().to_string());
    out.into_iter().filter(|s| s.chars().filter(|c| c.is_alphanumeric()).count() > 2).collect()
}

/// Checks a built import against its snapshots, the way a reader of the old manual
/// would: every page of each release is in its version folder under its old name, with
/// its title, every sentence of its text, its links leading where the original's did
/// and its images the bytes that release had. Returns the problems.
fn check_round_trip(snapshots: &Path, site: &Path) -> (usize, Vec<String>) {
    let content = [sel("div.GeneralPageContent"), sel("td[bgcolor=\"#FFFFFF\"]")];
    let top_title = sel("div.TopBar2 > p");
    let (h1, title_el, a_sel, img_sel, main_sel) =
        (sel("h1"), sel("title"), sel("a[href]"), sel("img[src]"), sel("main"));
    let mut problems = Vec::new();
    let mut checked = 0;
    for folder in ["manual232", "manual243"] {
        let dir = snapshots.join(folder);
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html"))
            .collect();
        names.sort();
        for name in names {
            if name == "search.html" || name == "searchmanual.html" {
                continue;
            }
            let raw = fs::read(dir.join(&name)).unwrap();
            let orig = Html::parse_document(&folio::import::snapshot::decode(&raw));
            let built_path = site.join(folder).join(&name);
            let Ok(built_raw) = fs::read_to_string(&built_path) else {
                problems.push(format!("{folder}/{name}: not in the built site"));
                continue;
            };
            let built = Html::parse_document(&built_raw);
            let stub = orig
                .select(&sel("meta[http-equiv]"))
                .any(|m| m.value().attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")));
            if stub {
                checked += 1;
                continue;
            }
            let Some(region) = content.iter().find_map(|c| orig.select(c).next()) else { continue };
            checked += 1;
            let Some(main) = built.select(&main_sel).next() else {
                // A redirect page (an alias) stands here: it must lead to a page.
                if !built_raw.contains("http-equiv=\"refresh\"") {
                    problems.push(format!("{folder}/{name}: neither a page nor a redirect"));
                }
                continue;
            };
            // White space aside: code lines, table cells and list items may be laid out
            // differently, but every character of the text must stand in its order.
            let main_text: String = text_of(main).chars().filter(|c| !c.is_whitespace()).collect();
            let title = orig
                .select(&top_title)
                .chain(orig.select(&h1))
                .map(text_of)
                .find(|t| !t.is_empty())
                .or_else(|| {
                    orig.select(&title_el).next().map(text_of).map(|t| {
                        t.trim_start_matches("Open Dental Software Manual - ")
                            .trim_start_matches("Open Dental Software - ")
                            .to_string()
                    })
                })
                .unwrap_or_default();
            let built_title = built.select(&sel("main h1")).next().map(text_of).unwrap_or_default();
            if built_title != title {
                problems.push(format!("{folder}/{name}: title '{built_title}', expected '{title}'"));
            }
            for s in sentences(&text_of(region)) {
                let bare: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                if !main_text.contains(&bare) {
                    problems.push(format!("{folder}/{name}: sentence missing: {s}"));
                }
            }
            // Links: a link to a page of the same release leads to that page.
            let built_links: BTreeSet<String> =
                main.select(&a_sel).filter_map(|a| a.value().attr("href")).map(|h| h.to_string()).collect();
            for a in region.select(&a_sel) {
                let href = a.value().attr("href").unwrap().trim();
                if href.contains(':') || href.starts_with('#') || href.contains('/') || !href.ends_with(".html") {
                    continue;
                }
                if !dir.join(href).is_file() || href == "search.html" || href == "searchmanual.html" {
                    continue;
                }
                let lands = built_links.iter().any(|b| {
                    let b = b.split('#').next().unwrap();
                    b == href
                        || (!b.contains('/')
                            && landing(&site.join(folder).join(b)) == landing(&site.join(folder).join(href)))
                });
                if !lands {
                    problems.push(format!("{folder}/{name}: link to {href} does not lead there"));
                }
            }
            // Images: the bytes that release had.
            for img in main.select(&img_sel) {
                let src = img.value().attr("src").unwrap();
                if src.contains("://") {
                    continue; // not in the release: it stays where the original pointed
                }
                let src = &percent_decode(src);
                let file = site.join(folder).join(src);
                let Ok(bytes) = fs::read(&file) else {
                    problems.push(format!("{folder}/{name}: image {src} not in the site"));
                    continue;
                };
                let rel = src.trim_start_matches("../media/");
                let (dir_part, file_part) = rel.rsplit_once('/').map(|(d, f)| (format!("{d}/"), f)).unwrap_or_default();
                let base = match file_part.split_once('@') {
                    Some((stem, rest)) => format!("{stem}.{}", rest.rsplit('.').next().unwrap()),
                    None => file_part.to_string(),
                };
                let orig_bytes = fs::read(dir.join(format!("{dir_part}{base}")));
                if orig_bytes.ok().as_deref() != Some(bytes.as_slice()) {
                    problems
                        .push(format!("{folder}/{name}: image {src} is not the bytes of {dir_part}{base} in {folder}"));
                }
            }
        }
    }
    (checked, problems)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The page a file leads to: itself, or the target of the redirect it holds.
fn landing(path: &Path) -> PathBuf {
    match fs::read_to_string(path) {
        Ok(t) if t.contains("http-equiv=\"refresh\"") => {
            let i = t.find("url=").unwrap() + 4;
            let target: String = t[i..].chars().take_while(|&c| c != '"').collect();
            path.parent().unwrap().join(target)
        }
        _ => path.to_path_buf(),
    }
}

fn import_fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let into = tmp.path().join("manual");
    let out = run_recipe(&fixture_dir(), &into);
    assert!(
        out.status.success(),
        "recipe failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, into)
}

#[test]
fn recipe_imports_and_builds_every_page_with_its_text_links_and_images() {
    let (_tmp, into) = import_fixture();
    let (checked, problems) = check_round_trip(&fixture_dir(), &into.join("site"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(checked, 16, "pages checked");
}

#[test]
fn import_rules_show_in_the_source_tree() {
    let (_tmp, into) = import_fixture();
    let art = |n: &str| fs::read_to_string(into.join("articles").join(n)).unwrap_or_else(|_| panic!("articles/{n}"));
    // A changed screenshot is an asset revision; the same bytes are one file.
    assert_ne!(
        fs::read(into.join("articles/images/setup.png")).unwrap(),
        fs::read(into.join("articles/images/setup@24.3.png")).unwrap()
    );
    assert!(!into.join("articles/images/logo@24.3.png").exists());
    // A large change is a revision; a small one an only-block in one file.
    assert!(into.join("articles/setup@24.3.md").exists());
    let install = art("install.md");
    assert!(!into.join("articles/install@24.3.md").exists());
    assert!(install.contains("<!-- only 24.3 -->\nVersion 24.3 also installs the background service.\n"), "{install}");
    // A stub to a page of the release is an alias of it.
    assert!(install.contains("aliases:\n- oldstub"), "{install}");
    // A stub elsewhere stays a page with its link.
    assert!(art("moved.md").contains("[Moved Page](https://www.example.com/site/moved.html)"));
    // A label-only heading is a section article, the parent of its entries.
    assert!(art("gettingstarted.md").contains("title: Getting Started"));
    assert!(install.contains("parent: gettingstarted"));
    // A note opened inside a paragraph is a typed note; code paragraphs one block.
    let setup = art("setup@24.3.md");
    assert!(setup.contains("> [!NOTE]\n> Note: Changes apply after a restart."), "{setup}");
    assert!(setup.contains("```\nacme --setup\nacme --check && acme --start\n```"), "{setup}");
    // Pages that appear or disappear get since/until; a rename gets an alias.
    assert!(art("legacy.md").contains("until: '23.2'"));
    assert!(art("newfeature.md").contains("since: '24.3'"));
    assert!(art("reportsnew.md").contains("aliases:\n- reportsold"));
    // Each page decoded by its own charset.
    assert!(art("export.md").contains("caf\u{e9}-na\u{ef}ve.csv \u{2013} one row"));
    assert!(art("orphan.md").contains("Espa\u{f1}ol"));
    // Version folders keep their names.
    assert_eq!(fs::read_to_string(into.join("versions/24.3.yaml")).unwrap(), "path: manual243\n");
    // The report lists what could not stay a link.
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(into.join("import-report.json")).unwrap()).unwrap();
    let reported = report["reported_links"].as_array().unwrap();
    assert!(reported.iter().any(|r| r["href"] == "gone.html"
        && r["reason"] == "no such page in this release"
        && r["became"] == "https://www.opendental.com/manual232/gone.html"));
    assert!(reported
        .iter()
        .any(|r| r["href"] == "../site/pricing.html" && r["became"] == "https://www.opendental.com/site/pricing.html"));
    assert!(reported.iter().any(|r| r["href"] == "images/missing.png"));
    assert!(report["not_in_toc"].as_array().unwrap().iter().any(|p| p[1] == "orphan"));
    assert!(report["toc_problems"].as_array().unwrap().iter().any(|p| p["label"] == "A page this snapshot lacks"));
    assert_eq!(report["image_revisions"], 1);
}

#[test]
fn the_same_input_gives_the_same_tree() {
    let (_a, first) = import_fixture();
    let (_b, second) = import_fixture();
    fs::remove_dir_all(first.join("site")).unwrap();
    fs::remove_dir_all(second.join("site")).unwrap();
    assert!(common::tree(&first) == common::tree(&second), "two imports differ");
}

fn import(args: &[&str]) -> std::process::Output {
    Command::new(common::bin()).arg("import").arg("html").args(args).output().unwrap()
}

#[test]
fn bad_input_is_refused_with_the_file_named_and_nothing_written() {
    let f = fixture_dir();
    let v232 = format!("23.2={}", f.join("manual232").display());
    let tmp = tempfile::tempdir().unwrap();
    // A non-empty --into.
    fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let into = tmp.path().display().to_string();
    let out = import(&["--version", &v232, "--into", &into, "--content", "div.GeneralPageContent"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--into must be an empty folder"));
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    // A version named twice, and a missing folder.
    let target = tmp.path().join("out").display().to_string();
    let v232b = format!("23.02={}", f.join("manual243").display());
    let out = import(&[
        "--version",
        &v232,
        "--version",
        &v232b,
        "--version",
        "9.9=/nonexistent/m99",
        "--into",
        &target,
        "--content",
        "p",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("version '23.02' is named twice"), "{err}");
    assert!(err.contains("/nonexistent/m99: snapshot folder does not exist"), "{err}");
    assert!(!tmp.path().join("out").exists());
    // No table of contents where one is named.
    let out = import(&[
        "--version",
        &v232,
        "--into",
        &target,
        "--content",
        "div.GeneralPageContent",
        "--toc",
        "resources/none.js",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("resources/none.js: no table of contents found"));
    assert!(!tmp.path().join("out").exists());
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging folder is left behind");
}

/// The same check on real snapshots (the folder holding manual232/ and manual243/):
/// `FOLIO_IMPORT_SNAPSHOTS=DIR cargo test --release --test import -- --ignored`.
#[test]
#[ignore]
fn real_snapshots_round_trip() {
    let Some(dir) = std::env::var_os("FOLIO_IMPORT_SNAPSHOTS") else {
        panic!("set FOLIO_IMPORT_SNAPSHOTS to the folder holding manual232/ and manual243/");
    };
    let tmp = tempfile::tempdir().unwrap();
    let into = tmp.path().join("manual");
    let out = run_recipe(Path::new(&dir), &into);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    println!("{}", String::from_utf8_lossy(&out.stdout));
    let (checked, problems) = check_round_trip(Path::new(&dir), &into.join("site"));
    println!("{checked} pages checked, {} problems", problems.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn sentences_split_at_blocks() {
    let doc = Html::parse_fragment("<ul><li>A = Read</li></ul><p><div class=\"Note\">Note: B is here. C too.</div>");
    let s = sentences(&text_of(doc.root_element()));
    assert_eq!(s, ["A = Read", "Note: B is here.", "C too."]);
}
