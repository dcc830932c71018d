//! The crate-based writer the feed used before `ics_text.rs`, kept to
//! check that the direct writer gives the same bytes, on generated events
//! with the hard text (escapes, line breaks, multibyte characters at the
//! fold point) and on every shape of time.

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use icalendar::{
    Calendar, CalendarDateTime, Component, EventLike, EventStatus, Property, TodoStatus,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use super::ical::{
    alarm_lead, ical_duration, sequence, write_ics, IcsOptions, Plan, Span, Timing, PRODID,
    ZONE_YEARS,
};
use super::ics_text::{clean_text, escape_text, fold_into, unfold};
use crate::events::recur::Recurrence;
use crate::events::{Event, Kind, Source, Status, When};

const BATCH: usize = 512;

fn crate_ics(
    events: &[&Event],
    opts: &IcsOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let Plan {
        timings,
        skipped,
        zones,
    } = Plan::of(events);
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", PRODID));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    // The crate's value-type table does not know RFC 7986 `NAME`, so it
    // would write the value unescaped: escape it here.
    let name = clean_text(&opts.calendar_name);
    cal.append_property(Property::new("NAME", escape_text(&name)));
    cal.append_property(Property::new("X-WR-CALNAME", name.as_str()));
    // `Calendar::ttl` writes chrono's "PT3600S"; RFC 5545 and most clients
    // read that, but "PT1H" is what people expect to see, so write it here.
    let refresh = ical_duration(opts.refresh);
    cal.append_property(
        Property::new("REFRESH-INTERVAL", refresh.as_str())
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    cal.append_property(Property::new("X-PUBLISHED-TTL", refresh.as_str()));
    if skipped > 0 {
        cal.append_property(Property::new(
            "X-TIMELINE-SKIPPED-RECURRING",
            skipped.to_string(),
        ));
    }
    // Each zone is defined over the years its recurrences are likely to
    // be looked at; calendar apps repeat the last rule beyond them.
    let timezones: Vec<String> = zones
        .iter()
        .filter_map(|(z, year)| {
            super::vtimezone::vtimezone(z, *year, year.saturating_add(ZONE_YEARS))
        })
        .flatten()
        .collect();
    // The head, with the zones before the first component, as one
    // calendar would place them; its END line goes last.
    let head = finish(&cal.to_string(), &timezones, &[]);
    out.write_all(without_end(&head).as_bytes())?;
    let pairs: Vec<(&Event, Timing)> = events
        .iter()
        .zip(timings)
        .filter_map(|(ev, t)| Some((*ev, t?)))
        .collect();
    for batch in pairs.chunks(BATCH) {
        let mut cal = Calendar::empty();
        // One entry per VEVENT, in order: the VALARM lines to splice into it.
        let mut alarms: Vec<Option<Vec<String>>> = Vec::with_capacity(batch.len());
        for (ev, timing) in batch {
            cal.push(vevent(ev, timing, opts));
            let all_day = matches!(timing.span, Span::Days { .. });
            alarms.push(alarm_lines(ev, opts, all_day));
            if opts.todo && ev.kind == Kind::Deadline && timing.rrule.is_none() {
                cal.push(vtodo(ev, timing, opts));
            }
        }
        let text = finish(&cal.to_string(), &[], &alarms);
        let body = without_end(&text);
        out.write_all(body.strip_prefix(BEGIN).unwrap_or(body).as_bytes())?;
    }
    out.write_all(END.as_bytes())
}

const BEGIN: &str = "BEGIN:VCALENDAR\r\n";
const END: &str = "END:VCALENDAR\r\n";

/// A calendar's text without its last line, `END:VCALENDAR`.
fn without_end(text: &str) -> &str {
    text.strip_suffix(END).unwrap_or(text)
}

fn vevent(ev: &Event, timing: &Timing, opts: &IcsOptions) -> icalendar::Event {
    let mut out = icalendar::Event::new();
    common(&mut out, ev, &format!("{}@timeline", ev.id), opts);
    match &timing.span {
        Span::Days { start, end } => out.starts(*start).ends(*end),
        Span::Utc { start, end } => out.starts(*start).ends(*end),
        Span::Floating { start, end } => out.starts(*start).ends(*end),
        Span::Zoned { start, end, tzid } => out
            .starts(CalendarDateTime::WithTimezone {
                date_time: *start,
                tzid: tzid.clone(),
            })
            .ends(CalendarDateTime::WithTimezone {
                date_time: *end,
                tzid: tzid.clone(),
            }),
    };
    if let Some(rule) = &timing.rrule {
        out.add_property("RRULE", rule.as_str());
    }
    out.status(EventStatus::Confirmed);
    out.add_property("X-TIMELINE-STATUS", ev.status.name());
    if ev.kind == Kind::Deadline {
        out.add_property("TRANSP", "TRANSPARENT");
    }
    out.done()
}

fn vtodo(ev: &Event, timing: &Timing, opts: &IcsOptions) -> icalendar::Todo {
    let mut out = icalendar::Todo::new();
    common(&mut out, ev, &format!("{}-todo@timeline", ev.id), opts);
    match &timing.span {
        Span::Days { start, .. } => out.due(*start),
        Span::Utc { start, .. } => out.due(*start),
        Span::Floating { start, .. } => out.due(*start),
        Span::Zoned { start, tzid, .. } => out.due(CalendarDateTime::WithTimezone {
            date_time: *start,
            tzid: tzid.clone(),
        }),
    };
    match ev.status {
        Status::Open => out.status(TodoStatus::NeedsAction),
        Status::Done => out.status(TodoStatus::Completed).percent_complete(100),
    };
    out.done()
}

/// The properties a `VEVENT` and a `VTODO` share. UID and DTSTAMP are always
/// set: the crate would otherwise invent a random UID and the current time.
fn common<C: EventLike>(out: &mut C, ev: &Event, uid: &str, opts: &IcsOptions) {
    let stamp = Utc.from_utc_datetime(&opts.to_utc(ev.added));
    let changed = Utc.from_utc_datetime(&opts.to_utc(ev.modified.unwrap_or(ev.added)));
    out.uid(uid)
        .timestamp(changed.max(stamp))
        .last_modified(changed)
        .sequence(sequence(ev))
        .summary(&clean_text(&ev.display_title()))
        .categories(
            std::iter::once(ev.kind.name().to_string())
                .chain(ev.tags.iter().map(|t| clean_text(t)))
                .collect::<Vec<String>>(),
        );
    out.add_property("X-TIMELINE-VALUE", clean_text(&ev.value));
    // SUMMARY shows the context in front of the title; this says which
    // part it is, so an import gives both back. (An X- property is
    // written as given: escape it here.)
    if let Some(context) = &ev.context {
        out.add_property("X-TIMELINE-CONTEXT", escape_text(&clean_text(context)));
    }
    if let Some(place) = &ev.place {
        out.location(&clean_text(place));
    }
    let description = description(ev);
    if !description.is_empty() {
        out.description(&description);
    }
}

/// Splices the hand-written VALARMs into the crate's output and folds every
/// line ourselves: unfold, insert, fold at 75 octets (never inside a UTF-8
/// character), CRLF after each line.
fn finish(raw: &str, timezones: &[String], alarms: &[Option<Vec<String>>]) -> String {
    let lines = unfold(raw);
    let mut out = String::with_capacity(raw.len() + raw.len() / 16);
    let mut nth_event = 0usize;
    let mut zones_written = timezones.is_empty();
    for line in &lines {
        // The zones go before the first component that uses them.
        if !zones_written
            && (line.starts_with("BEGIN:V") && line != "BEGIN:VCALENDAR" || line == "END:VCALENDAR")
        {
            for l in timezones {
                fold_into(l, &mut out);
            }
            zones_written = true;
        }
        if line == "END:VEVENT" {
            if let Some(Some(alarm)) = alarms.get(nth_event) {
                for l in alarm {
                    fold_into(l, &mut out);
                }
            }
            nth_event += 1;
        }
        fold_into(line, &mut out);
    }
    out
}

/// The notes, then each source sentence with the document it came from.
fn description(ev: &Event) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(notes) = ev.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        parts.push(notes.trim().to_string());
    }
    for s in &ev.sources {
        parts.push(format!("{}\n(from {})", s.sentence.trim(), s.file));
    }
    clean_text(&parts.join("\n\n"))
}

