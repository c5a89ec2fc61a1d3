//! MDX to folio Markdown, line by line outside fenced code: admonitions become typed
//! notes, `<Tabs>`/`<TabItem>` labelled sections, imported Markdown partials are
//! inlined, `import`/`export` lines and `{/* */}` comments are dropped, other JSX
//! components give way to their children, headings keep the ids Docusaurus gave them,
//! and every link and image is handed to the caller to rewrite. What is dropped is
//! counted.

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::{Event, Parser, Tag};

use crate::import::tidy::Fences;

/// What the conversion needs from its caller.
pub trait Host {
    /// The converted text of the partial a doc imports as `path` (relative to the
    /// importing file), or `None` when there is none.
    fn partial(&mut self, path: &str) -> Option<String>;
    /// The new destination of a link or image, or `None` to keep only its text.
    fn link(&mut self, url: &str, image: bool) -> Option<String>;
}

/// Counts of what was converted or dropped, by kind.
pub type Counts = BTreeMap<String, usize>;

fn count(c: &mut Counts, what: &str) {
    *c.entry(what.to_string()).or_default() += 1;
}

/// The GitHub alert a Docusaurus admonition keyword becomes.
fn alert(kind: &str) -> &'static str {
    match kind {
        "tip" => "TIP",
        "info" | "important" => "IMPORTANT",
        "warning" | "caution" => "WARNING",
        "danger" => "CAUTION",
        _ => "NOTE",
    }
}

/// Converts one doc body.
pub fn convert(body: &str, host: &mut dyn Host, counts: &mut Counts) -> String {
    let text = structure(body, host, counts);
    let text = heading_ids(&text);
    let text = rewrite_links(&text, &mut |url, image| host.link(url, image));
    tidy(&text)
}

/// Converts a partial's MDX without touching its links (its includer resolves them).
pub fn convert_partial(body: &str, host: &mut dyn Host, counts: &mut Counts) -> String {
    tidy(&structure(body, host, counts))
}

/// The MDX constructs, line by line.
fn structure(body: &str, host: &mut dyn Host, counts: &mut Counts) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut partials: HashMap<String, String> = HashMap::new();
    let mut fences = Fences::default();
    // Open admonitions: their colon count.
    let mut quotes: Vec<usize> = Vec::new();
    let mut lines = body.lines().peekable();
    let mut in_comment = false;
    while let Some(raw) = lines.next() {
        let prefix = "> ".repeat(quotes.len());
        if fences.line(raw) {
            out.push(format!("{prefix}{raw}"));
            continue;
        }
        // `{/* … */}` comments, on one line or several.
        let mut line = raw.to_string();
        if in_comment {
            match line.find("*/}") {
                Some(i) => {
                    line = line[i + 3..].to_string();
                    in_comment = false;
                }
                None => continue,
            }
        }
        while let Some(i) = line.find("{/*") {
            count(counts, "comments dropped");
            match line[i..].find("*/}") {
                Some(j) => line = format!("{}{}", &line[..i], &line[i + j + 3..]),
                None => {
                    line.truncate(i);
                    in_comment = true;
                    break;
                }
            }
        }
        if in_comment && line.trim().is_empty() {
            continue;
        }
        let t = line.trim();
        // import / export statements (possibly over several lines).
        if quotes.is_empty() && (t.starts_with("import ") || t.starts_with("export ")) {
            let mut stmt = t.to_string();
            while !statement_done(&stmt) {
                match lines.next() {
                    Some(l) => {
                        stmt.push(' ');
                        stmt.push_str(l.trim());
                    }
                    None => break,
                }
            }
            if let Some((name, path)) = import_of(&stmt) {
                if path.ends_with(".md") || path.ends_with(".mdx") {
                    partials.insert(name, path);
                }
            }
            count(counts, if t.starts_with("import") { "import lines dropped" } else { "export lines dropped" });
            continue;
        }
        // Admonitions.
        if let Some((colons, rest)) = colon_run(t) {
            if rest.is_empty() {
                if !quotes.is_empty() {
                    quotes.pop();
                    out.push(String::new());
                    continue;
                }
            } else {
                let kind: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
                let title = rest[kind.len()..].trim().trim_start_matches('[').trim_end_matches(']').trim();
                out.push(format!("{prefix}> [!{}]", alert(&kind.to_ascii_lowercase())));
                if !title.is_empty() {
                    out.push(format!("{prefix}> **{title}**"));
                    if lines.peek().is_some_and(|l| !l.trim().is_empty()) {
                        out.push(format!("{prefix}>"));
                    }
                }
                quotes.push(colons);
                count(counts, "admonitions");
                continue;
            }
        }
        // JSX: tabs, partials, other components.
        if t.starts_with('<') && t[1..].starts_with(|c: char| c.is_ascii_uppercase() || c == '/') {
            let mut tag = t.to_string();
            while !tag.contains('>') {
                match lines.next() {
                    Some(l) => {
                        tag.push(' ');
                        tag.push_str(l.trim());
                    }
                    None => break,
                }
            }
            let name: String = tag[1..]
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
                .collect();
            if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                let end = tag.find('>').map(|i| i + 1).unwrap_or(tag.len());
                let rest = tag[end..].trim().to_string();
                match name.as_str() {
                    "TabItem" if !tag.starts_with("</") => {
                        let label = attr(&tag, "label").or_else(|| attr(&tag, "value")).unwrap_or_default();
                        out.push(String::new());
                        out.push(format!("{prefix}**{label}**"));
                        out.push(String::new());
                        count(counts, "tab items as labelled sections");
                    }
                    "Tabs" | "TabItem" => {}
                    n if partials.contains_key(n) && !tag.starts_with("</") => {
                        let path = partials[n].clone();
                        match host.partial(&path) {
                            Some(text) => {
                                out.extend(text.lines().map(|l| format!("{prefix}{l}")));
                                count(counts, "partials inlined");
                            }
                            None => count(counts, "partials not found"),
                        }
                    }
                    _ => {
                        if let Some(link) = embed_link(&name, &tag) {
                            // A self-closing embed (a video, a frame): a link to what it shows.
                            out.push(format!("{prefix}{link}"));
                            count(counts, "embeds as links");
                        } else if !tag.starts_with("</") {
                            count(counts, "components dropped (children kept)");
                        }
                    }
                }
                if !rest.is_empty() {
                    out.push(format!("{prefix}{}", strip_inline_jsx(&rest, counts)));
                }
                continue;
            }
        }
        if quotes.is_empty() {
            out.push(strip_inline_jsx(&line, counts));
        } else {
            out.push(format!("{prefix}{}", strip_inline_jsx(&line, counts)).trim_end().to_string());
        }
    }
    out.join("\n")
}

