//! Reading a large store a piece at a time: the text is cut before each
//! line that is an `[[event]]` header, and each piece is parsed on its
//! own. The pieces' documents are small and dropped as soon as their
//! events are read, so a store of 100,000 events is read in a fraction of
//! the memory one document of the whole file takes (about 29 times the
//! file), and on two threads. A piece whose text the cache written
//! before a hand edit knows (by its hash, see `index::piece_hash`) is not
//! parsed at all: that cache's event is taken instead.
//!
//! The cut is only a guess at the TOML's structure, so any doubt gives way
//! to the whole-file parse, which also words every error: a piece that
//! does not parse (a cut inside a multi-line string leaves the piece
//! before it with an unterminated string), holds anything but `[[event]]`
//! tables (or, for the text before the first cut, anything but comments),
//! or an id already seen.

use super::*;

/// Fewer events than this are read as one document: it is fast enough.
const MIN_EVENTS: usize = 1000;

/// The offsets of the lines that look like an `[[event]]` header: the
/// header at the line's start (after blanks), then only blanks and a
/// comment.
fn cuts(text: &str) -> Vec<usize> {
    const HEADER: &[u8] = b"[[event]]";
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, HEADER)
        .filter(|&at| {
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let before = &bytes[line_start..at];
            let rest = &bytes[at + HEADER.len()..];
            let line_end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let after = rest[..line_end]
                .strip_suffix(b"\r")
                .unwrap_or(&rest[..line_end]);
            let after = after.trim_ascii_start();
            before.iter().all(|&b| b == b' ' || b == b'\t')
                && (after.is_empty() || after.starts_with(b"#"))
        })
        .collect()
}

/// What the reading threads made of their pieces, in order, kept flat
/// (a store of 100,000 events has as many pieces).
#[derive(Default)]
struct Parsed {
    /// Per piece: how many events it holds, and whether nothing follows
    /// its last table.
    pieces: Vec<(usize, bool)>,
    /// The events, encoded as they were read (see `index::NewEvent`).
    events: Vec<cache::NewEvent>,
    /// Each event's header offset in the whole text.
    spans: Vec<usize>,
}

impl Parsed {
    fn with_capacity(n: usize) -> Parsed {
        Parsed {
            pieces: Vec::with_capacity(n),
            events: Vec::with_capacity(n),
            spans: Vec::with_capacity(n),
        }
    }

    fn extend(&mut self, other: Parsed) {
        self.pieces.extend(other.pieces);
        self.events.extend(other.events);
        self.spans.extend(other.spans);
    }
}

/// Reads one piece (text from `start`) into `into`, its events encoded at
/// the end of `out`, the buffer of part `part`; `None` on any doubt.
fn read_piece(
    path: &Path,
    text: &str,
    start: usize,
    (part, out): (usize, &mut Vec<u8>),
    into: &mut Parsed,
) -> Option<()> {
    let doc = parse_document(path, text).ok()?;
    if !doc.as_table().iter().all(|(key, _)| key == "event") {
        return None;
    }
    let events = read_events(path, text, &doc).ok()?;
    let spans = splice::header_spans(&doc);
    if spans.len() != events.len() {
        return None;
    }
    let trailing = doc.trailing();
    let trailing_empty = match trailing.as_str() {
        Some(s) => s.is_empty(),
        None => trailing.span().is_none_or(|s| s.is_empty()),
    };
    into.spans.extend(spans.into_iter().map(|s| s + start));
    for e in &events {
        into.events.push(cache::NewEvent::encode(out, part, e)?);
    }
    into.pieces.push((events.len(), trailing_empty));
    Some(())
}

/// The cut points of a store's text as pieces, each `(start, end)`;
/// `None` when the store is small (read whole) or has anything but
/// comments before its first event.
fn bounds(path: &Path, text: &str) -> Option<Vec<(usize, usize)>> {
    let cuts = cuts(text);
    if cuts.len() < MIN_EVENTS {
        return None;
    }
    // The text before the first event: comments and blank lines only.
    let head = parse_document(path, &text[..cuts[0]]).ok()?;
    if !head.as_table().is_empty() {
        return None;
    }
    Some(
        cuts.iter()
            .zip(cuts.iter().skip(1).chain(std::iter::once(&text.len())))
            .map(|(&a, &b)| (a, b))
            .collect(),
    )
}

