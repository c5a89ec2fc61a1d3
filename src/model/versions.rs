//! The product versions from `versions/*.yaml`: names, labels, folders, status and
//! order, checked.

use crate::diag::{Diagnostics, Location};

use super::*;

pub(super) fn describe_known(versions: &[Version]) -> String {
    match (versions.first(), versions.last()) {
        (Some(a), Some(b)) if a.id != b.id => format!("{}..{}", a.id, b.id),
        (Some(a), _) => a.id.to_string(),
        _ => "none".to_string(),
    }
}

pub(super) fn build_versions(vfiles: &[crate::load::VersionFile], diags: &mut Diagnostics) -> Vec<Version> {
    let mut versions: Vec<Version> = Vec::new();
    for vf in vfiles {
        let name = vf.name.trim();
        if name.is_empty() || !is_safe_segment(name) {
            diags.error(
                Location::file(&vf.path),
                format!("version name '{name}' (the file stem) may contain only letters, digits, '.', '-' and '_'"),
            );
            continue;
        }
        let spec = &vf.spec;
        let path = spec.path.clone().unwrap_or_else(|| format!("v{name}"));
        if spec.url.is_none() && (!is_safe_segment(&path) || RESERVED_PATHS.contains(&path.as_str())) {
            diags.error(
                Location::file(&vf.path),
                format!(
                    "output path '{path}' must be one folder name of letters, digits, '.', '-' and '_' inside the output folder (and not one of {})",
                    RESERVED_PATHS.join(", ")
                ),
            );
            continue;
        }
        let status = spec.status.clone().unwrap_or_default();
        if !status.is_empty() && !["current", "supported", "archived"].contains(&status.as_str()) {
            diags.error(
                Location::file(&vf.path),
                format!("status '{status}' must be one of current, supported, archived"),
            );
        }
        versions.push(Version {
            id: VersionId::new(name),
            label: spec.label.clone().unwrap_or_else(|| format!("v{name}")),
            path,
            released: spec.released.clone(),
            status,
            url: spec.url.clone(),
            file: vf.path.clone(),
        });
    }
    versions.sort_by(|a, b| a.id.cmp(&b.id));
    // `1.0`, `1.00` and `01.0` are one version number: ranges, `since` and `@` suffixes
    // could not tell them apart.
    for pair in versions.windows(2) {
        if pair[0].id.same_number(&pair[1].id) {
            diags.error(
                Location::file(&pair[1].file),
                format!(
                    "version '{}' is the same version number as '{}' ({}): rename or remove one",
                    pair[1].id,
                    pair[0].id,
                    pair[0].file.display()
                ),
            );
        }
    }
    let mut seen_paths: HashMap<String, PathBuf> = HashMap::new();
    for v in &versions {
        if !v.is_built() {
            continue;
        }
        if let Some(other) = seen_paths.insert(v.path.clone(), v.file.clone()) {
            diags.error(
                Location::file(&v.file),
                format!("output path '{}' is also used by {}", v.path, other.display()),
            );
        }
    }
    let latest = versions.iter().rev().find(|v| v.is_built()).map(|v| v.id.clone());
    for v in &mut versions {
        if v.status.is_empty() {
            v.status = if Some(&v.id) == latest.as_ref() || !v.is_built() { "current" } else { "archived" }.to_string();
        }
    }
    if !versions.iter().any(|v| v.is_built()) && !vfiles.is_empty() {
        diags.error(Location::file("versions"), "no version to build: every version has a 'url'");
    }
    versions
}
