//! folio: a static site generator for versioned product manuals.
//!
//! The pipeline: [`load`] reads the source tree, [`model`] resolves every version,
//! [`render`] turns Markdown into pages, [`index`] builds the search index per version,
//! [`write`] writes the output, [`diff`] compares versions.

pub mod cli;
pub mod diag;
pub mod diff;
pub mod import;
pub mod index;
pub mod load;
pub mod model;
pub mod render;
pub mod serve;
pub mod write;
