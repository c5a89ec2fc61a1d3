//! What `folio diff` prints: the text and JSON forms of a version comparison and of
//! one article's diff. The JSON shapes are a documented contract (docs/DIFF.md): fields
//! are only ever added; anything else bumps [`SCHEMA`].

use std::fmt::Write;

use serde::Serialize;

use super::text::{Hunk, Op, Segment};
use super::VersionDiff;
use crate::model::{Page, Site};

/// Version of the JSON output's shape, the `schema` field of every document.
pub const SCHEMA: u32 = 1;

/// ANSI colours, or nothing.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub enabled: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.enabled && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }
    fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }
    fn cyan(self, s: &str) -> String {
        self.wrap("36", s)
    }
    fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
}

/// A version as the JSON names it.
#[derive(Debug, Serialize)]
pub struct VersionRef<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub path: &'a str,
}

impl<'a> VersionRef<'a> {
    /// Built version `vi` of `site`.
    pub fn of(site: &'a Site, vi: usize) -> Self {
        let v = &site.views[vi].version;
        VersionRef { name: v.id.as_str(), label: &v.label, path: &v.path }
    }
}

#[derive(Serialize)]
struct Counts {
    added: usize,
    removed: usize,
    renamed: usize,
    moved: usize,
    retitled: usize,
    changed: usize,
    total: usize,
    unchanged: usize,
}

#[derive(Serialize)]
struct VersionsJson<'a> {
    schema: u32,
    kind: &'static str,
    from: VersionRef<'a>,
    to: VersionRef<'a>,
    counts: Counts,
    added: &'a [super::Entry],
    removed: &'a [super::Entry],
    renamed: &'a [super::Renamed],
    moved: &'a [super::Moved],
    retitled: &'a [super::Retitled],
    changed: &'a [super::Changed],
    assets: &'a super::AssetDiff,
}

/// The JSON document of a version comparison, ending with a line break.
pub fn versions_json(site: &Site, a: usize, b: usize, d: &VersionDiff) -> String {
    let doc = VersionsJson {
        schema: SCHEMA,
        kind: "versions",
        from: VersionRef::of(site, a),
        to: VersionRef::of(site, b),
        counts: Counts {
            added: d.added.len(),
            removed: d.removed.len(),
            renamed: d.renamed.len(),
            moved: d.moved.len(),
            retitled: d.retitled.len(),
            changed: d.changed.len(),
            total: d.total(),
            unchanged: d.unchanged,
        },
        added: &d.added,
        removed: &d.removed,
        renamed: &d.renamed,
        moved: &d.moved,
        retitled: &d.retitled,
        changed: &d.changed,
        assets: &d.assets,
    };
    serde_json::to_string_pretty(&doc).expect("the diff serializes") + "\n"
}

