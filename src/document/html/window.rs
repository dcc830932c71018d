//! A page read in windows. A window ends before the start tag of a block
//! (`<p>`, `<li>`, `<h2>`, `<table>`, a table's `<tr>`…) where that tag
//! ends the block before it and nothing open holds state the next window
//! cannot take on: no dropped element (script, nav, `<del>`…), no raw
//! text, no title, no comment (the tokenizer reads no tag in one), no
//! table cell, no header row still to be settled. What is open there is
//! elements (`<body>`, a `<div>`, a list and its item) and tables between
//! rows, which the next window opens again before it reads on, so each
//! window's blocks are the whole page's. The places are found by the
//! reader itself, run over the window: the tokenizer decides what is a
//! tag, and the reader what a table's rows are, as when the window is
//! read.
//!
//! A `<pre>` (or `<listing>`, `<xmp>`) longer than a window has no such
//! place: it is cut inside, at whitespace where the engine cuts the block
//! into pieces anyway (see `document::piece_starts`), and the next window
//! opens the code block again and reads on from that whitespace. A table
//! cell or a heading is cut the same way, but for a heading in the first
//! window, whose text may date the page: it is read whole, unless the
//! reference date is given.

use html5gum::Tokenizer;

use super::elements::Tag;
use super::emitter::Events;
use super::{Document, Mode, Reader, Table};
use crate::document::BlockKind;
use crate::document::Decoded;

/// What is open where a window ends, which the next opens again: the
/// elements, and the tables between rows (their headers, their rows so
/// far).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Open {
    tags: Vec<Tag>,
    tables: Vec<Table>,
    /// The window starts inside a block of code, a table cell or a
    /// heading (of this level), at whitespace.
    code: bool,
    cell: bool,
    heading: Option<u8>,
    /// The window starts a cell of a row longer than a window, right after
    /// its start tag: the cell's separator (" | ") was written but for its
    /// last space, where the engine cuts the row (see `between_cells`).
    after_separator: bool,
    /// No block of the window dates the page: a window came before (the
    /// first one's blocks date it), or the date is given.
    dated: bool,
}

impl Open {
    /// What the first window opens when the page's reference date is
    /// given: nothing, and no heading need be read whole to date it.
    pub(crate) fn dated() -> Open {
        Open {
            dated: true,
            ..Open::default()
        }
    }

    pub(crate) fn goes_on(&self) -> bool {
        self.code || self.cell || self.heading.is_some()
    }
}

impl Reader<'_> {
    /// Opens again what was open where the window before ended.
    fn reopen(&mut self, open: &Open) {
        for &t in &open.tags {
            self.push(t);
        }
        // Pushing a table opened a table of no rows: it has some.
        self.tables.clone_from(&open.tables);
        let headers = self.tables.last().map(|t| t.headers.clone());
        self.b.set_headers(headers.unwrap_or_default());
        if open.code {
            self.open_block(BlockKind::Code);
            self.b.go_on();
        } else if let Some(level) = open.heading {
            self.open_block(BlockKind::Heading(level));
            self.b.go_on();
        } else if open.cell {
            // Pushing the row and the cell opened them anew: they go on.
            self.clear_buffer();
            self.open = Some(BlockKind::TableRow);
            self.mode = Mode::Stream;
            self.b.start(BlockKind::TableRow);
            self.b.go_on();
            if open.after_separator {
                // The space after the '|' maps to nothing of the file;
                // a piece's place counts only bytes other than whitespace.
                self.b.push_decoded(" ", 0);
            }
            self.b.start_cell();
        }
        self.cell_starts.clear();
    }

    /// The block the reader is in, if the text that follows only goes on
    /// with it: code, a heading, or a data row (not a header row, which is
    /// kept), and nothing else holds state.
    fn inside(&self) -> Option<BlockKind> {
        let kind = self.open.filter(|&k| k == self.kind())?;
        let ok = match kind {
            BlockKind::Code | BlockKind::Heading(_) => self.tables.is_empty(),
            BlockKind::TableRow => self.row().is_some_and(|r| !r.header),
            _ => false,
        };
        let clear = ok
            && self.mode == Mode::Stream
            && self.dropped == 0
            && self.raw_open.is_none()
            && self.partial.is_none()
            && !self.in_title
            // Its text runs to the end of the page, not to a tag.
            && self.counts[Tag::Plaintext as usize] == 0;
        clear.then_some(kind)
    }

    fn row(&self) -> Option<&super::Row> {
        self.tables.last().and_then(|t| t.row.as_ref())
    }

    /// Whether the reader is in a cell of the innermost table's open row.
    fn in_cell(&self) -> bool {
        self.row().is_some_and(|r| r.in_cell)
    }

    /// The window may end here: what is open is noted.
    pub(super) fn note_cut(&mut self) {
        let (_, mut open) = self.cut.take().unwrap_or_default();
        open.tags.clear();
        open.tags.extend(self.open_tags());
        open.tables.clone_from(&self.tables);
        open.dated = true;
        self.cut = Some((self.tag_start, open));
    }
}

