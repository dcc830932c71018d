//! Which file a store is, and whether `timeline` may replace it.
//!
//! Every writer must agree on one file: two writers that reach the same
//! store through a symlink and through its real path would otherwise take
//! different locks and lose each other's changes. So the path given is
//! resolved once per operation to the real file, and the lock, the
//! temporary files, the undo journal and the read cache are all named
//! after that file.
//!
//! A store is a regular file or a symlink to one. Anything else (a
//! device, a FIFO, a folder, a dangling symlink) is refused before it is
//! opened: reading a FIFO would block, and renaming over a device node or
//! a link would destroy it.

use std::fs::{self, Metadata};
use std::path::{Path, PathBuf};

use super::write::{io_error, parent_dir};
use super::StoreError;

fn refused(path: &Path, reason: String) -> StoreError {
    StoreError::Refused {
        path: path.to_path_buf(),
        reason,
    }
}

/// What a file that is not a regular file is, for an error message.
fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// `meta` is the file's, or (`through_link`) the file a symlink names.
fn not_a_file(path: &Path, meta: &Metadata, through_link: bool) -> StoreError {
    refused(
        path,
        format!(
            "{}{}; timeline reads and replaces only regular files (or symlinks to them)",
            if through_link {
                "is a symlink to "
            } else {
                "is "
            },
            kind_of(meta)
        ),
    )
}

/// The real file of a store (or of an export): `given` with every symlink
/// followed. A file that does not exist yet is its real folder joined with its name (or
/// `given` itself while the folder does not exist either: the first write
/// creates it and resolves again). Only the file's type is looked at, so
/// a FIFO is refused without ever being opened.
pub fn resolve(given: &Path) -> Result<PathBuf, StoreError> {
    if given.as_os_str().is_empty() {
        return Err(refused(given, "the path is empty".into()));
    }
    let meta = match fs::symlink_metadata(given) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let Some(name) = given.file_name() else {
                return Err(refused(given, "does not name a file".into()));
            };
            return Ok(match fs::canonicalize(parent_dir(given)) {
                Ok(dir) => dir.join(name),
                Err(_) => given.to_path_buf(),
            });
        }
        Err(e) => return Err(io_error(given, e)),
    };
    if meta.file_type().is_symlink() {
        match fs::metadata(given) {
            Ok(m) if m.is_file() => {}
            Ok(m) => return Err(not_a_file(given, &m, true)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let to = fs::read_link(given).unwrap_or_default();
                return Err(refused(
                    given,
                    format!(
                        "is a symlink to {}, which does not exist; create that file or \
                         remove the link (timeline will not replace a link)",
                        to.display()
                    ),
                ));
            }
            Err(e) => return Err(io_error(given, e)),
        }
    } else if !meta.is_file() {
        return Err(not_a_file(given, &meta, false));
    }
    fs::canonicalize(given).map_err(|e| io_error(given, e))
}

/// Refuses to change a store its owner made read-only (no `u+w`, which
/// root would otherwise override), or one this process may not write
/// (checked with the effective ids, ACLs included). A missing store may
/// be created.
pub(super) fn check_writable(real: &Path) -> Result<(), StoreError> {
    let meta = match fs::metadata(real) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(real, e)),
    };
    let read_only = || {
        refused(
            real,
            format!(
                "the store is read-only; chmod u+w {} to allow changes (nothing was changed)",
                real.display()
            ),
        )
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o200 == 0 {
            return Err(read_only());
        }
        use rustix::fs::{accessat, Access, AtFlags, CWD};
        if let Err(e) = accessat(CWD, real, Access::WRITE_OK, AtFlags::EACCESS) {
            return Err(refused(
                real,
                format!(
                    "you may not write this store ({}); nothing was changed",
                    std::io::Error::from(e)
                ),
            ));
        }
    }
    #[cfg(not(unix))]
    if meta.permissions().readonly() {
        return Err(read_only());
    }
    Ok(())
}
