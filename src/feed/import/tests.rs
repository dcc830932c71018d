use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::*;
use crate::events::{uid_id, Recurrence};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 30)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

/// A calendar around `body` (lines joined with CRLF, as RFC 5545 writes).
fn calendar(body: &[&str]) -> String {
    let mut lines = vec!["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN"];
    lines.extend_from_slice(body);
    lines.push("END:VCALENDAR");
    lines.join("\r\n") + "\r\n"
}

fn ics(body: &[&str]) -> Read {
    read(&calendar(body), Format::Ics, "cal.ics", now()).unwrap()
}

fn one(body: &[&str]) -> Imported {
    let mut r = ics(body);
    assert_eq!(r.events.len(), 1, "{:?}", r.events);
    r.events.remove(0)
}

fn error(text: &str) -> ImportError {
    read(text, Format::Ics, "cal.ics", now()).unwrap_err()
}

#[test]
fn an_all_day_event_with_escapes_and_categories() {
    let i = one(&[
        "BEGIN:VEVENT",
        "UID:a1@example.org",
        "DTSTART;VALUE=DATE:20261210",
        "DTEND;VALUE=DATE:20261211",
        "SUMMARY:Report\\, final\\; really",
        "LOCATION:Room 4\\, 2nd floor",
        "DESCRIPTION:Line one\\nline two",
        "CATEGORIES:work,Deadline,grants\\, EU",
        "END:VEVENT",
    ]);
    let e = &i.event;
    assert_eq!(e.id, uid_id("a1@example.org"));
    assert_eq!(e.title, "Report, final; really");
    assert_eq!(e.when, When::Date(day(2026, 12, 10)));
    assert_eq!(e.value, "2026-12-10");
    assert_eq!(e.place.as_deref(), Some("Room 4, 2nd floor"));
    assert_eq!(e.notes.as_deref(), Some("Line one\nline two"));
    // The first category naming a kind is the kind.
    assert_eq!(e.kind, Kind::Deadline);
    assert!(i.kind_stated);
    assert_eq!(e.tags, ["work", "grants, EU"]);
    assert_eq!(e.added, now());
    assert_eq!(e.sources.len(), 1);
    assert_eq!(e.sources[0].file, "cal.ics");
    assert_eq!(e.sources[0].timex, "20261210");
}

#[test]
fn dates_ranges_and_kinds_by_date() {
    let r = ics(&[
        "BEGIN:VEVENT",
        "UID:r1",
        "DTSTART;VALUE=DATE:20261214",
        "DTEND;VALUE=DATE:20261219",
        "SUMMARY:Conference",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:r2",
        "DTSTART:20261101",
        "DURATION:P2D",
        "SUMMARY:Retreat",
        "END:VEVENT",
    ]);
    let (conf, retreat) = (&r.events[0].event, &r.events[1].event);
    assert_eq!(
        conf.when,
        When::Range {
            start: day(2026, 12, 14),
            end: day(2026, 12, 19)
        }
    );
    assert_eq!(conf.value, "2026-12-14/2026-12-18");
    assert_eq!(conf.kind, Kind::Scheduled);
    assert!(!r.events[0].kind_stated);
    assert_eq!(
        retreat.when,
        When::Range {
            start: day(2026, 11, 1),
            end: day(2026, 11, 3)
        }
    );
    assert_eq!(retreat.kind, Kind::Past);
}

