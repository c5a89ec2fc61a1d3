//! The client-side search index of one version, built from the rendered pages.
//!
//! Consumes [`SearchDoc`]s (title, front-matter keywords and the sections that
//! [`extract_sections`] reads out of each article's rendered HTML) and produces the
//! files that `themes/default/static/search.js` loads with `<script>` elements
//! (JSONP style: no fetch, so it works from `file://` and any static server):
//!
//! ```text
//! search/meta.js      __S.meta({"v":ID,"n":docs,"b":[lower bound of each term shard],"l":title lengths})
//! search/t/<k>.js     __S.t(ID,k,"term\nterm…","postings\npostings…")
//! search/f/<doc>.js   __S.f([url,title,[[anchor,heading,text],…]])
//! ```
//!
//! * Terms (see [`tokenize`]) are sorted in JavaScript string order and cut into
//!   shards of about [`SHARD_TARGET`] bytes; `meta.js` lists each shard's shortest
//!   lower bound, so the runtime maps a term or prefix to its shard without a request.
//! * Postings are per document, not per position (see [`shard`] for the encoding).
//! * One fragment file per document holds what results display: URL, title, sections.
//!   It names neither the version nor the document (the runtime knows which script it
//!   loaded), so the same article text gives the same bytes in every version and the
//!   writer stores it once, hard-linking the other versions' copies.
//! * `l` has one [`shard::ALPHABET`] digit per document: how many distinct query
//!   terms its title has (capped at 63), so a query that is exactly a title can rank
//!   that page first without loading anything else.
//! * Besides its words, a document's terms include **pair terms** (two words in a row
//!   joined, [`tokenize::pair_term`]): every pair of its title (title flag), keywords and
//!   headings (heading flag), and, counted as body words, of its bold, italic and linked
//!   phrases ([`Section::names`]) and of two capitalised words in a row in its text. So a
//!   query's two words in a row can find the page that names them together, and a word
//!   typed as one (`Autocodes`) the page that writes two (`Auto Codes`).
//! * The words other pages of the version **link** to a page by ([`Section::links`])
//!   are indexed with that page, as its keywords (heading flag).
//! * [`VersionTable`] is the manual's table of the versions each term is in, for the
//!   runtime's suggestions from other versions.
//!
//! **Ranking** happens in the runtime (`search.js`, `run`): for each query word, its
//! importance (idf over the pages it matches; a third for generic words such as
//! "setup" or "list") times its best match on the page: title 5, heading or keyword 2.5,
//! body up to 2.2 (BM25), × 0.7 for a longer form of the word being typed, 0.5 for a
//! longer form of another word or a one-edit typo, 0.8 for the two parts of a word
//! typed as one; plus, for each pair of query words found as a pair term, its idf times
//! its weight. The sum is multiplied by the square of the share of the query's
//! importance that the page covers and by 1 + half the share of its title the query
//! covers; a query that is a page's whole title puts it first; ties go to the lower doc
//! id. Quoted phrases are checked against fragment text.
//!
//! **Cache busting.** `ID` is the first 16 hex digits of a SHA-256 over every shard
//! and fragment payload. The runtime requests shards and fragments as
//! `t/<k>.js?v=ID`, so a cached file from another build is never used. `meta.js`
//! keeps a fixed name (pages name it without knowing the build); each shard repeats
//! `ID`, and when it differs from the loaded meta the runtime reloads
//! `meta.js?v=<new ID>` and runs the query again. Same input, same bytes.

mod extract;
pub mod shard;
pub mod tokenize;
mod versions;

pub use versions::VersionTable;

pub use extract::extract_sections;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// Names the layout and encoding of the files, so a build by a folio that writes them
/// differently never shares a build id with this one.
const INDEX_FORMAT: &str = "folio-search-3";

/// Target raw size of a term shard in bytes: about 7 KB gzipped, so that the few shards
/// a query needs (its words, the word being typed, a compound's second part) keep its
/// first download small.
pub const SHARD_TARGET: usize = 14_000;

/// One section of a page: the text under a heading.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    /// The heading's `id`; `""` is the top of the page.
    pub anchor: String,
    /// Heading text (`""` for the lead-in before the first heading).
    pub heading: String,
    /// Plain body text of the section, whitespace collapsed.
    pub text: String,
    /// Phrases of two or more words set apart in the text (bold, italic, links): the
    /// names of windows, buttons and features. Only the index reads them (pair terms);
    /// they are not in the fragment.
    pub names: Vec<String>,
    /// The section's links: (href, link text). The index adds the text's words to the
    /// page linked to (in the same version folder), as its keywords.
    pub links: Vec<(String, String)>,
}

