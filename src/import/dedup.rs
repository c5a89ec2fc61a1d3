//! Deduplication: one article's text in every release becomes the fewest source files a
//! writer can edit. Releases in a row with the same text, title and place share one
//! file; a small change (a few paragraphs) becomes only-blocks in that file; a large
//! change, a new title or a new place in the tree starts a revision
//! (`slug@<version>.md`); a gap becomes a `removed: true` revision; the first and last
//! release give `since` and `until`.

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffTag};

use crate::model::only;
use crate::model::VersionId;

/// One article in one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    pub title: String,
    pub parent: Option<String>,
    pub order: Option<i64>,
    pub body: String,
}

/// A source file to write under `articles/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// What one article became.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Files written (revisions and `removed` revisions included).
    pub files: usize,
    /// Revisions started because the text changed much (not for title or place).
    pub text_revisions: usize,
    /// Revisions started only because the title or the place in the tree changed.
    pub meta_revisions: usize,
    pub removed_revisions: usize,
    pub only_blocks: usize,
    /// Each change of text from one release to the next (title and place the same):
    /// how large it was and what it became.
    pub changes: Vec<Change>,
}

/// One change of an article's text between two releases in a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub article: String,
    pub from: String,
    pub to: String,
    /// Places that changed (runs of changed non-blank lines).
    pub hunks: usize,
    /// Changed lines (removed and added) per 100 non-blank lines of the longer text.
    pub changed_percent: usize,
    /// "only-blocks" or "revision".
    pub became: &'static str,
}

/// The most changed places (hunks) between two releases kept in one file.
pub const MAX_HUNKS: usize = 3;
/// The most changed lines, as a percentage of the longer text's non-blank lines, kept
/// in one file.
pub const MAX_CHANGED_PERCENT: usize = 25;

#[derive(Serialize)]
struct Front<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    removed: bool,
}

/// A file being assembled: the releases it covers and their texts merged line by line,
/// each line with the first and last of those releases that has it.
struct Draft<'a> {
    start: usize,
    doc: &'a Doc,
    removed: bool,
    lines: Vec<(String, usize, usize)>,
    last: usize,
}

impl<'a> Draft<'a> {
    fn new(start: usize, doc: &'a Doc) -> Self {
        let lines = split(&doc.body).into_iter().map(|l| (l.to_string(), start, start)).collect();
        Draft { start, doc, removed: false, lines, last: start }
    }

    fn alive(&self) -> Vec<&str> {
        self.lines.iter().filter(|l| l.2 == self.last).map(|l| l.0.as_str()).collect()
    }

    /// Adds release `v`, whose text is `body`, to the merged lines.
    fn add(&mut self, v: usize, body: &str) {
        let new = split(body);
        let old_lines = self.alive();
        let ops = capture_diff_slices(Algorithm::Myers, &old_lines, &new);
        let mut inserts: Vec<Vec<String>> = vec![Vec::new(); old_lines.len() + 1];
        let mut keep = vec![false; old_lines.len()];
        for op in ops {
            let (tag, old, newr) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => keep[old].iter_mut().for_each(|k| *k = true),
                DiffTag::Delete => {}
                DiffTag::Insert | DiffTag::Replace => {
                    inserts[old.end].extend(new[newr].iter().map(|s| s.to_string()));
                }
            }
        }
        let mut merged = Vec::with_capacity(self.lines.len() + new.len());
        let mut p = 0;
        for (text, from, to) in self.lines.drain(..) {
            if to == self.last {
                merged.extend(inserts[p].drain(..).map(|t| (t, v, v)));
                merged.push((text, from, if keep[p] { v } else { to }));
                p += 1;
            } else {
                merged.push((text, from, to));
            }
        }
        merged.extend(inserts[p].drain(..).map(|t| (t, v, v)));
        self.lines = merged;
        self.last = v;
    }

    /// The file's body with only-blocks, and how many blocks it has.
    fn body(&self, versions: &[String]) -> (String, usize) {
        let mut out = String::new();
        let mut blocks = 0;
        let mut open: Option<(usize, usize)> = None;
        for (text, from, to) in &self.lines {
            let range = (*from != self.start || *to != self.last).then_some((*from, *to));
            if open != range {
                if open.is_some() {
                    out.push_str("<!-- /only -->\n");
                }
                if let Some((f, t)) = range {
                    let a = if f == self.start { "" } else { versions[f].as_str() };
                    let b = if t == self.last { "" } else { versions[t].as_str() };
                    if f == t {
                        out.push_str(&format!("<!-- only {a} -->\n", a = versions[f]));
                    } else {
                        out.push_str(&format!("<!-- only {a}..{b} -->\n"));
                    }
                    blocks += 1;
                }
                open = range;
            }
            out.push_str(text);
            out.push('\n');
        }
        if open.is_some() {
            out.push_str("<!-- /only -->\n");
        }
        (out, blocks)
    }
}

