//! Newtype ids: [`VersionId`] orders numerically by dotted parts, [`ArticleId`] is a
//! slug, [`BodyId`] is a position among the model's distinct sources.

use std::cmp::Ordering;
use std::fmt;

/// Output folder names folio uses itself at the top of the site.
pub const RESERVED_PATHS: &[&str] = &["assets", "media", "index.html", "versions.json", "sitemap.xml", "404.html"];

/// A product version name such as `24.3`. Orders by its dotted parts as numbers, so
/// 9.1 < 13.1 < 13.10; parts that are not numbers compare as text after numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VersionId(String);

impl VersionId {
    pub fn new(name: impl Into<String>) -> Self {
        VersionId(name.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `self` and `other` name the same version number (`1.0`, `1.00`, `01.0`
    /// and `1-0` all do), whether or not they are spelled alike.
    pub fn same_number(&self, other: &VersionId) -> bool {
        self.parts().eq(other.parts())
    }

    fn parts(&self) -> impl Iterator<Item = Part<'_>> {
        self.0.split(['.', '-', '_']).map(|p| match p.parse::<u64>() {
            Ok(n) => Part::Num(n),
            Err(_) => Part::Text(p),
        })
    }
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Part<'a> {
    Num(u64),
    Text(&'a str),
}

impl Ord for VersionId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts().cmp(other.parts()).then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for VersionId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for VersionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An article's slug: the file stem before any `@`, unique across the manual.
///
/// Shared, not copied: every version's pages, nav tree and link tables hold the ids of
/// all their articles, so a clone is a reference count, not a new string (at 10,000
/// articles x 30 versions that is millions of clones).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(std::sync::Arc<str>);

impl ArticleId {
    pub fn new(slug: impl Into<String>) -> Self {
        ArticleId(std::sync::Arc::from(slug.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Lookups by `&str` without allocating; consistent with the derived `Ord` on the String.
impl std::borrow::Borrow<str> for ArticleId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `s` is safe as a slug or output folder name: one path segment of letters,
/// digits, `-`, `_` and `.`, not starting with a dot (so it can never leave its folder).
pub fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.len() <= 200
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

/// Position of one distinct resolved source in the model's `Site::bodies`. Everything
/// kept per body (rendered HTML, search documents, where a fragment was written) is a
/// vector aligned with it and indexed by it, never by a bare position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BodyId(pub usize);

impl BodyId {
    /// The position, for vectors aligned with the bodies.
    pub fn index(self) -> usize {
        self.0
    }
}

impl<T> std::ops::Index<BodyId> for [T] {
    type Output = T;
    fn index(&self, id: BodyId) -> &T {
        &self[id.0]
    }
}

impl<T> std::ops::IndexMut<BodyId> for [T] {
    fn index_mut(&mut self, id: BodyId) -> &mut T {
        &mut self[id.0]
    }
}

impl<T> std::ops::Index<BodyId> for Vec<T> {
    type Output = T;
    fn index(&self, id: BodyId) -> &T {
        &self[id.0]
    }
}

impl<T> std::ops::IndexMut<BodyId> for Vec<T> {
    fn index_mut(&mut self, id: BodyId) -> &mut T {
        &mut self[id.0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_numerically() {
        let mut v: Vec<VersionId> =
            ["13.10", "9.1", "13.1", "24.3", "13.2"].iter().map(|s| VersionId::new(*s)).collect();
        v.sort();
        let names: Vec<&str> = v.iter().map(|v| v.as_str()).collect();
        assert_eq!(names, ["9.1", "13.1", "13.2", "13.10", "24.3"]);
    }

    #[test]
    fn safe_segments() {
        assert!(is_safe_segment("manual243"));
        assert!(is_safe_segment("v24.3"));
        assert!(!is_safe_segment(".."));
        assert!(!is_safe_segment("a/b"));
        assert!(!is_safe_segment("a b"));
        assert!(!is_safe_segment(""));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn name() -> impl Strategy<Value = String> {
        "[0-9]{1,3}([.\\-_][0-9a-z]{1,3}){0,3}"
    }

    proptest! {
        /// Version names are totally ordered: the order is antisymmetric and
        /// transitive, equal only for the same name, and `same_number` holds exactly
        /// when the dotted parts compare equal.
        #[test]
        fn version_name_order_is_total_and_consistent(a in name(), b in name(), c in name()) {
            let (x, y, z) = (VersionId::new(a.as_str()), VersionId::new(b.as_str()), VersionId::new(c.as_str()));
            prop_assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
            prop_assert_eq!(x.cmp(&y) == Ordering::Equal, a == b);
            if x <= y && y <= z {
                prop_assert!(x <= z);
            }
            prop_assert_eq!(x.same_number(&y), x.parts().cmp(y.parts()) == Ordering::Equal);
        }

        /// Dotted numbers compare as numbers, part by part, whatever their zero padding.
        #[test]
        fn version_names_compare_as_numbers(a in 0u32..10_000, b in 0u32..10_000, minor in 0u32..100, pad in 0usize..3) {
            let x = VersionId::new(format!("{a}.{minor}").as_str());
            let y = VersionId::new(format!("{b}.{minor}").as_str());
            prop_assert_eq!(x.parts().cmp(y.parts()), a.cmp(&b));
            let padded = VersionId::new(format!("{}{a}.{minor}", "0".repeat(pad)).as_str());
            prop_assert!(padded.same_number(&x));
        }
    }
}