/// Reads one window: `text`, the page's text from `at` on, with what was
/// `open` at its start open again (offsets in warnings count from the
/// page's start).
pub(crate) fn read_window(text: &str, open: &Open, at: usize) -> Document {
    let mut reader = Reader::new(text);
    reader.at = at;
    reader.reopen(open);
    tokenize(text, &mut reader);
    reader.finish()
}

/// Where a window of a page's `bytes` may end, at most `max` bytes in (all
/// of them if they fit; `open`: the elements open at their start), and what
/// is open there; `None` when no such place comes within `max` (a table of
/// megabytes).
pub(crate) fn window_end(bytes: &[u8], max: usize, open: &Open) -> Option<(usize, Open)> {
    if bytes.len() <= max {
        return Some((bytes.len(), Open::default()));
    }
    let head = Decoded::new(&bytes[..max]);
    let mut reader = Reader::new(&head.text);
    reader.scan = true;
    reader.reopen(open);
    tokenize(&head.text, &mut reader);
    match reader.cut.take() {
        Some((at, open)) => Some((head.in_bytes(at), open)),
        None => inside_cut(&head.text, &reader, open).map(|(at, open)| (head.in_bytes(at), open)),
    }
}

/// How many of the engine's pieces of an over-long block, last first,
/// are tried as a place to cut it: each try reads the window again.
const MAX_TRIES: usize = 4;

/// Where a window that ends in a block of code, a table cell or a heading
/// (not in the first window) with no place to end before it may end inside
/// (`reader`: the window read up to `max`; `open`: what was open at its
/// start): where the engine starts a piece of the block, tried last first,
/// where the reader is in the block with its text so far and nothing else
/// open, as the reader, run again up to there, finds (or as it is at
/// `max` when no tag came after). Such a place is whitespace copied from
/// the page as it is (not an entity nor a `<br>`), or, in a row, the last
/// space of the separator the reader writes before a cell (see
/// [`between_cells`]).
fn inside_cut(head: &str, reader: &Reader, open_at_start: &Open) -> Option<(usize, Open)> {
    let kind = reader.inside()?;
    // The first window's headings may date the page: one there is read
    // whole, unless the date is given.
    if matches!(kind, BlockKind::Heading(_)) && !open_at_start.dated {
        return None;
    }
    let (start, text) = reader.b.open_text()?;
    let starts = crate::document::piece_starts(text);
    let open = |r: &Reader, after_separator: bool| Open {
        tags: r.open_tags().collect(),
        tables: r.tables.clone(),
        code: kind == BlockKind::Code,
        cell: kind == BlockKind::TableRow,
        heading: match kind {
            BlockKind::Heading(level) => Some(level),
            _ => None,
        },
        after_separator,
        dated: true,
    };
    for &p in starts.iter().take(MAX_TRIES) {
        let place = match kind {
            BlockKind::TableRow => between_cells(reader, start, text, p),
            _ => None,
        };
        let (at, upto, after_separator) = match place {
            Some(at) => (at, p + 1, true),
            None => match in_text(head, reader, kind, start, p) {
                Some(at) => (at, p, false),
                None => continue,
            },
        };
        let Some(before) = head.get(..at).filter(|_| at > 0) else {
            continue;
        };
        if reader.last_tag < at {
            return Some((at, open(reader, after_separator)));
        }
        let mut again = Reader::new(before);
        again.scan = true;
        again.reopen(open_at_start);
        tokenize(before, &mut again);
        // A cut in a row is inside a cell (after its start tag at least).
        let same = again.inside() == Some(kind)
            && (kind != BlockKind::TableRow || again.in_cell())
            && again.b.open_text() == Some((start, &text[..upto]));
        if same {
            return Some((at, open(&again, after_separator)));
        }
    }
    None
}

