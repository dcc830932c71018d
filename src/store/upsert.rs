//! Upserting by id, for imports: an incoming event whose id is stored
//! replaces it with what the caller makes of the two (the policy, which
//! fields the file may change, is the importer's), and a new id is
//! appended. Unlike [`Store::merge`], one id is always one event: a
//! calendar's UID names the same event however its title or time change.

use super::*;

/// What an upsert did, or would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpsertReport {
    /// The new events, as stored, in order.
    pub added: Vec<Event>,
    /// The stored events that changed, as they are afterwards.
    pub updated: Vec<Event>,
    /// Incoming events the store already held as they are.
    pub unchanged: usize,
}

/// The store's events after an upsert, and what changed.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub events: Vec<Event>,
    pub report: UpsertReport,
    /// The positions of the stored events that changed, ascending; the
    /// added ones follow the stored ones in `events`.
    changed: Vec<usize>,
}

/// Plans an upsert of `incoming` into `stored` without writing anything
/// (what `--dry-run` shows). An incoming event whose id is stored becomes
/// `combine(stored event, its index in incoming)`; an id seen twice in
/// `incoming` combines with the first one's result.
pub fn plan_upsert(
    stored: &[Event],
    incoming: &[Event],
    combine: impl Fn(&Event, usize) -> Event,
) -> Plan {
    let mut events = stored.to_vec();
    let mut index: HashMap<String, usize> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect();
    let mut changed: Vec<usize> = Vec::new();
    let mut unchanged = 0;
    for (n, event) in incoming.iter().enumerate() {
        match index.get(&event.id) {
            Some(&i) => {
                let mut after = combine(&events[i], n);
                // The id is what matched: the policy cannot move an event.
                after.id.clone_from(&events[i].id);
                if after == events[i] {
                    unchanged += 1;
                } else {
                    events[i] = after;
                    changed.push(i);
                }
            }
            None => {
                index.insert(event.id.clone(), events.len());
                events.push(event.clone());
            }
        }
    }
    changed.sort_unstable();
    changed.dedup();
    let report = UpsertReport {
        added: events[stored.len()..].to_vec(),
        updated: changed
            .iter()
            .filter(|&&i| i < stored.len())
            .map(|&i| events[i].clone())
            .collect(),
        unchanged,
    };
    changed.retain(|&i| i < stored.len());
    Plan {
        events,
        report,
        changed,
    }
}

impl Store {
    /// Upserts under the lock, as [`plan_upsert`] plans it: changed events
    /// are rewritten in place (their comments and unknown keys kept), new
    /// ones appended. Nothing is written when nothing changes; a change
    /// is written whole or not at all.
    pub fn upsert(
        &self,
        incoming: &[Event],
        combine: impl Fn(&Event, usize) -> Event,
    ) -> Result<UpsertReport, StoreError> {
        let path = self.path.clone();
        self.modify(true, None, &mut |doc, stored| {
            let before = stored.len();
            let plan = plan_upsert(stored, incoming, &combine);
            let cannot = |e: &Event, m: String| StoreError::Invalid {
                path: path.clone(),
                line: 0,
                message: format!("cannot store event {}: {m}", e.id),
            };
            for &i in &plan.changed {
                let (old, new) = (&stored[i], &plan.events[i]);
                let fresh = event_to_table(new).map_err(|m| cannot(new, m))?;
                let table = event_table_mut(doc, i, &path)?;
                rewrite(table, &fresh, &old.sources, &new.sources, &path)?;
            }
            for e in &plan.events[before..] {
                append_event(doc, event_to_table(e).map_err(|m| cannot(e, m))?);
            }
            let changed = plan.events.len() > before || !plan.changed.is_empty();
            *stored = plan.events;
            Ok((plan.report, changed))
        })
    }
}

