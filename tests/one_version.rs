//! `folio build --version`: a version folder written alone is byte-identical to the same
//! folder of a full build (the one-version path models only what the chosen versions
//! need, so this pins that nothing they show comes out different).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// A manual with renames (an alias that was an article, an alias that never was),
/// removed and returning articles, only-blocks (nested, open-ended, single version),
/// revisions that retitle and move pages, a deep tree, media, `base_url` (canonical
/// links) and an external version.
const MANUAL: &[(&str, &str)] = &[
    ("manual.yaml", "title: Gadget Manual\nhome: start\nbase_url: https://docs.example.com/gadget/\n"),
    ("versions/1.0.yaml", "label: v1.0\npath: g10\n"),
    ("versions/1.1.yaml", "label: v1.1\npath: g11\nstatus: supported\n"),
    ("versions/2.0.yaml", "label: v2.0\npath: g20\n"),
    ("versions/2.1.yaml", "path: g21\nreleased: 2025-03-01\n"),
    ("versions/3.0.yaml", "label: v3.0\npath: g30\nstatus: current\n"),
    ("versions/4.0.yaml", "label: v4.0 preview\nurl: https://example.com/preview/\n"),
    (
        "articles/start.md",
        "---\ntitle: Gadget Manual\norder: 1\n---\n\nRead [Setup](guide/setup.md#requirements), the [connector](connector.md#ports)\nand [the listener](listener.md).\n\n<!-- only ..1.1 -->\nSee also [the old page](old.md).\n<!-- /only -->\n<!-- only 2.0.. -->\nSee also [the new page](new.md) and [the old name](old.md).\n<!-- /only -->\n",
    ),
    (
        "articles/guide/setup.md",
        "---\ntitle: Setup\nparent: start\norder: 1\nkeywords: [install]\n---\n\n## Requirements {#requirements}\n\nYou need a computer.\n\n<!-- only ..1.0 -->\n> **Note:** 1.0 needs the legacy runtime.\n<!-- only 1.0 -->\nNested: only in 1.0.\n<!-- /only -->\n<!-- /only -->\n\n<!-- only 1.1..2.1 -->\nA middle paragraph.\n<!-- /only -->\n\n![Diagram](../img/diagram.svg)\n",
    ),
    (
        "articles/guide/setup@2.0.md",
        "---\ntitle: Installing the Gadget\nparent: guide\norder: 1\n---\n\n## Requirements {#requirements}\n\n2.0 installs itself. See [the connector](listener.md).\n\n<!-- only 1.1..2.1 -->\nA middle paragraph.\n<!-- /only -->\n",
    ),
    ("articles/guide/guide.md", "---\ntitle: Guide\norder: 2\nsince: \"2.0\"\n---\n\nTasks, one by one.\n"),
    (
        "articles/connector.md",
        "---\ntitle: Connector\nparent: start\norder: 2\naliases: [listener]\n---\n\nThe connector.\n\n## Ports {#ports}\n\nPort 25255.\n",
    ),
    (
        "articles/old.md",
        "---\ntitle: Old Name\nparent: start\norder: 3\nuntil: \"1.1\"\n---\n\nThe same text before and after the rename.\n",
    ),
    (
        "articles/new.md",
        "---\ntitle: New Name\nparent: start\norder: 3\nsince: \"2.0\"\naliases: [old]\n---\n\nThe same text before and after the rename.\n",
    ),
    ("articles/new@3.0.md", "---\ntitle: New Name\nparent: guide\n---\n\nChanged in 3.0.\n"),
    ("articles/gone.md", "---\ntitle: Gone For A While\nparent: start\n---\n\nHere in 1.x.\n"),
    ("articles/gone@2.0.md", "---\ntitle: Gone For A While\nremoved: true\n---\n"),
    ("articles/gone@3.0.md", "---\ntitle: Back Again\nparent: start\n---\n\nBack in 3.0.\n"),
    ("articles/legacy.md", "---\ntitle: Legacy Tools\nparent: start\norder: 9\nuntil: \"1.0\"\n---\n\nOnly in 1.0.\n"),
    ("articles/later.md", "---\ntitle: Later\nparent: start\nsince: \"2.1\"\n---\n\nNew in 2.1.\n"),
    ("articles/deep/a.md", "---\ntitle: Level A\nparent: start\norder: 5\n---\n\nA.\n"),
    ("articles/deep/b.md", "---\ntitle: Level B\nparent: a\n---\n\nB, under [A](a.md).\n"),
    ("articles/deep/c.md", "---\ntitle: level c\nparent: b\n---\n\nC.\n"),
    ("articles/deep/c@2.1.md", "---\ntitle: Level C\nparent: a\n---\n\nC moved up.\n"),
    ("articles/img/diagram.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"),
];

