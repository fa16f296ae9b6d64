//! Files of an index generation read in place: mapped into memory instead of copied into a
//! buffer. Reading the match candidates and the catalog snapshot of a million records into
//! buffers cost 700 MB of fresh pages, and zeroing them was most of a match's time.

use std::fs::File;
use std::io;
use std::ops::Deref;
use std::path::Path;

/// The bytes of one file: mapped, or read into memory when the file cannot be mapped.
pub enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(map) => map,
            FileBytes::Read(bytes) => bytes,
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
        Ok(map) => Ok(FileBytes::Mapped(map)),
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
    }
}
