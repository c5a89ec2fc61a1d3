//! Every article's life through the built versions, as the data behind comparing any
//! two versions in the browser (`compare.js`): for each article, the versions at which
//! its address, title, parent in the contents, text or presence changed, and nothing
//! for the versions in between. The comparison of versions A and B is then each
//! article's state at A against its state at B, the same answer [`super::versions`]
//! gives, without a page per pair of versions: the data grows with versions × changed
//! articles.
//!
//! An article is followed from one version to the next as [`super::step`] follows it
//! (through `aliases`, [`Site::counterpart_in`]); one that is missing for some versions
//! and comes back is the same article again, as a direct comparison would pair it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::text;
use crate::model::{ArticleId, BodyId, Site};

/// An article's state in one version: its slug, title, parent (an article number, see
/// [`Timeline::articles`]) and text (a number among this article's distinct texts).
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    slug: String,
    title: String,
    parent: Option<usize>,
    text: usize,
}

/// One entry of an article's timeline: from built version `vi` on, the article is
/// `state` (`None`: not in the manual).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    vi: usize,
    state: Option<State>,
    /// Lines of text added and removed since the version before, when the text changed.
    lines: (usize, usize),
    /// Whether the build writes a diff page for the article in version `vi`.
    diff: bool,
}

/// Every article's timeline through the built versions.
#[derive(Debug, Default)]
pub struct Timeline {
    /// Per built version, oldest first: name, label and folder.
    versions: Vec<(String, String, String)>,
    /// Per article, its entries in version order. Articles are numbered in the reading
    /// order of the newest version they are in, newest versions first, so that a list
    /// sorted by number reads as the contents do.
    articles: Vec<Vec<Entry>>,
}

/// What an article's page is to the timeline while it is being made.
struct Open<'s> {
    entries: Vec<Entry>,
    /// Its distinct texts (as [`text::same_text`] tells them apart), numbered in order,
    /// and the bodies already known to be one of them.
    texts: Vec<Cow<'s, str>>,
    bodies: Vec<(BodyId, usize)>,
    /// Its slug in the last version it was in, and that version.
    last: Option<(&'s ArticleId, usize)>,
}

impl<'s> Open<'s> {
    /// The number of `body`'s text among this article's texts: most versions show the
    /// body of the version before, found without comparing texts.
    fn text_of(&mut self, site: &'s Site, body: BodyId) -> usize {
        if let Some(&(_, t)) = self.bodies.iter().find(|(b, _)| *b == body) {
            return t;
        }
        let norm = text::terminated(&site.bodies[body].text);
        let t = match self.texts.iter().position(|x| *x == norm) {
            Some(t) => t,
            None => {
                self.texts.push(norm);
                self.texts.len() - 1
            }
        };
        self.bodies.push((body, t));
        t
    }
}

