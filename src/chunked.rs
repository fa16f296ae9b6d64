//! Files of many records in postcard chunks, read back on every core: a section is the number
//! of items, then chunks of (item count, byte length, items). Chunks are found in one quick
//! pass and decoded in parallel, so a million records decode in a fraction of the time one
//! stream would take. Everything is checked: a short, long or damaged section reads as `None`.

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::{self, Write};

/// Items per chunk when a whole slice is written at once.
pub const CHUNK: usize = 16_384;

/// Writes one section of `total` items, a chunk at a time.
pub struct SectionWriter<'a> {
    out: &'a mut dyn Write,
    left: usize,
    scratch: Vec<u8>,
}

impl<'a> SectionWriter<'a> {
    /// Starts a section that will hold `total` items.
    pub fn start(out: &'a mut dyn Write, total: usize) -> io::Result<SectionWriter<'a>> {
        out.write_all(&(total as u64).to_le_bytes())?;
        Ok(SectionWriter {
            out,
            left: total,
            scratch: Vec::new(),
        })
    }

    /// Writes the next chunk of items.
    pub fn chunk<T: Serialize>(&mut self, items: &[T]) -> io::Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        if items.len() > self.left {
            return Err(io::Error::other(
                "more items than the section was started with",
            ));
        }
        self.scratch.clear();
        for item in items {
            self.scratch = postcard::to_extend(item, std::mem::take(&mut self.scratch))
                .map_err(io::Error::other)?;
        }
        write_chunk(self.out, items.len(), &self.scratch)?;
        self.left -= items.len();
        Ok(())
    }

    /// Ends the section; an error when fewer items were written than announced.
    pub fn finish(self) -> io::Result<()> {
        if self.left == 0 {
            Ok(())
        } else {
            Err(io::Error::other(
                "fewer items than the section was started with",
            ))
        }
    }
}

/// Writes one chunk: `count` items already encoded one after another in `encoded`.
pub fn write_chunk(out: &mut dyn Write, count: usize, encoded: &[u8]) -> io::Result<()> {
    out.write_all(&(count as u64).to_le_bytes())?;
    out.write_all(&(encoded.len() as u64).to_le_bytes())?;
    out.write_all(encoded)
}

/// Writes a whole slice as one section.
pub fn write_section<T: Serialize>(out: &mut dyn Write, items: &[T]) -> io::Result<()> {
    write_section_in(out, items, CHUNK)
}

/// Writes a whole slice as one section in chunks of `chunk` items (smaller chunks cost a
/// reader who wants one item less to decode; see [`SectionMap`]).
pub fn write_section_in<T: Serialize>(
    out: &mut dyn Write,
    items: &[T],
    chunk: usize,
) -> io::Result<()> {
    let mut section = SectionWriter::start(out, items.len())?;
    for chunk in items.chunks(chunk.max(1)) {
        section.chunk(chunk)?;
    }
    section.finish()
}

/// The little-endian number in the 8 bytes at `at`, if they are there.
pub fn u64_in(bytes: &[u8], at: usize) -> Option<u64> {
    let (head, _) = bytes.get(at..)?.split_first_chunk::<8>()?;
    Some(u64::from_le_bytes(*head))
}

/// One chunk of a section: which items it holds and where its bytes lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkAt {
    /// The position of its first item in the section.
    pub first: usize,
    /// How many items it holds (at least one).
    pub count: usize,
    /// Where its bytes start and end, counted from the start of the buffer mapped.
    pub start: usize,
    pub end: usize,
}

/// Where the chunks of one section lie, found without decoding any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionMap {
    /// How many items the section holds.
    pub total: usize,
    pub chunks: Vec<ChunkAt>,
}

impl SectionMap {
    /// Maps the section that starts `at` bytes into `whole` and moves `at` past it; `None`
    /// when it is not a whole, well-formed section (its items are checked only when decoded).
    pub fn find(whole: &[u8], at: &mut usize) -> Option<SectionMap> {
        SectionMap::find_in(whole.len(), &|from| u64_in(whole, from), at)
    }

    /// [`SectionMap::find`] in `len` bytes read only through `u64_at` (the number at a
    /// position), which reads just the chunks' headers: a mapped file's other pages are
    /// never touched.
    pub fn find_in(
        len: usize,
        u64_at: &dyn Fn(usize) -> Option<u64>,
        at: &mut usize,
    ) -> Option<SectionMap> {
        let mut next = *at;
        let take = |next: &mut usize| -> Option<usize> {
            let value = usize::try_from(u64_at(*next)?).ok()?;
            *next = next.checked_add(8).filter(|&n| n <= len)?;
            Some(value)
        };
        let total = take(&mut next)?;
        let mut chunks: Vec<ChunkAt> = Vec::new();
        let mut counted = 0usize;
        while counted < total {
            let count = take(&mut next)?;
            let length = take(&mut next)?;
            if count == 0 || length > len - next {
                return None;
            }
            chunks.push(ChunkAt {
                first: counted,
                count,
                start: next,
                end: next + length,
            });
            next += length;
            counted = counted.checked_add(count)?;
        }
        if counted != total {
            return None;
        }
        *at = next;
        Some(SectionMap { total, chunks })
    }

