//! Front matter: the YAML block between `---` lines at the top of an article.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostics, Location};

/// The keys an article file may carry. Unknown keys are errors, so typos surface.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub parent: Option<String>,
    pub order: Option<i64>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub aliases: Option<Vec<String>>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub removed: bool,
    /// 1-based file line of each top-level key, for error messages.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, u32>,
    /// 1-based file line of the opening `---`.
    #[serde(skip)]
    pub start_line: u32,
}

impl FrontMatter {
    /// The file line of `key`, or of the front matter's start when the key is absent.
    pub fn line_of(&self, key: &str) -> u32 {
        self.key_lines.get(key).copied().unwrap_or(self.start_line)
    }
}

/// Splits `text` into (front matter YAML, body, line of the first YAML line, line of the
/// first body line). `None` when the file does not start with a `---` line or the block
/// is never closed.
pub fn split_front_matter(text: &str) -> Option<(&str, &str, u32)> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.strip_prefix('\r').unwrap_or(rest);
    let rest = rest.strip_prefix('\n')?;
    let yaml_start = text.len() - rest.len();
    let mut offset = yaml_start;
    for (line, l) in (2u32..).zip(rest.split_inclusive('\n')) {
        let trimmed = l.trim_end_matches(['\n', '\r']);
        if trimmed == "---" || trimmed == "..." {
            let yaml = &text[yaml_start..offset];
            let body = &text[offset + l.len()..];
            return Some((yaml, body, line + 1));
        }
        offset += l.len();
    }
    None
}

/// Rewrites `key: 13.10` into `key: "13.10"` (for every key not in `except`) so YAML does not read a version as a float
/// (which would turn 13.10 into 13.1). Line numbers are kept.
pub fn quote_version_values(yaml: &str, except: &[&str]) -> String {
    let mut out = String::with_capacity(yaml.len() + 16);
    for l in yaml.split_inclusive('\n') {
        let content = l.trim_end_matches(['\n', '\r']);
        let eol = &l[content.len()..];
        let mut done = false;
        if let Some((key, value)) = content.split_once(':') {
            let v = value.trim();
            let v = v.split(" #").next().unwrap_or(v).trim();
            if !except.contains(&key) && !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.') {
                out.push_str(key);
                out.push_str(": \"");
                out.push_str(v);
                out.push('"');
                out.push_str(eol);
                done = true;
            }
        }
        if !done {
            out.push_str(l);
        }
    }
    out
}

/// Deepest nesting of YAML flow collections (`[`, `{`) accepted. The YAML parser's time
/// grows with the square of the nesting, so 100 KB of `[` took half a minute; no folio
/// key needs more than one level.
pub const MAX_FLOW_NESTING: usize = 32;

/// Checks that `yaml` nests flow collections at most [`MAX_FLOW_NESTING`] deep (brackets
/// inside quotes and comments do not count), in one pass; else the 0-based line where
/// the limit is passed.
pub fn check_flow_nesting(yaml: &str) -> Result<(), usize> {
    let mut depth = 0usize;
    let mut line = 0usize;
    let mut quote: Option<char> = None;
    let mut prev = '\n';
    let mut chars = yaml.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        match quote {
            Some('"') => match c {
                '\\' => {
                    chars.next();
                }
                '"' => quote = None,
                _ => {}
            },
            Some(_) => {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
            }
            None => match c {
                '#' if prev.is_whitespace() => {
                    // A comment runs to the end of the line.
                    for c in chars.by_ref() {
                        if c == '\n' {
                            line += 1;
                            break;
                        }
                    }
                    prev = '\n';
                    continue;
                }
                '"' | '\'' if prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':') => quote = Some(c),
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_NESTING {
                        return Err(line);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = c;
    }
    Ok(())
}

/// The `aliases` of a file whose front matter does not parse as [`FrontMatter`]: from
/// the YAML where it still reads as a mapping, else from an `aliases: [...]` line alone.
pub fn salvage_aliases(text: &str) -> Vec<String> {
    let Some((yaml, _, _)) = split_front_matter(text) else { return Vec::new() };
    if check_flow_nesting(yaml).is_err() {
        return Vec::new();
    }
    let from = |yaml: &str| match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(map)) => match map.get("aliases") {
            Some(serde_yaml::Value::Sequence(list)) => {
                Some(list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            }
            _ => None,
        },
        _ => None,
    };
    from(yaml).or_else(|| yaml.lines().find(|l| l.starts_with("aliases:")).and_then(from)).unwrap_or_default()
}

