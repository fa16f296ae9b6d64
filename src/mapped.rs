//! Files of an index generation read in place: mapped into memory instead of copied into a
//! buffer. Reading the match candidates and the catalog snapshot of a million records into
//! buffers cost 700 MB of fresh pages, and zeroing them was most of a match's time.

use std::fs::File;
use std::io;
use std::ops::{Deref, Range};
use std::path::Path;

/// The bytes of one file: mapped, or read into memory when the file cannot be mapped.
pub enum FileBytes {
    /// The mapping, and the file it maps (read directly by [`FileBytes::u64_at`]).
    Mapped(memmap2::Mmap, File),
    Read(Vec<u8>),
}

impl Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(map, _) => map,
            FileBytes::Read(bytes) => bytes,
        }
    }
}

impl FileBytes {
    /// Lets the pages of `range` go once they are read through: a mapping drops them from
    /// this process (they stay in the page cache, and come back from it should they be read
    /// again), so that reading a whole file once does not leave it all resident. Bytes read
    /// into a buffer stay.
    pub fn release(&self, range: Range<usize>) {
        #[cfg(unix)]
        if let FileBytes::Mapped(map, _) = self {
            if range.start < range.end && range.end <= map.len() {
                // SAFETY: the file is never modified while it exists (see
                // `read_generation_file`) and the mapping is shared and read-only, so pages
                // dropped are read again from the file, byte for byte the same, when next
                // touched: no reference into the mapping sees a change.
                let _ = unsafe {
                    map.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        range.start,
                        range.len(),
                    )
                };
            }
        }
        #[cfg(not(unix))]
        let _ = range;
    }

    /// The little-endian number in the 8 bytes at `at`. A mapped file is read directly
    /// (`pread`), not through the mapping: on Linux one touch of a mapped page can make a
    /// large part of the file resident, and reading every chunk's header of a snapshot so
    /// once made all 400 MB of it resident at a million records.
    pub fn u64_at(&self, at: usize) -> Option<u64> {
        match self {
            #[cfg(unix)]
            FileBytes::Mapped(map, file) => {
                use std::os::unix::fs::FileExt;
                let mut bytes = [0u8; 8];
                let end = at.checked_add(8)?;
                (end <= map.len()).then_some(())?;
                file.read_exact_at(&mut bytes, at as u64).ok()?;
                Some(u64::from_le_bytes(bytes))
            }
            _ => crate::chunked::u64_in(self, at),
        }
    }
}

/// The bytes of a file of an index generation.
///
/// Only for files that are never changed once written: a generation's files are written
/// under another name, renamed into place, and removed whole, never rewritten, so a mapping
/// cannot see them change (a removed file stays readable while it is mapped).
pub fn read_generation_file(path: &Path) -> io::Result<FileBytes> {
    let file = File::open(path)?;
    if file.metadata()?.len() == 0 {
        return Ok(FileBytes::Read(Vec::new()));
    }
    // SAFETY: the file is never modified or truncated while it exists (see above), which is
    // what makes reading a mapping as a byte slice sound.
    match unsafe { memmap2::Mmap::map(&file) } {
        Ok(map) => Ok(FileBytes::Mapped(map, file)),
        Err(_) => std::fs::read(path).map(FileBytes::Read),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_as_its_bytes_empty_or_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f.bin");
        std::fs::write(&path, "膵がん\0bytes").expect("written");
        assert_eq!(
            &*read_generation_file(&path).expect("read"),
            "膵がん\0bytes".as_bytes()
        );
        std::fs::write(&path, "").expect("written");
        assert!(read_generation_file(&path).expect("read").is_empty());
        assert!(read_generation_file(&dir.path().join("missing")).is_err());
        // Pages let go of read back the same.
        let bytes: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        std::fs::write(&path, &bytes).expect("written");
        let mapped = read_generation_file(&path).expect("read");
        assert_eq!(&*mapped, bytes.as_slice());
        mapped.release(4_096..600_000);
        mapped.release(700_000..bytes.len() + 1);
        assert_eq!(&*mapped, bytes.as_slice());
        for at in [0, 4, 4_093, 799_992] {
            let expected = crate::chunked::u64_in(&bytes, at);
            assert!(expected.is_some());
            assert_eq!(mapped.u64_at(at), expected, "{at}");
        }
        assert_eq!(mapped.u64_at(799_993), None);
        assert_eq!(mapped.u64_at(usize::MAX - 3), None);
    }
}
