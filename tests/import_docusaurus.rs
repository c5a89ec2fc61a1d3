//! `folio import docusaurus`: a small Docusaurus site written for these tests
//! (tests/fixtures/import-docusaurus: two released versions, the current docs, an
//! archived version) imported and built; every doc of every version checked on its
//! built page, and each conversion rule on its own.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

fn site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import-docusaurus/website")
}

fn folio(args: &[&str], cwd: &Path) -> Output {
    Command::new(common::bin()).args(args).current_dir(cwd).output().unwrap()
}

fn import(into: &Path) {
    let out = folio(
        &["import", "docusaurus", site().to_str().unwrap(), "--current", "next", "--into", into.to_str().unwrap()],
        Path::new("."),
    );
    assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn import_and_build() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let into = tmp.path().join("manual");
    import(&into);
    let out = folio(&["build", "--root", into.to_str().unwrap()], Path::new("."));
    assert!(out.status.success(), "build failed: {}", String::from_utf8_lossy(&out.stderr));
    (tmp, into)
}

fn bare(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The reader's text of a doc's MDX, block by block: MDX statements, JSX tags,
/// admonition fences and `{/* */}` comments left out, the rest read as Markdown.
fn prose(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let body = md.strip_prefix("---\n").and_then(|r| r.split_once("\n---\n")).map(|(_, b)| b).unwrap_or(md);
    let mut kept = String::new();
    let mut fence = false;
    for line in body.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            fence = !fence;
        }
        let mdx = !fence
            && (t.starts_with("import ")
                || t.starts_with("export ")
                || t.starts_with(":::")
                || t.starts_with("{/*")
                || (t.starts_with('<') && t[1..].starts_with(|c: char| c.is_ascii_uppercase() || c == '/')));
        if !mdx {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut image = 0;
    for ev in Parser::new_ext(&kept, folio::render::markdown::options()) {
        match ev {
            // An image's text is its alt attribute, not page text.
            Event::Start(Tag::Image { .. }) => image += 1,
            Event::End(TagEnd::Image) => image -= 1,
            Event::Text(t) | Event::Code(t) if image == 0 => cur.push_str(&t),
            Event::SoftBreak | Event::HardBreak => cur.push(' '),
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell | Tag::CodeBlock(_))
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock,
            ) => {
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_string());
                }
                cur.clear();
            }
            _ => {}
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// The docs of one version's folder (partials left out): (slug, source), with the slug
/// Docusaurus's id gives (front matter `id`, else the file name without number prefix).
fn docs_in(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.ends_with(".md") || name.ends_with(".mdx"))
            || entry.path().components().any(|c| c.as_os_str().to_string_lossy().starts_with('_'))
        {
            continue;
        }
        let md = fs::read_to_string(entry.path()).unwrap();
        let front = md.split("---").nth(1).unwrap_or("");
        let id = front.lines().find_map(|l| l.strip_prefix("id: ")).map(str::to_string);
        let stem = name.rsplit_once('.').unwrap().0.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
        out.push((id.unwrap_or_else(|| stem.to_string()), md));
    }
    out
}

