use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn event(when: When) -> Event {
    let value = when_value(&when);
    Event {
        id: event_id("Talks", &value),
        title: "Talks".into(),
        kind: Kind::Meeting,
        when,
        value,
        place: Some("Vienna".into()),
        context: None,
        status: Status::Open,
        added: d(2014, 10, 14).and_hms_opt(9, 30, 0).unwrap(),
        notes: None,
        remind: Some("1d".into()),
        tags: Vec::new(),
        tz: None,
        modified: None,
        edits: 0,
        sources: vec![Source {
            file: "a.txt".into(),
            sentence: "Talks on Nov. 24 in \"Vienna\".\nNext line.".into(),
            start: 9,
            end: 16,
            timex: "Nov. 24".into(),
        }],
    }
}

/// Event → table → text → event.
fn round_trip(e: &Event) -> (String, Event) {
    let mut doc = DocumentMut::new();
    append_event(&mut doc, event_to_table(e).unwrap());
    let text = doc.to_string();
    let (_, events) = parse_store(Path::new("t.toml"), &text).unwrap();
    assert_eq!(events.len(), 1, "{text}");
    (text, events.into_iter().next().unwrap())
}

fn invalid_line(text: &str) -> (usize, String) {
    match parse_store(Path::new("t.toml"), text) {
        Err(StoreError::Invalid { line, message, .. }) => (line, message),
        Err(other) => panic!("expected Invalid, got {other}"),
        Ok(_) => panic!("expected Invalid, got Ok"),
    }
}

#[test]
fn date_round_trips() {
    let e = event(When::Date(d(2014, 11, 24)));
    let (text, back) = round_trip(&e);
    assert!(text.contains("\ndate = 2014-11-24\n"), "{text}");
    assert!(text.contains("added = 2014-10-14T09:30:00\n"), "{text}");
    assert!(text.contains("\n[[event.source]]\n"), "{text}");
    assert_eq!(back, e);
}

#[test]
fn datetime_with_offset_round_trips() {
    let at = d(2014, 10, 15).and_hms_opt(15, 0, 0).unwrap();
    let e = event(When::DateTime {
        at,
        offset: Some(-300),
    });
    let (text, back) = round_trip(&e);
    assert!(text.contains("at = 2014-10-15T15:00:00\n"), "{text}");
    assert!(text.contains("offset = \"-05:00\"\n"), "{text}");
    assert_eq!(back, e);

    let e = event(When::DateTime {
        at,
        offset: Some(330),
    });
    let (text, back) = round_trip(&e);
    assert!(text.contains("offset = \"+05:30\"\n"), "{text}");
    assert_eq!(back, e);
}

#[test]
fn datetime_without_offset_round_trips() {
    let at = d(2014, 10, 15)
        .and_hms_nano_opt(8, 5, 7, 250_000_000)
        .unwrap();
    let e = event(When::DateTime { at, offset: None });
    let (text, back) = round_trip(&e);
    assert!(text.contains("at = 2014-10-15T08:05:07.25\n"), "{text}");
    assert!(!text.contains("offset"), "{text}");
    assert_eq!(back, e);
}

#[test]
fn range_round_trips() {
    let e = event(When::Range {
        start: d(2014, 3, 1),
        end: d(2014, 11, 1),
    });
    let (text, back) = round_trip(&e);
    assert!(
        text.contains("start = 2014-03-01\nend = 2014-11-01\n"),
        "{text}"
    );
    assert!(text.contains("value = \"2014-03/2014-10\""), "{text}");
    assert_eq!(back, e);
}

#[test]
fn recurrence_round_trips() {
    let mut e = event(When::Recurring(Recurrence::of_timex(
        "XXXX-WXX-1",
        None,
        chrono::NaiveDate::from_ymd_opt(2014, 10, 14).unwrap(),
    )));
    e.kind = Kind::Recurring;
    e.place = None;
    e.remind = None;
    e.notes = Some("every Monday".into());
    e.status = Status::Done;
    e.sources.clear();
    let (text, back) = round_trip(&e);
    assert!(
        text.contains("recurs = \"FREQ=WEEKLY;BYDAY=MO\"\n"),
        "{text}"
    );
    assert!(text.contains("first = 2014-10-20\n"), "{text}");
    assert!(text.contains("status = \"done\"\n"), "{text}");
    assert!(!text.contains("where"), "{text}");
    assert_eq!(back, e);
}

