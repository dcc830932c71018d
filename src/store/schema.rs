//! The TOML schema: reading events from `events.toml` and writing them
//! back into the edited document.

use super::*;

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The 1-based line of a byte offset. Only errors need lines, so the
/// reading below keeps byte offsets and counts newlines once, at the end.
pub(super) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Parses a store's text as TOML; syntax errors name line and column.
pub(super) fn parse_document<'t>(
    path: &Path,
    text: &'t str,
) -> Result<ImDocument<&'t str>, StoreError> {
    ImDocument::parse(text).map_err(|e| {
        let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
        let message = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        StoreError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    })
}

/// Parses and validates a store's text: the editable document and its
/// events, in document order (event `i` is table `i` of `event`).
pub(super) fn parse_store(
    path: &Path,
    text: &str,
) -> Result<(DocumentMut, Vec<Event>), StoreError> {
    let doc = parse_document(path, text)?;
    let events = read_events(path, text, &doc)?;
    Ok((doc.into_mut(), events))
}

#[cfg(test)]
/// Parses and validates a store's text for reading only: no editable
/// document (turning the parsed one into a `DocumentMut` costs as much
/// again as reading the events out of it).
pub(super) fn read_store(path: &Path, text: &str) -> Result<Vec<Event>, StoreError> {
    let doc = parse_document(path, text)?;
    read_events(path, text, &doc)
}

/// The events of a parsed store, validated, in document order.
pub(super) fn read_events(
    path: &Path,
    text: &str,
    doc: &ImDocument<&str>,
) -> Result<Vec<Event>, StoreError> {
    let invalid = |(at, message): Bad| StoreError::Invalid {
        path: path.to_path_buf(),
        line: at.map_or(0, |offset| line_at(text, offset)),
        message,
    };
    let mut events = Vec::new();
    if let Some((key, item)) = doc.as_table().get_key_value("event") {
        let Some(aot) = item.as_array_of_tables() else {
            let at = key.span().map(|s| s.start);
            return Err(invalid((
                at,
                "`event` must be written as [[event]] tables".into(),
            )));
        };
        events.reserve(aot.len());
        // Where each id was first seen, as a byte offset.
        let mut seen: HashMap<String, Option<usize>> = HashMap::with_capacity(aot.len());
        for table in aot.iter() {
            let at = table.span().map(|s| s.start);
            let event = read_event(table, at).map_err(invalid)?;
            if let Some(first) = seen.get(&event.id) {
                let first = first.map_or(0, |offset| line_at(text, offset));
                return Err(invalid((
                    at,
                    format!("duplicate id {:?} (also used at line {first})", event.id),
                )));
            }
            seen.insert(event.id.clone(), at);
            events.push(event);
        }
    }
    Ok(events)
}

/// A validation failure: the byte offset of what is wrong (`None` when no
/// position is known, reported as line 0) and a message.
pub(super) type Bad = (Option<usize>, String);

/// Every key an event's table may hold but its sources.
/// The largest UTC offset in minutes, 23:59: what RFC 3339 date-times
/// (TOML's) and iCalendar's UTC-OFFSET can write. No zone has ever used
/// more than 14 hours, but a narrower rule would refuse offsets that
/// both formats carry, and anything past 23:59 is no time of day at all.
const MAX_OFFSET: u16 = 23 * 60 + 59;

pub(super) const EVENT_KEYS: [&str; 22] = [
    "id",
    "title",
    "kind",
    "date",
    "at",
    "offset",
    "start",
    "end",
    "recurs",
    "first",
    "done_through",
    "value",
    "where",
    "context",
    "status",
    "added",
    "notes",
    "remind",
    "tags",
    "tz",
    "modified",
    "edits",
];

/// The keys of a source table that an event table does not have (`start`
/// and `end` are in both).
const SOURCE_ONLY_KEYS: [&str; 4] = ["source", "file", "sentence", "timex"];

