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
    let parsed = match simple(yaml) {
        Some(f) => Ok(f),
        None => serde_yaml::from_str(&quote_article_versions(yaml)),
    };
    let mut front: FrontMatter = match parsed {
        Ok(f) => f,
        Err(e) => {
            let loc = match e.location() {
                Some(l) => Location::line(rel, 1 + l.line() as u32),
                None => Location::line(rel, 1),
            };
            diags.error(loc, format!("invalid front matter: {}", super::yaml_message(&e)));
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

/// Front matter in the plain form nearly every article uses, read without a YAML parser
/// (which costs more than the rest of loading): each line a known key at the start of
/// the line, `: `, and a value that YAML reads as this text would be read here: a quoted
/// string without escapes, a plain string of ordinary characters, a whole number for
/// `order`, `true` or `false` for `removed`, a version for `since` and `until`, a
/// one-line `[a, b]` list for `aliases` and `keywords`. `None` for anything else (then
/// the YAML parser reads it, and reports any problem).
fn simple(yaml: &str) -> Option<FrontMatter> {
    let mut f = FrontMatter::default();
    let mut seen: u8 = 0;
    for line in yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim_start_matches(' ').is_empty() {
            continue;
        }
        let (key, value) = line.split_once(": ")?;
        let value = value.trim_matches(' ');
        let bit = match key {
            "title" => 1,
            "parent" => 2,
            "order" => 4,
            "since" => 8,
            "until" => 16,
            "aliases" => 32,
            "keywords" => 64,
            "removed" => 128,
            _ => return None,
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        match key {
            "title" => f.title = Some(simple_string(value)?),
            "parent" => f.parent = Some(simple_string(value)?),
            "since" => f.since = Some(simple_version(value)?),
            "until" => f.until = Some(simple_version(value)?),
            "order" => f.order = Some(simple_int(value)?),
            "removed" => {
                f.removed = match value {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                }
            }
            "aliases" => f.aliases = Some(simple_list(value)?),
            _ => f.keywords = simple_list(value)?,
        }
    }
    Some(f)
}

/// A quoted string without escapes or quotes inside, or a plain string.
fn simple_string(v: &str) -> Option<String> {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q) {
            let inner = inner.strip_suffix(q)?;
            return quotable(inner, q).then(|| inner.to_string());
        }
    }
    simple_plain(v, false).then(|| v.to_string())
}

/// Whether `inner` between quotes `q` is that text to YAML: no quote, escape or
/// control character (a tab aside) inside.
fn quotable(inner: &str, q: char) -> bool {
    !inner.chars().any(|c| c == q || c == '\\' || (c.is_control() && c != '\t'))
}

/// Whether YAML reads `v` as exactly this text: it starts with a letter, holds only
/// characters without a meaning in YAML (inside a `[...]` list, no commas or brackets
/// either), and is no word YAML reads as null or true/false.
fn simple_plain(v: &str, in_list: bool) -> bool {
    let ordinary = |c: char| {
        c.is_alphanumeric()
            || matches!(c, ' ' | '-' | '_' | '.' | '/' | '(' | ')' | '&' | '+' | '?' | '!' | '=' | '$' | '%' | ';')
            || (!in_list && c == ',')
    };
    let special = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];
    v.starts_with(char::is_alphabetic)
        && v.chars().all(ordinary)
        && !v.ends_with(' ')
        && !special.iter().any(|w| v.eq_ignore_ascii_case(w))
}

/// A version: a string, or digits and dots (which `quote_article_versions` keeps as
/// text).
fn simple_version(v: &str) -> Option<String> {
    if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Some(v.to_string());
    }
    simple_string(v)
}

/// A whole number in decimal without a sign or leading zeros, or with a minus sign.
fn simple_int(v: &str) -> Option<i64> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let plain =
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'));
    if plain && digits.len() <= 18 {
        v.parse().ok()
    } else {
        None
    }
}

/// `[a, b]` with plain or double-quoted items (no commas or escapes inside quotes).
fn simple_list(v: &str) -> Option<Vec<String>> {
    let inner = v.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim_matches(' ').is_empty() {
        return Some(Vec::new());
    }
    inner
        .split(',')
        .map(|item| {
            let item = item.trim_matches(' ');
            match item.strip_prefix('"') {
                Some(q) => {
                    let q = q.strip_suffix('"')?;
                    quotable(q, '"').then(|| q.to_string())
                }
                None => simple_plain(item, true).then(|| item.to_string()),
            }
        })
        .collect()
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

    /// Whether `simple` reads `yaml` (and then, that YAML reads it the same way).
    fn simple_agrees(yaml: &str) -> bool {
        let Some(fast) = simple(yaml) else { return false };
        let slow: FrontMatter = serde_yaml::from_str(&quote_article_versions(yaml))
            .unwrap_or_else(|e| panic!("{yaml:?}: simple reads it, YAML says {e}"));
        assert_eq!(fast, slow, "{yaml:?}");
        true
    }

    #[test]
    fn simple_front_matter_reads_as_yaml_does() {
        for yaml in [
            "title: \"Vutraxnain That\"\nparent: shopioafter\norder: 360\n",
            "title: eConnector Firewall\nparent: econnector\norder: 1\nsince: \"17.1\"\nkeywords: [firewall, anti-virus, exception]\n",
            "title: 'Single'\r\norder: -3\r\nremoved: true\r\n",
            "title: A\nsince: 13.10\nuntil: 14.2\naliases: [old-one, \"older one\"]\nkeywords: []\n",
            "title: Notes (draft), v2 & more!\n\nremoved: false\norder: 0\n",
            "title: \"  padded  \"  \naliases: [ a ,b ]\n",
            "title: Über Größe\nparent: x.y_z\nsince: v1.0\n",
            "title: \"\"\n",
        ] {
            assert!(simple_agrees(yaml), "{yaml:?} should take the simple path");
        }
        // Everything else is left to YAML (which may accept it, or report it).
        for yaml in [
            "title: yes\n",
            "title: Null\n",
            "title: 2024 plans\n",
            "title: a: b\n",
            "title: a # note\n",
            "title: \"a \\\" b\"\n",
            "title: 'it''s'\n",
            "title: x\ntitle: y\n",
            "title: x\n  continued\n",
            "title:\n",
            "title:\tx\n",
            "  title: x\n",
            "# comment: x\ntitle: x\n",
            "order: 007\ntitle: x\n",
            "order: +7\ntitle: x\n",
            "order: 99999999999999999999\ntitle: x\n",
            "order: \"5\"\ntitle: x\n",
            "removed: yes\ntitle: x\n",
            "keywords: [a, [b]]\ntitle: x\n",
            "keywords: [a,]\ntitle: x\n",
            "keywords:\n  - a\ntitle: x\n",
            "keywords: [3d]\ntitle: x\n",
            "keywords: ['a']\ntitle: x\n",
            "aliases: a\ntitle: x\n",
            "title: \"a\rb\"\n",
            "title: x\nunknown: y\n",
            "title: .NET\n",
            "title: ~\n",
        ] {
            assert!(!simple_agrees(yaml), "{yaml:?} should be left to YAML");
        }
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
