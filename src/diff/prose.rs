//! The text readers see, block by block, and a diff of it for the build's diff pages.
//!
//! An article's resolved Markdown (from the model) is parsed with the same extensions
//! the renderer uses and reduced to blocks of plain text: headings, paragraphs, list
//! items, table rows, code lines. Markup, link targets and HTML tags are dropped,
//! images show as `[Image: alt]`. Two versions' blocks are compared with `similar`;
//! a block replaced by a similar one is shown with a word diff inside it.
//!
//! Why the resolved Markdown and not the rendered HTML: it is the model's data (the
//! diff works for any two versions, built or not, without rendering), the parser is
//! the renderer's, so the text is what the page shows, and blocks are the units readers
//! read, so a re-wrapped source line or a changed link target does not show as a change
//! while every changed word does.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::text::{similarity_at_least, words, Op, Segment};

/// What kind of block a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Heading(u8),
    Paragraph,
    /// A list item's text (the first block of an item carries its marker).
    Item,
    /// One line of a code block.
    Code,
    /// A table row, cells separated by ` | `.
    Row,
    /// A thematic break.
    Rule,
}

impl Kind {
    /// The name templates use: `h2`, `p`, `li`, `code`, `tr`, `hr`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Heading(1) => "h1",
            Kind::Heading(2) => "h2",
            Kind::Heading(3) => "h3",
            Kind::Heading(4) => "h4",
            Kind::Heading(5) => "h5",
            Kind::Heading(_) => "h6",
            Kind::Paragraph => "p",
            Kind::Item => "li",
            Kind::Code => "code",
            Kind::Row => "tr",
            Kind::Rule => "hr",
        }
    }
}

/// One block of an article's text as readers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    /// List nesting (0 outside lists).
    pub depth: u8,
    /// Block quote nesting.
    pub quote: u8,
    /// A list item's bullet or number, a footnote's label.
    pub marker: Option<String>,
    /// Whitespace collapsed, except in code lines.
    pub text: String,
}

impl Block {
    /// What two blocks are compared on: not the marker, so that inserting an item does
    /// not change the numbers of the items after it.
    fn key(&self) -> (Kind, u8, u8, &str) {
        (self.kind, self.depth, self.quote, self.text.as_str())
    }
}

#[derive(Default)]
struct Extractor {
    blocks: Vec<Block>,
    buf: String,
    heading: Option<u8>,
    in_row: bool,
    cells: usize,
    in_code: bool,
    in_html: bool,
    quote: u8,
    /// Open lists: the next number of an ordered list, `None` for bullets.
    lists: Vec<Option<u64>>,
    marker: Option<String>,
    image_start: Option<(usize, String)>,
}

impl Extractor {
    fn flush(&mut self) {
        let raw = std::mem::take(&mut self.buf);
        let raw = if self.in_html { strip_tags(&raw) } else { raw };
        let text = collapse_whitespace(&raw);
        if text.is_empty() {
            return;
        }
        let kind = match (self.heading, self.in_row, self.lists.is_empty()) {
            (Some(level), _, _) => Kind::Heading(level),
            (None, true, _) => Kind::Row,
            (None, false, false) => Kind::Item,
            (None, false, true) => Kind::Paragraph,
        };
        self.push(kind, text);
    }

    fn push(&mut self, kind: Kind, text: String) {
        let depth = u8::try_from(self.lists.len()).unwrap_or(u8::MAX);
        let marker = self.marker.take();
        self.blocks.push(Block { kind, depth, quote: self.quote, marker, text });
    }