/// Parses the front matter of an article file; problems go into `diags`.
pub fn parse(text: String, rel: &Path, diags: &mut Diagnostics) -> Option<(FrontMatter, String, u32)> {
    let Some((yaml, body, body_line)) = split_front_matter(&text) else {
        if text.starts_with("---") {
            diags.error(Location::line(rel, 1), "front matter is not closed: add a line '---' after the YAML block");
        } else {
            diags.error(
                Location::line(rel, 1),
                "missing front matter: start the file with a '---' line, 'title: ...', and another '---' line",
            );
        }
        return None;
    };
    if yaml.trim().is_empty() {
        diags.error(Location::line(rel, 1), "front matter is empty: 'title' is required");
        return None;
    }
    if let Err(at) = check_flow_nesting(yaml) {
        diags.error(
            Location::line(rel, 2 + at as u32),
            format!("invalid front matter: '[' or '{{' nested more than {MAX_FLOW_NESTING} levels deep"),
        );
        return None;
    }
    let quoted = quote_article_versions(yaml);
    let mut front: FrontMatter = match serde_yaml::from_str(&quoted) {
        Ok(f) => f,
        Err(e) => {
            // Every bad key, not only the first serde met.
            let bad = super::bad_keys::<FrontMatter>(&quoted);
            for (line, msg) in &bad {
                diags.error(Location::line(rel, 2 + *line as u32), format!("invalid front matter: {msg}"));
            }
            if bad.is_empty() {
                let loc = match e.location() {
                    Some(l) => Location::line(rel, 1 + l.line() as u32),
                    None => Location::line(rel, 1),
                };
                diags.error(loc, format!("invalid front matter: {}", super::yaml_message(&e)));
            }
            return None;
        }
    };
    front.start_line = 1;
    for (i, l) in yaml.lines().enumerate() {
        if let Some((key, _)) = l.split_once(':') {
            if !key.starts_with([' ', '\t', '-', '#']) && !key.is_empty() {
                front.key_lines.entry(key.trim().to_string()).or_insert(2 + i as u32);
            }
        }
    }
    match &front.title {
        None => {
            diags.error(Location::line(rel, 1), "missing 'title' in front matter");
            return None;
        }
        Some(t) if t.trim().is_empty() => {
            diags.error(Location::line(rel, front.line_of("title")), "'title' is empty");
            return None;
        }
        _ => {}
    }
    // The file's text becomes the body: no second copy of every article.
    let start = text.len() - body.len();
    let mut body = text;
    body.drain(..start);
    Some((front, body, body_line))
}