/// A page to index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchDoc {
    /// Page URL relative to the version folder, e.g. `portaltroubleshooting.html`.
    pub url: String,
    /// Page title.
    pub title: String,
    /// Front-matter `keywords`; they rank like headings.
    pub keywords: Vec<String>,
    /// The page's sections in document order.
    pub sections: Vec<Section>,
}

/// The search files of one version; see the module docs for the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchIndex {
    build_id: String,
    files: Vec<(String, Vec<u8>)>,
}

impl SearchIndex {
    /// Files to write under the version folder, paths relative to it with `/`,
    /// sorted by path. Byte-identical for the same docs.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        self.files.clone()
    }

    /// Like [`SearchIndex::files`], without copying.
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        self.files
    }

    /// The build id (content hash) that versions the shard and fragment URLs. Pages
    /// may append `?v=<id>` to `meta.js` if they like; the runtime does not need it.
    pub fn build_id(&self) -> &str {
        &self.build_id
    }
}

/// Per-document term statistics.
#[derive(Default, Clone, Copy)]
struct Stat {
    tf: u32,
    title: bool,
    heading: bool,
}

struct DocTerms {
    len: u32,
    /// Distinct query terms of the title (whole forms), for exact-title matches.
    title_len: usize,
    /// The distinct terms, back to back: one allocation per document instead of one
    /// per term keeps thousands of prepared documents small. Emptied by
    /// [`Vocab::intern`], which numbers the terms.
    text: String,
    /// (end offset of the term in `text`, its statistics), in `text` order; once
    /// interned, (the term's number in the [`Vocab`], its statistics).
    terms: Vec<(u32, Stat)>,
    interned: bool,
}

fn analyze(doc: &SearchDoc) -> DocTerms {
    let mut stats: FxHashMap<String, Stat> = FxHashMap::default();
    let mut buf = Vec::new();
    let mut add = |word: &str, f: &dyn Fn(&mut Stat)| {
        tokenize::index_terms(word, &mut buf);
        for t in buf.drain(..) {
            f(stats.entry(t).or_default());
        }
    };
    let mut title_terms: Vec<String> = tokenize::words(&doc.title).filter_map(tokenize::query_term).collect();
    title_terms.sort_unstable();
    title_terms.dedup();
    for word in tokenize::words(&doc.title) {
        add(word, &|s| s.title = true);
    }
    for k in &doc.keywords {
        tokenize::words(k).for_each(|w| add(w, &|s| s.heading = true));
    }
    // body words are counted first and tokenized once per distinct spelling
    let mut body: FxHashMap<&str, u32> = FxHashMap::default();
    for sec in &doc.sections {
        tokenize::words(&sec.heading).for_each(|w| add(w, &|s| s.heading = true));
        for w in tokenize::words(&sec.text) {
            *body.entry(w).or_default() += 1;
        }
    }
    let mut len = 0;
    for (word, n) in body {
        tokenize::index_terms(word, &mut buf);
        for t in buf.drain(..) {
            stats.entry(t).or_default().tf += n;
            len += n;
        }
    }
    // Pair terms (two words in a row, joined): every pair of the title, keywords and
    // headings, with their flags; in the text, the pairs of names (bold, italic, link
    // text) and of capitalised words, counted like body words but not in the length.
    let mut pairs = Vec::new();
    let mut pair_stats = |text: &str, names_only: bool, f: &dyn Fn(&mut Stat)| {
        tokenize::pair_terms(text, names_only, &mut pairs);
        for t in pairs.drain(..) {
            f(stats.entry(t).or_default());
        }
    };
    pair_stats(&doc.title, false, &|s| s.title = true);
    for k in &doc.keywords {
        pair_stats(k, false, &|s| s.heading = true);
    }
    for sec in &doc.sections {
        pair_stats(&sec.heading, false, &|s| s.heading = true);
        for name in &sec.names {
            pair_stats(name, false, &|s| s.tf += 1);
        }
        pair_stats(&sec.text, true, &|s| s.tf += 1);
    }
    let mut text = String::with_capacity(stats.keys().map(|t| t.len()).sum());
    let mut terms = Vec::with_capacity(stats.len());
    for (t, st) in stats {
        text.push_str(&t);
        terms.push((u32::try_from(text.len()).expect("a document's terms fit in 4 GB"), st));
    }
    DocTerms { len, title_len: title_terms.len(), text, terms, interned: false }
}

