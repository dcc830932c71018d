//! `timeline edit ID` and `timeline add -i`: an event's TOML block opened
//! in the user's editor, read back with the store's own checks, and stored
//! through the store's locked, journalled write (so `timeline undo` takes
//! an edit back).
//!
//! Which editor runs, and whether stdin is a terminal, come from the
//! binary ([`Editing`]): the library never reads the environment.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::store_at;
use crate::cli::add::{self, AddOptions};
use crate::cli::track::{io_failure, store_failure};
use crate::cli::Failure;
use crate::events::{when_value, Event, When};
use crate::store::{self, StoreError};
use crate::views;

/// What editing needs from the machine.
pub struct Editing {
    /// Opens the editor on a file and waits for it; the error says why it
    /// failed (could not start, or exited with an error).
    pub open: fn(&Path) -> Result<(), String>,
    /// Whether a person answers on stdin: an invalid edit then offers to
    /// edit again; otherwise it ends the command and nothing is written.
    pub terminal: bool,
    /// The folder the file being edited is written to.
    pub dir: PathBuf,
}

/// How one round in the editor ended.
enum Outcome {
    /// The edited event, and the text it was read from.
    Edited(Box<Event>, String),
    /// The file was saved as it was (or not saved).
    Unchanged,
    /// The editor could not start or exited with an error.
    EditorFailed(String),
    /// The edit did not read as an event, and the user gave up on it.
    Abandoned,
}

/// The file being edited, removed however the edit ends.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Writes `header` and `block` to `name` in the edit folder and opens the
/// editor on it until what is saved reads as an event (`read`), is left
/// unchanged, or the user gives up. Without a terminal, an edit that does
/// not read is a failure that ends the command.
#[allow(clippy::too_many_arguments)]
fn edit_block(
    editing: &Editing,
    name: &str,
    header: &str,
    block: &str,
    read: &dyn Fn(&Path, &str) -> Result<Event, StoreError>,
    answers: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let path = editing.dir.join(name);
    let original = format!("{header}{block}");
    let cannot = |what: &str, e: std::io::Error| Failure {
        message: format!("timeline: cannot {what} {}: {e}", path.display()),
        code: 1,
    };
    std::fs::write(&path, &original).map_err(|e| cannot("write", e))?;
    let _remove = TempFile(path.clone());
    loop {
        // What was printed so far comes before whatever the editor shows.
        out.flush().map_err(io_failure)?;
        if let Err(why) = (editing.open)(&path) {
            return Ok(Outcome::EditorFailed(why));
        }
        let text = std::fs::read_to_string(&path).map_err(|e| cannot("read", e))?;
        if text == original {
            return Ok(Outcome::Unchanged);
        }
        let problem = match read(&path, &text) {
            Ok(event) => return Ok(Outcome::Edited(Box::new(event), text)),
            Err(e) => e,
        };
        if !editing.terminal {
            return Err(Failure {
                message: format!("timeline: {problem}\ntimeline: nothing was changed"),
                code: 1,
            });
        }
        writeln!(err, "timeline: {problem}").map_err(io_failure)?;
        loop {
            write!(err, "[E]dit again / [a]bort? ").map_err(io_failure)?;
            err.flush().map_err(io_failure)?;
            match read_answer(answers)?.as_deref() {
                Some("" | "e" | "edit") => break,
                None | Some("a" | "abort") => return Ok(Outcome::Abandoned),
                Some(_) => {}
            }
        }
    }
}

/// One answer line, trimmed and lower-cased; `None` at the end of input.
fn read_answer(answers: &mut dyn BufRead) -> Result<Option<String>, Failure> {
    let mut line = String::new();
    let n = answers.read_line(&mut line).map_err(|e| Failure {
        message: format!("timeline: cannot read an answer from standard input: {e}"),
        code: 1,
    })?;
    Ok((n > 0).then(|| line.trim().to_lowercase()))
}

/// `timeline edit ID`: the event's block in the editor, stored when it
/// changed and reads as an event with the same id.
pub fn edit(
    store: &Path,
    id: &str,
    now: NaiveDateTime,
    editing: &Editing,
    answers: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let s = store_at(store);
    let (before, block) = s.event_block(id).map_err(store_failure)?;
    let header = format!(
        "# timeline edit: {} in {}\n\
         # Save and quit to store the change; quit without saving to change nothing.\n\
         # The id stays as it is. Lines above [[event]] are not stored.\n\n",
        before.id,
        store.display()
    );
    let name = format!(".timeline-edit-{}-{}.toml", before.id, std::process::id());
    let read = |label: &Path, text: &str| store::read_edited(label, text, &before, true);
    let nothing = |why: &str| Failure {
        message: format!("timeline: edit: {why}; nothing was changed"),
        code: 1,
    };
    let outcome = edit_block(editing, &name, &header, &block, &read, answers, out, err)?;
    let text = match outcome {
        Outcome::Edited(_, text) => text,
        Outcome::Unchanged => {
            return writeln!(out, "{} no change: {}", before.id, before.title).map_err(io_failure)
        }
        Outcome::EditorFailed(why) => return Err(nothing(&why)),
        Outcome::Abandoned => return Err(nothing("abandoned")),
    };
    let label = editing.dir.join(&name);
    let (after, changed) = s
        .replace_block(&before, &label, &text, now)
        .map_err(store_failure)?;
    if !changed {
        return writeln!(out, "{} no change: {}", after.id, after.title).map_err(io_failure);
    }
    writeln!(
        out,
        "{} edited: {} ({})",
        after.id, after.title, after.value
    )
    .map_err(io_failure)?;
    let mut lines = changes(&before, &after);
    if lines.is_empty() {
        lines.push("comments or layout only".to_owned());
    }
    for l in lines {
        writeln!(out, "  {l}").map_err(io_failure)?;
    }
    Ok(())
}