/// The keys `timeline` reads from an event or source table. A table's
/// entries are sorted into these slots in one pass, instead of a hash
/// lookup per key and per table (a measurable part of loading a large
/// store).
pub(super) const KEYS: [&str; EVENT_KEYS.len() + SOURCE_ONLY_KEYS.len()] = {
    let mut keys = [""; EVENT_KEYS.len() + SOURCE_ONLY_KEYS.len()];
    let mut i = 0;
    while i < EVENT_KEYS.len() {
        keys[i] = EVENT_KEYS[i];
        i += 1;
    }
    while i < keys.len() {
        keys[i] = SOURCE_ONLY_KEYS[i - EVENT_KEYS.len()];
        i += 1;
    }
    keys
};

pub(super) fn slot(key: &str) -> Option<usize> {
    KEYS.iter().position(|k| *k == key)
}

/// Typed access to a table's fields, with positions for errors.
pub(super) struct Fields<'a> {
    table: &'a dyn TableLike,
    items: [Option<&'a Item>; KEYS.len()],
    /// The offset of the table itself, for errors about missing keys.
    at: Option<usize>,
}

impl<'a> Fields<'a> {
    fn new(table: &'a dyn TableLike, at: Option<usize>) -> Fields<'a> {
        let mut items = [None; KEYS.len()];
        for (key, item) in table.iter() {
            if let Some(i) = slot(key) {
                items[i] = Some(item);
            }
        }
        Fields { table, items, at }
    }

    /// The item under a key, as `TableLike::get` would find it.
    fn get(&self, key: &str) -> Option<&'a Item> {
        slot(key).and_then(|i| self.items[i])
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn at_of(&self, key: &str) -> Option<usize> {
        match self.table.get_key_value(key) {
            Some((k, item)) => item
                .span()
                .or_else(|| k.span())
                .map(|s| s.start)
                .or(self.at),
            None => self.at,
        }
    }

    fn bad(&self, key: &str, message: String) -> Bad {
        (self.at_of(key), message)
    }

    fn value(&self, key: &str) -> Result<Option<&'a Value>, Bad> {
        match self.get(key) {
            None => Ok(None),
            Some(Item::Value(v)) => Ok(Some(v)),
            Some(_) => Err(self.bad(key, format!("`{key}` must be a value, not a table"))),
        }
    }

    fn string(&self, key: &str) -> Result<Option<&'a str>, Bad> {
        match self.value(key)? {
            None => Ok(None),
            Some(v) => match v.as_str() {
                Some(s) => Ok(Some(s)),
                None => Err(self.bad(key, format!("`{key}` must be a string"))),
            },
        }
    }

    /// An array of strings ("tags"); absent is empty.
    fn strings(&self, key: &str) -> Result<Vec<String>, Bad> {
        let Some(v) = self.value(key)? else {
            return Ok(Vec::new());
        };
        let must = || {
            self.bad(
                key,
                format!("`{key}` must be a list of strings, like [\"work\"]"),
            )
        };
        let array = v.as_array().ok_or_else(must)?;
        array
            .iter()
            .map(|x| x.as_str().map(str::to_owned).ok_or_else(must))
            .collect()
    }

    fn required_string(&self, key: &str) -> Result<&'a str, Bad> {
        self.string(key)?
            .ok_or_else(|| (self.at, format!("missing `{key}`")))
    }

    fn offset(&self, key: &str) -> Result<Option<usize>, Bad> {
        match self.value(key)? {
            None => Ok(None),
            Some(v) => match v.as_integer().and_then(|i| usize::try_from(i).ok()) {
                Some(n) => Ok(Some(n)),
                None => Err(self.bad(key, format!("`{key}` must be a whole number, 0 or more"))),
            },
        }
    }

    fn datetime(&self, key: &str) -> Result<Option<&'a Datetime>, Bad> {
        match self.value(key)? {
            None => Ok(None),
            Some(v) => match v.as_datetime() {
                Some(d) => Ok(Some(d)),
                None => Err(self.bad(
                    key,
                    format!("`{key}` must be a TOML date or date-time, unquoted, like 2014-11-24"),
                )),
            },
        }
    }

    /// A local date, no time.
    fn date(&self, key: &str) -> Result<Option<NaiveDate>, Bad> {
        let Some(dt) = self.datetime(key)? else {
            return Ok(None);
        };
        match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => from_toml_date(d)
                .map(Some)
                .ok_or_else(|| self.bad(key, format!("`{key}` is not a real date: {dt}"))),
            _ => Err(self.bad(
                key,
                format!("`{key}` must be a date like 2014-11-24, without a time"),
            )),
        }
    }
}

