//! HTML content to folio Markdown: the page's content region is walked once, written
//! out as plain HTML that keeps only what Markdown can say (links resolved by the
//! caller, typed notes, code runs merged, layout attributes dropped), and converted
//! with `htmd` to Markdown throughout (no raw HTML: folio checks and rewrites the links
//! and images of Markdown, not of raw HTML).

use std::fmt::Write as _;

use scraper::node::Node;
use scraper::{ElementRef, Html};

use super::tidy::ALERT_MARK;

/// What a link or image in the content becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Written as this URL (a cross-link `slug.md`, a file under `articles/`, or an
    /// absolute URL).
    Url(String),
    /// The link is dropped and its label kept as plain text (an image: its alt text).
    Text,
}

/// The caller's decisions about links and images.
pub trait Links {
    /// What `<a href>` becomes.
    fn link(&mut self, href: &str) -> Target;
    /// What `<img src>` becomes.
    fn image(&mut self, src: &str) -> Target;
}

/// Converts one content region (an HTML fragment) to Markdown. `skip_text` drops a
/// leading block whose text equals it (the page title repeated in the content).
pub fn to_markdown(fragment: &str, skip_text: Option<&str>, links: &mut dyn Links) -> String {
    let doc = Html::parse_fragment(fragment);
    let mut w = Writer { out: String::with_capacity(fragment.len()), links, skip_text };
    w.children(doc.root_element());
    let md = converter().convert(&w.out).unwrap_or_default();
    super::tidy::tidy(&md)
}

fn converter() -> htmd::HtmlToMarkdown {
    use htmd::options::{
        BrStyle, BulletListMarker, CodeBlockFence, CodeBlockStyle, HeadingStyle, Options, TranslationMode,
    };
    htmd::HtmlToMarkdown::builder()
        .options(Options {
            heading_style: HeadingStyle::Atx,
            code_block_style: CodeBlockStyle::Fenced,
            code_block_fence: CodeBlockFence::Backticks,
            bullet_list_marker: BulletListMarker::Dash,
            translation_mode: TranslationMode::Pure,
            br_style: BrStyle::Backslash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Default::default()
        })
        .build()
}

/// The note types folio renders (GitHub's alert names), matched against class names.
const ALERT_KINDS: &[&str] = &["note", "tip", "important", "warning", "caution"];

/// The kind of typed note an element stands for, from its classes.
fn alert_kind(el: &scraper::node::Element) -> Option<&'static str> {
    el.classes().find_map(|c| ALERT_KINDS.iter().copied().find(|k| c.eq_ignore_ascii_case(k)))
}

fn has_class(el: &scraper::node::Element, class: &str) -> bool {
    el.classes().any(|c| c.eq_ignore_ascii_case(class))
}

/// Elements kept (without their attributes but those listed in [`kept_attr`]).
const KEEP: &[&str] = &[
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "strike",
    "del",
    "ins",
    "sup",
    "sub",
    "code",
    "kbd",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
];

/// Elements dropped with everything inside them.
/// (Forms, buttons and the like are unwrapped instead: their text stays.)
const DROP: &[&str] = &[
    "script", "style", "input", "head", "title", "meta", "link", "template", "object", "embed", "map", "area", "canvas",
];

fn kept_attr(tag: &str, attr: &str) -> bool {
    matches!((tag, attr), ("ol", "start") | ("td" | "th", "colspan" | "rowspan"))
}

struct Writer<'a> {
    out: String,
    links: &'a mut dyn Links,
    skip_text: Option<&'a str>,
}