#[test]
fn timed_recurrences_keep_their_time_and_done_occurrences() {
    let from = d(2026, 11, 30);
    let mut r = Recurrence::new(
        "FREQ=MONTHLY;BYDAY=1MO",
        from,
        NaiveTime::from_hms_opt(19, 0, 0),
    )
    .unwrap();
    r.done_through = Some(d(2026, 12, 7));
    let mut e = event(When::Recurring(r));
    e.kind = Kind::Recurring;
    let (text, back) = round_trip(&e);
    assert!(text.contains("first = 2026-12-07T19:00:00\n"), "{text}");
    assert!(text.contains("done_through = 2026-12-07\n"), "{text}");
    assert_eq!(back, e);
}

#[test]
fn stores_written_before_rules_read_their_timex_values() {
    let text = "[[event]]\ntitle = \"Standup\"\nkind = \"recurring\"\nrecurs = \"XXXX-WXX-4\"\nadded = 2026-11-30T10:00:00\n";
    let (_, events) = schema::parse_store(Path::new("events.toml"), text).unwrap();
    let When::Recurring(r) = &events[0].when else {
        panic!("{:?}", events[0].when);
    };
    assert_eq!(r.rule.as_deref(), Some("FREQ=WEEKLY;BYDAY=TH"));
    assert_eq!(r.start, Some(d(2026, 12, 3)));
}

#[test]
fn a_bad_rule_names_its_line() {
    let text =
        "[[event]]\ntitle = \"Standup\"\nkind = \"recurring\"\nrecurs = \"FREQ=FORTNIGHTLY\"\n";
    let err = schema::parse_store(Path::new("events.toml"), text)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 4") && err.contains("FORTNIGHTLY"),
        "{err}"
    );
}

#[test]
fn leap_second_round_trips() {
    let at = d(2016, 12, 31)
        .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
        .unwrap();
    let e = event(When::DateTime { at, offset: None });
    let (text, back) = round_trip(&e);
    assert!(text.contains("at = 2016-12-31T23:59:60.5\n"), "{text}");
    assert_eq!(back, e);
}

#[test]
fn years_past_9999_are_refused() {
    let e = event(When::Date(d(12000, 1, 1)));
    assert!(event_to_table(&e).unwrap_err().contains("12000"));
}

#[test]
fn hand_written_event_gets_defaults() {
    let text =
        "[[event]]\ntitle = \"Dentist\"\nkind = \"Scheduled\"\nat = 2014-10-15T15:00:00-05:00\n";
    let (_, events) = parse_store(Path::new("t.toml"), text).unwrap();
    let e = &events[0];
    assert_eq!(e.value, "2014-10-15T15:00");
    assert_eq!(e.id, event_id("Dentist", "2014-10-15T15:00"));
    assert_eq!(e.kind, Kind::Scheduled);
    assert_eq!(e.status, Status::Open);
    assert_eq!(e.added, DateTime::UNIX_EPOCH.naive_utc());
    assert_eq!(
        e.when,
        When::DateTime {
            at: d(2014, 10, 15).and_hms_opt(15, 0, 0).unwrap(),
            offset: Some(-300)
        }
    );
    assert!(e.sources.is_empty());
}

#[test]
fn inline_sources_are_read() {
    let text = "[[event]]\ntitle = \"X\"\nkind = \"past\"\ndate = 2014-01-02\n\
                source = [{ file = \"a.txt\", start = 1, end = 5 }]\n";
    let (_, events) = parse_store(Path::new("t.toml"), text).unwrap();
    assert_eq!(events[0].sources[0].file, "a.txt");
    assert_eq!(events[0].sources[0].end, 5);
}

