//! Page contexts: everything a template sees, computed per version.
//!
//! Each page carries only its own path in the tree (ancestors, their siblings, its
//! children), its version menu and its links; the whole tree lives once per version in
//! `nav-<hash>.js`, so a page's size does not grow with the manual: the static tree is a
//! window of at most [`MAX_TREE_ITEMS`] siblings and the breadcrumb at most
//! [`MAX_BREADCRUMB`] ancestors, whatever the tree's shape. Every URL is
//! relative. Each builder also returns the site-relative files its links point at, so
//! the writer can check them against what it wrote.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use rayon::prelude::*;

use minijinja::Value;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::model::{ArticleId, Site, VersionView};

use super::templates::escape_html;
use super::RenderedBody;

/// What a version name keeps unencoded in a link's query.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Most items in a page's static tree: the page's siblings around it (or the first of the
/// top level on pages outside the tree). The rest are in the version's shared nav data,
/// and reachable without JavaScript through prev/next and the parents' "In this section".
pub const MAX_TREE_ITEMS: usize = 50;
/// Most ancestors in a breadcrumb: the nearest ones.
pub const MAX_BREADCRUMB: usize = 16;

/// `text` as a CSS string literal (double-quoted; quotes, backslashes and line breaks
/// escaped), for a custom property the stylesheet prints.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A titled link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// The old-version banner.
#[derive(Debug, Clone, Serialize)]
pub struct Banner {
    pub url: String,
    /// The page is not in the latest version; the link goes to its home.
    pub missing: bool,
}

/// A version in which an article changed.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub label: String,
    pub url: String,
    pub current: bool,
    pub diff_url: Option<String>,
    /// The article first appeared in this version (no page before it: no diff page).
    pub added: bool,
}

#[derive(Debug, Clone, Serialize)]
struct VersionInfo {
    id: String,
    label: String,
    path: String,
    status: String,
    released: Option<String>,
    is_latest: bool,
}

#[derive(Debug, Clone, Serialize)]
struct PageInfo {
    kind: &'static str,
    slug: String,
    title: String,
    url: String,
    source: Option<String>,
    /// `edit_url` from manual.yaml filled in with `source`.
    edit_url: Option<String>,
}

/// The site's settings as templates see them (`site.*`).
#[derive(Debug, Clone, Serialize)]
struct SiteInfo {
    title: String,
    base_url: Option<String>,
    search_page: String,
    changes_page: String,
    /// The file name of the version's print page (`print.html`, or `~print.html`);
    /// none with `print: false` in manual.yaml.
    print_page: Option<String>,
    /// URLs of the logo and favicon from manual.yaml (hashed copies under `assets/`).
    logo: Option<String>,
    favicon: Option<String>,
    footer_text: Option<String>,
    footer_links: Vec<Link>,
}

/// The fields every page template gets.
#[derive(Debug, Clone, Serialize)]
pub struct Common {
    site: SiteInfo,
    version: VersionInfo,
    latest: VersionInfo,
    page: PageInfo,
    /// Prefix from this page to its version folder ("" or "../").
    root: String,
    /// Prefix from this page to the site root.
    site_root: String,
    assets: BTreeMap<String, String>,
    nav_script: String,
    /// The version menu's `<ul>` (safe HTML).
    versions_html: Value,
    banner: Option<Banner>,
    canonical: Option<String>,
    /// The static tree's `<ul>` (safe HTML).
    nav_html: Value,
    /// "Manual · version · address" as a CSS string, which the theme prints on every
    /// printed page: the address is the canonical URL, else the page's path in the site.
    print_line: String,
}

/// The context of an article page.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleContext {
    #[serde(flatten)]
    pub common: Common,
    pub content: Value,
    pub headings: Vec<crate::render::markdown::Heading>,
    pub breadcrumb: Vec<Link>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub children: Vec<Link>,
    pub history: Vec<HistoryEntry>,
}

/// What a page's version menu points at in other versions.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Article(&'a ArticleId),
    /// A page every version has, e.g. `search.html`.
    Fixed(&'a str),
}

