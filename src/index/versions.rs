//! The manual's table of the versions each term is in, which search reads to offer
//! matches in other versions.

use super::*;

/// The manual's table of the versions each term is in: what the runtime reads, and only
/// when a query finds nothing (or lacks a word) in the reader's version, to say which
/// other versions have those words and search there (see `search.js`, `elsewhere`).
/// Written once per site, under `assets/search/`:
///
/// ```text
/// x.js      __S.x({"v":ID,"versions":[[path,label],…],"b":[lower bound of each shard]})
/// x<k>.js   __S.xt(ID,k,"term\nterm…","sets\nsets…")
/// ```
///
/// Only terms missing from at least one version are listed (a term in every version is
/// in the reader's). A term's set is a list of runs of versions (their positions in
/// `versions`, oldest first), each as two [`shard::push_number`] numbers: the gap since
/// the previous run's end and the run's length. Terms are sorted and sharded as in the
/// version indexes; shards are requested as `x<k>.js?v=ID`.
#[derive(Default)]
pub struct VersionTable {
    versions: Vec<(String, String)>,
    /// Per version, its distinct term numbers in the [`Vocab`], sorted.
    terms: Vec<Vec<u32>>,
}

impl VersionTable {
    /// Adds the next version (oldest first) with its documents, interned into the
    /// vocabulary that [`VersionTable::files`] will get.
    pub fn add(&mut self, path: &str, label: &str, docs: &[&PreparedDoc]) {
        assert!(docs.iter().all(|d| d.terms.interned), "documents interned");
        let mut ids: Vec<u32> = docs.iter().flat_map(|d| d.terms.terms.iter().map(|t| t.0)).collect();
        ids.sort_unstable();
        ids.dedup();
        self.versions.push((path.to_string(), label.to_string()));
        self.terms.push(ids);
    }

    /// The files, paths relative to the folder they go in; the same bytes for the same
    /// versions and documents. `vocab` must be sealed since the last document interned.
    pub fn files(&self, vocab: &Vocab) -> Vec<(String, Vec<u8>)> {
        assert!(vocab.is_sealed(), "a sealed vocabulary");
        let nv = self.versions.len() as u32;
        let mut sets: Vec<Vec<u32>> = vec![Vec::new(); vocab.terms.len()];
        for (vi, ids) in self.terms.iter().enumerate() {
            for &t in ids {
                sets[t as usize].push(vi as u32);
            }
        }
        let mut entries: Vec<(u32, String)> = sets
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_empty() && (s.len() as u32) < nv)
            .map(|(t, s)| {
                let mut enc = String::new();
                let mut end = 0;
                let mut i = 0;
                while i < s.len() {
                    let mut j = i + 1;
                    while j < s.len() && s[j] == s[j - 1] + 1 {
                        j += 1;
                    }
                    shard::push_number(&mut enc, s[i] - end);
                    shard::push_number(&mut enc, (j - i) as u32);
                    end = s[j - 1] + 1;
                    i = j;
                }
                (t as u32, enc)
            })
            .collect();
        entries.sort_unstable_by_key(|e| vocab.rank[e.0 as usize]);
        let costs: Vec<usize> =
            entries.iter().map(|(t, e)| vocab.escaped[*t as usize].len() + 2 + e.len() + 2).collect();
        let ranges = shard::split(&costs, SHARD_TARGET);
        let term = |i: usize| &*vocab.terms[entries[i].0 as usize];
        let bounds: Vec<String> = ranges
            .iter()
            .enumerate()
            .map(|(k, r)| {
                js_string(&if k == 0 { String::new() } else { shard::bound(term(r.start - 1), term(r.start)) })
            })
            .collect();
        let bodies: Vec<String> = ranges
            .iter()
            .map(|r| {
                let terms: Vec<&str> = entries[r.clone()].iter().map(|e| &*vocab.escaped[e.0 as usize]).collect();
                let sets: Vec<&str> = entries[r.clone()].iter().map(|e| e.1.as_str()).collect();
                format!("\"{}\",\"{}\"", terms.join("\\n"), sets.join("\\n"))
            })
            .collect();
        let versions: Vec<String> =
            self.versions.iter().map(|(p, l)| format!("[{},{}]", js_string(p), js_string(l))).collect();
        let mut hash = Sha256::new();
        hash.update(INDEX_FORMAT.as_bytes());
        hash.update(versions.join(",").as_bytes());
        for b in &bodies {
            hash.update([0]);
            hash.update(b.as_bytes());
        }
        let id = js_string(&hash.finalize()[..8].iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        }));
        let mut files = vec![(
            "x.js".to_string(),
            format!("__S.x({{\"v\":{id},\"versions\":[{}],\"b\":[{}]}});\n", versions.join(","), bounds.join(","))
                .into_bytes(),
        )];
        for (k, body) in bodies.iter().enumerate() {
            files.push((format!("x{k}.js"), format!("__S.xt({id},{k},{body});\n").into_bytes()));
        }
        files
    }
}
