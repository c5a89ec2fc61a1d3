//! The errors that stop a command, as opposed to problems in the manual's content,
//! which are collected and reported together ([`crate::diag`]).

use std::io;
use std::path::{Path, PathBuf};

/// Why a command stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file or folder failed.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// What the command was asked cannot be done as asked: an unknown version, an
    /// output folder folio must not replace, a root that is not a folder.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The error of an IO failure at `path`.
    pub fn io(path: &Path, source: io::Error) -> Error {
        Error::Io { path: path.to_path_buf(), source }
    }
}
