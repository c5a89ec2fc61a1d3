//! The model `folio serve` keeps between edits, and how an edit changes it.
//!
//! [`Live`] is the model of the latest build attempt: the [`Manual`] (site, theme,
//! rendered bodies), the search documents made so far and each article's "Changed in"
//! versions. A change is turned into a new model in one of two ways:
//!
//! * **Patch** ([`Live::patch`]) — the usual edit: the text of existing articles
//!   changed and their front matter did not (same raw YAML). Only those files' resolved
//!   bodies are redone, in place; their Markdown is rendered and their links checked.
//!   The nav trees cannot have changed.
//! * **Reload** ([`Live::load`]) — anything else (front matter, new, removed or renamed
//!   files, versions, theme, manual.yaml, media): load and model everything again,
//!   render only bodies whose text is new (cached by file and text), check every link,
//!   and compare the new model with the old one.
//!
//! Either way the answer is [`Pending`]: what the served site now owes. An article whose
//! pages differ in any version is re-rendered in every version (its "Changed in" list
//! spans them all), together with the articles linked to it by renames, and so is the
//! print page of each version where its text differs; a version whose
//! nav tree, titles or home changed is re-rendered whole; changes to versions, the
//! theme, `manual.yaml`, the set of files, or the bytes of a file that is (or may be) an
//! asset revision rebuild the whole site. Deciding when to write what is serve's.

mod cache;
mod patch;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::pages::Inputs;
use super::Manual;
use crate::diag::{Diagnostics, Location};
use crate::diff::{article_history, history};
use crate::index::PreparedDoc;
use crate::model::{ArticleId, PerVersion, Site, VersionId, VersionView};
use crate::render::{links, Theme};
use crate::{load, model};

/// Identifies one content of one body slot, so that work done for it elsewhere is not
/// applied after the slot changed.
static STAMP: AtomicU64 = AtomicU64::new(1);

fn stamp() -> u64 {
    STAMP.fetch_add(1, Ordering::Relaxed)
}

/// The model of the latest build attempt.
pub struct Live {
    /// Site, theme and rendered bodies; every version selected.
    pub manual: Manual,
    /// Search documents of the bodies, aligned with `site.bodies`; made when first needed.
    pub docs: Vec<Option<Arc<PreparedDoc>>>,
    /// The [`stamp`] of each body slot's current content.
    pub stamps: Vec<u64>,
    /// "Changed in" versions per article, as pages show them.
    pub hist: BTreeMap<ArticleId, Vec<usize>>,
    /// The raw front matter of each article file as `site` holds it, by repository path.
    yaml: HashMap<PathBuf, String>,
    /// Index into `site.files` by repository path.
    by_path: HashMap<PathBuf, usize>,
}

/// Work the served folder owes: what changed since it was last written.
#[derive(Debug, Default)]
pub struct Pending {
    /// Rebuild the whole site into a fresh folder.
    pub full: bool,
    /// Versions to re-render whole.
    pub versions: BTreeSet<VersionId>,
    /// Articles whose pages to re-render in every version.
    pub articles: BTreeSet<ArticleId>,
    /// Versions whose `changes.html` and diff pages to re-render.
    pub changes: BTreeSet<VersionId>,
    /// Versions whose search index to rebuild.
    pub search: BTreeSet<VersionId>,
    /// Versions whose print page to re-render (an article's text changed there).
    pub print: BTreeSet<VersionId>,
    /// Media files (paths under `articles/`) to copy again.
    pub media: BTreeSet<String>,
}

impl Pending {
    pub fn merge(&mut self, other: Pending) {
        self.full |= other.full;
        self.versions.extend(other.versions);
        self.articles.extend(other.articles);
        self.changes.extend(other.changes);
        self.search.extend(other.search);
        self.print.extend(other.print);
        self.media.extend(other.media);
    }

    /// Marks the changes pages of version `vi` and of the version after it.
    pub fn changes_around(&mut self, site: &Site, vi: usize) {
        for v in site.views.iter().skip(vi).take(2) {
            self.changes.insert(v.version.id.clone());
        }
    }
}