/// The text report of a version comparison.
pub fn versions_text(site: &Site, a: usize, b: usize, d: &VersionDiff, paint: Paint) -> String {
    let va = &site.views[a].version;
    let vb = &site.views[b].version;
    let mut s = String::new();
    let total = d.total();
    let _ = write!(s, "{}", paint.bold(&format!("Changes from {} to {}: ", va.label, vb.label)));
    if d.is_empty() {
        let _ = writeln!(s, "no differences ({} articles, all unchanged)", d.unchanged);
        return s;
    }
    if total == 0 {
        let _ = writeln!(s, "no article differs ({} unchanged)", d.unchanged);
        assets_text(&mut s, &d.assets, paint);
        return s;
    }
    let counts: Vec<String> = [
        (d.added.len(), "added"),
        (d.removed.len(), "removed"),
        (d.renamed.len(), "renamed"),
        (d.moved.len(), "moved"),
        (d.retitled.len(), "retitled"),
        (d.changed.len(), "changed"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let _ = writeln!(
        s,
        "{total} article{} ({}; {} unchanged)",
        if total == 1 { "" } else { "s" },
        counts.join(", "),
        d.unchanged
    );

    // Each row: slug column (padded within its group), then the rest.
    let mut section = |title: &str, rows: Vec<(String, String)>, colour: fn(Paint, &str) -> String| {
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(s, "\n{}", paint.bold(&format!("{title} ({}):", rows.len())));
        let width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
        for (key, rest) in rows {
            let pad = " ".repeat(width - key.chars().count());
            let _ = writeln!(s, "  {}{pad}  {rest}", colour(paint, &key));
        }
    };
    let plain: fn(Paint, &str) -> String = |_, s| s.to_string();
    section("Added", d.added.iter().map(|e| (e.slug.clone(), e.title.clone())).collect(), Paint::green);
    section("Removed", d.removed.iter().map(|e| (e.slug.clone(), e.title.clone())).collect(), Paint::red);
    section(
        "Renamed",
        d.renamed.iter().map(|r| (format!("{} -> {}", r.from_slug, r.slug), r.title.clone())).collect(),
        plain,
    );
    let parent = |p: &Option<super::Entry>| p.as_ref().map(|e| e.slug.clone()).unwrap_or_else(|| "(top level)".into());
    section(
        "Moved",
        d.moved
            .iter()
            .map(|m| {
                (
                    m.slug.clone(),
                    format!("{}  (parent: {} -> {})", m.title, parent(&m.from_parent), parent(&m.to_parent)),
                )
            })
            .collect(),
        plain,
    );
    section(
        "Retitled",
        d.retitled.iter().map(|r| (r.slug.clone(), format!("\"{}\" -> \"{}\"", r.from_title, r.title))).collect(),
        plain,
    );
    section(
        "Changed",
        d.changed
            .iter()
            .map(|c| {
                let counts = format!(
                    "{} {}",
                    paint.green(&format!("+{}", c.lines_added)),
                    paint.red(&format!("-{}", c.lines_removed))
                );
                (c.slug.clone(), format!("{}  {counts}", c.title))
            })
            .collect(),
        plain,
    );
    assets_text(&mut s, &d.assets, paint);
    s
}

/// The asset groups of a version comparison: one row per asset, its path then the files.
fn assets_text(s: &mut String, d: &super::AssetDiff, paint: Paint) {
    let plain: fn(Paint, &str) -> String = |_, s| s.to_string();
    let added = d.added.iter().map(|a| (a.path.as_str(), a.file.clone())).collect();
    asset_group(s, "Assets added", added, Paint::green, paint);
    let removed = d.removed.iter().map(|a| (a.path.as_str(), a.file.clone())).collect();
    asset_group(s, "Assets removed", removed, Paint::red, paint);
    let changed = d.changed.iter().map(|a| (a.path.as_str(), format!("{} -> {}", a.from_file, a.to_file))).collect();
    asset_group(s, "Assets changed", changed, plain, paint);
}

fn asset_group(
    s: &mut String,
    title: &str,
    rows: Vec<(&str, String)>,
    colour: fn(Paint, &str) -> String,
    paint: Paint,
) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n{}", paint.bold(&format!("{title} ({}):", rows.len())));
    let width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    for (key, rest) in rows {
        let pad = " ".repeat(width - key.chars().count());
        let _ = writeln!(s, "  {}{pad}  {rest}", colour(paint, key));
    }
}

/// One side of an article diff.
#[derive(Debug, Serialize)]
pub struct Side<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub file: String,
}

impl<'a> Side<'a> {
    /// The side for `page` (None when the article is not in that version).
    pub fn of(site: &'a Site, page: Option<&'a Page>) -> Option<Side<'a>> {
        page.map(|p| Side {
            slug: p.id.as_str(),
            title: &p.title,
            file: site.files.get(p.file).map(|f| f.path.to_string_lossy().replace('\\', "/")).unwrap_or_default(),
        })
    }
}

