//! `folio new DIR`: a starter manual that builds.

use std::path::Path;

use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

const STARTER: &[(&str, &str)] = &[
    (
        "manual.yaml",
        "title: My Product Manual\nhome: welcome\n\
         # The manual's identity, all optional (docs/SPEC.md, \"manual.yaml\"):\n\
         # logo: branding/logo.svg\n\
         # favicon: branding/favicon.svg\n\
         # footer:\n\
         #   text: \"(c) 2026 Example Inc.\"\n\
         #   links:\n\
         #     - text: Support\n\
         #       url: https://example.com/support\n\
         # edit_url: https://git.example.com/manual/edit/main/{path}\n",
    ),
    ("versions/1.0.yaml", "label: v1.0\npath: v1.0\nreleased: 2025-01-15\nstatus: supported\n"),
    ("versions/2.0.yaml", "label: v2.0\npath: v2.0\nreleased: 2025-09-01\nstatus: current\n"),
    (
        "articles/welcome.md",
        "---\ntitle: Welcome\norder: 1\n---\n\nThis is the manual's start page. Read [Installing](install.md) first, then\n[Getting started](guide/getting-started.md).\n",
    ),
    (
        "articles/install.md",
        "---\ntitle: Installing\norder: 2\nkeywords: [setup, requirements]\n---\n\n## Requirements {#requirements}\n\nA computer with 4 GB of memory.\n\n<!-- only ..1.0 -->\n> **Note:** version 1.0 also needs the legacy runtime.\n<!-- /only -->\n\n## Steps\n\n1. Download the installer.\n2. Run it and follow the prompts.\n",
    ),
    (
        "articles/guide/getting-started.md",
        "---\ntitle: Getting started\nparent: welcome\n---\n\nOpen the program and create your first project. See the\n[requirements](../install.md#requirements) if it does not start.\n",
    ),
    (
        "articles/guide/getting-started@2.0.md",
        "---\ntitle: Getting started\nparent: welcome\n---\n\nVersion 2.0 opens on the project list: click **New project**. See the\n[requirements](../install.md#requirements) if it does not start.\n",
    ),
];

/// `folio new DIR`: a starter manual that builds.
pub fn new_manual(dir: &Path) -> i32 {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        eprintln!("error: {} exists and is not empty; choose a new folder", dir.display());
        return EXIT_USAGE;
    }
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                eprintln!("error: {}: {e}", parent.display());
                return EXIT_CONTENT;
            }
        }
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: {}: {e}", path.display());
            return EXIT_CONTENT;
        }
    }
    eprintln!("created a starter manual in {}; build it with: folio build --root {}", dir.display(), dir.display());
    EXIT_OK
}