impl Writer<'_> {
    fn children(&mut self, el: ElementRef) {
        let kids: Vec<_> = el.children().collect();
        let mut i = 0;
        while i < kids.len() {
            let node = kids[i];
            match node.value() {
                Node::Text(t) => {
                    if !t.trim().is_empty() {
                        self.skip_text = None;
                    }
                    self.text(t);
                }
                Node::Element(e) if e.name() == "p" && has_class(e, "codeblock") => {
                    // A run of code paragraphs (one per line, whitespace between them)
                    // is one code block.
                    let mut lines = Vec::new();
                    let mut j = i;
                    while j < kids.len() {
                        match kids[j].value() {
                            Node::Element(e) if e.name() == "p" && has_class(e, "codeblock") => {
                                lines.push(code_text(ElementRef::wrap(kids[j]).expect("element")));
                                i = j;
                            }
                            Node::Text(t) if t.trim().is_empty() => {}
                            Node::Comment(_) => {}
                            _ => break,
                        }
                        j += 1;
                    }
                    self.code_block(&lines.join("\n"));
                    self.skip_text = None;
                }
                Node::Element(_) => {
                    let child = ElementRef::wrap(node).expect("element");
                    if let Some(skip) = self.skip_text {
                        if is_block(child.value().name()) {
                            let text = normalize_space(&child.text().collect::<String>());
                            if !text.is_empty() {
                                self.skip_text = None;
                                if text.eq_ignore_ascii_case(&normalize_space(skip)) {
                                    i += 1;
                                    continue;
                                }
                            }
                        }
                    }
                    self.element(child);
                }
                _ => {}
            }
            i += 1;
        }
    }

    fn text(&mut self, t: &str) {
        for c in t.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '\u{a0}' => self.out.push(' '),
                '\r' => {}
                c => self.out.push(c),
            }
        }
    }

    fn code_block(&mut self, code: &str) {
        self.out.push_str("<pre><code>");
        self.text(code.trim_matches('\n'));
        self.out.push_str("</code></pre>");
    }

    fn element(&mut self, el: ElementRef) {
        let e = el.value();
        let tag = e.name();
        if DROP.contains(&tag) {
            return;
        }
        if let Some(kind) = alert_kind(e) {
            if matches!(tag, "div" | "p" | "aside" | "section" | "blockquote") {
                let _ = write!(self.out, "<blockquote><p>{ALERT_MARK}{}</p>", kind.to_ascii_uppercase());
                self.children(el);
                self.out.push_str("</blockquote>");
                return;
            }
        }
        match tag {
            "a" => match e.attr("href").map(str::trim) {
                Some(href) if !href.is_empty() => match self.links.link(href) {
                    Target::Url(url) => {
                        self.out.push_str("<a href=\"");
                        self.attr_text(&url);
                        self.out.push_str("\">");
                        self.children(el);
                        self.out.push_str("</a>");
                    }
                    Target::Text => self.children(el),
                },
                _ => self.children(el),
            },
            "img" => {
                let alt = e.attr("alt").unwrap_or("").trim().to_string();
                let Some(src) = e.attr("src").map(str::trim).filter(|s| !s.is_empty()) else { return };
                match self.links.image(src) {
                    Target::Url(url) => {
                        self.out.push_str("<img src=\"");
                        self.attr_text(&url);
                        self.out.push_str("\" alt=\"");
                        self.attr_text(&alt);
                        self.out.push_str("\">");
                    }
                    Target::Text => self.text(&alt),
                }
            }
            "span" | "code" if has_class(e, "codeblock") => {
                let code = code_text(el);
                if code.contains('\n') {
                    self.code_block(&code);
                } else {
                    self.out.push_str("<code>");
                    self.text(&code);
                    self.out.push_str("</code>");
                }
            }
            "pre" => {
                let code: String = el.text().collect();
                self.code_block(&code);
            }
            "h1" => self.wrap("h2", el),
            "table" => self.table(el),
            "ul" | "ol" => self.list(el),
            "br" if !meaningful_break(el) => {}
            "iframe" => {
                if let Some(src) = e.attr("src").map(str::trim).filter(|s| !s.is_empty()) {
                    if let Target::Url(url) = self.links.link(src) {
                        let label =
                            e.attr("title").map(str::trim).filter(|t| !t.is_empty()).unwrap_or(&url).to_string();
                        self.out.push_str("<p><a href=\"");
                        self.attr_text(&url);
                        self.out.push_str("\">");
                        self.text(&label);
                        self.out.push_str("</a></p>");
                    }
                }
            }
            "div" | "section" | "article" | "center" | "main" | "aside" | "header" | "footer" | "nav" | "figure"
            | "figcaption" | "details" | "summary" | "noscript" => {
                // Blocks without meaning of their own: their content, kept apart from
                // what is around it.
                self.out.push_str("<div>");
                self.children(el);
                self.out.push_str("</div>");
            }
            t if KEEP.contains(&t) => self.wrap(t, el),
            _ => self.children(el),
        }
    }

    /// A list. A list written directly inside another (not inside an item: invalid HTML
    /// that browsers show as nested) goes into the item before it, as its author meant.
    fn list(&mut self, el: ElementRef) {
        let tag = el.value().name();
        self.out.push('<');
        self.out.push_str(tag);
        if let Some(start) = el.value().attr("start").filter(|_| tag == "ol") {
            self.out.push_str(" start=\"");
            self.attr_text(start);
            self.out.push('"');
        }
        self.out.push('>');
        // Anything written directly in the list between items (a nested list, a note, a
        // paragraph) belongs to the item before it; before the first item, to one of its own.
        let mut open = false;
        for node in el.children() {
            match node.value() {
                Node::Element(e) if e.name() == "li" => {
                    if open {
                        self.out.push_str("</li>");
                    }
                    self.out.push_str("<li>");
                    self.children(ElementRef::wrap(node).expect("element"));
                    open = true;
                }
                Node::Element(e) if e.name() == "br" => {}
                Node::Element(_) => {
                    if !open {
                        self.out.push_str("<li>");
                        open = true;
                    }
                    let child = ElementRef::wrap(node).expect("element");
                    if matches!(child.value().name(), "ul" | "ol") {
                        self.list(child);
                    } else {
                        self.element(child);
                    }
                }
                Node::Text(t) if !t.trim().is_empty() => {
                    if !open {
                        self.out.push_str("<li>");
                        open = true;
                    }
                    self.text(t);
                }
                _ => {}
            }
        }
        if open {
            self.out.push_str("</li>");
        }
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    /// A table with its rows in order; without header cells, the first row is the
    /// header (Markdown tables have one).
    fn table(&mut self, el: ElementRef) {
        let rows: Vec<ElementRef> = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|r| {
                r.value().name() == "tr"
                    && r.ancestors().filter_map(ElementRef::wrap).find(|a| a.value().name() == "table") == Some(el)
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        self.out.push_str("<table>");
        for (i, row) in rows.iter().enumerate() {
            if i == 0 {
                self.out.push_str("<thead>");
            } else if i == 1 {
                self.out.push_str("<tbody>");
            }
            self.out.push_str("<tr>");
            for cell in row.children().filter_map(ElementRef::wrap).filter(|c| matches!(c.value().name(), "td" | "th"))
            {
                self.wrap(if i == 0 { "th" } else { cell.value().name() }, cell);
            }
            self.out.push_str("</tr>");
            if i == 0 {
                self.out.push_str("</thead>");
            }
        }
        if rows.len() > 1 {
            self.out.push_str("</tbody>");
        }
        self.out.push_str("</table>");
    }

    fn wrap(&mut self, tag: &str, el: ElementRef) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in el.value().attrs() {
            if kept_attr(tag, name) {
                let _ = write!(self.out, " {name}=\"");
                self.attr_text(value);
                self.out.push('"');
            }
        }
        self.out.push('>');
        if tag != "br" && tag != "hr" {
            self.children(el);
            let _ = write!(self.out, "</{tag}>");
        }
    }

    fn attr_text(&mut self, v: &str) {
        for c in v.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '"' => self.out.push_str("&quot;"),
                '<' => self.out.push_str("&lt;"),
                c => self.out.push(c),
            }
        }
    }
}