/// The lines of a text, without their line ends.
fn split(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// The size of the change from `a` to `b`: changed places, and changed lines per 100
/// non-blank lines of the longer text (rounded up).
pub fn measure(a: &str, b: &str) -> (usize, usize) {
    let (a, b) = (split(a), split(b));
    let ops = capture_diff_slices(Algorithm::Myers, &a, &b);
    let mut hunks = 0;
    let mut changed = 0;
    for op in &ops {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let lines = a[old].iter().chain(&b[new]).filter(|l| !l.trim().is_empty()).count();
        if lines > 0 {
            hunks += 1;
            changed += lines;
        }
    }
    let total =
        a.iter().filter(|l| !l.trim().is_empty()).count().max(b.iter().filter(|l| !l.trim().is_empty()).count());
    (hunks, (changed * 100).div_ceil(total.max(1)))
}

/// Whether a merged body resolves, with folio's own only-block rules, to exactly each
/// release's text (a change inside a fenced code block cannot be an only-block).
fn resolves_exactly(body: &str, texts: &[(usize, &str)], versions: &[String]) -> bool {
    let Ok(blocks) = only::parse(body) else { return false };
    let id = |s: &Option<String>| s.as_ref().map(|n| VersionId::new(n.as_str()));
    texts.iter().all(|&(v, text)| {
        let here = VersionId::new(versions[v].as_str());
        let active: Vec<bool> = blocks
            .blocks
            .iter()
            .map(|b| id(&b.range.from).is_none_or(|f| f <= here) && id(&b.range.to).is_none_or(|t| here <= t))
            .collect();
        let (resolved, _) = blocks.resolve(body, &active);
        resolved.lines().eq(text.lines())
    })
}

/// The files of one article. `docs[v]` is its text in release `v` (index into
/// `versions`), `None` where it is absent.
pub fn files(slug: &str, docs: &[Option<Doc>], aliases: &[String], versions: &[String]) -> (Vec<SourceFile>, Outcome) {
    let mut outcome = Outcome::default();
    let Some(first) = docs.iter().position(Option::is_some) else { return (Vec::new(), outcome) };
    let last = docs.iter().rposition(Option::is_some).expect("has a first");
    let mut drafts: Vec<Draft> = Vec::new();
    let mut texts: Vec<Vec<(usize, &str)>> = Vec::new();
    for v in first..=last {
        let Some(doc) = &docs[v] else {
            // A gap: the article is removed from here until it comes back.
            if !drafts.last().is_some_and(|d| d.removed) {
                let prev = drafts.last().expect("a gap follows a draft").doc;
                let mut d = Draft::new(v, prev);
                d.removed = true;
                d.lines.clear();
                drafts.push(d);
                texts.push(Vec::new());
                outcome.removed_revisions += 1;
            }
            continue;
        };
        if let Some(d) = drafts.last_mut().filter(|d| !d.removed) {
            let same_meta = d.doc.title == doc.title && d.doc.parent == doc.parent && d.doc.order == doc.order;
            let prev_text = docs[d.last].as_ref().map(|p| p.body.as_str()).unwrap_or("");
            let (hunks, percent) = if prev_text == doc.body { (0, 0) } else { measure(prev_text, &doc.body) };
            let mut change = Change {
                article: slug.to_string(),
                from: versions[d.last].clone(),
                to: versions[v].clone(),
                hunks,
                changed_percent: percent,
                became: "revision",
            };
            if same_meta && hunks <= MAX_HUNKS && percent <= MAX_CHANGED_PERCENT {
                let mut trial =
                    Draft { start: d.start, doc: d.doc, removed: false, lines: d.lines.clone(), last: d.last };
                trial.add(v, &doc.body);
                let mut t = texts.last().expect("texts follow drafts").clone();
                t.push((v, doc.body.as_str()));
                if resolves_exactly(&trial.body(versions).0, &t, versions) {
                    *d = trial;
                    *texts.last_mut().expect("texts follow drafts") = t;
                    if hunks > 0 {
                        change.became = "only-blocks";
                        outcome.changes.push(change);
                    }
                    continue;
                }
            }
            if same_meta {
                outcome.changes.push(change);
                outcome.text_revisions += 1;
            } else {
                outcome.meta_revisions += 1;
            }
        }
        drafts.push(Draft::new(v, doc));
        texts.push(vec![(v, doc.body.as_str())]);
    }
    let since = (first > 0).then(|| versions[first].as_str());
    let until = (last + 1 < versions.len()).then(|| versions[last].as_str());
    let mut out = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        let name = if i == 0 { format!("{slug}.md") } else { format!("{slug}@{}.md", versions[d.start]) };
        let front = Front {
            title: &d.doc.title,
            parent: if d.removed { None } else { d.doc.parent.as_deref() },
            order: if d.removed { None } else { d.doc.order },
            since: if i == 0 { since } else { None },
            until: if i == 0 { until } else { None },
            aliases: if i == 0 { aliases } else { &[] },
            removed: d.removed,
        };
        let yaml = serde_yaml::to_string(&front).expect("front matter serialises");
        let (body, blocks) = if d.removed { (String::new(), 0) } else { d.body(versions) };
        outcome.only_blocks += blocks;
        let mut text = format!("---\n{yaml}---\n");
        if !body.is_empty() {
            text.push('\n');
            text.push_str(&body);
        }
        out.push(SourceFile { name, text });
    }
    outcome.files = out.len();
    (out, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str) -> Option<Doc> {
        Some(Doc { title: title.into(), parent: None, order: Some(10), body: body.into() })
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    const LONG: &str = "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive.\n\nSix.\n\nSeven.\n\nEight.\n";

    #[test]
    fn the_same_text_is_one_file() {
        let vs = names(&["1.0", "2.0", "3.0"]);
        let (files, o) = files("a", &[None, doc("A", LONG), doc("A", LONG)], &[], &vs);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "a.md");
        assert!(
            files[0].text.contains("since: '2.0'") || files[0].text.contains("since: \"2.0\""),
            "{}",
            files[0].text
        );
        assert_eq!(o.only_blocks, 0);
    }

    #[test]
    fn a_small_change_is_an_only_block_that_resolves_to_each_text() {
        let vs = names(&["1.0", "2.0", "3.0"]);
        let v2 = LONG.replace("Four.", "Four, better.");
        let (f, o) = files("a", &[doc("A", LONG), doc("A", &v2), doc("A", &v2)], &[], &vs);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(o.only_blocks, 2);
        let want = "<!-- only 1.0 -->\nFour.\n<!-- /only -->\n<!-- only 2.0.. -->\nFour, better.\n";
        assert!(f[0].text.contains(want), "{}", f[0].text);
    }

    #[test]
    fn a_large_change_or_a_new_title_is_a_revision() {
        let vs = names(&["1.0", "2.0", "3.0"]);
        let (f, o) = files("a", &[doc("A", LONG), doc("A", "All new.\n"), doc("B", "All new.\n")], &[], &vs);
        let n: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(n, ["a.md", "a@2.0.md", "a@3.0.md"]);
        assert_eq!((o.text_revisions, o.meta_revisions), (1, 1));
    }

    #[test]
    fn a_gap_is_a_removed_revision() {
        let vs = names(&["1.0", "2.0", "3.0"]);
        let (f, o) = files("a", &[doc("A", LONG), None, doc("A", LONG)], &["old".to_string()], &vs);
        let n: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(n, ["a.md", "a@2.0.md", "a@3.0.md"]);
        assert!(f[1].text.contains("removed: true"));
        assert!(f[0].text.contains("aliases:\n- old"));
        assert_eq!(o.removed_revisions, 1);
    }

    #[test]
    fn a_change_inside_code_is_a_revision() {
        let vs = names(&["1.0", "2.0"]);
        let a = format!("{LONG}\n```\nx = 1\n```\n");
        let b = format!("{LONG}\n```\nx = 2\n```\n");
        let (f, _) = files("a", &[doc("A", &a), doc("A", &b)], &[], &vs);
        assert_eq!(f.len(), 2);
    }
}
