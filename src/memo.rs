//! Answers remembered across threads: a catalog repeats the same disease, modality and
//! expertise strings thousands of times, and working each out again is most of the cost of
//! reading a large catalog.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;

/// Remembers what a pure function gave for each key, up to a bound (so that odd data cannot
/// grow it without end: when full it starts over).
#[derive(Debug)]
pub struct Memo<K, V> {
    bound: usize,
    known: RwLock<HashMap<K, V>>,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    /// An empty memo that keeps at most `bound` answers.
    pub fn new(bound: usize) -> Self {
        Memo {
            bound,
            known: RwLock::new(HashMap::new()),
        }
    }

    /// The answer for `key`: remembered, else `work()` (remembered from now on).
    pub fn get_or(&self, key: K, work: impl FnOnce() -> V) -> V {
        if let Ok(known) = self.known.read() {
            if let Some(found) = known.get(&key) {
                return found.clone();
            }
        }
        let found = work();
        if let Ok(mut known) = self.known.write() {
            if known.len() >= self.bound {
                known.clear();
            }
            known.insert(key, found.clone());
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn each_key_is_worked_out_once_until_the_bound_is_reached() {
        let memo: Memo<String, usize> = Memo::new(2);
        let calls = Cell::new(0);
        let length = |s: &str| {
            calls.set(calls.get() + 1);
            s.len()
        };
        assert_eq!(memo.get_or("膵がん".into(), || length("膵がん")), 9);
        assert_eq!(memo.get_or("膵がん".into(), || length("膵がん")), 9);
        assert_eq!(calls.get(), 1);
        memo.get_or("AML".into(), || length("AML"));
        // Full: the third key starts it over, so the first is worked out again.
        memo.get_or("WGS".into(), || length("WGS"));
        assert_eq!(memo.get_or("膵がん".into(), || length("膵がん")), 9);
        assert_eq!(calls.get(), 4);
    }
}
