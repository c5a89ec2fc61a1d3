//! The Markdown `htmd` writes, made into what a writer would have typed: typed-note
//! markers as `> [!NOTE]`, no trailing spaces, at most one blank line in a row outside
//! code, table rows without alignment padding, one final newline.

/// Prefix of the paragraph that marks a typed note until the Markdown is written.
pub(super) const ALERT_MARK: &str = "FOLIOALERTMARK";

/// Follows fenced code blocks line by line (three or more backticks or tildes, closed by
/// a run of the same character at least as long), so that clean-ups and conversions
/// leave code exactly as written.
#[derive(Debug, Default)]
pub(crate) struct Fences {
    open: Option<(char, usize)>,
}

impl Fences {
    /// Takes the next line (quote markers already removed); true when it is a fence
    /// line or code inside a fence.
    pub(crate) fn line(&mut self, line: &str) -> bool {
        let t = line.trim();
        if let Some((c, n)) = self.open {
            if t.len() >= n && t.chars().all(|x| x == c) {
                self.open = None;
            }
            return true;
        }
        let Some(c) = t.chars().next().filter(|&c| c == '`' || c == '~') else { return false };
        let n = t.chars().take_while(|&x| x == c).count();
        if n >= 3 {
            self.open = Some((c, n));
        }
        n >= 3
    }
}

/// Final clean-up: typed-note markers, no trailing spaces, at most one blank line in a
/// row outside code, and one final newline.
pub(super) fn tidy(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 1);
    let mut blank = 0;
    let mut fences = Fences::default();
    let mut skip_empty_quote = false;
    for line in md.lines() {
        let mut line = line.trim_end().to_string();
        if fences.line(line.trim_start_matches([' ', '>'])) {
            blank = 0;
            skip_empty_quote = false;
            out.push_str(&line);
            out.push('\n');
            continue;
        }
        if let Some(pos) = line.find(ALERT_MARK) {
            let kind = line[pos + ALERT_MARK.len()..].trim().to_string();
            line = format!("{}[!{}]", &line[..pos], kind);
            out.push_str(&line);
            out.push('\n');
            // The note's text follows on the next line, not after an empty one.
            skip_empty_quote = true;
            blank = 0;
            continue;
        }
        if skip_empty_quote {
            skip_empty_quote = false;
            if !line.is_empty() && line.trim_start_matches([' ', '>']).is_empty() {
                continue;
            }
        }
        if line.trim_start().starts_with('|') {
            line = compact_table_row(&line);
        }
        if line.trim_start_matches([' ', '>']).trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(&line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

/// A Markdown table row without the padding that lines cells up: one long cell would
/// widen every row, and a change to it would change them all.
fn compact_table_row(line: &str) -> String {
    let indent = &line[..line.len() - line.trim_start().len()];
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '|' => cells.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    cells.push(cur);
    // The row's leading and trailing pipes leave an empty first and last cell.
    let inner = &cells[1..cells.len().saturating_sub(1).max(1)];
    let cells: Vec<String> = inner
        .iter()
        .map(|c| {
            let t = c.trim();
            if !t.is_empty() && t.chars().all(|ch| ch == '-' || ch == ':') {
                let left = if t.starts_with(':') { ":" } else { "" };
                let right = if t.len() > 1 && t.ends_with(':') { ":" } else { "" };
                format!("{left}---{right}")
            } else {
                t.to_string()
            }
        })
        .collect();
    format!("{indent}| {} |", cells.join(" | "))
}
