//! Merging events into the store: the plan (which events are new, which
//! gain sources or tags), and the two ways of writing it.
//!
//! The full path parses the TOML into a `toml_edit` document, edits it and
//! writes the whole document back: seconds and gigabytes for a store of
//! 100,000 events. When every merged event is new, the store's bytes are
//! exactly those the read cache was written for, and those bytes are
//! appendable (see [`appendable`]), the new `[[event]]` tables are
//! rendered on their own and appended to the store's file instead (see
//! the `append` module): the bytes the full path would write, without
//! parsing the store. Anything else takes the full path.

use toml_edit::RawString;

use super::*;

/// One change a merge makes to the document, in order.
pub(super) enum Change {
    /// A new event's table, appended.
    Append(Table),
    /// Stored event `i` gains these sources and, when set, these tags.
    Update {
        i: usize,
        sources: Vec<Source>,
        tags: Option<Vec<String>>,
    },
}

/// What merging `events` into `stored` does: an event whose id exists
/// gains the sources it lacks (same file+start+end = same source) and the
/// tags it lacks; otherwise it is appended. `stored` becomes the events
/// after the merge, and the changes are what turns the document into them.
pub(super) fn plan(
    stored: &mut Vec<Event>,
    events: &[Event],
    path: &Path,
) -> Result<(MergeReport, Vec<Change>), StoreError> {
    let mut report = MergeReport::default();
    let mut changes = Vec::new();
    let mut index: HashMap<String, usize> = stored
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect();
    // Built only when an id is not found: stores from before 64-bit
    // ids are matched by content. Two content keys are equal only with
    // equal values (the normalized title and context before it are
    // alphanumeric, so the separators are unambiguous): the keys of
    // stored events whose value no incoming event has are never built.
    let mut by_content: Option<HashMap<String, usize>> = None;
    let values: std::collections::HashSet<&str> = events.iter().map(|e| e.value.as_str()).collect();
    for event in events {
        // The same event under its id, or stored before ids had
        // 64 bits (found by content); an id held by a different
        // event is a collision, and the new one gets a fresh id.
        let mut event = std::borrow::Cow::Borrowed(event);
        let found = match index.get(&event.id) {
            Some(&i) if stored[i].same_content(&event) => Some(i),
            Some(_) => {
                let fresh = (2..)
                    .map(|n| format!("{}-{n}", event.id))
                    .find(|id| !index.contains_key(id))
                    .expect("an unused suffix exists");
                report.renamed.push((event.id.clone(), fresh.clone()));
                event.to_mut().id = fresh;
                None
            }
            None => by_content
                .get_or_insert_with(|| {
                    stored
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| values.contains(e.value.as_str()))
                        .map(|(i, e)| (e.content_key(), i))
                        .collect()
                })
                .get(&event.content_key())
                .copied(),
        };
        if let Some(i) = found {
            let missing = unseen_sources(&stored[i].sources, &event.sources);
            // `add +conf file` on a file added before tags the
            // events found again, too.
            let new_tags: Vec<String> = event
                .tags
                .iter()
                .filter(|t| !stored[i].tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
                .cloned()
                .collect();
            if missing.is_empty() && new_tags.is_empty() {
                report.unchanged += 1;
                continue;
            }
            stored[i].sources.extend(missing.iter().cloned());
            let tags = (!new_tags.is_empty()).then(|| {
                stored[i].tags.extend(new_tags);
                stored[i].tags.clone()
            });
            changes.push(Change::Update {
                i,
                sources: missing,
                tags,
            });
            report.updated += 1;
        } else {
            let mut event = event.into_owned();
            event.sources = unseen_sources(&[], &event.sources);
            let table = event_to_table(&event).map_err(|m| StoreError::Invalid {
                path: path.to_path_buf(),
                line: 0,
                message: format!("cannot store event {}: {m}", event.id),
            })?;
            changes.push(Change::Append(table));
            if let Some(map) = &mut by_content {
                map.insert(event.content_key(), stored.len());
            }
            index.insert(event.id.clone(), stored.len());
            report.added.push(event.id.clone());
            stored.push(event);
        }
    }
    Ok((report, changes))
}

/// Makes the changes of a [`plan`] to the parsed document (the full path).
pub(super) fn apply(
    doc: &mut DocumentMut,
    changes: Vec<Change>,
    path: &Path,
) -> Result<(), StoreError> {
    for change in changes {
        match change {
            Change::Append(table) => append_event(doc, table),
            Change::Update { i, sources, tags } => {
                let table = event_table_mut(doc, i, path)?;
                if !sources.is_empty() {
                    add_sources(table, &sources, path)?;
                }
                if let Some(tags) = tags {
                    let tags: toml_edit::Array = tags.iter().map(String::as_str).collect();
                    set_value_keeping_decor(table, "tags", Value::Array(tags));
                }
            }
        }
    }
    Ok(())
}

