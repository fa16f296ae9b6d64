//! Atomic file writes, for exports, the index store and state files: a temporary file in the
//! target's directory, then a rename, so readers never see a half-written file and a failed
//! write leaves the old file as it was.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Writes `bytes` to `path` atomically. `private`: the file is readable by its owner only
/// (0600 on unix; others get 0644). Fails, creating nothing, when the directory is missing.
pub fn write_atomically(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    write_atomically_with(path, private, |file| file.write_all(bytes))
}

/// Like [`write_atomically`], with the content written by `fill`; if `fill` fails, the
/// temporary file is removed and `path` is left untouched. An existing file keeps its
/// permissions (the owner chose them); a new one gets 0600 when `private`, else 0644.
///
/// The temporary file is named `.musubi-<pid>-<random>.tmp` (owner-only while written);
/// ones left by processes that no longer run (`kill -9`) are removed first.
pub fn write_atomically_with<F>(path: &Path, private: bool, fill: F) -> io::Result<()>
where
    F: FnOnce(&mut File) -> io::Result<()>,
{
    write_atomically_deciding(path, |file| {
        fill(file).map(|()| private).map_err(without_temporary_path)
    })
}

/// Like [`write_atomically_with`], with `fill` telling once it is done whether what it wrote
/// is private (an export learns whether it holds contact details as it writes them). Its
/// errors are returned as they are.
pub fn write_atomically_deciding<F, E>(path: &Path, fill: F) -> Result<(), E>
where
    F: FnOnce(&mut File) -> Result<bool, E>,
    E: From<io::Error>,
{
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.file_name().is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} does not name a file", path.display()),
        )
        .into());
    }
    remove_dead_temporaries(dir);
    let existing_mode = existing_mode(path);
    let _unfinished = Unfinished::track(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(without_temporary_path)?;
    let private = fill(tmp.as_file_mut())?;
    tmp.as_file_mut().flush().map_err(without_temporary_path)?;
    tmp.as_file().sync_all().map_err(without_temporary_path)?;
    set_mode(tmp.as_file(), existing_mode, private)?;
    tmp.persist(path)
        .map_err(|e| without_temporary_path(e.error))?;
    sync_dir(dir);
    Ok(())
}

/// The error without the temporary file's path that `tempfile` appends (`… at path
/// "/dir/.musubi-1-x.tmp"`): callers name the destination, and the temporary file is gone.
fn without_temporary_path(error: io::Error) -> io::Error {
    let text = error.to_string();
    match text.find(" at path \"") {
        Some(at) if text[at..].contains(TEMP_PREFIX) => {
            io::Error::new(error.kind(), text[..at].to_string())
        }
        _ => error,
    }
}

/// The directories of the atomic writes under way (once per write), for
/// [`remove_unfinished`].
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A write under way into a directory, listed in [`UNFINISHED`] while it lives. It is listed
/// before its temporary file is made, so that no temporary file of this process exists
/// unlisted.
struct Unfinished(PathBuf);

impl Unfinished {
    fn track(dir: &Path) -> Unfinished {
        unfinished().push(dir.to_path_buf());
        Unfinished(dir.to_path_buf())
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        let mut list = unfinished();
        if let Some(at) = list.iter().position(|p| *p == self.0) {
            list.swap_remove(at);
        }
    }
}

/// The list, even should a thread have panicked while holding it (it stays a list of paths).
fn unfinished() -> MutexGuard<'static, Vec<PathBuf>> {
    UNFINISHED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes this process's temporary files of the atomic writes under way, and keeps new
/// ones from starting while the returned guard lives: a signal is about to end the program
/// ([`crate::termination`]), and an export stopped halfway must not leave a hidden copy of
/// its rows (contact details among them) where it was to be written. The files they were to
/// replace stay as they were. A write that was about to finish fails instead (its temporary
/// file is gone) and waits for the guard.
#[must_use = "new writes start again once the guard is dropped"]
pub fn remove_unfinished() -> MutexGuard<'static, Vec<PathBuf>> {
    remove_unfinished_where(|_| true)
}

/// [`remove_unfinished`], in the directories `chosen` picks.
fn remove_unfinished_where(chosen: impl Fn(&Path) -> bool) -> MutexGuard<'static, Vec<PathBuf>> {
    let list = unfinished();
    let mine = format!("{TEMP_PREFIX}{}-", std::process::id());
    for dir in list.iter().filter(|d| chosen(d)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&mine) && name.ends_with(TEMP_SUFFIX) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    list
}

