//! The nav tree of every release from its table of contents: `parent` and `order` of
//! each article per version, section articles for label-only headings, and orders that
//! stay the same across releases wherever the siblings' sequence allows, so a page
//! gets a revision for its place only when it really moved.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::toc::Entry;

/// An article's place in one version's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub parent: Option<String>,
    pub order: i64,
}

/// A TOC entry that did not become a place in the tree, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocProblem {
    pub version: String,
    pub label: String,
    pub href: Option<String>,
    pub reason: String,
}

/// The trees of every version.
#[derive(Debug, Default)]
pub struct Trees {
    /// slug → place per version (index into the version list); `None` where the article
    /// is not in that version.
    pub places: BTreeMap<String, Vec<Option<Place>>>,
    /// Section articles made from label-only headings: slug → title per version.
    pub sections: BTreeMap<String, Vec<Option<String>>>,
    pub toc_problems: Vec<TocProblem>,
    /// (version, slug) of pages that are in no TOC entry: placed at the top level, after
    /// the TOC's entries, by slug.
    pub not_in_toc: Vec<(String, String)>,
}

/// What the tree needs to know of one version.
pub struct VersionInput<'a> {
    pub name: &'a str,
    pub toc: &'a [Entry],
    /// Slugs of the articles of this version (pages and stubs that stay pages).
    pub articles: &'a BTreeSet<String>,
    /// The article slug a TOC link leads to in this version, or why it leads to none.
    pub resolve: &'a dyn Fn(&str) -> Result<String, String>,
}

/// Gap between the orders of neighbours, so later releases can insert between them.
const STEP: i64 = 10;

pub fn build(inputs: &[VersionInput], page_slugs: &BTreeSet<String>) -> Trees {
    let mut trees = Trees::default();
    let mut section_slugs: HashMap<String, String> = HashMap::new();
    let mut taken: HashSet<String> = page_slugs.iter().cloned().collect();
    // parent → children in order, per version.
    let mut seqs: Vec<BTreeMap<Option<String>, Vec<String>>> = Vec::new();
    let n = inputs.len();
    for (vi, input) in inputs.iter().enumerate() {
        let mut w = Walk {
            input,
            vi,
            n,
            seq: BTreeMap::new(),
            seen: HashSet::new(),
            trees: &mut trees,
            section_slugs: &mut section_slugs,
            taken: &mut taken,
        };
        w.entries(input.toc, None);
        let mut rest: Vec<String> = input.articles.iter().filter(|s| !w.seen.contains(*s)).cloned().collect();
        rest.sort();
        for slug in &rest {
            w.trees.not_in_toc.push((input.name.to_string(), slug.clone()));
            w.trees.places.entry(slug.clone()).or_insert_with(|| vec![None; n])[vi] =
                Some(Place { parent: None, order: 0 });
        }
        w.seq.entry(None).or_default().extend(rest);
        seqs.push(w.seq);
    }
    assign_orders(&seqs, &mut trees.places, n);
    trees
}

struct Walk<'a, 'b> {
    input: &'a VersionInput<'a>,
    vi: usize,
    n: usize,
    seq: BTreeMap<Option<String>, Vec<String>>,
    seen: HashSet<String>,
    trees: &'b mut Trees,
    section_slugs: &'b mut HashMap<String, String>,
    taken: &'b mut HashSet<String>,
}

impl Walk<'_, '_> {
    fn problem(&mut self, e: &Entry, reason: String) {
        self.trees.toc_problems.push(TocProblem {
            version: self.input.name.to_string(),
            label: e.label.clone(),
            href: e.href.clone(),
            reason,
        });
    }

    /// Whether an entry or one beneath it leads to an article of this version.
    fn has_article(&self, e: &Entry) -> bool {
        match &e.href {
            Some(h) => (self.input.resolve)(h).is_ok() || e.children.iter().any(|c| self.has_article(c)),
            None => e.children.iter().any(|c| self.has_article(c)),
        }
    }

    fn entries(&mut self, entries: &[Entry], parent: Option<&str>) {
        for e in entries {
            let slug = match &e.href {
                Some(h) => match (self.input.resolve)(h) {
                    Ok(slug) if self.seen.contains(&slug) => {
                        self.problem(e, format!("'{slug}' is already in the table of contents"));
                        None
                    }
                    Ok(slug) => Some(slug),
                    Err(reason) => {
                        self.problem(e, reason);
                        None
                    }
                },
                None if self.has_article(e) => Some(self.section(e)),
                None => None,
            };
            match slug {
                Some(slug) => {
                    self.seen.insert(slug.clone());
                    self.seq.entry(parent.map(str::to_string)).or_default().push(slug.clone());
                    self.trees.places.entry(slug.clone()).or_insert_with(|| vec![None; self.n])[self.vi] =
                        Some(Place { parent: parent.map(str::to_string), order: 0 });
                    self.entries(&e.children, Some(&slug));
                }
                None => self.entries(&e.children, parent),
            }
        }
    }