pub(super) fn read_event(table: &Table, at: Option<usize>) -> Result<Event, Bad> {
    let f = Fields::new(table, at);
    let title = f.required_string("title")?.to_owned();

    let kind_text = f.required_string("kind")?;
    let kind = Kind::parse(kind_text)
        .or_else(|| Kind::parse(&kind_text.trim().to_lowercase()))
        .ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            f.bad(
                "kind",
                format!(
                    "unknown kind {kind_text:?} (expected one of: {})",
                    names.join(", ")
                ),
            )
        })?;

    let status = match f.string("status")? {
        None | Some("open") => Status::Open,
        Some("done") => Status::Done,
        Some(s) => match s.trim().to_lowercase().as_str() {
            "open" => Status::Open,
            "done" => Status::Done,
            _ => {
                return Err(f.bad(
                    "status",
                    format!("unknown status {s:?} (expected open or done)"),
                ))
            }
        },
    };

    let added = match f.datetime("added")? {
        None => DateTime::UNIX_EPOCH.naive_utc(),
        Some(dt) => {
            let date = dt.date.and_then(from_toml_date);
            let time = match dt.time {
                None => Some(NaiveTime::MIN),
                Some(t) => from_toml_time(t),
            };
            match (date, time) {
                (Some(d), Some(t)) => d.and_time(t),
                _ => {
                    return Err(f.bad(
                        "added",
                        format!("`added` must be a date-time like 2014-10-14T09:30:00, not {dt}"),
                    ))
                }
            }
        }
    };

    let when = read_when(&f, added.date())?;
    let value = match f.string("value")? {
        Some(v) => v.to_owned(),
        None => when_value(&when),
    };
    let id = match f.string("id")? {
        Some(id) => id.to_owned(),
        None => event_id(&title, &value),
    };

    let sources = read_sources(&f)?;

    Ok(Event {
        id,
        title,
        kind,
        when,
        value,
        place: f.string("where")?.map(str::to_owned),
        context: f.string("context")?.map(str::to_owned),
        status,
        added,
        notes: f.string("notes")?.map(str::to_owned),
        remind: f.string("remind")?.map(str::to_owned),
        tags: f.strings("tags")?,
        tz: match f.string("tz")? {
            None => None,
            Some(name) => Some(
                crate::engine::zone::canonical(name)
                    .ok_or_else(|| f.bad("tz", format!("unknown time zone {name:?}; use an IANA name such as \"Europe/Vienna\"")))?
                    .to_owned(),
            ),
        },
        modified: match f.datetime("modified")? {
            None => None,
            Some(dt) => Some(toml_datetime(dt).ok_or_else(|| {
                f.bad("modified", format!("`modified` must be a date-time like 2026-11-30T09:30:00, not {dt}"))
            })?),
        },
        edits: f
            .offset("edits")?
            .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)),
        sources,
    })
}