    fn code(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.trim_end();
            if !line.is_empty() {
                self.push(Kind::Code, line.to_string());
            }
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.in_code => self.code(&t),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => self.buf.push_str(&t),
            Event::Html(t) => self.buf.push_str(&t),
            // Inline tags are markup; a line break among them is a space.
            Event::InlineHtml(t) => {
                if t.to_ascii_lowercase().starts_with("<br") {
                    self.buf.push(' ');
                }
            }
            Event::SoftBreak | Event::HardBreak => self.buf.push(' '),
            Event::FootnoteReference(label) => {
                self.buf.push('[');
                self.buf.push_str(&label);
                self.buf.push(']');
            }
            Event::TaskListMarker(done) => self.buf.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Rule => {
                self.flush();
                self.push(Kind::Rule, "* * *".to_string());
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::TableHead | Tag::TableRow | Tag::HtmlBlock | Tag::DefinitionListTitle => {
                self.flush();
                self.in_row = matches!(tag, Tag::TableHead | Tag::TableRow);
                self.in_html = matches!(tag, Tag::HtmlBlock);
                self.cells = 0;
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level as u8);
            }
            Tag::BlockQuote(kind) => {
                self.flush();
                self.quote = self.quote.saturating_add(1);
                // A typed note's title is text readers see ("Warning"), so a note whose
                // type changes shows as changed.
                if let Some(kind) = kind {
                    self.push(Kind::Paragraph, crate::render::markdown::callout(kind).0.to_string());
                }
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.in_code = true;
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_string(),
                };
                self.marker = Some(marker);
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.marker = Some(format!("[{label}]"));
            }
            Tag::TableCell => {
                if self.cells > 0 {
                    self.buf.push_str(" | ");
                }
                self.cells += 1;
            }
            Tag::Image { dest_url, .. } => {
                self.buf.push_str("[Image: ");
                let name = dest_url.rsplit('/').next().unwrap_or(&dest_url).to_string();
                self.image_start = Some((self.buf.len(), name));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Item | TagEnd::FootnoteDefinition | TagEnd::DefinitionListTitle => self.flush(),
            TagEnd::TableHead | TagEnd::TableRow => {
                self.flush();
                self.in_row = false;
            }
            TagEnd::HtmlBlock => {
                self.flush();
                self.in_html = false;
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::CodeBlock => self.in_code = false,
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Image => {
                if let Some((at, name)) = self.image_start.take() {
                    // No alt text: the file name stands for the image.
                    if self.buf.get(at..).is_some_and(|alt| alt.trim().is_empty()) {
                        self.buf.truncate(at);
                        self.buf.push_str(&name);
                    }
                }
                self.buf.push(']');
            }
            _ => {}
        }
    }
}

/// `text`'s words joined by single spaces (what `split_whitespace` and `join(" ")` give,
/// without a list of the words in between).
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Text of an HTML fragment without tags and comments, with common entities decoded.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end =
            if after.starts_with("<!--") { after.find("-->").map(|j| j + 3) } else { after.find('>').map(|j| j + 1) };
        match end {
            Some(j) => {
                out.push(' ');
                rest = &after[j..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The blocks of text readers see in a resolved Markdown source.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut x = Extractor::default();
    for event in Parser::new_ext(markdown, crate::render::markdown::options()) {
        x.event(event);
    }
    x.flush();
    x.blocks
}

/// How a row of a prose diff differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowOp {
    /// The same in both versions.
    Same,
    /// New in the newer version.
    Ins,
    /// Only in the older version.
    Del,
    /// Changed: the segments hold a word diff.
    Mod,
}

/// One block in a prose diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub op: RowOp,
    /// [`Kind::name`] of the block.
    pub block: &'static str,
    pub depth: u8,
    pub quote: u8,
    pub marker: Option<String>,
    pub segments: Vec<Segment>,
}

impl Row {
    fn whole(op: RowOp, b: &Block) -> Row {
        let seg_op = match op {
            RowOp::Ins => Op::Insert,
            RowOp::Del => Op::Delete,
            RowOp::Same | RowOp::Mod => Op::Equal,
        };
        Row {
            op,
            block: b.kind.name(),
            depth: b.depth,
            quote: b.quote,
            marker: b.marker.clone(),
            segments: vec![Segment { op: seg_op, text: b.text.clone() }],
        }
    }

    fn changed(old: &Block, new: &Block) -> Row {
        Row {
            op: RowOp::Mod,
            block: new.kind.name(),
            depth: new.depth,
            quote: new.quote,
            marker: new.marker.clone(),
            segments: words(&old.text, &new.text),
        }
    }
}

/// Two blocks this alike (see [`similarity`]) are shown as one changed block.
const PAIR_THRESHOLD: f32 = 0.5;
/// Above this many old × new blocks in one replaced stretch, blocks are not paired up:
/// the stretch was rewritten, and is shown as removed, then added.
const PAIR_LIMIT: usize = 2_500;

