//! The manual's identity from `manual.yaml`: `logo`, `favicon`, `footer` (text and links)
//! and `edit_url`, all optional. Checks each value (a bad one is an error naming
//! manual.yaml and the key's line, and is then left out, so the rest of the build goes
//! on), and reads the logo and favicon files, which the theme's static files carry from
//! there (written to `assets/` under content-hashed names like any theme file).

use std::fs;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostics, Location};

use super::{check_config_url, ManualConfig, ThemeFiles};

/// Image types a logo or favicon may have (by file extension, lowercase).
pub const IMAGE_TYPES: &[&str] = &["svg", "png", "jpg", "jpeg", "gif", "webp", "ico"];

/// The one placeholder of `edit_url`: the article's source path from the manual's root.
pub const PATH_PLACEHOLDER: &str = "{path}";

/// `footer:` in manual.yaml.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// A line of text, e.g. a copyright notice.
    #[serde(default)]
    pub text: Option<String>,
    /// Links after the text, e.g. to the support site.
    #[serde(default)]
    pub links: Vec<FooterLink>,
}

/// One footer link.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FooterLink {
    pub text: String,
    pub url: String,
}

/// The name under which the theme's static files carry the logo or favicon (`kind` is
/// `logo` or `favicon`): `logo.svg` for `logo: branding/Logo.SVG`.
pub fn asset_name(kind: &str, path: &str) -> String {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    format!("{kind}.{ext}")
}

