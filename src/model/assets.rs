//! Images and attachments across versions: asset revisions.
//!
//! An asset is a non-Markdown file under `articles/`. `images/x@24.3.png` is a revision
//! of the asset `images/x.png` that applies from version 24.3 until the next revision of
//! the same asset starts; `images/x.png` itself (the base) applies from the first version.
//! The part after the last `@` (before the extension) makes a revision only when it names
//! a defined version; otherwise the file is an ordinary asset of that literal name
//! (`logo@2x.png`). This module decides which file of each asset applies in each built
//! version ([`Media::revised`]) and which files hold the same bytes as an earlier revision
//! of their asset, so that those are not written again ([`Media::written_as`]).

use std::collections::{BTreeMap, HashMap};

use crate::diag::{Diagnostics, Location};
use crate::load::{asset_revision_names, AssetFile};

use super::{Version, VersionId};

/// An asset with at least one revision file.
#[derive(Debug, Clone, PartialEq)]
pub struct Revised {
    /// The base path under `articles/` ("images/x.png"): what Markdown links to.
    pub rel: String,
    /// Its files (indexes into [`super::Site::assets`]) with the version each starts at
    /// (`None`: the base), in the order they apply.
    pub files: Vec<(Option<VersionId>, usize)>,
    /// For each built version: the file in force there (index into
    /// [`super::Site::assets`]); `None` before the first revision of an asset without base.
    pub in_version: Vec<Option<usize>>,
}

/// What the model knows about assets beyond the list of files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Media {
    /// For each file of [`super::Site::assets`]: the file whose bytes are written for it
    /// under `media/`: itself, or an earlier revision of the same asset with the same
    /// bytes.
    pub written_as: Vec<usize>,
    /// Assets with revisions, by base path.
    pub revised: BTreeMap<String, Revised>,
}

impl Media {
    /// Whether Markdown links render the same way with `self` as with `other` (the same
    /// assets have revisions and every file's bytes are written at the same place); which
    /// revision each version shows is decided per page, not when rendering.
    pub fn same_links(&self, other: &Media) -> bool {
        self.written_as == other.written_as && self.revised.keys().eq(other.revised.keys())
    }
}

/// Groups the asset files into assets and their revisions. `versions` are all defined
/// versions; `built` the built ones, oldest first. Two files for the same asset and
/// version are an error in `diags` (the later file is left out of the asset); as version
/// names that differ never compare equal, this is a safeguard.
pub fn build(assets: &[AssetFile], versions: &[Version], built: &[&Version], diags: &mut Diagnostics) -> Media {
    let known: HashMap<&str, &VersionId> = versions.iter().map(|v| (v.id.as_str(), &v.id)).collect();
    let index: HashMap<&str, usize> = assets.iter().enumerate().map(|(i, a)| (a.rel.as_str(), i)).collect();
    // Base path -> (start version, file), the base (if any) under `None`.
    let mut groups: BTreeMap<String, BTreeMap<Option<VersionId>, usize>> = BTreeMap::new();
    for (i, a) in assets.iter().enumerate() {
        let Some((base, version)) =
            asset_revision_names(&a.rel).into_iter().find_map(|(b, v)| known.get(v.as_str()).map(|id| (b, *id)))
        else {
            continue;
        };
        let slot = groups.entry(base).or_default();
        match slot.get(&Some(version.clone())) {
            Some(&other) => diags.error(
                Location::file(format!("articles/{}", a.rel)),
                format!(
                    "duplicate revision of '{}' for version {version}: also articles/{}",
                    asset_base(&a.rel, version),
                    assets[other].rel
                ),
            ),
            None => {
                slot.insert(Some(version.clone()), i);
            }
        }
    }
    let mut written_as: Vec<usize> = (0..assets.len()).collect();
    let mut revised = BTreeMap::new();
    for (rel, mut files) in groups {
        if let Some(&base) = index.get(rel.as_str()) {
            files.insert(None, base);
        }
        // `None` sorts first: the base, then revisions by version.
        let files: Vec<(Option<VersionId>, usize)> = files.into_iter().collect();
        for (k, &(_, fi)) in files.iter().enumerate() {
            let same =
                files[..k].iter().find(|(_, e)| assets[*e].digest.is_some() && assets[*e].digest == assets[fi].digest);
            if let Some(&(_, earlier)) = same {
                written_as[fi] = written_as[earlier];
            }
        }
        let in_version = built
            .iter()
            .map(|v| files.iter().rev().find(|(since, _)| since.as_ref().is_none_or(|s| *s <= v.id)).map(|(_, f)| *f))
            .collect();
        revised.insert(rel.clone(), Revised { rel, files, in_version });
    }
    Media { written_as, revised }
}

/// The base path of revision file `rel` for `version` (for messages).
fn asset_base(rel: &str, version: &VersionId) -> String {
    asset_revision_names(rel)
        .into_iter()
        .find(|(_, v)| v == version.as_str())
        .map(|(b, _)| b)
        .unwrap_or_else(|| rel.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn version(name: &str) -> Version {
        Version {
            id: VersionId::new(name),
            label: format!("v{name}"),
            path: format!("v{name}"),
            released: None,
            status: "archived".into(),
            url: None,
            file: PathBuf::from(format!("versions/{name}.yaml")),
        }
    }

    fn file(rel: &str, bytes: u8) -> AssetFile {
        AssetFile { rel: rel.into(), abs: PathBuf::from(rel), digest: Some([bytes; 32]) }
    }

    #[test]
    fn revisions_apply_from_their_version_and_identical_bytes_are_written_once() {
        let versions: Vec<Version> = ["1.0", "2.0", "3.0", "4.0"].iter().map(|v| version(v)).collect();
        let built: Vec<&Version> = versions.iter().collect();
        let assets = vec![
            file("img/only@3.0.png", 9),
            file("img/x.png", 1),
            file("img/x@2.0.png", 2),
            file("img/x@3.0.png", 1),
            AssetFile { rel: "logo@2x.png".into(), abs: PathBuf::new(), digest: Some([5; 32]) },
            AssetFile { rel: "plain.pdf".into(), abs: PathBuf::new(), digest: None },
        ];
        let mut diags = Diagnostics::new();
        let m = build(&assets, &versions, &built, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        assert_eq!(m.revised.keys().collect::<Vec<_>>(), ["img/only.png", "img/x.png"]);
        assert_eq!(m.revised["img/x.png"].in_version, [Some(1), Some(2), Some(3), Some(3)]);
        assert_eq!(m.revised["img/only.png"].in_version, [None, None, Some(0), Some(0)]);
        // x@3.0 has the base's bytes: the base's file stands for it.
        assert_eq!(m.written_as, [0, 1, 2, 1, 4, 5]);
    }
}
