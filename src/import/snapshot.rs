//! Reading one snapshot folder (one release of a manual published as HTML): every file
//! it holds, and each top-level page decoded by its declared charset and sorted into
//! content pages, redirect stubs and pages that are skipped, with the reason.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use scraper::{Html, Selector};
use walkdir::WalkDir;

use super::ImportError;

/// What the importer looks for in a page.
pub struct Selectors {
    /// Content region, tried in order; the first that matches wins.
    pub content: Vec<Selector>,
    /// Title, tried in order, then `<title>` without `title_prefix`.
    pub title: Vec<Selector>,
    pub title_prefix: Vec<String>,
    /// Page file names not to import.
    pub skip: Vec<String>,
}

/// One release's snapshot folder.
pub struct Snapshot {
    /// The version name given on the command line.
    pub version: String,
    pub dir: PathBuf,
    /// The folder's own name (`manual243`), which page links may name.
    pub folder: String,
    /// Every file, by `/`-separated path relative to the folder.
    pub files: BTreeMap<String, PathBuf>,
    /// Lowercased path → path, to find a file linked with other letter case.
    pub files_lower: BTreeMap<String, String>,
    /// Top-level pages by slug.
    pub pages: BTreeMap<String, Page>,
    /// Page file name without its extension → slug (the same, unless folio cannot use
    /// the name as a slug).
    pub slugs: BTreeMap<String, String>,
    /// Bytes of every file in the folder.
    pub bytes: u64,
    /// Bytes of its top-level pages.
    pub page_bytes: u64,
}

/// One top-level HTML page.
pub struct Page {
    /// File name in the snapshot, e.g. `portaltroubleshooting.html`.
    pub file: String,
    pub kind: PageKind,
}

/// What a page is.
pub enum PageKind {
    /// A page with content: its title and the content region's HTML.
    Content { title: String, html: String },
    /// A meta-refresh redirect to `url`; `title` and `html` (the body) are kept for the
    /// case where the target is not a page of the same release.
    Stub { url: String, title: Option<String>, html: String },
    /// Not imported, and why.
    Skipped(String),
}

impl Snapshot {
    /// Reads the folder. Unreadable files are errors naming the file.
    pub fn read(version: &str, dir: &Path, sel: &Selectors) -> Result<Snapshot, Vec<ImportError>> {
        let folder = dir.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let mut files = BTreeMap::new();
        let mut bytes = 0;
        let mut errors = Vec::new();
        for entry in WalkDir::new(dir).sort_by_file_name().follow_links(false) {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(ImportError::io(e.path().unwrap_or(dir), e.to_string()));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
            files.insert(rel.join("/"), entry.path().to_path_buf());
        }
        let files_lower = files.keys().map(|k| (k.to_lowercase(), k.clone())).collect();
        let html: Vec<(&String, &PathBuf)> =
            files.iter().filter(|(k, _)| !k.contains('/') && is_html_name(k)).collect();
        let page_bytes = html.iter().map(|(_, p)| fs::metadata(p).map(|m| m.len()).unwrap_or(0)).sum();
        let read: Vec<Result<(String, Page), ImportError>> = html
            .par_iter()
            .map(|(name, path)| {
                let raw = fs::read(path).map_err(|e| ImportError::io(path, e.to_string()))?;
                let kind = if sel.skip.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                    PageKind::Skipped("named by --skip".to_string())
                } else {
                    classify(&decode(&raw), sel)
                };
                let slug = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name).to_string();
                Ok((slug, Page { file: (*name).clone(), kind }))
            })
            .collect();
        let mut pages = BTreeMap::new();
        let mut slugs = BTreeMap::new();
        for r in read {
            match r {
                Ok((stem, page)) => {
                    let mut slug = usable_slug(&stem);
                    let base = slug.clone();
                    let mut k = 2;
                    while pages.contains_key(&slug) || (slug != stem && slugs.contains_key(&slug)) {
                        slug = format!("{base}-{k}");
                        k += 1;
                    }
                    slugs.insert(stem, slug.clone());
                    pages.insert(slug, page);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Snapshot {
            version: version.to_string(),
            dir: dir.to_path_buf(),
            folder,
            files,
            files_lower,
            pages,
            slugs,
            bytes,
            page_bytes,
        })
    }

    /// The path of a file in the folder, matched exactly or else ignoring letter case.
    pub fn find(&self, rel: &str) -> Option<&str> {
        if let Some((k, _)) = self.files.get_key_value(rel) {
            return Some(k);
        }
        self.files_lower.get(&rel.to_lowercase()).map(String::as_str)
    }
}

