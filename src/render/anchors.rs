//! Heading permalinks: every heading with an id links to itself, so a reader can copy a
//! link to one section (`page.html#error-code-104`) without JavaScript.
//!
//! The heading's text becomes the link (`<h2 id="x"><a class="anchor" href="#x">Text</a></h2>`):
//! the link's name is the heading's own text, the heading's name stays its text, and the
//! page grows by a few bytes per heading. The theme shows a `#` beside it on hover and
//! focus. A heading that already holds a link cannot hold another around it (links do
//! not nest); it gets an empty `<a class="anchor" href="#x" aria-label="…">` after its
//! text instead, named by its label.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The label of the separate permalink of a heading that holds a link.
pub const LABEL: &str = "Link to this section";

/// Makes every heading with an id in `events` (event, source line) a link to itself.
pub fn permalinks(events: &mut Vec<(Event<'_>, usize)>) {
    // (index to insert before, HTML) pairs, found first and inserted back to front so
    // that the indexes stay valid.
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[i].0 else {
            i += 1;
            continue;
        };
        let href = format!("#{}", super::templates::escape_html(id));
        let mut end = i + 1;
        let mut has_link = false;
        while end < events.len() && !matches!(events[end].0, Event::End(TagEnd::Heading(_))) {
            has_link |= matches!(events[end].0, Event::Start(Tag::Link { .. }));
            end += 1;
        }
        if has_link {
            inserts.push((end, format!("<a class=\"anchor\" href=\"{href}\" aria-label=\"{LABEL}\"></a>")));
        } else if end > i + 1 {
            inserts.push((i + 1, format!("<a class=\"anchor\" href=\"{href}\">")));
            inserts.push((end, "</a>".to_string()));
        }
        i = end + 1;
    }
    for (at, html) in inserts.into_iter().rev() {
        let line = events.get(at).or(events.last()).map_or(0, |e| e.1);
        events.insert(at, (Event::InlineHtml(CowStr::from(html)), line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn html(md: &str) -> String {
        let mut events: Vec<(Event<'_>, usize)> =
            Parser::new_ext(md, crate::render::markdown::options()).map(|e| (e, 0)).collect();
        permalinks(&mut events);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn a_heading_with_an_id_links_to_itself() {
        assert_eq!(
            html("## Error `104`: *stopped* {#error-104}\n\ntext\n"),
            "<h2 id=\"error-104\"><a class=\"anchor\" href=\"#error-104\">Error <code>104</code>: <em>stopped</em></a></h2>\n<p>text</p>\n"
        );
    }

    #[test]
    fn a_heading_holding_a_link_gets_a_labelled_permalink_after_it() {
        assert_eq!(
            html("### See [setup](setup.html) {#see}\n"),
            "<h3 id=\"see\">See <a href=\"setup.html\">setup</a><a class=\"anchor\" href=\"#see\" aria-label=\"Link to this section\"></a></h3>\n"
        );
    }

    #[test]
    fn headings_without_id_or_text_are_left_alone() {
        assert_eq!(html("## Plain\n"), "<h2>Plain</h2>\n");
        assert_eq!(html("## {#empty}\n"), "<h2 id=\"empty\"></h2>\n");
    }

    #[test]
    fn ids_are_escaped_in_the_link() {
        assert!(html("## A {#a&b}\n").contains("href=\"#a&amp;b\""));
    }
}
