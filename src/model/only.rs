//! Only-blocks: `<!-- only 14.1..16.4 -->` … `<!-- /only -->` around text that exists
//! only in some versions.
//!
//! Markers are recognised on their own line, indented by at most three spaces, and
//! outside fenced code blocks; a line indented four or more spaces is indented code (or
//! continuation text) and is never interpreted. Blocks may nest.

/// An inclusive version range; either end may be open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeText {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One only-block of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub range: RangeText,
    /// 0-based body line of the opening marker.
    pub open: usize,
    /// 0-based body line of the closing marker.
    pub close: usize,
    /// Index of the enclosing block, if nested.
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Text,
    Open(usize),
    Close,
}

/// The only-block structure of one body.
#[derive(Debug, Clone, Default)]
pub struct OnlyBlocks {
    pub blocks: Vec<Block>,
    /// For each line, the innermost block it lies in (markers excluded).
    owner: Vec<Option<usize>>,
    kinds: Vec<LineKind>,
    /// Byte offset of each line in the body, and the body's length: resolving copies
    /// runs of lines without looking for line ends again.
    starts: Vec<usize>,
    len: usize,
}

/// A problem in a body's only-blocks: a 0-based body line and a message.
pub type OnlyError = (usize, String);

fn fence_of(line: &str) -> Option<(char, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = &line[indent..];
    let c = t.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = t.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

/// Whether `line` is surely neither a fence nor a marker: indented code, blank, or its
/// first character after at most three spaces is an ASCII character that starts neither
/// (most lines; the full checks below decide the rest).
fn plain(line: &str) -> bool {
    let b = line.as_bytes();
    let indent = b.iter().take(4).take_while(|&&c| c == b' ').count();
    match b.get(indent) {
        _ if indent > 3 => true,
        None => true,
        Some(&c) => c.is_ascii() && !c.is_ascii_whitespace() && !matches!(c, b'`' | b'~' | b'<'),
    }
}

/// The number of `\n` in `s`, counted with byte-wide sums the compiler vectorizes.
fn count_newlines(s: &str) -> usize {
    s.as_bytes().chunks(255).map(|c| c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')) as usize).sum()
}

/// What a line says as a marker: `Some(Ok(Some(range)))` opens, `Some(Ok(None))` closes,
/// `Some(Err)` is a malformed marker, `None` is ordinary text.
fn marker(line: &str) -> Option<Result<Option<RangeText>, String>> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = line.trim();
    let inner = t.strip_prefix("<!--")?;
    let inner_trim = inner.trim_start();
    let word: String = inner_trim.chars().take_while(|c| !c.is_whitespace() && *c != '-').collect();
    if word != "only" && word != "/only" {
        return None;
    }
    let Some(inner) = inner.strip_suffix("-->") else {
        return Some(Err(format!(
            "malformed only-block marker '{t}': write it on one line as <!-- only A..B --> or <!-- /only -->"
        )));
    };
    let inner = inner.trim();
    if inner == "/only" {
        return Some(Ok(None));
    }
    let Some(range) = inner.strip_prefix("only") else {
        return Some(Err(format!("malformed only-block marker '{t}'")));
    };
    let range = range.trim();
    if range.is_empty() {
        return Some(Err(format!("only-block '{t}' has no version range: write A..B, A.. or ..B")));
    }
    let valid =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_');
    let parsed = match range.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (a.trim(), b.trim());
            if (!a.is_empty() && !valid(a)) || (!b.is_empty() && !valid(b)) {
                None
            } else {
                Some(RangeText {
                    from: (!a.is_empty()).then(|| a.to_string()),
                    to: (!b.is_empty()).then(|| b.to_string()),
                })
            }
        }
        // "14.1-16.4" is a range written with a dash: say how to write it.
        None if range.split_once('-').is_some_and(|(a, b)| {
            let num = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.');
            num(a) && num(b)
        }) =>
        {
            None
        }
        None if valid(range) => Some(RangeText { from: Some(range.to_string()), to: Some(range.to_string()) }),
        None => None,
    };
    Some(
        parsed
            .map(Some)
            .ok_or_else(|| format!("malformed only-block range '{range}': write A..B, A.. or ..B with version names")),
    )
}

