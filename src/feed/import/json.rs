//! The JSON array `timeline export --format json` writes, read back: the
//! same fields (see [`crate::feed::json_csv::to_json`]), so exporting,
//! importing into an empty store and exporting again gives the same JSON.
//! Only `title` and a time (`start`, `rrule` with `first`, or a
//! recurrence's `value`) are required; unknown fields are ignored, as a
//! newer export may add some.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;

use super::{kind_by_date, storable, ImportError, Imported, Read};
use crate::events::{event_id, when_value, Event, Kind, Recurrence, Source, Status, When};

#[derive(Deserialize)]
struct JsonEvent {
    id: Option<String>,
    title: String,
    kind: Option<String>,
    #[serde(rename = "where")]
    place: Option<String>,
    value: Option<String>,
    start: Option<String>,
    end: Option<String>,
    status: Option<String>,
    added: Option<String>,
    notes: Option<String>,
    remind: Option<String>,
    context: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    tz: Option<String>,
    rrule: Option<String>,
    first: Option<String>,
    done_through: Option<String>,
    #[serde(default)]
    sources: Vec<Source>,
}

pub(super) fn read(text: &str, now: NaiveDateTime) -> Result<Read, ImportError> {
    let mut read = Read::default();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (n, (line, raw)) in elements(text)?.into_iter().enumerate() {
        let bad = |m: String| ImportError::at(line, format!("event {}: {m}", n + 1));
        let imported = event(raw, now, line).map_err(bad)?;
        let id = imported.event.id.clone();
        if let Some(first) = seen.get(&id) {
            read.notes.push(format!(
                "line {line}: skipped event {}: the event of line {first} has the same id {id}",
                n + 1
            ));
            continue;
        }
        seen.insert(id, line);
        read.events.push(imported);
    }
    Ok(read)
}

