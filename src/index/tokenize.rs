//! The tokenizer, shared rule for rule with `themes/default/static/terms.js`.
//!
//! Both sides must turn the same text into the same terms, so every rule here has a
//! twin in the runtime (`words`, `whole`, `parts`, `stem`, the stop list). Change
//! them together.
//!
//! * A **word** is a maximal run of letters and digits (`char::is_alphanumeric`, in JS
//!   `[\p{Alphabetic}\p{N}]`), where single connector characters `- _ . ' ’` between
//!   two letters or digits keep the word together: `X-Charge`, `13.1`, `user's`.
//! * Its **whole form** is the word lowercased with the connectors removed, except a
//!   `.` between two digits, which stays: `X-Charge` → `xcharge`, `13.1` → `13.1`,
//!   `eConnector` → `econnector`.
//! * Its **parts** split it at connectors and camel-case humps: `OpenDentImages` →
//!   `open dent images`, `X-Charge` → `x charge`, `HTMLParser` → `html parser`.
//!   The index holds the whole form and the parts; a query looks up whole forms, so
//!   `opendentimages`, `OpenDentImages` and `open dent images` all find the page.
//! * Stop words (a short English list) are dropped, and so are one-character terms.
//! * Terms made only of ASCII lowercase letters are **stemmed** with the Snowball
//!   English stemmer (Porter2, the `rust-stemmers` crate): `printing`, `printed`,
//!   `prints` → `print`; `configure`, `configuration` → `configur`; `automatic`,
//!   `automatically` → `automat`; `monthly` → `month`. `terms.js` carries a port of
//!   the same algorithm; `folio debug-terms` prints these terms for any words, and the
//!   browser tests check that both sides agree on every word of a built manual.

/// English stop words: never indexed, ignored in queries (the list that
/// [`is_stop_word`] matches; sorted).
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "its", "no", "not",
    "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "were",
    "will", "with",
];

fn is_connector(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | '\'' | '\u{2019}')
}

/// Whether `word` is a stop word (expects a lowercased whole form).
pub fn is_stop_word(word: &str) -> bool {
    // a `match` compiles to length tests and short compares: faster than a search
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "no"
            | "not"
            | "of"
            | "on"
            | "or"
            | "such"
            | "that"
            | "the"
            | "their"
            | "then"
            | "there"
            | "these"
            | "they"
            | "this"
            | "to"
            | "was"
            | "were"
            | "will"
            | "with"
    )
}

/// Splits text into words (see the module docs); yields slices of `text`.
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

/// Iterator returned by [`words`].
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = &self.text[self.pos..];
        let (skip, _) = rest.char_indices().find(|(_, c)| c.is_alphanumeric())?;
        let start = self.pos + skip;
        let mut end = start;
        let mut chars = self.text[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                end = start + i + c.len_utf8();
            } else if is_connector(c) && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
                // the connector is inside the word; the next char extends `end`
            } else {
                break;
            }
        }
        self.pos = end;
        Some(&self.text[start..end])
    }
}

/// The whole form of a word: lowercased, connectors removed except `.` between digits.
pub fn whole(word: &str) -> String {
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // the common case, without the char-by-char walk
        return word.to_ascii_lowercase();
    }
    let lower = word.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut out = String::with_capacity(lower.len());
    for (i, &c) in chars.iter().enumerate() {
        let digit_dot =
            c == '.' && i > 0 && chars[i - 1].is_numeric() && chars.get(i + 1).is_some_and(|n| n.is_numeric());
        if !is_connector(c) || digit_dot {
            out.push(c);
        }
    }
    out
}

/// Whether [`parts`] could split `word` in more than one: it has a connector or an
/// upper-case letter after its first character.
fn may_split(word: &str) -> bool {
    word.chars().skip(1).any(|c| is_connector(c) || c.is_uppercase())
}

/// The parts of a word, lowercased: split at connectors and camel-case humps.
/// A word without inner boundaries has one part.
pub fn parts(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in word.split(is_connector).filter(|r| !r.is_empty()) {
        let chars: Vec<char> = run.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (a, b) = (chars[i - 1], chars[i]);
            let hump = (a.is_lowercase() && b.is_uppercase())
                || (a.is_uppercase() && b.is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase()));
            if hump {
                out.push(chars[start..i].iter().collect::<String>().to_lowercase());
                start = i;
            }
        }
        out.push(chars[start..].iter().collect::<String>().to_lowercase());
    }
    out
}

