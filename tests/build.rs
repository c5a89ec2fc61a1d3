//! `folio build` and `folio check` on fixture manuals: pages, links, menu, tree, banner,
//! atomic output, determinism, and every bad input's message.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn build_ok(root: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec!["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"];
    args.extend_from_slice(extra);
    let o = run(root, &args);
    assert!(o.status.success(), "build failed: {}", String::from_utf8_lossy(&o.stderr));
}

fn built_basic() -> (tempfile::TempDir, std::path::PathBuf) {
    let m = fixture("basic");
    let out = m.path().join("out");
    build_ok(m.path(), &out, &[]);
    (m, out)
}

/// No temporary `.folio-*` folder is left beside the output (in `dir`).
fn assert_no_leftovers(dir: &Path) {
    let leftovers: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".folio"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Every relative href/src in every HTML file points at a file that exists.
fn assert_links_resolve(site: &Path) {
    let files = tree(site);
    let mut checked = 0;
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                let url = &rest[..rest.find('"').unwrap()];
                if url.is_empty() || url.starts_with('#') || url.contains("://") || url.starts_with("mailto:") {
                    continue;
                }
                assert!(!url.starts_with('/'), "{rel}: absolute link {url}");
                let path = url.split(['#', '?']).next().unwrap();
                let mut parts: Vec<String> = dir.iter().map(|s| s.to_string_lossy().into_owned()).collect();
                for seg in path.split('/') {
                    match seg {
                        ".." => {
                            assert!(parts.pop().is_some(), "{rel}: link {url} leaves the site");
                        }
                        "." | "" => {}
                        s => parts.push(s.to_string()),
                    }
                }
                let target = parts.join("/");
                assert!(files.contains_key(&target), "{rel}: link {url} -> {target} does not exist");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn sample_manual_builds_every_version_with_the_right_revision() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build_ok(&repo_root(), &site, &[]);
    let versions: serde_json::Value = serde_json::from_str(&read(site.join("versions.json"))).unwrap();
    let built = versions.as_array().unwrap().iter().filter(|v| v.get("path").is_some()).count();
    assert_eq!(built, 36);
    let old = read(site.join("manual164/portaltroubleshooting.html"));
    let new = read(site.join("manual243/portaltroubleshooting.html"));
    assert!(old.contains("OpenDentCustListener"));
    assert!(!new.contains("OpenDentCustListener"));
    assert!(new.contains("eConnector"));
    // The 13.1 password note is an only-block for the early versions.
    assert!(read(site.join("manual154/portaltroubleshooting.html")).contains("13.1"));
    assert!(!main_of(&read(site.join("manual164/portaltroubleshooting.html"))).contains("version 13.1 or earlier"));
    assert!(read(site.join("index.html")).contains("manual243/index.html"));
    assert_links_resolve(&site);
}

#[test]
fn revisions_only_blocks_and_code_blocks() {
    let (_m, out) = built_basic();
    let v10 = read(out.join("w10/setup.html"));
    let v11 = read(out.join("w11/setup.html"));
    let v20 = read(out.join("w20/setup.html"));
    assert!(main_of(&v10).contains("legacy runtime"));
    assert!(!main_of(&v11).contains("legacy runtime"));
    assert!(main_of(&v10).contains("<h1>Setup</h1>"));
    assert!(main_of(&v20).contains("<h1>Installing the Widget</h1>"));
    // A marker inside a code block is text, not a marker.
    assert!(v10.contains("&lt;!-- only 9.9 --&gt;"));
    assert!(v10.contains("this is code, not a marker"));
    // Markers never reach the output.
    assert!(!v10.contains("<!-- only"));
}

#[test]
fn links_images_and_aliases_resolve_relatively() {
    let (_m, out) = built_basic();
    let v10 = read(out.join("w10/setup.html"));
    assert!(v10.contains(r#"src="../media/img/diagram.svg""#), "{}", main_of(&v10));
    assert!(out.join("media/img/diagram.svg").is_file());
    // A link written to an alias goes straight to the article.
    let v20 = read(out.join("w20/setup.html"));
    assert!(main_of(&v20).contains(r#"href="connector.html""#));
    let start = read(out.join("w20/start.html"));
    assert!(main_of(&start).contains(r#"href="connector.html#ports""#));
    // The alias gets a redirect page in every version.
    let redirect = read(out.join("w10/listener.html"));
    assert!(redirect.contains(r#"url=connector.html""#), "{redirect}");
    assert_links_resolve(&out);
}

#[test]
fn version_menu_banner_and_canonical() {
    let (_m, out) = built_basic();
    let cloud = read(out.join("w20/cloud.html"));
    // Same page in 1.1, that version's home in 1.0 (marked), external entry listed.
    assert!(cloud.contains(r#"<a href="../w11/cloud.html">v1.1</a>"#), "{cloud}");
    assert!(cloud.contains(r#"<li class="missing"><a href="../w10/index.html">v1.0 <small>"#), "{cloud}");
    assert!(cloud.contains(r#"href="https://example.com/beta/">v3.0 beta"#));
    // The menu is the top bar's <details>, its summary named for screen readers.
    assert!(
        cloud.contains(
            "<details><summary aria-label=\"Version v2.0\">v2.0</summary><div class=\"vmenu\"><p>Current<ul>"
        ),
        "{cloud}"
    );
    // This version is listed, marked and not linked; the versions are grouped by status.
    assert!(
        cloud.contains(
            "<li aria-current=\"true\">v2.0</ul><p>Supported<ul><li><a href=\"../w11/cloud.html\">v1.1</a></ul><p>Archived<ul>"
        ),
        "{cloud}"
    );
    // The latest version has no banner; older ones link to the same page in the latest.
    assert!(!cloud.contains("<div role=\"note\">"));
    let setup10 = read(out.join("w10/setup.html"));
    assert!(setup10.contains(r#"<div role="note">You are reading the manual for v1.0"#), "{setup10}");
    assert!(setup10.contains(r#"<a href="../w20/setup.html">Read this page in the latest version (v2.0)</a>"#));
    let legacy = read(out.join("w11/legacy.html"));
    assert!(legacy.contains(r#"<a href="../w20/index.html">Go to the latest version (v2.0)</a>"#));
    // Canonical: the newest version that has the article.
    assert!(legacy.contains(r#"<link rel="canonical" href="https://docs.example.com/widget/w11/legacy.html">"#));
    assert!(setup10.contains(r#"<link rel="canonical" href="https://docs.example.com/widget/w20/setup.html">"#));
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://docs.example.com/widget/w20/cloud.html</loc>"));
}

#[test]
fn nav_tree_breadcrumb_prev_next_and_children() {
    let (_m, out) = built_basic();
    let cloud = read(out.join("w20/cloud.html"));
    let connector = read(out.join("w20/connector.html"));
    // The static tree holds the page and its siblings, the page marked (list items end
    // where the next one starts: no `</li>`); the breadcrumb holds the path up and "In
    // this section" the children, so no link is on the page twice.
    let tree_of = |page: &str| {
        let at = page.find("<nav id=\"tree\"").expect("a tree");
        page[at..at + page[at..].find("</nav>").unwrap()].to_string()
    };
    assert_eq!(
        tree_of(&connector),
        "<nav id=\"tree\" aria-label=\"Contents\"><ul><li><a href=\"setup.html\">Installing the Widget</a>\
         <li><a href=\"connector.html\" aria-current=\"page\">Connector</a></ul>"
    );
    assert_eq!(
        tree_of(&cloud),
        "<nav id=\"tree\" aria-label=\"Contents\"><ul><li><a href=\"cloud.html\" aria-current=\"page\">Cloud Sync</a></ul>"
    );
    // Pages outside the tree hold the top level.
    assert!(
        tree_of(&read(out.join("w20/changes.html"))).contains("<ul><li><a href=\"start.html\">Widget Manual</a></ul>")
    );
    assert!(main_of(&cloud).contains(r#"<ol><li><a href="start.html">Widget Manual</a><li><a href="connector.html">Connector</a><li aria-current="page">Cloud Sync</ol>"#));
    assert!(main_of(&cloud).contains(r#"<a rel="prev" href="connector.html">"#));
    assert!(main_of(&connector).contains(
        "<section class=\"children\"><h2>In this section</h2>\n<ul><li><a href=\"cloud.html\">Cloud Sync</a></ul>"
    ));
    assert!(main_of(&connector).contains(r#"<a rel="next" href="cloud.html">"#));
    // The whole tree is a shared script, not repeated in pages.
    let nav = fs::read_dir(out.join("w20"))
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("nav."))
        .unwrap();
    let js = read(nav.path());
    assert!(js.contains(r#"["cloud","Cloud Sync",2]"#), "{js}");
    assert!(cloud.contains(&format!("src=\"{}\"", nav.file_name().to_string_lossy())));
}

#[test]
fn pages_load_one_stylesheet_and_one_script_which_builds_on_this_page() {
    let (_m, out) = built_basic();
    let connector = read(out.join("w20/connector.html"));
    // The headings keep their ids; folio.js lists them as "On this page" (tests/browser),
    // so the page's HTML does not.
    assert!(
        main_of(&connector).contains("<h2 id=\"ports\"><a class=\"anchor\" href=\"#ports\">Ports</a></h2>"),
        "{connector}"
    );
    assert!(!connector.contains("on-this-page") && !connector.contains("On this page"), "{connector}");
    // The theme's files are joined: one stylesheet and one script, plus the nav tree.
    // (assets/search/ holds search's table of the versions each term is in)
    let mut assets: Vec<String> = fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "search")
        .collect();
    // Comparing versions: its script and the manual's timeline, which only the
    // what-changed pages load.
    for part in ["compare.", "timeline."] {
        let at = assets.iter().position(|n| n.starts_with(part) && n.ends_with(".js"));
        assets.remove(at.unwrap_or_else(|| panic!("{part}<hash>.js in {assets:?}")));
        assert!(!connector.contains(part), "{connector}");
    }
    assets.sort_by_key(|n| n.ends_with(".js"));
    // The theme's icon: browsers ask for one, so every page names it (no favicon.ico 404).
    let icon = assets.remove(assets.iter().position(|n| n.starts_with("favicon.")).expect("the theme's icon"));
    assert!(connector.contains(&format!("<link rel=\"icon\" href=\"../assets/{icon}\">")), "{connector}");
    assert_eq!(assets.len(), 2, "{assets:?}");
    let (css, js) = (&assets[0], &assets[1]);
    assert!(css.starts_with("folio.") && css.ends_with(".css") && js.starts_with("folio.") && js.ends_with(".js"));
    assert_eq!(connector.matches("<link rel=\"stylesheet\"").count(), 1);
    assert!(connector.contains(&format!("<link rel=\"stylesheet\" href=\"../assets/{css}\">")));
    assert_eq!(connector.matches("<script src=").count(), 2);
    assert!(connector.contains(&format!("<script src=\"../assets/{js}\" defer></script>")));
    let script = read(out.join("assets").join(js));
    assert!(script.contains("function onThisPage()") && script.contains("var S = win.__S"), "folio.js with search.js");
    assert!(read(out.join("assets").join(css)).contains(".search-pop"), "folio.css with search.css");
}

#[test]
fn same_input_gives_identical_output_also_single_threaded() {
    let m = fixture("basic");
    let a = m.path().join("a");
    let b = m.path().join("b");
    build_ok(m.path(), &a, &[]);
    build_ok(m.path(), &b, &["--jobs", "1"]);
    let ta = tree(&a);
    let tb = tree(&b);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(tb[k] == *v, "{k} differs between builds");
    }
    for (k, v) in &ta {
        let s = String::from_utf8_lossy(v);
        assert!(!s.contains(&m.path().display().to_string()), "{k} holds an absolute path");
    }
}

#[test]
fn failed_build_leaves_previous_site_untouched() {
    let (m, out) = built_basic();
    let before = tree(&out);
    fs::write(m.path().join("articles/cloud.md"), "---\ntitle: Cloud\nparent: connector\n---\n\n[x](nowhere.md)\n")
        .unwrap();
    let o = run(m.path(), &["build", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o, m.path()).contains("articles/cloud.md:6: version 1.0..2.0: link target 'nowhere' does not exist")
    );
    assert_eq!(tree(&out), before);
    assert_no_leftovers(m.path());
}

/// Builds the manual in `root` again into `out`, checks that the result is exactly a
/// fresh build and that nothing temporary is left behind, and returns the new site.
fn rebuild(root: &Path, out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    build_ok(root, out, &[]);
    let site = tree(out);
    let fresh = root.join("fresh");
    build_ok(root, &fresh, &[]);
    assert_eq!(site, tree(&fresh), "the rebuilt site is exactly a fresh build");
    assert_no_leftovers(root);
    site
}

#[test]
fn a_rebuild_replaces_the_previous_site_and_leaves_nothing_behind() {
    let (m, out) = built_basic();
    let first = tree(&out);
    // An article that goes away: its pages must not survive the next build.
    let gone = m.path().join("articles/cloud.md");
    assert!(gone.is_file(), "the fixture has articles/cloud.md");
    fs::remove_file(&gone).unwrap();
    let second = rebuild(m.path(), &out);
    assert_ne!(first, second);
}

#[test]
fn a_rebuild_keeps_unchanged_files_as_they_were() {
    let (m, out) = built_basic();
    let first = tree(&out);
    // Backdate every file: whatever the rebuild writes anew gets the current time.
    let past = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    for rel in first.keys() {
        fs::File::options().write(true).open(out.join(rel)).unwrap().set_modified(past).unwrap();
    }
    let article = m.path().join("articles/start.md");
    let text = read(&article);
    fs::write(&article, format!("{text}\nA paragraph added since the last build.\n")).unwrap();
    let second = rebuild(m.path(), &out);
    let (mut kept, mut renewed) = (Vec::new(), Vec::new());
    for (rel, bytes) in &second {
        let modified = fs::metadata(out.join(rel)).unwrap().modified().unwrap();
        if first.get(rel) == Some(bytes) {
            assert_eq!(modified, past, "{rel} did not change, yet it was written again");
            kept.push(rel.as_str());
        } else {
            assert_ne!(modified, past, "{rel} changed: it must have been written");
            renewed.push(rel.as_str());
        }
    }
    assert!(renewed.iter().any(|r| r.ends_with("/start.html")), "the edited article's page was rewritten: {renewed:?}");
    assert!(kept.len() > renewed.len(), "most files were unchanged: kept {kept:?}, renewed {renewed:?}");
}

#[test]
fn one_version_only() {
    let m = fixture("basic");
    let out = m.path().join("out");
    build_ok(m.path(), &out, &["--version", "1.1"]);
    assert!(out.join("w11/cloud.html").is_file());
    assert!(!out.join("w20").exists());
    assert!(!out.join("w10").exists());
    assert!(read(out.join("index.html")).contains("w11/index.html"));
    let o = run(m.path(), &["build", "--version", "7.7"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o, m.path()).contains("unknown version '7.7'"));
}

#[test]
fn check_validates_and_writes_nothing() {
    let m = fixture("basic");
    let o = run(m.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o, m.path()));
    assert!(!m.path().join("site").exists());
    fs::write(m.path().join("articles/bad.md"), "no front matter\n").unwrap();
    let o = run(m.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!m.path().join("site").exists());
}

#[test]
fn refuses_to_replace_a_folder_that_is_not_a_site() {
    let m = fixture("basic");
    let precious = m.path().join("precious");
    fs::create_dir_all(&precious).unwrap();
    fs::write(precious.join("notes.txt"), "keep me").unwrap();
    let o = run(m.path(), &["build", "--out", "precious"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o, m.path()).contains("refusing to replace"));
    assert_eq!(read(precious.join("notes.txt")), "keep me");
    let o = run(m.path(), &["build", "--out", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o, m.path()).contains("contains the manual's source"));
}

#[test]
fn new_writes_a_starter_manual_that_builds() {
    let d = tempfile::tempdir().unwrap();
    let o = run(d.path(), &["new", "docs"]);
    assert!(o.status.success());
    let root = d.path().join("docs");
    let o = run(&root, &["build"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(read(root.join("site/v1.0/install.html")).contains("legacy runtime"));
    assert!(!read(root.join("site/v2.0/install.html")).contains("legacy runtime"));
    let o = run(d.path(), &["new", "docs"]);
    assert_eq!(o.status.code(), Some(2));
}

const VERSIONS: &[(&str, &str)] = &[("versions/1.0.yaml", ""), ("versions/2.0.yaml", ""), ("versions/3.0.yaml", "")];

/// Builds a manual made of the three versions and `files`; expects exit 1, the given
/// lines in stderr, and no output folder.
fn assert_errors(files: &[(&str, &str)], expected: &[&str]) {
    let mut all: Vec<(&str, &str)> = VERSIONS.to_vec();
    all.push(("articles/home.md", "---\ntitle: Home\n---\nHome.\n"));
    all.extend_from_slice(files);
    let m = manual(&all);
    let o = run(m.path(), &["build"]);
    let err = stderr(&o, m.path());
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    for line in expected {
        assert!(err.lines().any(|l| l == *line), "missing line {line:?} in:\n{err}");
    }
    assert!(!m.path().join("site").exists(), "a failed build wrote output");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn invalid_yaml() {
    assert_errors(
        &[
            ("articles/a.md", "---\ntitle: A\nkeywords: [a, b\nparent: x\n---\n"),
            ("articles/b.md", "---\ntitle: B\norder: first\n---\n"),
        ],
        &[
            "articles/a.md:4: invalid front matter: did not find expected ',' or ']'",
            "articles/b.md:3: invalid front matter: order: invalid type: string \"first\", expected i64",
        ],
    );
}

#[test]
fn missing_or_empty_front_matter_and_title() {
    assert_errors(
        &[
            ("articles/a.md", "Just text.\n"),
            ("articles/b.md", "---\n---\nBody\n"),
            ("articles/c.md", "---\nparent: home\n---\n"),
            ("articles/d.md", "---\ntitle: D\n"),
        ],
        &[
            "articles/a.md:1: missing front matter: start the file with a '---' line, 'title: ...', and another '---' line",
            "articles/b.md:1: front matter is empty: 'title' is required",
            "articles/c.md:1: missing 'title' in front matter",
            "articles/d.md:1: front matter is not closed: add a line '---' after the YAML block",
            "4 errors, 0 warnings",
        ],
    );
}

#[test]
fn invalid_utf8() {
    let m = manual(&[("versions/1.0.yaml", ""), ("articles/home.md", "---\ntitle: Home\n---\n")]);
    fs::write(m.path().join("articles/bad.md"), b"---\ntitle: Bad\n---\nline\n\xff\xfe\n").unwrap();
    let o = run(m.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o, m.path()).contains("articles/bad.md:5: file is not valid UTF-8"), "{}", stderr(&o, m.path()));
}

#[test]
fn unknown_versions_and_since_after_until() {
    assert_errors(
        &[
            ("articles/a.md", "---\ntitle: A\nsince: 1.5\n---\n"),
            ("articles/b.md", "---\ntitle: B\nuntil: 9.0\n---\n"),
            ("articles/c@2.5.md", "---\ntitle: C\n---\n"),
            ("articles/d.md", "---\ntitle: D\nsince: 3.0\nuntil: 2.0\n---\n"),
        ],
        &[
            "articles/a.md:3: unknown version '1.5' in 'since' (no versions/1.5.yaml)",
            "articles/b.md:3: unknown version '9.0' in 'until' (no versions/9.0.yaml)",
            "articles/c@2.5.md: unknown version '2.5' after '@' in the file name (no versions/2.5.yaml)",
            "articles/d.md:4: 'until: 2.0' is before 'since: 3.0'",
        ],
    );
}

#[test]
fn duplicate_revisions_and_slugs() {
    assert_errors(
        &[
            ("articles/a.md", "---\ntitle: A\n---\n"),
            ("articles/x/a@2.0.md", "---\ntitle: A2\n---\n"),
            ("articles/y/a@2.0.md", "---\ntitle: A2 again\n---\n"),
            ("articles/one/b.md", "---\ntitle: B\n---\n"),
            ("articles/two/b.md", "---\ntitle: B too\n---\n"),
        ],
        &[
            "articles/y/a@2.0.md: duplicate revision of 'a' for version 2.0: also articles/x/a@2.0.md",
            "articles/two/b.md: duplicate slug 'b': also defined by articles/one/b.md",
        ],
    );
}

#[test]
fn alias_clashing_with_a_slug() {
    assert_errors(
        &[("articles/a.md", "---\ntitle: A\naliases: [home]\n---\n")],
        &["articles/a.md:3: alias 'home' is also the slug of an article that exists in the same versions (1.0..3.0)"],
    );
}

#[test]
fn unknown_parent_and_parent_cycle() {
    assert_errors(
        &[
            ("articles/a.md", "---\ntitle: A\nparent: nothere\n---\n"),
            ("articles/b.md", "---\ntitle: B\nparent: c\n---\n"),
            ("articles/c.md", "---\ntitle: C\nparent: b\n---\n"),
        ],
        &[
            "articles/a.md:3: version 1.0..3.0: unknown parent 'nothere': no article has that slug",
            "articles/b.md:3: version 1.0..3.0: parent cycle: b -> c -> b",
            "articles/c.md:3: version 1.0..3.0: parent cycle: b -> c -> b",
        ],
    );
}

#[test]
fn unclosed_and_malformed_only_blocks() {
    assert_errors(
        &[
            ("articles/a.md", "---\ntitle: A\n---\nText\n<!-- only 1.0..2.0 -->\nMore\n"),
            ("articles/b.md", "---\ntitle: B\n---\n<!-- only 1.0-2.0 -->\nx\n<!-- /only -->\n<!-- /only -->\n"),
            ("articles/c.md", "---\ntitle: C\n---\n<!-- only 1.5.. -->\nx\n<!-- /only -->\n"),
        ],
        &[
            "articles/a.md:5: only-block is never closed: add '<!-- /only -->'",
            "articles/b.md:4: malformed only-block range '1.0-2.0': write A..B, A.. or ..B with version names",
            "articles/b.md:6: '<!-- /only -->' without an opening '<!-- only A..B -->'",
            "articles/c.md:4: unknown version '1.5' in only-block (known: 1.0..3.0)",
        ],
    );
}

#[test]
fn link_to_an_article_removed_in_that_version() {
    assert_errors(
        &[
            ("articles/old.md", "---\ntitle: Old\nuntil: 1.0\n---\n"),
            ("articles/a.md", "---\ntitle: A\n---\nSee\n[old](old.md).\n"),
            ("articles/b.md", "---\ntitle: B\n---\n[x](home.md#nope)\n"),
        ],
        &[
            "articles/a.md:5: version 2.0..3.0: link target 'old' was removed before this version (it exists in 1.0)",
            "articles/b.md:4: version 1.0..3.0: link target 'home#nope': no heading with id 'nope' in this version (headings here: none)",
        ],
    );
}

#[test]
fn slugs_and_paths_that_would_escape_the_output() {
    let m = manual(&[
        ("versions/1.0.yaml", "path: ../outside\n"),
        ("versions/2.0.yaml", "path: v2\n"),
        ("articles/home.md", "---\ntitle: Home\n---\n"),
        ("articles/bad name.md", "---\ntitle: Bad\n---\n"),
        ("articles/search.md", "---\ntitle: Search\n---\n"),
    ]);
    let o = run(m.path(), &["build"]);
    let err = stderr(&o, m.path());
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("versions/1.0.yaml: output path '../outside' must be one folder name"), "{err}");
    assert!(err.contains("articles/bad name.md: slug 'bad name' may contain only letters"), "{err}");
    assert!(!err.contains("articles/search.md"), "an article may be named search: {err}");
    assert!(!m.path().join("site").exists());
    assert!(!m.path().parent().unwrap().join("outside").exists());
}

/// Writers may name articles `search`, `changes`, `diff`, `404` or `index`: the article
/// keeps `<slug>.html` and folio's own page takes a name no slug can have.
#[test]
fn reserved_names_are_free_for_articles() {
    let m = manual(&[
        ("manual.yaml", "title: Names\n"),
        ("versions/1.0.yaml", ""),
        ("versions/2.0.yaml", ""),
        (
            "articles/index.md",
            "---\ntitle: Start Here\n---\nSee [Search Tips](search.md) and [the diff tool](diff.md).\n",
        ),
        ("articles/search.md", "---\ntitle: Search Tips\nparent: index\n---\nUse quotes.\n"),
        ("articles/changes.md", "---\ntitle: Changes to Fees\nparent: index\n---\nFees rose.\n"),
        ("articles/diff.md", "---\ntitle: Diff Tool\nparent: index\n---\nCompare files.\n"),
        ("articles/404.md", "---\ntitle: Error 404\nparent: index\nsince: '2.0'\n---\nThe server said 404.\n"),
    ]);
    let o = run(m.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o, m.path()));
    let page = |p: &str| fs::read_to_string(m.path().join("site").join(p)).unwrap_or_else(|_| panic!("{p}"));
    // The articles keep their names; the home page is the article named index.
    assert!(page("v2.0/index.html").contains("<h1>Start Here</h1>"));
    assert!(page("v2.0/search.html").contains("<h1>Search Tips</h1>"));
    assert!(page("v2.0/changes.html").contains("<h1>Changes to Fees</h1>"));
    assert!(page("v2.0/diff.html").contains("<h1>Diff Tool</h1>"));
    assert!(page("v2.0/404.html").contains("<h1>Error 404</h1>"));
    // folio's own pages move aside, and every page links to them there.
    assert!(page("v2.0/~search.html").contains("role=\"search\""));
    assert!(page("v2.0/~changes.html").contains("What changed"));
    assert!(page("v2.0/~404.html").contains("Page not found") || page("v2.0/~404.html").contains("not found"));
    let start = page("v2.0/index.html");
    assert!(start.contains("action=\"~search.html\"") && start.contains("href=\"~changes.html\""), "{start}");
    assert!(!m.path().join("site/v1.0/404.html").exists() || page("v1.0/404.html").contains("Page not found"));
    // A home that is not the article named index is an error naming both.
    fs::write(m.path().join("manual.yaml"), "title: Names\nhome: search\n").unwrap();
    let o = run(m.path(), &["build"]);
    let err = stderr(&o, m.path());
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("articles/index.md: an article named 'index' is its version's index.html, the home page, but manual.yaml makes 'search' the home"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let m = fixture("basic");
    let o = run(m.path(), &["build", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(m.path(), &["build", "--root", "does-not-exist"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn verbose_prints_each_stage_and_the_peak_memory() {
    let m = fixture("basic");
    let out = m.path().join("verbose-out");
    let run = run(m.path(), &["build", "--out", out.to_str().unwrap(), "--verbose"]);
    assert!(run.status.success(), "{}", stderr(&run, m.path()));
    let err = String::from_utf8_lossy(&run.stderr);
    for stage in ["load", "model", "markdown", "links", "write"] {
        assert!(err.lines().any(|l| l.trim_start().starts_with(stage) && l.ends_with(" ms")), "{stage}: {err}");
    }
    if cfg!(target_os = "linux") {
        let mb = err.lines().find_map(|l| l.trim().strip_prefix("peak memory ")?.strip_suffix(" MB"));
        assert!(mb.and_then(|n| n.parse::<u64>().ok()).is_some_and(|n| n > 0), "{err}");
    }
}

#[test]
fn out_symlink_to_earlier_site_is_built_into_safely() {
    let m = fixture("basic");
    let www = m.path().join("www");
    let target = www.join("manual");
    build_ok(m.path(), &target, &[]);
    fs::write(www.join("other.txt"), "another site's file").unwrap();
    let link = m.path().join("site");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    fs::write(m.path().join("articles/intro.md"), "---\ntitle: Introduction\n---\n\nRebuilt through the link.\n")
        .unwrap();
    let o = run(m.path(), &["build", "--out", "site", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o, m.path()));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced by a folder");
    assert!(target.join("versions.json").is_file(), "the link's target lost the site");
    assert!(tree(&target).iter().any(|(_, b)| String::from_utf8_lossy(b).contains("Rebuilt through the link")));
    assert_eq!(read(www.join("other.txt")), "another site's file");
    let leftovers: Vec<_> = fs::read_dir(&www).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");

    // A link to a folder that is not a site is refused, and nothing behind it changes.
    let mine = m.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("notes.txt"), "keep me").unwrap();
    let link2 = m.path().join("site2");
    std::os::unix::fs::symlink(&mine, &link2).unwrap();
    let o = run(m.path(), &["build", "--out", "site2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o, m.path()).contains("refusing to replace"), "{}", stderr(&o, m.path()));
    assert_eq!(read(mine.join("notes.txt")), "keep me");
    assert_eq!(fs::read_dir(&mine).unwrap().count(), 1);
}

#[test]
fn folder_with_versions_json_not_written_by_folio_is_refused() {
    let m = fixture("basic");
    // Another tool's folder that happens to hold a versions.json.
    let other = m.path().join("docs-site");
    fs::create_dir(&other).unwrap();
    fs::write(other.join("versions.json"), "[\"2.0\", \"1.0\"]\n").unwrap();
    fs::write(other.join("notes.txt"), "keep me").unwrap();
    let o = run(m.path(), &["build", "--out", "docs-site"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o, m.path()).contains("is not a folio site"), "{}", stderr(&o, m.path()));
    assert_eq!(read(other.join("notes.txt")), "keep me");

    // A folio site someone added a file to: replacing it would delete the file.
    let out = m.path().join("out");
    build_ok(m.path(), &out, &[]);
    assert!(read(out.join(".folio-site")).lines().any(|l| l == "versions.json"));
    fs::write(out.join("CNAME"), "docs.example.com").unwrap();
    let o = run(m.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o, m.path()).contains("CNAME"), "{}", stderr(&o, m.path()));
    assert_eq!(read(out.join("CNAME")), "docs.example.com");
    fs::remove_file(out.join("CNAME")).unwrap();
    build_ok(m.path(), &out, &[]);

    // A site written before the manifest existed is still recognised by its shape.
    fs::remove_file(out.join(".folio-site")).unwrap();
    build_ok(m.path(), &out, &[]);
    assert!(out.join(".folio-site").is_file());
}

#[test]
fn interrupted_build_staging_folders_are_removed_by_the_next_build() {
    let m = fixture("basic");
    let out = m.path().join("out");
    // What a build killed outright leaves: its staging folder, marked with its process.
    let dead = m.path().join(".folio-build-AbC123");
    fs::create_dir_all(dead.join("v1")).unwrap();
    fs::write(dead.join("v1/a.html"), "half written").unwrap();
    fs::write(
        dead.join(".folio-site"),
        "# folio site: the files below were written by folio build\n# building in process 4294967295\n",
    )
    .unwrap();
    // Killed before its mark: empty.
    fs::create_dir(m.path().join(".folio-build-empty")).unwrap();
    // A folder with the name but not folio's: left alone.
    let foreign = m.path().join(".folio-build-mine");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "keep me").unwrap();
    build_ok(m.path(), &out, &[]);
    assert!(!dead.exists(), "the interrupted build's folder is still there");
    assert!(!m.path().join(".folio-build-empty").exists());
    assert_eq!(read(foreign.join("notes.txt")), "keep me");
}

#[test]
fn interrupted_build_by_sigint_removes_its_staging_folder() {
    // Enough pages that the build is still writing when the signal comes.
    let mut files = vec![("versions/1.0.yaml".to_string(), String::new()), ("versions/2.0.yaml".into(), String::new())];
    for i in 0..3000 {
        files.push((
            format!("articles/a{i}.md"),
            format!("---\ntitle: Article {i}\n---\n\nText {i} [next](a{}.md).\n", (i + 1) % 3000),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let m = manual(&refs);
    let child = std::process::Command::new(bin())
        .args(["build", "--quiet", "--out", "site"])
        .current_dir(m.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = || {
        fs::read_dir(m.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().starts_with(".folio-build-"))
    };
    let start = std::time::Instant::now();
    while !staging() && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let mut child = child;
    if !staging() {
        let _ = child.wait();
        panic!("the build never made its staging folder");
    }
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    if status.success() {
        // The build won the race; nothing to check.
        return;
    }
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(!staging(), "the interrupted build left its staging folder");
    assert!(!m.path().join("site").exists());
}

#[test]
fn theme_is_a_name_not_a_path() {
    let m = fixture("basic");
    // Another folder's files, which `theme: ../../x` would publish.
    let secret = m.path().join("outside/static");
    fs::create_dir_all(&secret).unwrap();
    fs::write(secret.join("secret.css"), "body{}").unwrap();
    for theme in ["../outside", "../../x", "a/b", "..", "a\\\\b"] {
        fs::write(m.path().join("manual.yaml"), format!("title: Widget Manual\nhome: start\ntheme: \"{theme}\"\n"))
            .unwrap();
        let o = run(m.path(), &["build", "--out", "out"]);
        assert_eq!(o.status.code(), Some(1), "theme {theme}");
        let err = stderr(&o, m.path());
        assert!(err.contains("manual.yaml") && err.contains("must be the name of a folder under themes/"), "{err}");
        assert!(!m.path().join("out").exists());
        let o = run(m.path(), &["check"]);
        assert_eq!(o.status.code(), Some(1), "check, theme {theme}");
    }
}

#[test]
fn config_urls_must_be_http_or_relative() {
    for url in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "http:alert(1)",
        "vbscript:x",
        "java script:x",
    ] {
        let m = fixture("basic");
        fs::write(m.path().join("versions/3.0.yaml"), format!("label: \"v3.0 beta\"\nurl: \"{url}\"\n")).unwrap();
        let o = run(m.path(), &["build", "--out", "out"]);
        assert_eq!(o.status.code(), Some(1), "url {url}");
        let err = stderr(&o, m.path());
        assert!(err.contains("versions/3.0.yaml") && err.contains(&format!("url '{url}'")), "{err}");
        assert!(!m.path().join("out").exists());

        let m = fixture("basic");
        fs::write(m.path().join("manual.yaml"), format!("title: Widget Manual\nhome: start\nbase_url: \"{url}\"\n"))
            .unwrap();
        let o = run(m.path(), &["build", "--out", "out"]);
        assert_eq!(o.status.code(), Some(1), "base_url {url}");
        let err = stderr(&o, m.path());
        assert!(err.contains("manual.yaml") && err.contains(&format!("base_url '{url}'")), "{err}");
    }
    // http(s) and relative URLs are fine.
    for url in ["https://example.com/beta/", "HTTP://example.com", "../beta/", "beta/index.html"] {
        let m = fixture("basic");
        fs::write(m.path().join("versions/3.0.yaml"), format!("label: \"v3.0 beta\"\nurl: \"{url}\"\n")).unwrap();
        let o = run(m.path(), &["build", "--out", "out"]);
        assert_eq!(o.status.code(), Some(0), "url {url}: {}", stderr(&o, m.path()));
    }
}

/// A manual of one version whose `n` articles form `shape`: "siblings" (all top level),
/// "chain" (each the child of the one before) or "cycle" (a chain closed into a ring).
fn shaped_manual(shape: &str, n: usize) -> tempfile::TempDir {
    let mut files = vec![("versions/1.0.yaml".to_string(), String::new())];
    for i in 0..n {
        let parent = match shape {
            "chain" if i > 0 => format!("parent: a{}\n", i - 1),
            "cycle" => format!("parent: a{}\n", (i + n - 1) % n),
            _ => String::new(),
        };
        files.push((format!("articles/a{i}.md"), format!("---\ntitle: Article {i}\n{parent}---\n\nText {i}.\n")));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    manual(&refs)
}

fn largest_page(site: &Path) -> usize {
    fs::read_dir(site.join("v1.0"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('a'))
        .map(|p| fs::metadata(p).unwrap().len() as usize)
        .max()
        .unwrap()
}

#[test]
fn page_size_is_bounded_whatever_the_sibling_count() {
    let mut sizes = Vec::new();
    for (shape, n) in [("siblings", 100), ("siblings", 2000), ("chain", 20), ("chain", 400)] {
        let m = shaped_manual(shape, n);
        let out = m.path().join("site");
        build_ok(m.path(), &out, &[]);
        sizes.push(largest_page(&out));
    }
    // 2,000 siblings: a page holds a window of them, as at 100 (before: 75 KB against 4.5 KB).
    assert!(sizes[1] < sizes[0] + 300, "100 siblings: {} B, 2,000 siblings: {} B", sizes[0], sizes[1]);
    // A deep page's breadcrumb holds its nearest ancestors only.
    assert!(sizes[3] < sizes[2] + 300, "20 deep: {} B, 400 deep: {} B", sizes[2], sizes[3]);
}

#[test]
fn parent_cycle_detection_is_linear() {
    // A 10,000-article chain: before, check walked every page up to the top level and
    // searched the path so far at each step (cubic: never finished).
    let m = shaped_manual("chain", 10_000);
    let start = std::time::Instant::now();
    let o = run(m.path(), &["check", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o, m.path()));
    assert!(start.elapsed() < std::time::Duration::from_secs(60), "chain: {:?}", start.elapsed());

    // A 10,000-article ring: every member is reported, each message naming the cycle
    // in a bounded form.
    let m = shaped_manual("cycle", 10_000);
    let start = std::time::Instant::now();
    let o = run(m.path(), &["check", "--quiet"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(start.elapsed() < std::time::Duration::from_secs(60), "cycle: {:?}", start.elapsed());
    let err = stderr(&o, m.path());
    assert!(err.contains("10000 errors"), "{}", &err[err.len().saturating_sub(300)..]);
    assert!(err.lines().all(|l| l.len() < 300), "a message grew with the cycle");
    assert!(
        err.contains("parent cycle: a0 -> a9999 -> a9998 -> a9997 -> … -> a4 -> a3 -> a2 -> a1 -> a0 (10000 articles)")
    );

    let m = shaped_manual("cycle", 3);
    let o = run(m.path(), &["check"]);
    assert!(stderr(&o, m.path()).contains("parent cycle: a0 -> a2 -> a1 -> a0"), "{}", stderr(&o, m.path()));
}

#[test]
fn check_renders_templates_as_build_does() {
    let m = fixture("basic");
    fs::create_dir_all(m.path().join("themes/broken/templates")).unwrap();
    // Parses, fails when rendered: 42 is not a sequence.
    fs::write(
        m.path().join("themes/broken/templates/article.html"),
        "<html><body>{% for x in 42 %}{{ x }}{% endfor %}</body></html>\n",
    )
    .unwrap();
    fs::write(m.path().join("manual.yaml"), "title: Widget Manual\nhome: start\ntheme: broken\n").unwrap();
    let check = run(m.path(), &["check"]);
    let build = run(m.path(), &["build", "--out", "out"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check, m.path()));
    assert_eq!(build.status.code(), Some(1));
    let (c, b) = (stderr(&check, m.path()), stderr(&build, m.path()));
    assert!(c.contains("article.html"), "{c}");
    assert!(!c.contains("internal:") && !b.contains("internal:"), "{c}\n{b}");
    // The same problem, reported the same way.
    assert_eq!(c.lines().take(2).collect::<Vec<_>>(), b.lines().take(2).collect::<Vec<_>>());
    assert!(!m.path().join("out").exists() && !m.path().join("site").exists());
}

#[test]
fn case_only_slug_differences_are_errors_naming_both_files() {
    let m = fixture("basic");
    fs::write(m.path().join("articles/Start.md"), "---\ntitle: Start again\n---\n\nText.\n").unwrap();
    for cmd in ["check", "build"] {
        let o = run(m.path(), &[cmd]);
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        let err = stderr(&o, m.path());
        assert!(
            err.contains(
                "articles/start.md: slug 'start' differs from 'Start' (articles/Start.md) only in letter case"
            ),
            "{err}"
        );
    }
    assert!(!m.path().join("site").exists());
}

#[test]
fn version_names_that_compare_equal_are_errors_naming_both_files() {
    let m = fixture("basic");
    fs::write(m.path().join("versions/1.00.yaml"), "path: w100\n").unwrap();
    fs::write(m.path().join("versions/01.0.yaml"), "path: w010\n").unwrap();
    let o = run(m.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o, m.path());
    let same = err.lines().filter(|l| l.contains("is the same version number as")).count();
    assert_eq!(same, 2, "{err}");
    assert!(
        err.contains("versions/1.00.yaml") && err.contains("versions/01.0.yaml") && err.contains("versions/1.0.yaml"),
        "{err}"
    );
}

#[test]
fn front_matter_error_does_not_cascade_into_false_link_errors() {
    let m = fixture("basic");
    // connector.md is linked from other articles and is the parent of others.
    assert!(read(m.path().join("articles/start.md")).contains("(connector.md#ports)"));
    assert!(read(m.path().join("articles/cloud.md")).contains("parent: connector"));
    assert!(read(m.path().join("articles/guide/setup@2.0.md")).contains("(listener.md)"), "a link to its alias");
    // A wrong type, then broken YAML: either way one error, in the file itself.
    for front in ["title: Connector\norder: second\naliases: [listener]", "title: [unclosed\naliases: [listener]"] {
        fs::write(m.path().join("articles/connector.md"), format!("---\n{front}\n---\n\nText.\n")).unwrap();
        let o = run(m.path(), &["check"]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o, m.path());
        assert!(err.contains("articles/connector.md:"), "{err}");
        assert!(!err.contains("link target"), "{err}");
        assert!(!err.contains("unknown parent 'connector'"), "{err}");
        assert!(err.ends_with("1 error, 0 warnings\n"), "{err}");
    }
}

#[test]
fn every_bad_key_is_reported() {
    let m = fixture("basic");
    fs::write(m.path().join("articles/cloud.md"), "---\ntitle: Cloud\ntilte: x\norder: first\nfoo: 1\n---\n\nText.\n")
        .unwrap();
    fs::write(m.path().join("versions/1.1.yaml"), "lable: v1.1\npath: w11\nstauts: supported\n").unwrap();
    fs::write(m.path().join("manual.yaml"), "title: Widget Manual\nhom: start\nthem: x\n").unwrap();
    let o = run(m.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o, m.path());
    for expected in [
        "articles/cloud.md:3: invalid front matter: unknown field `tilte`",
        "articles/cloud.md:4: invalid front matter: order: invalid type",
        "articles/cloud.md:5: invalid front matter: unknown field `foo`",
        "versions/1.1.yaml:1: invalid version file: unknown field `lable`",
        "versions/1.1.yaml:3: invalid version file: unknown field `stauts`",
        "manual.yaml:2: invalid manual.yaml: unknown field `hom`",
        "manual.yaml:3: invalid manual.yaml: unknown field `them`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
}

#[test]
fn empty_articles_and_removed_first_file_are_warned_about() {
    let m = manual(&[("versions/1.0.yaml", ""), ("articles/.keep", "")]);
    let o = run(m.path(), &["check"]);
    let err = stderr(&o, m.path());
    assert!(err.contains("warning") && err.contains("no articles"), "{err}");

    let m = fixture("basic");
    fs::write(m.path().join("articles/cloud.md"), "---\ntitle: Cloud\nremoved: true\n---\n\nText.\n").unwrap();
    let o = run(m.path(), &["check"]);
    let err = stderr(&o, m.path());
    assert!(err.contains("articles/cloud.md:3: warning: 'removed: true' in the first file of 'cloud'"), "{err}");
}

/// The README's first two commands are what a newcomer runs; CI runs the same test
/// command, which reports every failing test binary rather than stopping at the first.
#[test]
fn first_run_readme_test_command_is_what_ci_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let block: Vec<&str> = readme.split("```").nth(1).unwrap().lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(block.len(), 2, "the README begins with exactly two commands: {block:?}");
    assert!(block[0].starts_with("cargo run --release -- build"), "{block:?}");
    assert_eq!(block[1].trim(), "cargo test --no-fail-fast");
    let ci = fs::read_to_string(root.join(".ci/run")).unwrap();
    assert!(ci.lines().any(|l| l.trim() == block[1].trim()), ".ci/run must run the README's test command");
    // The browser suite installs Debian's chromium itself when it is missing.
    let browser = fs::read_to_string(root.join("tests/browser.rs")).unwrap();
    assert!(browser.contains("\"install\", \"-y\", \"--no-install-recommends\", \"chromium\""));
}

#[test]
fn current_folder_leads_each_slug_to_the_newest_version_that_has_it() {
    let m = manual(&[
        ("manual.yaml", "title: M\ncurrent: manual\n"),
        ("versions/1.0.yaml", ""),
        ("versions/2.0.yaml", ""),
        ("versions/3.0.yaml", ""),
        ("articles/a.md", "---\ntitle: A\naliases: [old-a]\n---\nA.\n"),
        ("articles/a@3.0.md", "---\ntitle: A three\naliases: [old-a]\n---\nA in 3.\n"),
        ("articles/b.md", "---\ntitle: B\nuntil: 2.0\n---\nB.\n"),
        ("articles/c.md", "---\ntitle: C\nsince: 2.0\nuntil: 2.0\n---\nC.\n"),
    ]);
    let out = m.path().join("out");
    build_ok(m.path(), &out, &[]);
    let target = |slug: &str| {
        let html = fs::read_to_string(out.join("manual").join(format!("{slug}.html"))).unwrap();
        let at = html.find("url=").expect("a refresh") + 4;
        html[at..at + html[at..].find('"').unwrap()].to_string()
    };
    assert_eq!(target("a"), "../v3.0/a.html");
    assert_eq!(target("old-a"), "../v3.0/a.html", "an alias leads where its article is");
    assert_eq!(target("b"), "../v2.0/b.html", "an article that ended leads to its last version");
    assert_eq!(target("c"), "../v2.0/c.html");
    assert_eq!(target("index"), "../v3.0/index.html");
    assert!(fs::read_to_string(out.join("manual/a.html")).unwrap().contains("A three"));
    assert_links_resolve(&out);
    // the same from a build of some versions only: the newest of those
    let one = m.path().join("one");
    build_ok(m.path(), &one, &["--version", "1.0", "--version", "2.0"]);
    let html = fs::read_to_string(one.join("manual/a.html")).unwrap();
    assert!(html.contains("url=../v2.0/a.html"), "{html}");

    // a folder name that is a version's, or not one folder name, is refused
    for (current, message) in [
        ("v2.0", "manual.yaml: current 'v2.0' is the output folder of version 2.0; choose another name"),
        ("a/b", "manual.yaml: current 'a/b' must be one folder name of letters, digits, '.', '-' and '_' (and not one of assets, media, index.html, versions.json, sitemap.xml, 404.html)"),
        ("assets", "manual.yaml: current 'assets' must be one folder name of letters, digits, '.', '-' and '_' (and not one of assets, media, index.html, versions.json, sitemap.xml, 404.html)"),
    ] {
        fs::write(m.path().join("manual.yaml"), format!("title: M\ncurrent: {current}\n")).unwrap();
        let o = run(m.path(), &["build", "--out", "bad"]);
        let err = stderr(&o, m.path());
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.lines().any(|l| l == message), "missing {message:?} in:\n{err}");
        assert!(!m.path().join("bad").exists());
    }
}

#[test]
fn every_version_has_a_print_page_which_every_page_links() {
    let (_m, out) = built_basic();
    let files = tree(&out);
    for v in ["w10", "w11", "w20"] {
        let print = String::from_utf8_lossy(&files[&format!("{v}/print.html")]).into_owned();
        assert!(print.contains("<div class=\"print-manual\">"), "{v}");
        assert!(read(out.join(v).join("setup.html")).contains("<a href=\"print.html\">Print the manual</a>"), "{v}");
    }
    assert_links_resolve(&out);
}

#[test]
fn print_false_in_manual_yaml_leaves_print_pages_and_their_links_out() {
    let files = [
        ("manual.yaml", "title: T\nprint: false\n"),
        ("versions/1.0.yaml", ""),
        ("articles/a.md", "---\ntitle: A\n---\nSee [b](b.md).\n"),
        ("articles/b.md", "---\ntitle: B\nparent: a\n---\nBee.\n"),
    ];
    let m = manual(&files);
    let out = m.path().join("out");
    build_ok(m.path(), &out, &[]);
    let site = tree(&out);
    assert!(!site.contains_key("v1.0/print.html"));
    for (rel, bytes) in site.iter().filter(|(rel, _)| rel.ends_with(".html")) {
        assert!(!String::from_utf8_lossy(bytes).contains("print.html"), "{rel} links a print page");
    }
    // With the default, the same manual has one, and "Print this section" on a.
    fs::write(m.path().join("manual.yaml"), "title: T\n").unwrap();
    build_ok(m.path(), &out, &[]);
    assert!(out.join("v1.0/print.html").is_file());
    assert!(read(out.join("v1.0/a.html")).contains("<a href=\"print.html#section:a\">Print this section</a>"));
    assert!(!read(out.join("v1.0/b.html")).contains("Print this section"));
}

#[test]
fn an_article_named_print_keeps_its_name_and_the_print_page_becomes_tilde_print() {
    let m = manual(&[
        ("versions/1.0.yaml", ""),
        ("articles/print.md", "---\ntitle: Printing\n---\nHow to print.\n"),
        ("articles/c.md", "---\ntitle: C\n---\nSee [printing](print.md).\n"),
    ]);
    let out = m.path().join("out");
    build_ok(m.path(), &out, &[]);
    assert!(read(out.join("v1.0/print.html")).contains("<h1>Printing</h1>"));
    let own = read(out.join("v1.0/~print.html"));
    assert!(own.contains("<a href=\"#print\">Printing</a>"), "the link to the article is within the page");
    assert!(read(out.join("v1.0/c.html")).contains("<a href=\"~print.html\">Print the manual</a>"));
    assert_links_resolve(&out);
}

#[test]
fn a_manual_of_one_version_offers_no_comparison_and_two_do() {
    let files = |versions: &[&str]| {
        let mut f: Vec<(String, String)> = vec![
            ("manual.yaml".into(), "title: T\n".into()),
            ("articles/home.md".into(), "---\ntitle: Home\n---\n\nHello.\n".into()),
        ];
        for v in versions {
            f.push((format!("versions/{v}.yaml"), format!("label: v{v}\npath: v{v}\n")));
        }
        f
    };
    for (versions, menu_link) in [(&["1.0"][..], None), (&["1.0", "2.0"][..], Some("changes.html?from=1.0"))] {
        let f = files(versions);
        let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let m = common::manual(&refs);
        let out = m.path().join("site");
        build_ok(m.path(), &out, &[]);
        let first = read(out.join("v1.0/home.html"));
        match menu_link {
            None => assert!(!first.contains("vcompare"), "{first}"),
            Some(href) => assert!(first.contains(&format!("<a href=\"{href}\">Compare with v2.0</a>")), "{first}"),
        }
        // the what-changed page has its compare section either way (it says why when
        // there is nothing to compare)
        assert!(read(out.join("v1.0/changes.html")).contains("id=\"compare\""));
    }
}