/// The `VALARM` of an event's `VEVENT` as unfolded content lines, if it
/// gets one.
///
/// Spliced in after the crate's rendering: the crate adds a DTSTAMP of
/// the current time and a random UID to any child component.
fn alarm_lines(ev: &Event, opts: &IcsOptions, all_day: bool) -> Option<Vec<String>> {
    let lead = alarm_lead(ev, opts, all_day)?;
    Some(vec![
        "BEGIN:VALARM".to_string(),
        "ACTION:DISPLAY".to_string(),
        format!("DESCRIPTION:{}", escape_text(&clean_text(&ev.title))),
        format!("TRIGGER:{}", ical_duration(-lead)),
        "END:VALARM".to_string(),
    ])
}

/// The direct writer's bytes.
fn direct(events: &[Event], opts: &IcsOptions) -> String {
    let refs: Vec<&Event> = events.iter().collect();
    let mut out = Vec::new();
    write_ics(&refs, opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The crate-based writer's bytes.
fn through_crate(events: &[Event], opts: &IcsOptions) -> String {
    let refs: Vec<&Event> = events.iter().collect();
    let mut out = Vec::new();
    crate_ics(&refs, opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Pieces of text that are hard to write: every escaped character, line
/// breaks of each kind, controls, multibyte characters and emoji (which
/// land on the fold point at various offsets), long runs.
fn awkward() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        ",",
        ";",
        "\\",
        "\n",
        "\r\n",
        "\r",
        "\t",
        ":",
        "\"",
        " ",
        "\u{7}",
        "\u{85}",
        "é",
        "日本語",
        "🎉",
        "🇯🇵",
        "a",
        "word ",
        "x,y;z\\",
        "\\n",
    ]);
    let piece = prop_oneof![
        4 => atoms.prop_map(str::to_string),
        1 => "[a-zA-Z ]{60,80}",
        1 => any::<String>(),
        1 => "[🎉日é]{20,40}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// An id as a store may hold one: anything but a CR (see `resplit_into`).
fn id() -> impl Strategy<Value = String> {
    "[a-z0-9,;\\\\\n 🎉é-]{1,90}"
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1990i32..2040, 1u32..13, 1u32..29)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn clock() -> impl Strategy<Value = NaiveTime> {
    (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| NaiveTime::from_hms_opt(h, m, s).unwrap())
}

fn when() -> impl Strategy<Value = When> {
    let rule = prop::sample::select(vec![
        "FREQ=WEEKLY;BYDAY=TH",
        "FREQ=MONTHLY;BYMONTHDAY=1",
        "FREQ=YEARLY",
        "FREQ=DAILY;INTERVAL=2",
    ]);
    prop_oneof![
        date().prop_map(When::Date),
        (date(), 0i64..40).prop_map(|(start, n)| When::Range {
            start,
            end: start + Duration::days(n)
        }),
        (date(), clock(), prop::option::of(-840i16..840)).prop_map(|(d, t, offset)| {
            When::DateTime {
                at: d.and_time(t),
                offset,
            }
        }),
        (prop::option::of(rule), date(), prop::option::of(clock())).prop_map(|(rule, d, time)| {
            let mut r = Recurrence::unruled();
            r.rule = rule.map(str::to_string);
            r.start = rule.map(|_| d);
            r.time = time;
            When::Recurring(r)
        }),
    ]
}

prop_compose! {
    fn event()(
        id in id(),
        title in awkward(),
        kind in prop::sample::select(vec![Kind::Deadline, Kind::Meeting, Kind::Scheduled, Kind::Recurring]),
        when in when(),
        value in awkward(),
        place in prop::option::of(awkward()),
        context in prop::option::of(awkward()),
        done in any::<bool>(),
        added in (date(), clock()),
        notes in prop::option::of(awkward()),
        remind in prop::option::of(prop::sample::select(vec!["1d", "2h", "30m", "1w", "1d12h", "soon", ""])),
        tags in prop::collection::vec(awkward(), 0..3),
        tz in prop::option::of(prop::sample::select(vec!["Europe/Vienna", "America/New_York", "Asia/Kolkata"])),
        modified in prop::option::of((date(), clock())),
        edits in 0u32..3,
        sources in prop::collection::vec((awkward(), awkward()), 0..3),
    ) -> Event {
        Event {
            id,
            title,
            kind,
            when,
            value,
            place,
            context,
            status: if done { Status::Done } else { Status::Open },
            added: added.0.and_time(added.1),
            notes,
            remind: remind.map(str::to_string),
            tags,
            tz: tz.map(str::to_string),
            modified: modified.map(|(d, t)| d.and_time(t)),
            edits,
            sources: sources
                .into_iter()
                .map(|(sentence, file)| Source { file, sentence, start: 0, end: 1, timex: String::new() })
                .collect(),
        }
    }
}

fn options() -> impl Strategy<Value = IcsOptions> {
    (
        awkward(),
        prop::option::of(prop::sample::select(vec![1i64, 2, 90, 1440, 2880])),
        any::<bool>(),
        prop::sample::select(vec![1i64, 15, 60, 1500]),
        prop::option::of(prop::sample::select(vec![
            "Europe/Vienna",
            "America/New_York",
        ])),
    )
        .prop_map(|(name, alarm, todo, refresh, zone)| IcsOptions {
            calendar_name: name,
            alarm: alarm.map(Duration::minutes),
            todo,
            refresh: Duration::minutes(refresh),
            zone: zone.map(str::to_string),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn direct_writer_matches_the_crate(
        events in prop::collection::vec(event(), 0..12),
        opts in options(),
    ) {
        prop_assert_eq!(direct(&events, &opts), through_crate(&events, &opts));
    }
}

#[test]
fn direct_writer_matches_the_crate_across_batches() {
    // More events than one of the crate path's batches, every shape; and
    // more than the direct writer writes on one thread (4096), the last
    // of its batches cut short.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let events: Vec<Event> = (0..4700)
        .map(|_| event().new_tree(&mut runner).unwrap().current())
        .collect();
    let opts = IcsOptions {
        todo: true,
        zone: Some("Europe/Vienna".to_string()),
        ..IcsOptions::default()
    };
    let (a, b) = (direct(&events, &opts), through_crate(&events, &opts));
    assert!(a == b, "the writers differ");
    assert_eq!(
        direct(&[], &IcsOptions::default()),
        through_crate(&[], &IcsOptions::default())
    );
}

#[test]
fn a_cr_in_an_id_is_cut_as_before() {
    let base = event()
        .new_tree(&mut proptest::test_runner::TestRunner::deterministic())
        .unwrap()
        .current();
    for id in ["a\r\nb", "a\r\n b", "a\r\n\r\nb", "a\rb", "x\r\n\tEND"] {
        let ev = Event {
            id: id.to_string(),
            ..base.clone()
        };
        let opts = IcsOptions::default();
        assert_eq!(
            direct(std::slice::from_ref(&ev), &opts),
            through_crate(&[ev], &opts),
            "{id:?}"
        );
    }
}