    /// The section article of a label-only heading (the same one in every release
    /// where the heading has the same id, or label when it has none).
    fn section(&mut self, e: &Entry) -> String {
        let key = e.id.clone().unwrap_or_else(|| e.label.clone());
        let slug = match self.section_slugs.get(&key) {
            Some(s) => s.clone(),
            None => {
                let base = slugify(&key);
                let base = if base.is_empty() { "section".to_string() } else { base };
                let mut slug = base.clone();
                if self.taken.contains(&slug) {
                    slug = format!("{base}-section");
                }
                let mut k = 2;
                while self.taken.contains(&slug) {
                    slug = format!("{base}-section-{k}");
                    k += 1;
                }
                self.taken.insert(slug.clone());
                self.section_slugs.insert(key, slug.clone());
                slug
            }
        };
        self.trees.sections.entry(slug.clone()).or_insert_with(|| vec![None; self.n])[self.vi] = Some(e.label.clone());
        slug
    }
}

impl Trees {
    /// Adds each section article (an empty page titled by its heading) to `docs`, in
    /// the versions where it exists.
    pub fn add_sections(
        &self,
        docs: &mut std::collections::BTreeMap<String, Vec<Option<super::dedup::Doc>>>,
        n: usize,
    ) {
        for (slug, titles) in &self.sections {
            let entry = docs.entry(slug.clone()).or_insert_with(|| vec![None; n]);
            for (vi, t) in titles.iter().enumerate() {
                if let Some(title) = t {
                    let place = self.places[slug][vi].clone().expect("a section has a place where it exists");
                    entry[vi] = Some(super::dedup::Doc {
                        title: title.clone(),
                        parent: place.parent,
                        order: Some(place.order),
                        body: String::new(),
                    });
                }
            }
        }
    }
}

/// A slug from a label or id: lowercase letters and digits, other runs as one '-'.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Orders siblings so that an article keeps its order across versions unless it moved
/// among its siblings: per parent, one merged sequence of every child any version had
/// (new ones inserted where they first appear), each child's order its place in it; a
/// version whose siblings disagree with the merged sequence keeps the longest run that
/// agrees and gives the others orders between their neighbours.
fn assign_orders(
    seqs: &[BTreeMap<Option<String>, Vec<String>>],
    places: &mut BTreeMap<String, Vec<Option<Place>>>,
    n: usize,
) {
    let parents: BTreeSet<&Option<String>> = seqs.iter().flat_map(|s| s.keys()).collect();
    for parent in parents {
        let mut merged: Vec<String> = Vec::new();
        for seq in seqs {
            let Some(children) = seq.get(parent) else { continue };
            merge_into(&mut merged, children);
        }
        let base: HashMap<&str, i64> =
            merged.iter().enumerate().map(|(i, s)| (s.as_str(), (i as i64 + 1) * STEP)).collect();
        for (vi, seq) in seqs.iter().enumerate() {
            let Some(children) = seq.get(parent) else { continue };
            let orders = version_orders(children, &base);
            for (slug, order) in children.iter().zip(orders) {
                if let Some(Some(p)) = places.get_mut(slug).map(|v| &mut v[vi]) {
                    p.order = order;
                }
            }
        }
    }
    debug_assert!(places.values().all(|v| v.len() == n));
}

/// Inserts into `merged` the items of `seq` it lacks, each after the item that precedes
/// it in `seq` (or at the front).
fn merge_into(merged: &mut Vec<String>, seq: &[String]) {
    // New items go after the last item of `seq` before them that `merged` has (None:
    // at the front), in their order; then the sequence is laid out once.
    let present: HashSet<&str> = merged.iter().map(String::as_str).collect();
    let mut inserted: HashMap<Option<&str>, Vec<String>> = HashMap::new();
    let mut new: HashSet<&str> = HashSet::new();
    let mut anchor: Option<&str> = None;
    for item in seq {
        if present.contains(item.as_str()) {
            anchor = Some(item.as_str());
        } else if new.insert(item.as_str()) {
            inserted.entry(anchor).or_default().push(item.clone());
        }
    }
    if inserted.is_empty() {
        return;
    }
    let mut out = inserted.remove(&None).unwrap_or_default();
    for m in merged.iter() {
        out.push(m.clone());
        if let Some(after) = inserted.get(&Some(m.as_str())) {
            out.extend(after.iter().cloned());
        }
    }
    *merged = out;
}

