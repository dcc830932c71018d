//! One event's `[[event]]` block as text, for editing it by hand: the
//! block as the store holds it, an edited block read back with the store's
//! own checks (errors name the line in the edited text), and the event
//! replaced in the store with the edited table, comments and all.

use super::*;

/// A block's text: the `[[event]]` table and its `[[event.source]]`
/// tables, without the comments above the header (those belong to the
/// file around the event, such as the store's heading).
fn block_text(table: &Table) -> String {
    let mut t = table.clone();
    t.decor_mut().set_prefix("");
    let mut aot = ArrayOfTables::new();
    aot.push(t);
    let mut doc = DocumentMut::new();
    doc.insert("event", Item::ArrayOfTables(aot));
    doc.to_string()
}

/// The block a new event would be stored as, for editing it before it is
/// added.
pub fn new_event_block(e: &Event) -> Result<String, String> {
    Ok(block_text(&event_to_table(e)?))
}

/// An edited block, read: its event, its table, the comments after the
/// table's last line, and the line of its `id` (or of its header).
struct ReadBlock {
    event: Event,
    table: Table,
    trailing: String,
    id_line: usize,
}

/// Reads an edited block with the checks a store gets, plus: one
/// `[[event]]` table and nothing outside it. `label` names the edited file
/// in errors.
fn read_block(label: &Path, text: &str) -> Result<ReadBlock, StoreError> {
    let invalid = |line: usize, message: String| StoreError::Invalid {
        path: label.to_path_buf(),
        line,
        message,
    };
    let im = parse_document(label, text)?;
    for (key, _) in im.as_table().iter() {
        if key != "event" {
            let line = im
                .as_table()
                .get_key_value(key)
                .and_then(|(k, _)| k.span())
                .map_or(0, |s| line_at(text, s.start));
            return Err(invalid(
                line,
                format!("`{key}` is outside the [[event]] table; only the event belongs here"),
            ));
        }
    }
    let events = read_events(label, text, &im)?;
    let aot = im.get("event").and_then(Item::as_array_of_tables);
    let first = aot.and_then(|a| a.get(0));
    let (Some(first), [event]) = (first, events.as_slice()) else {
        let line = aot
            .and_then(|a| a.get(1))
            .and_then(|t| t.span())
            .map_or(0, |s| line_at(text, s.start));
        return Err(invalid(
            line,
            format!(
                "holds {} [[event]] tables; it must hold exactly the one event",
                events.len()
            ),
        ));
    };
    let id_line = first
        .get_key_value("id")
        .and_then(|(k, _)| k.span())
        .or_else(|| first.span())
        .map_or(0, |s| line_at(text, s.start));
    let event = event.clone();
    let mut doc = im.into_mut();
    let trailing = doc.trailing().as_str().unwrap_or("").to_owned();
    let table = doc
        .remove("event")
        .and_then(|item| item.into_array_of_tables().ok())
        .and_then(|aot| aot.into_iter().next())
        .ok_or_else(|| internal(label, "the edited event's table vanished"))?;
    Ok(ReadBlock {
        event,
        table,
        trailing,
        id_line,
    })
}

/// A `value` the user left as it was follows a changed time, when it was
/// the value of the old time: editing `date` alone moves the event, as
/// `timeline modify --date` does. Returns whether it changed.
fn follow_time(before: &Event, after: &mut Event) -> bool {
    let follows = after.when != before.when
        && after.value == before.value
        && before.value == when_value(&before.when);
    if follows {
        after.value = when_value(&after.when);
    }
    follows
}

/// Reads an edited block and checks it is still `before`: with
/// `keep_id`, its id may not change. A `value` left as it was follows a
/// changed time (see [`follow_time`]).
fn read_checked(
    label: &Path,
    text: &str,
    before: &Event,
    keep_id: bool,
) -> Result<ReadBlock, StoreError> {
    let mut block = read_block(label, text)?;
    if keep_id && block.event.id != before.id {
        let message = if block.table.contains_key("id") {
            format!(
                "the id cannot change (it is {:?}); put it back, or add a new event with `timeline add`",
                before.id
            )
        } else {
            format!("`id` is missing; put back id = {:?}", before.id)
        };
        return Err(StoreError::Invalid {
            path: label.to_path_buf(),
            line: block.id_line,
            message,
        });
    }
    if follow_time(before, &mut block.event) && block.table.contains_key("value") {
        let value = Value::from(block.event.value.as_str());
        set_value_keeping_decor(&mut block.table, "value", value);
    }
    Ok(block)
}

