//! One article from its files (base and revisions): front matter checked, presence
//! across versions; and the aliases of every article.

use std::collections::{BTreeMap, HashMap};

use crate::diag::{Diagnostics, Location};
use crate::load::ArticleFile;

use super::*;

pub(super) fn build_article(
    slug: &str,
    idxs: &[usize],
    files: &[ArticleFile],
    known: &HashMap<&str, &Version>,
    built: &[&Version],
    diags: &mut Diagnostics,
) -> Option<Article> {
    let mut base: Option<usize> = None;
    let mut revs: BTreeMap<VersionId, usize> = BTreeMap::new();
    let mut ok = true;
    for &i in idxs {
        let f = &files[i];
        match &f.at {
            None => match base {
                None => base = Some(i),
                Some(b) => {
                    diags.error(
                        Location::file(&f.path),
                        format!("duplicate slug '{slug}': also defined by {}", files[b].path.display()),
                    );
                    ok = false;
                }
            },
            Some(v) => {
                if !known.contains_key(v.as_str()) {
                    diags.error(
                        Location::file(&f.path),
                        format!("unknown version '{v}' after '@' in the file name (no versions/{v}.yaml)"),
                    );
                    ok = false;
                    continue;
                }
                match revs.get(&VersionId::new(v.as_str())) {
                    Some(&other) => {
                        diags.error(
                            Location::file(&f.path),
                            format!(
                                "duplicate revision of '{slug}' for version {v}: also {}",
                                files[other].path.display()
                            ),
                        );
                        ok = false;
                    }
                    None => {
                        revs.insert(VersionId::new(v.as_str()), i);
                    }
                }
            }
        }
    }

    // Article-level keys must agree between files.
    let mut since: Option<(String, usize)> = None;
    let mut until: Option<(String, usize)> = None;
    let mut aliases: Option<(Vec<String>, usize)> = None;
    for &i in idxs {
        let f = &files[i];
        for (key, val, slot) in [("since", &f.front.since, &mut since), ("until", &f.front.until, &mut until)] {
            let Some(val) = val else { continue };
            if !known.contains_key(val.as_str()) {
                diags.error(
                    Location::line(&f.path, f.front.line_of(key)),
                    format!("unknown version '{val}' in '{key}' (no versions/{val}.yaml)"),
                );
                ok = false;
                continue;
            }
            match slot {
                None => *slot = Some((val.clone(), i)),
                Some((other, oi)) if other != val => {
                    diags.error(
                        Location::line(&f.path, f.front.line_of(key)),
                        format!(
                            "'{key}: {val}' disagrees with '{key}: {other}' in {}; '{key}' belongs to the whole article",
                            files[*oi].path.display()
                        ),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
        if let Some(list) = &f.front.aliases {
            let mut sorted = list.clone();
            sorted.sort();
            sorted.dedup();
            match &aliases {
                None => aliases = Some((sorted, i)),
                Some((other, oi)) if *other != sorted => {
                    diags.error(
                        Location::line(&f.path, f.front.line_of("aliases")),
                        format!(
                            "'aliases' disagree with those in {}; 'aliases' belong to the whole article",
                            files[*oi].path.display()
                        ),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
    }
    let since_id = since.as_ref().map(|(s, _)| VersionId::new(s.as_str()));
    let until_id = until.as_ref().map(|(s, _)| VersionId::new(s.as_str()));
    if let (Some(s), Some(u)) = (&since_id, &until_id) {
        if s > u {
            let (_, fi) = until.as_ref().expect("until is set");
            diags.error(
                Location::line(&files[*fi].path, files[*fi].front.line_of("until")),
                format!("'until: {u}' is before 'since: {s}'"),
            );
            ok = false;
        }
    }
    for (v, &i) in &revs {
        let f = &files[i];
        if since_id.as_ref().is_some_and(|s| v < s) {
            diags.error(
                Location::file(&f.path),
                format!(
                    "revision for {v} starts before the article exists (since {})",
                    since_id.as_ref().expect("checked")
                ),
            );
            ok = false;
        }
        if until_id.as_ref().is_some_and(|u| v > u) {
            diags.error(
                Location::file(&f.path),
                format!(
                    "revision for {v} starts after the article ends (until {})",
                    until_id.as_ref().expect("checked")
                ),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let mut ordered: Vec<usize> = base.into_iter().collect();
    ordered.extend(revs.values().copied());
    if let Some(first) = ordered.first().map(|&i| &files[i]) {
        if first.front.removed {
            diags.warning(
                Location::line(&first.path, first.front.line_of("removed")),
                format!(
                    "'removed: true' in the first file of '{slug}': the article has no page until a later revision brings it back"
                ),
            );
        }
    }
    Some(Article {
        id: ArticleId::new(slug),
        files: ordered,
        since: since_id,
        until: until_id,
        aliases: aliases.map(|(a, _)| a).unwrap_or_default(),
        presence: vec![false; built.len()],
    })
}

pub(super) fn build_aliases(
    articles: &BTreeMap<ArticleId, Article>,
    files: &[ArticleFile],
    built_ids: &[&VersionId],
    diags: &mut Diagnostics,
) -> BTreeMap<String, ArticleId> {
    let mut out: BTreeMap<String, ArticleId> = BTreeMap::new();
    for a in articles.values() {
        let file_of_aliases =
            a.files.iter().map(|&i| &files[i]).find(|f| f.front.aliases.is_some()).unwrap_or(&files[a.files[0]]);
        let loc = Location::line(&file_of_aliases.path, file_of_aliases.front.line_of("aliases"));
        for alias in &a.aliases {
            if !is_safe_segment(alias) || RESERVED_SLUGS.contains(&alias.as_str()) {
                diags.error(
                    loc.clone(),
                    format!(
                        "alias '{alias}' may contain only letters, digits, '-', '_' and '.', and may not be {}",
                        RESERVED_SLUGS.join(", ")
                    ),
                );
                continue;
            }
            if alias == a.id.as_str() {
                diags.error(loc.clone(), format!("alias '{alias}' is the article's own slug"));
                continue;
            }
            // An alias may name an older article that has ended (a rename across
            // versions), but the two may not exist in the same version: the redirect
            // page would replace the article.
            if let Some(other) = articles.get(&ArticleId::new(alias.as_str())) {
                let both: Vec<bool> = a.presence.iter().zip(&other.presence).map(|(x, y)| *x && *y).collect();
                if both.iter().any(|b| *b) {
                    diags.error(
                        loc.clone(),
                        format!(
                            "alias '{alias}' is also the slug of an article that exists in the same versions ({})",
                            describe_ranges(built_ids, &both)
                        ),
                    );
                    continue;
                }
            }
            if let Some(other) = out.get(alias) {
                diags.error(loc.clone(), format!("alias '{alias}' is also an alias of '{other}'"));
                continue;
            }
            out.insert(alias.clone(), a.id.clone());
        }
    }
    out
}
