//! Tests of the index: terms, shards, fragments, version table.
use super::*;

fn doc(url: &str, title: &str, text: &str) -> SearchDoc {
    SearchDoc {
        url: url.into(),
        title: title.into(),
        keywords: vec![],
        sections: vec![Section {
            anchor: String::new(),
            heading: String::new(),
            text: text.into(),
            names: vec![],
            links: vec![],
        }],
    }
}

fn file<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> &'a str {
    let f = files.iter().find(|f| f.0 == path).unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(&f.1).unwrap()
}

#[test]
fn writes_meta_shards_and_fragments() {
    let idx = build(&[doc("a.html", "Printers", "Set up a printer."), doc("b.html", "Firewall", "Open port 80.")]);
    let files = idx.files();
    let paths: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(paths, ["search/f/0.js", "search/f/1.js", "search/meta.js", "search/t/0.js"]);
    let id = idx.build_id();
    assert_eq!(id.len(), 16);
    // titles "Printers" and "Firewall": one term each
    let meta = format!("__S.meta({{\"v\":\"{id}\",\"n\":2,\"b\":[\"\"],\"l\":\"BB\"}});\n");
    assert_eq!(file(&files, "search/meta.js"), meta);
    assert_eq!(file(&files, "search/f/1.js"), "__S.f([\"b.html\",\"Firewall\",[[\"\",\"\",\"Open port 80.\"]]]);\n");
    let shard = file(&files, "search/t/0.js");
    assert!(shard.starts_with(&format!("__S.t(\"{id}\",0,\"80\\nfirewal\\nopen\\nport\\nprinter\\nset\\nup\",")));
    // "printer": doc 0, title + body 1 → "A" + weight; "80": doc 1 → "B" + body only
    let posts = shard.split(',').nth(3).unwrap();
    let posts: Vec<&str> = posts.trim_matches(|c| c == '"' || c == ')' || c == ';' || c == '\n').split("\\n").collect();
    assert_eq!(posts[0].len(), 2);
    assert!(posts[0].starts_with('B'));
    assert!(posts[4].starts_with('A'));
    let weight = shard::ALPHABET.iter().position(|&a| a == posts[4].as_bytes()[1]).unwrap();
    assert!(weight & 32 != 0, "title flag");
}

#[test]
fn build_is_deterministic_and_hash_tracks_content() {
    let docs: Vec<SearchDoc> = (0..300)
        .map(|i| doc(&format!("p{i}.html"), &format!("Page {i}"), &format!("word{} shared text {i}", i % 7)))
        .collect();
    let a = build(&docs);
    let b = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| build(&docs));
    assert_eq!(a, b);
    let mut changed = docs.clone();
    changed[5].sections[0].text.push_str(" extra");
    assert_ne!(build(&changed).build_id(), a.build_id());
}

#[test]
fn every_term_is_in_exactly_one_shard_and_shards_stay_small() {
    let docs: Vec<SearchDoc> = (0..400)
        .map(|i| {
            let text: Vec<String> = (0..200).map(|j| format!("w{}", (i * 31 + j * 17) % 5000)).collect();
            doc(&format!("p{i}.html"), "T", &text.join(" "))
        })
        .collect();
    let mut files = build(&docs).files();
    // in shard order (t/10.js after t/9.js)
    files.sort_by_key(|(path, _)| {
        path.strip_prefix("search/t/").and_then(|k| k.trim_end_matches(".js").parse::<u32>().ok())
    });
    let mut all_terms = Vec::new();
    let mut shards = 0;
    for (path, bytes) in &files {
        if path.starts_with("search/t/") {
            shards += 1;
            assert!(bytes.len() < SHARD_TARGET + 200, "{path}: {}", bytes.len());
            let text = std::str::from_utf8(bytes).unwrap();
            let terms = text.split('"').nth(3).unwrap();
            all_terms.extend(terms.split("\\n").map(str::to_string));
        }
    }
    assert!(shards > 1);
    let n = all_terms.len();
    let sorted = all_terms.windows(2).all(|w| shard::js_cmp(&w[0], &w[1]).is_lt());
    assert!(sorted, "terms are sorted across shards, so none repeats");
    let expected: std::collections::BTreeSet<String> =
        (0..400).flat_map(|i| (0..200).map(move |j| format!("w{}", (i * 31 + j * 17) % 5000))).collect();
    assert_eq!(n, expected.len());
}

/// The weight character of `term`'s posting for doc 0 (single-doc index).
#[test]
fn one_vocabulary_for_many_versions_gives_each_version_its_own_index() {
    // Documents interned in any order into one vocabulary, as a build does over
    // its versions, give the same files as each version built on its own.
    let a = doc("a.html", "Portal setup", "The eConnector must run. Password rules.");
    let b = doc("b.html", "Zebra", "Listener Service and passwords, OpenDentImages.");
    let c = doc("c.html", "Alpha", "X-Charge setup with 13.1 notes.");
    let mut vocab = Vocab::default();
    let mut prepared: Vec<PreparedDoc> = [&c, &b, &a].iter().map(|d| prepare(d)).collect();
    for p in &mut prepared {
        vocab.intern(p);
    }
    vocab.seal();
    let (pc, pb, pa) = (&prepared[0], &prepared[1], &prepared[2]);
    for (docs, refs) in [(vec![a.clone(), b.clone()], vec![pa, pb]), (vec![b.clone(), c.clone()], vec![pb, pc])] {
        let alone = build(&docs).into_files();
        let shared = build_prepared(&refs, &vocab).into_files();
        let alone: Vec<_> = alone.into_iter().filter(|f| !f.0.starts_with("search/f/")).collect();
        assert_eq!(alone, shared);
    }
}