/// Finds the only-blocks of a body. All problems are returned, not only the first.
pub fn parse(body: &str) -> Result<OnlyBlocks, Vec<OnlyError>> {
    let mut out = OnlyBlocks::default();
    // Every marker is an HTML comment: without one, there is nothing to find (and
    // `resolve` keeps every line).
    if !body.contains("<!--") {
        return Ok(out);
    }
    out.len = body.len();
    let mut errors = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut offset = 0;
    // The lines of `str::lines`, with where each starts.
    let lines = body.split_inclusive('\n').map(|piece| {
        let start = offset;
        offset += piece.len();
        let line = match piece.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => piece,
        };
        (start, line)
    });
    for (i, (start, line)) in lines.enumerate() {
        out.starts.push(start);
        let owner = stack.last().copied();
        if plain(line) {
            out.kinds.push(LineKind::Text);
            out.owner.push(owner);
            continue;
        }
        if let Some((c, n)) = fence {
            if let Some((c2, n2)) = fence_of(line) {
                if c2 == c && n2 >= n && line.trim().chars().all(|x| x == c) {
                    fence = None;
                }
            }
            out.kinds.push(LineKind::Text);
            out.owner.push(owner);
            continue;
        }
        if let Some(f) = fence_of(line) {
            fence = Some(f);
            out.kinds.push(LineKind::Text);
            out.owner.push(owner);
            continue;
        }
        match marker(line) {
            None => {
                out.kinds.push(LineKind::Text);
                out.owner.push(owner);
            }
            Some(Err(msg)) => {
                errors.push((i, msg));
                out.kinds.push(LineKind::Text);
                out.owner.push(owner);
            }
            Some(Ok(Some(range))) => {
                let idx = out.blocks.len();
                out.blocks.push(Block { range, open: i, close: usize::MAX, parent: owner });
                stack.push(idx);
                out.kinds.push(LineKind::Open(idx));
                out.owner.push(owner);
            }
            Some(Ok(None)) => match stack.pop() {
                Some(idx) => {
                    out.blocks[idx].close = i;
                    out.kinds.push(LineKind::Close);
                    out.owner.push(stack.last().copied());
                }
                None => {
                    errors.push((i, "'<!-- /only -->' without an opening '<!-- only A..B -->'".to_string()));
                    out.kinds.push(LineKind::Text);
                    out.owner.push(owner);
                }
            },
        }
    }
    for idx in stack {
        errors.push((out.blocks[idx].open, "only-block is never closed: add '<!-- /only -->'".to_string()));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort();
        Err(errors)
    }
}