/// The 1-based line of top-level key `key` in `text` (1 when not found).
fn key_line(text: &str, key: &str) -> u32 {
    text.lines()
        .position(|l| l.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')))
        .map_or(1, |i| i as u32 + 1)
}

/// The 1-based line where `value` first appears at or after line `from` (else `from`).
fn value_line(text: &str, from: u32, value: &str) -> u32 {
    text.lines()
        .enumerate()
        .skip(from as usize - 1)
        .find(|(_, l)| l.contains(value))
        .map_or(from, |(i, _)| i as u32 + 1)
}

/// Why `path` (a logo or favicon) cannot be used, or `None`.
fn image_problem(root: &Path, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    if path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || parts.iter().any(|p| p.is_empty() || *p == "..")
    {
        return Some("must be a path relative to the manual's folder, such as branding/logo.svg".into());
    }
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !IMAGE_TYPES.contains(&ext.as_str()) {
        return Some(format!("must be an image ({})", IMAGE_TYPES.join(", ")));
    }
    if !root.join(path).is_file() {
        return Some("is not a file".into());
    }
    None
}

/// Checks the identity keys of `c` read from `text`; reports each bad value on its line
/// and drops it.
pub fn check(root: &Path, text: &str, c: &mut ManualConfig, diags: &mut Diagnostics) {
    let rel = Path::new("manual.yaml");
    for (kind, slot) in [("logo", &mut c.logo), ("favicon", &mut c.favicon)] {
        if let Some(problem) = slot.as_deref().and_then(|p| image_problem(root, p)) {
            let path = slot.take().unwrap_or_default();
            diags.error(Location::line(rel, key_line(text, kind)), format!("{kind} '{path}' {problem}"));
        }
    }
    if let Some(footer) = &mut c.footer {
        let at = key_line(text, "footer");
        footer.links.retain(|link| {
            let problem = if link.text.trim().is_empty() {
                Some("has no text".to_string())
            } else {
                check_config_url(&link.url).err().map(|why| format!("url '{}' {why}", link.url))
            };
            if let Some(problem) = &problem {
                let line = value_line(text, at, &link.url);
                diags.error(Location::line(rel, line), format!("footer link '{}' {problem}", link.text));
            }
            problem.is_none()
        });
    }
    if let Some(pattern) = &c.edit_url {
        let line = key_line(text, "edit_url");
        let filled = pattern.replace(PATH_PLACEHOLDER, "articles/page.md");
        let problem = if !pattern.contains(PATH_PLACEHOLDER) {
            Some(format!("must contain {PATH_PLACEHOLDER}, where the article's source path goes"))
        } else if filled.contains(['{', '}']) {
            Some(format!("has a placeholder other than {PATH_PLACEHOLDER}"))
        } else {
            check_config_url(&filled).err().map(str::to_string)
        };
        if let Some(problem) = problem {
            diags.error(Location::line(rel, line), format!("edit_url '{pattern}' {problem}"));
            c.edit_url = None;
        }
    }
}

/// Reads the logo and favicon (already checked) into the theme's static files.
pub fn add_files(root: &Path, c: &ManualConfig, theme: &mut ThemeFiles, diags: &mut Diagnostics) {
    for (kind, path) in [("logo", &c.logo), ("favicon", &c.favicon)] {
        let Some(path) = path else { continue };
        match fs::read(root.join(path)) {
            Ok(bytes) => {
                theme.statics.insert(asset_name(kind, path), bytes);
            }
            Err(e) => diags.error(Location::file(path), format!("cannot read the {kind}: {e}")),
        }
    }
}

/// The edit link of an article whose source is `source` (repository path, with `/`):
/// `pattern` with its placeholder replaced by the path, each segment percent-encoded.
pub fn edit_link(pattern: &str, source: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    // Kept as they are: RFC 3986's unreserved characters, the path's '/' and the '@'
    // of revision files.
    const KEEP: &percent_encoding::AsciiSet =
        &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/').remove(b'@');
    pattern.replace(PATH_PLACEHOLDER, &utf8_percent_encode(source, KEEP).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(files: &[(&str, &str)]) -> (ManualConfig, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let mut diags = Diagnostics::new();
        let source = super::super::site(dir.path(), &mut diags).unwrap();
        let msgs = diags.sorted().iter().map(|d| d.to_string()).collect();
        (source.config, msgs)
    }

    const VERSION: (&str, &str) = ("versions/1.0.yaml", "label: v1.0\n");
    const ARTICLE: (&str, &str) = ("articles/a.md", "---\ntitle: A\n---\ntext\n");

    #[test]
    fn every_key_is_optional_and_a_good_manual_yaml_loads_its_files() {
        let (c, msgs) = load(&[VERSION, ARTICLE, ("manual.yaml", "title: T\n")]);
        assert!(msgs.is_empty(), "{msgs:?}");
        assert_eq!((c.logo, c.favicon, c.footer, c.edit_url), (None, None, None, None));

        let yaml = "title: T\nlogo: branding/Logo.SVG\nfavicon: branding/icon.png\nfooter:\n  text: (c) 2026 Example\n  links:\n    - text: Support\n      url: https://example.com/support\nedit_url: https://git.example.com/m/edit/main/{path}\n";
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in
            [VERSION, ARTICLE, ("manual.yaml", yaml), ("branding/Logo.SVG", "<svg/>"), ("branding/icon.png", "png")]
        {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let mut diags = Diagnostics::new();
        let source = super::super::site(dir.path(), &mut diags).unwrap();
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        let c = &source.config;
        assert_eq!(c.logo.as_deref(), Some("branding/Logo.SVG"));
        assert_eq!(c.footer.as_ref().unwrap().links[0].url, "https://example.com/support");
        assert_eq!(source.theme.statics["logo.svg"], b"<svg/>");
        assert_eq!(source.theme.statics["favicon.png"], b"png");
    }

    #[test]
    fn bad_values_are_errors_on_their_line() {
        let yaml = "title: T\nlogo: ../outside.svg\nfavicon: missing.png\nfooter:\n  links:\n    - text: Support\n      url: javascript:alert(1)\n    - text: Ok\n      url: https://example.com/\nedit_url: https://git.example.com/edit/{file}\n";
        let (c, msgs) = load(&[VERSION, ARTICLE, ("manual.yaml", yaml)]);
        let want = [
            "manual.yaml:2: logo '../outside.svg' must be a path relative to the manual's folder, such as branding/logo.svg",
            "manual.yaml:3: favicon 'missing.png' is not a file",
            "manual.yaml:7: footer link 'Support' url 'javascript:alert(1)' must be an http or https URL, or a relative one",
            "manual.yaml:10: edit_url 'https://git.example.com/edit/{file}' must contain {path}, where the article's source path goes",
        ];
        assert_eq!(msgs, want);
        assert_eq!((c.logo, c.favicon, c.edit_url), (None, None, None));
        assert_eq!(c.footer.unwrap().links.len(), 1, "the good link stays");

        let (_, msgs) = load(&[VERSION, ARTICLE, ("manual.yaml", "logo: notes.txt\nfooter:\n  colour: red\n")]);
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert_eq!(msgs[0], "manual.yaml:2: invalid manual.yaml: unknown field `colour`, expected `text` or `links`");
        let (_, msgs) = load(&[VERSION, ARTICLE, ("manual.yaml", "logo: notes.txt\n")]);
        assert_eq!(msgs, ["manual.yaml:1: logo 'notes.txt' must be an image (svg, png, jpg, jpeg, gif, webp, ico)"]);
    }

    #[test]
    fn edit_links_fill_in_the_encoded_source_path() {
        assert_eq!(
            edit_link("https://git.example.com/m/edit/main/{path}?plain=1", "articles/my page@24.3.md"),
            "https://git.example.com/m/edit/main/articles/my%20page@24.3.md?plain=1"
        );
    }
}
