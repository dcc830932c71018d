//! reStructuredText read in windows. A window ends before a block the
//! reader starts at the left margin after a blank line, at the top level:
//! never inside a literal block, quote, directive or list item (their
//! bodies are indented), a grid table (no blank line in it) or a simple
//! table (one runs to its closing border, or to the end: the reader, run
//! over the window, finds no block in it). The blocks before such a line
//! stop at the blank line, so they read the same in the window as in the
//! whole file; the next window takes on the title adornments seen (they
//! give heading levels) and whether the field list at the top is over.
//!
//! A table at the top level may also end a window between two of its
//! rows, once its header is settled (see `tables`): the next window takes
//! on its columns and column names. One whose header is not settled
//! within a window (no header, so no second group of rows nor `=` border
//! comes until its end) is read in one window as long as it takes.
//!
//! A literal block at the top level longer than a window is cut inside
//! (one in a list item at the top level too, where it ends the item),
//! at whitespace where the engine cuts the block into pieces anyway (see
//! `document::piece_starts`): the next window reads on in the block from
//! there, up to the first line at the margin, as the whole file does.
//!
//! Where no top-level block starts after a blank line within a window
//! (one block quote, note or list item of many short blocks), the window
//! ends at a block of a body after a blank line, or inside a paragraph
//! longer than a window, and the next goes on in the bodies (see `para`).

use super::tables::{Table, HEADER_MAX};
use super::{adornment, blank, grid_border, simple_border};
use super::{lines_from, BlockKind, Builder, Document, Line, Reader};
use crate::document::Decoded;

/// What a window hands on to the next.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Open {
    styles: Vec<(char, bool)>,
    body: bool,
    /// The window starts inside a literal block, at whitespace.
    literal: bool,
    /// The window starts at a row of a table, its header settled.
    table: Option<Table>,
    /// The window starts inside a paragraph, at whitespace.
    pub(super) para: Option<super::para::Para>,
}

impl Reader {
    /// A top-level block starts at `at` after a blank line: a window may
    /// end there, if one is looked for.
    pub(super) fn may_cut(&mut self, at: usize) {
        self.may_cut_in(at, None);
    }

    /// A window may end at `at`, where the next goes on with `table`.
    pub(super) fn may_cut_in(&mut self, at: usize, table: Option<Table>) {
        if let Some(cut) = &mut self.cut {
            let (_, mut open) = cut.take().unwrap_or_default();
            open.styles.clone_from(&self.styles);
            open.body = self.body;
            open.table = table;
            *cut = Some((at, open));
        }
    }
}

fn reader(open: &Open) -> Reader {
    Reader {
        b: Builder::new(),
        styles: open.styles.clone(),
        body: open.body,
        cut: None,
        literal_tail: None,
        last_item: false,
        headless: None,
        unsettled: None,
        frames: Vec::new(),
        last_end: None,
        tail: None,
        body_start: None,
    }
}

impl Open {
    /// What the next window takes on where nothing but titles and the
    /// field list has been read in full: `styles` and `body`.
    pub(super) fn carried(styles: &[(char, bool)], body: bool) -> Open {
        Open {
            styles: styles.to_vec(),
            body,
            ..Open::default()
        }
    }

    pub(crate) fn goes_on(&self) -> bool {
        self.literal || self.para.as_ref().is_some_and(super::para::Para::goes_on)
    }
}

impl Reader {
    /// Reads a window's `lines`, going on first with the literal block
    /// the window before ended in, if `open` says so.
    fn window(&mut self, lines: &[Line], open: &Open) {
        let (mut from, mut literal) = (0, false);
        if let Some(para) = open.para.as_ref().filter(|_| !lines.is_empty()) {
            (from, literal) = self.resume(lines, para);
            self.body = true;
        } else if open.literal && !lines.is_empty() {
            // The first line is the rest of one; the block runs to the
            // first line at the margin.
            from = super::indented_end(lines, 1);
            self.b.start(BlockKind::Code);
            self.b.go_on();
            let sure = self.literal(&lines[..from]);
            if lines[from..].iter().all(|l| super::blank(l.1)) {
                self.literal_tail = Some((0, sure));
            }
            self.body = true;
        } else if let Some(table) = open.table.clone() {
            from = self.table_from(lines, table);
        }
        self.blocks_on(lines, from, false, 0, literal);
    }
}

