//! `folio debug-terms` (hidden): the search index's terms of each word read from stdin,
//! one line per word, to check the runtime's tokenizer and stemmer (`terms.js`) against
//! the index's.

use std::io::Read;

use super::{EXIT_CONTENT, EXIT_OK};

/// Reads stdin and prints each word's terms.
pub fn terms() -> i32 {
    let mut input = String::new();
    match std::io::stdin().read_to_string(&mut input) {
        Ok(_) => {
            print!("{}", crate::index::tokenize::debug_terms(&input));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot read stdin: {e}");
            EXIT_CONTENT
        }
    }
}
