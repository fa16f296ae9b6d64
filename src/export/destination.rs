//! Where an export goes: a regular file (written atomically, its mode kept), or a character
//! device or pipe (`/dev/null`, `/dev/stdout`, `>(…)`) written directly, never replaced by a
//! file; with notes for the user when the result deserves a word.

use crate::atomic_file::write_atomically_deciding;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` and returns notes for the user (empty when there is nothing to
/// say). `private`: the bytes hold contact details.
pub fn write_export(path: &Path, bytes: &[u8], private: bool) -> io::Result<Vec<String>> {
    write_export_with(path, |out| {
        out.write_all(bytes)?;
        Ok(private)
    })
}

/// Like [`write_export`], with the content written by `fill`, which says once done whether it
/// wrote contact details. A regular file is still replaced whole or not at all.
pub fn write_export_with<E>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<bool, E>,
) -> Result<Vec<String>, E>
where
    E: From<io::Error>,
{
    match fs::metadata(path) {
        Ok(meta) if is_stream(&meta) => {
            let mut target = OpenOptions::new().write(true).open(path)?;
            fill(&mut target)?;
            target.flush()?;
            Ok(Vec::new())
        }
        Ok(meta) if !meta.is_file() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{}: it is {}; give a file name, a character device or a pipe",
                path.display(),
                crate::files::kind_of(&meta)
            ),
        )
        .into()),
        found => {
            let target = through_links(path);
            let links = links_of(found.as_ref().ok());
            let mut private = false;
            write_atomically_deciding(&target, |file| {
                private = fill(file)?;
                Ok::<bool, E>(private)
            })?;
            let mut notes = Vec::new();
            if links > 1 {
                notes.push(format!(
                    "{} had {} hard links: it was replaced by a new file, and the other {} still hold the old content",
                    target.display(),
                    links,
                    links - 1
                ));
            }
            if private && readable_by_others(&target) {
                notes.push(format!(
                    "{} holds contact details and is readable by other users (its permissions were kept); `chmod 600` it if they should not read it",
                    target.display()
                ));
            }
            Ok(notes)
        }
    }
}

/// Character devices and pipes: written to, never replaced.
fn is_stream(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        t.is_char_device() || t.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// The file a symbolic link leads to, so that the link stays a link; `path` itself otherwise.
fn through_links(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.to_path_buf()
    }
}

fn links_of(meta: Option<&fs::Metadata>) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.map(|m| m.nlink()).unwrap_or(0)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o044 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_character_device_is_written_not_replaced() {
        // /dev/null exists on every unix; writing to it is harmless, replacing it is not.
        let notes = write_export(Path::new("/dev/null"), b"contacts", true).unwrap();
        assert!(notes.is_empty());
        let meta = fs::metadata("/dev/null").unwrap();
        assert!(is_stream(&meta), "/dev/null is still a device");
    }

    #[test]
    fn a_link_to_a_file_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.csv");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_export(&link, b"new", false).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&target).unwrap(), b"new");
    }

    #[test]
    fn contacts_in_a_file_others_can_read_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.csv");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let notes = write_export(&path, b"new", true).unwrap();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("readable by other users"), "{notes:?}");
        let quiet = write_export(&path, b"new", false).unwrap();
        assert!(quiet.is_empty(), "{quiet:?}");
    }

    #[test]
    fn broken_hard_links_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        fs::write(&path, "old").unwrap();
        fs::hard_link(&path, dir.path().join("b.csv")).unwrap();
        let notes = write_export(&path, b"new", false).unwrap();
        assert!(
            notes.iter().any(|n| n.contains("2 hard links")),
            "{notes:?}"
        );
        assert_eq!(fs::read(dir.path().join("b.csv")).unwrap(), b"old");
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_export(dir.path(), b"x", false).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
    }
}