/// Reads a whole file.
#[cfg(test)]
pub(super) fn read(text: &str) -> Document {
    read_window(text, &Open::default())
}

/// Reads one window, taking on what the window before left `open`.
pub(crate) fn read_window(text: &str, open: &Open) -> Document {
    let lines: Vec<Line> = lines_from(text, 0).collect();
    let mut r = reader(open);
    r.window(&lines, open);
    r.b.finish()
}

/// The fewest bytes a window holds for each of its lines (see
/// [`MIN_LINES`]): a line may be a block of its own, a table row of a few
/// bytes, which costs the reader and the engine some hundreds of bytes,
/// so a window of short lines ends sooner than `max` bytes in.
const LINE_BYTES: usize = 64;

/// The lines a window may hold, however short its `max`.
const MIN_LINES: usize = 1024;

/// The most bytes of a window the reader reads when the window was grown
/// past a table whose header is not settled: further on, only the bytes
/// are looked at, for the table's end (see [`ends_headless`]).
const FIRST_READ: usize = if cfg!(test) { 4096 } else { 1 << 20 };

/// Where a window of `bytes` may end, at most `max` bytes (and lines as
/// [`LINE_BYTES`] says) in (all of them
/// if they fit; `open`: what their start takes on), and what the next
/// window takes on; `None` when no such place comes within `max`.
///
/// A table with no header is cut between its rows once the bytes show it
/// ends before anything could make its first rows a header; until then
/// (a window grown to find that end), the reader reads only the first
/// [`FIRST_READ`] bytes, so memory holds the table's bytes and not what
/// reading all of them takes.
pub(crate) fn window_end(bytes: &[u8], max: usize, open: &Open) -> Option<(usize, Open)> {
    if max > FIRST_READ && bytes.len() > FIRST_READ {
        let read = short_end(bytes, FIRST_READ).unwrap_or(FIRST_READ);
        match cut_within(bytes, read, max, open) {
            Ok(Some(cut)) => return Some(cut),
            Err(Unsettled) => return None,
            Ok(None) => {}
        }
    }
    match short_end(bytes, max) {
        // A literal block of short lines is one block, cut only where
        // the engine cuts it: one that runs past the lines is looked
        // into up to `max`.
        Some(k) => cut_within(bytes, k, max, open)
            .ok()
            .flatten()
            .or_else(|| cut_within(bytes, max, max, open).ok().flatten()),
        None => cut_within(bytes, max, max, open).ok().flatten(),
    }
}

/// Where the lines a window of at most `max` bytes may hold end, if that
/// is before `max` and the end of `bytes`.
fn short_end(bytes: &[u8], max: usize) -> Option<usize> {
    let lines = (max / LINE_BYTES).max(MIN_LINES);
    let k = memchr::memchr_iter(b'\n', &bytes[..max.min(bytes.len())]).nth(lines)?;
    (k + 1 < bytes.len()).then_some(k + 1)
}

/// No place for a window to end within what was read: a table at the top
/// level whose header is not settled, or the lines of a paragraph the
/// window might end in (see `para`), run on past the bytes read ahead.
pub(super) struct Unsettled;

