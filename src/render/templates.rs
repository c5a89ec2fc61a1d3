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
    "404.html",
    "redirect.html",
    "partials/searchbox.html",
);

/// The default theme's static files, built in.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = embed_static!("folio.css", "folio.js", "search.js", "search.css");

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
        let mut assets = BTreeMap::new();
        for (name, bytes) in DEFAULT_STATIC {
            assets.insert(name.to_string(), Asset { hashed: hashed_name(name, bytes), bytes: bytes.to_vec() });
        }
        for (name, bytes) in &files.statics {
            assets.insert(name.clone(), Asset { hashed: hashed_name(name, bytes), bytes: bytes.clone() });
        }
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
