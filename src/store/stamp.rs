//! What `stat` says of a file that changes with every write to it: a
//! reader that keeps what it read (the feed server, `countdown --watch`)
//! reads again only when this changes.

use std::path::Path;

/// A file's identity and times of change. Every write to the store is a
/// rename of a new file (a new inode) or an append (a new size and
/// mtime); nanosecond times catch a hand edit of the same length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStamp {
    #[cfg(unix)]
    id: (u64, u64, u64, i64, i64, i64, i64),
    #[cfg(not(unix))]
    id: (u64, Option<std::time::SystemTime>),
}

impl FileStamp {
    /// The stamp of the file at `path`, or `None` when there is none.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let m = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let id = {
            use std::os::unix::fs::MetadataExt;
            (
                m.dev(),
                m.ino(),
                m.size(),
                m.mtime(),
                m.mtime_nsec(),
                m.ctime(),
                m.ctime_nsec(),
            )
        };
        #[cfg(not(unix))]
        let id = (m.len(), m.modified().ok());
        Some(FileStamp { id })
    }
}

#[cfg(test)]
mod tests {
    use super::FileStamp;

    #[test]
    fn a_write_changes_the_stamp_and_a_read_does_not() {
        let dir = std::env::temp_dir().join(format!("timeline-stamp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("events.toml");
        assert_eq!(FileStamp::of(&path), None);
        std::fs::write(&path, "[[event]]\n").unwrap();
        let first = FileStamp::of(&path).unwrap();
        let _ = std::fs::read(&path).unwrap();
        assert_eq!(FileStamp::of(&path).as_ref(), Some(&first));
        // Same length, new bytes, written as the store and most editors
        // write: a new file renamed over the old (a new inode).
        let new = dir.join("events.toml.new");
        std::fs::write(&new, "[[EVENT]]\n").unwrap();
        std::fs::rename(&new, &path).unwrap();
        let second = FileStamp::of(&path).unwrap();
        assert_ne!(second, first);
        // An append: a new size.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"\n"))
            .unwrap();
        assert_ne!(FileStamp::of(&path).as_ref(), Some(&second));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
