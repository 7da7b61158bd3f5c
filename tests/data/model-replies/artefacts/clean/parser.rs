//! Parsing of key-value lines.
//!
//! ```rust
//! let pairs = kv::parse("a=1\nb=2");
//! assert_eq!(pairs.len(), 2);
//! ```

use std::collections::HashMap;

pub trait Source {
    fn read(&self) -> String;
    fn name(&self) -> &str {
        "unnamed"
    }
}

/// Parses `key=value` lines; other lines are skipped.
pub fn parse(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

pub fn range_sum(n: u32) -> u32 {
    (0..=n).sum()
}
