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

/// Deletes temporary files a killed writer left. Only called under the
/// lock, when no other writer can have one in flight.
pub(super) fn remove_stale_temp_files(target: &Path) {
    let name = file_name(target);
    let Ok(entries) = fs::read_dir(parent_dir(target)) else {
        return;
    };
    for entry in entries.flatten() {
        if is_temp_name(&name, &entry.file_name().to_string_lossy()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `text` to a temporary file beside `target`, flushes it, renames
/// it over `target` and flushes the folder: a reader sees the old file or
/// the new one, never half of one. `export -o` writes through it too.
pub fn write_atomic(target: &Path, text: &str) -> Result<(), StoreError> {
    let tmp = temp_path(target);
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| io_error(&tmp, e))?;
        if let Ok(meta) = fs::metadata(target) {
            // Keep the store's permissions (a private store stays private).
            let _ = file.set_permissions(meta.permissions());
        }
        file.write_all(text.as_bytes())
            .map_err(|e| io_error(&tmp, e))?;
        file.sync_all().map_err(|e| io_error(&tmp, e))?;
        drop(file);
        fs::rename(&tmp, target).map_err(|e| io_error(target, e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        return result;
    }
    sync_dir(&parent_dir(target));
    Ok(())
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