/// Where in the page piece `p` of the open block (its text starting at
/// `start` of the reader's) starts, if that is whitespace copied from the
/// page as it is; in a row, only inside the open cell.
fn in_text(head: &str, reader: &Reader, kind: BlockKind, start: usize, p: usize) -> Option<usize> {
    if kind == BlockKind::TableRow {
        let cell = reader.b.open_cell().filter(|_| reader.in_cell())?;
        if start + p <= cell {
            return None;
        }
    }
    let (mut at, verbatim) = reader.b.origin(start + p);
    let bytes = head.as_bytes();
    if !verbatim || !bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    // A line end of "\r\n" is one: the cut comes before it.
    if at > 0 && bytes[at - 1] == b'\r' {
        at -= 1;
    }
    Some(at)
}

/// Where in the page a piece `p` of the open row (its text starting at
/// `start` of the reader's) starts when that is the last space of the
/// " | " the reader wrote before a cell: right after the cell's start tag.
/// A row of many short cells has no whitespace in them to cut at.
fn between_cells(reader: &Reader, start: usize, text: &str, p: usize) -> Option<usize> {
    let sep = text.as_bytes().get(p.checked_sub(2)?..=p)?;
    if sep != b" | " {
        return None;
    }
    let cells = &reader.cell_starts;
    let k = cells.partition_point(|&(at, _)| at < start + p + 1);
    cells
        .get(k)
        .filter(|&&(at, _)| at == start + p + 1)
        .map(|&(_, tag_end)| tag_end)
}

