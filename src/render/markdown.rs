//! Markdown to HTML with pulldown-cmark, recording what the page links to.
//!
//! Rendering does not depend on the version: every page of a version folder sits at the
//! same depth and cross-links become `<slug>.html`, so one rendering of a resolved source
//! serves every version where it applies. Whether each link's target exists is checked
//! per version afterwards (see [`super::links`]). The one exception is a link to an asset
//! with revisions (`images/x.png` with `images/x@24.3.png`): its URL depends on the
//! version, so the rendering records where it is ([`RenderedBody::revised`]) and each
//! page puts in its version's file ([`RenderedBody::html_in`]); bodies without such links
//! are used as they are.
//!
//! Typed notes (GitHub's alerts, `> [!NOTE]` … `> [!CAUTION]`) become callouts: a
//! `<div class="callout callout-note" role="note">` whose first child is a visible
//! `<p class="callout-title">Note</p>`, so the type is in the text a reader and a screen
//! reader get, not only in a colour. Plain block quotes render as CommonMark says.

use std::collections::HashSet;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A heading of a rendered body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A cross-link to another article (or to a heading of this one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The slug as written (may be an alias); `None` for a same-page `#id` link.
    pub slug: Option<String>,
    pub fragment: Option<String>,
    /// 0-based line of the resolved source.
    pub line: usize,
}

/// A problem found while rendering: 0-based resolved line and message.
pub type RenderProblem = (usize, String);

/// A link or image to an asset with revisions, whose URL each version's page fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisedLink {
    /// The asset's base path under `articles/`.
    pub rel: String,
    /// 0-based line of the resolved source.
    pub line: usize,
    pub is_image: bool,
    /// Byte range in [`RenderedBody::html`] of the URL's path (prefix and encoded base
    /// path, without any `#fragment`), which [`RenderedBody::html_in`] replaces.
    pub at: usize,
    pub len: usize,
}

/// What a link to a path under `articles/` reaches (see [`Context::asset`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetLink {
    /// One file, the same in every version: the path under `media/` of its bytes.
    File(String),
    /// An asset with revisions: the file depends on the version.
    Revised,
}

/// One rendered body.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// Paths under `articles/` of images and attachments this body uses.
    pub assets: Vec<String>,
    /// Links to assets with revisions, in the order of their URLs in `html`.
    pub revised: Vec<RevisedLink>,
    pub problems: Vec<RenderProblem>,
}

impl RenderedBody {
    /// The HTML as the page of one version shows it: each link to an asset with
    /// revisions points at `media(rel)` (a path under `media/`, `None`: left at the base
    /// path), after `media_prefix`. Borrowed when the body has no such links.
    pub fn html_in<'a>(
        &self,
        media: impl Fn(&str) -> Option<&'a str>,
        media_prefix: &str,
    ) -> std::borrow::Cow<'_, str> {
        if self.revised.is_empty() {
            return std::borrow::Cow::Borrowed(&self.html);
        }
        let mut out = String::with_capacity(self.html.len() + 16 * self.revised.len());
        let mut done = 0;
        for link in &self.revised {
            let Some(path) = media(&link.rel) else { continue };
            out.push_str(&self.html[done..link.at]);
            out.push_str(media_prefix);
            out.push_str(&percent_encode_path(path));
            done = link.at + link.len;
        }
        out.push_str(&self.html[done..]);
        std::borrow::Cow::Owned(out)
    }
}

/// What rendering needs from the rest of the site.
pub struct Context<'a> {
    /// Folder of the source file under `articles/` ("" or "portal/"), for relative assets.
    pub dir: &'a str,
    /// Maps a slug or alias to the article's slug.
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    /// What a path under `articles/` reaches as a link target; `None`: no asset has it.
    pub asset: &'a dyn Fn(&str) -> Option<AssetLink>,
    /// URL prefix from a page to the shared media folder, e.g. "../media/".
    pub media_prefix: &'a str,
}

/// The Markdown extensions folio enables (CommonMark plus those in SPEC §4); the diff
/// pages parse with the same ones. `ENABLE_GFM` parses typed notes (`> [!NOTE]`).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The visible title and the class suffix of a typed note: ("Note", "note").
pub fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("Note", "note"),
        BlockQuoteKind::Tip => ("Tip", "tip"),
        BlockQuoteKind::Important => ("Important", "important"),
        BlockQuoteKind::Warning => ("Warning", "warning"),
        BlockQuoteKind::Caution => ("Caution", "caution"),
    }
}