/// The pieces at `bounds`, read on two threads, and the two threads'
/// buffers their events are encoded in; `None` on any doubt.
fn read_pieces(
    path: &Path,
    text: &str,
    bounds: &[(usize, usize)],
) -> Option<(Parsed, [Vec<u8>; 2])> {
    let read_all = |part: usize, bounds: &[(usize, usize)]| -> Option<(Parsed, Vec<u8>)> {
        // An event's encoding takes about four fifths of its text.
        let text_len: usize = bounds.iter().map(|(a, b)| b - a).sum();
        let mut out = Vec::with_capacity(text_len / 5 * 4 + 4096);
        let mut parsed = Parsed::with_capacity(bounds.len());
        for &(a, b) in bounds {
            read_piece(path, &text[a..b], a, (part, &mut out), &mut parsed)?;
        }
        Some((parsed, out))
    };
    let (first, second) = bounds.split_at(bounds.len() / 2);
    let (one, two) = std::thread::scope(|s| {
        let other = s.spawn(|| read_all(1, second));
        let one = read_all(0, first);
        (one, other.join().ok().flatten())
    });
    let ((mut all, one), (rest, two)) = (one?, two?);
    all.extend(rest);
    Some((all, [one, two]))
}

/// The facts of a store read in pieces.
fn facts_of(
    text: &str,
    count: usize,
    last_trailing_empty: bool,
    spans: Vec<usize>,
) -> cache::Facts {
    let style_holds = LineStyle::of(text).holds(text);
    cache::Facts {
        // As `merge::appendable` says of the whole document: it holds
        // events and nothing else, and nothing follows the last one.
        appendable: count > 0 && last_trailing_empty && text.ends_with('\n') && style_holds,
        spliceable: style_holds,
        spans,
    }
}

/// What the read cache of the store `text` is made of (see
/// [`Refreshed`]), reading it a piece at a time; when the store was
/// edited by hand since the cache at `earlier` was written, only the
/// pieces whose text that cache does not hold are parsed: the others'
/// events are copied from it as they are encoded (a piece with the same
/// text reads as the same event, see `index::piece_hash`). The last
/// piece is always parsed: what follows its event decides whether the
/// store is appendable. `None` when the whole document must be parsed.
pub(super) fn refresh(path: &Path, text: &str, earlier: &Path) -> Option<Refreshed> {
    let earlier = cache::read_earlier(earlier);
    let bounds = bounds(path, text)?;
    let mut by_piece = earlier.as_ref().map(|e| e.by_piece()).unwrap_or_default();
    let hashes: Vec<u64> = bounds
        .iter()
        .map(|&(a, b)| cache::hash(&text.as_bytes()[a..b]))
        .collect();
    let known: Vec<Option<usize>> = hashes
        .iter()
        .enumerate()
        .map(|(i, h)| by_piece.remove(h).filter(|_| i + 1 < bounds.len()))
        .collect();
    drop(by_piece);
    let todo: Vec<(usize, usize)> = bounds
        .iter()
        .zip(&known)
        .filter(|(_, k)| k.is_none())
        .map(|(&b, _)| b)
        .collect();
    let (parsed, parts) = read_pieces(path, text, &todo)?;
    drop(todo);
    let mut parsed_pieces = parsed.pieces.iter();
    let mut new_events = parsed.events.into_iter();
    let mut new_spans = parsed.spans.iter();
    let mut found = Vec::with_capacity(bounds.len());
    let mut pieces = Vec::with_capacity(bounds.len());
    let mut spans = Vec::with_capacity(bounds.len());
    // Ids are told apart by their hashes: a false alarm (1 in 2^64 per
    // pair) only sends the full read, which compares them exactly.
    let mut seen =
        cache::HashSetOfHashes::with_capacity_and_hasher(bounds.len(), Default::default());
    let mut last_trailing_empty = false;
    for ((&(a, _), k), &h) in bounds.iter().zip(&known).zip(&hashes) {
        if let Some(i) = *k {
            if !seen.insert(earlier.as_ref()?.id_hash(i)?) {
                return None;
            }
            found.push(cache::Found::Earlier(i));
            pieces.push(h);
            spans.push(a);
            continue;
        }
        let &(n, trailing_empty) = parsed_pieces.next()?;
        for k in 0..n {
            let (e, &span) = (new_events.next()?, new_spans.next()?);
            if !seen.insert(e.id_hash()) {
                return None;
            }
            found.push(cache::Found::New(e));
            // A piece of one event starting at its header is that event's text.
            let whole = n == 1 && k == 0 && span == a;
            pieces.push(if whole { h } else { 0 });
            spans.push(span);
        }
        last_trailing_empty = trailing_empty;
    }
    let facts = facts_of(text, found.len(), last_trailing_empty, spans);
    if !facts.spliceable {
        pieces.iter_mut().for_each(|h| *h = 0);
    }
    Some(Refreshed {
        found,
        pieces,
        earlier,
        parts,
        facts,
    })
}

