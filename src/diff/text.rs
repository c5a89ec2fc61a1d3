//! Text diffs with `similar`: unified hunks of lines and word-level segments.
//!
//! Pure functions over two strings, shared by the `folio diff` command and the build's
//! diff pages. No deadlines are set, so the same input always gives the same diff.

use serde::Serialize;
use similar::{ChangeTag, DiffOp, TextDiff};

/// What a line or segment of a diff does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// In both texts.
    Equal,
    /// Only in the newer text.
    Insert,
    /// Only in the older text.
    Delete,
}

impl Op {
    fn of(tag: ChangeTag) -> Op {
        match tag {
            ChangeTag::Equal => Op::Equal,
            ChangeTag::Insert => Op::Insert,
            ChangeTag::Delete => Op::Delete,
        }
    }
}

/// One line of a hunk, without its line break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub op: Op,
    pub text: String,
}

/// A run of text in a word diff; `text` may hold line breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

/// A hunk of a unified diff. The four numbers are those of the `@@ -a,b +c,d @@` header
/// (1-based starts; an empty side starts at the line before).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub from_start: usize,
    pub from_lines: usize,
    pub to_start: usize,
    pub to_lines: usize,
    pub lines: Vec<Line>,
    /// The same hunk as a word diff (only when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<Segment>>,
}

impl Hunk {
    /// The `@@ -a,b +c,d @@` header, as `diff -u` writes it.
    pub fn header(&self) -> String {
        format!("@@ -{} +{} @@", range_text(self.from_start, self.from_lines), range_text(self.to_start, self.to_lines))
    }
}

fn range_text(start: usize, len: usize) -> String {
    if len == 1 {
        start.to_string()
    } else {
        format!("{start},{len}")
    }
}

/// The header numbers of a range of lines: 1-based start, or the line before when empty.
fn header_range(range: std::ops::Range<usize>) -> (usize, usize) {
    let len = range.end - range.start;
    (if len == 0 { range.start } else { range.start + 1 }, len)
}

/// `text` ending with a line break (unless empty), so that a missing final newline does
/// not count as a change: readers cannot see it.
pub(crate) fn terminated(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_empty() || text.ends_with('\n') {
        text.into()
    } else {
        format!("{text}\n").into()
    }
}

/// Whether two texts read the same: equal, or equal but for a missing final newline.
pub fn same_text(a: &str, b: &str) -> bool {
    a == b || terminated(a) == terminated(b)
}

/// Lines added and removed from `old` to `new`.
pub fn line_counts(old: &str, new: &str) -> (usize, usize) {
    let (old, new) = (terminated(old), terminated(new));
    let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
    let mut added = 0;
    let mut removed = 0;
    for op in diff.ops() {
        removed += op.old_range().len() * usize::from(!matches!(op, DiffOp::Equal { .. }));
        added += op.new_range().len() * usize::from(!matches!(op, DiffOp::Equal { .. }));
    }
    (added, removed)
}

/// The hunks of a unified diff of `old` and `new` with `context` lines around each
/// change; with `words`, each hunk also carries its word diff (see [`words`]).
pub fn hunks(old: &str, new: &str, context: usize, with_words: bool) -> Vec<Hunk> {
    let (old, new) = (terminated(old), terminated(new));
    let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
    let old_lines = diff.old_slices();
    let new_lines = diff.new_slices();
    let mut out = Vec::new();
    for group in diff.grouped_ops(context) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let (from_start, from_lines) = header_range(first.old_range().start..last.old_range().end);
        let (to_start, to_lines) = header_range(first.new_range().start..last.new_range().end);
        let mut lines = Vec::new();
        for op in &group {
            for change in diff.iter_changes(op) {
                lines.push(Line { op: Op::of(change.tag()), text: strip_eol(change.value()).to_string() });
            }
        }
        let words = with_words.then(|| {
            let mut segs = Vec::new();
            // Equal lines as they are; each run of changed lines as one word diff, so a
            // re-wrapped paragraph shows only the words that changed.
            let mut i = 0;
            while i < group.len() {
                if let DiffOp::Equal { new_index, len, .. } = group[i] {
                    push(&mut segs, Op::Equal, &new_lines[new_index..new_index + len].concat());
                    i += 1;
                    continue;
                }
                let start = i;
                while i < group.len() && !matches!(group[i], DiffOp::Equal { .. }) {
                    i += 1;
                }
                let o = group[start].old_range().start..group[i - 1].old_range().end;
                let n = group[start].new_range().start..group[i - 1].new_range().end;
                for s in words(&old_lines[o].concat(), &new_lines[n].concat()) {
                    push(&mut segs, s.op, &s.text);
                }
            }
            segs
        });
        out.push(Hunk { from_start, from_lines, to_start, to_lines, lines, words });
    }
    out
}

fn strip_eol(s: &str) -> &str {
    s.strip_suffix('\n').map(|s| s.strip_suffix('\r').unwrap_or(s)).unwrap_or(s)
}