/// Turns typed notes into callouts (see the module docs); other events pass unchanged.
fn callouts(events: &mut [(Event<'_>, usize)]) {
    for i in 0..events.len() {
        let html = match &events[i].0 {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (title, class) = callout(*kind);
                // pulldown-cmark starts a block on a new line; so does this.
                let nl = if i > 0 && matches!(events[i - 1].0, Event::Text(_) | Event::Code(_)) { "\n" } else { "" };
                format!("{nl}<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n")
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => "</div>\n".to_string(),
            _ => continue,
        };
        events[i].0 = Event::Html(CowStr::from(html));
    }
}

/// GitHub-style heading id: lowercase, letters and digits kept, spaces to '-'.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' || c == '_' {
            out.push(if c == '_' { '_' } else { '-' });
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

fn has_scheme(url: &str) -> bool {
    let mut chars = url.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    for c in chars {
        if c == ':' {
            return true;
        }
        if !(c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.') {
            return false;
        }
    }
    false
}

/// Joins a relative path onto `dir`, resolving `.` and `..`; None if it leaves `articles/`.
fn join_rel(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Line starts of `text`, for turning byte offsets into lines.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex(starts)
    }

    fn line(&self, offset: usize) -> usize {
        match self.0.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }
}

/// Renders one resolved source.
pub fn render(text: &str, cx: &Context<'_>) -> RenderedBody {
    let lines = LineIndex::new(text);
    let mut events: Vec<(Event<'_>, usize)> =
        Parser::new_ext(text, options()).into_offset_iter().map(|(e, r)| (e, lines.line(r.start))).collect();
    let mut out = RenderedBody::default();
    let mut used_ids: HashSet<String> = HashSet::new();

    // Headings: give each a stable, unique id.
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = heading_level(*level);
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text_buf = String::new();
            let mut j = i + 1;
            while j < events.len() {
                match &events[j].0 {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text_buf.push_str(t),
                    _ => {}
                }
                j += 1;
            }
            let id = match explicit {
                Some(id) => {
                    if !used_ids.insert(id.clone()) {
                        out.problems.push((events[i].1, format!("duplicate heading id '{id}'")));
                    }
                    id
                }
                None => {
                    let base = slugify(&text_buf);
                    let mut candidate = base.clone();
                    let mut n = 1;
                    while used_ids.contains(&candidate) {
                        candidate = format!("{base}-{n}");
                        n += 1;
                    }
                    used_ids.insert(candidate.clone());
                    candidate
                }
            };
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id.clone()));
            }
            out.headings.push(Heading { level, id, text: text_buf.trim().to_string() });
            i = j;
        }
        i += 1;
    }
    // Before the links are read: inserting events moves the indexes recorded there.
    super::anchors::permalinks(&mut events);

    // Links and images; for links to assets with revisions, the event's index and the
    // length of the URL path to replace.
    let mut revised_at: Vec<(usize, usize)> = Vec::new();
    for (i, (event, line)) in events.iter_mut().enumerate() {
        let (dest, is_image) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        let url = dest.to_string();
        if url.is_empty() || has_scheme(&url) || url.starts_with("//") || url.starts_with('/') {
            continue;
        }
        if let Some(frag) = url.strip_prefix('#') {
            out.links.push(LinkRef { slug: None, fragment: Some(percent_decode(frag)), line: *line });
            continue;
        }
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url.as_str(), None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let decoded = percent_decode(path);
        if !is_image && decoded.ends_with(".md") {
            let stem = decoded.rsplit('/').next().unwrap_or(&decoded).trim_end_matches(".md");
            let slug = stem.split('@').next().unwrap_or(stem).to_string();
            let target = (cx.resolve)(&slug).unwrap_or_else(|| slug.clone());
            let mut new = format!("{}.html", percent_encode_path(&target));
            if let Some(f) = fragment {
                new.push('#');
                new.push_str(f);
            }
            out.links.push(LinkRef { slug: Some(slug), fragment: fragment.map(percent_decode), line: *line });
            *dest = CowStr::from(new);
            continue;
        }
        let target = join_rel(cx.dir, &decoded).and_then(|rel| (cx.asset)(&rel).map(|link| (rel, link)));
        match target {
            Some((rel, link)) => {
                let path = match &link {
                    AssetLink::File(media) => media.as_str(),
                    AssetLink::Revised => rel.as_str(),
                };
                let mut new = format!("{}{}", cx.media_prefix, percent_encode_path(path));
                if link == AssetLink::Revised {
                    revised_at.push((i, new.len()));
                    out.revised.push(RevisedLink { rel: rel.clone(), line: *line, is_image, at: 0, len: 0 });
                }
                if let Some(f) = fragment {
                    new.push('#');
                    new.push_str(f);
                }
                out.assets.push(rel);
                *dest = CowStr::from(new);
            }
            None => {
                let what = if is_image { "image" } else { "link target" };
                out.problems.push((*line, format!("{what} '{url}' is not a file under articles/")));
            }
        }
    }

    out.assets.sort();
    out.assets.dedup();
    callouts(&mut events);
    if revised_at.is_empty() {
        let mut html = String::with_capacity(text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        out.html = html;
    } else {
        out.html = html_marking(events, &revised_at, &mut out.revised);
    }
    out
}

