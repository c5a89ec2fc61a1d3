//! Posting encoding and the split of the sorted dictionary into shards.
//!
//! A term's postings are one entry per document, in doc id order: the id delta as a
//! variable-length number, then one weight character. Both use the 64-character
//! alphabet [`ALPHABET`], which needs no escaping inside a JS string.
//!
//! * Number: base-32 digits, most significant first; every digit but the last is
//!   written as `ALPHABET[32 + d]`, the last as `ALPHABET[d]`.
//! * Weight: `ALPHABET[title << 5 | heading << 4 | body]`, where `body` (0–15) is the
//!   BM25 term-frequency part for the body text, quantized (see [`body_weight`]).

use std::cmp::Ordering;
use std::ops::Range;

/// The digit alphabet of postings (base64url order).
pub const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// BM25 `k1`; the runtime scales `body / 15` back by `k1 + 1`.
pub const K1: f64 = 1.2;
/// BM25 length normalization `b`.
pub const B: f64 = 0.75;

/// Appends `v` as a variable-length number.
pub fn push_number(out: &mut String, mut v: u32) {
    let mut digits = [0u8; 7];
    let mut n = 0;
    loop {
        digits[n] = (v % 32) as u8;
        n += 1;
        v /= 32;
        if v == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let d = digits[i] + if i > 0 { 32 } else { 0 };
        out.push(ALPHABET[d as usize] as char);
    }
}

/// The weight character of a posting.
pub fn weight_char(title: bool, heading: bool, body: u8) -> char {
    let v = (u8::from(title) << 5) | (u8::from(heading) << 4) | body.min(15);
    ALPHABET[v as usize] as char
}

/// BM25's term-frequency part, `tf·(k1+1) / (tf + k1·(1 − b + b·len/avg_len))`,
/// quantized to 0–15 of `k1 + 1`; any occurrence is at least 1.
pub fn body_weight(tf: u32, len: u32, avg_len: f64) -> u8 {
    if tf == 0 {
        return 0;
    }
    let tf = f64::from(tf);
    let norm = 1.0 - B + B * f64::from(len) / avg_len.max(1.0);
    let part = tf * (K1 + 1.0) / (tf + K1 * norm);
    ((part / (K1 + 1.0) * 15.0).round() as u8).clamp(1, 15)
}

/// Orders strings by UTF-16 code units, as JavaScript's `<` does, so the runtime's
/// binary search over shard bounds agrees with the build's sort.
pub fn js_cmp(a: &str, b: &str) -> Ordering {
    // UTF-8 byte order is code point order, which is UTF-16 order except between a
    // character from U+E000..U+FFFF and one above U+FFFF (lead bytes 0xEE..0xF4).
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match x.iter().zip(y).position(|(p, q)| p != q) {
        None => x.len().cmp(&y.len()),
        Some(i) if x[i] < 0xEE && y[i] < 0xEE => x[i].cmp(&y[i]),
        Some(_) => a.encode_utf16().cmp(b.encode_utf16()),
    }
}

/// Splits entries (sorted terms, given by their size in bytes in the shard file)
/// into consecutive ranges of at most `target` bytes each; an entry larger than
/// `target` gets a shard of its own. Every entry is in exactly one range.
pub fn split(costs: &[usize], target: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, &cost) in costs.iter().enumerate() {
        if size > 0 && size + cost > target {
            ranges.push(start..i);
            start = i;
            size = 0;
        }
        size += cost;
    }
    if start < costs.len() {
        ranges.push(start..costs.len());
    }
    ranges
}

/// The shortest prefix of `first` that still sorts after `prev`: the lower bound of
/// a shard whose first term is `first`, following a shard that ends with `prev`.
pub fn bound(prev: &str, first: &str) -> String {
    let mut out = String::new();
    for c in first.chars() {
        out.push(c);
        if js_cmp(&out, prev) == Ordering::Greater {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_cmp_matches_utf16_order() {
        let words = [
            "a",
            "ab",
            "b",
            "é",
            "z",
            "\u{e000}",
            "\u{ffff}",
            "\u{10000}",
            "\u{1f600}x",
            "\u{1f600}",
            "ax\u{e001}",
            "ax\u{10001}",
            "",
        ];
        for a in words {
            for b in words {
                assert_eq!(js_cmp(a, b), a.encode_utf16().cmp(b.encode_utf16()), "{a:?} {b:?}");
            }
        }
    }

    fn decode_number(s: &[u8]) -> (u32, usize) {
        let mut v = 0;
        for (i, &c) in s.iter().enumerate() {
            let d = ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
            if d >= 32 {
                v = v * 32 + d - 32;
            } else {
                return (v * 32 + d, i + 1);
            }
        }
        panic!("unterminated number");
    }

    #[test]
    fn numbers_round_trip() {
        for v in [0, 1, 31, 32, 33, 1023, 1024, 65_535, 1_000_000, u32::MAX] {
            let mut s = String::new();
            push_number(&mut s, v);
            assert_eq!(decode_number(s.as_bytes()), (v, s.len()), "{v}");
        }
        let mut s = String::new();
        push_number(&mut s, 5);
        assert_eq!(s, "F");
    }

    #[test]
    fn weights_pack_flags_and_body() {
        assert_eq!(weight_char(false, false, 1), 'B');
        assert_eq!(weight_char(true, false, 0), 'g');
        assert_eq!(weight_char(true, true, 15), '_');
        assert_eq!(body_weight(0, 100, 100.0), 0);
        assert!(body_weight(1, 100, 100.0) >= 1);
        assert!(body_weight(10, 100, 100.0) > body_weight(1, 100, 100.0));
        assert!(body_weight(3, 50, 100.0) > body_weight(3, 400, 100.0));
        assert_eq!(body_weight(1000, 1, 100.0), 15);
    }

    #[test]
    fn js_order_is_utf16_order() {
        // U+FF5E sorts after U+1F600 in UTF-8 order but before it in UTF-16
        assert_eq!(js_cmp("\u{1F600}", "\u{FF5E}"), Ordering::Less);
        assert_eq!(js_cmp("ab", "abc"), Ordering::Less);
    }

    #[test]
    fn split_bounds_sizes_and_covers_every_entry_once() {
        let costs: Vec<usize> = (0..1000).map(|i| 5 + i % 97).collect();
        let ranges = split(&costs, 2000);
        let mut next = 0;
        for r in &ranges {
            assert_eq!(r.start, next);
            assert!(!r.is_empty());
            let size: usize = costs[r.clone()].iter().sum();
            assert!(size <= 2000, "{size}");
            next = r.end;
        }
        assert_eq!(next, costs.len());
        assert!(ranges.len() >= costs.iter().sum::<usize>() / 2000);
        assert_eq!(split(&costs, 2000), ranges);
    }

    #[test]
    fn oversized_entry_gets_its_own_shard() {
        assert_eq!(split(&[3, 50, 3], 20), vec![0..1, 1..2, 2..3]);
        assert!(split(&[], 20).is_empty());
    }

    #[test]
    fn bounds_are_short_and_separate() {
        assert_eq!(bound("apple", "banana"), "b");
        assert_eq!(bound("print", "printer"), "printe");
        assert_eq!(bound("abc", "abd"), "abd");
    }
}
