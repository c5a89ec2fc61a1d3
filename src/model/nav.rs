//! The nav tree of one version, from `parent` and `order`.
//!
//! Parents are resolved once per article file and checked in every version by article
//! position; a version's tree (with its slugs) is made only where it is needed.

use std::collections::{BTreeMap, HashMap};

use super::{Article, ArticleId, PerVersion, VersionId};
use crate::load::ArticleFile;

/// The tree of one version: roots and children sorted by (order, title, slug), and the
/// pages in pre-order (the reading order used for prev/next and search).
#[derive(Debug, Clone, Default)]
pub struct NavTree {
    pub roots: Vec<ArticleId>,
    pub children: HashMap<ArticleId, Vec<ArticleId>>,
    pub parent: HashMap<ArticleId, ArticleId>,
    /// Every page in pre-order.
    pub order: Vec<ArticleId>,
    /// Position of each page in `order`.
    pub position: HashMap<ArticleId, usize>,
}

impl NavTree {
    /// The ancestors of `id`, root first (not including `id`).
    pub fn ancestors(&self, id: &ArticleId) -> Vec<ArticleId> {
        let mut out = Vec::new();
        let mut cur = self.parent.get(id);
        while let Some(p) = cur {
            out.push(p.clone());
            cur = self.parent.get(p);
        }
        out.reverse();
        out
    }

    /// The children of `id` in tree order.
    pub fn children_of(&self, id: &ArticleId) -> &[ArticleId] {
        self.children.get(id).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// The siblings of `id` including itself, in tree order.
    pub fn siblings_of(&self, id: &ArticleId) -> &[ArticleId] {
        match self.parent.get(id) {
            Some(p) => self.children_of(p),
            None => &self.roots,
        }
    }

    /// At most `max` of the siblings of `id` (itself among them) in tree order: all of
    /// them when there are no more, else the run around `id`. Found by position, so a
    /// page costs the same whatever its number of siblings.
    pub fn sibling_window(&self, id: &ArticleId, max: usize) -> &[ArticleId] {
        let all = self.siblings_of(id);
        if all.len() <= max {
            return all;
        }
        // Siblings are in tree order, so their reading-order positions increase.
        let key = |a: &ArticleId| self.position.get(a).copied().unwrap_or(usize::MAX);
        let me = key(id);
        let at = all.partition_point(|s| key(s) < me);
        let start = at.saturating_sub(max / 2).min(all.len() - max);
        &all[start..start + max]
    }

    /// The nearest `max` ancestors of `id`, root-most first (all of them when there are
    /// no more): a breadcrumb costs the same whatever the tree's depth.
    pub fn ancestors_near(&self, id: &ArticleId, max: usize) -> Vec<ArticleId> {
        let mut out = Vec::new();
        let mut cur = self.parent.get(id);
        while let Some(p) = cur {
            if out.len() == max {
                break;
            }
            out.push(p.clone());
            cur = self.parent.get(p);
        }
        out.reverse();
        out
    }

    /// The page before `id` in reading order.
    pub fn prev(&self, id: &ArticleId) -> Option<&ArticleId> {
        let i = *self.position.get(id)?;
        i.checked_sub(1).and_then(|j| self.order.get(j))
    }

    /// The page after `id` in reading order.
    pub fn next(&self, id: &ArticleId) -> Option<&ArticleId> {
        let i = *self.position.get(id)?;
        self.order.get(i + 1)
    }
}

/// What every version's tree is made from, worked out once for the whole manual: each
/// article file's parent as an article position (slug order), and its page's sort key.
/// Versions then check and link positions, not slugs.
pub(super) struct Input<'a> {
    articles: Vec<&'a Article>,
    files: &'a [ArticleFile],
    /// Per file: `None` for the top level, `Some(None)` for an unknown parent, else the
    /// parent's position (through aliases).
    parent: Vec<Option<Option<usize>>>,
    /// Per file: the page's title in lower case (the tree sorts by it).
    lower: Vec<String>,
    /// Slugs whose files could not be loaded: a parent naming one is not reported again.
    unreadable: &'a std::collections::BTreeSet<String>,
}

/// No parent.
const NONE: usize = usize::MAX;
/// Most articles a parent-cycle message names.
const MAX_CYCLE_SHOWN: usize = 8;