/// Reads the edited block of `before` as the store would, for an event
/// being added (`keep_id` false: any id will do, the merge keeps ids
/// unique) or one already stored (`keep_id`: its id may not change).
/// `label` names the edited file in errors, with lines counted in it.
pub fn read_edited(
    label: &Path,
    text: &str,
    before: &Event,
    keep_id: bool,
) -> Result<Event, StoreError> {
    read_checked(label, text, before, keep_id).map(|b| b.event)
}

/// Gives a table and the tables under it one document position, so the
/// store writes them where the table they replace was (tables are written
/// in position order; equal positions keep their order).
fn place_at(table: &mut Table, position: usize) {
    table.set_position(position);
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => place_at(t, position),
            Item::ArrayOfTables(aot) => aot.iter_mut().for_each(|t| place_at(t, position)),
            _ => {}
        }
    }
}

impl Store {
    /// The event with this id or unique id prefix, and its block as the
    /// store holds it (the `[[event]]` table and its sources, comments and
    /// key order as written).
    pub fn event_block(&self, id: &str) -> Result<(Event, String), StoreError> {
        let text = self.read_text(&self.real_path()?)?.unwrap_or_default();
        let (doc, events) = parse_store(&self.path, &text)?;
        let i = resolve(&events, id)?;
        let table = doc
            .get("event")
            .and_then(Item::as_array_of_tables)
            .and_then(|aot| aot.get(i))
            .ok_or_else(|| internal(&self.path, "event table out of range"))?;
        Ok((events[i].clone(), block_text(table)))
    }

    /// Replaces the stored event `before` with the edited block `text`
    /// (read as [`read_edited`] reads it, its id kept), under the lock and
    /// through the undo journal. The edited table goes in as written, with
    /// its comments; the comments above the old header stay. Refused when
    /// the stored event is no longer `before` (changed by another command
    /// meanwhile). Returns the event as stored and whether anything changed.
    ///
    /// A change is stamped: `modified` becomes `now` and `edits` grows by
    /// one, so subscribed calendars see a new `SEQUENCE`.
    pub fn replace_block(
        &self,
        before: &Event,
        label: &Path,
        text: &str,
        now: NaiveDateTime,
    ) -> Result<(Event, bool), StoreError> {
        let path = self.path.clone();
        self.modify(false, Some(&before.id), &mut |doc, stored| {
            let not_found = || StoreError::NotFound {
                id: before.id.clone(),
            };
            let i = stored
                .iter()
                .position(|e| e.id == before.id)
                .ok_or_else(not_found)?;
            if stored[i] != *before {
                return Err(StoreError::Invalid {
                    path: path.clone(),
                    line: 0,
                    message: format!(
                        "event {} changed while it was being edited; nothing was written (edit it again)",
                        before.id
                    ),
                });
            }
            let block = read_checked(label, text, before, true)?;
            let (mut after, mut table) = (block.event, block.table);
            let aot = events_mut(doc, &path)?;
            let old = aot
                .get_mut(i)
                .ok_or_else(|| internal(&path, "event table out of range"))?;
            let comments = block.trailing.contains('#');
            if after == *before && block_text(old) == block_text(&table) && !comments {
                return Ok(((after, false), false));
            }
            // The comments above the old header stay; the header's own
            // line is as edited.
            let mut decor = toml_edit::Decor::default();
            if let Some(p) = old.decor().prefix() {
                decor.set_prefix(p.clone());
            }
            if let Some(s) = table.decor().suffix() {
                decor.set_suffix(s.clone());
            }
            *table.decor_mut() = decor;
            if let Some(p) = old.position() {
                place_at(&mut table, p);
            }
            after.modified = Some(now);
            after.edits = before.edits.saturating_add(1);
            let stamp = datetime_value(now).map_err(|m| internal(&path, &m))?;
            set_value_keeping_decor(&mut table, "modified", stamp);
            set_value_keeping_decor(&mut table, "edits", Value::from(i64::from(after.edits)));
            *old = table;
            // Comments written after the block's last line go where they
            // were typed: before whatever follows the event.
            if comments {
                let mut note = block.trailing.trim_start_matches(['\n', '\r']).to_owned();
                if !note.ends_with('\n') {
                    note.push('\n');
                }
                match aot.get_mut(i + 1) {
                    Some(next) => {
                        let prefix = next.decor().prefix().and_then(|p| p.as_str());
                        // No prefix of its own: a header's default blank line.
                        let merged = format!("{note}{}", prefix.unwrap_or("\n"));
                        next.decor_mut().set_prefix(merged);
                    }
                    None => {
                        let trailing = doc.trailing().as_str().unwrap_or("").to_owned();
                        doc.set_trailing(format!("{note}{trailing}"));
                    }
                }
            }
            stored[i] = after.clone();
            Ok(((after, true), true))
        })
    }
}