/// Every distinct term of the documents interned so far, numbered in order of first
/// sight. A build interns each prepared document once; every version's index then
/// gathers postings by term number (an array index) instead of hashing each term of
/// each document again per version, and takes each term's escaped text and sort
/// position from here.
#[derive(Default)]
pub struct Vocab {
    // FxHash: fast for short keys and not DoS-resistant, which a build does not need;
    // lookups only, never iterated into output.
    ids: FxHashMap<Box<str>, u32>,
    /// Link targets (page URLs), numbered.
    urls: FxHashMap<Box<str>, u32>,
    /// Each term as it appears inside a JS string literal (without the quotes).
    escaped: Vec<Box<str>>,
    terms: Vec<Box<str>>,
    /// Each term's position in JavaScript string order; valid after [`Vocab::seal`].
    rank: Vec<u32>,
}

impl Vocab {
    /// Numbers the terms of `doc`, which keeps the numbers instead of the text and can
    /// then go to [`build_prepared`] with this vocabulary (after [`Vocab::seal`]).
    pub fn intern(&mut self, doc: &mut PreparedDoc) {
        let t = &mut doc.terms;
        if t.interned {
            return;
        }
        let mut start = 0usize;
        for entry in &mut t.terms {
            let term = &t.text[start..entry.0 as usize];
            start = entry.0 as usize;
            entry.0 = self.id(term);
        }
        t.text = String::new();
        t.interned = true;
        // a link's words are words of this document, so all of them are numbered now;
        // its pairs may not be (a pair across a link's edge), and get numbers too
        let links = std::mem::take(&mut doc.links);
        doc.link_ids = links
            .into_iter()
            .map(|(to, terms)| {
                let ids = terms.iter().map(|term| self.id(term)).collect();
                (self.url_id(&to), ids)
            })
            .collect();
    }

    fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = u32::try_from(self.terms.len()).expect("fewer than 2^32 distinct terms");
        self.ids.insert(term.into(), id);
        self.terms.push(term.into());
        let quoted = js_string(term);
        self.escaped.push(quoted[1..quoted.len() - 1].into());
        id
    }

    /// A number for a page URL (link targets), so that documents keep numbers, not text.
    fn url_id(&mut self, url: &str) -> u32 {
        if let Some(&id) = self.urls.get(url) {
            return id;
        }
        let id = self.urls.len() as u32;
        self.urls.insert(url.into(), id);
        id
    }

    /// Orders the terms interned since the last call, for [`build_prepared`].
    pub fn seal(&mut self) {
        if self.rank.len() == self.terms.len() {
            return;
        }
        let mut order: Vec<u32> = (0..self.terms.len() as u32).collect();
        order.par_sort_unstable_by(|&a, &b| shard::js_cmp(&self.terms[a as usize], &self.terms[b as usize]));
        self.rank = vec![0; order.len()];
        for (pos, &id) in order.iter().enumerate() {
            self.rank[id as usize] = pos as u32;
        }
    }

    fn is_sealed(&self) -> bool {
        self.rank.len() == self.terms.len()
    }
}

/// A document analysed once: its term statistics and its fragment payload. The same
/// article text appears in many versions; preparing it once and building every
/// version's index from the prepared documents avoids tokenizing it again per version.
pub struct PreparedDoc {
    terms: DocTerms,
    /// The page's URL, and the pages it links to with the terms of each link's text
    /// (numbered once interned, like the document's own terms).
    url: String,
    links: Vec<(String, Vec<String>)>,
    link_ids: Vec<(u32, Vec<u32>)>,
    fragment: String,
    /// SHA-256 of the fragment and keywords: all the index reads from the document, so
    /// a version's build id is the hash of its documents' digests, in order.
    digest: [u8; 32],
}

/// Analyses one document for [`build_prepared`]. Pure; safe to call in parallel.
pub fn prepare(doc: &SearchDoc) -> PreparedDoc {
    let fragment = fragment_body(doc);
    // Everything the index takes from the document: the fragment holds URL, title and
    // sections; keywords only reach the postings.
    let mut hash = Sha256::new();
    hash.update(fragment.as_bytes());
    for k in &doc.keywords {
        hash.update([0]);
        hash.update(k.as_bytes());
    }
    for name in doc.sections.iter().flat_map(|s| &s.names) {
        hash.update([1]);
        hash.update(name.as_bytes());
    }
    let links = link_terms(doc);
    for (to, _) in &links {
        hash.update([2]);
        hash.update(to.as_bytes());
    }
    let digest = hash.finalize().into();
    PreparedDoc { terms: analyze(doc), url: doc.url.clone(), links, link_ids: Vec::new(), fragment, digest }
}