/// A time as the store writes it, with its UTC offset when known.
fn when_text(w: &When) -> String {
    match w {
        When::DateTime {
            at,
            offset: Some(o),
        } => {
            let sign = if *o < 0 { '-' } else { '+' };
            let m = o.unsigned_abs();
            format!(
                "{}{sign}{:02}:{:02}",
                at.format("%Y-%m-%dT%H:%M"),
                m / 60,
                m % 60
            )
        }
        other => when_value(other),
    }
}

/// What an edit changed, one line per field: `title: "A" → "B"`.
fn changes(before: &Event, after: &Event) -> Vec<String> {
    let mut lines = Vec::new();
    let mut field = |name: &str, a: String, b: String| {
        if a != b {
            lines.push(format!("{name}: {a} → {b}"));
        }
    };
    let text = |s: &Option<String>| s.as_deref().map_or("-".to_owned(), |s| format!("{s:?}"));
    field(
        "title",
        format!("{:?}", before.title),
        format!("{:?}", after.title),
    );
    field("kind", before.kind.to_string(), after.kind.to_string());
    field("when", when_text(&before.when), when_text(&after.when));
    if when_value(&before.when) == before.value && when_value(&after.when) == after.value {
        // The value follows the time: already shown.
    } else {
        field("value", before.value.clone(), after.value.clone());
    }
    field("where", text(&before.place), text(&after.place));
    field("context", text(&before.context), text(&after.context));
    field(
        "status",
        before.status.name().into(),
        after.status.name().into(),
    );
    field("added", before.added.to_string(), after.added.to_string());
    field("notes", text(&before.notes), text(&after.notes));
    field("remind", text(&before.remind), text(&after.remind));
    field(
        "tags",
        format!("{:?}", before.tags),
        format!("{:?}", after.tags),
    );
    if before.sources != after.sources {
        lines.push(format!(
            "sources: {} → {}",
            before.sources.len(),
            after.sources.len()
        ));
    }
    lines
}

/// One event as `add -i` shows it: date, kind, title, place.
fn summary(e: &Event, now: NaiveDateTime) -> String {
    let mut s = format!(
        "{}  {}  {}",
        views::date_text(e, now.date()),
        e.kind,
        e.display_title()
    );
    if let Some(p) = &e.place {
        s.push_str(&format!("  @ {p}"));
    }
    s
}

/// `timeline add -i FILE…`: each event found is shown and asked about
/// before anything is merged; only the accepted ones are added. The
/// answers come from stdin, so the documents may not.
pub fn add_interactive(
    opts: &AddOptions,
    editing: &Editing,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    if opts.inputs.is_empty() || opts.inputs.iter().any(|p| p.as_os_str() == "-") {
        return Err(Failure::usage(
            "timeline: add -i reads its answers from standard input, so the documents cannot \
             come from there; give them as files"
                .into(),
        ));
    }
    let found = add::extract_for_add(opts, stdin, err)?;
    let outcome = found.failure();
    if found.all_failed() {
        return outcome;
    }
    let accepted = review(found.events, opts.now, editing, stdin, out, err)?;
    if accepted.is_empty() {
        return writeln!(
            out,
            "{}: nothing accepted, nothing added",
            opts.store.display()
        )
        .map_err(io_failure);
    }
    add::merge_added(opts, &accepted, out, err)?;
    outcome
}