/// Orders for one version's children: the merged orders where they increase along the
/// longest possible run, orders between the neighbours for the rest (renumbered from
/// scratch when there is no room).
fn version_orders(children: &[String], base: &HashMap<&str, i64>) -> Vec<i64> {
    let wanted: Vec<i64> = children.iter().map(|c| base[c.as_str()]).collect();
    let keep = longest_increasing(&wanted);
    let mut out: Vec<Option<i64>> = wanted.iter().zip(&keep).map(|(&w, &k)| k.then_some(w)).collect();
    let mut i = 0;
    while i < out.len() {
        if out[i].is_some() {
            i += 1;
            continue;
        }
        let start = i;
        while i < out.len() && out[i].is_none() {
            i += 1;
        }
        let lo = if start == 0 { 0 } else { out[start - 1].expect("kept") };
        let hi = out.get(i).copied().flatten();
        let count = (i - start) as i64;
        let room = hi.map(|h| h - lo - 1).unwrap_or(i64::MAX);
        if room < count {
            return (1..=children.len() as i64).map(|k| k * STEP).collect();
        }
        let step = match hi {
            Some(h) => (h - lo) / (count + 1),
            None => STEP,
        };
        for (k, slot) in out[start..i].iter_mut().enumerate() {
            *slot = Some(lo + step * (k as i64 + 1));
        }
    }
    out.into_iter().map(|o| o.expect("every order set")).collect()
}

/// Marks the members of one longest strictly increasing subsequence.
fn longest_increasing(v: &[i64]) -> Vec<bool> {
    // Patience sorting: `tails[k]` is the index ending the best run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; v.len()];
    for i in 0..v.len() {
        let k = tails.partition_point(|&t| v[t] < v[i]);
        if k > 0 {
            prev[i] = tails[k - 1];
        }
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut keep = vec![false; v.len()];
    let mut i = tails.last().copied().unwrap_or(usize::MAX);
    while i != usize::MAX {
        keep[i] = true;
        i = prev[i];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(label: &str, href: Option<&str>, children: Vec<Entry>) -> Entry {
        Entry { label: label.into(), href: href.map(Into::into), id: None, children }
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_insertion_keeps_the_siblings_orders() {
        let toc1 = vec![e("Home", Some("home"), vec![e("A", Some("a"), vec![]), e("C", Some("c"), vec![])])];
        let toc2 = vec![e(
            "Home",
            Some("home"),
            vec![e("A", Some("a"), vec![]), e("B", Some("b"), vec![]), e("C", Some("c"), vec![])],
        )];
        let (a1, a2) = (set(&["home", "a", "c", "loose"]), set(&["home", "a", "b", "c"]));
        let resolve = |h: &str| Ok(h.to_string());
        let inputs = [
            VersionInput { name: "1", toc: &toc1, articles: &a1, resolve: &resolve },
            VersionInput { name: "2", toc: &toc2, articles: &a2, resolve: &resolve },
        ];
        let t = build(&inputs, &set(&["home", "a", "b", "c", "loose"]));
        let c = &t.places["c"];
        assert_eq!(c[0], c[1], "c keeps its order and parent");
        let b = t.places["b"][1].as_ref().unwrap();
        assert!(t.places["a"][1].as_ref().unwrap().order < b.order && b.order < c[1].as_ref().unwrap().order);
        assert_eq!(t.places["loose"][0].as_ref().unwrap().parent, None);
        assert_eq!(t.not_in_toc, vec![("1".to_string(), "loose".to_string())]);
    }

    #[test]
    fn label_only_headings_become_sections_and_missing_pages_are_reported() {
        let toc = vec![e("Group", None, vec![e("A", Some("a"), vec![]), e("Gone", Some("gone"), vec![])])];
        let arts = set(&["a"]);
        let resolve = |h: &str| if h == "a" { Ok("a".to_string()) } else { Err("no such page".to_string()) };
        let inputs = [VersionInput { name: "1", toc: &toc, articles: &arts, resolve: &resolve }];
        let t = build(&inputs, &set(&["a"]));
        assert_eq!(t.sections["group"], vec![Some("Group".to_string())]);
        assert_eq!(t.places["a"][0].as_ref().unwrap().parent.as_deref(), Some("group"));
        assert_eq!(t.toc_problems.len(), 1);
    }

    #[test]
    fn merging_and_runs() {
        let mut merged: Vec<String> = ["a", "c"].iter().map(|s| s.to_string()).collect();
        let seq: Vec<String> = ["x", "a", "b", "b2", "c", "d"].iter().map(|s| s.to_string()).collect();
        merge_into(&mut merged, &seq);
        assert_eq!(merged, ["x", "a", "b", "b2", "c", "d"]);
        assert_eq!(longest_increasing(&[10, 30, 20, 40]), [true, false, true, true]);
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
    }

    #[test]
    fn a_move_among_siblings_changes_only_the_moved_order() {
        let mut base = HashMap::new();
        for (i, s) in ["a", "b", "c", "d"].iter().enumerate() {
            base.insert(*s, (i as i64 + 1) * 10);
        }
        let seq: Vec<String> = ["b", "c", "a", "d"].iter().map(|s| s.to_string()).collect();
        let o = version_orders(&seq, &base);
        assert_eq!((o[0], o[1], o[3]), (20, 30, 40));
        assert!(o[1] < o[2] && o[2] < o[3]);
    }
}