#[test]
fn invalid_fields_name_their_line() {
    let base = "# top\n\n[[event]]\ntitle = \"X\"\n";
    let (line, msg) = invalid_line(&format!("{base}kind = \"party\"\ndate = 2014-01-02\n"));
    assert_eq!(line, 5);
    assert!(msg.contains("party"), "{msg}");

    let (line, msg) = invalid_line(&format!(
        "{base}kind = \"past\"\ndate = 2014-01-02\nstatus = \"later\"\n"
    ));
    assert_eq!(line, 7);
    assert!(msg.contains("later"), "{msg}");

    let (line, msg) = invalid_line(&format!("{base}kind = \"past\"\n"));
    assert_eq!(line, 3);
    assert!(msg.contains("missing a time"), "{msg}");

    let (line, _) = invalid_line(&format!(
        "{base}kind = \"past\"\ndate = 2014-01-02\nat = 2014-01-02T10:00:00\n"
    ));
    assert_eq!(line, 3);

    let (line, _) = invalid_line(&format!("{base}kind = \"past\"\ndate = \"2014-01-02\"\n"));
    assert_eq!(line, 6);

    let (line, _) = invalid_line(&format!("{base}kind = \"past\"\nstart = 2014-01-02\n"));
    assert_eq!(line, 3);

    let (line, _) = invalid_line(&format!(
        "{base}kind = \"past\"\nat = 2014-01-02T10:00:00\noffset = \"EST\"\n"
    ));
    assert_eq!(line, 7);

    let (line, _) = invalid_line(&format!(
        "{base}kind = \"past\"\ndate = 2014-01-02\n\n[[event.source]]\nfile = \"a\"\nstart = -1\nend = 3\n"
    ));
    assert_eq!(line, 10);

    let (line, msg) = invalid_line("[[event]]\nid = \"ev-1\"\ntitle = \"X\"\nkind = \"past\"\ndate = 2014-01-02\n\n[[event]]\nid = \"ev-1\"\ntitle = \"Y\"\nkind = \"past\"\ndate = 2014-01-02\n");
    assert_eq!(line, 7);
    assert!(msg.contains("line 1"), "{msg}");

    let (line, _) = invalid_line("x = 1\nevent = 3\n");
    assert_eq!(line, 2);
}