#[test]
fn every_doc_of_every_version_is_built_with_its_title_and_text() {
    let (_tmp, into) = import_and_build();
    let versions = [
        ("1.0", site().join("versioned_docs/version-1.0")),
        ("2.0", site().join("versioned_docs/version-2.0")),
        ("next", site().join("../docs")),
    ];
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(into.join("import-report.json")).unwrap()).unwrap();
    let main = Selector::parse("main").unwrap();
    let h1 = Selector::parse("main h1").unwrap();
    let mut checked = 0;
    for (v, dir) in versions {
        for (slug, md) in docs_in(&dir) {
            let front = md.split("---").nth(1).unwrap_or("");
            let page = into.join("site").join(v).join(format!("{slug}.html"));
            let html =
                fs::read_to_string(&page).unwrap_or_else(|_| panic!("{v}: {slug} has no page {}", page.display()));
            let doc = Html::parse_document(&html);
            let text = bare(&doc.select(&main).next().unwrap().text().collect::<String>());
            let title = front
                .lines()
                .find_map(|l| l.strip_prefix("title: "))
                .map(str::to_string)
                .unwrap_or_else(|| md.lines().find_map(|l| l.strip_prefix("# ")).unwrap().to_string());
            assert_eq!(doc.select(&h1).next().unwrap().text().collect::<String>(), title, "{v}/{slug}");
            for line in prose(&md) {
                if line.starts_with('#') || line == title {
                    continue;
                }
                assert!(text.contains(&bare(&line)), "{v}/{slug}: missing text: {line}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 14);
    assert_eq!(report["articles"], 9);
}

#[test]
fn conversion_rules_show_in_the_source_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let into = tmp.path().join("m");
    import(&into);
    let art = |n: &str| fs::read_to_string(into.join("articles").join(n)).unwrap_or_else(|_| panic!("articles/{n}"));
    let config = art("config@2.0.md");
    // Admonitions with titles, tabs as labelled sections, partials inlined.
    assert!(config.contains("> [!TIP]\n> **Keep it small**\n>\n> A short file loads faster.\n"), "{config}");
    assert!(config.contains("**npm**\n\n```bash\nnpm install widget\n```"), "{config}");
    assert!(config.contains("**Yarn**"), "{config}");
    assert!(
        config.contains(
            "> [!WARNING]\n> Back up your settings before you change them. See [Install Widget](install.md)."
        ),
        "{config}"
    );
    // import/export lines and JSX comments dropped; components give way to their children.
    assert!(
        !config.contains("import Tabs") && !config.contains("export const") && !config.contains("Writers' note"),
        "{config}"
    );
    assert!(config.contains("Each option has a default value that you can change."), "{config}");
    // Code keeps its title and its own import lines.
    assert!(
        config.contains("```js title=\"widget.json\"\n// import lines inside code stay\nimport x from 'y';\n```"),
        "{config}"
    );
    // Explicit heading ids stay.
    assert!(config.contains("## Options {#custom}"));
    // Links: relative .md with an anchor, a site-absolute doc route, another part of the site.
    let intro = art("intro@2.0.md");
    assert!(intro.contains("[the install guide](install.md#step-two)"), "{intro}");
    assert!(intro.contains("[Configuration](config.md)"), "{intro}");
    assert!(intro.contains("[blog post](https://docs.example.com/blog/launch)"), "{intro}");
    assert!(art("whatsnew.md").contains("[Options](config.md#custom)"));
    // The first `# heading` is the title.
    assert!(art("intro.md").contains("title: Welcome to Widget"));
    // A doc whose id changed with the same file is a rename.
    assert!(art("setup.md").contains("aliases:\n- getting-ready"), "{}", art("setup.md"));
    assert!(art("getting-ready.md").contains("until: '1.0'"));
    assert!(art("whatsnew.md").contains("since: '2.0'"));
    // The autogenerated sidebar of 1.0: _category_.json's label, number prefixes.
    assert!(art("install.md").contains("parent: guides"));
    assert!(art("guides.md").contains("title: Guides"));
    // A changed image is an asset revision.
    assert_ne!(
        fs::read(into.join("articles/img/diagram.png")).unwrap(),
        fs::read(into.join("articles/img/diagram@2.0.png")).unwrap()
    );
    // Versions: output paths, labels, the archived one as an external entry.
    assert_eq!(fs::read_to_string(into.join("versions/2.0.yaml")).unwrap(), "label: '2.0'\npath: '2.0'\n");
    assert_eq!(fs::read_to_string(into.join("versions/next.yaml")).unwrap(), "label: Next\npath: next\n");
    assert!(fs::read_to_string(into.join("versions/0.9.yaml"))
        .unwrap()
        .contains("url: https://old.example.com/docs/0.9/intro"));
    // The report counts what was converted and dropped.
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(into.join("import-report.json")).unwrap()).unwrap();
    assert_eq!(report["mdx"]["partials inlined"], 3);
    assert_eq!(report["mdx"]["comments dropped"], 3);
    assert_eq!(report["mdx"]["tab items as labelled sections"], 6);
    assert!(report["toc_problems"].as_array().unwrap().iter().any(|p| p["label"] == "Blog"));
}

#[test]
fn anchors_follow_docusaurus_and_broken_ones_are_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    let site_copy = tmp.path().join("site");
    common::copy_dir(&site().join(".."), &site_copy);
    // A link to a heading that does not exist: Docusaurus only warns; folio would fail.
    let p = site_copy.join("website/versioned_docs/version-2.0/whatsnew.md");
    let text = fs::read_to_string(&p).unwrap().replace("#custom", "#no-such-heading");
    fs::write(&p, text).unwrap();
    let into = tmp.path().join("m");
    let out = folio(&["import", "docusaurus", "website", "--into", into.to_str().unwrap()], &site_copy);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(fs::read_to_string(into.join("articles/whatsnew.md")).unwrap().contains("[Options](config.md)"));
    let report = fs::read_to_string(into.join("import-report.json")).unwrap();
    assert!(report.contains("\"href\": \"config.md#no-such-heading\""), "{report}");
    // The second "Step two" keeps Docusaurus's id, step-two-1, and the build agrees.
    let out = folio(&["build", "--root", into.to_str().unwrap()], Path::new("."));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = fs::read_to_string(into.join("site/2.0/install.html")).unwrap();
    assert!(page.contains("id=\"step-two\"") && page.contains("id=\"step-two-1\""));
}

