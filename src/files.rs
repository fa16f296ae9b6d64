//! Reading files other people hand us (settings, vocabulary, data files): regular files only
//! (or links to one), never more than a stated size. A named pipe or a device is refused from
//! its metadata, before it is opened, so it can neither hang musubi nor fill its memory.

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Largest settings file read (`config.toml`).
pub const SETTINGS_LIMIT: u64 = 1 << 20;
/// Largest user vocabulary read (a data directory's `vocabulary.toml`).
pub const VOCABULARY_LIMIT: u64 = 64 << 20;
/// Largest data file read.
pub const DATA_FILE_LIMIT: u64 = 1 << 30;

/// What a non-regular file is, in words.
pub fn kind_of(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else if meta.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// `1 MiB`, `64 MiB`, `1 GiB`, `512 bytes`.
pub fn size_in_words(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

fn not_regular(meta: &Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{}, not a regular file: musubi reads only regular files (or links to one)",
            kind_of(meta)
        ),
    )
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "larger than {}, the most musubi reads from such a file",
            size_in_words(limit)
        ),
    )
}

/// Opens `path` for reading without blocking on a pipe (the file type is checked again on
/// the open file, in case it was replaced after its metadata was read).
fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

/// Reads the whole of `path` when it is a regular file (or a link to one) of at most `limit`
/// bytes. Errors keep their kind (`NotFound` for a missing file) and say what was wrong
/// without repeating the path, which callers put in front.
pub fn read_capped(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    let file = open_regular(path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while being read (or reports no size, as in /proc) stops at the limit.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// The SHA-256 of what [`read_capped`] would read of `path`, read a block at a time and
/// never held whole; the same errors.
pub fn sha256_capped(path: &Path, limit: u64) -> io::Result<[u8; 32]> {
    use sha2::Digest;
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    let mut file = open_regular(path)?.take(limit + 1);
    let mut hasher = sha2::Sha256::new();
    let mut block = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let read = match file.read(&mut block) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += read as u64;
        hasher.update(&block[..read]);
    }
    if total > limit {
        return Err(too_large(limit));
    }
    Ok(hasher.finalize().into())
}

/// Like [`read_capped`], for UTF-8 text.
pub fn read_text_capped(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read_capped(path, limit)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "not UTF-8 text (save it as UTF-8)",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, "no_color = true\n").unwrap();
        assert_eq!(
            read_text_capped(&path, SETTINGS_LIMIT).unwrap(),
            "no_color = true\n"
        );
    }

    #[test]
    fn a_missing_file_keeps_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_capped(&dir.path().join("none"), 10).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_naming_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        fs::write(&path, vec![b'x'; 2048]).unwrap();
        let err = read_capped(&path, 1024).unwrap_err();
        assert!(err.to_string().contains("larger than 1 KiB"), "{err}");
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_capped(dir.path(), 1024).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a directory, not a regular file"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_before_reading() {
        // /dev/zero would fill memory if read to the end.
        let err = read_capped(Path::new("/dev/zero"), SETTINGS_LIMIT).unwrap_err();
        assert!(err.to_string().starts_with("a character device"), "{err}");
    }

    #[test]
    fn a_digest_read_a_block_at_a_time_is_that_of_the_whole_file() {
        use sha2::Digest;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("datasets.jsonl");
        // Over two blocks, and not a whole number of them.
        let bytes: Vec<u8> = (0..(5 << 19) + 7).map(|i| (i * 31 % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let whole: [u8; 32] =
            sha2::Sha256::digest(read_capped(&path, DATA_FILE_LIMIT).unwrap()).into();
        assert_eq!(sha256_capped(&path, DATA_FILE_LIMIT).unwrap(), whole);
        let err = sha256_capped(&path, 1024).unwrap_err();
        assert!(err.to_string().contains("larger than 1 KiB"), "{err}");
        let err = sha256_capped(dir.path(), 1024).unwrap_err();
        assert!(err.to_string().starts_with("a directory"), "{err}");
        #[cfg(unix)]
        {
            let err = sha256_capped(Path::new("/dev/zero"), SETTINGS_LIMIT).unwrap_err();
            assert!(err.to_string().starts_with("a character device"), "{err}");
        }
    }

    #[test]
    fn sizes_read_as_words() {
        assert_eq!(size_in_words(1 << 20), "1 MiB");
        assert_eq!(size_in_words(1 << 30), "1 GiB");
        assert_eq!(size_in_words(1000), "1000 bytes");
    }
}