/// `:::note Title` → (3, "note Title"); `:::` → (3, "").
fn colon_run(t: &str) -> Option<(usize, &str)> {
    let n = t.chars().take_while(|&c| c == ':').count();
    (n >= 3).then(|| (n, t[n..].trim()))
}

fn statement_done(s: &str) -> bool {
    let opens = s.matches(['{', '(', '[']).count();
    let closes = s.matches(['}', ')', ']']).count();
    opens <= closes
        && (s.ends_with(';') || s.contains(" from ") || !s.starts_with("import") || s.starts_with("import '"))
}

/// `import Name from './_x.md'` → (Name, ./_x.md).
fn import_of(stmt: &str) -> Option<(String, String)> {
    let rest = stmt.strip_prefix("import ")?;
    let (name, from) = rest.split_once(" from ")?;
    let name = name.trim();
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let path = from.trim().trim_end_matches(';').trim().trim_matches(['\'', '"']);
    Some((name.to_string(), path.to_string()))
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let i = tag.find(&format!("{name}="))?;
    let rest = &tag[i + name.len() + 1..];
    let q = rest.chars().next()?;
    if q == '"' || q == '\'' {
        let end = rest[1..].find(q)?;
        Some(rest[1..1 + end].to_string())
    } else {
        None
    }
}

/// A self-closing component that shows something at an address (`src`, `href`, `url`,
/// `to`, or a YouTube `id`), as a Markdown link; its `title` is the link's text.
fn embed_link(name: &str, tag: &str) -> Option<String> {
    if !tag.trim_end().ends_with("/>") {
        return None;
    }
    let url = ["src", "href", "url", "to"].iter().find_map(|a| attr(tag, a)).or_else(|| {
        name.to_ascii_lowercase()
            .contains("youtube")
            .then(|| attr(tag, "id").map(|id| format!("https://www.youtube.com/watch?v={id}")))
            .flatten()
    })?;
    let title = attr(tag, "title").unwrap_or_else(|| {
        if url.contains("youtube.com/") {
            "Video on YouTube".to_string()
        } else {
            url.clone()
        }
    });
    Some(format!("[{}]({url})", title.replace(['[', ']'], "")))
}

