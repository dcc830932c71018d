//! Writing the store safely: the lock, temporary files and atomic renames.

use super::*;

pub(super) fn io_error(path: &Path, source: io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub(super) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "events.toml".into())
}

/// `.<name>.<pid>-<n>.tmp`, in the store's folder.
pub(super) fn temp_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = format!(".{}.{}-{n}.tmp", file_name(target), std::process::id());
    parent_dir(target).join(name)
}

pub(super) fn is_temp_name(store_name: &str, candidate: &str) -> bool {
    let Some(rest) = candidate
        .strip_prefix('.')
        .and_then(|c| c.strip_prefix(store_name))
        .and_then(|c| c.strip_prefix('.'))
        .and_then(|c| c.strip_suffix(".tmp"))
    else {
        return false;
    };
    match rest.split_once('-') {
        Some((pid, n)) => {
            !pid.is_empty()
                && !n.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && n.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// How old a temporary file must be before it is deleted even though a
/// process with its writer's pid still runs (the pid may have been
/// reused, or belong to another pid namespace).
const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// The pid in a temporary file's name `….<pid>-<n>.tmp`.
fn temp_pid(candidate: &str) -> Option<u32> {
    let rest = candidate.strip_suffix(".tmp")?;
    let (head, _) = rest.rsplit_once('-')?;
    head.rsplit_once('.')?.1.parse().ok()
}

/// Whether the process `pid` has exited. Without a way to ask, every
/// writer counts as alive and only age makes its file stale.
fn writer_gone(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // kill(pid, 0): ESRCH means no such process; EPERM means one
        // runs that we may not signal.
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        rustix::process::test_kill_process(pid) == Err(rustix::io::Errno::SRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// Whether a temporary file (named by [`is_temp_name`] or its cache
/// counterpart) was left by a writer that is gone, or is so old at `now`
/// that no write can still be using it (without `now`, age never makes
/// it stale). Files of this process are in flight.
pub(super) fn temp_is_stale(path: &Path, name: &str, now: Option<SystemTime>) -> bool {
    let Some(pid) = temp_pid(name) else {
        return false;
    };
    if pid == std::process::id() {
        return false;
    }
    if writer_gone(pid) {
        return true;
    }
    let Some(now) = now else {
        return false;
    };
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| now.duration_since(t).ok())
        .is_some_and(|age| age > STALE_AFTER)
}

/// Deletes temporary files a killed writer left. Another writer's file
/// in flight is never touched, even one that reached the store by
/// another path or holds another lock (see [`temp_is_stale`]).
pub(super) fn remove_stale_temp_files(target: &Path, now: Option<SystemTime>) {
    let name = file_name(target);
    let Ok(entries) = fs::read_dir(parent_dir(target)) else {
        return;
    };
    for entry in entries.flatten() {
        let candidate = entry.file_name().to_string_lossy().into_owned();
        if is_temp_name(&name, &candidate) && temp_is_stale(&entry.path(), &candidate, now) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `text` to a temporary file beside `target`, flushes it, renames
/// it over `target` and flushes the folder: a reader sees the old file or
/// the new one, never half of one. The new file keeps the old one's mode,
/// owner and extended attributes as far as this process may set them
/// (see [`keep_metadata`]). `export -o` writes through it too.
pub fn write_atomic(target: &Path, text: &str) -> Result<(), StoreError> {
    let like = fs::metadata(target).ok();
    write_atomic_like(target, text, like.as_ref().map(|m| (target, m)))
}

/// [`write_atomic`] of what `write` writes, through a buffer, never held
/// whole: `export -o` streams a calendar through it. When `write` fails,
/// its error is returned inside, the temporary file is removed and
/// `target` is left as it was.
pub fn write_atomic_with<E>(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<Result<(), E>, StoreError> {
    let like = fs::metadata(target).ok();
    let tmp = temp_path(target);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| io_error(&tmp, e))?;
    if let Some(meta) = &like {
        keep_metadata(&file, target, meta);
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut file);
    let written = write(&mut out);
    let flushed = out.flush();
    drop(out);
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Ok(Err(e));
    }
    if let Err(e) = flushed.and_then(|()| file.sync_all()) {
        let _ = fs::remove_file(&tmp);
        return Err(io_error(&tmp, e));
    }
    replace_with(&tmp, target)?;
    Ok(Ok(()))
}

/// [`write_atomic`], with the mode, owner and extended attributes taken
/// from `like` (a file and its metadata) instead of from `target`: the
/// undo journal's entries look like the store they keep.
pub(super) fn write_atomic_like(
    target: &Path,
    text: &str,
    like: Option<(&Path, &fs::Metadata)>,
) -> Result<(), StoreError> {
    let tmp = write_temp(target, &[text], like)?;
    replace_with(&tmp, target)
}

/// The first half of [`write_atomic_like`]: `parts` written to a new
/// temporary file beside `target` and flushed; the file's path.
fn write_temp(
    target: &Path,
    parts: &[&str],
    like: Option<(&Path, &fs::Metadata)>,
) -> Result<PathBuf, StoreError> {
    let tmp = temp_path(target);
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| io_error(&tmp, e))?;
        if let Some((from, meta)) = like {
            keep_metadata(&file, from, meta);
        }
        for part in parts {
            file.write_all(part.as_bytes())
                .map_err(|e| io_error(&tmp, e))?;
        }
        file.sync_all().map_err(|e| io_error(&tmp, e))
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The second half: the flushed temporary file renamed over `target`,
/// and the folder flushed.
fn replace_with(tmp: &Path, target: &Path) -> Result<(), StoreError> {
    if let Err(e) = fs::rename(tmp, target) {
        let _ = fs::remove_file(tmp);
        return Err(io_error(target, e));
    }
    sync_dir(&parent_dir(target));
    Ok(())
}

/// `journal::save(real, previous)` then [`write_atomic`]`(real, text)`,
/// with the new file written and flushed while the journal entry is
/// made (each waits on the disk): the store is replaced only once the
/// entry is kept, so a change that cannot be undone is still not made.
pub(super) fn save_and_replace(real: &Path, previous: &str, text: &str) -> Result<(), StoreError> {
    save_and_replace_parts(real, previous, &[text])
}

/// [`save_and_replace`] of the text made of `parts`, never joined.
pub(super) fn save_and_replace_parts(
    real: &Path,
    previous: &str,
    parts: &[&str],
) -> Result<(), StoreError> {
    let like = fs::metadata(real).ok();
    let (saved, tmp) = std::thread::scope(|s| {
        let saved = s.spawn(|| journal::save(real, previous));
        let tmp = write_temp(real, parts, like.as_ref().map(|m| (real, m)));
        (saved.join(), tmp)
    });
    let saved = saved.unwrap_or_else(|_| Err(internal(real, "the undo journal failed")));
    match (saved, tmp) {
        (Ok(()), Ok(tmp)) => replace_with(&tmp, real),
        (Err(e), tmp) => {
            if let Ok(tmp) = tmp {
                let _ = fs::remove_file(tmp);
            }
            Err(e)
        }
        (Ok(()), Err(e)) => Err(e),
    }
}

/// Gives a new file the owner, group, mode and extended attributes of
/// `from` (whose metadata is `meta`), so a write by root or by a group
/// member does not take the store from its owner, a private store stays
/// private and POSIX ACLs (the `system.posix_acl_access` attribute)
/// survive. Best effort: what this process may not set is left as the
/// system made it.
pub(super) fn keep_metadata(file: &File, from: &Path, meta: &fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{fchown, MetadataExt};
        // Only root may give a file away; a member of the store's group
        // may still set the group. The owner goes first, because chown
        // clears the set-id bits of the mode.
        if fchown(file, Some(meta.uid()), Some(meta.gid())).is_err() {
            let _ = fchown(file, None, Some(meta.gid()));
        }
        let _ = file.set_permissions(meta.permissions());
        copy_xattrs(from, file);
    }
    #[cfg(not(unix))]
    {
        let _ = from;
        let _ = file.set_permissions(meta.permissions());
    }
}

/// Gives a sidecar (the lock file, the undo journal's folder) the store's
/// owner and group: after a write by root, the owner can still take the
/// lock and keep undo entries. Best effort, as in [`keep_metadata`].
pub(super) fn give_to_owner(path: &Path, store: &fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{chown, MetadataExt};
        if chown(path, Some(store.uid()), Some(store.gid())).is_err() {
            let _ = chown(path, None, Some(store.gid()));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, store);
}

/// Copies every extended attribute of `from` that this process may read
/// and set. An ACL set this way also sets the mode's group bits to its
/// mask, as on the original.
#[cfg(unix)]
fn copy_xattrs(from: &Path, to: &File) {
    use rustix::fs::{fsetxattr, getxattr, listxattr, XattrFlags};
    let mut names = vec![0u8; 4096];
    let listed = loop {
        match listxattr(from, &mut names[..]) {
            Ok(n) => break n,
            Err(rustix::io::Errno::RANGE) if names.len() < 1 << 20 => {
                names.resize(names.len() * 4, 0);
            }
            Err(_) => return,
        }
    };
    let mut value = vec![0u8; 4096];
    for name in names[..listed].split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let len = loop {
            match getxattr(from, name, &mut value[..]) {
                Ok(n) => break Some(n),
                Err(rustix::io::Errno::RANGE) if value.len() < 1 << 20 => {
                    value.resize(value.len() * 4, 0);
                }
                Err(_) => break None,
            }
        };
        if let Some(len) = len {
            let _ = fsetxattr(to, name, &value[..len], XattrFlags::empty());
        }
    }
}

/// Flushes a folder's entries (the rename) to disk. Best effort: some
/// file systems and platforms cannot sync a folder.
pub(super) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

impl Store {
    /// Takes the exclusive lock on the sidecar file of the real store
    /// file `real`; released when the returned file is dropped (or its
    /// process dies).
    pub(super) fn lock(&self, real: &Path) -> Result<File, StoreError> {
        let path = lock_path_of(real);
        let opened = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path);
        let file = match opened {
            // A lock file another user created may be read-only to us; a
            // lock needs no write access.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => File::open(&path),
            other => other,
        }
        .map_err(|e| io_error(&path, e))?;
        if let Ok(meta) = fs::metadata(real) {
            give_to_owner(&path, &meta);
        }
        let started = self.clock.map(|c| (c.monotonic, (c.monotonic)()));
        let mut slept = Duration::ZERO;
        let mut pause = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(fs::TryLockError::WouldBlock) => {
                    let waited = match started {
                        Some((now, t)) => now().saturating_duration_since(t),
                        None => slept,
                    };
                    if waited >= self.lock_timeout {
                        return Err(StoreError::Locked { path, waited });
                    }
                    std::thread::sleep(pause);
                    slept += pause;
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_error(&path, e)),
            }
        }
    }
}
