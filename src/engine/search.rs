//! Search documents: one per rendered body (its file fixes slug, title and keywords),
//! prepared for the index of every version that shows the body.

use crate::error::Error;
use crate::index;
use crate::model::{BodyId, Site};
use crate::render::RenderedBody;
use crate::write::Sink;

/// The search document of `site.bodies[bi]` without its sections: the body's file fixes
/// slug, title and keywords, so one document serves every version that shows the body.
pub(super) fn search_doc(site: &Site, bi: BodyId) -> index::SearchDoc {
    let f = &site.files[site.bodies[bi].file];
    index::SearchDoc {
        url: format!("{}.html", f.slug),
        title: f.front.title.clone().unwrap_or_default(),
        keywords: f.front.keywords.clone(),
        sections: Vec::new(),
    }
}

/// What the search document of `site.bodies[bi]` is made of, owned so that it can be
/// prepared on another thread: the document without its sections, and the body's HTML
/// (`None` when the body has no rendering).
pub fn search_source(site: &Site, bodies: &[Option<RenderedBody>], bi: BodyId) -> Option<(index::SearchDoc, String)> {
    let r = bodies.get(bi.index())?.as_ref()?;
    Some((search_doc(site, bi), r.html.clone()))
}

/// Prepares a search document from what [`search_source`] returned, as a full build does.
pub fn prepare_search_doc(mut doc: index::SearchDoc, html: &str) -> index::PreparedDoc {
    doc.sections = index::extract_sections(html);
    index::prepare(&doc)
}

/// Where version folder `vpath` keeps the fragment of its `n`-th document.
pub(super) fn fragment_path(vpath: &str, n: usize) -> String {
    format!("{vpath}/search/f/{n}.js")
}

/// Writes the index files of version folder `vpath` (meta and term shards; not the
/// fragments) from its prepared documents in reading order; returns the files written.
pub(super) fn write_index(
    o: &Sink,
    vpath: &str,
    docs: &[&index::PreparedDoc],
    vocab: &index::Vocab,
) -> Result<Vec<String>, Error> {
    let mut files = Vec::new();
    for (rel, bytes) in index::build_prepared(docs, vocab).into_files() {
        let rel = format!("{vpath}/{rel}");
        o.write(&rel, &bytes)?;
        files.push(rel);
    }
    Ok(files)
}