/// Makes a stored event's table say what `fresh` says, keeping each kept
/// value's comment and every key `timeline` does not know.
fn rewrite(
    table: &mut Table,
    fresh: &Table,
    old: &[Source],
    new: &[Source],
    path: &Path,
) -> Result<(), StoreError> {
    rewrite_values(table, fresh);
    if old == new {
        return Ok(());
    }
    if new.starts_with(old) {
        return add_sources(table, &new[old.len()..], path);
    }
    table.remove("source");
    if !new.is_empty() {
        let mut aot = ArrayOfTables::new();
        for s in new {
            aot.push(source_table(s));
        }
        table.insert("source", Item::ArrayOfTables(aot));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, title: &str, day: u32) -> Event {
        let when = When::Date(NaiveDate::from_ymd_opt(2026, 12, day).unwrap());
        let added = NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_time(NaiveTime::MIN);
        Event {
            id: id.into(),
            sources: vec![Source {
                file: "cal.ics".into(),
                sentence: title.into(),
                start: 0,
                end: 0,
                timex: String::new(),
            }],
            ..Event::new(title, Kind::Scheduled, when, added)
        }
    }

    fn scratch(name: &str) -> Store {
        let dir =
            std::env::temp_dir().join(format!("timeline-upsert-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Store::new(dir.join("events.toml"))
    }

    /// The incoming event as it is: what a file that is always right does.
    fn replace(_: &Event, n: usize, incoming: &[Event]) -> Event {
        incoming[n].clone()
    }

    #[test]
    fn an_id_is_updated_in_place_with_its_comments_and_unknown_keys() {
        let store = scratch("in-place");
        let first = [event("ev-1", "Review", 10), event("ev-2", "Party", 12)];
        let report = store.upsert(&first, |s, n| replace(s, n, &first)).unwrap();
        assert_eq!(report.added.len(), 2);
        // The user comments the event and adds a key of their own.
        let text = fs::read_to_string(store.path()).unwrap();
        let text = text.replace(
            "title = \"Review\"",
            "title = \"Review\"  # from the team calendar\nmine = 1",
        );
        fs::write(store.path(), text).unwrap();

        let mut moved = event("ev-1", "Budget review", 11);
        moved.tags = vec!["work".into()];
        let second = [moved.clone(), event("ev-2", "Party", 12)];
        let report = store
            .upsert(&second, |s, n| replace(s, n, &second))
            .unwrap();
        assert_eq!(report.added, []);
        assert_eq!(report.updated, [moved.clone()]);
        assert_eq!(report.unchanged, 1);
        let events = store.load().unwrap();
        assert_eq!(events, second);
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(
            text.contains("title = \"Budget review\"  # from the team calendar\nmine = 1"),
            "{text}"
        );
        assert_eq!(text.matches("[[event.source]]").count(), 2, "{text}");

        // Nothing to change writes nothing.
        let before = fs::metadata(store.path()).unwrap().modified().unwrap();
        let report = store
            .upsert(&second, |s, n| replace(s, n, &second))
            .unwrap();
        assert_eq!((report.added.len(), report.updated.len()), (0, 0));
        assert_eq!(
            fs::metadata(store.path()).unwrap().modified().unwrap(),
            before
        );
        // Kept only when the test fails, to look at.
        if let Some(dir) = store.path().parent() {
            let _ = fs::remove_dir_all(dir);
        }
    }

    #[test]
    fn a_plan_writes_nothing_and_the_policy_cannot_move_an_event() {
        let stored = [event("ev-1", "Review", 10)];
        let incoming = [event("ev-1", "Review", 11), event("ev-3", "New", 1)];
        let plan = plan_upsert(&stored, &incoming, |s, n| Event {
            id: "ev-elsewhere".into(),
            ..replace(s, n, &incoming)
        });
        assert_eq!(plan.report.updated[0].id, "ev-1");
        assert_eq!(plan.report.added, [incoming[1].clone()]);
        assert_eq!(plan.events.len(), 2);
    }
}