/// Removes capitalised JSX tags inside a line, keeping what is between them.
fn strip_inline_jsx(line: &str, counts: &mut Counts) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = false;
    while let Some(i) = rest.find(['<', '`']) {
        out.push_str(&rest[..i]);
        let r = &rest[i..];
        if let Some(after_tick) = r.strip_prefix('`') {
            in_code = !in_code;
            out.push('`');
            rest = after_tick;
            continue;
        }
        let after = r[1..].trim_start_matches('/');
        if !in_code && after.starts_with(|c: char| c.is_ascii_uppercase()) {
            if let Some(end) = r.find('>') {
                if !r[1..].starts_with('/') {
                    count(counts, "components dropped (children kept)");
                }
                rest = &r[end + 1..];
                continue;
            }
        }
        out.push('<');
        rest = &r[1..];
    }
    out.push_str(rest);
    out
}

/// The id Docusaurus gives a heading (github-slugger): lowercase, letters, digits,
/// '-' and '_' kept, spaces to '-', everything else dropped.
pub fn slugger(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// The plain text of a heading's Markdown (code, emphasis and link syntax removed).
fn heading_text(md: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            _ => {}
        }
    }
    out
}

/// Gives each ATX heading outside code the id Docusaurus gave it, written out as
/// `{#id}` where folio's own id would differ (or repeat).
fn heading_ids(text: &str) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut fences = Fences::default();
    let mut out = Vec::new();
    for line in text.lines() {
        if fences.line(line) {
            out.push(line.to_string());
            continue;
        }
        let level = line.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&level) && line[level..].starts_with(' ') {
            let content = line[level..].trim();
            if let Some(i) = content.rfind("{#") {
                if content.ends_with('}') {
                    let id = content[i + 2..content.len() - 1].to_string();
                    *seen.entry(id).or_default() += 1;
                    out.push(line.to_string());
                    continue;
                }
            }
            let base = slugger(&heading_text(content));
            let n = seen.entry(base.clone()).or_default();
            let id = if *n == 0 { base.clone() } else { format!("{base}-{n}") };
            *n += 1;
            let folio_id = crate::render::markdown::slugify(&heading_text(content));
            if id != folio_id && !id.is_empty() {
                out.push(format!("{} {content} {{#{id}}}", "#".repeat(level)));
            } else {
                out.push(line.to_string());
            }
            continue;
        }
        out.push(line.to_string());
    }
    out.join("\n")
}

/// Hands every inline link and image destination to `f` and writes what it returns
/// (`None`: only the link's text stays).
pub fn rewrite_links(text: &str, f: &mut dyn FnMut(&str, bool) -> Option<String>) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let parser = Parser::new_ext(text, crate::render::markdown::options()).into_offset_iter();
    let mut open: Vec<(usize, Option<String>)> = Vec::new();
    for (ev, range) in parser {
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                let image = text[range.clone()].starts_with('!');
                let dest = dest_url.to_string();
                let src = &text[range.clone()];
                // Only inline links: `](dest`.
                let at = src.rfind(&format!("]({dest}")).or_else(|| src.rfind(&format!("](<{dest}>")));
                match (at, f(&dest, image)) {
                    (Some(i), Some(new)) if new != dest => {
                        let start = range.start + i + 2;
                        let len = if src[i + 2..].starts_with('<') { dest.len() + 2 } else { dest.len() };
                        edits.push((start..start + len, new));
                        open.push((range.start, None));
                    }
                    (Some(_), None) => open.push((range.start, Some(src.to_string()))),
                    _ => open.push((range.start, None)),
                }
            }
            Event::End(pulldown_cmark::TagEnd::Link) | Event::End(pulldown_cmark::TagEnd::Image) => {
                if let Some((start, Some(_))) = open.pop() {
                    // Keep only the label: drop `[` … `](dest)` around it.
                    let whole = &text[start..range.end];
                    let image = whole.starts_with('!');
                    let open_len = if image { 2 } else { 1 };
                    if let Some(close) = whole.rfind("](") {
                        let label = &whole[open_len..close];
                        edits.retain(|(r, _)| r.start < start || r.end > range.end);
                        edits.push((start..range.end, label.to_string()));
                    }
                }
            }
            _ => {}
        }
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    let mut last = usize::MAX;
    for (r, new) in edits {
        if r.end <= last {
            out.replace_range(r.clone(), &new);
            last = r.start;
        }
    }
    out
}

