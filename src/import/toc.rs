//! The table of contents of one release: a nested `<ul>`/`<li>` list, read from an
//! HTML page or from the string literals of a JavaScript file that builds one (where
//! collapsible `<li>` are often never closed: an HTML5 parser nests them by their
//! `<ul>`, as a browser does).

use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub label: String,
    /// The entry's link, as written; `None` for a label-only heading.
    pub href: Option<String>,
    /// The `<li>`'s id, if any: a label-only heading's identity across releases.
    pub id: Option<String>,
    pub children: Vec<Entry>,
}

/// Parses a TOC file: JavaScript (its string literals joined) when `js`, else HTML.
/// Returns the entries of the first list, or `None` when there is no list with entries.
pub fn parse(text: &str, js: bool) -> Option<Vec<Entry>> {
    let html = if js { js_strings(text) } else { text.to_string() };
    let doc = Html::parse_document(&html);
    let ul = Selector::parse("ul").expect("valid selector");
    let first = doc.select(&ul).find(|u| u.children().any(|c| is_tag(c.value(), "li")))?;
    if super::snapshot::max_depth(*first) > super::snapshot::MAX_DEPTH {
        return None;
    }
    let entries = list(first);
    (!entries.is_empty()).then_some(entries)
}

fn is_tag(n: &Node, tag: &str) -> bool {
    matches!(n, Node::Element(e) if e.name() == tag)
}

fn list(ul: ElementRef) -> Vec<Entry> {
    ul.children().filter_map(ElementRef::wrap).filter(|c| c.value().name() == "li").map(item).collect()
}

/// One `<li>`: its first link (or text) outside nested lists, and its nested lists.
fn item(li: ElementRef) -> Entry {
    let mut label = String::new();
    let mut href = None;
    let mut children = Vec::new();
    collect(li, &mut label, &mut href, &mut children);
    let id = li.value().attr("id").map(str::to_string).filter(|s| !s.is_empty());
    Entry { label: super::convert::normalize_space(&label), href, id, children }
}

fn collect(el: ElementRef, label: &mut String, href: &mut Option<String>, children: &mut Vec<Entry>) {
    for c in el.children() {
        match c.value() {
            Node::Text(t) if href.is_none() => label.push_str(t),
            Node::Element(e) => {
                let child = ElementRef::wrap(c).expect("element");
                match e.name() {
                    "ul" | "ol" => children.extend(list(child)),
                    "a" if href.is_none() && e.attr("href").is_some_and(|h| !h.trim().is_empty()) => {
                        *label = child.text().collect();
                        *href = e.attr("href").map(|h| h.trim().to_string());
                    }
                    _ => collect(child, label, href, children),
                }
            }
            _ => {}
        }
    }
}

/// The contents of every string literal in a JavaScript text, joined, with escapes
/// resolved.
fn js_strings(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut chars = js.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' | '`' => {
                let quote = c;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => out.push('\n'),
                            Some('r') => out.push('\r'),
                            Some('t') => out.push('\t'),
                            Some(other) => out.push(other),
                            None => {}
                        },
                        c if c == quote => break,
                        c => out.push(c),
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nests_unclosed_items_by_their_lists() {
        let js = r#"function GetToc() {
     return "<ul class=\"Top\">\r\n"
+"<li class=\"collapse\" id=\"home\"><div class=\"exptxt\"><a href=\"../v2/home.html\">Home</a></div>\r\n"
+"<ul id=\"ul_home\">\r\n"
+"<li id=\"a\"><a href=\"../v2/a.html\">A page</a></li>\r\n"
+"<li class=\"collapse\" id=\"+group\"><div class=\"exptxt\">A group</div>\r\n"
+"<ul id=\"ul_group\">\r\n"
+"<li id=\"b\"><a href=\"../v2/b.html\">B</a></li>\r\n"
+"</ul>\r\n"
+"<li id=\"c\"><a href=\"../v2/c.html\">C</a></li>\r\n"
+"</ul>\r\n"
+"</ul>";
}"#;
        let toc = parse(js, true).unwrap();
        assert_eq!(toc.len(), 1);
        let home = &toc[0];
        assert_eq!((home.label.as_str(), home.href.as_deref()), ("Home", Some("../v2/home.html")));
        let kids: Vec<&str> = home.children.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(kids, ["A page", "A group", "C"]);
        let group = &home.children[1];
        assert_eq!((group.href.as_deref(), group.id.as_deref()), (None, Some("+group")));
        assert_eq!(group.children[0].href.as_deref(), Some("../v2/b.html"));
    }

    #[test]
    fn reads_an_html_page() {
        let page = "<html><body><p>Intro</p><ul><li><a href=\"a.html\">A</a><ul><li><a href=\"b.html\">B</a></li></ul></li></ul></body></html>";
        let toc = parse(page, false).unwrap();
        assert_eq!(toc[0].children[0].label, "B");
        assert!(parse("<p>no list</p>", false).is_none());
    }
}