#[test]
fn utc_zoned_and_floating_times() {
    let r = ics(&[
        "BEGIN:VEVENT",
        "UID:t1",
        "DTSTART:20261203T140000Z",
        "SUMMARY:UTC call",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:t2",
        "DTSTART;TZID=Europe/Vienna:20270715T090000",
        "SUMMARY:Summer",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:t3",
        "DTSTART;TZID=\"europe/vienna\":20270115T090000",
        "SUMMARY:Winter",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:t4",
        "DTSTART:20261201T090000",
        "SUMMARY:Floating",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:t5",
        "DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20261201T090000",
        "SUMMARY:Old Thunderbird",
        "END:VEVENT",
    ]);
    let w: Vec<(&When, Option<&str>)> = r
        .events
        .iter()
        .map(|i| (&i.event.when, i.event.tz.as_deref()))
        .collect();
    let dt = |at, offset| When::DateTime { at, offset };
    assert_eq!(w[0], (&dt(at(2026, 12, 3, 14, 0), Some(0)), None));
    assert_eq!(
        w[1],
        (&dt(at(2027, 7, 15, 9, 0), Some(120)), Some("Europe/Vienna"))
    );
    assert_eq!(
        w[2],
        (&dt(at(2027, 1, 15, 9, 0), Some(60)), Some("Europe/Vienna"))
    );
    assert_eq!(w[3], (&dt(at(2026, 12, 1, 9, 0), None), None));
    assert_eq!(
        w[4],
        (
            &dt(at(2026, 12, 1, 9, 0), Some(-300)),
            Some("America/New_York")
        )
    );
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

/// Outlook names zones its own way and sends their rules along.
const OUTLOOK_ZONE: [&str; 16] = [
    "BEGIN:VTIMEZONE",
    "TZID:W. Europe Standard Time",
    "BEGIN:STANDARD",
    "DTSTART:16010101T030000",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010101T020000",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
    "",
];

#[test]
fn unknown_zone_names_use_the_files_vtimezone() {
    let mut body: Vec<&str> = OUTLOOK_ZONE.to_vec();
    body.extend([
        "BEGIN:VEVENT",
        "UID:o1",
        "DTSTART;TZID=W. Europe Standard Time:20270715T090000",
        "SUMMARY:July",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:o2",
        "DTSTART;TZID=W. Europe Standard Time:20270115T090000",
        "SUMMARY:January",
        "END:VEVENT",
    ]);
    let r = ics(&body);
    let offsets: Vec<_> = r
        .events
        .iter()
        .map(|i| match i.event.when {
            When::DateTime { offset, .. } => offset,
            _ => panic!("{:?}", i.event.when),
        })
        .collect();
    assert_eq!(offsets, [Some(120), Some(60)]);
    assert_eq!(r.events[0].event.tz, None);
}

#[test]
fn unknown_zones_without_a_vtimezone_float_with_one_note() {
    let r = ics(&[
        "BEGIN:VEVENT",
        "UID:u1",
        "DTSTART;TZID=Mars/Olympus:20261201T090000",
        "SUMMARY:One",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:u2",
        "DTSTART;TZID=Mars/Olympus:20261202T090000",
        "SUMMARY:Two",
        "END:VEVENT",
    ]);
    assert_eq!(
        r.events[1].event.when,
        When::DateTime {
            at: at(2026, 12, 2, 9, 0),
            offset: None
        }
    );
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert!(r.notes[0].contains("\"Mars/Olympus\""), "{}", r.notes[0]);
    assert!(r.notes[0].starts_with("line 6: "), "{}", r.notes[0]);
}

#[test]
fn rules_alarms_and_to_dos() {
    let r = ics(&[
        "BEGIN:VEVENT",
        "UID:rr",
        "DTSTART;TZID=Europe/Vienna:20261203T170000",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20270601T000000",
        "EXDATE;TZID=Europe/Vienna:20261217T170000",
        "SUMMARY:Reading group",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-PT2H",
        "END:VALARM",
        "END:VEVENT",
        "BEGIN:VTODO",
        "UID:td",
        "DUE;VALUE=DATE:20261215",
        "SUMMARY:Taxes",
        "BEGIN:VALARM",
        "TRIGGER:-P1D",
        "END:VALARM",
        "END:VTODO",
        "BEGIN:VTODO",
        "UID:td2",
        "DUE:20261101T120000Z",
        "STATUS:COMPLETED",
        "SUMMARY:Old task",
        "BEGIN:VALARM",
        "TRIGGER;VALUE=DATE-TIME:20261031T120000Z",
        "END:VALARM",
        "END:VTODO",
        "BEGIN:VTODO",
        "UID:td3",
        "SUMMARY:Someday",
        "END:VTODO",
        "BEGIN:VEVENT",
        "UID:x",
        "DTSTART:20261205T100000",
        "STATUS:CANCELLED",
        "SUMMARY:Called off",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:rr",
        "RECURRENCE-ID;TZID=Europe/Vienna:20261231T170000",
        "DTSTART;TZID=Europe/Vienna:20261231T180000",
        "SUMMARY:Reading group (late)",
        "END:VEVENT",
    ]);
    let titles: Vec<&str> = r.events.iter().map(|i| i.event.title.as_str()).collect();
    assert_eq!(titles, ["Reading group", "Taxes", "Old task"]);
    let group = &r.events[0].event;
    let When::Recurring(rec) = &group.when else {
        panic!("{:?}", group.when)
    };
    assert_eq!(
        rec.rule.as_deref(),
        Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20270601T000000Z")
    );
    assert_eq!(rec.start, Some(day(2026, 12, 3)));
    assert_eq!(rec.time, NaiveTime::from_hms_opt(17, 0, 0));
    assert_eq!(group.kind, Kind::Recurring);
    assert_eq!(group.tz.as_deref(), Some("Europe/Vienna"));
    assert_eq!(group.remind.as_deref(), Some("2h"));

    let taxes = &r.events[1].event;
    assert_eq!(
        (taxes.kind, &taxes.when),
        (Kind::Deadline, &When::Date(day(2026, 12, 15)))
    );
    // A day ahead is what every deadline gets.
    assert_eq!(taxes.remind, None);
    let old = &r.events[2].event;
    assert_eq!(old.status, Status::Done);
    assert_eq!(old.remind, None, "an absolute trigger is no lead time");

    let notes = r.notes.join("\n");
    assert!(notes.contains("cancelled event \"Called off\""), "{notes}");
    assert!(notes.contains("\"Someday\": it has no DUE"), "{notes}");
    assert!(notes.contains("1 changed occurrence"), "{notes}");
    assert!(notes.contains("EXDATE"), "{notes}");
}

#[test]
fn leads_read_back_as_our_export_writes_them() {
    use ics_leads::*;
    assert_eq!(lead("-P1D", false), Some("1d".into()));
    assert_eq!(lead("-PT30M", false), Some("30m".into()));
    assert_eq!(lead("-P1DT12H", false), Some("36h".into()));
    assert_eq!(lead("-P1W", false), Some("7d".into()));
    // An all-day event's 09:00-the-day-before alarm is a lead of days.
    assert_eq!(lead("-PT15H", true), Some("1d".into()));
    assert_eq!(lead("-P1DT15H", true), Some("2d".into()));
    assert_eq!(lead("PT1H", false), None, "after the start");
    assert_eq!(lead("-P1X", false), None);
}

/// Reads one VALARM's lead through the whole path.
mod ics_leads {
    use super::*;

    pub fn lead(trigger: &str, all_day: bool) -> Option<String> {
        let start = if all_day {
            "DTSTART;VALUE=DATE:20261210"
        } else {
            "DTSTART:20261210T090000"
        };
        let trigger = format!("TRIGGER:{trigger}");
        let body = [
            "BEGIN:VEVENT",
            "UID:l",
            start,
            "SUMMARY:x",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            &trigger,
            "END:VALARM",
            "END:VEVENT",
        ];
        one(&body).event.remind
    }
}

#[test]
fn folded_lines_and_lower_case_names_are_read() {
    let text = "BEGIN:VCALENDAR\r\nbegin:vevent\r\nuid:f1\r\nsummary:A very long title that a calendar app fol\r\n ded over two lines\\, with a comma\r\ndtstart;value=date:20261210\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = read(text, Format::Ics, "f.ics", now()).unwrap();
    assert_eq!(
        r.events[0].event.title,
        "A very long title that a calendar app folded over two lines, with a comma"
    );
    // LF line ends and a byte-order mark are read too.
    let lf = format!("\u{feff}{}", text.replace("\r\n", "\n"));
    let lf = decode(lf.as_bytes()).unwrap();
    let r = read(lf, Format::Ics, "f.ics", now()).unwrap();
    assert_eq!(r.events[0].event.when, When::Date(day(2026, 12, 10)));
}

#[test]
fn our_own_export_gives_back_ids_values_offsets_and_sources() {
    let r = ics(&[
        "BEGIN:VEVENT",
        "UID:ev-1a2b3c4d5e6f7a8b@timeline",
        "DTSTART:20141015T200000Z",
        "SUMMARY:ICWX 2026 · Kerry to meet Zarif",
        "CATEGORIES:meeting,work",
        "X-TIMELINE-VALUE:2014-10-15T15:00",
        "X-TIMELINE-CONTEXT:ICWX 2026",
        "X-TIMELINE-STATUS:done",
        "DESCRIPTION:Bring the draft.\\n\\nKerry is to meet Zarif.\\n(from vienna.txt)",
        "END:VEVENT",
        "BEGIN:VTODO",
        "UID:ev-1a2b3c4d5e6f7a8b-todo@timeline",
        "DUE:20141015T200000Z",
        "SUMMARY:ICWX 2026 · Kerry to meet Zarif",
        "END:VTODO",
        "BEGIN:VTODO",
        "UID:ev-0000000000000001-todo@timeline",
        "DUE;VALUE=DATE:20141124",
        "SUMMARY:Only a to-do",
        "END:VTODO",
    ]);
    assert_eq!(r.events.len(), 2);
    let e = &r.events[0].event;
    assert_eq!(e.id, "ev-1a2b3c4d5e6f7a8b");
    assert_eq!(e.title, "Kerry to meet Zarif");
    assert_eq!(e.context.as_deref(), Some("ICWX 2026"));
    assert_eq!(
        e.when,
        When::DateTime {
            at: at(2014, 10, 15, 15, 0),
            offset: Some(-300)
        }
    );
    assert_eq!(e.value, "2014-10-15T15:00");
    assert!(r.events[0].value_stated);
    assert_eq!((e.kind, e.status), (Kind::Meeting, Status::Done));
    assert_eq!(e.tags, ["work"]);
    assert_eq!(e.notes.as_deref(), Some("Bring the draft."));
    assert_eq!(e.sources.len(), 1);
    assert_eq!(e.sources[0].file, "vienna.txt");
    assert_eq!(e.sources[0].sentence, "Kerry is to meet Zarif.");
    assert_eq!(r.events[1].event.id, "ev-0000000000000001");
}

#[test]
fn a_stale_value_is_not_taken() {
    // A calendar app moved the event and kept our property.
    let i = one(&[
        "BEGIN:VEVENT",
        "UID:ev-1@timeline",
        "DTSTART;VALUE=DATE:20261211",
        "SUMMARY:Moved",
        "X-TIMELINE-VALUE:2026-12-10",
        "END:VEVENT",
    ]);
    assert_eq!(i.event.value, "2026-12-11");
    assert!(!i.value_stated);
}

#[test]
fn errors_name_the_files_line() {
    // Folded lines count as the file has them.
    let e = error(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:folded\r\n  over\r\nDTSTART:2026-12-01\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    assert_eq!(e.line, 5);
    assert!(e.message.contains("DTSTART is not a date"), "{e}");
    let e = error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY x\nEND:VEVENT\nEND:VCALENDAR\n");
    assert_eq!(e.line, 3, "{e}");
    let e = error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VTODO\nEND:VCALENDAR\n");
    assert_eq!(
        e.to_string(),
        "line 4: END:VTODO, but BEGIN:VEVENT (line 2) is not ended"
    );
    let e = error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\n");
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("never ended"), "{e}");
    let e = error("hello world\n");
    assert_eq!(e.line, 1);
    assert_eq!(error("").line, 0);
    let deep = "BEGIN:X\n".repeat(100_000);
    assert!(error(&deep).message.contains("nested"));
    let e = error("BEGIN:VCALENDAR\nEND:VCALENDAR\ntrailing words\n");
    assert_eq!(e.line, 3);
}

#[test]
fn garbage_never_panics() {
    let samples = [
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=\"unterminated:20261201T090000\nEND:VEVENT\nEND:VCALENDAR\n",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:99999999\nEND:VEVENT\nEND:VCALENDAR\n",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261301T250000\nEND:VEVENT\nEND:VCALENDAR\n",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261201\nRRULE:FREQ=NEVER\nEND:VEVENT\nEND:VCALENDAR\n",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261201\nDURATION:P99999999999999999999D\nEND:VEVENT\nEND:VCALENDAR\n",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261201\nBEGIN:VALARM\nTRIGGER:-P99999999999999W\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n",
        "BEGIN:VCALENDAR\nBEGIN:\nEND:VCALENDAR\n",
        "BEGIN:VCALENDAR\n\u{1f600}:x\nEND:VCALENDAR\n",
        "BEGIN:VCALENDAR\r\n \r\n\t\r\nEND:VCALENDAR",
        "\r\r\r\n\n",
        "END:VCALENDAR\n",
    ];
    for s in samples {
        let _ = read(s, Format::Ics, "x.ics", now());
        let _ = read(s, Format::Json, "x.json", now());
    }
    let huge = format!(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261201\r\nSUMMARY:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "x".repeat(5_000_000)
    );
    assert_eq!(
        read(&huge, Format::Ics, "x.ics", now()).unwrap().events[0]
            .event
            .title
            .len(),
        5_000_000
    );
}

#[test]
fn decoding_refuses_binary_and_other_encodings() {
    assert_eq!(decode(b"a\nb\n\xff").unwrap_err().line, 3);
    assert!(decode(b"BEGIN:VCALENDAR\n\0")
        .unwrap_err()
        .message
        .contains("NUL"));
    assert_eq!(decode("\u{feff}[]".as_bytes()).unwrap(), "[]");
}

#[test]
fn formats_by_name_then_content() {
    assert_eq!(Format::detect("a.ICS", "["), Some(Format::Ics));
    assert_eq!(Format::detect("a.json", ""), Some(Format::Json));
    assert_eq!(Format::detect("-", "  \n[{}]"), Some(Format::Json));
    assert_eq!(
        Format::detect("cal", "begin:vcalendar\r\n"),
        Some(Format::Ics)
    );
    assert_eq!(Format::detect("notes.txt", "hello"), None);
}

fn json(text: &str) -> Result<Read, ImportError> {
    read(text, Format::Json, "e.json", now())
}

#[test]
fn json_export_reads_back_to_the_same_events() {
    let mut rec =
        Recurrence::new("FREQ=WEEKLY;BYDAY=TH;BYHOUR=17", day(2026, 11, 30), None).unwrap();
    rec.done_through = Some(day(2026, 12, 3));
    let base =
        |title: &str, when: When| Event::new(title, Kind::Scheduled, when, at(2026, 11, 1, 8, 30));
    let mut events = vec![
        base("Day", When::Date(day(2026, 12, 1))),
        base(
            "Span",
            When::Range {
                start: day(2026, 3, 1),
                end: day(2026, 11, 1),
            },
        ),
        base(
            "Talk",
            When::DateTime {
                at: at(2026, 12, 2, 15, 0),
                offset: Some(-300),
            },
        ),
        base("Group", When::Recurring(rec)),
        base("Twice a month", When::Recurring(Recurrence::unruled())),
    ];
    events[1].value = "2026-03/2026-10".into();
    events[2].tz = Some("America/New_York".into());
    events[2].place = Some("Vienna".into());
    events[2].tags = vec!["work".into()];
    events[3].kind = Kind::Recurring;
    events[3].status = Status::Done;
    events[4].value = "P2W".into();
    events[4].kind = Kind::Recurring;
    events[0].notes = Some("Bring \"quotes\"".into());
    events[0].remind = Some("2h".into());
    events[0].context = Some("ICWX".into());
    events[0].sources = vec![Source {
        file: "a.txt".into(),
        sentence: "On Dec. 1.".into(),
        start: 3,
        end: 10,
        timex: "Dec. 1".into(),
    }];
    let text = crate::feed::json_csv::to_json(&events);
    let back: Vec<Event> = json(&text)
        .unwrap()
        .events
        .into_iter()
        .map(|i| i.event)
        .collect();
    assert_eq!(back, events);
    assert_eq!(json("[]").unwrap().events.len(), 0);
}

#[test]
fn json_errors_name_the_line_and_event() {
    let e = json("[\n  {\"title\": \"a\", \"start\": \"2026-12-01\"},\n  {\"title\": \"b\"}\n]")
        .unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.starts_with("event 2: needs `start`"), "{e}");
    let e = json("[\n  {\"title\": \"a\", \"start\": \"2026-12-01\"},\n\n  {\"title\": 3}\n]")
        .unwrap_err();
    assert_eq!(e.line, 4, "{e}");
    assert!(e.message.contains("event 2"), "{e}");
    let e = json("{\"title\": \"a\"}").unwrap_err();
    assert!(e.message.contains("not a JSON array"), "{e}");
    let e = json("[{\"title\": \"a\", \"start\": \"2026-12-01\"}").unwrap_err();
    assert!(e.message.contains("expected , or ]"), "{e}");
    let e =
        json("[{\"title\": \"a\", \"start\": \"2026-12-01\", \"kind\": \"party\"}]").unwrap_err();
    assert!(e.message.contains("unknown kind \"party\""), "{e}");
    let deep = format!("[{}", "[".repeat(10_000));
    assert!(json(&deep).is_err());
}