/// Whether new `[[event]]` tables may be written after `text` (a store
/// whose document has the root table `root` and the trailing whitespace
/// `trailing`) and give the bytes `toml_edit` would write for the
/// document with them appended. That holds when the document holds
/// `[[event]]` tables and nothing else at the top (so the tables are
/// written in the file's order and a new one goes last), nothing follows
/// the last table's last line (a trailing comment or blank line would be
/// written after the new table), the text ends with a line end, and its
/// line ends are all in its own style (the full path rewrites a stray
/// LF of a CRLF file).
pub(super) fn appendable(text: &str, root: &Table, trailing: &RawString) -> bool {
    let trailing_empty = match trailing.as_str() {
        Some(s) => s.is_empty(),
        None => trailing.span().is_none_or(|s| s.is_empty()),
    };
    let has_events = root
        .get("event")
        .and_then(Item::as_array_of_tables)
        .is_some_and(|aot| !aot.is_empty());
    has_events
        && root.iter().all(|(key, _)| key == "event")
        && trailing_empty
        && text.ends_with('\n')
        && LineStyle::of(text).holds(text)
}

/// [`read_store`], with what the read cache keeps beside the events (see
/// `splice::facts`): the whole document parsed, for what `pieces` could
/// not read (a small store, or any doubt), which also words the errors.
pub(super) fn read_store_for_cache(
    path: &Path,
    text: &str,
) -> Result<(Vec<Event>, cache::Facts), StoreError> {
    let doc = parse_document(path, text)?;
    let events = read_events(path, text, &doc)?;
    Ok((events, splice::facts(text, &doc)))
}