/// Appends to `segs`, merging with the last segment when the op is the same.
fn push(segs: &mut Vec<Segment>, op: Op, text: &str) {
    if text.is_empty() {
        return;
    }
    match segs.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => segs.push(Segment { op, text: text.to_string() }),
    }
}

/// A stretch of a word diff before it is flattened into segments.
enum Chunk {
    Same(String),
    Change { del: String, ins: String },
}

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Splits text into words, each with the whitespace after it; the first token is the
/// whitespace before the first word (with an empty word).
fn word_tokens(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let lead = text.len() - text.trim_start().len();
    out.push(("", &text[..lead]));
    let mut rest = &text[lead..];
    while !rest.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let after = &rest[word_end..];
        let ws_end = word_end + (after.len() - after.trim_start().len());
        out.push((&rest[..word_end], &rest[word_end..ws_end]));
        rest = &rest[ws_end..];
    }
    out
}

/// A word-level diff of `old` and `new`, tidied for reading.
///
/// Words are compared with `similar` (a `TextDiff` over the words), whitespace apart:
/// `similar`'s own word tokens make whitespace runs tokens too, which aligns re-wrapped
/// prose on its line breaks instead of its words. Equal words keep the new text's
/// whitespace, so re-wrapped lines are not marked; changes separated only by a space
/// are joined (`[-quick brown-]{+slow red+}`), and removed words come first.
pub fn words(old: &str, new: &str) -> Vec<Segment> {
    let old_t = word_tokens(old);
    let new_t = word_tokens(new);
    let old_words: Vec<&str> = old_t.iter().map(|t| t.0).collect();
    let new_words: Vec<&str> = new_t.iter().map(|t| t.0).collect();
    let diff = TextDiff::from_slices(&old_words, &new_words);
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut add = |tag: ChangeTag, token: (&str, &str)| {
        let (word, ws) = token;
        match (tag, chunks.last_mut()) {
            (ChangeTag::Equal, Some(Chunk::Same(s))) => {
                s.push_str(word);
                s.push_str(ws);
            }
            (ChangeTag::Equal, _) => chunks.push(Chunk::Same(format!("{word}{ws}"))),
            (ChangeTag::Delete, Some(Chunk::Change { del, .. })) => {
                del.push_str(word);
                del.push_str(ws);
            }
            (ChangeTag::Insert, Some(Chunk::Change { ins, .. })) => {
                ins.push_str(word);
                ins.push_str(ws);
            }
            (ChangeTag::Delete, _) => chunks.push(Chunk::Change { del: format!("{word}{ws}"), ins: String::new() }),
            (ChangeTag::Insert, _) => chunks.push(Chunk::Change { del: String::new(), ins: format!("{word}{ws}") }),
        }
    };
    for op in diff.ops() {
        match *op {
            DiffOp::Equal { old_index, new_index, len } => {
                for (o, n) in old_t[old_index..old_index + len].iter().zip(&new_t[new_index..new_index + len]) {
                    // The new text's spacing, except where it ends and the old text goes
                    // on: the old spacing then separates the words removed after it.
                    let ws = if n.1.is_empty() { o.1 } else { n.1 };
                    add(ChangeTag::Equal, (n.0, ws));
                }
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                old_t[old_index..old_index + old_len].iter().for_each(|t| add(ChangeTag::Delete, *t))
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                new_t[new_index..new_index + new_len].iter().for_each(|t| add(ChangeTag::Insert, *t))
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                old_t[old_index..old_index + old_len].iter().for_each(|t| add(ChangeTag::Delete, *t));
                new_t[new_index..new_index + new_len].iter().for_each(|t| add(ChangeTag::Insert, *t));
            }
        }
    }

    // The whitespace after a change is the new text's (else the old's), outside it.
    let mut tidy: Vec<Chunk> = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        match chunk {
            Chunk::Same(s) => match tidy.last_mut() {
                Some(Chunk::Same(prev)) => prev.push_str(&s),
                _ => tidy.push(Chunk::Same(s)),
            },
            Chunk::Change { del, ins } => {
                let (d, i) = (del.trim_end(), ins.trim_end());
                let ws = if ins.is_empty() { &del[d.len()..] } else { &ins[i.len()..] };
                let ws = ws.to_string();
                tidy.push(Chunk::Change { del: d.to_string(), ins: i.to_string() });
                if !ws.is_empty() {
                    tidy.push(Chunk::Same(ws));
                }
            }
        }
    }

    // Join change, blank, change when both changes have the same sides.
    let mut joined: Vec<Chunk> = Vec::with_capacity(tidy.len());
    let mut iter = tidy.into_iter().peekable();
    while let Some(chunk) = iter.next() {
        if let (Chunk::Same(ws), Some(Chunk::Change { del: d1, ins: i1 })) = (&chunk, joined.last_mut()) {
            if is_blank(ws) {
                if let Some(Chunk::Change { del: d2, ins: i2 }) = iter.peek() {
                    if d1.is_empty() == d2.is_empty() && i1.is_empty() == i2.is_empty() {
                        if !d1.is_empty() {
                            d1.push_str(ws);
                            d1.push_str(d2);
                        }
                        if !i1.is_empty() {
                            i1.push_str(ws);
                            i1.push_str(i2);
                        }
                        iter.next();
                        continue;
                    }
                }
            }
        }
        joined.push(chunk);
    }

    let mut segs = Vec::new();
    for chunk in joined {
        match chunk {
            Chunk::Same(s) => push(&mut segs, Op::Equal, &s),
            Chunk::Change { del, ins } => {
                push(&mut segs, Op::Delete, &del);
                push(&mut segs, Op::Insert, &ins);
            }
        }
    }
    segs
}