impl OnlyBlocks {
    /// Whether the body has no only-blocks (its text is the same in every version).
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The body's text with inactive blocks and all markers removed, and for each output
    /// line the 0-based body line it came from. `active[i]` says whether block `i`'s own
    /// range contains the version; nested blocks also need their parents active.
    pub fn resolve(&self, body: &str, active: &[bool]) -> (String, Vec<u32>) {
        if self.blocks.is_empty() {
            // Every line stays.
            let mut lines = count_newlines(body);
            if !body.is_empty() && !body.ends_with('\n') {
                lines += 1;
            }
            return (body.to_string(), (0..lines as u32).collect());
        }
        assert_eq!(body.len(), self.len, "resolve takes the body that was parsed");
        let mut text = String::with_capacity(body.len());
        let mut map = Vec::new();
        let visible = |mut b: Option<usize>| {
            while let Some(i) = b {
                if !active[i] {
                    return false;
                }
                b = self.blocks[i].parent;
            }
            true
        };
        // Runs of visible lines are copied at once.
        let mut run: Option<usize> = None;
        for (i, (&kind, &owner)) in self.kinds.iter().zip(&self.owner).enumerate() {
            if kind == LineKind::Text && visible(owner) {
                run.get_or_insert(self.starts[i]);
                map.push(i as u32);
            } else if let Some(from) = run.take() {
                text.push_str(&body[from..self.starts[i]]);
            }
        }
        if let Some(from) = run {
            text.push_str(&body[from..]);
        }
        (text, map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(body: &str, active: &[bool]) -> String {
        parse(body).unwrap().resolve(body, active).0
    }

    /// Resolves line by line, as folio did before runs of lines were copied at once.
    fn line_by_line(b: &OnlyBlocks, body: &str, active: &[bool]) -> (String, Vec<u32>) {
        let (mut text, mut map) = (String::new(), Vec::new());
        for (i, line) in body.split_inclusive('\n').enumerate() {
            if b.kinds.get(i).copied().unwrap_or(LineKind::Text) != LineKind::Text {
                continue;
            }
            let mut owner = b.owner.get(i).copied().flatten();
            let mut visible = true;
            while let Some(o) = owner {
                visible &= active[o];
                owner = b.blocks[o].parent;
            }
            if visible {
                text.push_str(line);
                map.push(i as u32);
            }
        }
        (text, map)
    }

    #[test]
    fn runs_of_lines_resolve_as_line_by_line() {
        let bodies = [
            "",
            "\n",
            "plain\ntext without markers",
            "a\r\nb\r\n<!-- only 1.. -->\r\nc\r\n<!-- /only -->\r\nd",
            "<!-- only 1.. -->\nx\n<!-- only ..2 -->\ny\n<!-- /only -->\nz\n<!-- /only -->\nlast",
            "<!-- not a marker -->\n```\n<!-- only 9 -->\n```\n<!-- only 2 -->\n\n\n<!-- /only -->\nend\r",
            "    <!-- only 1 -->\nindented\n<!-- only 1 -->\n<!-- /only -->\n",
        ];
        for body in bodies {
            let b = parse(body).unwrap();
            for mask in 0..4u32 {
                let active: Vec<bool> = (0..b.blocks.len()).map(|i| mask & (1 << (i % 2)) != 0).collect();
                assert_eq!(b.resolve(body, &active), line_by_line(&b, body, &active), "{body:?} {active:?}");
            }
        }
        assert!(parse("no comment here\n").unwrap().kinds.is_empty());
        // A tab after the indent is trimmed like any other white space.
        assert_eq!(parse("x <!--\n  \t<!-- only 1 -->\ny\n\t<!-- /only -->\n").unwrap().blocks.len(), 1);
    }

    #[test]
    fn keeps_active_blocks_and_drops_markers() {
        let body = "a\n<!-- only 14.1..16.4 -->\nb\n<!-- /only -->\nc\n";
        assert_eq!(resolve(body, &[true]), "a\nb\nc\n");
        assert_eq!(resolve(body, &[false]), "a\nc\n");
    }

    #[test]
    fn nested_blocks_need_their_parent() {
        let body = "<!-- only 1.0.. -->\nx\n<!-- only ..2.0 -->\ny\n<!-- /only -->\n<!-- /only -->\n";
        let b = parse(body).unwrap();
        assert_eq!(b.blocks[1].parent, Some(0));
        assert_eq!(b.resolve(body, &[false, true]).0, "");
        assert_eq!(b.resolve(body, &[true, false]).0, "x\n");
        assert_eq!(b.resolve(body, &[true, true]).0, "x\ny\n");
    }

    #[test]
    fn open_ranges_and_single_versions() {
        let b = parse("<!-- only 19.1.. -->\n<!-- /only -->\n<!-- only ..18.4 -->\n<!-- /only -->\n<!-- only 17.2 -->\n<!-- /only -->\n").unwrap();
        assert_eq!(b.blocks[0].range, RangeText { from: Some("19.1".into()), to: None });
        assert_eq!(b.blocks[1].range, RangeText { from: None, to: Some("18.4".into()) });
        assert_eq!(b.blocks[2].range, RangeText { from: Some("17.2".into()), to: Some("17.2".into()) });
        let all = parse("<!-- only .. -->\nx\n<!-- /only -->\n").unwrap();
        assert_eq!(all.blocks[0].range, RangeText { from: None, to: None });
    }

    #[test]
    fn code_is_never_interpreted() {
        let body = "```\n<!-- only 1.0..2.0 -->\n```\n    <!-- only 1.0 -->\n";
        let b = parse(body).unwrap();
        assert!(b.is_empty());
        assert_eq!(b.resolve(body, &[]).0, body);
    }

    #[test]
    fn unclosed_stray_and_malformed_are_errors() {
        let errs = parse("x\n<!-- only 1.0..2.0 -->\ny\n").unwrap_err();
        assert_eq!(errs, vec![(1, "only-block is never closed: add '<!-- /only -->'".to_string())]);
        let errs = parse("<!-- /only -->\n").unwrap_err();
        assert_eq!(errs[0].0, 0);
        let errs = parse("<!-- only 14.1-16.4 -->\n<!-- /only -->\n<!-- only -->\n").unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[0].1.contains("malformed"), "{errs:?}");
    }

    #[test]
    fn line_map_points_at_body_lines() {
        let body = "a\n<!-- only 2.0 -->\nb\n<!-- /only -->\nc\n";
        let (_, map) = parse(body).unwrap().resolve(body, &[true]);
        assert_eq!(map, vec![0, 2, 4]);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Lines that look like markers, code fences and text, in any order.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<!-- only 1.0..2.0 -->".to_string()),
            Just("<!-- only ..1.0 -->".to_string()),
            Just("<!-- only 2.0.. -->".to_string()),
            Just("<!-- only 3.0 -->".to_string()),
            Just("<!-- only 1.0-2.0 -->".to_string()),
            Just("<!-- /only -->".to_string()),
            Just("   <!-- /only -->".to_string()),
            Just("    <!-- only .. -->".to_string()),
            Just("```".to_string()),
            Just("~~~~".to_string()),
            "[a-z <>!/.-]{0,30}",
        ]
    }