fn imported(event: Event) -> Imported {
    Imported {
        event,
        kind_stated: false,
        value_stated: false,
        line: 1,
    }
}

#[test]
fn a_reimport_updates_the_file_s_fields_and_keeps_the_user_s() {
    let first = one(&[
        "BEGIN:VEVENT",
        "UID:c1",
        "DTSTART;VALUE=DATE:20261210",
        "SUMMARY:Review",
        "END:VEVENT",
    ]);
    let mut stored = first.event.clone();
    stored.kind = Kind::Meeting;
    stored.tags = vec!["mine".into()];
    stored.notes = Some("my notes".into());
    stored.remind = Some("3h".into());
    stored.status = Status::Done;
    let again = combine(&stored, &first, now());
    assert_eq!(again, stored, "the same file changes nothing");

    let changed = one(&[
        "BEGIN:VEVENT",
        "UID:c1",
        "DTSTART;VALUE=DATE:20261211",
        "SUMMARY:Budget review",
        "CATEGORIES:grants",
        "END:VEVENT",
    ]);
    let e = combine(&stored, &changed, now());
    assert_eq!(e.id, stored.id);
    assert_eq!(e.title, "Budget review");
    assert_eq!(e.when, When::Date(day(2026, 12, 11)));
    assert_eq!(e.value, "2026-12-11");
    assert_eq!(e.kind, Kind::Meeting, "a guessed kind does not overwrite");
    assert_eq!(e.tags, ["mine", "grants"]);
    assert_eq!(e.notes.as_deref(), Some("my notes"));
    assert_eq!(e.remind.as_deref(), Some("3h"));
    assert_eq!(e.status, Status::Done, "a file does not reopen");
    assert_eq!((e.modified, e.edits), (Some(now()), 1));
    // The file's source follows its new title.
    assert_eq!(e.sources.len(), 1);
    assert_eq!(e.sources[0].sentence, "Budget review");

    let mut stated = imported(changed.event.clone());
    stated.kind_stated = true;
    stated.event.kind = Kind::Deadline;
    assert_eq!(combine(&stored, &stated, now()).kind, Kind::Deadline);
}