fn tokenize(text: &str, reader: &mut Reader) {
    match Tokenizer::new_with_emitter(text, Events(reader)).finish() {
        Ok(()) => {}
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::BlockKind;

    fn elements(tags: &[Tag]) -> Open {
        let tags = tags.to_vec();
        Open {
            tags,
            tables: Vec::new(),
            code: false,
            cell: false,
            heading: None,
            after_separator: false,
            dated: true,
        }
    }

    /// Each block's kind and text, and a row's cells and headers.
    type Read<'d> = (BlockKind, &'d str, Vec<&'d str>, Vec<String>);

    fn blocks(doc: &Document) -> Vec<Read<'_>> {
        let text = |r: &std::ops::Range<usize>| &doc.text[r.clone()];
        (doc.blocks.iter())
            .map(|b| {
                let cells = b.cells.iter().map(text).collect();
                (b.kind, text(&b.range), cells, b.headers.clone())
            })
            .collect()
    }

    /// Every place a window of `page` may end, whatever its size.
    fn cuts(page: &str) -> Vec<usize> {
        let mut cuts: Vec<usize> = (1..page.len())
            .filter_map(|max| window_end(page.as_bytes(), max, &Open::default()))
            .map(|(end, _)| end)
            .collect();
        cuts.dedup();
        cuts
    }

    /// A page with every kind of block, elements left open across blocks,
    /// bare text after a container's end, and text that looks like tags.
    fn sampler(n: usize) -> String {
        let kinds = [
            "<h2>Plan {k}</h2><p>The review is on Monday, {k} May.</p>\n",
            "<ul><li>Submit by June 2<li>Talks: June 9<ul><li>Nested, July 1</ul></li></ul>\n",
            "<div class=\"note\">Bare text on May 3</div>Then after it, May 4\n",
            "<table><tr><th>Task<th>Due date<tr><td>Review {k}<td>April 7</table>\n",
            "<script>var s = \"<p>June 9</p>\";</script><style>p::after { content: \"<p>\" }</style>\n",
            "<!-- hidden <p>June 9</p> -->\n<pre>kept\n<p>August 2</p>\n</pre>\n",
            "<blockquote><p>Quoted on Tuesday<p>and Wednesday</blockquote>\n",
            "<p>Abstracts: April 7<br>Notification: May 12</p>\n",
            "<nav><p>Menu, May 1</p></nav><p>Not <del>May 1</del> but May&nbsp;3 &amp; 4.</p>\n",
            "<section><article><p>Caf\u{e9} opens \u{2014} 2026-06-22</article></section>\n",
            "<dl><dt>Opening<dd>June 3<dt>Close<dd>June 30</dl><textarea><p>x</p></textarea>\n",
        ];
        let mut page = String::from("<html><head><title>Sampler</title></head><body><main>\n");
        for k in 0..n {
            page.push_str(&kinds[k * 7 % kinds.len()].replace("{k}", &k.to_string()));
        }
        page.push_str("</main></body></html>\n");
        page
    }

    #[test]
    fn windows_read_as_the_whole_page() {
        let page = sampler(300);
        let whole = read_window(&page, &Open::default(), 0);
        let want = blocks(&whole);
        for max in [200, 1000, 4096] {
            let (mut at, mut open, mut docs) = (0, Open::default(), Vec::new());
            while at < page.len() {
                let (end, next) = window_end(&page.as_bytes()[at..], max, &open).expect("a cut");
                assert!(end > 0 && (end <= max || at + end == page.len()));
                docs.push(read_window(&page[at..at + end], &open, at));
                (at, open) = (at + end, next);
            }
            assert!(docs.len() > page.len() / max, "windows of {max}");
            let got: Vec<Read> = docs.iter().flat_map(blocks).collect();
            assert_eq!(got, want, "windows of {max}");
        }
    }

    /// `page` read in windows of at most `max` bytes, each with where it
    /// starts; no window is longer.
    fn windows(page: &str, max: usize) -> Vec<(usize, Document)> {
        let (mut at, mut open, mut docs) = (0, Open::default(), Vec::new());
        while at < page.len() {
            let (end, next) = window_end(&page.as_bytes()[at..], max, &open).expect("a cut");
            assert!(end > 0 && end <= max, "a window of {end} at {at}");
            docs.push((at, read_window(&page[at..at + end], &open, at)));
            (at, open) = (at + end, next);
        }
        docs
    }

    #[test]
    fn a_pre_or_cell_longer_than_a_window_is_cut_where_the_engine_cuts_it() {
        use crate::document::engine_view;
        let line = "The board meets on Monday, March 3, 2026 at 10 a.m.";
        let mut pre = String::new();
        for k in 0..6000 {
            // Entities, inline tags, `<br>`, trailing spaces, blank lines,
            // CRLF line ends, long lines.
            let end = ["\n", "\r\n", "  \n", "\n\n", "&#10;", "<br>\r\n", " "][k % 7];
            pre.push_str(&format!("{line} &amp; <b>{k}</b> &lt;x&gt;{end}"));
        }
        let page = format!(
            "<html><body><p>Before, May 2.</p><ul><li><div><pre>\n{pre}</pre>June 1</div></ul>\
             <p>Between.</p><listing>{pre}</listing><pre>{pre}</pre><p>After, May 3.</p>\
             <table><tr><th>Notes<th>Due<tr><td>May 4<td>{pre}<td>May 5<tr><td>{pre}</table>\
             <table><tr><th>{pre}</table><p>Last.</p>"
        );
        let whole = engine_view(&[(0, read_window(&page, &Open::default(), 0))]);
        for max in [100_000, 150_000, 333_333] {
            let docs = windows(&page, max);
            assert!(docs.len() > page.len() / max, "windows of {max}");
            assert!(engine_view(&docs) == whole, "windows of {max}");
        }
        // A `<plaintext>` runs to the end of the page: it is not cut.
        let page = format!("<plaintext>{pre}");
        assert_eq!(window_end(page.as_bytes(), 100_000, &Open::default()), None);
    }

    #[test]
    fn a_row_of_many_short_cells_is_cut_between_them_where_the_engine_cuts_it() {
        use crate::document::engine_view;
        // Short cells with no whitespace inside to cut at, written every
        // way a page writes them: closed or not, empty, padded, with
        // entities, inline tags, `<br>`, line ends between them, dates.
        let shapes = [
            "<td>{k}</td>",
            "<td>x{k}",
            "<td></td>",
            "<td> {k} </td>\n",
            "<td>&amp;{k}</td>",
            "<td><b>{k}</b></td>\r\n",
            "<td>a<br>{k}</td>",
            "<th>\u{e9}t\u{e9}</th>",
            "<td>May {k}, 2026</td>",
            "<td class=\"n\">{k}</td>",
            "<td>",
        ];
        let row = |n: usize| -> String {
            (0..n)
                .map(|k| shapes[k * 5 % shapes.len()].replace("{k}", &(k % 31).to_string()))
                .collect()
        };
        let page = format!(
            "<html><body><p>Before, May 2.</p><table><tr>{}</tr>\n<tr>{}</tr><tr>{}\
             </table><p>After, May 3.</p><table><tr>{}</table>",
            row(30_000).replace("<td", "<th"),
            row(40_000),
            row(25_000),
            row(20_000),
        );
        let whole = engine_view(&[(0, read_window(&page, &Open::default(), 0))]);
        // A window holds a few of the engine's pieces of the row's text
        // (64 KiB each); where none of them starts after a cell's start
        // tag, the window is grown.
        for max in [200_000, 250_000, 333_333] {
            let docs = windows_within(&page, max, Open::default(), |_, end| end <= 2 * max);
            assert!(docs.len() > page.len() / max, "windows of {max}");
            // Some windows start a cell, right after its start tag.
            let after_tag = |at: usize| {
                let tag = &page[..at][page[..at].rfind('<').unwrap_or(0)..];
                (tag.starts_with("<td") || tag.starts_with("<th")) && tag.ends_with('>')
            };
            assert!(
                docs.iter().any(|&(at, _)| after_tag(at)),
                "windows of {max}"
            );
            assert!(engine_view(&docs) == whole, "windows of {max}");
        }
    }

    #[test]
    fn a_heading_longer_than_a_window_is_cut_unless_in_the_first_window() {
        use crate::document::engine_view;
        let line = "Talks on Monday, March 3, 2026 at 10 a.m. &amp; <b>again</b>";
        let words: String = (0..5000).map(|k| format!("{line} {k}\r\n  ")).collect();
        let page = format!(
            "<h1>{words}</h1><p>Between, May 2.</p>\
             <div><h2>{words}</h2></div><p>After, May 3.</p>"
        );
        let whole = engine_view(&[(0, read_window(&page, &Open::default(), 0))]);
        for max in [100_000, 150_000] {
            let docs = windows_grown(&page, max, Open::default());
            // The first window holds the whole `<h1>`; the `<h2>` is cut.
            assert!(docs[1].0 > page.find("</h1>").unwrap(), "windows of {max}");
            assert!(docs.len() > page.len() / 2 / max, "windows of {max}");
            assert!(engine_view(&docs) == whole, "windows of {max}");
            // With the reference date given, the `<h1>` is cut too.
            let docs = windows_grown(&page, max, Open::dated());
            assert!(docs[1].0 < page.find("</h1>").unwrap(), "windows of {max}");
            assert!(docs.len() > page.len() / max, "windows of {max}");
            assert!(engine_view(&docs) == whole, "windows of {max}");
        }
    }

    /// [`windows`] from what `open` says is open at the page's start, a
    /// window grown where no place to end comes within it; none but the
    /// first longer than `max`.
    fn windows_grown(page: &str, max: usize, open: Open) -> Vec<(usize, Document)> {
        windows_within(page, max, open, |at, end| end <= max || at == 0)
    }

    /// [`windows_grown`], each window's length `end` at `at` held to
    /// `fits` instead.
    fn windows_within(
        page: &str,
        max: usize,
        open: Open,
        fits: impl Fn(usize, usize) -> bool,
    ) -> Vec<(usize, Document)> {
        let (mut at, mut open, mut docs) = (0, open, Vec::new());
        while at < page.len() {
            let mut grown = max;
            let (end, next) = loop {
                match window_end(&page.as_bytes()[at..], grown, &open) {
                    Some(cut) => break cut,
                    None => grown *= 2,
                }
            };
            assert!(end > 0 && fits(at, end), "a window of {end} at {at}");
            docs.push((at, read_window(&page[at..at + end], &open, at)));
            (at, open) = (at + end, next);
        }
        docs
    }

    #[test]
    fn a_page_that_fits_is_one_window() {
        let page = b"<p>Talks resume Monday.</p><p>More.</p>";
        assert_eq!(
            window_end(page, 100, &Open::default()),
            Some((page.len(), Open::default()))
        );
    }

    #[test]
    fn a_window_ends_before_a_block_with_only_elements_open() {
        let page = "<body><div><p>One on May 1.<p>Two.</div><ul><li>Three<li>Four</ul>";
        let at = |s: &str| page.find(s).expect("in the page");
        let (end, open) =
            window_end(page.as_bytes(), at("<p>Two"), &Open::default()).expect("a cut");
        // The `<p>` is closed by the next, so only `<body><div>` is open.
        assert_eq!(end, at("<p>One"));
        assert_eq!(open, elements(&[Tag::Body, Tag::Div]));
        let (end, open) = window_end(page.as_bytes(), page.len() - 1, &Open::default()).unwrap();
        assert_eq!(
            (end, open),
            (at("<li>Four"), elements(&[Tag::Body, Tag::Ul]))
        );
        // Read on with them open, `</div>` still ends the block before it.
        let open = elements(&[Tag::Div]);
        let doc = read_window("<p>Two</p>bare</div>after", &open, 0);
        let got = blocks(&doc);
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn no_cut_inside_raw_text_comments_code_tables_or_dropped_elements() {
        let page = concat!(
            "<p>Before.</p><script>x = '<p>a</p>';</script><style>a{}</style>",
            "<!-- <p>b</p> --><pre>c<p>d</p></pre><textarea><p>e</p></textarea>",
            "<table><tr><td><p>f</p><div>g</div></table><nav><p>h</p><div>i</div></nav>",
            "<del><p>j</p></del><template><p>k</p></template><title><p>l</p></title>",
            "<h2><div>m</div></h2><p>After.</p>"
        );
        // Only before the blocks that are not inside anything, and the
        // table's row.
        let allowed =
            ["<pre>", "<table>", "<tr>", "<h2>", "<p>After"].map(|s| page.find(s).unwrap());
        let cuts = cuts(page);
        assert!(cuts.iter().all(|c| allowed.contains(c)), "{cuts:?}");
        assert_eq!(cuts.len(), allowed.len(), "{cuts:?}");
        assert_eq!(
            window_end(b"<p>one block and nothing more", 5, &Open::default()),
            None
        );
    }

    #[test]
    fn a_table_is_cut_between_rows_once_its_header_row_is_settled() {
        let page = concat!(
            "<p>Dates</p><table><thead><tr><th>Task<th>Due date</thead>",
            "<tr><td>Review<td>April 7<tr><td>Ship<td>May 2",
            "<tr><td>Nested<td><table><tr><td>a<tr><td>b</table></table><p>After</p>"
        );
        let at = |s: &str| page.find(s).expect("in the page");
        // Not before the first data row: a header row alone would be the
        // table's one row. Not in the nested table: a cell is open.
        let allowed = [
            "<table>",
            "<tr><th>",
            "<tr><td>Ship",
            "<tr><td>Nested",
            "<p>After",
        ];
        assert_eq!(cuts(page), allowed.map(at));
        let (end, open) =
            window_end(page.as_bytes(), at("<tr><td>Nested"), &Open::default()).expect("a cut");
        assert_eq!(end, at("<tr><td>Ship"));
        let doc = read_window(&page[end..], &open, end);
        // The next window's rows have the table's headers.
        assert_eq!(blocks(&doc)[0].3, ["Task", "Due date"]);
        assert_eq!(blocks(&doc)[0].2, ["Ship", "May 2"]);
    }

    #[test]
    fn a_cut_never_splits_a_character_and_counts_invalid_bytes() {
        let page = "<p>\u{e9}t\u{e9} \u{20ac}</p><p>\u{e9}</p><p>x</p>";
        for c in cuts(page) {
            assert!(
                page.is_char_boundary(c) && page[c..].starts_with("<p>"),
                "{c}"
            );
        }
        // An invalid byte takes one byte of the page but three of the
        // text read: the cut is where the `<p>` is in the bytes.
        let bytes = b"<p>caf\xe9 \xff\xfe</p><p>Two</p><p>Three</p>";
        let (end, _) = window_end(bytes, bytes.len() - 1, &Open::default()).expect("a cut");
        assert!(bytes[end..].starts_with(b"<p>Three"), "{end}");
    }
}