#[test]
fn parse_errors_give_line_and_column() {
    let text = "[[event]]\ntitle = \"X\"\nkind = past\n";
    match parse_store(Path::new("dir/events.toml"), text) {
        Err(e @ StoreError::Parse { line, column, .. }) => {
            assert_eq!((line, column), (3, 8));
            let shown = e.to_string();
            assert!(shown.starts_with("dir/events.toml: "), "{shown}");
            assert!(shown.contains("line 3, column 8"), "{shown}");
            assert!(!shown.contains('\n'), "{shown}");
        }
        other => panic!("{other:?}"),
    }
    // Duplicate keys are TOML errors too.
    let text = "[[event]]\ntitle = \"X\"\ntitle = \"Y\"\n";
    match parse_store(Path::new("events.toml"), text) {
        Err(StoreError::Parse { line, .. }) => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn offsets_parse() {
    assert_eq!(parse_offset("-05:00"), Some(-300));
    assert_eq!(parse_offset("+05:30"), Some(330));
    assert_eq!(parse_offset("Z"), Some(0));
    assert_eq!(parse_offset("05:00"), None);
    assert_eq!(parse_offset("+5:0"), None);
    for m in [i16::MIN, -1439, -1, 0, 59, 1439, i16::MAX] {
        assert_eq!(parse_offset(&format_offset(m)), Some(m));
    }
}

#[test]
fn removal_keeps_separated_comments() {
    assert_eq!(comments_to_keep("# head\n\n# mine\n"), "# head\n\n");
    assert_eq!(comments_to_keep("\n# mine\n"), "");
    assert_eq!(comments_to_keep("\n"), "");
    assert_eq!(strip_leading_blank_lines("\n \n# b\n"), "# b\n");
    assert_eq!(with_blank_line_after("# a"), "# a\n\n");
    assert_eq!(with_blank_line_after("# a\n"), "# a\n\n");
    assert_eq!(with_blank_line_after("# a\n\n"), "# a\n\n");
}

#[test]
fn cache_round_trips_every_field() {
    let mut events = vec![
        event(When::Date(d(2014, 11, 24))),
        event(When::DateTime {
            at: d(2016, 12, 31)
                .and_hms_nano_opt(23, 59, 59, 1_999_999_999)
                .unwrap(),
            offset: Some(i16::MIN),
        }),
        event(When::DateTime {
            at: d(-44, 3, 15).and_hms_opt(0, 0, 0).unwrap(),
            offset: None,
        }),
        event(When::Range {
            start: NaiveDate::MIN,
            end: NaiveDate::MAX,
        }),
        event(When::Recurring(Recurrence::of_timex(
            "XXXX-WXX-1",
            None,
            chrono::NaiveDate::from_ymd_opt(2014, 10, 14).unwrap(),
        ))),
    ];
    events[1].place = None;
    events[1].notes = Some(String::new());
    events[2].status = Status::Done;
    events[2].title = "Zürich — «quoted»\n\u{1F600}".into();
    events[3].sources[0].start = usize::MAX;
    events[4].sources.clear();
    for (i, e) in events.iter_mut().enumerate() {
        e.kind = Kind::ALL[i];
    }
    let key = cache::Key::of(b"store");
    let bytes = cache::contents(key, &events, &cache::Facts::default(), b"store").unwrap();
    let payload = &bytes[cache::HEADER_LEN..];
    assert_eq!(cache::decode(payload).unwrap(), events);
    assert_eq!(
        cache::decode(
            &cache::contents(key, &[], &cache::Facts::default(), b"store").unwrap()
                [cache::HEADER_LEN..]
        ),
        Some(vec![])
    );
    // Every truncation, and anything after the end, is refused.
    for n in 0..payload.len() {
        assert_eq!(cache::decode(&payload[..n]), None, "{n}");
    }
    assert_eq!(cache::decode(&[payload, &[0]].concat()), None);
}

#[test]
fn cache_hash_sees_every_one_byte_change() {
    let text: Vec<u8> = (0..200u8).map(|i| i.wrapping_mul(37)).collect();
    for len in [0, 1, 7, 8, 31, 32, 33, 100, 200] {
        let base = &text[..len];
        let h = cache::hash(base);
        for i in 0..len {
            for bit in 0..8 {
                let mut changed = base.to_vec();
                changed[i] ^= 1 << bit;
                assert_ne!(cache::hash(&changed), h, "len {len}, byte {i}, bit {bit}");
            }
        }
    }
    // Zero padding of the last word does not hide a length change.
    assert_ne!(cache::hash(b"abc"), cache::hash(b"abc\0"));
    // Given in pieces of any size, the same hash.
    let long: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
    for piece in [1, 5, 31, 32, 33, 64, 999] {
        let mut h = cache::Hasher::new();
        long.chunks(piece).for_each(|c| h.update(c));
        assert_eq!(h.finish(), cache::hash(&long), "{piece}");
    }
    assert_ne!(cache::hash(b""), cache::hash(&[0; 32]));
    assert_ne!(cache::Key::of(b"ab"), cache::Key::of(b"ba"));
}

#[test]
fn cache_temp_names_are_recognized() {
    let name = ".events.toml.cache";
    assert!(cache::is_temp_name(name, ".events.toml.cache.123-4.tmp"));
    assert!(!cache::is_temp_name(name, ".events.toml.cache"));
    assert!(!cache::is_temp_name(name, ".events.toml.cache.x-4.tmp"));
    assert!(!cache::is_temp_name(name, ".events.toml.cache.old.tmp"));
    // Store temp files and cache temp files do not overlap.
    assert!(!is_temp_name("events.toml", ".events.toml.cache.123-4.tmp"));
    assert!(!cache::is_temp_name(name, ".events.toml.123-4.tmp"));
}

#[test]
fn temp_names_are_recognized() {
    assert!(is_temp_name("events.toml", ".events.toml.123-4.tmp"));
    assert!(!is_temp_name("events.toml", ".events.toml.x-4.tmp"));
    assert!(!is_temp_name("events.toml", "events.toml"));
    assert!(!is_temp_name("events.toml", ".events.toml.backup.tmp"));
}

/// A store with a heading, a table that is not an event between two
/// events, and comments inside an event.
const BLOCKS: &str = r#"# My deadlines

[[event]]
id = "ev-a"
title = "A"   # the first
kind = "meeting"
date = 2014-10-15

[settings]
colour = "blue"

[[event]]
id = "ev-b"
title = "B"
kind = "deadline"
date = 2014-11-24 # due
value = "2014-11-24"

[[event.source]]
file = "a.txt"
start = 1
end = 2
"#;

fn block_store(name: &str) -> (PathBuf, Store) {
    let dir = std::env::temp_dir().join(format!("timeline-block-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.toml");
    fs::write(&path, BLOCKS).unwrap();
    (dir, Store::new(&path))
}

#[test]
fn an_event_block_is_its_table_as_written() {
    let (dir, store) = block_store("text");
    let (event, block) = store.event_block("ev-b").unwrap();
    assert_eq!(event.title, "B");
    let start = BLOCKS.find("[[event]]\nid = \"ev-b\"").unwrap();
    assert_eq!(block, &BLOCKS[start..]);
    // The heading above the first event belongs to the file, not the event.
    let (_, first) = store.event_block("ev-a").unwrap();
    assert!(first.starts_with("[[event]]\nid = \"ev-a\"\ntitle = \"A\"   # the first\n"));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_replaced_block_stays_where_the_event_was() {
    let (dir, store) = block_store("replace");
    let (before, block) = store.event_block("ev-a").unwrap();
    let edited = block.replace("title = \"A\"", "title = \"A2\"")
        + "\n[[event.source]]\nfile = \"b.txt\"\nstart = 3\nend = 4\n";
    let now = d(2026, 11, 30).and_hms_opt(9, 0, 0).unwrap();
    let (after, changed) = store
        .replace_block(&before, Path::new("edit.toml"), &edited, now)
        .unwrap();
    assert!(changed);
    assert_eq!(after.title, "A2");
    assert_eq!(after.sources.len(), 1);
    // The change is stamped, for the feed's LAST-MODIFIED and SEQUENCE.
    assert_eq!((after.modified, after.edits), (Some(now), 1));
    let text = fs::read_to_string(store.path()).unwrap();
    let text = text.replace("modified = 2026-11-30T09:00:00\nedits = 1\n", "");
    let expected = BLOCKS.replace(
        "date = 2014-10-15\n",
        "date = 2014-10-15\n\n[[event.source]]\nfile = \"b.txt\"\nstart = 3\nend = 4\n",
    );
    assert_eq!(text, expected.replace("title = \"A\"", "title = \"A2\""));
    // Undo puts the file back byte for byte.
    store.undo().unwrap();
    assert_eq!(fs::read_to_string(store.path()).unwrap(), BLOCKS);
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn an_edited_block_is_checked_like_the_store() {
    let (dir, store) = block_store("checks");
    let (before, block) = store.event_block("ev-b").unwrap();
    let label = Path::new("edit.toml");
    let error = |text: &str| match read_edited(label, text, &before, true) {
        Err(e) => e.to_string(),
        Ok(e) => panic!("accepted {e:?}"),
    };
    let bad_kind = block.replace("\"deadline\"", "\"deadlin\"");
    assert!(error(&bad_kind).starts_with("edit.toml: line 4: unknown kind"));
    let new_id = block.replace("\"ev-b\"", "\"ev-a\"");
    assert!(error(&new_id).contains("line 2: the id cannot change"));
    assert!(error(&format!("x = 1\n{block}")).contains("line 1: `x` is outside"));
    assert!(error(&format!(
        "{block}[[event]]\ntitle = \"C\"\nkind = \"past\"\ndate = 2014-01-01\n"
    ))
    .contains("holds 2 [[event]] tables"));
    assert!(error("[[event]\n").contains("TOML parse error at line 1"));
    // A value left as it was follows a changed date.
    let moved = read_edited(
        label,
        &block.replace("date = 2014-11-24", "date = 2014-11-25"),
        &before,
        true,
    )
    .unwrap();
    assert_eq!(moved.value, "2014-11-25");
    let now = d(2026, 11, 30).and_hms_opt(9, 0, 0).unwrap();
    let (mut after, _) = store
        .replace_block(
            &before,
            label,
            &block.replace("date = 2014-11-24", "date = 2014-11-25"),
            now,
        )
        .unwrap();
    assert_eq!(after.edits, 1);
    (after.modified, after.edits) = (None, 0);
    assert_eq!(after, moved);
    let text = fs::read_to_string(store.path()).unwrap();
    assert!(
        text.contains("date = 2014-11-25 # due\nvalue = \"2014-11-25\"\n"),
        "{text}"
    );
    // The stored event is no longer `before`: a second edit from it is refused.
    let again = store.replace_block(&before, label, &block, now);
    assert!(again
        .unwrap_err()
        .to_string()
        .contains("changed while it was being edited"));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_table_load_keeps_what_tables_show() {
    let mut events = vec![
        event(When::Date(d(2014, 11, 24))),
        event(When::Recurring(Recurrence::of_timex(
            "XXXX-WXX-1",
            None,
            d(2014, 10, 14),
        ))),
    ];
    events[0].notes = Some("Bring the slides".into());
    events[0].tz = Some("Europe/Vienna".into());
    events[0].context = Some("ICWX 2026".into());
    events[0].tags = vec!["work".into()];
    let mut doc = DocumentMut::new();
    for e in &events {
        append_event(&mut doc, event_to_table(e).unwrap());
    }
    let dir = std::env::temp_dir().join(format!("timeline-view-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.toml");
    fs::write(&path, doc.to_string()).unwrap();
    let store = Store::new(&path);
    // The first load writes the cache; the second reads the table's
    // fields from it, and what tables never show is left empty.
    assert_eq!(store.load().unwrap(), events);
    let mut shown = events.clone();
    for e in &mut shown {
        if !matches!(e.when, When::Recurring(_)) {
            e.value.clear();
        }
        for text in [&mut e.notes, &mut e.remind, &mut e.tz]
            .into_iter()
            .flatten()
        {
            text.clear();
        }
        e.sources.clear();
    }
    assert_eq!(store.load_for_table().unwrap(), shown);
    assert_eq!(store.load().unwrap(), events);
    let _ = fs::remove_dir_all(dir);
}