/// [`window_end`] in the first `read` bytes, without the limit on lines
/// (`max`: how many bytes the caller read ahead, see [`ends_headless`]).
fn cut_within(
    bytes: &[u8],
    read: usize,
    max: usize,
    open: &Open,
) -> Result<Option<(usize, Open)>, Unsettled> {
    if bytes.len() <= read {
        return Ok(Some((bytes.len(), Open::default())));
    }
    let head = Decoded::new(&bytes[..read]);
    let lines: Vec<Line> = lines_from(&head.text, 0).collect();
    let last_end = lines.iter().rev().find(|l| !blank(l.1));
    let run = |headless: Option<usize>| {
        let mut r = reader(open);
        r.cut = Some(None);
        r.last_end = last_end.map(|&(at, l)| at + l.len());
        r.headless = headless;
        r.window(&lines, open);
        r
    };
    let mut r = run(None);
    if let Some((start, grid)) = r.unsettled {
        // Where the scan starts (the last line read) in the text read.
        let from = memchr::memrchr(b'\n', head.text.as_bytes()).map_or(0, |k| k + 1);
        let limit = start + HEADER_MAX;
        match ends_headless(bytes, read, max, grid, from, limit) {
            Some(true) => r = run(Some(start)),
            Some(false) => {}
            None if matches!(r.cut, Some(None)) => return Err(Unsettled),
            None => {}
        }
    }
    Ok(match r.cut.take().flatten() {
        Some((at, open)) => Some((head.in_bytes(at), open)),
        None => match literal_cut(&head, &r) {
            Some(cut) => Some(cut),
            None => match super::para::para_cut(&head, &r, bytes, max, open)? {
                Some(cut) => Some(cut),
                None => super::para::body_cut(&head, &r, bytes, max, open)?,
            },
        },
    })
}

/// Whether a table at the top level whose rows run past the first `read`
/// bytes, its header not settled, ends in `bytes` before a line that may
/// settle one: a `=` border of a grid table, a border between groups of
/// rows of a simple one; or runs on past `limit` (where, in the text, its
/// header may end at the latest), so it has none. `None` when the bytes
/// end first and more may follow: the caller read `max` bytes ahead where
/// it could, so fewer mean the input ends with them. `text_at`: where the
/// last line read starts in the text, which `limit` counts in.
fn ends_headless(
    bytes: &[u8],
    read: usize,
    max: usize,
    grid: bool,
    mut text_at: usize,
    limit: usize,
) -> Option<bool> {
    let ended = bytes.len() <= max;
    // The line the first bytes end in may be cut short: read again.
    let mut at = memchr::memrchr(b'\n', &bytes[..read]).map_or(0, |k| k + 1);
    // Each whole line from `at` on, its line end left out, and where it
    // starts in the text (an invalid byte is three there).
    let mut next_line = || -> Option<Option<(&[u8], usize)>> {
        if at >= bytes.len() {
            return ended.then_some(None);
        }
        let end = match memchr::memchr(b'\n', &bytes[at..]) {
            Some(k) => at + k,
            None if ended => bytes.len(),
            None => return None,
        };
        let line = &bytes[at..end];
        let starts = text_at;
        text_at += std::str::from_utf8(line)
            .map_or_else(|_| String::from_utf8_lossy(line).len(), str::len)
            + 1;
        at = end + 1;
        Some(Some((line.strip_suffix(b"\r").unwrap_or(line), starts)))
    };
    loop {
        let Some((bytes, starts)) = next_line()? else {
            // The table ends with the input.
            return Some(true);
        };
        if starts > limit {
            return Some(true);
        }
        // Only a line that may be a border or end a table is decoded.
        let first = bytes.first().copied();
        let skip = match grid {
            true => first == Some(b'|'),
            false => first != Some(b'='),
        };
        if skip {
            continue;
        }
        let line = String::from_utf8_lossy(bytes);
        if grid {
            let t = line.trim_end();
            if grid_border(t) {
                if t.contains('=') {
                    return Some(false);
                }
            } else if !t.starts_with('|') {
                return Some(true);
            }
        } else if simple_border(&line).is_some()
            || (line.starts_with('=') && adornment(&line).is_some())
        {
            // The table's end, or a border between groups of rows.
            let next = next_line()?.map(|(n, _)| String::from_utf8_lossy(n));
            return Some(next.is_none_or(|n| blank(&n)));
        }
    }
}