/// Writes the HTML of `events` and sets the byte range of each link of `revised`: the
/// URL path of event `at[k].0`, `at[k].1` bytes long (the writer emits events one by
/// one, so the link's URL is the first occurrence of it after the output so far).
fn html_marking(events: Vec<(Event<'_>, usize)>, at: &[(usize, usize)], revised: &mut [RevisedLink]) -> String {
    use std::cell::RefCell;
    use std::fmt;
    struct Sink<'s>(&'s RefCell<String>);
    impl fmt::Write for Sink<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.borrow_mut().push_str(s);
            Ok(())
        }
    }
    let html = RefCell::new(String::new());
    // Output length when each marked event starts, and its URL path.
    let starts: RefCell<Vec<(usize, String)>> = RefCell::new(Vec::new());
    let mut next = 0;
    let iter = events.into_iter().enumerate().map(|(i, (e, _))| {
        if at.get(next).is_some_and(|&(k, _)| k == i) {
            let url = match &e {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    dest_url[..at[next].1].to_string()
                }
                _ => String::new(),
            };
            starts.borrow_mut().push((html.borrow().len(), url));
            next += 1;
        }
        e
    });
    // Writing into a String does not fail.
    let _ = pulldown_cmark::html::write_html_fmt(Sink(&html), iter);
    let html = html.into_inner();
    for (link, (start, url)) in revised.iter_mut().zip(starts.into_inner()) {
        if let Some(pos) = html[start..].find(&url) {
            link.at = start + pos;
            link.len = url.len();
        }
    }
    html
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx_render(text: &str) -> RenderedBody {
        let resolve =
            |s: &str| if s == "listenerservice" { Some("econnector".to_string()) } else { Some(s.to_string()) };
        let asset = |p: &str| match p {
            "images/a.svg" => Some(AssetLink::File(p.to_string())),
            "images/same@2.0.svg" => Some(AssetLink::File("images/same.svg".to_string())),
            "images/shot.png" => Some(AssetLink::Revised),
            _ => None,
        };
        render(text, &Context { dir: "portal", resolve: &resolve, asset: &asset, media_prefix: "../media/" })
    }

    #[test]
    fn heading_ids_are_stable_unique_and_custom() {
        let b = cx_render("# Error Code 104\n\n## Error Code 104\n\n## Firewall {#fw}\n");
        let ids: Vec<&str> = b.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["error-code-104", "error-code-104-1", "fw"]);
        assert!(b.html.contains(r##"<h2 id="fw"><a class="anchor" href="#fw">Firewall</a></h2>"##), "{}", b.html);
    }

    #[test]
    fn cross_links_become_html_and_are_recorded_with_lines() {
        let b = cx_render("Intro\n\nSee [x](../other/econnector.md#firewall) and [y](listenerservice.md).\n");
        assert!(b.html.contains(r#"href="econnector.html#firewall""#), "{}", b.html);
        assert!(b.html.contains(r#"href="econnector.html""#), "{}", b.html);
        assert_eq!(b.links[0], LinkRef { slug: Some("econnector".into()), fragment: Some("firewall".into()), line: 2 });
        assert_eq!(b.links[1].slug.as_deref(), Some("listenerservice"));
    }

    #[test]
    fn external_links_untouched_images_rewritten() {
        let b = cx_render("[a](https://example.com/x.md) ![i](../images/a.svg) ![j](nope.png)\n");
        assert!(b.html.contains(r#"href="https://example.com/x.md""#));
        assert!(b.html.contains(r#"src="../media/images/a.svg""#), "{}", b.html);
        assert_eq!(b.assets, vec!["images/a.svg".to_string()]);
        assert_eq!(b.problems.len(), 1);
        assert!(b.problems[0].1.contains("nope.png"));
    }

    #[test]
    fn links_to_assets_with_revisions_are_filled_in_per_version() {
        let b = cx_render(
            "![a](../images/shot.png) `../media/images/shot.png`\n[b](../images/shot.png#p2) ![c](../images/same@2.0.svg)\n",
        );
        assert_eq!(b.revised.len(), 2);
        assert_eq!((b.revised[0].is_image, b.revised[1].is_image, b.revised[1].line), (true, false, 1));
        for r in &b.revised {
            assert_eq!(&b.html[r.at..r.at + r.len], "../media/images/shot.png");
        }
        // A pinned revision file links to where its bytes are written.
        assert!(b.html.contains(r#"src="../media/images/same.svg""#), "{}", b.html);
        let v2 = b.html_in(|rel| (rel == "images/shot.png").then_some("images/shot@2.0.png"), "../media/");
        assert!(v2.contains(r#"<img src="../media/images/shot%402.0.png" alt="a" />"#), "{v2}");
        assert!(v2.contains(r#"<a href="../media/images/shot%402.0.png#p2">b</a>"#), "{v2}");
        // Text that looks like the URL is text.
        assert!(v2.contains("<code>../media/images/shot.png</code>"), "{v2}");
        assert_eq!(b.html_in(|_| None, "../media/"), b.html);
        let plain = cx_render("![a](../images/a.svg)\n");
        assert!(plain.revised.is_empty());
        assert!(matches!(plain.html_in(|_| Some("x"), "../media/"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn extensions_are_on() {
        let b = cx_render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\nNote[^1]\n\n[^1]: foot\n");
        assert!(b.html.contains("<table>"));
        assert!(b.html.contains("<del>x</del>"));
        assert!(b.html.contains("checkbox"));
        assert!(b.html.contains("footnote"));
    }

    #[test]
    fn typed_notes_become_titled_callouts() {
        let b = cx_render("> [!WARNING]\n> Back up **first**.\n\n> [!tip]\n> Try it.\n");
        assert_eq!(
            b.html,
            "<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warning</p>\n\
             <p>Back up <strong>first</strong>.</p>\n</div>\n\
             <div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Tip</p>\n<p>Try it.</p>\n</div>\n"
        );
        assert!(!b.html.contains("[!"), "{}", b.html);
        for (marker, title) in [
            ("NOTE", "Note"),
            ("TIP", "Tip"),
            ("IMPORTANT", "Important"),
            ("WARNING", "Warning"),
            ("CAUTION", "Caution"),
        ] {
            let b = cx_render(&format!("> [!{marker}]\n> x\n"));
            let want = format!("<p class=\"callout-title\">{title}</p>");
            assert!(b.html.contains(&want), "{}", b.html);
        }
    }

    #[test]
    fn plain_and_unknown_quotes_stay_block_quotes() {
        let b = cx_render("> quoted\n\n> [!NOPE]\n> text\n");
        assert_eq!(
            b.html,
            "<blockquote>\n<p>quoted</p>\n</blockquote>\n<blockquote>\n<p>[!NOPE]\ntext</p>\n</blockquote>\n"
        );
        // In a tight list item the callout starts on a line of its own, as a quote would.
        let b = cx_render("- item\n  > [!NOTE]\n  > inside\n");
        assert!(b.html.contains("<li>item\n<div class=\"callout callout-note\" role=\"note\">\n"), "{}", b.html);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn render_plain(text: &str) -> RenderedBody {
        let resolve = |s: &str| Some(s.to_string());
        let asset = |_: &str| None;
        render(text, &Context { dir: "", resolve: &resolve, asset: &asset, media_prefix: "../media/" })
    }

    proptest! {
        /// Any link target renders without a panic, and what it records points at a line
        /// of the body.
        #[test]
        fn link_parser_never_panics(target in "[a-zA-Z0-9:/.#%@?&=_ -]{0,40}", text in "[a-z \\[\\]()]{0,20}") {
            let body = format!("{text} [x]({target}) [y](<{target}>) ![z]({target})\n");
            let r = render_plain(&body);
            for l in &r.links {
                prop_assert!(l.line < body.lines().count().max(1));
            }
        }

        /// A link to `<slug>.md#<fragment>` (through any folders) records the slug and
        /// fragment and becomes a link to `<slug>.html#<fragment>`.
        #[test]
        fn cross_links_record_slug_and_fragment(
            dirs in prop::collection::vec("[a-z]{1,6}", 0..3),
            slug in "[a-z][a-z0-9_-]{0,15}",
            fragment in proptest::option::of("[a-z][a-z0-9-]{0,10}"),
            line in 0usize..5,
        ) {
            let path = dirs.iter().map(|d| format!("{d}/")).collect::<String>();
            let hash = fragment.as_ref().map(|f| format!("#{f}")).unwrap_or_default();
            let body = format!("{}See [it]({path}{slug}.md{hash}).\n", "text\n\n".repeat(line));
            let r = render_plain(&body);
            prop_assert_eq!(r.links.len(), 1);
            prop_assert_eq!(r.links[0].slug.as_deref(), Some(slug.as_str()));
            prop_assert_eq!(r.links[0].fragment.as_deref(), fragment.as_deref());
            prop_assert_eq!(r.links[0].line, 2 * line);
            let href = format!("href=\"{slug}.html{hash}\"");
            prop_assert!(r.html.contains(&href), "{}", r.html);
        }
    }
}