/// A store read again by [`refresh`]: what its new cache is made of, no
/// longer needing the store's text.
pub(super) struct Refreshed {
    found: Vec<cache::Found>,
    pieces: Vec<u64>,
    earlier: Option<cache::Encoded>,
    parts: [Vec<u8>; 2],
    facts: cache::Facts,
}

impl Refreshed {
    /// The contents of the new cache, for the store's key.
    pub(super) fn contents(&self, key: cache::Key) -> Option<Vec<u8>> {
        self.with_parts(key, |parts| parts.concat())
    }

    /// Writes the new cache, for the store's key, to `path` from its
    /// parts, never joined (see `index::write_parts`); whether it was.
    pub(super) fn write(&self, key: cache::Key, path: &Path, store: &Path) -> bool {
        self.with_parts(key, |parts| cache::write_parts(path, parts, store))
            .unwrap_or(false)
    }

    fn with_parts<R>(&self, key: cache::Key, then: impl FnOnce(&[&[u8]]) -> R) -> Option<R> {
        cache::with_found(
            key,
            &self.found,
            &self.pieces,
            self.earlier.as_ref(),
            &self.parts,
            &self.facts,
            then,
        )
    }
}

/// The events of a store and the facts the read cache keeps, read a piece
/// at a time without an earlier cache; `None` when the whole file must be
/// parsed instead.
#[cfg(test)]
pub(super) fn read(path: &Path, text: &str) -> Option<(Vec<Event>, cache::Facts)> {
    let refreshed = refresh(path, text, Path::new(""))?;
    let facts = refreshed.facts.clone();
    let bytes = refreshed.contents(cache::Key::of(text.as_bytes()))?;
    let events = cache::decode_to(&bytes, cache::Key::of(text.as_bytes()), cache::Depth::Full)?;
    Some((events, facts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Status;

    /// `n` events in several shapes, with comments and blank lines.
    fn store(n: usize) -> String {
        let mut s = String::from("# Heading.\n\n# More.\n");
        for i in 0..n {
            match i % 4 {
                0 => s.push_str(&format!(
                    "\n[[event]]\nid = \"ev-{i}\"\ntitle = \"E {i}\" # note\nkind = \"deadline\"\ndate = 2014-11-24\n\n[[event.source]]\nfile = \"a.txt\"\nstart = 1\nend = 2\n"
                )),
                1 => s.push_str(&format!(
                    "\n# About {i}.\n  [[event]]   # indented\ntitle = \"Hand {i}\"\nkind = \"past\"\nstart = 2014-01-01\nend = 2014-02-01\nsource = [{{ file = \"b.txt\", start = 3, end = 4 }}]\n"
                )),
                2 => s.push_str(&format!(
                    "\n[[event]]\nid = \"ev-{i}\"\ntitle = \"T {i}\"\nkind = \"meeting\"\nat = 2014-10-15T15:00:00\noffset = \"-05:00\"\nnotes = \"\"\"\nline one\n[[ not a header ]]\n\"\"\"\n"
                )),
                _ => s.push_str(&format!(
                    "[[event]]\nid = \"ev-{i}\"\ntitle = \"R {i}\"\nkind = \"recurring\"\nrecurs = \"FREQ=WEEKLY;BYDAY=TH\"\nfirst = 2026-12-03\ntags = [\"a\", \"b\"]\n"
                )),
            }
        }
        s
    }

    fn whole(text: &str) -> (Vec<Event>, cache::Facts) {
        let doc = parse_document(Path::new("t.toml"), text).unwrap();
        let events = read_events(Path::new("t.toml"), text, &doc).unwrap();
        (events, splice::facts(text, &doc))
    }

    #[test]
    fn pieces_read_as_the_whole_document() {
        let lf = store(MIN_EVENTS + 3);
        let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
        let trailing = format!("{lf}\n# The end.\n");
        for text in [&lf, &crlf, &trailing] {
            let expected = whole(text);
            assert_eq!(read(Path::new("t.toml"), text), Some(expected));
        }
        // Small stores are one document.
        assert_eq!(read(Path::new("t.toml"), &store(10)), None);
    }

    /// A large store edited by hand (no current cache): `add` and `done`
    /// read it in pieces and append or splice, and write the bytes the
    /// full path (one editable document) writes.
    #[test]
    fn a_hand_edited_large_store_is_appended_to_and_spliced_as_the_full_path_does() {
        let dir = std::env::temp_dir().join(format!("timeline-pieces-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let lf = store(MIN_EVENTS + 2);
        let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
        let mut new = read(Path::new("t.toml"), &lf).unwrap().0.remove(0);
        new.id = "ev-new".into();
        new.title = "New".into();
        for text in [&lf, &crlf] {
            let fast = Store::new(dir.join("fast.toml"));
            let full = Store::new(dir.join("full.toml"));
            fs::write(fast.path(), text).unwrap();
            fs::write(full.path(), text).unwrap();
            let report = fast.append_new(std::slice::from_ref(&new)).unwrap();
            assert_eq!(report.map(|r| r.added), Some(vec!["ev-new".to_string()]));
            let path = full.path().to_path_buf();
            full.modify(true, None, &mut |doc, stored| {
                let (report, changes) = merge::plan(stored, std::slice::from_ref(&new), &path)?;
                merge::apply(doc, changes, &path)?;
                Ok((report, true))
            })
            .unwrap();
            let (a, b) = (
                fs::read(fast.path()).unwrap(),
                fs::read(full.path()).unwrap(),
            );
            assert!(a == b, "append");
            // Edited by hand again, then done: spliced after a piecewise read.
            for s in [&fast, &full] {
                let edited = fs::read_to_string(s.path())
                    .unwrap()
                    .replace("\"E 4\"", "\"E four\"");
                fs::write(s.path(), edited).unwrap();
            }
            fast.set_status("ev-8", Status::Done).unwrap();
            full.modify(false, None, &mut |doc, stored| {
                let i = resolve(stored, "ev-8")?;
                let table = event_table_mut(doc, i, &path)?;
                set_value_keeping_decor(table, "status", Value::from("done"));
                stored[i].status = Status::Done;
                Ok(((), true))
            })
            .unwrap();
            let (a, b) = (
                fs::read(fast.path()).unwrap(),
                fs::read(full.path()).unwrap(),
            );
            assert!(a == b, "done");
            let text = String::from_utf8(a).unwrap();
            assert!(text.contains("\"E four\""));
            for s in [&fast, &full] {
                let _ = fs::remove_file(s.cache_path());
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn any_doubt_is_the_whole_parse() {
        let text = store(MIN_EVENTS + 3);
        let p = Path::new("t.toml");
        let header_in_string = text.replace("[[ not a header ]]", "[[event]]");
        let table = text.replacen(
            "\n[[event]]\nid = \"ev-4\"",
            "\n[settings]\nx = 1\n[[event]]\nid = \"ev-4\"",
            1,
        );
        let duplicate = text.replace("id = \"ev-8\"", "id = \"ev-4\"");
        let key_on_top = format!("x = 1\n{text}");
        let bad_kind = text.replace("kind = \"meeting\"", "kind = \"meetin\"");
        for bad in [header_in_string, table, duplicate, key_on_top, bad_kind] {
            assert_eq!(read(p, &bad), None);
        }
    }

    /// A store edited by hand takes the events whose text is unchanged
    /// from the cache written before the edit, and reads as it would
    /// without that cache, whatever the edit.
    #[test]
    fn an_edited_store_takes_its_unchanged_events_from_the_earlier_cache() {
        let dir = std::env::temp_dir().join(format!("timeline-earlier-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let (p, cache_path) = (Path::new("t.toml"), dir.join(".t.toml.cache"));
        let text = store(MIN_EVENTS + 3);
        let (events, facts) = read(p, &text).unwrap();
        let key = cache::Key::of(text.as_bytes());
        // What the cache refreshed for `edit` says, read back from its file.
        let refreshed = |edit: &str| {
            let key = cache::Key::of(edit.as_bytes());
            let bytes = refresh(p, edit, &cache_path)?.contents(key)?;
            let fresh = dir.join("fresh");
            cache::write_parts(&fresh, &[&bytes], p);
            cache::read_with_facts(&fresh, key)
        };
        // A mark only the cache has shows which events came from it.
        let mut marked = events.clone();
        marked[1].notes = Some("from the cache".into());
        cache::write(&cache_path, key, &marked, &facts, text.as_bytes(), p);
        let edited = text.replacen("title = \"T 2\"", "title = \"T two\"", 1);
        let (got, _) = refreshed(&edited).unwrap();
        assert_eq!(got[1].notes.as_deref(), Some("from the cache"));
        assert_eq!(got[2].title, "T two");
        assert_eq!(got[3], events[3]);

        cache::write(&cache_path, key, &events, &facts, text.as_bytes(), p);
        let start = text.find("[[event]]\nid = \"ev-4\"").unwrap();
        let end = start + 1 + text[start + 1..].find("[[event]]").unwrap();
        let piece = &text[start..end];
        let edits = [
            // An event without an id: its derived id changes.
            text.replacen("title = \"Hand 5\"", "title = \"Hand five\"", 1),
            text.replacen("id = \"ev-4\"", "id = \"ev-four\"", 1),
            format!("{}{}", &text[..start], &text[end..]),
            // The same text twice: the second is parsed, and its id is
            // the first's.
            format!("{}{piece}{}", &text[..end], &text[end..]),
            format!("{}[settings]\nx = 1\n{}", &text[..end], &text[end..]),
            format!("{text}\n# The end.\n"),
            text.replace('\n', "\r\n"),
        ];
        for edit in &edits {
            let plain = read(p, edit);
            // Byte for byte the cache a full read writes.
            if let (Some(bytes), Some((events, facts))) = (
                refresh(p, edit, &cache_path)
                    .and_then(|r| r.contents(cache::Key::of(edit.as_bytes()))),
                &plain,
            ) {
                let full = cache::contents(
                    cache::Key::of(edit.as_bytes()),
                    events,
                    facts,
                    edit.as_bytes(),
                );
                assert!(Some(bytes) == full);
            }
            // The refreshed cache, when there is one, is read's.
            if let Some(found) = refreshed(edit) {
                assert_eq!(Some(found), plain);
            } else {
                assert_eq!(plain, None);
            }
        }
        // Every edit but the duplicate and the table is refreshed.
        assert!(refreshed(&edits[0]).is_some() && refreshed(&edits[6]).is_some());
        let _ = fs::remove_dir_all(&dir);
    }
}