#[test]
fn the_same_site_gives_the_same_tree_and_a_bad_one_is_refused() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    import(&a.path().join("m"));
    import(&b.path().join("m"));
    assert!(common::tree(&a.path().join("m")) == common::tree(&b.path().join("m")));
    let out = folio(
        &["import", "docusaurus", "/nonexistent/site", "--into", a.path().join("n").to_str().unwrap()],
        Path::new("."),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/site: site folder does not exist"));
    assert!(!a.path().join("n").exists());
}

/// The same check on a real site whose versions are all released plus the current
/// docs: `FOLIO_DOCUSAURUS_SITE=/path/to/website cargo test --test import_docusaurus -- --ignored`.
#[test]
#[ignore]
fn real_site_round_trip() {
    let Some(site) = std::env::var_os("FOLIO_DOCUSAURUS_SITE").map(PathBuf::from) else {
        panic!("set FOLIO_DOCUSAURUS_SITE to a Docusaurus site folder (the one with versions.json)");
    };
    let tmp = tempfile::tempdir().unwrap();
    let into = tmp.path().join("m");
    let out = folio(
        &["import", "docusaurus", site.to_str().unwrap(), "--current", "next", "--into", into.to_str().unwrap()],
        Path::new("."),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    println!("{}", String::from_utf8_lossy(&out.stdout));
    let out = folio(&["build", "--root", into.to_str().unwrap()], Path::new("."));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let versions: Vec<String> = serde_json::from_str(&fs::read_to_string(site.join("versions.json")).unwrap()).unwrap();
    let mut dirs: Vec<(String, PathBuf)> =
        versions.iter().map(|v| (v.clone(), site.join(format!("versioned_docs/version-{v}")))).collect();
    let current = if site.join("docs").is_dir() { site.join("docs") } else { site.join("../docs") };
    dirs.push(("next".to_string(), current));
    let main = Selector::parse("main").unwrap();
    let (mut checked, mut problems) = (0, Vec::new());
    for (v, dir) in dirs {
        for (slug, md) in docs_in(&dir) {
            let Ok(html) = fs::read_to_string(into.join("site").join(&v).join(format!("{slug}.html"))) else {
                problems.push(format!("{v}/{slug}: no page"));
                continue;
            };
            let doc = Html::parse_document(&html);
            let text = bare(&doc.select(&main).next().unwrap().text().collect::<String>());
            for line in prose(&md) {
                if !text.contains(&bare(&line)) {
                    problems.push(format!("{v}/{slug}: {line}"));
                }
            }
            checked += 1;
        }
    }
    println!("{checked} docs checked, {} lines not found", problems.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn docs_at_the_site_root_and_yaml_categories() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("site");
    common::copy_dir(&site().join(".."), &copy);
    let config = copy.join("website/docusaurus.config.js");
    let text = fs::read_to_string(&config).unwrap().replace("path: '../docs',", "path: '../docs', routeBasePath: '/',");
    fs::write(&config, text).unwrap();
    let intro = copy.join("website/versioned_docs/version-2.0/intro.md");
    fs::write(&intro, fs::read_to_string(&intro).unwrap().replace("(/docs/guides/config)", "(/guides/config)"))
        .unwrap();
    let cat = copy.join("website/versioned_docs/version-1.0/guides");
    fs::remove_file(cat.join("_category_.json")).unwrap();
    fs::write(cat.join("_category_.yml"), "label: Guides in YAML\nposition: 2\n").unwrap();
    let into = tmp.path().join("m");
    let out = folio(&["import", "docusaurus", "website", "--into", into.to_str().unwrap()], &copy);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let intro = fs::read_to_string(into.join("articles/intro@2.0.md")).unwrap();
    assert!(intro.contains("[Configuration](config.md)"), "{intro}");
    let sections: Vec<String> = fs::read_dir(into.join("articles"))
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .collect();
    assert!(sections.iter().any(|t| t.contains("title: Guides in YAML")));
}
