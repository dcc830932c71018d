//! Changing one event without parsing the whole store: `done`, `rm`,
//! `modify`, `reopen` and `edit` on a store of 100,000 events.
//!
//! The read cache keeps the byte offset of every `[[event]]` header (see
//! `index`). When it is current for the store's exact bytes, the change is
//! made to a small document parsed from the text of the event and its
//! neighbours (from the header before it to the header after the next
//! one: the comments above an event and below it are in there, so removal
//! keeps them as the full path does). That text must parse back into
//! exactly the cached events and render back to itself, and the changed
//! text must read back as the changed events; otherwise nothing is
//! written this way and the full path runs. The new store is the old bytes
//! with that text replaced: the bytes `toml_edit` writes for the whole
//! document, through the same lock, undo journal and atomic replacement.

use super::*;

/// The byte offset of each `[[event]]` header of a parsed store, in
/// order; empty when the parser did not give one.
pub(super) fn header_spans(doc: &ImDocument<&str>) -> Vec<usize> {
    let Some(aot) = doc.get("event").and_then(Item::as_array_of_tables) else {
        return Vec::new();
    };
    let spans: Option<Vec<usize>> = aot.iter().map(|t| t.span().map(|s| s.start)).collect();
    spans.unwrap_or_default()
}

/// Whether one event's text may be replaced on its own: the top level
/// holds `[[event]]` tables and nothing else (another table between two
/// events would be part of one's text), and every line end is in the
/// file's style (the full path rewrites a stray one anywhere in the file).
pub(super) fn spliceable(text: &str, root: &Table) -> bool {
    root.iter().all(|(key, _)| key == "event") && LineStyle::of(text).holds(text)
}

/// What the read cache keeps beside the events of a parsed store.
pub(super) fn facts(text: &str, doc: &ImDocument<&str>) -> cache::Facts {
    cache::Facts {
        appendable: merge::appendable(text, doc.as_table(), doc.trailing()),
        spliceable: spliceable(text, doc.as_table()),
        spans: header_spans(doc),
    }
}

