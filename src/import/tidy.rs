//! The Markdown `htmd` writes, made into what a writer would have typed: typed-note
//! markers as `> [!NOTE]`, no trailing spaces, at most one blank line in a row outside
//! code, table rows without alignment padding, one final newline.

use super::convert::ALERT_MARK;

/// Final clean-up: typed-note markers, no trailing spaces, at most one blank line in a
/// row outside code, and one final newline.
pub(super) fn tidy(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 1);
    let mut blank = 0;
    let mut fence: Option<String> = None;
    let mut skip_empty_quote = false;
    for line in md.lines() {
        let mut line = line.trim_end().to_string();
        let body = line.trim_start_matches([' ', '>']).trim_start();
        if let Some(f) = &fence {
            if body.starts_with(f.as_str()) && body.trim_start_matches('`').is_empty() {
                fence = None;
            }
        } else if body.starts_with("```") {
            fence = Some(body.chars().take_while(|&c| c == '`').collect());
        } else if let Some(pos) = line.find(ALERT_MARK) {
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
        if fence.is_none() && line.trim_start().starts_with('|') {
            line = compact_table_row(&line);
        }
        if line.trim_start_matches([' ', '>']).trim().is_empty() && fence.is_none() {
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