impl Snapshot {
    /// The slug of the page whose file name (without extension) is `stem`, matched
    /// exactly or else ignoring letter case.
    pub fn slug_of(&self, stem: &str) -> Option<&str> {
        if let Some(s) = self.slugs.get(stem) {
            return Some(s);
        }
        let lower = stem.to_lowercase();
        self.slugs.iter().find(|(k, _)| k.to_lowercase() == lower).map(|(_, v)| v.as_str())
    }

    /// Pages whose slug is not their file name: (file, slug).
    pub fn renamed(&self) -> Vec<(String, String)> {
        self.pages
            .iter()
            .filter(|(_, p)| !matches!(p.kind, PageKind::Skipped(_)))
            .filter(|(slug, p)| p.file.rsplit_once('.').map(|(s, _)| s) != Some(slug.as_str()))
            .map(|(slug, p)| (p.file.clone(), slug.clone()))
            .collect()
    }
}

/// A slug folio accepts for a page's file name: other characters become '-', and
/// `index` (the version's home page, which the import chooses from the table of
/// contents) gets `-page`.
pub fn usable_slug(stem: &str) -> String {
    let mut slug: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect();
    while slug.contains("..") {
        slug = slug.replace("..", ".");
    }
    let mut slug = slug.trim_start_matches('.').to_string();
    if slug.is_empty() {
        slug = "page".to_string();
    }
    if crate::model::RESERVED_SLUGS.contains(&slug.as_str()) {
        slug.push_str("-page");
    }
    slug
}