/// Builds `root` into `out` with `args`, expecting success.
fn build(root: &Path, out: &Path, args: &[&str]) {
    let mut all = vec!["build", "--quiet", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    all.extend(args);
    let o = run(root, &all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o, root));
}

/// The files under `prefix/` of a built site.
fn folder(site: &BTreeMap<String, Vec<u8>>, prefix: &str) -> BTreeMap<String, Vec<u8>> {
    site.iter().filter(|(k, _)| k.starts_with(&format!("{prefix}/"))).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Asserts that `prefix/` of `part` is the same, file for file and byte for byte, as in
/// `full`.
fn same_folder(full: &BTreeMap<String, Vec<u8>>, part: &BTreeMap<String, Vec<u8>>, prefix: &str, what: &str) {
    let (a, b) = (folder(full, prefix), folder(part, prefix));
    assert!(!a.is_empty(), "{what}: the full build has no {prefix}/");
    let missing: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let extra: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "{what}: missing {missing:?}, extra {extra:?}");
    for (k, v) in &a {
        assert!(
            b[k] == *v,
            "{what}: {k} differs from the full build\n--- full\n{}\n--- --version\n{}",
            String::from_utf8_lossy(v),
            String::from_utf8_lossy(&b[k])
        );
    }
}

/// Builds the manual in `root` whole and then each of `picks` alone, and compares.
fn compare(root: &Path, picks: &[&[(&str, &str)]]) {
    let outs = tempfile::tempdir().unwrap();
    let full_out = outs.path().join("full");
    build(root, &full_out, &[]);
    let full = tree(&full_out);
    for (n, pick) in picks.iter().enumerate() {
        let out = outs.path().join(format!("part{n}"));
        let mut args = Vec::new();
        for (name, _) in pick.iter() {
            args.extend(["--version", name]);
        }
        build(root, &out, &args);
        let part = tree(&out);
        for (name, path) in pick.iter() {
            same_folder(&full, &part, path, &format!("--version {name}"));
        }
        // The theme's files; not search's table of the versions each term is in
        // (assets/search/), which covers the versions a build writes (SPEC.md §10, "Search").
        let theme = |site: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
            site.iter().filter(|(k, _)| !k.starts_with("assets/search/")).map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        same_folder(&theme(&full), &theme(&part), "assets", "shared assets");
        if full.keys().any(|k| k.starts_with("media/")) {
            same_folder(&full, &part, "media", "shared media");
        }
    }
}

#[test]
fn each_version_alone_matches_the_full_build() {
    let m = manual(MANUAL);
    compare(
        m.path(),
        &[
            &[("1.0", "g10")],
            &[("1.1", "g11")],
            &[("2.0", "g20")],
            &[("2.1", "g21")],
            &[("3.0", "g30")],
            // Two versions that are not neighbours, then two that are.
            &[("1.1", "g11"), ("3.0", "g30")],
            &[("2.0", "g20"), ("2.1", "g21")],
        ],
    );
}

#[test]
fn sample_manual_versions_alone_match_the_full_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    compare(
        root,
        &[&[("15.4", "manual154")], &[("17.1", "manual171")], &[("20.1", "manual201")], &[("24.3", "manual243")]],
    );
}

#[test]
fn model_problems_of_other_versions_still_fail_a_one_version_build() {
    // The parent is missing only where the 1.0 revision applies: a build of 2.0 alone
    // validates the whole model as a full build does, and fails the same way.
    let m = manual(&[
        ("versions/1.0.yaml", ""),
        ("versions/2.0.yaml", ""),
        ("articles/home.md", "---\ntitle: Home\n---\n"),
        ("articles/a.md", "---\ntitle: A\nparent: nothere\n---\n"),
        ("articles/a@2.0.md", "---\ntitle: A\nparent: home\n---\n"),
    ]);
    let o = run(m.path(), &["build", "--version", "2.0"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o, m.path());
    assert!(err.contains("articles/a.md:3: version 1.0: unknown parent 'nothere'"), "{err}");
    assert!(!m.path().join("site").exists());
}

#[test]
fn links_are_checked_only_in_the_versions_written() {
    // The link breaks only in 1.0 (the target starts in 2.0): building 2.0 alone
    // succeeds, while a full build and `folio check` report it.
    let m = manual(&[
        ("versions/1.0.yaml", ""),
        ("versions/2.0.yaml", ""),
        ("articles/home.md", "---\ntitle: Home\n---\nSee [new](new.md).\n"),
        ("articles/new.md", "---\ntitle: New\nsince: \"2.0\"\n---\n"),
    ]);
    let o = run(m.path(), &["build", "--version", "2.0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o, m.path()));
    for args in [&["build"][..], &["check"][..]] {
        let o = run(m.path(), args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o, m.path());
        assert!(err.contains("articles/home.md:4: version 1.0: link target 'new' is not in this version"), "{err}");
    }
}