/// Where a window with no place to end before a literal block that runs
/// past its end (`r`: the reader, run over the window's `head`) may end
/// inside it: at the last whitespace the engine starts a piece of the
/// block at. The next window takes on the same adornments as this one.
fn literal_cut(head: &Decoded, r: &Reader) -> Option<(usize, Open)> {
    let (start, sure) = r.literal_tail?;
    let text = r.b.text().get(start..sure.min(r.b.text().len()))?;
    let p = *crate::document::piece_starts(text).first()?;
    let (at, verbatim) = r.b.origin(start + p);
    let ws = head
        .text
        .as_bytes()
        .get(at)
        .is_some_and(u8::is_ascii_whitespace);
    if !verbatim || !ws || at == 0 {
        return None;
    }
    let next = Open {
        styles: r.styles.clone(),
        body: r.body,
        literal: true,
        table: None,
        para: None,
    };
    Some((head.in_bytes(at), next))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::document::BlockKind;

    fn blocks(doc: &Document) -> Vec<(BlockKind, &str, Vec<String>)> {
        (doc.blocks.iter())
            .map(|b| (b.kind, &doc.text[b.range.clone()], b.headers.clone()))
            .collect()
    }

    /// Every place a window of `text` may end, whatever its size.
    fn cuts(text: &str) -> Vec<usize> {
        let mut cuts: Vec<usize> = (1..text.len())
            .filter_map(|max| window_end(text.as_bytes(), max, &Open::default()))
            .map(|(end, _)| end)
            .collect();
        cuts.dedup();
        cuts
    }

    /// RST of every kind of block, with blank lines inside literal
    /// blocks, quotes, directives, list items and a simple table.
    fn sampler(n: usize) -> String {
        let kinds = [
            "Plan {k}\n========\n\nThe review is on Monday, {k} May.\n",
            "* Submit by June 2\n* Talks: June 9\n\n* A loose item\n\n  Its second paragraph, July 1.\n",
            "Example::\n\n    code on Friday\n\n    * not an item, May 5\n",
            "=====  =======\nTask   Date\n=====  =======\nA      April 7\n\nB      May 2\n=====  =======\n",
            "+------+---------+\n| Task | Date    |\n+======+=========+\n| A    | April 7 |\n+------+---------+\n",
            ".. note::\n\n   Noted on June 3.\n\n   And June 4.\n",
            "Term, May 1\n    Its definition, May 2.\n",
            "------\nAgenda\n------\n\n:Deadline: Dec. 1, 2014\n",
            "    A quote on Tuesday.\n\n    More of it, Wednesday.\n",
            "Sub {k}\n~~~~~~\n\n| Abstracts: April 7\n| Notification: May 12\n",
        ];
        let mut text = String::from("=======\nSampler\n=======\n\n:Date: 2026-01-05\n\n");
        for k in 0..n {
            text.push_str(&kinds[k * 7 % kinds.len()].replace("{k}", &k.to_string()));
            text.push('\n');
        }
        text
    }

    #[test]
    fn windows_read_as_the_whole_file() {
        let text = sampler(300);
        let whole = read(&text);
        let want = blocks(&whole);
        for max in [150, 1000, 4096] {
            let (mut at, mut open, mut docs) = (0, Open::default(), Vec::new());
            while at < text.len() {
                let (end, next) = window_end(&text.as_bytes()[at..], max, &open).expect("a cut");
                assert!(end > 0 && (end <= max || at + end == text.len()));
                docs.push(read_window(&text[at..at + end], &open));
                (at, open) = (at + end, next);
            }
            assert!(docs.len() > text.len() / max, "windows of {max}");
            let got: Vec<_> = docs.iter().flat_map(blocks).collect();
            assert_eq!(got, want, "windows of {max}");
        }
    }

    #[test]
    fn a_literal_block_longer_than_a_window_is_cut_where_the_engine_cuts_it() {
        use crate::document::engine_view;
        let line = "The board meets on Monday, March 3, 2026 at 10 a.m.";
        let mut lit = String::new();
        for k in 0..6000 {
            // Blank lines, deeper lines, trailing spaces, CRLF, long lines.
            let end = [
                "\n",
                "\r\n",
                "  \n",
                "\n\n",
                "\n      deeper\n",
                "\n\n  \n",
                " ",
            ][k % 7];
            lit.push_str(&format!("    {line} *{k}*{end}"));
        }
        // In a list item at the top level, after its text of one line or
        // of several, a block that ends where the item does.
        let deeper = lit.replace("\n    ", "\n      ");
        let text = format!(
            "Title\n=====\n\nBefore, May 2::\n\n{lit}\nBetween.\n\n::\n\n{lit}\n\
             Sub\n---\n\n- The deploys of\n  this item, June 4::\n\n  {deeper}\n* Item::\n\n  {deeper}\n\
             After, May 3.\n"
        );
        let whole = engine_view(&[(0, read(&text))]);
        for max in [100_000, 150_000, 333_333] {
            let (mut at, mut open, mut docs) = (0, Open::default(), Vec::new());
            while at < text.len() {
                let mut grown = max;
                let (end, next) = loop {
                    match window_end(&text.as_bytes()[at..], grown, &open) {
                        Some(cut) => break cut,
                        None => grown *= 2,
                    }
                };
                assert!(end > 0 && end <= max, "a window of {end} at {at}");
                docs.push((at, read_window(&text[at..at + end], &open)));
                (at, open) = (at + end, next);
            }
            assert!(docs.len() > text.len() / max, "windows of {max}");
            assert!(engine_view(&docs) == whole, "windows of {max}");
        }
    }

    /// `text` read in windows of at most `max` bytes, each grown as the
    /// reader of a file grows it where no place to end comes within it:
    /// each window's start and document.
    pub(in crate::document::rst) fn windowed(text: &str, max: usize) -> Vec<(usize, Document)> {
        let (mut at, mut open, mut docs) = (0, Open::default(), Vec::new());
        while at < text.len() {
            let mut grown = max;
            let (end, next) = loop {
                match window_end(&text.as_bytes()[at..], grown, &open) {
                    Some(cut) => break cut,
                    None => grown *= 2,
                }
            };
            assert!(end > 0);
            docs.push((at, read_window(&text[at..at + end], &open)));
            (at, open) = (at + end, next);
        }
        docs
    }

    /// A table's rows' blocks: kind, text, each cell's text, headers.
    type Rows<'d> = Vec<(BlockKind, &'d str, Vec<&'d str>, Vec<String>)>;

    fn rows(doc: &Document) -> Rows<'_> {
        let text = |r: &std::ops::Range<usize>| &doc.text[r.clone()];
        (doc.blocks.iter())
            .map(|b| {
                (
                    b.kind,
                    text(&b.range),
                    b.cells.iter().map(text).collect(),
                    b.headers.clone(),
                )
            })
            .collect()
    }

    /// A simple and a grid table of `n` rows each under a header of two
    /// lines, with rows of two lines, blank lines and `---` lines between
    /// rows, borders between groups of rows, CRLF and wide characters; a
    /// simple table without a header, and one in a list item.
    fn tables(n: usize) -> String {
        let mut text =
            String::from("Dates\n=====\n\n===============  ===========\nWhen             What\n");
        text.push_str("                 (and where)\n===============  ===========\n");
        for k in 0..n {
            let day = k % 28 + 1;
            text.push_str(&format!("March {day:<2}, 2026   filing {k}\n"));
            match k % 9 {
                0 => text.push_str("                 and its *appendix* on Friday\n"),
                1 => text.push('\n'),
                2 => text.push_str("---------------  -----------\n"),
                3 => text.push_str("===============  ===========\n"),
                4 => text.push_str("Éte, 2 mai       café\r\n"),
                _ => {}
            }
        }
        text.push_str("===============  ===========\n\nBetween, on May 3.\n\n");
        text.push_str("+---------------+-------------+\n| When          | What        |\n");
        text.push_str("|               | (and where) |\n+===============+=============+\n");
        for k in 0..n {
            let day = k % 28 + 1;
            text.push_str(&format!("| March {day:<2}, 2026 | filing {k:<5}|\n"));
            if k % 5 == 0 {
                text.push_str("|               | on Friday   |\r\n");
            }
            text.push_str(
                [
                    "+---------------+-------------+\n",
                    "+===============+=============+\n",
                ][usize::from(k % 7 == 3)],
            );
        }
        text.push_str("\n=====  ========\nA      April 7\nB      May 2\n=====  ========\n\n");
        text.push_str("* Item\n\n  =====  ========\n  X      June 1\n  =====  ========\n  Y      June 2\n  =====  ========\n");
        text
    }

    #[test]
    fn a_table_longer_than_a_window_is_cut_between_rows_once_its_header_is_settled() {
        use crate::document::engine_view;
        let text = tables(3000);
        let whole = read(&text);
        let (want, view) = (rows(&whole), engine_view(&[(0, whole.clone())]));
        assert!(
            want.iter()
                .filter(|r| r.3 == ["When", "What (and where)"])
                .count()
                > 5000
        );
        for max in [2000, 5000, 33_333, 100_000] {
            let docs = windowed(&text, max);
            let ends = docs.iter().map(|(at, _)| *at).skip(1).chain([text.len()]);
            // Every window fits: the tables are cut between their rows.
            for ((at, _), end) in docs.iter().zip(ends) {
                assert!(end - at <= max, "windows of {max}: {at}..{end}");
            }
            assert!(docs.len() > text.len() / max, "windows of {max}");
            let got: Rows = docs.iter().flat_map(|(_, d)| rows(d)).collect();
            assert_eq!(got, want, "windows of {max}");
            assert!(engine_view(&docs) == view, "windows of {max}");
        }
    }

    #[test]
    fn a_window_of_short_rows_ends_sooner() {
        // 100,000 rows of 9 bytes: windows of 1 MiB hold 16,384 lines.
        let short: String = (0..100_000).map(|k| format!("{k:<5}  x\n")).collect();
        let text = format!("T\n=\n\n=====  =\nA      B\n=====  =\n{short}=====  =\n");
        let max = 1 << 20;
        let docs = windowed(&text, max);
        let ends = docs.iter().map(|(at, _)| *at).skip(1).chain([text.len()]);
        for ((at, _), end) in docs.iter().zip(ends) {
            let lines = text[*at..end].lines().count();
            assert!(lines <= max / LINE_BYTES + 1, "{lines} lines at {at}");
        }
        assert!(docs.len() >= 100_000 / (max / LINE_BYTES));
        let got: Rows = docs.iter().flat_map(|(_, d)| rows(d)).collect();
        assert_eq!(got, rows(&read(&text)));
    }

    #[test]
    fn a_table_is_not_cut_before_its_header_is_settled() {
        // Until a second group of rows (or a `=` border) comes, the first
        // rows may be the header: no place to end comes within them.
        // Within the bytes a header may take up (see `tables`).
        let task_lines: String = (1..100)
            .map(|k| format!("Task {k:<4}  May {}\n", k % 28 + 1))
            .collect();
        let simple = format!("Plan\n====\n\n==========  ======\n{task_lines}==========  ======\n");
        let grid_rows = task_lines
            .replace("\n", " |\n+---------+\n")
            .replace("Task", "| Task");
        let grid = format!("Plan\n====\n\n+---------+\n{grid_rows}");
        for text in [simple, grid] {
            let start = text.find("\n\n").unwrap() + 2;
            let (end, open) = window_end(text.as_bytes(), 1000, &Open::default()).expect("a cut");
            assert_eq!((end, open.table.clone()), (start, None));
            assert_eq!(window_end(&text.as_bytes()[start..], 1000, &open), None);
            // Read on, in windows grown until the bytes show it has no
            // header (see below), it reads as the whole file.
            let docs = windowed(&text, 1000);
            let got: Rows = docs.iter().flat_map(|(_, d)| rows(d)).collect();
            assert_eq!(got, rows(&read(&text)));
        }
    }

    #[test]
    fn a_table_with_no_header_is_cut_once_the_bytes_show_where_it_ends() {
        use crate::document::engine_view;
        let task_lines: String = (1..2000)
            .map(|k| format!("Task {k:<4}  May {}\n", k % 28 + 1))
            .collect();
        let border = "==========  ======\n";
        let simple = format!("Plan\n====\n\n{border}{task_lines}{border}\nAfter, June 1.\n");
        let grid_rows = task_lines
            .replace("\n", " |\n+---------+\n")
            .replace("Task", "| Task");
        let grid = format!("Plan\n====\n\n+---------+\n{grid_rows}\nAfter, June 1.\n");
        // The input may end with the table.
        let last = format!("Plan\n====\n\n{border}{task_lines}{border}");
        for text in [simple, grid, last] {
            let whole = read(&text);
            let view = engine_view(&[(0, whole.clone())]);
            for max in [1000, 3000] {
                let docs = windowed(&text, max);
                let ends = docs.iter().map(|(at, _)| *at).skip(1).chain([text.len()]);
                // The reader reads no more than its first bytes of a window
                // grown to find the table's end.
                for ((at, _), end) in docs.iter().zip(ends) {
                    assert!(end - at <= FIRST_READ, "windows of {max}: {at}..{end}");
                }
                assert!(docs.len() > text.len() / 2 / max, "windows of {max}");
                let got: Rows = docs.iter().flat_map(|(_, d)| rows(d)).collect();
                assert_eq!(got, rows(&whole), "windows of {max}");
                assert!(engine_view(&docs) == view, "windows of {max}");
            }
        }
        // A border between groups of rows after them, within the bytes a
        // header may take up, would make the first rows the header: they
        // are read in one window, as before.
        let few: String = task_lines
            .lines()
            .take(150)
            .map(|l| format!("{l}\n"))
            .collect();
        let headed = format!("Plan\n====\n\n{border}{few}{border}Last  June 2\n{border}");
        let docs = windowed(&headed, 1000);
        assert_eq!(docs.len(), 2);
        assert_eq!(rows(&docs[1].1), rows(&read(&headed))[1..]);
    }

    #[test]
    fn rows_longer_than_a_header_may_be_are_data_whatever_border_follows() {
        use super::super::tables::HEADER_MAX;
        use crate::document::engine_view;
        let task_lines: String = (1..2000)
            .map(|k| format!("Task {k:<4}  May {}\n", k % 28 + 1))
            .collect();
        let border = "==========  ======\n";
        let simple = format!(
            "Plan\n====\n\n{border}{task_lines}{border}Last  June 2\n{border}\nAfter, June 1.\n"
        );
        let grid_rows = task_lines
            .replace("\n", " |\n+---------+\n")
            .replace("Task", "| Task");
        let grid = format!(
            "Plan\n====\n\n+---------+\n{grid_rows}| Last    |\n+=========+\n\
             | June 2  |\n+---------+\n\nAfter, June 1.\n"
        );
        for text in [simple, grid] {
            let whole = read(&text);
            // No row has column names: the first rows are not a header.
            let all = rows(&whole);
            assert!(all.iter().filter(|r| r.0 == BlockKind::TableRow).count() >= 2000);
            assert!(all.iter().all(|r| r.3.is_empty()), "{:?}", &all[..3]);
            let view = engine_view(&[(0, whole.clone())]);
            for max in [1000, 3000] {
                let docs = windowed(&text, max);
                let ends = docs.iter().map(|(at, _)| *at).skip(1).chain([text.len()]);
                for ((at, _), end) in docs.iter().zip(ends) {
                    assert!(end - at <= HEADER_MAX, "windows of {max}: {at}..{end}");
                }
                let got: Rows = docs.iter().flat_map(|(_, d)| rows(d)).collect();
                assert_eq!(got, all, "windows of {max}");
                assert!(engine_view(&docs) == view, "windows of {max}");
            }
        }
    }

    #[test]
    fn a_long_column_name_is_cut_in_every_row() {
        let long = "Due date and the reason it was moved ".repeat(20);
        let text = format!(
            "=====  {eq}\nTask   {long}\n=====  {eq}\nA      April 7\n=====  {eq}\n",
            eq = "=".repeat(long.len())
        );
        let doc = read(&text);
        let names = &doc.blocks[0].headers;
        assert_eq!(names[0], "Task");
        assert!(
            long.starts_with(&names[1]) && names[1].len() <= 256,
            "{names:?}"
        );
        assert!(names[1].len() > 250, "{names:?}");
    }

    #[test]
    fn a_window_ends_before_a_block_at_the_margin_after_a_blank_line() {
        let text = "Title\n=====\n\nOne on May 1.\nStill one.\n\nTwo.\n";
        assert_eq!(cuts(text), ["One", "Two"].map(|s| text.find(s).unwrap()));
        let (end, open) = window_end(text.as_bytes(), 30, &Open::default()).expect("a cut");
        assert_eq!(end, text.find("One").unwrap());
        // The title's adornment is taken on: a heading of the same style
        // in the next window is at the same level.
        let doc = read_window("Again\n=====\n", &open);
        assert_eq!(doc.blocks[0].kind, BlockKind::Heading(1));
        assert_eq!(
            window_end(b"one line and no blank one", 5, &Open::default()),
            None
        );
    }

    #[test]
    fn no_cut_inside_literal_blocks_quotes_directives_lists_or_a_table_s_header() {
        let text = concat!(
            "Intro::\n\n    code\n\ncode too\n\n",
            "* item\n\n  more of the item\n\n",
            ".. note::\n\n   noted\n\nnoted too\n\n",
            "=====  =====\nA      B\n=====  =====\nx      y\n\nz      w\n=====  =====\n\n",
            "=====\none\n\ntwo\n\n",
            "=====  =====\nA      B\n=====  =====\nx      y\n\nz      w\n\nAfter.\n"
        );
        // "code too" and "noted too" are at the margin: the literal block
        // and the note end before them. Not after a simple table's blank
        // line (it goes on), nor after one whose closing border never
        // comes; inside one only between two data rows (below); a border
        // of one column is a transition, as the reader reads it.
        let allowed = [
            "code too",
            "* item",
            ".. note",
            "noted too",
            "=====  =====",
            "=====\none",
            "two",
        ];
        let at = |s: &str| text.find(s).unwrap();
        let mut want = allowed.map(at).to_vec();
        want.push(text.rfind("=====  =====\nA").unwrap());
        want.extend(text.match_indices("z      w").map(|(k, _)| k));
        want.sort_unstable();
        assert_eq!(cuts(text), want);
    }

    #[test]
    fn a_cut_counts_invalid_bytes() {
        let bytes = b"Caf\xe9 \xff\xfe on May 1.\n\nTwo.\n\nThree.\n";
        let (end, _) = window_end(bytes, bytes.len() - 1, &Open::default()).expect("a cut");
        assert!(bytes[end..].starts_with(b"Three"), "{end}");
    }
}