/// Whether a `<br>` breaks a line of text: not one at the start or end of its block,
/// next to a block, or between list items (those would be stray backslashes).
fn meaningful_break(br: ElementRef) -> bool {
    let Some(parent) = br.parent().and_then(ElementRef::wrap) else { return false };
    if matches!(parent.value().name(), "ul" | "ol" | "table" | "tbody" | "tr") {
        return false;
    }
    let blank = |n: &&Node| match n {
        Node::Text(t) => t.trim().is_empty(),
        Node::Comment(_) => true,
        _ => false,
    };
    let block_or_break = |n: &Node| match n {
        Node::Element(e) => is_block(e.name()) || e.name() == "br" || e.name() == "li",
        _ => false,
    };
    let prev = br.prev_siblings().map(|n| n.value()).find(|n| !blank(n));
    let next = br.next_siblings().map(|n| n.value()).find(|n| !blank(n));
    match (prev, next) {
        (Some(p), Some(n)) => !block_or_break(p) && !block_or_break(n),
        _ => false,
    }
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "table" | "pre" | "blockquote" | "dl"
    )
}

/// The text of a code element, `<br>` as line breaks.
fn code_text(el: ElementRef) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => out.push_str(&t.replace(['\r', '\n'], "").replace('\u{a0}', " ")),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            _ => {}
        }
    }
    // A line break written after each `<br>` in the source starts the next line
    // with one space: drop it when every continued line has it.
    let lines: Vec<&str> = out.split('\n').collect();
    if lines.len() > 1 && lines[1..].iter().all(|l| l.is_empty() || l.starts_with(' ')) {
        let mut fixed = lines[0].trim_end().to_string();
        for l in &lines[1..] {
            fixed.push('\n');
            fixed.push_str(l.strip_prefix(' ').unwrap_or(l).trim_end());
        }
        return fixed.trim_matches('\n').to_string();
    }
    out.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim_matches('\n').to_string()
}

