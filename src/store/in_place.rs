//! Editing the store's TOML document in place: finding and appending
//! `[[event]]` tables, adding sources, and replacing values with their
//! comments and the blank lines around tables kept.

use super::*;

pub(super) fn internal(path: &Path, what: &str) -> StoreError {
    StoreError::Invalid {
        path: path.to_path_buf(),
        line: 0,
        message: format!("internal error: {what}; nothing was written"),
    }
}

pub(super) fn events_mut<'d>(
    doc: &'d mut DocumentMut,
    path: &Path,
) -> Result<&'d mut ArrayOfTables, StoreError> {
    doc.get_mut("event")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| internal(path, "no [[event]] tables"))
}

pub(super) fn event_table_mut<'d>(
    doc: &'d mut DocumentMut,
    i: usize,
    path: &Path,
) -> Result<&'d mut Table, StoreError> {
    events_mut(doc, path)?
        .get_mut(i)
        .ok_or_else(|| internal(path, "event table out of range"))
}

/// Appends a new `[[event]]` table. The first event of a store that holds
/// nothing else gets the file's comments (or the default header) above it.
pub(super) fn append_event(doc: &mut DocumentMut, mut table: Table) {
    let only_events = doc.as_table().iter().all(|(k, _)| k == "event");
    let no_events = doc
        .get("event")
        .and_then(Item::as_array_of_tables)
        .is_none_or(ArrayOfTables::is_empty);
    if only_events && no_events {
        let trailing = doc.trailing().as_str().unwrap_or("").to_owned();
        let prefix = if trailing.trim().is_empty() {
            HEADER.to_owned()
        } else {
            with_blank_line_after(trailing.trim_start_matches(['\n', '\r']))
        };
        table.decor_mut().set_prefix(prefix);
        doc.set_trailing("");
    }
    let item = doc
        .as_table_mut()
        .entry("event")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    if let Some(aot) = item.as_array_of_tables_mut() {
        aot.push(table);
    }
}

pub(super) fn add_sources(
    table: &mut Table,
    sources: &[Source],
    path: &Path,
) -> Result<(), StoreError> {
    match table.get_mut("source") {
        None => {
            let mut aot = ArrayOfTables::new();
            for s in sources {
                aot.push(source_table(s));
            }
            table.insert("source", Item::ArrayOfTables(aot));
        }
        Some(Item::ArrayOfTables(aot)) => {
            for s in sources {
                aot.push(source_table(s));
            }
        }
        Some(Item::Value(Value::Array(array))) => {
            for s in sources {
                array.push(source_table(s).into_inline_table());
            }
        }
        Some(_) => return Err(internal(path, "`source` is neither tables nor an array")),
    }
    Ok(())
}

/// Makes a stored event's values say what `fresh` says: each value kept
/// with its comment, a value `fresh` lacks removed, keys `timeline` does
/// not know left alone.
pub(super) fn rewrite_values(table: &mut Table, fresh: &Table) {
    for key in EVENT_KEYS {
        match fresh.get(key).and_then(Item::as_value) {
            Some(v) => set_value_keeping_decor(table, key, v.clone()),
            None => {
                table.remove(key);
            }
        }
    }
}

/// Replaces a value, keeping the whitespace and comment around it.
pub(super) fn set_value_keeping_decor(table: &mut Table, key: &str, mut new: Value) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        None => {
            table.insert(key, Item::Value(new));
        }
    }
}

/// The part of a removed table's prefix that belongs to what comes before
/// it: everything up to its last blank line, if that holds a comment.
pub(super) fn comments_to_keep(prefix: &str) -> String {
    let lines: Vec<&str> = prefix.split_inclusive('\n').collect();
    let Some(last_blank) = lines.iter().rposition(|l| l.trim().is_empty()) else {
        return String::new();
    };
    let keep: String = lines[..=last_blank].concat();
    if keep.contains('#') {
        keep.trim_start_matches(['\n', '\r']).to_owned()
    } else {
        String::new()
    }
}

pub(super) fn strip_leading_blank_lines(s: &str) -> &str {
    let mut rest = s;
    while let Some(nl) = rest.find('\n') {
        if rest[..nl].trim().is_empty() {
            rest = &rest[nl + 1..];
        } else {
            break;
        }
    }
    rest
}

pub(super) fn with_blank_line_after(s: &str) -> String {
    let mut out = s.to_owned();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let last_line = out[..out.len() - 1].rsplit('\n').next().unwrap_or("");
    if !last_line.trim().is_empty() {
        out.push('\n');
    }
    out
}
