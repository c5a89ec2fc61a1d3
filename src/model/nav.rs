//! The nav tree of one version, from `parent` and `order`.

use std::collections::{BTreeMap, HashMap};

use super::{Article, ArticleId, PerVersion, VersionId, VersionView};
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

/// Builds the tree of `view` (built version number `vi`); problems go into `per`.
pub fn build(
    view: &VersionView,
    vi: usize,
    articles: &BTreeMap<ArticleId, Article>,
    aliases: &BTreeMap<String, ArticleId>,
    files: &[ArticleFile],
    per: &mut PerVersion,
    built_ids: &[&VersionId],
) -> NavTree {
    let mut parent: HashMap<ArticleId, ArticleId> = HashMap::new();
    for page in view.pages.values() {
        let Some(p) = &page.parent else { continue };
        let f = &files[page.file];
        let line = Some(f.front.line_of("parent"));
        let target = if articles.contains_key(p) { Some(p.clone()) } else { aliases.get(p.as_str()).cloned() };
        match target {
            None => per.error(f.path.clone(), line, vi, format!("unknown parent '{p}': no article has that slug")),
            Some(t) if t == page.id => per.error(f.path.clone(), line, vi, format!("'{}' is its own parent", page.id)),
            Some(t) if !view.pages.contains_key(&t) => {
                let a = &articles[&t];
                let ids: Vec<&VersionId> = built_ids.to_vec();
                per.error(
                    f.path.clone(),
                    line,
                    vi,
                    format!(
                        "parent '{t}' is not in this version (it exists in {})",
                        super::describe_ranges(&ids, &a.presence)
                    ),
                );
            }
            Some(t) => {
                parent.insert(page.id.clone(), t);
            }
        }
    }

    // Break cycles deterministically: report each page on a cycle, then detach the
    // cycle's smallest slug from its parent.
    let ids: Vec<&ArticleId> = view.pages.keys().collect();
    for start in ids {
        let mut chain: Vec<ArticleId> = vec![start.clone()];
        let mut cur = parent.get(start).cloned();
        while let Some(c) = cur {
            if let Some(pos) = chain.iter().position(|x| *x == c) {
                let cycle: Vec<ArticleId> = chain[pos..].to_vec();
                let mut text: Vec<String> = cycle.iter().map(|a| a.to_string()).collect();
                text.push(cycle[0].to_string());
                for member in &cycle {
                    let f = &files[view.pages[member].file];
                    per.error(
                        f.path.clone(),
                        Some(f.front.line_of("parent")),
                        vi,
                        format!("parent cycle: {}", text.join(" -> ")),
                    );
                }
                let smallest = cycle.iter().min().expect("a cycle has members").clone();
                parent.remove(&smallest);
                break;
            }
            chain.push(c.clone());
            cur = parent.get(&c).cloned();
        }
    }

    let sort_key = |id: &ArticleId| {
        let p = &view.pages[id];
        (p.order.is_none(), p.order.unwrap_or(0), p.title.to_lowercase(), id.clone())
    };
    let mut children: HashMap<ArticleId, Vec<ArticleId>> = HashMap::new();
    let mut roots = Vec::new();
    for id in view.pages.keys() {
        match parent.get(id) {
            Some(p) => children.entry(p.clone()).or_default().push(id.clone()),
            None => roots.push(id.clone()),
        }
    }
    roots.sort_by_cached_key(sort_key);
    for list in children.values_mut() {
        list.sort_by_cached_key(sort_key);
    }

    let mut order = Vec::with_capacity(view.pages.len());
    let mut stack: Vec<&ArticleId> = roots.iter().rev().collect();
    while let Some(id) = stack.pop() {
        order.push(id.clone());
        if let Some(kids) = children.get(id) {
            stack.extend(kids.iter().rev());
        }
    }
    let position = order.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect();
    NavTree { roots, children, parent, order, position }
}
