//! folio: a static site generator for versioned product manuals.
//!
//! The folders are the pipeline: [`load`] reads the source tree, [`model`] resolves
//! every version, [`render`] turns Markdown into pages, [`index`] builds the search
//! index per version, [`diff`] compares versions, [`engine`] runs them into a site
//! (the one build behind `build`, `check` and `serve`), and [`write`] is the only code
//! that touches the output. Beside them: [`serve`] (the preview server), [`import`]
//! (manuals from elsewhere), and [`cmd`], the command line, which nothing below imports.

pub mod cmd;
pub mod diag;
pub mod diff;
pub mod engine;
pub mod error;
pub mod ids;
pub mod import;
pub mod index;
pub mod load;
pub mod model;
pub mod render;
pub mod serve;
pub mod write;
