//! `folio diff A B [SLUG]`: the command-line face of [`super::versions`].

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::cli::{prepare, print_diagnostics, UsageError, EXIT_CONTENT, EXIT_OK, EXIT_USAGE};
use crate::diag::Diagnostics;
use crate::model::{Site, VersionId};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Arguments of `folio diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The older version (the two may be given in either order).
    pub a: String,
    /// The newer version.
    pub b: String,
    /// One article: print a unified diff of its resolved source.
    pub slug: Option<String>,
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Serialize)]
struct VersionRef<'a> {
    name: &'a str,
    label: &'a str,
}

/// Runs `folio diff`; returns the exit status.
pub fn run(args: &DiffArgs) -> i32 {
    let mut diags = Diagnostics::new();
    let mut timings = Vec::new();
    let prepared = match prepare(&args.root, &[], &mut diags, &mut timings) {
        Ok(p) => p,
        Err(UsageError(msg)) => {
            print_diagnostics(&diags);
            eprintln!("error: {msg}");
            return EXIT_USAGE;
        }
    };
    let site = &prepared.site;
    if diags.has_errors() {
        print_diagnostics(&diags);
        return EXIT_CONTENT;
    }
    let find = |name: &str| site.view_index(&VersionId::new(name));
    let (Some(mut a), Some(mut b)) = (find(&args.a), find(&args.b)) else {
        let bad = if find(&args.a).is_none() { &args.a } else { &args.b };
        let known: Vec<String> = site.views.iter().map(|v| v.version.id.to_string()).collect();
        eprintln!("error: unknown version '{bad}' (built versions: {})", known.join(", "));
        return EXIT_USAGE;
    };
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    match &args.slug {
        None => {
            let d = super::versions(site, a, b);
            match args.format {
                Format::Json => {
                    #[derive(Serialize)]
                    struct Out<'a> {
                        from: VersionRef<'a>,
                        to: VersionRef<'a>,
                        #[serde(flatten)]
                        diff: &'a super::VersionDiff,
                    }
                    let out = Out { from: vref(site, a), to: vref(site, b), diff: &d };
                    println!("{}", serde_json::to_string_pretty(&out).expect("diff serializes"));
                }
                Format::Text => print!("{}", text_summary(site, a, b, &d)),
            }
            EXIT_OK
        }
        Some(slug) => {
            let pa = site
                .lookup(slug)
                .and_then(|art| site.counterpart_in(&art.id, a))
                .and_then(|id| site.views[a].pages.get(id));
            let pb = site
                .lookup(slug)
                .and_then(|art| site.counterpart_in(&art.id, b))
                .and_then(|id| site.views[b].pages.get(id));
            if site.lookup(slug).is_none() {
                eprintln!("error: no article '{slug}'");
                return EXIT_CONTENT;
            }
            let ta = pa.map(|p| site.bodies[p.body].text.as_str()).unwrap_or("");
            let tb = pb.map(|p| site.bodies[p.body].text.as_str()).unwrap_or("");
            let va = &site.views[a].version;
            let vb = &site.views[b].version;
            let ha = format!("{slug} ({})", va.id);
            let hb = format!("{slug} ({})", vb.id);
            match args.format {
                Format::Text => {
                    let diff = similar::TextDiff::from_lines(ta, tb);
                    print!("{}", diff.unified_diff().context_radius(3).header(&ha, &hb));
                }
                Format::Json => {
                    #[derive(Serialize)]
                    struct Out<'a> {
                        slug: &'a str,
                        from: VersionRef<'a>,
                        to: VersionRef<'a>,
                        exists_in_from: bool,
                        exists_in_to: bool,
                        lines: Vec<super::DiffLine>,
                    }
                    let out = Out {
                        slug,
                        from: vref(site, a),
                        to: vref(site, b),
                        exists_in_from: pa.is_some(),
                        exists_in_to: pb.is_some(),
                        lines: super::lines(ta, tb),
                    };
                    println!("{}", serde_json::to_string_pretty(&out).expect("diff serializes"));
                }
            }
            EXIT_OK
        }
    }
}

fn vref(site: &Site, vi: usize) -> VersionRef<'_> {
    let v = &site.views[vi].version;
    VersionRef { name: v.id.as_str(), label: &v.label }
}

/// The text report of a version diff.
pub fn text_summary(site: &Site, a: usize, b: usize, d: &super::VersionDiff) -> String {
    use std::fmt::Write;
    let va = &site.views[a].version;
    let vb = &site.views[b].version;
    let mut s = String::new();
    let _ = writeln!(s, "Changes from {} to {}", va.label, vb.label);
    if d.is_empty() {
        let _ = writeln!(s, "\nNo differences.");
        return s;
    }
    let section = |s: &mut String, title: &str, rows: Vec<String>| {
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(s, "\n{title} ({}):", rows.len());
        for r in rows {
            let _ = writeln!(s, "  {r}");
        }
    };
    section(&mut s, "Added", d.added.iter().map(|e| format!("{}  {}", e.slug, e.title)).collect());
    section(&mut s, "Removed", d.removed.iter().map(|e| format!("{}  {}", e.slug, e.title)).collect());
    section(
        &mut s,
        "Renamed",
        d.renamed.iter().map(|r| format!("{} -> {}  {}", r.from.slug, r.to.slug, r.to.title)).collect(),
    );
    section(
        &mut s,
        "Moved",
        d.moved
            .iter()
            .map(|m| {
                format!(
                    "{}  {}  (parent: {} -> {})",
                    m.slug,
                    m.title,
                    m.from_parent.as_deref().unwrap_or("top level"),
                    m.to_parent.as_deref().unwrap_or("top level")
                )
            })
            .collect(),
    );
    section(
        &mut s,
        "Retitled",
        d.retitled.iter().map(|r| format!("{}  \"{}\" -> \"{}\"", r.slug, r.from_title, r.to_title)).collect(),
    );
    section(
        &mut s,
        "Changed",
        d.changed
            .iter()
            .map(|c| format!("{}  {}  (+{} -{})", c.slug, c.title, c.lines_added, c.lines_removed))
            .collect(),
    );
    s
}