/// Collapses runs of white space to one space and trims.
pub fn normalize_space(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Same;
    impl Links for Same {
        fn link(&mut self, href: &str) -> Target {
            match href.strip_suffix(".html") {
                Some(s) if !s.contains('/') => Target::Url(format!("{s}.md")),
                _ if href.starts_with("http") => Target::Url(href.to_string()),
                _ => Target::Text,
            }
        }
        fn image(&mut self, src: &str) -> Target {
            Target::Url(src.to_string())
        }
    }

    fn md(html: &str) -> String {
        to_markdown(html, None, &mut Same)
    }

    #[test]
    fn paragraphs_links_and_emphasis() {
        let out = md("<p class=\"MarginBottomZero\">See <a href=\"setup.html\">Setup</a> and <b>bold</b>&nbsp;&nbsp;text.</p>\r\n<p>Two</p>");
        assert_eq!(out, "See [Setup](setup.md) and **bold** text.\n\nTwo\n");
    }

    #[test]
    fn unknown_links_become_text() {
        assert_eq!(md("<p>Go <a href=\"../site/x.html\">there</a>.</p>"), "Go there.\n");
    }

    #[test]
    fn note_inside_a_paragraph_becomes_a_typed_note() {
        let out = md("<p>Before</p><p><div class=\"Note\">Note: mind the <i>gap</i>.</div></p><p>After</p>");
        assert!(out.contains("> [!NOTE]\n> Note: mind the *gap*."), "{out}");
        assert!(out.contains("Before") && out.contains("After"), "{out}");
    }

    #[test]
    fn code_paragraphs_become_one_fenced_block() {
        let out = md("<p class=\"codeblock\">first line</p>\r\n<p class=\"codeblock\">second &lt;x&gt;</p><p>Text</p>");
        assert!(out.contains("```\nfirst line\nsecond <x>\n```"), "{out}");
        let out = md("<p>Run:<p class=\"codeblock\">a;<br/> b;</p>");
        assert!(out.contains("```\na;\nb;\n```"), "{out}");
    }

    #[test]
    fn inline_code_spans() {
        assert_eq!(md("<p>Edit <span class=\"codeblock\">server.cnf</span> now.</p>"), "Edit `server.cnf` now.\n");
    }

    #[test]
    fn leading_title_block_is_dropped() {
        let out = to_markdown("<p> Query  Error </p><p>Body</p>", Some("Query Error"), &mut Same);
        assert_eq!(out, "Body\n");
    }

    #[test]
    fn nested_lists() {
        let out = md("<ol><li>One<ul><li>A</li><li>B</li></ul></li><li>Two</li></ol>");
        assert!(out.starts_with("1. One\n"), "{out}");
        assert!(out.contains("- A") && out.contains("2. Two"), "{out}");
    }

    #[test]
    fn a_list_written_between_items_belongs_to_the_item_before() {
        let out = md("<ol><li>One</li>\n<ul><li>A</li></ul>\n<br/><li>Two</li><p><div class=\"Note\">Note: mind it.</div></p></ol>");
        assert_eq!(out, "1. One\n   - A\n2. Two\n\n   > [!NOTE]\n   > Note: mind it.\n", "{out}");
    }

    #[test]
    fn images_keep_alt_text() {
        assert_eq!(md("<p><img src=\"images/a.png\" alt=\"A\" width=\"10\" style=\"x\"></p>"), "![A](images/a.png)\n");
    }

    #[test]
    fn a_table_without_header_cells_gets_its_first_row_as_header() {
        let out = md("<table class=\"simpletable\"><tr><td>Option</td><td>Meaning</td></tr><tr><td>Fast</td><td>Skips</td></tr></table>");
        assert_eq!(out, "| Option | Meaning |\n| --- | --- |\n| Fast | Skips |\n");
    }

    #[test]
    fn only_line_breaks_within_text_are_kept() {
        let out = md("<ol><li>One.<br/></li>\n<br/><li>Two<br/>second line<p class=\"codeblock\">x</p><br/></li></ol>");
        assert!(!out.lines().any(|l| l.trim() == "\\" || l.trim_end().ends_with("One.\\")), "{out}");
        assert!(out.contains("Two\\\n"), "{out}");
    }

    #[test]
    fn scripts_and_forms_are_dropped() {
        assert_eq!(md("<p>Text<script>var x = 1;</script></p><form><input><button>Go</button></form>"), "Text\n\nGo\n");
    }
}
