//! The README's tree of `src/` is the layout: every source file is listed
//! there, and everything listed exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn readme_tree() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## How the code is laid out")
        .nth(1)
        .expect("README has a layout section");
    let block = section
        .split("```")
        .nth(1)
        .expect("the layout section has a code block");
    let mut stack: Vec<String> = Vec::new();
    let mut files = BTreeSet::new();
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let depth = (line.len() - line.trim_start().len()) / 2;
        let name = line.split_whitespace().next().unwrap().to_owned();
        stack.truncate(depth);
        let path = stack
            .iter()
            .map(|s| s.as_str())
            .chain([name.as_str()])
            .collect::<String>();
        if name.ends_with('/') {
            stack.push(name);
        } else {
            files.insert(path);
        }
    }
    files
}

fn source_files(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root()).unwrap();
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn readme_tree_matches_src() {
    let listed = readme_tree();
    let mut actual = BTreeSet::new();
    source_files(&root().join("src"), &mut actual);
    let missing: Vec<_> = actual.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&actual).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "README tree out of date.\nnot listed: {missing:?}\nlisted but absent: {stale:?}"
    );
}

#[test]
fn no_source_file_is_much_over_800_lines() {
    let mut files = BTreeSet::new();
    source_files(&root().join("src"), &mut files);
    let long: Vec<(String, usize)> = files
        .into_iter()
        .map(|f| {
            let n = std::fs::read_to_string(root().join(&f))
                .unwrap()
                .lines()
                .count();
            (f, n)
        })
        .filter(|(_, n)| *n > 900)
        .collect();
    assert!(long.is_empty(), "split these: {long:?}");
}