fn quote_article_versions(yaml: &str) -> String {
    // Only `since` and `until` hold versions; `order` must stay a number.
    let mut out = String::with_capacity(yaml.len() + 16);
    for l in yaml.split_inclusive('\n') {
        let content = l.trim_end_matches(['\n', '\r']);
        let is_version_key = content.starts_with("since:") || content.starts_with("until:");
        if is_version_key {
            out.push_str(&quote_version_values(l, &[]));
        } else {
            out.push_str(l);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn front_matter_with_huge_bracket_runs_is_rejected_in_linear_time() {
        assert_eq!(check_flow_nesting("keywords: [a, [b], {c: d}]\n"), Ok(()));
        assert_eq!(check_flow_nesting("title: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n"), Ok(()));
        assert_eq!(check_flow_nesting("title: x # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"), Ok(()));
        assert_eq!(check_flow_nesting("title: it's [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"), Err(0));
        assert_eq!(check_flow_nesting(&format!("title: x\nkeywords: {}\n", "[".repeat(33))), Err(1));
        let huge = format!("title: x\nkeywords: {}\n", "[".repeat(1_000_000));
        let start = std::time::Instant::now();
        let mut diags = Diagnostics::new();
        assert!(parse(format!("---\n{huge}---\nbody\n"), Path::new("a.md"), &mut diags).is_none());
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
        let d = diags.sorted();
        assert!(d[0].to_string().contains("a.md:3: invalid front matter: '[' or '{' nested more than 32"), "{}", d[0]);
    }

    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let (yaml, body, line) = split_front_matter("---\ntitle: A\n---\nHello\n").unwrap();
        assert_eq!(yaml, "title: A\n");
        assert_eq!(body, "Hello\n");
        assert_eq!(line, 4);
    }

    #[test]
    fn keeps_13_10_distinct_from_13_1() {
        let mut d = Diagnostics::new();
        let (f, _, _) =
            parse("---\ntitle: A\nsince: 13.10\nuntil: 14.2 # last\n---\n".into(), Path::new("a.md"), &mut d).unwrap();
        assert_eq!(f.since.as_deref(), Some("13.10"));
        assert_eq!(f.until.as_deref(), Some("14.2"));
        assert_eq!(f.line_of("until"), 4);
    }

    #[test]
    fn yaml_error_line_is_file_line() {
        let mut d = Diagnostics::new();
        assert!(parse("---\ntitle: A\nparent: [x\n---\n".into(), Path::new("a.md"), &mut d).is_none());
        let msg = d.sorted()[0].to_string();
        assert!(msg.starts_with("a.md:"), "{msg}");
        assert!(msg.contains("invalid front matter"), "{msg}");
    }

    #[test]
    fn the_body_is_the_rest_of_the_file() {
        let mut d = Diagnostics::new();
        let (f, body, line) = parse("---\r\ntitle: A\r\n---\r\nBody\r\n".into(), Path::new("a.md"), &mut d).unwrap();
        assert_eq!((f.title.as_deref(), body.as_str(), line), (Some("A"), "Body\r\n", 4));
    }

    #[test]
    fn missing_title_is_an_error() {
        let mut d = Diagnostics::new();
        assert!(parse("---\nparent: x\n---\n".into(), Path::new("a.md"), &mut d).is_none());
        assert_eq!(d.sorted()[0].to_string(), "a.md:1: missing 'title' in front matter");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn plain() -> impl Strategy<Value = String> {
        "[A-Za-z][A-Za-z0-9 ]{0,20}[A-Za-z0-9]"
    }

    proptest! {
        /// Any text is parsed or refused with a message, never a panic.
        #[test]
        fn front_matter_parser_never_panics(text in "(---\n)?[-a-z:\\[\\]{}\"' #\n.0-9]{0,200}(\n---\n)?[a-z\n]{0,20}") {
            let mut diags = Diagnostics::new();
            let parsed = parse(text.clone(), Path::new("a.md"), &mut diags);
            prop_assert_eq!(parsed.is_none(), diags.has_errors());
            let _ = check_flow_nesting(&text);
            let _ = salvage_aliases(&text);
        }

        /// Front matter written from keys reads back as the same keys, the body intact.
        #[test]
        fn front_matter_round_trips(
            title in plain(),
            parent in proptest::option::of("[a-z][a-z0-9-]{0,10}"),
            order in proptest::option::of(-1000i64..1000),
            since in proptest::option::of("[0-9]{1,2}\\.[0-9]{1,2}"),
            keywords in prop::collection::vec(plain(), 0..4),
            body in "[A-Za-z0-9 \n]{0,60}",
        ) {
            let mut yaml = format!("title: {title}\n");
            if let Some(p) = &parent { yaml.push_str(&format!("parent: {p}\n")); }
            if let Some(o) = order { yaml.push_str(&format!("order: {o}\n")); }
            if let Some(s) = &since { yaml.push_str(&format!("since: {s}\n")); }
            if !keywords.is_empty() { yaml.push_str(&format!("keywords: [{}]\n", keywords.join(", "))); }
            let text = format!("---\n{yaml}---\n{body}");
            let mut diags = Diagnostics::new();
            let (front, got_body, body_line) = parse(text, Path::new("a.md"), &mut diags)
                .ok_or_else(|| TestCaseError::fail(format!("{:?}", diags.sorted())))?;
            prop_assert_eq!(front.title.as_deref(), Some(title.as_str()));
            prop_assert_eq!(front.parent, parent);
            prop_assert_eq!(front.order, order);
            // `since: 13.10` stays the text 13.10, not the number 13.1.
            prop_assert_eq!(front.since, since);
            prop_assert_eq!(front.keywords, keywords);
            prop_assert_eq!(got_body, body);
            prop_assert_eq!(body_line as usize, yaml.lines().count() + 3);
        }

        /// Brackets nest as deep as written: the nesting check accepts exactly up to the limit.
        #[test]
        fn flow_nesting_limit_is_exact(depth in 0usize..80) {
            let yaml = format!("keywords: {}{}\n", "[".repeat(depth), "]".repeat(depth));
            prop_assert_eq!(check_flow_nesting(&yaml).is_ok(), depth <= MAX_FLOW_NESTING);
        }
    }
}