/// The pages a document links to in its own folder (`x.html`, `x.html#part`), each with
/// the terms of its link texts (words and pairs), once per target, in order of first link.
fn link_terms(doc: &SearchDoc) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut buf = Vec::new();
    for (href, text) in doc.sections.iter().flat_map(|s| &s.links) {
        let to = href.split(['#', '?']).next().unwrap_or_default();
        if to.is_empty() || to.contains(['/', ':']) || !to.ends_with(".html") || to == doc.url {
            continue;
        }
        for w in tokenize::words(text) {
            tokenize::index_terms(w, &mut buf);
        }
        tokenize::pair_terms(text, false, &mut buf);
        let at = match out.iter().position(|(t, _)| t == to) {
            Some(i) => i,
            None => {
                out.push((to.to_string(), Vec::new()));
                out.len() - 1
            }
        };
        out[at].1.append(&mut buf);
    }
    for (_, terms) in &mut out {
        terms.sort_unstable();
        terms.dedup();
    }
    out
}

impl PreparedDoc {
    /// The bytes of this document's fragment file (`search/f/<doc>.js`): the same in
    /// every version, whatever the document's number there.
    pub fn fragment_file(&self) -> Vec<u8> {
        format!("__S.f({});\n", self.fragment).into_bytes()
    }

    /// Like [`PreparedDoc::fragment_file`], leaving the document without its fragment
    /// text (index building needs only its terms and digest): for a writer that writes
    /// each fragment once and wants the memory back.
    pub fn take_fragment_file(&mut self) -> Vec<u8> {
        let bytes = self.fragment_file();
        self.fragment = String::new();
        bytes
    }
}

/// Builds one version's index, fragments included. Docs arrive in nav order; a doc's
/// id is its position.
pub fn build(docs: &[SearchDoc]) -> SearchIndex {
    let mut prepared: Vec<PreparedDoc> = docs.par_iter().map(prepare).collect();
    let mut vocab = Vocab::default();
    prepared.iter_mut().for_each(|p| vocab.intern(p));
    vocab.seal();
    let refs: Vec<&PreparedDoc> = prepared.iter().collect();
    let mut index = build_prepared(&refs, &vocab);
    for (doc, p) in prepared.iter().enumerate() {
        index.files.push((format!("search/f/{doc}.js"), p.fragment_file()));
    }
    index.files.sort_by(|a, b| a.0.cmp(&b.0));
    index
}

