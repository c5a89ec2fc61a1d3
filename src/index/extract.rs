//! Text extraction: rendered article HTML → sections (anchor, heading, plain text).
//!
//! Uses lol_html's streaming parser. A new section starts at every `<h1>`…`<h6>`; its
//! anchor is the heading's `id` (empty when it has none, which links to the top of the
//! page). Text of `<script>`, `<style>` and `aria-hidden="true"` elements is skipped, and
//! so is a callout's title (`<p class="callout-title">Note</p>`, see
//! [`crate::render::markdown`]): it names the note's type, not what the page says.
//! The text of `<b>`, `<strong>`, `<i>`, `<em>` and `<a>` elements outside headings is
//! also kept apart, as the section's **names** (a manual sets the names of windows,
//! buttons and features in bold and links them): the index joins their words into pair
//! terms (see [`super::tokenize::pair_term`]).
//! So is each link's target and text, the section's **links**: the index gives the
//! linked page the words other pages name it by.
//! lol_html hands text over raw, so character references are decoded here.

use super::Section;
use lol_html::html_content::{Element, TextChunk, TextType};
use lol_html::{doc_text, element, end_tag, rewrite_str, RewriteStrSettings};
use std::cell::RefCell;
use std::rc::Rc;

/// Elements that do not break a line: no space is inserted around them, so
/// `<b>e</b>Connector` stays one word.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

#[derive(Default)]
struct State {
    sections: Vec<Section>,
    /// Raw (undecoded) heading and text of the section being read.
    anchor: String,
    heading: String,
    text: String,
    in_heading: bool,
    hidden: u32,
    /// Depth of emphasis elements, and where in `text` the outermost one began.
    emph: u32,
    emph_start: usize,
    names: Vec<String>,
    /// The link being read (its href and where its text began in `text`), and the
    /// section's links so far.
    link: Option<(String, usize)>,
    links: Vec<(String, String)>,
}

impl State {
    fn push_text(&mut self, s: &str) {
        if self.hidden > 0 {
            return;
        }
        if self.in_heading {
            self.heading.push_str(s);
        } else {
            self.text.push_str(s);
        }
    }

    fn flush(&mut self) {
        let heading = clean(&self.heading);
        let text = clean(&self.text);
        // an empty untitled lead-in is not a section
        let names = std::mem::take(&mut self.names);
        let links = std::mem::take(&mut self.links);
        if !(heading.is_empty() && text.is_empty() && self.anchor.is_empty()) {
            self.sections.push(Section { anchor: std::mem::take(&mut self.anchor), heading, text, names, links });
        }
        self.emph = 0;
        self.link = None;
        self.anchor.clear();
        self.heading.clear();
        self.text.clear();
    }
}

/// Extracts sections from rendered article body HTML. Pure; safe to call in parallel.
pub fn extract_sections(body_html: &str) -> Vec<Section> {
    let state = Rc::new(RefCell::new(State::default()));
    let (s_heading, s_hidden, s_block, s_text) = (state.clone(), state.clone(), state.clone(), state.clone());
    let (s_emph, s_link) = (state.clone(), state.clone());
    let settings = RewriteStrSettings {
        element_content_handlers: vec![
            element!("h1, h2, h3, h4, h5, h6", move |el: &mut Element| {
                {
                    let mut st = s_heading.borrow_mut();
                    st.flush();
                    st.anchor = el.get_attribute("id").map(|a| decode(&a)).unwrap_or_default();
                    st.in_heading = true;
                }
                let st = s_heading.clone();
                el.on_end_tag(end_tag!(move |_| {
                    st.borrow_mut().in_heading = false;
                    Ok(())
                }))?;
                Ok(())
            }),
            element!("[aria-hidden=true], p.callout-title", move |el: &mut Element| {
                if el.can_have_content() {
                    s_hidden.borrow_mut().hidden += 1;
                    let st = s_hidden.clone();
                    el.on_end_tag(end_tag!(move |_| {
                        let mut st = st.borrow_mut();
                        st.hidden = st.hidden.saturating_sub(1);
                        Ok(())
                    }))?;
                }
                Ok(())
            }),
            element!("b, strong, i, em, a", move |el: &mut Element| {
                if !el.can_have_content() {
                    return Ok(());
                }
                {
                    let mut st = s_emph.borrow_mut();
                    if st.in_heading || st.hidden > 0 {
                        return Ok(());
                    }
                    if st.emph == 0 {
                        st.emph_start = st.text.len();
                    }
                    st.emph += 1;
                }
                let st = s_emph.clone();
                el.on_end_tag(end_tag!(move |_| {
                    let mut st = st.borrow_mut();
                    if st.emph == 0 {
                        return Ok(());
                    }
                    st.emph -= 1;
                    if st.emph == 0 && st.emph_start <= st.text.len() {
                        let name = clean(&st.text[st.emph_start..]);
                        if name.contains(' ') && name.len() <= 80 {
                            st.names.push(name);
                        }
                    }
                    Ok(())
                }))?;
                Ok(())
            }),
            element!("a[href]", move |el: &mut Element| {
                let href = decode(&el.get_attribute("href").unwrap_or_default());
                {
                    let mut st = s_link.borrow_mut();
                    if st.in_heading || st.hidden > 0 || st.link.is_some() || !el.can_have_content() {
                        return Ok(());
                    }
                    let at = st.text.len();
                    st.link = Some((href, at));
                }
                let st = s_link.clone();
                el.on_end_tag(end_tag!(move |_| {
                    let mut st = st.borrow_mut();
                    if let Some((href, at)) = st.link.take() {
                        if at <= st.text.len() {
                            let text = clean(&st.text[at..]);
                            if !text.is_empty() && text.len() <= 120 {
                                st.links.push((href, text));
                            }
                        }
                    }
                    Ok(())
                }))?;
                Ok(())
            }),
            element!("*", move |el: &mut Element| {
                if INLINE.contains(&el.tag_name().as_str()) {
                    return Ok(());
                }
                s_block.borrow_mut().push_text(" ");
                if el.can_have_content() {
                    let st = s_block.clone();
                    el.on_end_tag(end_tag!(move |_| {
                        st.borrow_mut().push_text(" ");
                        Ok(())
                    }))?;
                }
                Ok(())
            }),
        ],
        document_content_handlers: vec![doc_text!(move |t: &mut TextChunk| {
            if matches!(t.text_type(), TextType::Data | TextType::RCData) {
                s_text.borrow_mut().push_text(t.as_str());
            }
            Ok(())
        })],
        ..RewriteStrSettings::new()
    };
    // Rewriting only fails if a handler fails or memory limits are hit; the handlers
    // above do not fail, and on a parser error we keep what was read so far.
    let _ = rewrite_str(body_html, settings);
    let mut st = state.borrow_mut();
    st.flush();
    std::mem::take(&mut st.sections)
}

