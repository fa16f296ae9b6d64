//! The texts the as-you-type fuzzy scan reads of each record (its id, title and English
//! title) and its kind, copied side by side into large blocks: the first keystrokes read
//! nearly every record, and reading their texts in a row is faster than following each
//! record's own strings around the heap.

use crate::model::{Kind, Record};
use rayon::prelude::*;

/// Records per block (blocks are made in parallel).
const BLOCK: usize = 4_096;

/// The texts a record is found by fuzzily, in the order the scan reads them.
pub const TEXTS: usize = 3;

/// Every record's fuzzy-scanned texts, by position in the app's records.
#[derive(Debug, Default)]
pub struct Haystack {
    blocks: Vec<Block>,
}

/// The texts of up to [`BLOCK`] records, one after another; `ends[TEXTS * r + t]` is where
/// text `t` of the block's record `r` ends (and the next begins). Their kinds beside.
#[derive(Debug, Default)]
struct Block {
    text: String,
    ends: Vec<usize>,
    kinds: Vec<Kind>,
    /// Each record's [`ascii_mask`] of its texts together.
    masks: Vec<u128>,
}

impl Haystack {
    /// The texts of `records`, in their order.
    pub fn of(records: &[Record]) -> Haystack {
        Haystack {
            blocks: records.par_chunks(BLOCK).map(Block::of).collect(),
        }
    }

    /// The id, title (a need without one: the start of its text) and English title of the
    /// record at `at`; an absent text is empty.
    pub fn texts(&self, at: u32) -> Option<[&str; TEXTS]> {
        let at = at as usize;
        let block = self.blocks.get(at / BLOCK)?;
        let first = (at % BLOCK) * TEXTS;
        let mut start = match first.checked_sub(1) {
            Some(before) => *block.ends.get(before)?,
            None => 0,
        };
        let mut texts = [""; TEXTS];
        for (t, text) in texts.iter_mut().enumerate() {
            let end = *block.ends.get(first + t)?;
            *text = block.text.get(start..end)?;
            start = end;
        }
        Some(texts)
    }

    /// Whether the texts of the record at `at` have every ASCII character of `mask` (an
    /// [`ascii_mask`]) in either case: a record without one cannot match a query of them.
    pub fn may_hold(&self, at: u32, mask: u128) -> bool {
        let at = at as usize;
        self.blocks
            .get(at / BLOCK)
            .and_then(|block| block.masks.get(at % BLOCK))
            .is_some_and(|held| held & mask == mask)
    }

    /// The kind of the record at `at`.
    pub fn kind(&self, at: u32) -> Option<Kind> {
        let at = at as usize;
        self.blocks.get(at / BLOCK)?.kinds.get(at % BLOCK).copied()
    }
}

impl Block {
    fn of(records: &[Record]) -> Block {
        let mut block = Block {
            text: String::new(),
            ends: Vec::with_capacity(records.len() * TEXTS),
            kinds: Vec::with_capacity(records.len()),
            masks: Vec::with_capacity(records.len()),
        };
        for record in records {
            block.kinds.push(record.kind());
            let title = record.title_text();
            let mut mask = 0;
            for text in [record.id(), title.as_ref(), record.title_en().unwrap_or("")] {
                block.text.push_str(text);
                block.ends.push(block.text.len());
                mask |= ascii_mask(text.bytes());
            }
            block.masks.push(mask);
        }
        block.text.shrink_to_fit();
        block
    }
}

/// The ASCII characters among `bytes`, one bit each, letters in lower case (the fuzzy
/// matcher compares ASCII letters in either case); other characters leave no bit.
pub fn ascii_mask(bytes: impl IntoIterator<Item = u8>) -> u128 {
    bytes
        .into_iter()
        .filter(u8::is_ascii)
        .fold(0, |mask, b| mask | 1u128 << b.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_gives_back_its_own_texts() {
        let catalog = crate::synthetic::catalog(BLOCK * 2 + 17, 3);
        let records: Vec<Record> = catalog.records().collect();
        let haystack = Haystack::of(&records);
        let mut with_english = 0;
        for (at, record) in (0u32..).zip(&records) {
            let title = record.title_text();
            let expected = [record.id(), title.as_ref(), record.title_en().unwrap_or("")];
            assert_eq!(haystack.texts(at), Some(expected), "record {at}");
            assert_eq!(haystack.kind(at), Some(record.kind()), "record {at}");
            with_english += usize::from(!expected[2].is_empty());
            // Every ASCII character of its texts, in either case, and nothing else.
            for b in 0..128u8 {
                let held = expected
                    .iter()
                    .any(|t| t.bytes().any(|c| c.eq_ignore_ascii_case(&b)));
                assert_eq!(
                    haystack.may_hold(at, ascii_mask([b])),
                    held,
                    "record {at}, {:?}",
                    char::from(b)
                );
            }
        }
        assert!(with_english > 100, "some records have English titles");
        let past = u32::try_from(records.len()).expect("fits");
        assert_eq!(haystack.texts(past), None);
        assert_eq!(haystack.kind(past), None);
        assert!(!haystack.may_hold(past, 0));
        assert_eq!(ascii_mask("aA膵".bytes()), 1 << b'a');
        assert_eq!(Haystack::of(&[]).texts(0), None);
    }
}