/// How alike two texts are, word by word, from 0 (nothing shared) to 1 (the same).
pub fn similarity(old: &str, new: &str) -> f32 {
    TextDiff::from_words(old, new).ratio()
}

/// [`similarity`], or any value below `threshold` when the texts cannot reach it. The
/// diff ratio is 2·matches / (tokens of both), and matches can never exceed the tokens
/// the two texts share as multisets, so that cheap count rules most pairs out before
/// the diff runs (pairing blocks is otherwise the costliest part of a build's diff pages).
pub fn similarity_at_least(old: &str, new: &str, threshold: f32) -> f32 {
    let (a, b) = (tokens(old), tokens(new));
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let mut counts: std::collections::HashMap<&str, i32> = std::collections::HashMap::with_capacity(a.len());
    for t in &a {
        *counts.entry(t).or_default() += 1;
    }
    let mut shared = 0usize;
    for t in &b {
        if let Some(c) = counts.get_mut(t) {
            if *c > 0 {
                *c -= 1;
                shared += 1;
            }
        }
    }
    let bound = 2.0 * shared as f32 / total as f32;
    if bound < threshold {
        return bound;
    }
    similarity(old, new)
}

/// The tokens `TextDiff::from_words` compares: runs of whitespace and runs of the rest.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let ws = c.is_whitespace();
        if prev.is_some_and(|p| p != ws) {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(ws);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(segs: &[Segment]) -> String {
        segs.iter()
            .map(|s| match s.op {
                Op::Equal => s.text.clone(),
                Op::Delete => format!("[-{}-]", s.text),
                Op::Insert => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn similarity_bound_never_hides_a_similar_pair() {
        let pairs = [
            ("the quick brown fox", "the slow red fox"),
            ("a b c d e", "e d c b a"),
            ("Check the server.", "Check that the server is on."),
            ("", ""),
            ("one", "two"),
        ];
        for (a, b) in pairs {
            let exact = similarity(a, b);
            for t in [0.0, 0.3, 0.5, 0.8] {
                let got = similarity_at_least(a, b, t);
                if exact >= t {
                    assert_eq!(got, exact, "{a:?} {b:?} at {t}");
                } else {
                    assert!(got < t, "{a:?} {b:?} at {t}");
                }
            }
        }
    }

    #[test]
    fn words_join_neighbouring_replacements() {
        let segs = words("the quick brown fox", "the slow red fox");
        assert_eq!(render(&segs), "the [-quick brown-]{+slow red+} fox");
    }

    #[test]
    fn words_keep_a_lone_insertion_apart() {
        assert_eq!(render(&words("check the server", "check that the server")), "check {+that+} the server");
        assert_eq!(render(&words("a b c", "a c")), "a [-b-] c");
        assert_eq!(render(&words("x", "")), "[-x-]");
        assert_eq!(render(&words("Done. See more.", "Done.")), "Done. [-See more.-]");
    }

    #[test]
    fn rewrapped_text_is_not_a_change() {
        let segs = words("one two\nthree four\n", "one two three\nfour\n");
        assert!(segs.iter().all(|s| s.op == Op::Equal), "{segs:?}");
        assert_eq!(render(&segs), "one two three\nfour\n");
    }

    #[test]
    fn hunks_number_like_diff_u() {
        let h = hunks("a\nb\nc\n", "a\nc\nd\n", 1, false);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].header(), "@@ -1,3 +1,3 @@");
        let ops: Vec<Op> = h[0].lines.iter().map(|l| l.op).collect();
        assert_eq!(ops, [Op::Equal, Op::Delete, Op::Equal, Op::Insert]);
        // Into an empty text: the new side starts at line 0.
        assert_eq!(hunks("x\n", "", 3, false)[0].header(), "@@ -1 +0,0 @@");
    }

    #[test]
    fn a_missing_final_newline_is_not_a_change() {
        assert!(hunks("a\nb", "a\nb\n", 3, false).is_empty());
        assert_eq!(line_counts("a\nb", "a\nc\n"), (1, 1));
    }

    #[test]
    fn word_hunks_cover_the_changed_lines() {
        let h = hunks("keep\nold words here\nkeep\n", "keep\nnew words here\nkeep\n", 1, true);
        let words = h[0].words.as_ref().unwrap();
        assert_eq!(render(words), "keep\n[-old-]{+new+} words here\nkeep\n");
    }
}