/// At most one blank line (or blank quote line of the same depth) in a row, none at
/// the ends.
fn tidy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let quote_blank = |l: &str| !l.is_empty() && l.trim_start_matches(['>', ' ']).is_empty();
    let mut out = String::new();
    let mut prev: Option<&str> = None;
    let mut fences = Fences::default();
    for (i, &line) in lines.iter().enumerate() {
        // Code is left exactly as it is.
        if fences.line(line.trim_start_matches(['>', ' '])) {
            prev = None;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let line = line.trim_end();
        let blank = line.trim_start_matches(['>', ' ']).is_empty();
        if blank && prev == Some(line) {
            continue;
        }
        if quote_blank(line) {
            // Not right after a note's marker, nor as a quote's last line.
            let after_marker = i > 0 && lines[i - 1].trim_end().ends_with(']') && lines[i - 1].contains("> [!");
            let last = lines
                .get(i + 1)
                .is_none_or(|n| !n.trim_start().starts_with('>') || quote_blank(n) && n.len() < line.len());
            if after_marker || last {
                continue;
            }
        }
        prev = blank.then_some(line);
        out.push_str(line);
        out.push('\n');
    }
    let t = out.trim_matches('\n');
    if t.is_empty() {
        String::new()
    } else {
        format!("{t}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct H;
    impl Host for H {
        fn partial(&mut self, path: &str) -> Option<String> {
            (path == "./_note.md").then(|| "Shared text.\n".to_string())
        }
        fn link(&mut self, url: &str, _image: bool) -> Option<String> {
            match url {
                "Other.md#a" => Some("other.md#a".into()),
                "/blog/x" => None,
                u => Some(u.to_string()),
            }
        }
    }

    fn conv(s: &str) -> (String, Counts) {
        let mut c = Counts::new();
        (convert(s, &mut H, &mut c), c)
    }

    #[test]
    fn admonitions_become_typed_notes() {
        let (out, c) = conv(":::tip Pro tip\n\nUse it.\n\n:::\n\nAfter.\n");
        assert_eq!(out, "> [!TIP]\n> **Pro tip**\n>\n> Use it.\n\nAfter.\n");
        assert_eq!(c["admonitions"], 1);
        let (out, _) = conv(":::danger\nStop.\n:::\n");
        assert!(out.starts_with("> [!CAUTION]\n> Stop."), "{out}");
    }

    #[test]
    fn tabs_partials_imports_and_comments() {
        let src = "import Tabs from '@theme/Tabs';\nimport Note from './_note.md';\n\n<Tabs>\n<TabItem value=\"npm\" label=\"npm\">\n\nnpm i\n\n</TabItem>\n</Tabs>\n\n<Note />\n\n{/* hidden */}Shown.\n";
        let (out, c) = conv(src);
        assert_eq!(out, "**npm**\n\nnpm i\n\nShared text.\n\nShown.\n");
        assert_eq!((c["import lines dropped"], c["partials inlined"], c["comments dropped"]), (2, 1, 1));
    }

    #[test]
    fn code_is_left_alone() {
        let src = "```js title=\"a.js\"\nimport x from 'y';\n:::note\n\n\n</a>\n```\n";
        assert_eq!(conv(src).0, src);
    }

    #[test]
    fn links_are_rewritten_or_reduced_to_their_text() {
        let (out, _) = conv("See [other](Other.md#a) and the [blog](/blog/x).\n");
        assert_eq!(out, "See [other](other.md#a) and the blog.\n");
    }

    #[test]
    fn embeds_become_links() {
        let (out, c) = conv("<LiteYouTubeEmbed id=\"abc\" title=\"Intro talk\" />\n\n<TOCInline toc={toc} />\n");
        assert_eq!(out, "[Intro talk](https://www.youtube.com/watch?v=abc)\n");
        assert_eq!((c["embeds as links"], c["components dropped (children kept)"]), (1, 1));
    }

    #[test]
    fn headings_keep_docusaurus_ids() {
        let (out, _) = conv("## `jest.fn()`\n\n## Same\n\n## Same\n\n## Own {#own}\n");
        assert!(out.contains("## Same\n"), "{out}");
        assert!(out.contains("## Same {#same-1}"), "{out}");
        assert!(out.contains("## Own {#own}"), "{out}");
    }
}