/// The rows of a diff of two block lists, in reading order.
pub fn rows(old: &[Block], new: &[Block]) -> Vec<Row> {
    let old_keys: Vec<_> = old.iter().map(Block::key).collect();
    let new_keys: Vec<_> = new.iter().map(Block::key).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal { new_index, len, .. } => {
                out.extend(new[new_index..new_index + len].iter().map(|b| Row::whole(RowOp::Same, b)));
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                out.extend(old[old_index..old_index + old_len].iter().map(|b| Row::whole(RowOp::Del, b)));
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                out.extend(new[new_index..new_index + new_len].iter().map(|b| Row::whole(RowOp::Ins, b)));
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                pair(&old[old_index..old_index + old_len], &new[new_index..new_index + new_len], &mut out);
            }
        }
    }
    out
}

/// Rows for a stretch of old blocks replaced by new ones: each old block, in order, is
/// paired with the most similar new block of the same kind after the last pair (if
/// alike enough); new blocks skipped over are insertions.
fn pair(old: &[Block], new: &[Block], out: &mut Vec<Row>) {
    let mut next = 0;
    let try_pairs = old.len().saturating_mul(new.len()) <= PAIR_LIMIT;
    for o in old {
        let best = if try_pairs {
            new[next..]
                .iter()
                .enumerate()
                .filter(|(_, n)| n.kind == o.kind)
                .map(|(i, n)| (next + i, similarity_at_least(&o.text, &n.text, PAIR_THRESHOLD)))
                .filter(|(_, r)| *r >= PAIR_THRESHOLD)
                // The most similar; among equals, the first.
                .fold(None, |acc: Option<(usize, f32)>, (i, r)| match acc {
                    Some((_, br)) if br >= r => acc,
                    _ => Some((i, r)),
                })
        } else {
            None
        };
        match best {
            Some((j, _)) => {
                out.extend(new[next..j].iter().map(|b| Row::whole(RowOp::Ins, b)));
                out.push(Row::changed(o, &new[j]));
                next = j + 1;
            }
            None => out.push(Row::whole(RowOp::Del, o)),
        }
    }
    out.extend(new[next..].iter().map(|b| Row::whole(RowOp::Ins, b)));
}

/// A stretch of rows; unchanged rows far from any change are folded away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chunk {
    pub folded: bool,
    pub rows: Vec<Row>,
}