/// Precomputed per-version data for building page contexts.
pub struct VersionCx<'a> {
    pub site: &'a Site,
    pub vi: usize,
    /// Which built versions this build writes (links into others are not checked).
    pub selected: &'a [bool],
    pub nav_script: String,
    /// Index of the version's articles changed per version: computed by the caller (`crate::diff::history`).
    pub history: &'a BTreeMap<ArticleId, Vec<usize>>,
    assets_from_root: BTreeMap<String, String>,
    /// Each page's title, HTML-escaped once for the thousands of trees that show it.
    titles_html: HashMap<ArticleId, String>,
    /// Each version's label (in `site.versions` order), HTML-escaped once.
    labels_html: Vec<String>,
    /// The version menu's link to comparing versions, after the prefix to the version
    /// folder: `changes.html?from=…">Compare with v24.3` (none in a manual of one version).
    compare_html: Option<String>,
    /// The site's counterpart table, when the caller made one (see [`MenuTable`]).
    menus: Option<&'a MenuTable<'a>>,
}

/// Every article's counterpart in every built version (see [`Site::counterpart_in`]),
/// looked up once for the whole site: each page's version menu reads its row instead
/// of searching every other version again, and the files the menus link to are
/// listed (and checked) once per article rather than once per page.
pub struct MenuTable<'a> {
    rows: HashMap<&'a ArticleId, Vec<Option<&'a ArticleId>>>,
}

impl<'a> MenuTable<'a> {
    /// The rows of every article in the built versions `chosen`.
    pub fn new(site: &'a Site, chosen: &[usize]) -> Self {
        let mut ids: Vec<&'a ArticleId> = chosen.iter().flat_map(|&vi| site.views[vi].pages.keys()).collect();
        ids.sort_unstable();
        ids.dedup();
        let rows = ids
            .into_par_iter()
            .map(|id| (id, (0..site.views.len()).map(|wi| site.counterpart_in(id, wi)).collect()))
            .collect();
        MenuTable { rows }
    }