/// The array's objects, each with the line it starts on. Read one at a
/// time so that an error names the element's line in the file.
fn elements(text: &str) -> Result<Vec<(usize, JsonEvent)>, ImportError> {
    let line_at = |pos: usize| {
        text.as_bytes()[..pos.min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    let skip_ws = |mut pos: usize| {
        while text
            .as_bytes()
            .get(pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            pos += 1;
        }
        pos
    };
    let mut pos = skip_ws(0);
    if text.as_bytes().get(pos) != Some(&b'[') {
        return Err(ImportError::at(
            line_at(pos),
            "not a JSON array of events ([{…}, …]), as `timeline export --format json` writes",
        ));
    }
    pos = skip_ws(pos + 1);
    let mut out = Vec::new();
    if text.as_bytes().get(pos) == Some(&b']') {
        pos += 1;
    } else {
        loop {
            let line = line_at(pos);
            let mut stream =
                serde_json::Deserializer::from_str(&text[pos..]).into_iter::<JsonEvent>();
            match stream.next() {
                Some(Ok(e)) => out.push((line, e)),
                Some(Err(e)) => {
                    let at = line + e.line().saturating_sub(1);
                    return Err(ImportError::at(
                        at,
                        format!("event {}: {}", out.len() + 1, json_message(&e)),
                    ));
                }
                None => return Err(ImportError::at(line, "the array is not closed with ]")),
            }
            pos = skip_ws(pos + stream.byte_offset());
            match text.as_bytes().get(pos) {
                Some(b',') => pos = skip_ws(pos + 1),
                Some(b']') => {
                    pos += 1;
                    break;
                }
                _ => {
                    return Err(ImportError::at(
                        line_at(pos),
                        "expected , or ] after an event",
                    ))
                }
            }
        }
    }
    let rest = skip_ws(pos);
    if rest < text.len() {
        return Err(ImportError::at(
            line_at(rest),
            "text after the end of the array",
        ));
    }
    Ok(out)
}

/// serde's message without its own " at line L column C": the line is
/// given as the file's.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// "2014-10-15T15:00:00", with "-05:00", "+01:00" or "Z" after it or not.
fn date_time(s: &str) -> Option<(NaiveDateTime, Option<i16>)> {
    let split = s.len().min(19);
    let (wall, zone) = (s.get(..split)?, s.get(split..)?);
    let at = NaiveDateTime::parse_from_str(wall, "%Y-%m-%dT%H:%M:%S").ok()?;
    let offset = match zone {
        "" => None,
        "Z" | "z" => Some(0),
        z => {
            let (sign, rest) = match z.as_bytes().first()? {
                b'+' => (1, &z[1..]),
                b'-' => (-1, &z[1..]),
                _ => return None,
            };
            let (h, m) = rest.split_once(':')?;
            let (h, m): (i16, i16) = (h.parse().ok()?, m.parse().ok()?);
            if (0..24).contains(&h) && (0..60).contains(&m) {
                Some(sign * (h * 60 + m))
            } else {
                return None;
            }
        }
    };
    Some((at, offset))
}

fn when(e: &JsonEvent) -> Result<When, String> {
    if let Some(rule) = e.rrule.as_deref() {
        let first = e
            .first
            .as_deref()
            .ok_or("`rrule` needs `first`, its first occurrence")?;
        let (day, time) = match (date(first), date_time(first)) {
            (Some(d), _) => (d, None),
            (None, Some((t, _))) => (t.date(), Some(t.time())),
            _ => return Err(format!("`first` is not a date or date-time: {first:?}")),
        };
        let mut r = Recurrence::new(rule, day, time)?;
        r.done_through = match e.done_through.as_deref() {
            None => None,
            Some(d) => Some(date(d).ok_or_else(|| format!("`done_through` is not a date: {d:?}"))?),
        };
        return Ok(When::Recurring(r));
    }
    let Some(start) = e.start.as_deref() else {
        // A recurrence no rule says ("twice a month") has only its value.
        let set = e
            .value
            .as_deref()
            .is_some_and(|v| v.starts_with("XXXX") || v.starts_with('P'));
        return if set {
            Ok(When::Recurring(Recurrence::unruled()))
        } else {
            Err("needs `start` (or `rrule` and `first`)".to_string())
        };
    };
    if let Some((at, offset)) = date_time(start) {
        return Ok(When::DateTime { at, offset });
    }
    let start = date(start).ok_or_else(|| format!("`start` is not a date: {start:?}"))?;
    let end = match e.end.as_deref() {
        None => None,
        Some(end) => Some(date(end).ok_or_else(|| format!("`end` is not a date: {end:?}"))?),
    };
    // One day is a date unless the value says it is a range.
    let range = e.value.as_deref().is_some_and(|v| v.contains('/'));
    Ok(match end {
        Some(end) if end > start && (range || end - start > Duration::days(1)) => {
            When::Range { start, end }
        }
        _ => When::Date(start),
    })
}

fn event(e: JsonEvent, now: NaiveDateTime, line: usize) -> Result<Imported, String> {
    if e.title.trim().is_empty() {
        return Err("`title` is empty".to_string());
    }
    let when = when(&e)?;
    if !storable(&when) {
        return Err("its year cannot be stored (0000-9999)".to_string());
    }
    let kind = match e.kind.as_deref() {
        None => None,
        Some(k) => Some(Kind::parse(&k.trim().to_lowercase()).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            format!("unknown kind {k:?} (one of {})", names.join(", "))
        })?),
    };
    let status = match e.status.as_deref().map(str::trim) {
        None | Some("open") => Status::Open,
        Some("done") => Status::Done,
        Some(s) => return Err(format!("unknown status {s:?} (open or done)")),
    };
    let added = match e.added.as_deref() {
        None => now,
        Some(a) => match (date_time(a), date(a)) {
            (Some((t, _)), _) => t,
            (None, Some(d)) => d.and_time(NaiveTime::MIN),
            _ => return Err(format!("`added` is not a date-time: {a:?}")),
        },
    };
    let tz = match e.tz.as_deref() {
        None => None,
        Some(name) => Some(
            crate::engine::zone::canonical(name)
                .ok_or_else(|| format!("unknown time zone {name:?}"))?
                .to_string(),
        ),
    };
    let value_stated = e.value.as_deref().is_some_and(|v| !v.trim().is_empty());
    let value = match e.value {
        Some(v) if value_stated => v,
        _ => when_value(&when),
    };
    let id = match e.id {
        Some(id) if !id.trim().is_empty() => id,
        _ => event_id(&e.title, &value),
    };
    let event = Event {
        id,
        title: e.title,
        kind: kind.unwrap_or_else(|| kind_by_date(&when, now)),
        when,
        value,
        place: e.place,
        context: e.context,
        status,
        added,
        notes: e.notes,
        remind: e.remind,
        tags: e.tags,
        tz,
        modified: None,
        edits: 0,
        sources: e.sources,
    };
    Ok(Imported {
        event,
        kind_stated: kind.is_some(),
        value_stated,
        line,
    })
}