/// The Snowball English stemmer (Porter2), as the `rust-stemmers` crate runs it. Only
/// words of ASCII lowercase letters are stemmed; others (digits, accents) are returned
/// unchanged, so that the runtime's port of the algorithm needs no Unicode rules.
pub fn stem(word: &str) -> String {
    let mut w = word.to_string();
    stem_in_place(&mut w);
    w
}

fn stem_in_place(w: &mut String) {
    if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    static ENGLISH: std::sync::OnceLock<rust_stemmers::Stemmer> = std::sync::OnceLock::new();
    let stemmer = ENGLISH.get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));
    if let std::borrow::Cow::Owned(s) = stemmer.stem(w) {
        *w = s;
    }
}

/// Reads words, one a line, and writes each one's index terms (see [`index_terms`]),
/// space-separated, one line per word: what `folio debug-terms` prints, for checking
/// that `terms.js` turns every word of a manual into the same terms.
pub fn debug_terms(input: &str) -> String {
    let mut out = String::with_capacity(input.len() * 2);
    let mut buf = Vec::new();
    for line in input.lines() {
        index_terms(line.trim(), &mut buf);
        out.push_str(&buf.join(" "));
        out.push('\n');
        buf.clear();
    }
    out
}

/// A whole form or part as a term: `None` for stop words and single characters.
fn term(s: String) -> Option<String> {
    if s.chars().nth(1).is_none() || is_stop_word(&s) {
        return None;
    }
    let mut s = s;
    stem_in_place(&mut s);
    Some(s)
}

/// The index terms of one word: the stemmed whole form, then the stemmed parts when
/// the word has more than one. Empty for stop words.
pub fn index_terms(word: &str, out: &mut Vec<String>) {
    let w = whole(word);
    if is_stop_word(&w) {
        return;
    }
    out.extend(term(w));
    if may_split(word) {
        let ps = parts(word);
        if ps.len() > 1 {
            out.extend(ps.into_iter().filter_map(term));
        }
    }
}

/// The pair term of two adjacent words given as whole forms: joined, then stemmed
/// (`auto` + `codes` → `autocod`, the term of `Autocodes`). `None` when either is a stop
/// word or a single character. Queries look pairs up for adjacent words and for a word
/// typed as one that the text writes as two.
pub fn pair_term(a: &str, b: &str) -> Option<String> {
    if !pair_word(a) || !pair_word(b) {
        return None;
    }
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    stem_in_place(&mut s);
    Some(s)
}

fn pair_word(w: &str) -> bool {
    w.chars().nth(1).is_some() && !is_stop_word(w)
}

/// The pair terms of `text`: one for each two words in a row, see [`pair_term`]; stop
/// words between them do not count (`Terms of Service`), nor does punctuation
/// (`ODTouch: Settings`: a query has no punctuation). With `names_only`, for running
/// text: only pairs of words that both have a capital letter (`Hygienist List`,
/// `eClipboard Setup`: the names of things), with nothing but spaces between them.
pub fn pair_terms(text: &str, names_only: bool, out: &mut Vec<String>) {
    let mut prev: Option<String> = None;
    let mut end = 0;
    for w in words(text) {
        let start = w.as_ptr() as usize - text.as_ptr() as usize;
        let joined = !names_only || text[end..start].chars().all(char::is_whitespace);
        end = start + w.len();
        let whole_w = whole(w);
        if is_stop_word(&whole_w) {
            if !joined || names_only {
                prev = None;
            }
            continue;
        }
        let ok = pair_word(&whole_w) && (!names_only || w.chars().any(char::is_uppercase));
        if let (Some(p), true, true) = (&prev, joined, ok) {
            out.extend(pair_term(p, &whole_w));
        }
        prev = ok.then_some(whole_w);
    }
}