/// Asks about each event: `y` adds it, `n` skips it, `e` edits it (and
/// adds it as edited), `a` adds it and all the rest, `q` (or the end of
/// the answers) skips it and all the rest.
fn review(
    events: Vec<Event>,
    now: NaiveDateTime,
    editing: &Editing,
    answers: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Vec<Event>, Failure> {
    let total = events.len();
    let mut accepted = Vec::new();
    let mut all = false;
    for (n, event) in events.into_iter().enumerate() {
        if all {
            accepted.push(event);
            continue;
        }
        let mut shown = true;
        loop {
            if shown {
                writeln!(err, "[{}/{total}] {}", n + 1, summary(&event, now))
                    .map_err(io_failure)?;
                shown = false;
            }
            write!(err, "Add it? [y]es / [n]o / [e]dit / [a]ll / [q]uit: ").map_err(io_failure)?;
            err.flush().map_err(io_failure)?;
            let answer = read_answer(answers)?;
            if !editing.terminal {
                // Piped answers: echo each, so the log reads as a dialogue.
                writeln!(err, "{}", answer.as_deref().unwrap_or("")).map_err(io_failure)?;
            }
            match answer.as_deref() {
                Some("y" | "yes") => {
                    accepted.push(event);
                    break;
                }
                Some("n" | "no") => break,
                Some("a" | "all") => {
                    all = true;
                    accepted.push(event);
                    break;
                }
                None | Some("q" | "quit") => {
                    let left = total - n;
                    let s = if left == 1 { "" } else { "s" };
                    writeln!(
                        err,
                        "timeline: stopped; {left} event{s} from here on not added"
                    )
                    .map_err(io_failure)?;
                    return Ok(accepted);
                }
                Some("e" | "edit") => {
                    let block = store::new_event_block(&event).map_err(|m| Failure {
                        message: format!("timeline: cannot edit event {}: {m}", event.id),
                        code: 1,
                    })?;
                    let header = format!(
                        "# timeline add -i: event {} of {total}\n\
                         # Save and quit to add it as edited; quit without saving to leave it as it was.\n\n",
                        n + 1
                    );
                    let name = format!(".timeline-add-{}-{}.toml", n + 1, std::process::id());
                    let read =
                        |label: &Path, text: &str| store::read_edited(label, text, &event, false);
                    match edit_block(editing, &name, &header, &block, &read, answers, out, err)? {
                        Outcome::Edited(edited, _) => {
                            writeln!(err, "added as edited: {}", summary(&edited, now))
                                .map_err(io_failure)?;
                            accepted.push(*edited);
                            break;
                        }
                        Outcome::Unchanged => writeln!(err, "no change").map_err(io_failure)?,
                        Outcome::EditorFailed(why) => {
                            writeln!(err, "timeline: {why}; the event is as it was")
                                .map_err(io_failure)?
                        }
                        Outcome::Abandoned => {}
                    }
                    shown = true;
                }
                Some(_) => writeln!(err, "Answer y, n, e, a or q.").map_err(io_failure)?,
            }
        }
    }
    Ok(accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: NaiveDateTime = match chrono::NaiveDate::from_ymd_opt(2026, 11, 30) {
        Some(d) => d.and_time(chrono::NaiveTime::MIN),
        None => panic!("a valid date"),
    };

    const STORE: &str =
        "[[event]]\nid = \"ev-a\"\ntitle = \"Review\"\nkind = \"meeting\"\ndate = 2026-12-04\n";

    /// An editor that first breaks the file, then (opened again) fixes it
    /// and changes the title: what a person who made a typo does.
    fn typo_then_fix(file: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
        let next = if text.contains("kind = \"meetin\"") {
            text.replace("kind = \"meetin\"", "kind = \"meeting\"")
                .replace("Review", "Budget review")
        } else {
            text.replace("kind = \"meeting\"", "kind = \"meetin\"")
        };
        std::fs::write(file, next).map_err(|e| e.to_string())
    }

    fn run(name: &str, answers: &str) -> (PathBuf, Result<(), Failure>, String, String) {
        let dir =
            std::env::temp_dir().join(format!("timeline-cli-edit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = dir.join("events.toml");
        std::fs::write(&store, STORE).unwrap();
        let editing = Editing {
            open: typo_then_fix,
            terminal: true,
            dir: dir.clone(),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut answers = answers.as_bytes();
        let result = edit(
            &store,
            "ev-a",
            NOW,
            &editing,
            &mut answers,
            &mut out,
            &mut err,
        );
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (dir, result, text(out), text(err))
    }

    #[test]
    fn on_a_terminal_an_invalid_edit_can_be_edited_again() {
        let (dir, result, out, err) = run("again", "e\n");
        assert!(result.is_ok(), "{err}");
        assert!(err.contains("line 8: unknown kind \"meetin\""), "{err}");
        assert!(err.contains("[E]dit again / [a]bort?"), "{err}");
        assert!(
            out.contains("title: \"Review\" → \"Budget review\""),
            "{out}"
        );
        let stored = std::fs::read_to_string(dir.join("events.toml")).unwrap();
        let stamped = "modified = 2026-11-30T00:00:00\nedits = 1\n";
        assert_eq!(stored, STORE.replace("Review", "Budget review") + stamped);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn on_a_terminal_an_invalid_edit_can_be_abandoned() {
        let (dir, result, _, err) = run("abort", "a\n");
        let failure = result.unwrap_err();
        assert!(failure.message.contains("abandoned; nothing was changed"));
        assert!(err.contains("unknown kind"), "{err}");
        let stored = std::fs::read_to_string(dir.join("events.toml")).unwrap();
        assert_eq!(stored, STORE);
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".timeline-"))
            .collect();
        assert!(left.is_empty());
        let _ = std::fs::remove_dir_all(dir);
    }
}