/// How temporary files of atomic writes start and end.
const TEMP_PREFIX: &str = ".musubi-";
const TEMP_SUFFIX: &str = ".tmp";

/// The permission bits of an existing regular file at `path`.
fn existing_mode(path: &Path) -> Option<u32> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

#[cfg(unix)]
fn set_mode(file: &File, existing: Option<u32>, private: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = existing.unwrap_or(if private { 0o600 } else { 0o644 });
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _existing: Option<u32>, _private: bool) -> io::Result<()> {
    Ok(())
}

/// The process id in a temporary file's name `.musubi-<pid>-<random>.tmp`.
fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    rest.split('-').next()?.parse().ok()
}

/// True while a process with this id runs (or exists under another user).
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    true
}

/// Removes temporary files of atomic writes whose process no longer runs: a killed export
/// must not leave a hidden copy of contact details behind.
pub fn remove_dead_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = temp_owner(&name) {
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if is_file && pid != std::process::id() && !is_running(pid) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Makes the rename durable where the platform allows; a failure here loses nothing already
/// written, so it is not reported.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    #[test]
    fn writes_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomically(&path, "一,二\n".as_bytes(), false).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "一,二\n");
        write_atomically(&path, b"new", false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(names(dir.path()), vec!["out.csv"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.md");
        fs::write(&path, "old").unwrap();
        let result = write_atomically_with(&path, false, |f| {
            f.write_all(b"half a fi")?;
            Err(io::Error::other("disk full"))
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names(dir.path()), vec!["out.md"]);
    }

    #[test]
    fn errors_do_not_name_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.csv");
        let error = write_atomically(&path, b"x", false).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        let text = error.to_string();
        assert!(
            !text.contains(TEMP_SUFFIX) && !text.contains(TEMP_PREFIX),
            "{text}"
        );
    }

    #[test]
    fn a_missing_directory_is_an_error_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.json");
        assert!(write_atomically(&path, b"{}", true).is_err());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_directory_in_the_way_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("taken");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), "keep").unwrap();
        assert!(write_atomically(&path, b"x", false).is_err());
        assert_eq!(fs::read_to_string(path.join("inside")).unwrap(), "keep");
        assert_eq!(names(dir.path()), vec!["taken"]);
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_file_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.csv");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"new", true).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(fs::read(&path).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn temporaries_of_dead_processes_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids above the kernel's maximum (4,194,304) never run.
        let dead = dir.path().join(".musubi-99999999-abc.tmp");
        let mine = dir
            .path()
            .join(format!(".musubi-{}-abc.tmp", std::process::id()));
        let other = dir.path().join(".report.csv.tmp");
        for p in [&dead, &mine, &other] {
            fs::write(p, "contacts").unwrap();
        }
        write_atomically(&dir.path().join("out.csv"), b"x", true).unwrap();
        assert!(!dead.exists());
        assert!(mine.exists());
        assert!(other.exists(), "files musubi did not name are left alone");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("contacts.csv");
        write_atomically(&private, b"x", true).unwrap();
        let mode = fs::metadata(&private).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let public = dir.path().join("plain.csv");
        write_atomically(&public, b"x", false).unwrap();
        let mode = fs::metadata(&public).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    #[test]
    fn unfinished_temporaries_are_listed_while_written_and_removed_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        fs::write(&path, "old").unwrap();
        let mine = |p: &Path| p == dir.path();
        let result: io::Result<()> = write_atomically_deciding(&path, |file| {
            file.write_all(b"half of it")?;
            assert_eq!(unfinished().iter().filter(|p| mine(p)).count(), 1);
            assert_eq!(
                names(dir.path()).len(),
                2,
                "the export and its temporary file"
            );
            // Another process's temporary file there is not this write's.
            fs::write(dir.path().join(".musubi-1-other.tmp"), "theirs")?;
            // What a signal does, for this directory only (other tests write elsewhere).
            drop(remove_unfinished_where(mine));
            assert_eq!(
                names(dir.path()),
                vec![".musubi-1-other.tmp".to_string(), "export.csv".to_string()]
            );
            Err(io::Error::other("stopped"))
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(unfinished().iter().filter(|p| mine(p)).count(), 0);
        // A finished write is no longer listed: nothing of it is removed later.
        write_atomically(&path, b"new", false).unwrap();
        assert_eq!(unfinished().iter().filter(|p| mine(p)).count(), 0);
        drop(remove_unfinished_where(mine));
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
    }
}