/// The event's time. `added` dates a recurrence that names no first
/// occurrence (stores written before rules were kept).
pub(super) fn read_when(f: &Fields<'_>, added: NaiveDate) -> Result<When, Bad> {
    const TIME_KEYS: [&str; 5] = ["date", "at", "start", "end", "recurs"];
    let [date, at, start, end, recurs] = TIME_KEYS.map(|k| f.has(k));
    let forms = [date, at, start || end, recurs]
        .into_iter()
        .filter(|&p| p)
        .count();
    if forms == 0 {
        return Err((
            f.at,
            "missing a time: one of `date`, `at`, `start` and `end`, or `recurs`".into(),
        ));
    }
    if forms > 1 {
        return Err((
            f.at,
            format!(
                "has {} but an event takes only one time: `date`, `at`, `start` and `end`, or `recurs`",
                TIME_KEYS
                    .iter()
                    .filter(|k| f.has(k))
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if f.has("offset") && !at {
        return Err(f.bad("offset", "`offset` only goes with `at`".into()));
    }
    for key in ["first", "done_through"] {
        if f.has(key) && !recurs {
            return Err(f.bad(key, format!("`{key}` only goes with `recurs`")));
        }
    }
    if let Some(r) = f.string("recurs")? {
        return read_recurrence(f, r, added).map(When::Recurring);
    }

    if let Some(d) = f.date("date")? {
        return Ok(When::Date(d));
    }
    if let Some(dt) = f.datetime("at")? {
        let date = dt.date.and_then(from_toml_date);
        let time = dt.time.and_then(from_toml_time);
        let (Some(date), Some(time)) = (date, time) else {
            return Err(f.bad(
                "at",
                format!("`at` must be a date-time like 2014-10-15T15:00:00, not {dt}"),
            ));
        };
        let inline = dt.offset.map(toml_offset_minutes);
        let separate = match f.string("offset")? {
            None => None,
            Some(s) => Some(parse_offset(s).ok_or_else(|| {
                f.bad(
                    "offset",
                    format!("`offset` must look like \"-05:00\" or \"+01:00\", not {s:?}"),
                )
            })?),
        };
        let offset = match (inline, separate) {
            (Some(a), Some(b)) if a != b => {
                return Err(f.bad(
                    "offset",
                    "`offset` disagrees with the offset written in `at`".into(),
                ))
            }
            (a, b) => a.or(b),
        };
        if let Some(o) = offset.filter(|o| o.unsigned_abs() > MAX_OFFSET) {
            let key = if f.has("offset") { "offset" } else { "at" };
            return Err(f.bad(
                key,
                format!(
                    "the UTC offset {} is out of range: offsets lie within -23:59 and +23:59",
                    format_offset(o)
                ),
            ));
        }
        return Ok(When::DateTime {
            at: date.and_time(time),
            offset,
        });
    }
    match (f.date("start")?, f.date("end")?) {
        (Some(start), Some(end)) if end <= start => Err(f.bad(
            "end",
            format!(
                "`end` {end} is not after `start` {start}: `end` is exclusive, \
                 the day after the last day"
            ),
        )),
        (Some(start), Some(end)) => Ok(When::Range { start, end }),
        (Some(_), None) => Err((f.at, "`start` needs an `end` (exclusive)".into())),
        _ => Err((f.at, "`end` needs a `start`".into())),
    }
}

/// `recurs`: an RFC 5545 rule ("FREQ=WEEKLY;BYDAY=TH") counted from
/// `first` (a date, or a date-time for timed occurrences), with the
/// occurrences up to `done_through` done; "" for a recurrence no rule says;
/// a TIMEX3 set value ("XXXX-WXX-4") in stores written before rules.
fn read_recurrence(f: &Fields<'_>, r: &str, added: NaiveDate) -> Result<Recurrence, Bad> {
    let rule = r.trim();
    let mut rec = if rule.is_empty() {
        Recurrence::unruled()
    } else if rule
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("FREQ="))
        || rule
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("RRULE:"))
    {
        let (from, time) = match f.datetime("first")? {
            None => (added, None),
            Some(dt) => {
                let date = dt.date.and_then(from_toml_date);
                let time = dt.time.map(from_toml_time);
                match (date, time) {
                    (Some(d), None) => (d, None),
                    (Some(d), Some(Some(t))) => (d, Some(t)),
                    _ => {
                        return Err(f.bad(
                            "first",
                            format!("`first` must be a date or a date-time, not {dt}"),
                        ))
                    }
                }
            }
        };
        Recurrence::new(rule, from, time).map_err(|e| f.bad("recurs", e))?
    } else {
        Recurrence::of_timex(rule, None, added)
    };
    rec.done_through = f.date("done_through")?;
    Ok(rec)
}

pub(super) fn read_sources(f: &Fields<'_>) -> Result<Vec<Source>, Bad> {
    let mut sources = Vec::new();
    match f.get("source") {
        None => {}
        Some(Item::ArrayOfTables(aot)) => {
            sources.reserve(aot.len());
            for t in aot.iter() {
                let at = t.span().map(|s| s.start).or(f.at);
                sources.push(read_source(t, at)?);
            }
        }
        Some(Item::Value(Value::Array(array))) => {
            // Every element is checked to be a table before any is read.
            let mut tables = Vec::with_capacity(array.len());
            for v in array.iter() {
                let at = v.span().map(|s| s.start).or(f.at);
                match v.as_inline_table() {
                    Some(t) => tables.push((t, at)),
                    None => return Err((at, "each `source` must be a table".into())),
                }
            }
            for (t, at) in tables {
                sources.push(read_source(t, at)?);
            }
        }
        Some(_) => return Err(f.bad("source", "`source` must be [[event.source]] tables".into())),
    }
    Ok(sources)
}

pub(super) fn read_source(table: &dyn TableLike, at: Option<usize>) -> Result<Source, Bad> {
    let s = Fields::new(table, at);
    let start = s
        .offset("start")?
        .ok_or_else(|| (at, "source is missing `start`".to_string()))?;
    let end = s
        .offset("end")?
        .ok_or_else(|| (at, "source is missing `end`".to_string()))?;
    Ok(Source {
        file: s.required_string("file")?.to_owned(),
        sentence: s.string("sentence")?.unwrap_or("").to_owned(),
        start,
        end,
        timex: s.string("timex")?.unwrap_or("").to_owned(),
    })
}

pub(super) fn source_table(s: &Source) -> Table {
    let mut t = Table::new();
    t.insert("file", toml_edit::value(s.file.as_str()));
    t.insert("sentence", toml_edit::value(s.sentence.as_str()));
    t.insert("start", toml_edit::value(saturating_i64(s.start)));
    t.insert("end", toml_edit::value(saturating_i64(s.end)));
    t.insert("timex", toml_edit::value(s.timex.as_str()));
    t
}

pub(super) fn saturating_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The `[[event]]` table for an event, keys in schema order.
pub(super) fn event_to_table(e: &Event) -> Result<Table, String> {
    let mut t = Table::new();
    t.insert("id", toml_edit::value(e.id.as_str()));
    t.insert("title", toml_edit::value(e.title.as_str()));
    t.insert("kind", toml_edit::value(e.kind.name()));
    match &e.when {
        When::Date(d) => {
            t.insert("date", Item::Value(date_value(*d)?));
        }
        When::DateTime { at, offset } => {
            t.insert("at", Item::Value(datetime_value(*at)?));
            if let Some(o) = offset {
                t.insert("offset", toml_edit::value(format_offset(*o)));
            }
        }
        When::Range { start, end } => {
            t.insert("start", Item::Value(date_value(*start)?));
            t.insert("end", Item::Value(date_value(*end)?));
        }
        When::Recurring(r) => {
            t.insert("recurs", toml_edit::value(r.rule.as_deref().unwrap_or("")));
            match (r.start, r.time) {
                (Some(d), None) => {
                    t.insert("first", Item::Value(date_value(d)?));
                }
                (Some(d), Some(time)) => {
                    t.insert("first", Item::Value(datetime_value(d.and_time(time))?));
                }
                (None, _) => {}
            }
            if let Some(d) = r.done_through {
                t.insert("done_through", Item::Value(date_value(d)?));
            }
        }
    }
    t.insert("value", toml_edit::value(e.value.as_str()));
    if let Some(place) = &e.place {
        t.insert("where", toml_edit::value(place.as_str()));
    }
    if let Some(context) = &e.context {
        t.insert("context", toml_edit::value(context.as_str()));
    }
    t.insert("status", toml_edit::value(e.status.name()));
    t.insert("added", Item::Value(datetime_value(e.added)?));
    if let Some(notes) = &e.notes {
        t.insert("notes", toml_edit::value(notes.as_str()));
    }
    if !e.tags.is_empty() {
        let tags: toml_edit::Array = e.tags.iter().map(String::as_str).collect();
        t.insert("tags", toml_edit::value(tags));
    }
    if let Some(tz) = &e.tz {
        t.insert("tz", toml_edit::value(tz.as_str()));
    }
    if let Some(m) = e.modified {
        t.insert("modified", Item::Value(datetime_value(m)?));
    }
    if e.edits > 0 {
        t.insert("edits", toml_edit::value(i64::from(e.edits)));
    }
    if let Some(remind) = &e.remind {
        t.insert("remind", toml_edit::value(remind.as_str()));
    }
    if !e.sources.is_empty() {
        let mut aot = ArrayOfTables::new();
        for s in &e.sources {
            aot.push(source_table(s));
        }
        t.insert("source", Item::ArrayOfTables(aot));
    }
    Ok(t)
}