#[cfg(test)]
thread_local! {
    /// How many changes this thread wrote by splicing.
    static SPLICED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The change a [`Store::modify`] makes, given the document and its events.
pub(super) type ChangeFn<'a, T> =
    dyn FnMut(&mut DocumentMut, &mut Vec<Event>) -> Result<(T, bool), StoreError> + 'a;

impl Store {
    /// The fast path of [`Store::modify`] for a change to the event `query`
    /// names, under the lock, with `bytes` the store's bytes. `Ok(None)`
    /// means nothing was written and the full path must run: no current
    /// cache with spans, a store that may not be spliced, or text around
    /// the event that does not read as the cache says.
    pub(super) fn splice<T>(
        &self,
        real: &Path,
        bytes: &[u8],
        query: &str,
        change: &mut ChangeFn<'_, T>,
    ) -> Result<Option<T>, StoreError> {
        let cache_path = cache_path_of(real);
        let key = cache::Key::of(bytes);
        // The cache's bytes, its events left encoded: only the ids are
        // read, and the few events around the one changed decoded.
        let cached = match cache::read_encoded(&cache_path, key) {
            Some(found) => found,
            // Edited by hand: the store is read again a piece at a time
            // (see `pieces`), not as one document, only its changed
            // pieces parsed when the stale cache can be refreshed.
            None => {
                let refreshed = std::str::from_utf8(bytes)
                    .ok()
                    .filter(|text| self.refresh_cache(text, key, &cache_path, real))
                    .and_then(|_| cache::read_encoded(&cache_path, key));
                let Some(found) = refreshed else {
                    return Ok(None);
                };
                found
            }
        };
        let (count, spans) = (cached.count(), cached.spans());
        if !cached.spliceable() || count == 0 || spans.len() != count {
            return Ok(None);
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Ok(None);
        };
        // The cache is a file too: offsets out of order or past the end
        // (damaged, or written by another version) send the full path.
        let in_order = spans.windows(2).all(|w| w[0] < w[1]);
        if !in_order || spans.last().is_some_and(|&s| s > text.len()) {
            return Ok(None);
        }
        let Some(ids) = cached.ids() else {
            return Ok(None);
        };
        // The same answer the full path gives: the cache is these bytes'.
        let i = resolve_id(count, |i| ids[i], query)?;
        drop(ids);
        let (lo, hi) = (i.saturating_sub(1), (i + 1).min(count - 1));
        // The first event's text starts at the file's (its comments).
        let start = if i == 0 {
            text.len() - text.trim_start_matches('\u{feff}').len()
        } else {
            spans[lo]
        };
        let end = spans.get(hi + 1).copied().unwrap_or(text.len());
        let Some(region) = text.get(start..end) else {
            return Ok(None);
        };
        let style = LineStyle::of(text).without_bom();
        let Ok((mut doc, mut local)) = parse_store(&self.path, region) else {
            return Ok(None);
        };
        if cached.decoded(lo..=hi).is_none_or(|stored| local != stored)
            || style.apply(&doc.to_string()) != region
        {
            return Ok(None);
        }
        let before_ids: Vec<String> = local.iter().map(|e| e.id.clone()).collect();
        let (out, changed) = change(&mut doc, &mut local)?;
        if !changed {
            return Ok(Some(out));
        }
        // An id the text around did not hold may be another event's: the
        // full path checks the whole store for that.
        if local.iter().any(|e| !before_ids.contains(&e.id)) {
            return Ok(None);
        }
        let new_region = style.apply(&doc.to_string());
        // Only the changed text is read back: the rest is the old bytes.
        let reread = parse_document(&self.path, &new_region)
            .and_then(|d| Ok((read_events(&self.path, &new_region, &d)?, d)));
        let new_doc = match reread {
            Ok((reread, d)) if reread == local => d,
            _ => return Err(internal(&self.path, "the edited event would not read back")),
        };
        let local_spans = header_spans(&new_doc);
        if local_spans.len() != local.len() {
            return Ok(None);
        }
        let parts = [&text[..start], new_region.as_str(), &text[end..]];
        target::check_writable(real)?;
        save_and_replace_parts(real, text, &parts)?;
        // The cache follows without a parse: the spans after the changed
        // text move by the change in its length, and only the changed
        // events' text is hashed.
        let mut hasher = cache::Hasher::new();
        parts.iter().for_each(|p| hasher.update(p.as_bytes()));
        let shift = |s: usize| s + start + new_region.len() - end;
        let new_spans: Vec<usize> = spans[..lo]
            .iter()
            .copied()
            .chain(local_spans.iter().map(|s| s + start))
            .chain(spans[hi + 1..].iter().map(|&s| shift(s)))
            .collect();
        let pieces: Vec<u64> = (0..local.len())
            .map(|j| {
                let to = local_spans.get(j + 1).copied().unwrap_or(new_region.len());
                new_region
                    .as_bytes()
                    .get(local_spans[j]..to)
                    .map_or(0, cache::hash)
            })
            .collect();
        let appendable = if end == text.len() {
            merge::appendable(&new_region, new_doc.as_table(), new_doc.trailing())
        } else {
            cached.appendable()
        };
        cached.write_spliced(
            &cache_path,
            cache::Key::of_hasher(&hasher),
            (lo, hi),
            &local,
            &pieces,
            &new_spans,
            appendable,
            real,
        );
        #[cfg(test)]
        SPLICED.with(|n| n.set(n.get() + 1));
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Status;

    /// Comments above, between and after events, an event typed by hand
    /// (no id), inline sources, a key `timeline` does not know.
    const LF: &str = "# My deadlines.\n\n[[event]]\nid = \"ev-1\"\ntitle = \"Old\" # kept\nkind = \"deadline\"\ndate = 2014-11-24\nsource = [{ file = \"x.txt\", start = 1, end = 2 }]\n\n# About the next one.\n[[event]]\ntitle = \"By hand\"\nkind = \"past\"\ndate = 2014-01-02\nmine = 1\n\n[[event.source]]\nfile = \"y.txt\"\nstart = 3\nend = 4\n\n# A heading.\n\n# About the third.\n[[event]]\nid = \"ev-3\"\ntitle = \"Third\"\nkind = \"meeting\"\nat = 2014-10-15T15:00:00\noffset = \"-05:00\"\nstatus = \"open\"   # or done\n\n[[event]]\nid = \"ev-4\"\ntitle = \"Last\"\nkind = \"scheduled\"\nstart = 2014-03-01\nend = 2014-11-01\n";

    fn dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("timeline-splice-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    /// Each change on every event: once spliced (the cache current),
    /// once through the full path (no cache); the files must be the same
    /// bytes, and the cache the splice leaves what a parse gives.
    fn fast_and_full(name: &str, text: &str) {
        let dir = dir(name);
        let ids = ["ev-1", &event_id("By hand", "2014-01-02"), "ev-3", "ev-4"];
        type Op = fn(&Store, &str) -> Result<(), StoreError>;
        let ops: [(&str, Op); 5] = [
            ("done", |s, id| s.set_status(id, Status::Done).map(drop)),
            ("rm", |s, id| s.remove(id).map(drop)),
            ("title", |s, id| {
                s.update(id, |e| {
                    e.title = "Renamed \"x\"\nline".into();
                    e.modified = Some(now());
                    e.edits += 1;
                })
                .map(drop)
            }),
            ("move", |s, id| {
                s.update(id, |e| {
                    e.when = When::Date(NaiveDate::from_ymd_opt(2015, 1, 2).unwrap());
                    e.value = when_value(&e.when);
                    e.place = Some("Room 4".into());
                    e.tags.push("work".into());
                })
                .map(drop)
            }),
            ("same", |s, id| s.set_status(id, Status::Open).map(drop)),
        ];
        for (op, run) in ops {
            for id in ids {
                let fast = Store::new(dir.join("fast.toml"));
                let full = Store::new(dir.join("full.toml"));
                fs::write(fast.path(), text).unwrap();
                fs::write(full.path(), text).unwrap();
                fast.load().unwrap();
                let _ = fs::remove_file(full.cache_path());
                let spliced = SPLICED.with(|n| n.get());
                run(&fast, id).unwrap();
                run(&full, id).unwrap();
                let (a, b) = (
                    fs::read_to_string(fast.path()).unwrap(),
                    fs::read_to_string(full.path()).unwrap(),
                );
                assert_eq!(a, b, "{name} {op} {id}");
                let wrote = SPLICED.with(|n| n.get()) - spliced;
                assert_eq!(wrote, usize::from(op != "same"), "{name} {op} {id}");
                let cached =
                    cache::read_with_facts(&fast.cache_path(), cache::Key::of(a.as_bytes()));
                let parsed = merge::read_store_for_cache(fast.path(), &a).unwrap();
                assert_eq!(cached, Some(parsed), "{name} {op} {id}");
                // A second change in a row is spliced too, from the cache
                // the first one left.
                if op == "title" {
                    let other = ids.iter().find(|i| **i != id).unwrap();
                    let n = SPLICED.with(|n| n.get());
                    fast.set_status(other, Status::Done).unwrap();
                    let _ = fs::remove_file(full.cache_path());
                    full.set_status(other, Status::Done).unwrap();
                    assert_eq!(SPLICED.with(|n| n.get()), n + 1);
                    assert_eq!(
                        fs::read_to_string(fast.path()).unwrap(),
                        fs::read_to_string(full.path()).unwrap()
                    );
                    fast.undo().unwrap();
                }
                fast.undo().unwrap();
                if op != "same" {
                    assert_eq!(fs::read_to_string(fast.path()).unwrap(), text);
                }
                let _ = fs::remove_dir_all(fast.path().with_file_name(".fast.toml.undo"));
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn splicing_one_event_writes_the_bytes_the_full_path_writes() {
        fast_and_full("lf", LF);
        fast_and_full("trailing", &format!("{LF}\n# The end.\n"));
    }

    #[test]
    fn a_windows_store_is_spliced_in_its_line_ends() {
        fast_and_full("crlf", &format!("\u{feff}{}", LF.replace('\n', "\r\n")));
    }

    #[test]
    fn a_hand_edit_or_another_table_takes_the_full_path() {
        let dir = dir("edited");
        let store = Store::new(dir.join("events.toml"));
        fs::write(store.path(), LF).unwrap();
        store.load().unwrap();
        fs::write(store.path(), LF.replace("\"Third\"", "\"3rd\"")).unwrap();
        let n = SPLICED.with(|n| n.get());
        let e = store.set_status("ev-3", Status::Done).unwrap();
        assert_eq!(e.title, "3rd");
        assert_eq!(SPLICED.with(|n| n.get()), n);
        // Now current again, with its spans: the next change is spliced.
        store.set_status("ev-4", Status::Done).unwrap();
        assert_eq!(SPLICED.with(|n| n.get()), n + 1);
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("title = \"3rd\""), "{text}");
        // A table between events is not spliced around.
        fs::write(
            store.path(),
            LF.replace("# A heading.", "[settings]\nx = 1"),
        )
        .unwrap();
        store.load().unwrap();
        store.remove("ev-3").unwrap();
        assert_eq!(SPLICED.with(|n| n.get()), n + 1);
        let _ = fs::remove_dir_all(&dir);
    }
}