/// Builds one version's index from prepared documents, in nav order: `meta.js` and the
/// term shards. The fragment of document `n` is `docs[n].fragment_file()`, written to
/// `search/f/<n>.js` by the caller (who can share identical files between versions).
/// Every document must have been interned into `vocab`, and `vocab` sealed since.
pub fn build_prepared(docs: &[&PreparedDoc], vocab: &Vocab) -> SearchIndex {
    assert!(docs.iter().all(|d| d.terms.interned) && vocab.is_sealed(), "documents interned into a sealed vocabulary");
    let analyzed: Vec<&DocTerms> = docs.iter().map(|d| &d.terms).collect();
    let total: u64 = analyzed.iter().map(|d| u64::from(d.len)).sum();
    let avg_len = total as f64 / analyzed.len().max(1) as f64;
    let title_lens: String = analyzed.iter().map(|d| shard::ALPHABET[d.title_len.min(63)] as char).collect();

    // The words other pages of this version link to a page by rank as its keywords.
    let mut by_url: FxHashMap<u32, usize> = FxHashMap::default();
    for (id, d) in docs.iter().enumerate() {
        if let Some(&u) = vocab.urls.get(d.url.as_str()) {
            by_url.insert(u, id);
        }
    }
    let mut anchors: Vec<Vec<u32>> = vec![Vec::new(); docs.len()];
    for (id, d) in docs.iter().enumerate() {
        for (to, ids) in &d.link_ids {
            match by_url.get(to) {
                Some(&t) if t != id => anchors[t].extend(ids),
                _ => {}
            }
        }
    }
    // postings in doc order, gathered by term number: (term, encoded postings, last doc id)
    let mut slot: Vec<u32> = vec![u32::MAX; vocab.terms.len()];
    let mut lists: Vec<(u32, String, u32)> = Vec::new();
    let mut merged: Vec<(u32, Stat)> = Vec::new();
    for (id, doc) in analyzed.iter().enumerate() {
        let linked = &mut anchors[id];
        linked.sort_unstable();
        linked.dedup();
        merged.clear();
        merged.extend(doc.terms.iter().copied());
        if !linked.is_empty() {
            let mut seen = vec![false; linked.len()];
            for (term, st) in &mut merged {
                if let Ok(i) = linked.binary_search(term) {
                    st.heading = true;
                    seen[i] = true;
                }
            }
            merged.extend(
                linked
                    .iter()
                    .zip(&seen)
                    .filter(|(_, s)| !**s)
                    .map(|(&t, _)| (t, Stat { heading: true, ..Stat::default() })),
            );
        }
        let id = u32::try_from(id).expect("fewer than 2^32 documents");
        for &(term, st) in &merged {
            let at = &mut slot[term as usize];
            if *at == u32::MAX {
                *at = lists.len() as u32;
                lists.push((term, String::new(), 0));
            }
            let entry = &mut lists[*at as usize];
            let delta = if entry.1.is_empty() { id } else { id - entry.2 };
            shard::push_number(&mut entry.1, delta);
            entry.1.push(shard::weight_char(st.title, st.heading, shard::body_weight(st.tf, doc.len, avg_len)));
            entry.2 = id;
        }
    }
    drop(slot);
    // sorted as JS sorts, so the index is byte-stable and the runtime's search agrees
    lists.sort_unstable_by_key(|e| vocab.rank[e.0 as usize]);
    let entries: Vec<(&str, &str, String)> =
        lists.into_iter().map(|(t, p, _)| (&*vocab.terms[t as usize], &*vocab.escaped[t as usize], p)).collect();

    // a term costs its escaped bytes (with quotes), its postings and two escaped newlines
    let costs: Vec<usize> = entries.iter().map(|(_, e, p)| e.len() + 2 + p.len() + 2).collect();
    let ranges = shard::split(&costs, SHARD_TARGET);
    let shard_bodies: Vec<String> = ranges
        .iter()
        .map(|r| {
            let terms: Vec<&str> = entries[r.clone()].iter().map(|e| e.1).collect();
            let posts: Vec<&str> = entries[r.clone()].iter().map(|e| e.2.as_str()).collect();
            format!("\"{}\",{}", terms.join("\\n"), js_string(&posts.join("\n")))
        })
        .collect();
    let bounds: Vec<String> = ranges
        .iter()
        .enumerate()
        .map(|(k, r)| if k == 0 { String::new() } else { shard::bound(entries[r.start - 1].0, entries[r.start].0) })
        .collect();
    // The index is a function of the ordered documents (and this format), so their
    // digests identify it without hashing the shards again.
    let mut hash = Sha256::new();
    hash.update(INDEX_FORMAT.as_bytes());
    hash.update((shard_bodies.len() as u64).to_le_bytes());
    for d in docs {
        hash.update(d.digest);
    }
    hash.update(bounds.join("\n").as_bytes());
    hash.update(title_lens.as_bytes());
    let digest = hash.finalize();
    let build_id: String = digest[..8].iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    });
    let id = js_string(&build_id);

    let mut files = Vec::with_capacity(1 + shard_bodies.len());
    let bounds_js: Vec<String> = bounds.iter().map(|b| js_string(b)).collect();
    files.push((
        "search/meta.js".to_string(),
        format!(
            "__S.meta({{\"v\":{id},\"n\":{},\"b\":[{}],\"l\":\"{title_lens}\"}});\n",
            docs.len(),
            bounds_js.join(",")
        )
        .into_bytes(),
    ));
    for (k, body) in shard_bodies.iter().enumerate() {
        files.push((format!("search/t/{k}.js"), format!("__S.t({id},{k},{body});\n").into_bytes()));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    SearchIndex { build_id, files }
}

/// `[url,title,[[anchor,heading,text],…]]`
fn fragment_body(doc: &SearchDoc) -> String {
    let mut s = String::with_capacity(64 + doc.sections.iter().map(|x| x.text.len() + 16).sum::<usize>());
    s.push('[');
    s.push_str(&js_string(&doc.url));
    s.push(',');
    s.push_str(&js_string(&doc.title));
    s.push_str(",[");
    for (i, sec) in doc.sections.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "[{},{},{}]", js_string(&sec.anchor), js_string(&sec.heading), js_string(&sec.text));
    }
    s.push_str("]]");
    s
}

/// A JSON string literal in pure ASCII (non-ASCII as `\u` escapes), so the files
/// load correctly whatever charset a server declares for `.js`.
fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