/// Splits rows into chunks, folding runs of unchanged rows more than `context` rows
/// away from a change (runs shorter than three rows stay in view).
pub fn fold(rows: Vec<Row>, context: usize) -> Vec<Chunk> {
    let n = rows.len();
    let changed: Vec<usize> = rows.iter().enumerate().filter(|(_, r)| r.op != RowOp::Same).map(|(i, _)| i).collect();
    let mut visible = vec![false; n];
    for &i in &changed {
        for v in visible.iter_mut().take((i + context + 1).min(n)).skip(i.saturating_sub(context)) {
            *v = true;
        }
    }
    // A fold must hide at least three rows to be worth a click.
    let mut i = 0;
    while i < n {
        if visible[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && !visible[i] {
            i += 1;
        }
        if i - start < 3 {
            visible[start..i].iter_mut().for_each(|v| *v = true);
        }
    }
    let mut chunks: Vec<Chunk> = Vec::new();
    for (row, vis) in rows.into_iter().zip(visible) {
        match chunks.last_mut() {
            Some(c) if c.folded != vis => c.rows.push(row),
            _ => chunks.push(Chunk { folded: !vis, rows: vec![row] }),
        }
    }
    chunks
}

/// Counts of rows by kind of change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// How many rows were added, removed and changed.
pub fn counts(rows: &[Row]) -> RowCounts {
    let mut c = RowCounts::default();
    for r in rows {
        match r.op {
            RowOp::Ins => c.added += 1,
            RowOp::Del => c.removed += 1,
            RowOp::Mod => c.changed += 1,
            RowOp::Same => {}
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &str) -> Vec<(String, String)> {
        blocks(md).into_iter().map(|b| (b.kind.name().to_string(), b.text)).collect()
    }

    #[test]
    fn blocks_are_what_readers_read() {
        let md = "## Set up {#setup}\n\nOpen the [eConnector](econnector.md) and\nclick **Start**.\n\n1. One\n2. Two\n   - nested\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```\nnet start x\n```\n\n![The window](images/w.png)\n";
        let t = texts(md);
        let want = [
            ("h2", "Set up"),
            ("p", "Open the eConnector and click Start."),
            ("li", "One"),
            ("li", "Two"),
            ("li", "nested"),
            ("tr", "A | B"),
            ("tr", "1 | 2"),
            ("code", "net start x"),
            ("p", "[Image: The window]"),
        ];
        let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(t, want);
        let b = blocks(md);
        assert_eq!(b[2].marker.as_deref(), Some("1."));
        assert_eq!(b[4].depth, 2);
    }

    #[test]
    fn a_typed_note_reads_as_its_title_then_its_text() {
        let b = blocks("> [!CAUTION]\n> Stop the service first.\n\n> plain\n");
        let t: Vec<(&str, u8, &str)> = b.iter().map(|b| (b.kind.name(), b.quote, b.text.as_str())).collect();
        assert_eq!(t, [("p", 1, "Caution"), ("p", 1, "Stop the service first."), ("p", 1, "plain")]);
    }

    #[test]
    fn an_image_without_alt_text_is_named_by_its_file() {
        assert_eq!(
            texts("See ![](images/setup.png) here.\n"),
            [("p".to_string(), "See [Image: setup.png] here.".to_string())]
        );
    }

    #[test]
    fn odd_markdown_does_not_panic() {
        for md in [
            "![",
            "<div>\n<!-- x",
            "| a |\n|---|\n| ![x](y) |",
            "* [ ] task\n* [x] done",
            "[^1]\n\n[^1]: note",
            "---",
            "```\n\n```",
        ] {
            let _ = rows(&blocks(md), &blocks(""));
        }
    }

    #[test]
    fn html_blocks_lose_their_tags() {
        let t = texts("<div class=\"note\">\nKeep <b>this</b> &amp; that\n</div>\n");
        assert_eq!(t, [("p".to_string(), "Keep this & that".to_string())]);
    }

    #[test]
    fn rewrapping_and_link_targets_are_not_changes() {
        let old = blocks("See the [firewall](firewall.md) page\nfor details.\n");
        let new = blocks("See the [firewall](allowapplication.md) page for details.\n");
        assert!(rows(&old, &new).iter().all(|r| r.op == RowOp::Same));
    }

    #[test]
    fn similar_blocks_pair_up_with_a_word_diff() {
        let old = blocks("Intro.\n\nCheck that the server is on.\n\nBye.\n");
        let new = blocks("Intro.\n\nA new paragraph about something else entirely.\n\nCheck that the eConnector server is on.\n\nBye.\n");
        let ops: Vec<RowOp> = rows(&old, &new).iter().map(|r| r.op).collect();
        assert_eq!(ops, [RowOp::Same, RowOp::Ins, RowOp::Mod, RowOp::Same]);
        let r = &rows(&old, &new)[2];
        assert!(r.segments.iter().any(|s| s.op == Op::Insert && s.text.contains("eConnector")));
    }

    #[test]
    fn inserting_an_item_does_not_renumber_the_rest() {
        let old = blocks("1. a\n2. b\n3. c\n");
        let new = blocks("1. new\n2. a\n3. b\n4. c\n");
        let ops: Vec<RowOp> = rows(&old, &new).iter().map(|r| r.op).collect();
        assert_eq!(ops, [RowOp::Ins, RowOp::Same, RowOp::Same, RowOp::Same]);
    }

    #[test]
    fn far_unchanged_rows_fold() {
        let old: String = (0..10).map(|i| format!("Para {i}.\n\n")).collect();
        let new = old.replace("Para 5.", "Para five.");
        let chunks = fold(rows(&blocks(&old), &blocks(&new)), 1);
        let shape: Vec<(bool, usize)> = chunks.iter().map(|c| (c.folded, c.rows.len())).collect();
        assert_eq!(shape, [(true, 4), (false, 3), (true, 3)]);
        // Two hidden rows are not worth a fold.
        let chunks = fold(rows(&blocks(&old), &blocks(&old.replace("Para 2.", "Para two."))), 1);
        assert!(!chunks[0].folded);
    }
}