impl<'a> Input<'a> {
    pub(super) fn new(
        articles: &'a BTreeMap<ArticleId, Article>,
        aliases: &BTreeMap<String, ArticleId>,
        files: &'a [ArticleFile],
        unreadable: &'a std::collections::BTreeSet<String>,
    ) -> Input<'a> {
        let slot: HashMap<&str, usize> = articles.keys().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        let parent = files
            .iter()
            .map(|f| {
                let p = f.front.parent.as_deref()?;
                let target = slot.get(p).or_else(|| aliases.get(p).and_then(|t| slot.get(t.as_str())));
                Some(target.copied())
            })
            .collect();
        let lower = files.iter().map(|f| f.front.title.as_deref().unwrap_or("").to_lowercase()).collect();
        Input { articles: articles.values().collect(), files, parent, lower, unreadable }
    }

    /// Checks the parents of built version `vi`, whose pages come from `chosen` (per
    /// article position, the file that applies there); problems go into `per`. Returns
    /// each position's parent ([`NONE`] for the top level and absent pages), with every
    /// cycle broken.
    pub(super) fn parents(
        &self,
        vi: usize,
        chosen: &[Option<usize>],
        per: &mut PerVersion,
        built_ids: &[&VersionId],
    ) -> Vec<usize> {
        let mut parent = vec![NONE; chosen.len()];
        let line = |f: &ArticleFile| Some(f.front.line_of("parent"));
        for (pos, fi) in chosen.iter().enumerate() {
            let Some(fi) = *fi else { continue };
            let Some(target) = self.parent[fi] else { continue };
            let f = &self.files[fi];
            match target {
                None => {
                    let p = f.front.parent.as_deref().unwrap_or("");
                    if !self.unreadable.contains(p) {
                        per.error(
                            f.path.clone(),
                            line(f),
                            vi,
                            format!("unknown parent '{p}': no article has that slug"),
                        )
                    }
                }
                Some(t) if t == pos => {
                    per.error(f.path.clone(), line(f), vi, format!("'{}' is its own parent", self.articles[pos].id))
                }
                Some(t) if chosen[t].is_none() => {
                    let a = self.articles[t];
                    per.error(
                        f.path.clone(),
                        line(f),
                        vi,
                        format!(
                            "parent '{}' is not in this version (it exists in {})",
                            a.id,
                            super::describe_ranges(built_ids, &a.presence)
                        ),
                    );
                }
                Some(t) => parent[pos] = t,
            }
        }

        // Break cycles deterministically: report each page on a cycle, then detach the
        // cycle's smallest slug (smallest position) from its parent. Each page is walked
        // through once (linear in the number of pages, whatever the tree's depth): a walk
        // stops at a page an earlier walk finished, or at one on its own path (a cycle).
        const NEW: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![NEW; chosen.len()];
        let mut at_index = vec![0usize; chosen.len()];
        let mut chain: Vec<usize> = Vec::new();
        for start in (0..chosen.len()).filter(|&p| chosen[p].is_some()) {
            if state[start] == DONE {
                continue;
            }
            chain.clear();
            let mut cur = start;
            while cur != NONE && state[cur] == NEW {
                state[cur] = ON_PATH;
                at_index[cur] = chain.len();
                chain.push(cur);
                cur = parent[cur];
            }
            if cur != NONE && state[cur] == ON_PATH {
                let cycle = &chain[at_index[cur]..];
                let name = |p: usize| self.articles[p].id.as_str();
                // Every member's message names the cycle: a long one is shortened, so the
                // messages do not grow with the square of its length.
                let text = if cycle.len() <= MAX_CYCLE_SHOWN {
                    let mut text: Vec<&str> = cycle.iter().map(|&p| name(p)).collect();
                    text.push(name(cycle[0]));
                    text.join(" -> ")
                } else {
                    let head: Vec<&str> = cycle[..MAX_CYCLE_SHOWN / 2].iter().map(|&p| name(p)).collect();
                    let tail: Vec<&str> = cycle[cycle.len() - MAX_CYCLE_SHOWN / 2..].iter().map(|&p| name(p)).collect();
                    format!(
                        "{} -> … -> {} -> {} ({} articles)",
                        head.join(" -> "),
                        tail.join(" -> "),
                        name(cycle[0]),
                        cycle.len()
                    )
                };
                for &member in cycle {
                    let f = &self.files[chosen[member].expect("cycle members are pages")];
                    per.error(f.path.clone(), line(f), vi, format!("parent cycle: {text}"));
                }
                let smallest = *cycle.iter().min().expect("a cycle has members");
                parent[smallest] = NONE;
            }
            for &p in &chain {
                state[p] = DONE;
            }
        }
        parent
    }

    /// The tree of a version from its pages' files (`chosen`) and checked `parent`s.
    pub(super) fn tree(&self, chosen: &[Option<usize>], parent: Vec<usize>) -> NavTree {
        // Siblings sort by order (pages without one last), title, slug.
        let key = |pos: usize| {
            let fi = chosen[pos].expect("tree nodes are pages");
            let order = self.files[fi].front.order;
            (order.is_none(), order.unwrap_or(0), self.lower[fi].as_str(), pos)
        };
        let mut kids: Vec<Vec<usize>> = vec![Vec::new(); chosen.len()];
        let mut roots: Vec<usize> = Vec::new();
        for pos in (0..chosen.len()).filter(|&p| chosen[p].is_some()) {
            match parent[pos] {
                NONE => roots.push(pos),
                p => kids[p].push(pos),
            }
        }
        roots.sort_unstable_by(|a, b| key(*a).cmp(&key(*b)));
        for list in &mut kids {
            list.sort_unstable_by(|a, b| key(*a).cmp(&key(*b)));
        }

        let mut order: Vec<usize> = Vec::with_capacity(chosen.len());
        let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
        while let Some(pos) = stack.pop() {
            order.push(pos);
            stack.extend(kids[pos].iter().rev());
        }

        let id = |pos: usize| self.articles[pos].id.clone();
        let ids = |list: &[usize]| list.iter().map(|&p| id(p)).collect::<Vec<_>>();
        NavTree {
            roots: ids(&roots),
            children: kids
                .iter()
                .enumerate()
                .filter(|(_, list)| !list.is_empty())
                .map(|(pos, list)| (id(pos), ids(list)))
                .collect(),
            parent: parent.iter().enumerate().filter(|(_, &p)| p != NONE).map(|(pos, &p)| (id(pos), id(p))).collect(),
            position: order.iter().enumerate().map(|(i, &pos)| (id(pos), i)).collect(),
            order: ids(&order),
        }
    }
}