/// The query term of one word: its stemmed whole form (`None` for stop words and
/// one-character words).
pub fn query_term(word: &str) -> Option<String> {
    term(whole(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for w in words(text) {
            index_terms(w, &mut out);
        }
        out
    }

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        let others = ["", "th", "thee", "theirs", "an ", "A", "thes", "with2", "xyz"];
        assert!(others.iter().all(|w| !is_stop_word(w)));
    }

    #[test]
    fn words_split_on_punctuation_but_keep_connected_words() {
        let w: Vec<&str> = words("Use X-Charge (v13.1), the eConnector's... a--b end.").collect();
        assert_eq!(w, ["Use", "X-Charge", "v13.1", "the", "eConnector's", "a", "b", "end"]);
    }

    #[test]
    fn case_is_folded() {
        assert_eq!(terms("Printer PRINTER printer"), ["printer"; 3]);
        assert_eq!(query_term("ÉCRAN").as_deref(), Some("écran"));
    }

    #[test]
    fn econnector_is_whole_and_parts() {
        assert_eq!(terms("eConnector"), ["econnector", "connector"]);
        assert_eq!(query_term("eConnector").as_deref(), Some("econnector"));
        assert_eq!(query_term("econnector").as_deref(), Some("econnector"));
    }

    #[test]
    fn hyphenated_product_names() {
        assert_eq!(terms("X-Charge"), ["xcharg", "charg"]);
        assert_eq!(query_term("X-Charge").as_deref(), Some("xcharg"));
        assert_eq!(query_term("xcharge").as_deref(), Some("xcharg"));
        assert_eq!(query_term("x-charge").as_deref(), Some("xcharg"));
    }

    #[test]
    fn version_numbers_keep_their_dot() {
        assert_eq!(terms("13.1"), ["13.1", "13"]);
        assert_eq!(terms("version 24.3.1"), ["version", "24.3.1", "24"]);
        assert_eq!(whole("v13.1"), "v13.1");
        assert_eq!(whole("file.txt"), "filetxt");
    }

    #[test]
    fn camel_case_product_words() {
        assert_eq!(terms("OpenDentImages"), ["opendentimag", "open", "dent", "imag"]);
        assert_eq!(parts("HTMLParser"), ["html", "parser"]);
        assert_eq!(parts("iPhone"), ["i", "phone"]);
        assert_eq!(terms("iPhone"), ["iphon", "phone"]);
    }

    #[test]
    fn stop_words_and_single_letters_are_dropped() {
        assert_eq!(terms("The printer is on a desk"), ["printer", "desk"]);
        assert_eq!(query_term("the"), None);
        assert_eq!(query_term("x"), None);
    }

    #[test]
    fn stemming_conflates_inflections() {
        for (words, stem_) in [
            (&["print", "prints", "printing", "printed"][..], "print"),
            (&["configure", "configured", "configuring", "configuration", "configurations"], "configur"),
            (&["install", "installs", "installed", "installing", "installation"], "instal"),
            (&["image", "images", "imaging", "imaged"], "imag"),
            (&["note", "notes", "noted", "noting"], "note"),
            (&["setting", "settings", "sets", "set"], "set"),
            (&["policy", "policies"], "polici"),
            (&["apply", "applies", "applied"], "appli"),
            (&["automatic", "automatically"], "automat"),
            (&["automate", "automated", "automation"], "autom"),
            (&["month", "monthly", "months"], "month"),
            (&["organize", "organization"], "organ"),
            (&["generate", "generated", "generates"], "generat"),
        ] {
            for w in words {
                assert_eq!(stem(w), stem_, "{w}");
            }
        }
    }

    #[test]
    fn stemming_leaves_short_and_special_words_alone() {
        for w in ["us", "x509", "13.1", "café", "news", "sky", "OTK"] {
            assert_eq!(stem(w), w, "{w}");
        }
        assert_eq!(stem("needed"), "need");
        assert_eq!(stem("addresses"), "address");
        assert_eq!(stem("skies"), "sky");
    }

    #[test]
    fn pairs_join_adjacent_words() {
        let pairs = |text: &str, names: bool| {
            let mut out = Vec::new();
            pair_terms(text, names, &mut out);
            out
        };
        assert_eq!(pair_term("auto", "codes").as_deref(), Some("autocod"));
        assert_eq!(pair_term("auto", "codes"), query_term("Autocodes"));
        assert_eq!(pair_term("of", "codes"), None);
        assert_eq!(
            pairs("Set up Auto Codes, then Terms of Service.", false),
            ["setup", "upauto", "autocod", "codesterm", "termsservic"]
        );
        assert_eq!(pairs("ODTouch: Settings", false), ["odtouchset"]);
        assert_eq!(pairs("ODTouch: Settings", true), Vec::<String>::new());
        assert_eq!(
            pairs("Open the Hygienist List. Then Quick Links and eClipboard Setup", true),
            ["hygienistlist", "quicklink", "eclipboardsetup"],
            "(then is a stop word)"
        );
        assert_eq!(pairs("Error 104 x y", false), ["error104"], "one-letter words pair with nothing");
    }

    #[test]
    fn debug_terms_gives_one_line_per_word() {
        assert_eq!(debug_terms("Printing\nthe\nOpenDentImages\n"), "print\n\nopendentimag open dent imag\n");
    }
}