    /// The site-relative files that the menus of these articles link to in the
    /// versions marked in `selected`.
    pub fn targets(&self, site: &Site, selected: &[bool]) -> Vec<String> {
        let mut out = Vec::new();
        for row in self.rows.values() {
            for (wi, there) in row.iter().enumerate() {
                if selected[wi] {
                    let path = &site.views[wi].version.path;
                    out.push(match there {
                        Some(id) => format!("{path}/{id}.html"),
                        None => format!("{path}/index.html"),
                    });
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl<'a> VersionCx<'a> {
    pub fn new(
        site: &'a Site,
        vi: usize,
        selected: &'a [bool],
        nav_script: String,
        history: &'a BTreeMap<ArticleId, Vec<usize>>,
        assets_from_root: BTreeMap<String, String>,
    ) -> Self {
        let titles_html = site.views[vi].pages.iter().map(|(id, p)| (id.clone(), escape_html(&p.title))).collect();
        let labels_html = site.versions.iter().map(|v| escape_html(&v.label)).collect();
        // Comparing versions: on this version's what-changed page, which compares it with
        // the latest when given only `from`; on the latest, any two.
        let latest = site.views.len() - 1;
        let changes = &site.own.changes;
        let compare_html = match latest {
            0 => None,
            _ if vi == latest => Some(format!("{changes}#compare\">Compare versions")),
            _ => Some(format!(
                "{changes}?from={}\">Compare with {}",
                utf8_percent_encode(site.views[vi].version.id.as_str(), QUERY),
                escape_html(&site.views[latest].version.label)
            )),
        };
        VersionCx {
            site,
            vi,
            selected,
            nav_script,
            history,
            assets_from_root,
            titles_html,
            labels_html,
            compare_html,
            menus: None,
        }
    }

    /// Reads version menus from `menus` (which must cover this version's articles);
    /// their links are then left out of the targets each page reports, since
    /// [`MenuTable::targets`] lists them.
    pub fn with_menus(mut self, menus: &'a MenuTable<'a>) -> Self {
        self.menus = Some(menus);
        self
    }

    pub fn view(&self) -> &'a VersionView {
        &self.site.views[self.vi]
    }

    fn info(&self, vi: usize) -> VersionInfo {
        let v = &self.site.views[vi].version;
        VersionInfo {
            id: v.id.to_string(),
            label: v.label.clone(),
            path: v.path.clone(),
            status: v.status.clone(),
            released: v.released.clone(),
            is_latest: vi + 1 == self.site.views.len(),
        }
    }

    /// A page's title, HTML-escaped.
    fn title_html(&self, id: &ArticleId) -> &str {
        self.titles_html.get(id).map(|s| s.as_str()).unwrap_or("")
    }

    fn version_path(&self) -> &str {
        &self.view().version.path
    }

    /// Builds the common part of a page `depth` folders below its version folder.
    // Each argument is one independent fact about the page; a struct would only rename them.
    #[allow(clippy::too_many_arguments)]
    pub fn common(
        &self,
        kind: &'static str,
        slug: &str,
        title: &str,
        url: &str,
        depth: usize,
        target: Target<'_>,
        current: Option<&ArticleId>,
        targets: &mut Vec<String>,
    ) -> Common {
        let root = "../".repeat(depth);
        let site_root = format!("{root}../");
        let site = self.site;
        let latest_vi = site.views.len() - 1;
        let vpath = self.version_path();

        let versions_html = Value::from_safe_string(self.menu_html(target, &site_root, targets));

        let banner = (self.vi != latest_vi).then(|| {
            let (file, missing) = self.resolve_in(latest_vi, target);
            let lp = &site.views[latest_vi].version.path;
            if self.selected[latest_vi] {
                targets.push(format!("{lp}/{file}"));
            }
            Banner { url: format!("{site_root}{lp}/{file}"), missing }
        });

        let canonical = site.config.base_url.as_ref().and_then(|base| {
            let base = base.trim_end_matches('/');
            match target {
                Target::Article(id) => (0..site.views.len()).rev().find_map(|wi| {
                    site.counterpart_in(id, wi)
                        .map(|other| format!("{base}/{}/{other}.html", site.views[wi].version.path))
                }),
                Target::Fixed(f) => Some(format!("{base}/{vpath}/{f}")),
            }
        });

        let nav_html = Value::from_safe_string(self.tree_html(current, &root));
        let config = &site.config;
        let asset = |kind: &str, path: &Option<String>| {
            let name = crate::load::identity::asset_name(kind, path.as_deref()?);
            self.assets_from_root.get(&name).map(|u| format!("{site_root}{u}"))
        };
        let footer = config.footer.as_ref();
        let source = current
            .and_then(|id| self.view().pages.get(id).map(|p| site.files[p.file].path.to_string_lossy().into_owned()));
        let address = canonical.clone().unwrap_or_else(|| format!("{vpath}/{url}"));
        let print_line = css_string(&format!("{} \u{b7} {} \u{b7} {address}", config.title, self.view().version.label));
        Common {
            site: SiteInfo {
                title: config.title.clone(),
                base_url: config.base_url.clone(),
                search_page: site.own.search.clone(),
                changes_page: site.own.changes.clone(),
                print_page: config.print.then(|| site.own.print.clone()),
                logo: asset("logo", &config.logo),
                favicon: asset("favicon", &config.favicon),
                footer_text: footer.and_then(|f| f.text.clone()),
                footer_links: footer
                    .map(|f| f.links.iter().map(|l| Link { title: l.text.clone(), url: l.url.clone() }).collect())
                    .unwrap_or_default(),
            },
            version: self.info(self.vi),
            latest: self.info(latest_vi),
            page: PageInfo {
                kind,
                slug: slug.to_string(),
                title: title.to_string(),
                url: url.to_string(),
                edit_url: config
                    .edit_url
                    .as_ref()
                    .zip(source.as_ref())
                    .map(|(pattern, src)| crate::load::identity::edit_link(pattern, src)),
                source,
            },
            assets: self.assets_from_root.iter().map(|(k, v)| (k.clone(), format!("{site_root}{v}"))).collect(),
            nav_script: format!("{root}{}", self.nav_script),
            root,
            site_root,
            versions_html,
            banner,
            canonical,
            nav_html,
            print_line,
        }
    }

    /// The file (relative to version folder `wi`) a menu entry or banner points at, and
    /// whether that is the version's home because the page does not exist there.
    fn resolve_in(&self, wi: usize, target: Target<'_>) -> (String, bool) {
        match target {
            Target::Article(id) => match self.site.counterpart_in(id, wi) {
                Some(other) => (format!("{other}.html"), false),
                None => ("index.html".to_string(), true),
            },
            Target::Fixed(f) => (f.to_string(), false),
        }
    }

    /// The version menu: every version, newest first, in groups of one status (current,
    /// supported, archived) each under its name, linking to this page's
    /// counterpart there (or that version's home, marked `missing`); external versions
    /// link to their URL; this version is an item without a link, marked
    /// `aria-current`. Built here rather than in a template, and without `</li>` (HTML
    /// closes an item at the next one): it is on every one of tens of thousands of pages.
    fn menu_html(&self, target: Target<'_>, site_root: &str, targets: &mut Vec<String>) -> String {
        let site = self.site;
        let row = match target {
            Target::Article(id) => self.menus.and_then(|m| m.rows.get(id)),
            Target::Fixed(_) => None,
        };
        let mut s = String::with_capacity(64 * site.versions.len() + 64);
        s.push_str("<div class=\"vmenu\">");
        let mut wi = site.views.len();
        let mut group: Option<&str> = None;
        for (v, label) in site.versions.iter().zip(&self.labels_html).rev() {
            // A group per run of versions of one status, under its name (the `<ul>`
            // closes the name's `<p>`).
            if group != Some(v.status.as_str()) {
                if group.is_some() {
                    s.push_str("</ul>");
                }
                group = Some(v.status.as_str());
                s.push_str("<p>");
                let mut name = v.status.chars();
                if let Some(first) = name.next() {
                    s.extend(first.to_uppercase());
                    s.push_str(name.as_str());
                }
                s.push_str("<ul>");
            }
            if let Some(url) = &v.url {
                s.push_str("<li class=\"external\"><a href=\"");
                s.push_str(&escape_html(url));
                s.push_str("\">");
                s.push_str(label);
                s.push_str(" <small>(external)</small></a>");
                continue;
            }
            wi -= 1;
            if wi == self.vi {
                s.push_str("<li aria-current=\"true\">");
                s.push_str(label);
                continue;
            }
            // the page's counterpart there, else that version's home, marked
            let home = |s: &mut String| {
                let _ = write!(
                    s,
                    "<li class=\"missing\"><a href=\"{site_root}{}/index.html\">{label} <small>(home page)</small></a>",
                    v.path
                );
            };
            match row.map(|row| row[wi]) {
                Some(Some(other)) => {
                    let _ = write!(s, "<li><a href=\"{site_root}{}/{other}.html\">{label}</a>", v.path);
                }
                Some(None) => home(&mut s),
                None => {
                    let (file, missing) = self.resolve_in(wi, target);
                    if self.selected[wi] {
                        targets.push(format!("{}/{file}", v.path));
                    }
                    if missing {
                        home(&mut s);
                    } else {
                        let _ = write!(s, "<li><a href=\"{site_root}{}/{file}\">{label}</a>", v.path);
                    }
                }
            }
        }
        if group.is_some() {
            s.push_str("</ul>");
        }
        if let Some(link) = &self.compare_html {
            let root = site_root.strip_prefix("../").unwrap_or(site_root);
            let _ = write!(s, "<div class=\"vcompare\"><a href=\"{root}{link}</a></div>");
        }
        s.push_str("</div>");
        s
    }

    /// The static tree: `current`'s siblings (itself among them, its link marked
    /// `aria-current`, which `folio.js` reads to open the full tree there), or the top
    /// level on pages outside the tree, as one `<ul>` on one line. The breadcrumb holds the
    /// path up and the article's "In this section" its children, so the page is navigable
    /// without JavaScript and carries no link twice; with JavaScript, `folio.js` replaces
    /// the list with the whole tree from `nav.<hash>.js`, the path to the page open.
    fn tree_html(&self, current: Option<&ArticleId>, root: &str) -> String {
        let nav = &self.view().nav;
        let current = current.filter(|c| nav.position.contains_key(*c));
        let level = match current {
            Some(c) => nav.sibling_window(c, MAX_TREE_ITEMS),
            None => &nav.roots[..nav.roots.len().min(MAX_TREE_ITEMS)],
        };
        // Tree nodes are pages of this version's nav, which the writer checks once per
        // version (every `nav.order` entry must have been written), not once per page.
        let mut s = String::with_capacity(64 * level.len() + 16);
        s.push_str("<ul>");
        for id in level {
            // No `</li>`: HTML closes an item at the next `<li>` or the list's `</ul>`.
            if Some(id) == current {
                let _ = write!(s, "<li><a href=\"{root}{id}.html\" aria-current=\"page\">");
            } else {
                let _ = write!(s, "<li><a href=\"{root}{id}.html\">");
            }
            s.push_str(self.title_html(id));
            s.push_str("</a>");
        }
        s.push_str("</ul>");
        s
    }

    /// A link to a page of this version's nav (checked once per version by the writer,
    /// as every `nav.order` entry must have been written).
    fn link(&self, id: &ArticleId, root: &str) -> Link {
        Link { title: self.view().pages[id].title.clone(), url: format!("{root}{id}.html") }
    }

    /// The context of article `id`'s page (as `<slug>.html`, or as `index.html` when
    /// `as_index`); returns it with the site-relative files its links point at.
    pub fn article(&self, id: &ArticleId, body: &RenderedBody, as_index: bool) -> (ArticleContext, Vec<String>) {
        let mut targets = Vec::new();
        let view = self.view();
        let page = &view.pages[id];
        let url = if as_index { "index.html".to_string() } else { format!("{id}.html") };
        let target = if as_index { Target::Fixed("index.html") } else { Target::Article(id) };
        let kind = if as_index { "home" } else { "article" };
        let common = self.common(kind, id.as_str(), &page.title, &url, 0, target, Some(id), &mut targets);
        let breadcrumb = view.nav.ancestors_near(id, MAX_BREADCRUMB).iter().map(|a| self.link(a, "")).collect();
        let prev = view.nav.prev(id).map(|a| self.link(a, ""));
        let next = view.nav.next(id).map(|a| self.link(a, ""));
        let children = view.nav.children_of(id).iter().map(|a| self.link(a, "")).collect();
        let mut history = Vec::new();
        if let Some(changed) = self.history.get(id) {
            for &wi in changed {
                let w = &self.site.views[wi].version;
                // The slug the article had in that version (renames), and whether it
                // had a page in the version before: then that version has a diff page.
                let Some(there) = self.site.counterpart_in(id, wi) else { continue };
                if self.selected[wi] {
                    targets.push(format!("{}/{there}.html", w.path));
                }
                // Links into this page's own version stay in its folder.
                let folder = if wi == self.vi { String::new() } else { format!("../{}/", w.path) };
                let diff_url = (wi > 0 && self.site.counterpart_in(there, wi - 1).is_some())
                    .then(|| format!("{folder}diff/{there}.html"));
                if let (Some(_), true) = (&diff_url, self.selected[wi]) {
                    targets.push(format!("{}/diff/{there}.html", w.path));
                }
                history.push(HistoryEntry {
                    label: w.label.clone(),
                    url: format!("{folder}{there}.html"),
                    current: wi == self.vi,
                    added: diff_url.is_none(),
                    diff_url,
                });
            }
        }
        // An article that never changed after it first appeared (in the first version,
        // every article "appears") has no history worth a "Changed in" list.
        if history.iter().all(|h| h.added) {
            history.clear();
        }
        let headings = body.headings.iter().filter(|h| h.level == 2 || h.level == 3).cloned().collect();
        let ctx = ArticleContext {
            common,
            content: Value::from_safe_string(
                body.html_in(|rel| self.site.asset_in(rel, self.vi), super::MEDIA_PREFIX).into_owned(),
            ),
            headings,
            breadcrumb,
            prev,
            next,
            children,
            history,
        };
        (ctx, targets)
    }
}
