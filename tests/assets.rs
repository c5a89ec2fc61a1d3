//! Asset revisions (`images/x@2.0.png`): each version's pages show the bytes of the
//! revision in force there, identical revisions are written once, a revision-only asset
//! starts at its first revision, `logo@2x.png` is a plain file, `folio build --version`
//! writes the same folder, and `folio diff` lists the assets that changed. Fixture:
//! `tests/fixtures/asset-revisions/` (versions 1.0, 2.0, 3.0; `images/screen.png` with a
//! changed 2.0 revision and a 3.0 revision that repeats the base's bytes;
//! `images/badge@2.0.png` alone; `logo@2x.png`).

mod common;

use std::path::Path;

use common::*;

fn build(root: &Path, out: &Path, args: &[&str]) {
    let mut all = vec!["build", "--quiet", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    all.extend(args);
    let o = run(root, &all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o, root));
}

/// The `src` of the image with alt text `alt` on a page.
fn src_of<'a>(html: &'a str, alt: &str) -> &'a str {
    let end = html.find(&format!("\" alt=\"{alt}\"")).unwrap_or_else(|| panic!("no image '{alt}' in\n{html}"));
    let start = html[..end].rfind("src=\"").unwrap() + "src=\"".len();
    &html[start..end]
}

/// The bytes a URL relative to a page in a version folder points at.
fn bytes_at(site: &Path, version: &str, url: &str) -> String {
    let rel = url.replace("%40", "@");
    read(site.join(version).join(rel))
}

#[test]
fn each_version_shows_the_bytes_of_its_revision() {
    let dir = fixture("asset-revisions");
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(dir.path(), &site, &[]);

    let page = |v: &str, slug: &str| read(site.join(v).join(format!("{slug}.html")));
    let shot = |v: &str| src_of(&page(v, "home"), "Main window").to_string();
    assert_eq!(shot("v1.0"), "../media/images/screen.png");
    assert_eq!(shot("v2.0"), "../media/images/screen%402.0.png");
    // 3.0's revision has the base's bytes: it is not written again, the page uses the base.
    assert_eq!(shot("v3.0"), "../media/images/screen.png");
    assert_eq!(bytes_at(&site, "v1.0", &shot("v1.0")), "screen: first look\n");
    assert_eq!(bytes_at(&site, "v2.0", &shot("v2.0")), "screen: redesigned in 2.0\n");
    assert_eq!(bytes_at(&site, "v3.0", &shot("v3.0")), "screen: first look\n");
    // The home page is the same article again.
    assert_eq!(src_of(&read(site.join("v2.0/index.html")), "Main window"), "../media/images/screen%402.0.png");

    // `logo@2x.png` is no revision (2x is not a version): one file, linked as it is.
    for v in ["v1.0", "v2.0", "v3.0"] {
        assert_eq!(src_of(&page(v, "home"), "Logo"), "../media/logo%402x.png");
    }
    // A revision-only asset, and a link naming a revision file, which pins it.
    for v in ["v2.0", "v3.0"] {
        let badge = page(v, "badge");
        assert_eq!(src_of(&badge, "Badge"), "../media/images/badge%402.0.png");
        assert!(badge.contains(r#"<a href="../media/images/screen%402.0.png">screenshot</a>"#), "{badge}");
    }

    let media: Vec<String> = tree(&site).into_keys().filter(|k| k.starts_with("media/")).collect();
    assert_eq!(
        media,
        ["media/images/badge@2.0.png", "media/images/screen.png", "media/images/screen@2.0.png", "media/logo@2x.png"]
    );
}

#[test]
fn one_version_writes_the_same_folder_and_the_media_it_needs() {
    let dir = fixture("asset-revisions");
    let out = tempfile::tempdir().unwrap();
    let (full, part) = (out.path().join("full"), out.path().join("part"));
    build(dir.path(), &full, &[]);
    build(dir.path(), &part, &["--version", "2.0"]);
    let (full, part) = (tree(&full), tree(&part));
    for (k, v) in full.iter().filter(|(k, _)| k.starts_with("v2.0/") || k.starts_with("media/")) {
        assert!(part.get(k) == Some(v), "{k} differs from the full build");
    }
    assert!(!part.keys().any(|k| k.starts_with("v1.0/") || k.starts_with("v3.0/")));
}

#[test]
fn a_link_to_an_asset_before_its_first_revision_is_an_error() {
    let dir = fixture("asset-revisions");
    let root = dir.path();
    std::fs::write(root.join("articles/home.md"), "---\ntitle: Home\n---\n\nIntro.\n\n![Badge](images/badge.png)\n")
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = run(root, &["build", "--quiet", "--out", out.path().join("site").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o, root);
    assert!(
        err.contains(
            "articles/home.md:7: version 1.0: image 'images/badge.png' is not in this version (the asset exists in 2.0..3.0)"
        ),
        "{err}"
    );
    // The versions that have it build alone.
    let o = run(root, &["build", "--quiet", "--version", "2.0", "--out", out.path().join("two").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o, root));
}

#[test]
fn diff_lists_the_assets_whose_bytes_differ() {
    let dir = fixture("asset-revisions");
    let root = dir.path();
    let o = run(root, &["diff", "1.0", "2.0"]);
    assert!(o.status.success(), "{}", stderr(&o, root));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("\nAssets added (1):\n  images/badge.png  articles/images/badge@2.0.png\n"), "{text}");
    assert!(
        text.contains(
            "\nAssets changed (1):\n  images/screen.png  articles/images/screen.png -> articles/images/screen@2.0.png\n"
        ),
        "{text}"
    );

    let o = run(root, &["diff", "2.0", "3.0", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        doc["assets"],
        serde_json::json!({
            "added": [],
            "removed": [],
            "changed": [{
                "path": "images/screen.png",
                "from_file": "articles/images/screen@2.0.png",
                "to_file": "articles/images/screen@3.0.png"
            }]
        })
    );
    assert_eq!(doc["counts"]["total"], 0);
    let text = String::from_utf8_lossy(&run(root, &["diff", "2.0", "3.0"]).stdout).into_owned();
    assert!(text.starts_with("Changes from v2.0 to v3.0: no article differs (2 unchanged)\n"), "{text}");

    // 3.0's revision repeats the base's bytes: from 1.0 to 3.0 the screenshot is the same.
    let o = run(root, &["diff", "1.0", "3.0", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["assets"]["changed"], serde_json::json!([]));
}