impl Timeline {
    /// The timelines of every article of `site`, the same whichever versions a build
    /// writes (a version folder is the same in a full build and a `--version` build).
    pub fn of(site: &Site) -> Timeline {
        let n = site.views.len();
        let mut open: Vec<Open<'_>> = Vec::new();
        // Per version, which article each slug is.
        let mut number: Vec<HashMap<&ArticleId, usize>> = Vec::with_capacity(n);
        for vi in 0..n {
            let view = &site.views[vi];
            let mut here: HashMap<&ArticleId, usize> = HashMap::with_capacity(view.pages.len());
            let mut taken: HashSet<usize> = HashSet::new();
            // Pages in slug order, pairing as `super::versions` does: the page standing
            // for the same article in the version before, unless that slug is itself a
            // page here; else the last version the article was in.
            for id in view.pages.keys() {
                let earlier = |k: usize| {
                    site.counterpart_in(id, k)
                        .filter(|o| *o == id || !view.pages.contains_key(*o))
                        .and_then(|o| number[k].get(o).copied())
                        .filter(|a| !taken.contains(a))
                };
                let found = vi.checked_sub(1).and_then(&earlier).or_else(|| {
                    (0..vi.saturating_sub(1))
                        .rev()
                        .find_map(|k| earlier(k).filter(|&a| open[a].last.is_some_and(|(_, v)| v == k)))
                });
                let a = found.unwrap_or_else(|| {
                    open.push(Open { entries: Vec::new(), texts: Vec::new(), bodies: Vec::new(), last: None });
                    open.len() - 1
                });
                taken.insert(a);
                here.insert(id, a);
            }
            for (id, page) in &view.pages {
                let a = here[id];
                let t = open[a].text_of(site, page.body);
                let parent = view.nav.parent.get(id).and_then(|p| here.get(p).copied());
                let o = &mut open[a];
                let before = o.last.filter(|&(_, v)| v + 1 == vi);
                let prev_state = o.entries.last().and_then(|e| e.state.as_ref());
                let same = prev_state.is_some_and(|p| {
                    p.slug == id.as_str() && p.title == page.title && p.parent == parent && p.text == t
                });
                if before.is_none() || !same {
                    let lines = match (before, prev_state) {
                        (Some((old, _)), Some(p)) if p.text != t => {
                            let old_text = &site.bodies[site.views[vi - 1].pages[old].body].text;
                            text::line_counts(old_text, &site.bodies[page.body].text)
                        }
                        _ => (0, 0),
                    };
                    let diff = matches!(super::step(site, id, vi), Some(super::Step::Modified(_)));
                    let state = State { slug: id.to_string(), title: page.title.clone(), parent, text: t };
                    o.entries.push(Entry { vi, state: Some(state), lines, diff });
                }
                o.last = Some((id, vi));
            }
            // Articles of the version before that are not here.
            for o in open.iter_mut().filter(|o| o.last.is_some_and(|(_, v)| v + 1 == vi)) {
                o.entries.push(Entry { vi, state: None, lines: (0, 0), diff: false });
            }
            number.push(here);
        }
        // Number articles in the reading order of the newest version each is in.
        let mut key: Vec<(usize, usize, usize)> = open
            .iter()
            .enumerate()
            .map(|(a, o)| {
                let (slug, v) = o.last.expect("every article is in some version");
                let pos = site.views[v].nav.position.get(slug).copied().unwrap_or(usize::MAX);
                (n - v, pos, a)
            })
            .collect();
        key.sort_unstable();
        let mut renumber = vec![0; open.len()];
        for (new, &(_, _, old)) in key.iter().enumerate() {
            renumber[old] = new;
        }
        let mut articles: Vec<Vec<Entry>> = vec![Vec::new(); open.len()];
        for (old, o) in open.into_iter().enumerate() {
            articles[renumber[old]] = o
                .entries
                .into_iter()
                .map(|mut e| {
                    if let Some(s) = &mut e.state {
                        s.parent = s.parent.map(|p| renumber[p]);
                    }
                    e
                })
                .collect();
        }
        let versions = site
            .views
            .iter()
            .map(|v| (v.version.id.to_string(), v.version.label.clone(), v.version.path.clone()))
            .collect();
        Timeline { versions, articles }
    }

    /// The script that hands the timeline to the page: `window.__folioTimeline = {…}`.
    ///
    /// ```text
    /// {"v":[[name,label,folder],…],
    ///  "a":[[entry,…],…]}   one list per article, numbered in reading order
    /// entry: [vi,slug,title,parent,text,added,removed,diff]   from built version vi on
    ///        [vi]                                              not in the manual from vi on
    /// ```
    /// `slug` and `title` are 0 when they are those of the entry before; `parent` is an
    /// article number or -1 (the top level); `text` numbers the article's distinct
    /// texts; `added` and `removed` count the lines changed since the version before;
    /// `diff` is 1 when version vi has a diff page for the article (`diff/<slug>.html`).
    pub fn script(&self) -> String {
        let json = |s: &str| serde_json::to_string(s).expect("a string serializes");
        let mut out = String::from("window.__folioTimeline={\"v\":[");
        for (i, (name, label, path)) in self.versions.iter().enumerate() {
            let sep = if i > 0 { "," } else { "" };
            let _ = write!(out, "{sep}[{},{},{}]", json(name), json(label), json(path));
        }
        out.push_str("],\"a\":[");
        for (i, entries) in self.articles.iter().enumerate() {
            out.push_str(if i > 0 { ",[" } else { "[" });
            let mut prev: Option<&State> = None;
            for (j, e) in entries.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                match &e.state {
                    None => {
                        let _ = write!(out, "[{}]", e.vi);
                    }
                    Some(s) => {
                        let slug = if prev.is_some_and(|p| p.slug == s.slug) { "0".into() } else { json(&s.slug) };
                        let title = if prev.is_some_and(|p| p.title == s.title) { "0".into() } else { json(&s.title) };
                        let parent = s.parent.map_or(-1, |p| p as i64);
                        let _ = write!(
                            out,
                            "[{},{slug},{title},{parent},{},{},{},{}]",
                            e.vi,
                            s.text,
                            e.lines.0,
                            e.lines.1,
                            u8::from(e.diff)
                        );
                    }
                }
                if e.state.is_some() {
                    prev = e.state.as_ref();
                }
            }
            out.push(']');
        }
        out.push_str("]};\n");
        out
    }
}