/// The text of new `[[event]]` tables as `toml_edit` writes them after
/// the tables of a document: each header after a blank line.
pub(super) fn render_appended(tables: Vec<Table>) -> String {
    let mut aot = ArrayOfTables::new();
    for mut table in tables {
        // A document's first table gets no blank line above it by
        // default; these follow the store's tables.
        if aot.is_empty() {
            table.decor_mut().set_prefix("\n");
        }
        aot.push(table);
    }
    let mut doc = DocumentMut::new();
    doc.insert("event", Item::ArrayOfTables(aot));
    doc.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Status;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn new_event(title: &str, when: When) -> Event {
        let value = when_value(&when);
        Event {
            id: event_id(title, &value),
            title: title.into(),
            kind: Kind::Meeting,
            when,
            value,
            place: Some("Vienna".into()),
            context: Some("Talks «2014»".into()),
            status: Status::Open,
            added: at(2014, 10, 14),
            notes: Some("two\nlines \"quoted\"".into()),
            remind: None,
            tags: vec!["work".into()],
            tz: None,
            modified: None,
            edits: 0,
            sources: vec![Source {
                file: "a.txt".into(),
                sentence: "Talks on Wednesday.".into(),
                start: 9,
                end: 18,
                timex: "Wednesday".into(),
            }],
        }
    }

    fn batches() -> Vec<Vec<Event>> {
        let day = |d| NaiveDate::from_ymd_opt(2014, 10, d).unwrap();
        let mut bare = new_event("Hand-added", When::Date(day(20)));
        bare.sources.clear();
        bare.tags.clear();
        bare.context = None;
        bare.notes = None;
        vec![
            vec![new_event("Kerry to meet Zarif", When::Date(day(15)))],
            vec![
                new_event(
                    "Call",
                    When::DateTime {
                        at: day(16).and_hms_opt(15, 0, 0).unwrap(),
                        offset: Some(-300),
                    },
                ),
                new_event(
                    "Dispute",
                    When::Range {
                        start: day(1),
                        end: day(30),
                    },
                ),
                bare,
            ],
        ]
    }

    const LF: &str = "# My deadlines.\n\n[[event]]\nid = \"ev-1\"\ntitle = \"Old\" # kept\nkind = \"deadline\"\ndate = 2014-11-24\nsource = [{ file = \"x.txt\", start = 1, end = 2 }]\n\n# Between events.\n[[event]]\ntitle = \"By hand\"\nkind = \"past\"\ndate = 2014-01-02\n\n[[event.source]]\nfile = \"y.txt\"\nstart = 3\nend = 4\n";

    fn dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("timeline-merge-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The same batches merged into two copies of `text`: the first
    /// through the fast path (the read cache current), the second through
    /// the full path (its cache removed before each merge). Both files
    /// must be the same bytes after each batch.
    fn fast_and_full(name: &str, text: &str) -> String {
        let dir = dir(name);
        let fast = Store::new(dir.join("fast.toml"));
        let full = Store::new(dir.join("full.toml"));
        fs::write(fast.path(), text).unwrap();
        fs::write(full.path(), text).unwrap();
        fast.load().unwrap();
        for batch in batches() {
            let _ = fs::remove_file(full.cache_path());
            let expected = full.merge(&batch).unwrap();
            let report = fast.append_new(&batch).unwrap();
            assert_eq!(
                report,
                Some(expected),
                "{name}: the fast path was not taken"
            );
            let (a, b) = (
                fs::read(fast.path()).unwrap(),
                fs::read(full.path()).unwrap(),
            );
            assert_eq!(
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b),
                "{name}"
            );
        }
        // The cache the fast path left is what a parse of the file gives.
        let written = fs::read_to_string(fast.path()).unwrap();
        let cached = cache::read(&fast.cache_path(), cache::Key::of(written.as_bytes()));
        assert_eq!(cached, Some(read_store(fast.path(), &written).unwrap()));
        assert!(
            cache::read_appendable(&fast.cache_path(), cache::Key::of(written.as_bytes()))
                .is_some()
        );
        // Each append is undone as any change is.
        fast.undo().unwrap();
        fast.undo().unwrap();
        assert_eq!(fs::read_to_string(fast.path()).unwrap(), text);
        let _ = fs::remove_dir_all(&dir);
        written
    }

    #[test]
    fn appending_new_events_writes_the_bytes_the_full_path_writes() {
        let written = fast_and_full("lf", LF);
        assert!(written.starts_with(LF), "{written}");
        assert!(written.contains("title = \"Old\" # kept\n"));
    }

    #[test]
    fn a_windows_store_is_appended_to_in_its_line_ends() {
        let text = format!("\u{feff}{}", LF.replace('\n', "\r\n"));
        let written = fast_and_full("crlf", &text);
        assert!(written.starts_with(&text));
        assert!(!written.replace("\r\n", "").contains('\n'), "{written:?}");
        assert_eq!(written.matches('\u{feff}').count(), 1);
    }

    #[test]
    fn a_hand_edit_sends_the_merge_down_the_full_path() {
        let dir = dir("edited");
        let store = Store::new(dir.join("events.toml"));
        fs::write(store.path(), LF).unwrap();
        store.load().unwrap();
        // Same length, different bytes: only the hash tells.
        let edited = LF.replace("title = \"Old\"", "title = \"New\"") + "# The end.\n";
        fs::write(store.path(), &edited).unwrap();
        let batch = &batches()[0];
        assert_eq!(store.append_new(batch).unwrap(), None);
        let report = store.merge(batch).unwrap();
        assert_eq!(report.added.len(), 1);
        let written = fs::read_to_string(store.path()).unwrap();
        assert!(written.contains("title = \"New\" # kept\n"), "{written}");
        assert!(written.contains("# Between events.\n"), "{written}");
        assert!(written.contains("# The end.\n"), "{written}");
        assert!(written.contains("Kerry to meet Zarif"), "{written}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn unusual_stores_and_known_events_take_the_full_path() {
        let dir = dir("unusual");
        let store = Store::new(dir.join("events.toml"));
        let trailing_comment = format!("{LF}# The end.\n");
        let other_table = format!("{LF}\n[settings]\nx = 1\n");
        let stray_lf = format!("{}x = 1\n", LF.replace('\n', "\r\n"));
        for text in [
            trailing_comment.as_str(),
            other_table.as_str(),
            stray_lf.as_str(),
            LF.trim_end(),
            "# No events yet.\n",
        ] {
            fs::write(store.path(), text).unwrap();
            store.load().unwrap();
            assert_eq!(store.append_new(&batches()[0]).unwrap(), None, "{text:?}");
        }
        // An event stored already, gaining a source, is the full path's.
        fs::write(store.path(), LF).unwrap();
        let mut batch = batches()[0].clone();
        store.merge(&batch).unwrap();
        batch[0].sources[0].start += 100;
        assert_eq!(store.append_new(&batch).unwrap(), None);
        let report = store.merge(&batch).unwrap();
        assert_eq!((report.added.len(), report.updated), (0, 1));
        // An id taken by another event: the new id must be free among
        // all stored ids, which the fast path does not look at.
        let mut collision = batches()[0][0].clone();
        collision.title = "Another title".into();
        assert_eq!(
            store.append_new(std::slice::from_ref(&collision)).unwrap(),
            None
        );
        let report = store.merge(std::slice::from_ref(&collision)).unwrap();
        assert_eq!(report.renamed.len(), 1);
        store.undo().unwrap();
        // Nothing new and nothing to update: answered without a write.
        let before = fs::read(store.path()).unwrap();
        let report = store.append_new(&batch).unwrap().unwrap();
        assert_eq!(report.unchanged, 1);
        assert_eq!(fs::read(store.path()).unwrap(), before);
        let _ = fs::remove_dir_all(&dir);
    }
}