fn weight_of(d: &SearchDoc, term: &str) -> usize {
    let files = build(std::slice::from_ref(d)).into_files();
    let shard = file(&files, "search/t/0.js");
    let mut fields = shard.split('"');
    let terms: Vec<&str> = fields.nth(3).unwrap().split("\\n").collect();
    let posts: Vec<&str> = fields.nth(1).unwrap().split("\\n").collect();
    let i = terms.iter().position(|t| *t == term).unwrap_or_else(|| panic!("{term} not in {terms:?}"));
    shard::ALPHABET.iter().position(|&a| a == posts[i].as_bytes()[1]).unwrap()
}

#[test]
fn title_heading_keyword_and_body_weights() {
    let mut d = doc("a.html", "Firewall rules", "The firewall and the firewall and ports.");
    d.keywords = vec!["security".into()];
    d.sections.push(Section {
        anchor: "p".into(),
        heading: "Open ports".into(),
        text: "Port 80.".into(),
        names: vec![],
        links: vec![],
    });
    let firewall = weight_of(&d, "firewal");
    assert_eq!(firewall & 0b11_0000, 0b10_0000, "title, not heading");
    assert!(firewall & 15 > 0, "and body");
    assert_eq!(weight_of(&d, "rule"), 0b10_0000, "title only");
    assert_eq!(weight_of(&d, "firewallrul"), 0b10_0000, "the title's pair");
    assert_eq!(weight_of(&d, "openport") & 0b11_0000, 0b01_0000, "the heading's pair");
    assert_eq!(weight_of(&d, "secur"), 0b01_0000, "keywords rank like headings");
    assert_eq!(weight_of(&d, "open") & 0b11_0000, 0b01_0000);
    assert!(weight_of(&d, "port") & 15 > 0);
}

#[test]
fn the_version_table_lists_terms_missing_from_some_version() {
    let old = doc("a.html", "OTK errors", "The OTK expired. Shared words.");
    let mid = doc("a.html", "Keys", "Shared words.");
    let new = doc("a.html", "Keys", "The OTK key. Shared words.");
    let mut vocab = Vocab::default();
    let mut prepared: Vec<PreparedDoc> = [&old, &mid, &new].iter().map(|d| prepare(d)).collect();
    prepared.iter_mut().for_each(|p| vocab.intern(p));
    vocab.seal();
    let mut table = VersionTable::default();
    for (i, p) in prepared.iter().enumerate() {
        table.add(&format!("v{i}"), &format!("V{i}"), &[p]);
    }
    let files = table.files(&vocab);
    let paths: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(paths, ["x.js", "x0.js"]);
    let meta = file(&files, "x.js");
    assert!(meta.contains("\"versions\":[[\"v0\",\"V0\"],[\"v1\",\"V1\"],[\"v2\",\"V2\"]],\"b\":[\"\"]"), "{meta}");
    let shard = file(&files, "x0.js");
    let terms: Vec<&str> = shard.split('"').nth(3).unwrap().split("\\n").collect();
    let sets: Vec<&str> = shard.split('"').nth(5).unwrap().split("\\n").collect();
    let set = |t: &str| sets[terms.iter().position(|x| *x == t).unwrap_or_else(|| panic!("{t} in {terms:?}"))];
    // "otk": versions 0 and 2 → runs (0, 1) and (gap 1, 1); "error": version 0
    assert_eq!(set("otk"), "ABBB");
    assert_eq!(set("error"), "AB");
    assert_eq!(set("key"), "BC", "in versions 1 and 2");
    assert!(!terms.contains(&"share"), "in every version: not listed");
}

#[test]
fn a_page_gets_the_words_other_pages_link_to_it_by() {
    let mut a = doc("a.html", "Start", "See the list.");
    a.sections[0].links = vec![("b.html#x".into(), "Hygienist List".into()), ("c.html".into(), "nowhere".into())];
    let b = doc("b.html", "Provider Setup", "Providers and employees.");
    let files = build(&[a, b]).into_files();
    let shard = file(&files, "search/t/0.js");
    let mut fields = shard.split('"');
    let terms: Vec<&str> = fields.nth(3).unwrap().split("\\n").collect();
    let posts: Vec<&str> = fields.nth(1).unwrap().split("\\n").collect();
    let post = |t: &str| posts[terms.iter().position(|x| *x == t).unwrap_or_else(|| panic!("{t} in {terms:?}"))];
    // "hygienist" and the pair: on page 1 only, as keywords (heading flag, no body)
    assert_eq!(post("hygienist"), "BQ");
    assert_eq!(post("hygienistlist"), "BQ");
    // "list": page 0's body, and page 1's keyword
    assert!(post("list").starts_with('A') && post("list").ends_with("BQ"), "{}", post("list"));
    assert!(!terms.contains(&"nowher") || post("nowher").len() == 2, "a link to no page of the version adds nothing");
}

#[test]
fn no_docs_give_an_empty_index() {
    let files = build(&[]).into_files();
    assert_eq!(files.len(), 1);
    assert!(file(&files, "search/meta.js").contains("\"n\":0,\"b\":[]"));
}

#[test]
fn strings_are_escaped_to_ascii() {
    assert_eq!(js_string("a\"b\\c\nd é 😀 \u{2028}"), "\"a\\\"b\\\\c\\nd \\u00e9 \\ud83d\\ude00 \\u2028\"");
    assert_eq!(js_string("<img src=x onerror=alert(1)>"), "\"<img src=x onerror=alert(1)>\"");
}