pub fn is_html_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// Decodes a page by its byte-order mark, else the charset its `<meta>` declares in the
/// first 1,024 bytes, else windows-1252 (what browsers assume for such pages).
pub fn decode(raw: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(raw) {
        return enc.decode_without_bom_handling(&raw[bom..]).0.into_owned();
    }
    let head = String::from_utf8_lossy(&raw[..raw.len().min(1024)]).to_ascii_lowercase();
    let enc = head
        .find("charset=")
        .map(|i| {
            head[i + 8..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect::<String>()
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    // A page that says UTF-16 in ASCII bytes is not UTF-16 (the Encoding Standard).
    let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE { encoding_rs::UTF_8 } else { enc };
    enc.decode_without_bom_handling(raw).0.into_owned()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("built-in selector is valid")
}

/// Sorts a decoded page into content, stub or skipped.
fn classify(text: &str, s: &Selectors) -> PageKind {
    // An HTML parser takes time in the square of the nesting depth: a page nested far
    // beyond any real one is not parsed at all.
    let rough = rough_depth(text);
    if rough > 10 * MAX_DEPTH {
        return PageKind::Skipped(format!("it nests elements about {rough} deep (at most {MAX_DEPTH} are read)"));
    }
    let doc = Html::parse_document(text);
    let head_title = doc
        .select(&sel("title"))
        .next()
        .map(|t| super::convert::normalize_space(&t.text().collect::<String>()))
        .map(|t| strip_prefixes(&t, &s.title_prefix))
        .filter(|t| !t.is_empty());
    for meta in doc.select(&sel("meta[http-equiv]")) {
        if !meta.value().attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) {
            continue;
        }
        if let Some(url) = meta.value().attr("content").and_then(refresh_url) {
            let html = doc.select(&sel("body")).next().map(|b| b.inner_html()).unwrap_or_default();
            return PageKind::Stub { url, title: head_title, html };
        }
    }
    let Some(content) = s.content.iter().find_map(|c| doc.select(c).next()) else {
        return PageKind::Skipped("no content region matches the content selectors".to_string());
    };
    let depth = max_depth(*content);
    if depth > MAX_DEPTH {
        return PageKind::Skipped(format!("its content nests elements {depth} deep (at most {MAX_DEPTH} are read)"));
    }
    let title = s
        .title
        .iter()
        .find_map(|t| {
            doc.select(t)
                .map(|e| super::convert::normalize_space(&e.text().collect::<String>()))
                .find(|t| !t.is_empty())
        })
        .or(head_title);
    match title {
        Some(title) => PageKind::Content { title, html: content.inner_html() },
        None => PageKind::Skipped("no title: neither the title selectors nor <title> give one".to_string()),
    }
}

/// How deeply elements may nest in what the import reads (far beyond any real page;
/// the conversion walks the tree recursively).
pub const MAX_DEPTH: usize = 1000;

/// The deepest nesting of start tags in a text, counting only elements that must be
/// closed (not `p`, `li`, table cells and other tags HTML closes by itself, nor empty
/// elements): a quick bound taken before parsing.
fn rough_depth(text: &str) -> usize {
    const SELF_CLOSING: &[&str] = &[
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup",
        "caption", "br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "source",
        "track", "wbr", "html", "head", "body", "!doctype",
    ];
    let (mut depth, mut max) = (0usize, 0usize);
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end =
            b[start..].iter().position(|c| !c.is_ascii_alphanumeric() && *c != b'!').map_or(b.len(), |e| start + e);
        let name = text[start..end].to_ascii_lowercase();
        if name.is_empty() || SELF_CLOSING.contains(&name.as_str()) {
            continue;
        }
        let self_closed = b[end..].iter().position(|&c| c == b'>').is_some_and(|e| e > 0 && b[end + e - 1] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closed {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// The deepest nesting of elements under a node, counted without recursion.
pub fn max_depth(node: ego_tree::NodeRef<scraper::Node>) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for edge in node.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                max = max.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth -= 1,
        }
    }
    max
}

fn strip_prefixes(title: &str, prefixes: &[String]) -> String {
    for p in prefixes {
        if let Some(rest) = title.strip_prefix(p.as_str()) {
            return rest.trim().to_string();
        }
    }
    title.to_string()
}

/// The URL of a meta refresh's `content` (`0; url=target.html`).
fn refresh_url(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let i = lower.find("url")?;
    let rest = content[i + 3..].trim_start();
    let rest = rest.strip_prefix('=')?.trim();
    let url = rest.trim_matches(['"', '\'']).trim();
    (!url.is_empty()).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_by_declared_charset() {
        let latin = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>caf\xe9</p>";
        assert!(decode(latin).contains("caf\u{e9}"));
        let utf8 = "<meta charset=\"utf-8\"><p>caf\u{e9} \u{2013}</p>";
        assert!(decode(utf8.as_bytes()).contains("caf\u{e9} \u{2013}"));
        // No declaration: windows-1252, where 0x96 is an en dash.
        assert!(decode(b"<p>a \x96 b</p>").contains('\u{2013}'));
    }

    #[test]
    fn absurd_nesting_is_not_even_parsed() {
        let page = format!("<title>Deep</title>{}x", "<div>".repeat(20_000));
        assert!(rough_depth(&page) == 20_000);
        assert!(matches!(classify(&page, &selectors()), PageKind::Skipped(why) if why.contains("about 20000 deep")));
        assert_eq!(rough_depth("<p>a<p>b<div><img src=x><br/><span>c</span></div>"), 2);
    }

    #[test]
    fn deeply_nested_content_is_skipped_not_walked() {
        let deep = format!(
            "<title>Acme - Deep</title><div class=Content>{}x{}</div>",
            "<div>".repeat(1_200),
            "</div>".repeat(1_200)
        );
        assert!(matches!(classify(&deep, &selectors()), PageKind::Skipped(why) if why.contains("deep")));
    }

    #[test]
    fn usable_slugs() {
        assert_eq!(usable_slug("portal"), "portal");
        assert_eq!(usable_slug("my page (1)"), "my-page--1-");
        assert_eq!(usable_slug("changes"), "changes");
        assert_eq!(usable_slug("index"), "index-page");
        assert_eq!(usable_slug("..x"), "x");
    }

    #[test]
    fn refresh_urls() {
        assert_eq!(refresh_url("0; url=other.html").as_deref(), Some("other.html"));
        assert_eq!(refresh_url("0;URL='x.html'").as_deref(), Some("x.html"));
        assert_eq!(refresh_url("5").as_deref(), None);
    }

    fn selectors() -> Selectors {
        Selectors {
            content: vec![sel("div.Content")],
            title: vec![sel("div.Title")],
            title_prefix: vec!["Acme - ".to_string()],
            skip: vec![],
        }
    }

    #[test]
    fn classifies_pages() {
        let s = selectors();
        let page = "<title>Acme - Setup</title><div class=Title>Setup</div><div class=Content><p>Hi</p></div>";
        match classify(page, &s) {
            PageKind::Content { title, html } => {
                assert_eq!(title, "Setup");
                assert_eq!(html, "<p>Hi</p>");
            }
            _ => panic!("not content"),
        }
        let stub = "<head><meta http-equiv=\"Refresh\" content=\"0; url=setup.html\"></head><body>Moved</body>";
        assert!(matches!(classify(stub, &s), PageKind::Stub { url, .. } if url == "setup.html"));
        assert!(matches!(classify("<p>No region</p>", &s), PageKind::Skipped(_)));
        let head_only = "<title>Acme - Old Page</title><div class=Content><p>x</p></div>";
        assert!(matches!(classify(head_only, &s), PageKind::Content { title, .. } if title == "Old Page"));
    }
}
