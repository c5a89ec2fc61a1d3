//! The theme: minijinja templates compiled once, and static files with content-hashed
//! names. The default theme is built into the binary; a same-named file under
//! `themes/<theme>/` overrides it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostics, Location};
use crate::load::ThemeFiles;

macro_rules! embed_templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}
macro_rules! embed_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/static/", $name)) as &[u8])),*]
    };
}

/// The default theme's templates, built in.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = embed_templates!(
    "page.html",
    "article.html",
    "search.html",
    "changes.html",
    "diff.html",
    "print.html",
    "404.html",
    "redirect.html",
    "partials/searchbox.html",
);

/// The default theme's static files, built in.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = embed_static!(
    "folio.css",
    "folio.js",
    "terms.js",
    "search.js",
    "search-ui.js",
    "search.css",
    "compare.js",
    "favicon.svg"
);

/// Static files that are written joined into one asset (the first name), in this order.
/// Every page loads them all, so one stylesheet and one script save a request and a tag
/// per page on tens of thousands of pages; the theme keeps search's files apart
/// (`terms.js` is the twin of `src/index/tokenize.rs`), and a theme may replace any part.
pub const BUNDLES: &[(&str, &[&str])] = &[
    ("folio.css", &["folio.css", "search.css"]),
    ("folio.js", &["folio.js", "terms.js", "search.js", "search-ui.js"]),
];

/// A static file of the theme, under its content-hashed name.
#[derive(Debug, Clone)]
pub struct Asset {
    /// e.g. `folio.3fa2b1c0d9.css`
    pub hashed: String,
    pub bytes: Vec<u8>,
}

/// Compiled templates and fingerprinted static files.
pub struct Theme {
    env: Environment<'static>,
    /// Template name -> repository path (or "(built-in)") for error messages.
    origins: BTreeMap<String, PathBuf>,
    /// Static file name -> asset.
    pub assets: BTreeMap<String, Asset>,
}

/// Short content hash used in file names.
pub fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// `name.ext` -> `name.<hash>.ext`.
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = fingerprint(bytes);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    }
}

impl Theme {
    /// Compiles the theme; template syntax errors go into `diags`.
    pub fn load(files: &ThemeFiles, diags: &mut Diagnostics) -> Theme {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // HTML escaping without minijinja's escaping of '/', so URLs stay readable.
        env.set_formatter(|out, state, value| {
            if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
                match value.as_str() {
                    Some(text) => write_escaped(out, text),
                    None => write_escaped(out, &value.to_string()),
                }
                .map_err(minijinja::Error::from)
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        let mut sources: BTreeMap<String, (PathBuf, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), (PathBuf::from(format!("(built-in theme)/templates/{n}")), s.to_string())))
            .collect();
        for (name, (path, text)) in &files.templates {
            sources.insert(name.clone(), (path.clone(), text.clone()));
        }
        let mut origins = BTreeMap::new();
        for (name, (path, text)) in sources {
            origins.insert(name.clone(), path.clone());
            if let Err(e) = env.add_template_owned(name.clone(), text) {
                diags.error(template_location(&path, &e), format!("template error: {}", e.detail().unwrap_or("")));
            }
        }
        let mut statics: BTreeMap<String, Vec<u8>> =
            DEFAULT_STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
        statics.extend(files.statics.iter().map(|(n, b)| (n.clone(), b.clone())));
        for (bundle, parts) in BUNDLES {
            let mut joined = Vec::new();
            for part in *parts {
                if let Some(bytes) = statics.remove(*part) {
                    if !joined.is_empty() && !joined.ends_with(b"\n") {
                        joined.push(b'\n');
                    }
                    joined.extend_from_slice(&bytes);
                }
            }
            statics.insert(bundle.to_string(), joined);
        }
        let assets = statics
            .into_iter()
            .map(|(name, bytes)| {
                let hashed = hashed_name(&name, &bytes);
                (name, Asset { hashed, bytes })
            })
            .collect();
        Theme { env, origins, assets }
    }

    /// Renders template `name` with `ctx`.
    pub fn render<S: Serialize>(&self, name: &str, ctx: &S) -> Result<String, (Location, String)> {
        let tmpl = self.env.get_template(name).map_err(|e| self.error(name, &e))?;
        tmpl.render(ctx).map_err(|e| self.error(name, &e))
    }

    fn error(&self, name: &str, e: &minijinja::Error) -> (Location, String) {
        let origin_name = e.name().unwrap_or(name);
        let path = self.origins.get(origin_name).cloned().unwrap_or_else(|| PathBuf::from(origin_name));
        let mut msg = format!("template error: {}", e.kind());
        if let Some(d) = e.detail() {
            msg.push_str(": ");
            msg.push_str(d);
        }
        (template_location(&path, e), msg)
    }

    /// Asset name -> URL from a page `prefix` away from the site root (e.g. "../").
    pub fn asset_urls(&self, prefix: &str) -> BTreeMap<String, String> {
        self.assets.iter().map(|(n, a)| (n.clone(), format!("{prefix}assets/{}", a.hashed))).collect()
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let _ = write_escaped(&mut out, s);
    out
}

/// Writes `s` HTML-escaped, copying runs without special characters in one piece.
fn write_escaped(out: &mut impl std::fmt::Write, s: &str) -> std::fmt::Result {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&s[start..i])?;
        out.write_str(rep)?;
        start = i + 1;
    }
    out.write_str(&s[start..])
}

fn template_location(path: &std::path::Path, e: &minijinja::Error) -> Location {
    match e.line() {
        Some(l) => Location::line(path, l as u32),
        None => Location::file(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_files_are_joined_into_the_page_stylesheet_and_script() {
        let mut files = ThemeFiles::default();
        files.statics.insert("search.css".into(), b".mine { color: red }".to_vec());
        files.statics.insert("logo.svg".into(), b"<svg/>".to_vec());
        let theme = Theme::load(&files, &mut Diagnostics::new());
        let names: Vec<&str> = theme.assets.keys().map(|s| s.as_str()).collect();
        assert_eq!(names, ["compare.js", "favicon.svg", "folio.css", "folio.js", "logo.svg"]);
        let css = String::from_utf8_lossy(&theme.assets["folio.css"].bytes).into_owned();
        // The theme's part replaces the built-in one, after the built-in folio.css.
        assert!(css.starts_with("/* folio default theme"), "{css}");
        assert!(css.ends_with("\n.mine { color: red }"), "{css}");
        let js = String::from_utf8_lossy(&theme.assets["folio.js"].bytes).into_owned();
        assert!(js.contains("__folioNavData") && js.contains("__S"), "both scripts");
        assert_eq!(theme.assets["folio.js"].hashed, hashed_name("folio.js", js.as_bytes()));
    }
}