    /// The index in `chunks` of the chunk holding item `item`.
    pub fn chunk_of(&self, item: usize) -> Option<usize> {
        let c = self.chunks.partition_point(|c| c.first + c.count <= item);
        (c < self.chunks.len()).then_some(c)
    }
}

/// Decodes the `count` items of one chunk's bytes; `None` unless they are exactly that.
pub fn decode_chunk<T: DeserializeOwned>(mut chunk: &[u8], count: usize) -> Option<Vec<T>> {
    let mut items = Vec::with_capacity(count.min(CHUNK));
    for _ in 0..count {
        let (item, rest) = postcard::take_from_bytes::<T>(chunk).ok()?;
        chunk = rest;
        items.push(item);
    }
    chunk.is_empty().then_some(items)
}

/// Reads the section at the front of `bytes` (and moves past it), decoding its chunks on
/// every core; `None` when it is not a whole, well-formed section of `T`.
pub fn read_section<T: DeserializeOwned + Send>(bytes: &mut &[u8]) -> Option<Vec<T>> {
    let whole = *bytes;
    let mut at = 0;
    let map = SectionMap::find(whole, &mut at)?;
    let decoded: Vec<Vec<T>> = map
        .chunks
        .par_iter()
        .map(|c| decode_chunk(&whole[c.start..c.end], c.count))
        .collect::<Option<_>>()?;
    *bytes = &whole[at..];
    let mut all = Vec::with_capacity(map.total);
    for chunk in decoded {
        all.extend(chunk);
    }
    Some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section_of(items: &[String]) -> Vec<u8> {
        let mut out = Vec::new();
        write_section(&mut out, items).expect("written to memory");
        out
    }

    #[test]
    fn sections_read_back_as_written_across_chunks() {
        let items: Vec<String> = (0..CHUNK * 2 + 7).map(|i| format!("膵がん {i}")).collect();
        let mut bytes = section_of(&items);
        bytes.extend(section_of(&[]));
        let mut rest = bytes.as_slice();
        assert_eq!(read_section::<String>(&mut rest), Some(items));
        assert_eq!(read_section::<String>(&mut rest), Some(Vec::new()));
        assert!(rest.is_empty());
    }

    #[test]
    fn a_short_or_damaged_section_reads_as_none() {
        let items: Vec<String> = (0..100).map(|i| format!("DS{i}")).collect();
        let bytes = section_of(&items);
        for cut in [0, 7, 8, 20, bytes.len() - 1] {
            assert_eq!(
                read_section::<String>(&mut &bytes[..cut]),
                None,
                "cut at {cut}"
            );
        }
        // A chunk that holds fewer items than it says.
        let mut lying = bytes.clone();
        lying[8] += 1;
        assert_eq!(read_section::<String>(&mut lying.as_slice()), None);
        // Items of another type.
        assert_eq!(read_section::<(u64, u64)>(&mut bytes.as_slice()), None);
    }

    #[test]
    fn a_section_maps_to_its_chunks_and_each_decodes_alone() {
        let items: Vec<String> = (0..1000).map(|i| format!("肺 {i}")).collect();
        let mut bytes = b"head".to_vec();
        write_section_in(&mut bytes, &items, 300).expect("written to memory");
        let mut at = 4;
        let map = SectionMap::find(&bytes, &mut at).expect("a section");
        assert_eq!(at, bytes.len());
        assert_eq!(map.total, 1000);
        let counts: Vec<usize> = map.chunks.iter().map(|c| c.count).collect();
        assert_eq!(counts, vec![300, 300, 300, 100]);
        for (item, expected) in [(0, 0), (299, 0), (300, 1), (999, 3)] {
            assert_eq!(map.chunk_of(item), Some(expected), "item {item}");
        }
        assert_eq!(map.chunk_of(1000), None);
        let third = map.chunks[2];
        let decoded: Vec<String> =
            decode_chunk(&bytes[third.start..third.end], third.count).expect("decodes");
        assert_eq!(decoded, items[600..900]);
        assert_eq!(
            decode_chunk::<String>(&bytes[third.start..third.end - 1], third.count),
            None
        );
        let mut cut = 4;
        assert_eq!(SectionMap::find(&bytes[..bytes.len() - 1], &mut cut), None);
        assert_eq!(cut, 4, "a failed find leaves the position");
    }

    #[test]
    fn a_writer_refuses_more_or_fewer_items_than_announced() {
        let mut out = Vec::new();
        let mut section = SectionWriter::start(&mut out, 2).expect("started");
        assert!(section.chunk(&["a", "b", "c"]).is_err());
        section.chunk(&["a"]).expect("one of two");
        assert!(section.finish().is_err());
    }
}