/// Decodes character references and collapses whitespace.
fn clean(raw: &str) -> String {
    let decoded = decode(raw);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes numeric character references and the common named ones.
fn decode(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(|c: char| !c.is_ascii_alphanumeric() && c != '#').map(|i| i + 1);
        let decoded = match end {
            Some(end) if rest.as_bytes()[end] == b';' => entity(&rest[1..end]).map(|c| (c, end + 1)),
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "times" => '×',
        "divide" => '÷',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "rArr" => '⇒',
        "euro" => '€',
        "pound" => '£',
        "cent" => '¢',
        "yen" => '¥',
        "sect" => '§',
        "para" => '¶',
        "plusmn" => '±',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "aacute" => 'á',
        "agrave" => 'à',
        "acirc" => 'â',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "szlig" => 'ß',
        "ccedil" => 'ç',
        "ntilde" => 'ñ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sec(anchor: &str, heading: &str, text: &str) -> Section {
        Section { anchor: anchor.into(), heading: heading.into(), text: text.into(), names: vec![], links: vec![] }
    }

    #[test]
    fn splits_at_headings_with_ids() {
        let html = r#"<p>Intro <b>text</b>.</p>
<h2 id="error-104">Error 104</h2><p>Check the <a href="x.html">firewall</a>.</p><ul><li>one</li><li>two</li></ul>
<h3>No id</h3><p>More</p>"#;
        assert_eq!(
            extract_sections(html),
            vec![
                sec("", "", "Intro text."),
                Section {
                    links: vec![("x.html".into(), "firewall".into())],
                    ..sec("error-104", "Error 104", "Check the firewall. one two")
                },
                sec("", "No id", "More"),
            ]
        );
    }

    #[test]
    fn skips_script_style_and_hidden_text() {
        let html = r##"<style>p{color:red}</style><h2 id="a">Title<a aria-hidden="true" href="#a">#</a></h2>
<script>var x = "<p>no</p>";</script><p>Yes</p>"##;
        assert_eq!(extract_sections(html), vec![sec("a", "Title", "Yes")]);
    }

    #[test]
    fn a_callout_is_its_text_without_its_title() {
        let html = "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n<p>Restart it.</p>\n</div>\n<p>After.</p>";
        assert_eq!(extract_sections(html), vec![sec("", "", "Restart it. After.")]);
    }

    #[test]
    fn decodes_character_references() {
        let html = "<p>a &lt;b&gt; &amp; c&nbsp;d &#169; &#x263A; &bogus; AT&T &amp</p>";
        assert_eq!(extract_sections(html)[0].text, "a <b> & c d © ☺ &bogus; AT&T &amp");
    }

    #[test]
    fn inline_markup_does_not_split_words() {
        let html = "<p><b>e</b>Connector<br>next</p><table><tr><td>a</td><td>b</td></tr></table>";
        assert_eq!(extract_sections(html)[0].text, "eConnector next a b");
    }

    #[test]
    fn names_are_the_bold_italic_and_linked_phrases() {
        let html = "<h2 id=\"a\"><b>Not a name</b></h2><p>Open <b>Hygienist List</b>, then <a href=\"x.html\">Routing <i>Slips</i></a> and <b>OK</b>.</p>";
        let s = &extract_sections(html)[0];
        assert_eq!(s.text, "Open Hygienist List, then Routing Slips and OK.");
        assert_eq!(s.names, ["Hygienist List", "Routing Slips"], "one-word names add nothing to the words");
        assert_eq!(s.links, [("x.html".to_string(), "Routing Slips".to_string())]);
    }

    #[test]
    fn empty_input_gives_no_sections() {
        assert!(extract_sections("").is_empty());
        assert!(extract_sections("<p> </p>").is_empty());
    }
}