    proptest! {
        /// Any body parses or is refused with errors, never a panic; a body that parses
        /// resolves, with every block active, to its text without the marker lines, and
        /// its line map points at lines of the body.
        #[test]
        fn only_block_parser_never_panics_and_resolves_consistently(lines in prop::collection::vec(line(), 0..40), crlf in any::<bool>()) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let body: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
            if let Ok(b) = parse(&body) {
                let all = vec![true; b.blocks.len()];
                let (text, map) = b.resolve(&body, &all);
                let body_lines: Vec<&str> = body.lines().collect();
                prop_assert_eq!(text.lines().count(), map.len());
                for (out, &at) in text.lines().zip(&map) {
                    prop_assert_eq!(out, body_lines[at as usize]);
                }
                let none = vec![false; b.blocks.len()];
                let (fewer, _) = b.resolve(&body, &none);
                prop_assert!(fewer.len() <= text.len());
            }
        }

        /// Well-nested blocks around plain text always parse, one block per pair.
        #[test]
        fn well_nested_only_blocks_parse(depths in prop::collection::vec(0usize..4, 0..12)) {
            let mut body = String::new();
            let mut n = 0;
            for d in depths {
                for _ in 0..=d {
                    body.push_str("<!-- only 1.0..2.0 -->\n");
                    n += 1;
                }
                body.push_str("text\n");
                for _ in 0..=d {
                    body.push_str("<!-- /only -->\n");
                }
            }
            let b = parse(&body).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(b.blocks.len(), n);
        }
    }
}