/// Stage timings of one rebuild, for `--verbose`.
#[derive(Default)]
pub struct Timings(Vec<(&'static str, f64)>);

impl Timings {
    pub fn lap(&mut self, stage: &'static str, since: &mut Instant) {
        self.0.push((stage, since.elapsed().as_secs_f64() * 1000.0));
        *since = Instant::now();
    }

    pub fn line(&self) -> String {
        self.0.iter().map(|(s, ms)| format!("{s} {ms:.1}")).collect::<Vec<_>>().join(", ") + " ms"
    }
}

impl Live {
    /// What the model's pages are made from.
    pub fn inputs(&self) -> Inputs<'_> {
        let Manual { site, theme, bodies, .. } = &self.manual;
        Inputs { site, theme, bodies, history: &self.hist }
    }

    /// Loads and models everything again (see the module doc). Returns the new model
    /// (`None` when the manual cannot be read at all) and what differs from `old`.
    pub fn load(
        root: &Path,
        old: Option<Live>,
        diags: &mut Diagnostics,
        timings: &mut Timings,
    ) -> (Option<Live>, Pending) {
        let mut t = Instant::now();
        let full = Pending { full: true, ..Pending::default() };
        let source = match load::site(root, diags) {
            Ok(s) => s,
            Err(e) => {
                diags.error(Location::file(root), format!("cannot read the manual: {e}"));
                return (None, full);
            }
        };
        timings.lap("load", &mut t);
        let site = model::build(source, diags);
        timings.lap("model", &mut t);
        let theme = Theme::load(&site.theme, diags);
        let pending = match &old {
            // folio's own pages moved (an article took `search`, …): every page links them.
            Some(o) if o.manual.site.own != site.own => full,
            Some(o) => compare(&o.manual.site, &site),
            None => full,
        };
        let (bodies, docs, rendered) = cache::render_cached(&site, old, diags);
        timings.lap(if rendered == 0 { "markdown (all cached)" } else { "markdown" }, &mut t);
        let all: Vec<usize> = (0..site.views.len()).collect();
        links::check(&site, &bodies, &all, diags);
        timings.lap("links", &mut t);
        let hist = history(&site);
        let yaml = cache::read_yaml(root, &site);
        let by_path = site.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
        timings.lap("history", &mut t);
        let stamps = (0..site.bodies.len()).map(|_| stamp()).collect();
        let selected = vec![true; site.views.len()];
        let manual = Manual { site, theme, bodies, selected };
        (Some(Live { manual, docs, stamps, hist, yaml, by_path }), pending)
    }

    /// The patch path: redoes the bodies of the article files at `paths` in this model
    /// when their front matter is unchanged. `None` (and nothing touched) when it does
    /// not apply. `check_all` checks every link of the site, not only the patched pages'.
    pub fn patch(
        &mut self,
        root: &Path,
        paths: &BTreeSet<&PathBuf>,
        check_all: bool,
        diags: &mut Diagnostics,
        timings: &mut Timings,
    ) -> Option<Pending> {
        let mut t = Instant::now();
        let mut patches = Vec::with_capacity(paths.len());
        for rel in paths {
            patches.push(patch::eligible(root, self, rel)?);
        }
        let mut check_all = check_all;
        let mut pages: Vec<(usize, ArticleId)> = Vec::new();
        let mut pending = Pending::default();
        for p in patches {
            let done = patch::apply_patch(self, p);
            check_all |= done.headings_changed;
            let site = &self.manual.site;
            if !done.changed.is_empty() {
                let related = renamed_with(site, &done.id);
                for &vi in &done.changed {
                    pending.search.insert(site.views[vi].version.id.clone());
                    pending.print.insert(site.views[vi].version.id.clone());
                    if related.len() > 1 {
                        // Renames pair pages across slugs: keep to the simple rule.
                        pending.changes_around(site, vi);
                    }
                }
                if related.len() == 1 {
                    for &vi in &done.changes {
                        pending.changes.insert(site.views[vi].version.id.clone());
                    }
                }
                pending.articles.extend(related);
            }
            pages.extend(done.pages.into_iter().map(|vi| (vi, done.id.clone())));
        }
        timings.lap("markdown", &mut t);

        let (site, bodies) = (&self.manual.site, &self.manual.bodies);
        // Problems found while rendering, as `render::bodies` reports them.
        let mut per = PerVersion::default();
        for (vi, id) in &pages {
            let page = &site.views[*vi].pages[id];
            let body = &site.bodies[page.body];
            if let Some(r) = &bodies[page.body] {
                for (line, msg) in &r.problems {
                    per.error(site.files[body.file].path.clone(), Some(body.file_line(*line)), *vi, msg.clone());
                }
            }
        }
        let ids: Vec<&VersionId> = site.views.iter().map(|v| &v.version.id).collect();
        per.finish(&ids, diags);
        let links_ok = pages.iter().all(|(vi, id)| links::page_ok(site, bodies, *vi, id));
        if check_all || !links_ok {
            // Exact messages, and links from other pages into changed headings.
            let all: Vec<usize> = (0..site.views.len()).collect();
            links::check(site, bodies, &all, diags);
        }
        timings.lap("links", &mut t);
        for id in &pending.articles {
            // Only these articles' histories can have changed.
            let one = article_history(&self.manual.site, id);
            self.hist.insert(id.clone(), one);
        }
        timings.lap("history", &mut t);
        Some(pending)
    }
}

/// `id` and every article linked to it by renames (`aliases`, followed both ways and
/// transitively): their "Changed in" lists and diff pages follow each other.
fn renamed_with(site: &Site, id: &ArticleId) -> BTreeSet<ArticleId> {
    let mut out = BTreeSet::new();
    let mut todo = vec![id.clone()];
    while let Some(a) = todo.pop() {
        if !out.insert(a.clone()) {
            continue;
        }
        if let Some(succ) = site.aliases.get(a.as_str()) {
            todo.push(succ.clone());
        }
        if let Some(art) = site.articles.get(&a) {
            todo.extend(
                art.aliases.iter().map(|s| ArticleId::new(s.as_str())).filter(|p| site.articles.contains_key(p)),
            );
        }
    }
    out
}

/// What differs between the model the served site was last compared with and a new one.
fn compare(old: &Site, new: &Site) -> Pending {
    let mut p = Pending::default();
    let files_differ = old.files.len() != new.files.len()
        || old.files.iter().zip(&new.files).any(|(a, b)| a.path != b.path || a.slug != b.slug || a.at != b.at);
    // A file that is (or may be) a revision of an asset and whose bytes changed may
    // now share, or no longer share, an earlier revision's file: pages may point
    // elsewhere.
    let assets_differ = old.assets.len() != new.assets.len()
        || old.assets.iter().zip(&new.assets).any(|(a, b)| a.rel != b.rel || a.abs != b.abs || a.digest != b.digest)
        || old.media != new.media;
    if files_differ
        || assets_differ
        || old.config != new.config
        || old.versions != new.versions
        || old.aliases != new.aliases
        || old.theme.templates != new.theme.templates
        || old.theme.statics != new.theme.statics
        || old.views.len() != new.views.len()
        || !old.articles.keys().eq(new.articles.keys())
    {
        p.full = true;
        return p;
    }
    for (vi, (a, b)) in old.views.iter().zip(&new.views).enumerate() {
        if tree_changed(a, b) {
            p.versions.insert(b.version.id.clone());
            p.changes_around(new, vi);
        }
    }
    for id in new.articles.keys() {
        let mut differs = false;
        for (vi, (a, b)) in old.views.iter().zip(&new.views).enumerate() {
            let same = match (a.pages.get(id), b.pages.get(id)) {
                (None, None) => true,
                (Some(x), Some(y)) => {
                    x.title == y.title
                        && x.parent == y.parent
                        && x.order == y.order
                        && x.keywords == y.keywords
                        && x.file == y.file
                        && old.bodies[x.body].text == new.bodies[y.body].text
                }
                _ => false,
            };
            if !same {
                differs = true;
                p.changes_around(new, vi);
                p.search.insert(new.views[vi].version.id.clone());
                p.print.insert(new.views[vi].version.id.clone());
            }
        }
        if differs {
            p.articles.extend(renamed_with(new, id));
        }
    }
    p
}

/// Whether anything a version's pages show of its tree differs: pages, order, parents,
/// titles or the home page.
fn tree_changed(a: &VersionView, b: &VersionView) -> bool {
    a.home != b.home
        || a.nav.order != b.nav.order
        || !a.pages.keys().eq(b.pages.keys())
        || a.nav.order.iter().any(|id| {
            a.pages.get(id).map(|p| &p.title) != b.pages.get(id).map(|p| &p.title)
                || a.nav.parent.get(id) != b.nav.parent.get(id)
        })
}

#[cfg(test)]
mod tests {
    use super::cache::{read_yaml, render_cached};
    use super::patch::{apply_patch, eligible};
    use super::*;
    use std::fs;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let mut diags = Diagnostics::new();
        let source = load::site(dir.path(), &mut diags).unwrap();
        let site = model::build(source, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        (dir, site)
    }

    const BASE: [(&str, &str); 5] = [
        ("versions/1.yaml", ""),
        ("versions/2.yaml", ""),
        ("versions/3.yaml", ""),
        ("articles/a.md", "---\ntitle: A\n---\nalpha\n<!-- only 2.. -->\nnew in 2\n<!-- /only -->\n"),
        ("articles/b.md", "---\ntitle: B\nparent: a\n---\nbeta [a](a.md)\n"),
    ];

    #[test]
    fn a_body_edit_redoes_only_that_article() {
        let (_d, old) = site(&BASE);
        let mut files = BASE.to_vec();
        files[3].1 = "---\ntitle: A\n---\nalpha!\n<!-- only 2.. -->\nnew in 2\n<!-- /only -->\n";
        let (_d2, new) = site(&files);
        let p = compare(&old, &new);
        assert!(!p.full && p.versions.is_empty());
        assert_eq!(p.articles.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ["a"]);
        assert_eq!(p.changes.len(), 3);
    }

    #[test]
    fn a_retitle_redoes_the_versions_of_that_revision() {
        let mut files = BASE.to_vec();
        files.push(("articles/b@3.md", "---\ntitle: B\nparent: a\n---\nbeta 3 [a](a.md)\n"));
        let (_d, old) = site(&files);
        files[5].1 = "---\ntitle: B three\nparent: a\n---\nbeta 3 [a](a.md)\n";
        let (_d2, new) = site(&files);
        let p = compare(&old, &new);
        assert!(!p.full);
        assert_eq!(p.versions.iter().map(|v| v.as_str()).collect::<Vec<_>>(), ["3"]);
        assert_eq!(p.articles.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn a_new_file_rebuilds_everything() {
        let (_d, old) = site(&BASE);
        let mut files = BASE.to_vec();
        files.push(("articles/c.md", "---\ntitle: C\n---\ngamma\n"));
        let (_d2, new) = site(&files);
        assert!(compare(&old, &new).full);
    }

    #[test]
    fn the_fast_path_matches_the_full_model() {
        let (dir, site0) = site(&BASE);
        let theme = Theme::load(&site0.theme, &mut Diagnostics::new());
        let (bodies, docs, _) = render_cached(&site0, None, &mut Diagnostics::new());
        let hist = history(&site0);
        let yaml = read_yaml(dir.path(), &site0);
        let by_path = site0.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
        let stamps = vec![0; site0.bodies.len()];
        let selected = vec![true; site0.views.len()];
        let manual = Manual { site: site0, theme, bodies, selected };
        let mut cur = Live { manual, docs, stamps, hist, yaml, by_path };
        let edited = "---\ntitle: A\n---\nalpha\n<!-- only 3.. -->\nnew in 3\n<!-- /only -->\n## H {#h}\n";
        fs::write(dir.path().join("articles/a.md"), edited).unwrap();
        let patch = eligible(dir.path(), &cur, Path::new("articles/a.md")).expect("body-only edit");
        let done = apply_patch(&mut cur, patch);
        assert_eq!(done.pages, [0, 1, 2]);
        assert_eq!(done.changed, [0, 1, 2]);
        // 1 -> 2: "new in 2" appeared, and no longer does; 2 -> 3: "new in 3" appears.
        assert_eq!(done.changes, [1, 2]);
        assert!(done.headings_changed);

        let mut diags = Diagnostics::new();
        let full = model::build(load::site(dir.path(), &mut diags).unwrap(), &mut diags);
        for (a, b) in cur.manual.site.views.iter().zip(&full.views) {
            for (id, p) in &b.pages {
                let q = &a.pages[id];
                assert_eq!(cur.manual.site.bodies[q.body].text, full.bodies[p.body].text, "{id} in {}", b.version.id);
                assert_eq!(cur.manual.site.bodies[q.body].line_map, full.bodies[p.body].line_map);
            }
        }
        assert_eq!(article_history(&cur.manual.site, &ArticleId::new("a")), history(&full)[&ArticleId::new("a")]);

        // Front matter edits are not for the fast path.
        fs::write(dir.path().join("articles/a.md"), "---\ntitle: A2\n---\nalpha\n").unwrap();
        assert!(eligible(dir.path(), &cur, Path::new("articles/a.md")).is_none());
    }
}