/// One article between two versions, ready to print.
#[derive(Debug, Serialize)]
pub struct ArticleDiff<'a> {
    pub schema: u32,
    pub kind: &'static str,
    /// The article's slug (where an alias was asked for, the article it names).
    pub slug: &'a str,
    pub from: VersionRef<'a>,
    pub to: VersionRef<'a>,
    /// The article in each version, `null` where it does not exist.
    pub article: Sides<'a>,
    /// Whether slug, title or resolved source differ.
    pub changed: bool,
    pub lines_added: usize,
    pub lines_removed: usize,
    /// `line`, or `word` with `--word`.
    pub mode: &'static str,
    /// Lines of context around each change.
    pub context: usize,
    pub hunks: Vec<Hunk>,
}

/// The article in the older and the newer version.
#[derive(Debug, Serialize)]
pub struct Sides<'a> {
    pub from: Option<Side<'a>>,
    pub to: Option<Side<'a>>,
}

impl ArticleDiff<'_> {
    /// The JSON document, ending with a line break.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the diff serializes") + "\n"
    }

    /// The unified diff (or word diff) as text; empty when nothing differs.
    pub fn text(&self, paint: Paint) -> String {
        let mut s = String::new();
        let (from, to) = (&self.article.from, &self.article.to);
        if let (Some(f), Some(t)) = (from, to) {
            if f.slug != t.slug {
                let _ = writeln!(s, "{}", paint.dim(&format!("renamed: {} -> {}", f.slug, t.slug)));
            }
            if f.title != t.title {
                let _ = writeln!(s, "{}", paint.dim(&format!("retitled: \"{}\" -> \"{}\"", f.title, t.title)));
            }
        }
        if self.hunks.is_empty() {
            return s;
        }
        let head = |side: &Option<Side<'_>>, v: &VersionRef<'_>| match side {
            Some(x) => format!("{} ({}, {})", x.slug, v.name, x.file),
            None => format!("{} ({}: not in this version)", self.slug, v.name),
        };
        let _ = writeln!(s, "{}", paint.bold(&format!("--- {}", head(from, &self.from))));
        let _ = writeln!(s, "{}", paint.bold(&format!("+++ {}", head(to, &self.to))));
        for h in &self.hunks {
            let _ = writeln!(s, "{}", paint.cyan(&h.header()));
            match &h.words {
                Some(words) => s.push_str(&word_text(words, paint)),
                None => {
                    for l in &h.lines {
                        let line = match l.op {
                            Op::Equal => format!(" {}", l.text),
                            Op::Delete => paint.red(&format!("-{}", l.text)),
                            Op::Insert => paint.green(&format!("+{}", l.text)),
                        };
                        let _ = writeln!(s, "{line}");
                    }
                }
            }
        }
        s
    }
}

/// A word diff as text: removed words as `[-…-]`, added words as `{+…+}` (as
/// `git diff --word-diff=plain`), coloured too when `paint` is on. Markers close at
/// each line end so every line reads on its own.
pub fn word_text(segs: &[Segment], paint: Paint) -> String {
    let mut s = String::new();
    for seg in segs {
        let (open, close, colour): (&str, &str, fn(Paint, &str) -> String) = match seg.op {
            Op::Equal => {
                s.push_str(&seg.text);
                continue;
            }
            Op::Delete => ("[-", "-]", Paint::red),
            Op::Insert => ("{+", "+}", Paint::green),
        };
        for (i, part) in seg.text.split('\n').enumerate() {
            if i > 0 {
                s.push('\n');
            }
            // Indentation stays outside the markers, where it lines up with the rest.
            let body = part.trim_start();
            s.push_str(&part[..part.len() - body.len()]);
            if !body.is_empty() {
                s.push_str(&colour(paint, &format!("{open}{body}{close}")));
            }
        }
    }
    if !s.is_empty() && !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_markers_close_at_line_ends() {
        let segs = vec![
            Segment { op: Op::Equal, text: "a ".into() },
            Segment { op: Op::Insert, text: "b\nc".into() },
            Segment { op: Op::Equal, text: " d\n".into() },
        ];
        assert_eq!(word_text(&segs, Paint { enabled: false }), "a {+b+}\n{+c+} d\n");
        let coloured = word_text(&segs, Paint { enabled: true });
        assert!(coloured.contains("\x1b[32m{+b+}\x1b[0m"), "{coloured:?}");
    }
}
