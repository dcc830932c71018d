//! A paragraph longer than a window, at the top level or in the body of a
//! block quote, a directive or a list item (the item's own text too), is
//! cut inside, at whitespace where the engine cuts the block into pieces
//! anyway (see `document::piece_starts`), as a literal block is (see
//! `window`). The next window goes on with the paragraph from there, then
//! reads the rest of each body it is in, innermost first, as the whole
//! file does: it takes on each body's indentation in the file, whether
//! its paragraphs are quotes, and how deep it is.
//!
//! A window ends so only where that reads as the whole file: the line cut
//! is whole in the bytes read and its two parts read as it does; no line
//! of a body after the cut is indented less than the body (the whole file
//! would take that indentation off, not the body's); a paragraph (not a
//! quote nor an item) reads as prose in all and up to the cut, not as
//! schedule lines. The lines after the cut are looked at as bytes, up to
//! the end of the outermost body: the window is grown until they are
//! read, and what they were found to be is handed on, so they are looked
//! at once.
//!
//! A window with no such paragraph may end, the same way, at the text of
//! the last line it reads that starts a block of a body after a blank
//! line (short paragraphs in a long quote): the next window reads the
//! body's blocks from there, then the rest of each body it is in.

use super::inline::inline;
use super::window::{Open, Unsettled};
use super::{blank, marker, ws, BlockKind, Line, Reader};
use crate::document::lines::{list_marker, looks_like_schedule_line, split_schedule_lines, Layout};
use crate::document::pieces::{emit_lines, joined, paragraph, Piece};
use crate::document::Decoded;

/// A body being read: the indentation its lines have in the file, whether
/// its paragraphs are quotes, and how deep it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Frame {
    indent: usize,
    quote: bool,
    depth: usize,
}

/// A paragraph a window starts inside, at whitespace, or a block of a
/// body it starts at (see [`body_cut`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Para {
    /// `Paragraph`, `Quote` or `ListItem` (an item's text); `None` where
    /// the window starts at a block of the innermost body.
    kind: Option<BlockKind>,
    /// The bodies it is in, outermost first.
    frames: Vec<Frame>,
    /// How many bytes from the window's start on were found to read as in
    /// the whole file (to the end of the outermost body).
    checked: usize,
}

/// A paragraph whose last line is the last line with text read.
pub(super) struct Tail {
    kind: BlockKind,
    frames: Vec<Frame>,
    /// Where its block starts in the text built.
    start: usize,
    /// The first byte of the window it may be cut at.
    from: usize,
    /// Where its first line's text starts, for a paragraph whose layout
    /// is to be found; `None` for a quote, an item, or a paragraph the
    /// window goes on with.
    first: Option<usize>,
    /// Whether it is the paragraph the window goes on with.
    continued: bool,
}

impl Para {
    /// Whether the window goes on with a block the one before ended in.
    pub(super) fn goes_on(&self) -> bool {
        self.kind.is_some()
    }
}

impl Reader {
    /// The indentation in the file of the lines being read.
    fn indent(&self) -> usize {
        self.frames.last().map_or(0, |f| f.indent)
    }

    /// Starts reading a body indented `n` more than the lines it is in.
    pub(super) fn enter(&mut self, n: usize, quote: bool, depth: usize) {
        let indent = self.indent() + n;
        self.frames.push(Frame {
            indent,
            quote,
            depth,
        });
    }

    /// A block of the innermost body starts at `at`, after a blank line:
    /// a window may end there (see [`body_cut`]), if one is looked for.
    pub(super) fn may_cut_in_body(&mut self, at: usize) {
        if self.cut.is_some() && !self.frames.is_empty() {
            match &mut self.body_start {
                Some((start, frames)) => {
                    *start = at;
                    frames.clone_from(&self.frames);
                }
                None => self.body_start = Some((at, self.frames.clone())),
            }
        }
    }

    /// Whether `line` is the last line with text read, when that is looked
    /// for.
    pub(super) fn ends_lines(&self, &(at, line): &Line) -> bool {
        self.last_end == Some(at + line.len())
    }

    /// Notes the block just opened as the tail.
    pub(super) fn note_tail(&mut self, kind: BlockKind, from: usize, first: Option<usize>) {
        if let Some((start, _)) = self.b.open_text() {
            self.tail = Some(Tail {
                kind,
                frames: self.frames.clone(),
                start,
                from,
                first,
                continued: false,
            });
        }
    }

    /// A paragraph whose last line is the last with text read: as
    /// [`paragraph`] writes it, noted as the tail when it is prose
    /// (`first`: where its first line starts; `from`: its third).
    pub(super) fn tail_paragraph(
        &mut self,
        lines: Vec<Vec<Piece>>,
        kind: BlockKind,
        first: usize,
        from: usize,
    ) {
        let prose = kind != BlockKind::Paragraph || {
            let texts: Vec<String> = lines.iter().map(|l| joined(l)).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            split_schedule_lines(&refs) == Layout::Prose
        };
        if !prose || lines.iter().all(|l| l.is_empty()) {
            paragraph(lines, kind, &mut self.b);
            return;
        }
        self.b.start(kind);
        let first = (kind == BlockKind::Paragraph).then_some(first);
        self.note_tail(kind, from, first);
        emit_lines(&lines, &mut self.b);
        self.b.end();
    }

    /// Goes on with the paragraph the window before ended inside, then
    /// with the rest of each body it is in; returns where the top level
    /// goes on and whether a literal block comes next there.
    pub(super) fn resume(&mut self, lines: &[Line], p: &Para) -> (usize, bool) {
        // Each body runs to its last line indented deeper than the body
        // it is in; the first line is the rest of one of the paragraph's.
        let mut ends = Vec::with_capacity(p.frames.len());
        let (mut end, mut parent) = (lines.len(), 0);
        for f in &p.frames {
            end = body_end(lines, end, parent);
            ends.push(end);
            parent = f.indent;
        }
        let body = |end: usize, indent: usize| -> Vec<Line> {
            let mut body = Vec::with_capacity(end);
            for (k, &(at, l)) in lines[..end].iter().enumerate() {
                body.push(match k {
                    0 => (at, l),
                    _ if blank(l) => (at, ""),
                    _ => {
                        let n = indent.min(ws(l));
                        (at + n, &l[n..])
                    }
                });
            }
            body
        };
        let inner = body(ends.last().copied().unwrap_or(lines.len()), parent);
        let (quote, depth) = p.frames.last().map_or((false, 0), |f| (f.quote, f.depth));
        self.frames.clone_from(&p.frames);
        let (j, literal) = match p.kind {
            Some(kind) => self.go_on_with(&inner, kind),
            None => (0, false),
        };
        if p.kind == Some(BlockKind::ListItem) {
            if j < inner.len() {
                self.blocks(&inner[j..], quote, depth);
            }
        } else if p.frames.is_empty() {
            return (j, literal);
        } else {
            self.blocks_on(&inner, j, quote, depth, literal);
        }
        for k in (0..p.frames.len().saturating_sub(1)).rev() {
            self.frames.truncate(k + 1);
            let f = &p.frames[k];
            let outer = body(ends[k], f.indent);
            self.blocks_on(&outer, ends[k + 1], f.quote, f.depth, false);
        }
        self.frames.clear();
        (ends.first().copied().unwrap_or(j), false)
    }

    /// The rest of the paragraph the window starts in, from the first of
    /// `lines` (the body it is in): returns where it ends, and whether it
    /// ends in "::".
    fn go_on_with(&mut self, lines: &[Line], kind: BlockKind) -> (usize, bool) {
        let item = kind == BlockKind::ListItem;
        let (mut j, mut literal) = (0, false);
        let mut text: Vec<Vec<Piece>> = Vec::new();
        while j < lines.len() {
            let (a, l) = lines[j];
            let goes_on = !blank(l) && ws(l) == 0 && !(item && marker(l).is_some());
            if j > 0 && !goes_on {
                break;
            }
            let mut l = l.trim_end();
            j += 1;
            let last = j == lines.len() || blank(lines[j].1) || ws(lines[j].1) > 0;
            if !item && last {
                if let Some(shown) = super::literal_marker(l) {
                    literal = true;
                    l = shown;
                }
            }
            let mut pieces = Vec::new();
            inline(l, a, &mut pieces);
            text.push(pieces);
        }
        self.b.start(kind);
        self.b.go_on();
        if j > 0 && self.ends_lines(&lines[j - 1]) {
            if let Some((start, _)) = self.b.open_text() {
                self.tail = Some(Tail {
                    kind,
                    frames: self.frames.clone(),
                    start,
                    from: 0,
                    first: None,
                    continued: true,
                });
            }
        }
        emit_lines(&text, &mut self.b);
        self.b.end();
        (j, literal)
    }
}

/// The end of a body in `lines` (up to `limit`), whose lines are indented
/// deeper than `parent`: after its last such line, the first line being
/// the rest of one.
fn body_end(lines: &[Line], limit: usize, parent: usize) -> usize {
    let (mut i, mut end) = (1, limit.min(1));
    while i < limit {
        let l = lines[i].1;
        if !blank(l) && ws(l) <= parent {
            break;
        }
        i += 1;
        if !blank(l) {
            end = i;
        }
    }
    end
}

/// Where a window whose reader (`r`, run over its first bytes, `head`)
/// found no place to end may end inside the paragraph its lines end in
/// (see the top); `bytes`: the window and what follows, `max` bytes read
/// ahead where the input had them. `Err` when the lines to look at run
/// past the bytes.
pub(super) fn para_cut(
    head: &Decoded,
    r: &Reader,
    bytes: &[u8],
    max: usize,
    open: &Open,
) -> Result<Option<(usize, Open)>, Unsettled> {
    let Some(tail) = &r.tail else {
        return Ok(None);
    };
    let text = head.text.as_ref();
    let h = text.as_bytes();
    // The last line read may be cut short.
    let sure = memchr::memrchr(b'\n', h).map_or(0, |k| k + 1);
    let indent = tail.frames.last().map_or(0, |f| f.indent);
    let built = r.b.text().get(tail.start..).unwrap_or("");
    let starts = crate::document::piece_starts(built);
    let Some((at, line_start)) = starts.iter().find_map(|&p| {
        let (at, verbatim) = r.b.origin(tail.start + p);
        let ok = verbatim && at >= tail.from && at < sure;
        ok.then_some(())?;
        let line_start = memchr::memrchr(b'\n', &h[..at]).map_or(0, |k| k + 1);
        // The window's first line is the rest of one: no indentation.
        let text_start = match tail.continued && line_start == 0 {
            true => 0,
            false => line_start + indent,
        };
        let line_end = line_start + memchr::memchr(b'\n', &h[line_start..])?;
        let line = text.get(text_start..line_end)?.trim_end_matches('\r');
        let (before, after) = line.split_at_checked(at.checked_sub(text_start)?)?;
        let fits = !before.is_empty()
            && after.starts_with(|c: char| c.is_ascii_whitespace())
            && !blank(after)
            && (tail.kind == BlockKind::ListItem || !before.trim_end().ends_with("::"))
            && splits_alike(line, text_start, before.len());
        fits.then_some((at, line_start))
    }) else {
        return Ok(None);
    };
    let cut = head.in_bytes(at);
    let checked = match (&open.para, tail.continued) {
        (Some(p), true) if p.checked > cut => p.checked,
        _ => {
            if let Some(first) = tail.first {
                // Up to the cut, the paragraph reads as prose too.
                let upto = text.get(first - indent..line_start).unwrap_or("");
                let mut layout = Count::default();
                for l in upto.lines() {
                    layout.add(l.get(indent..).unwrap_or(""), false);
                }
                layout.add(&text[line_start + indent..at], false);
                if layout.layout() != Layout::Prose {
                    return Ok(None);
                }
            }
            let scan = Scan {
                indent,
                item: tail.kind == BlockKind::ListItem,
                frames: &tail.frames,
                ended: bytes.len() <= max,
            };
            let from = match tail.first {
                Some(first) => head.in_bytes(first - indent),
                None => head.in_bytes(line_start),
            };
            match scan.run(bytes, from, true, tail.first.is_some())? {
                Some(end) => end,
                None => return Ok(None),
            }
        }
    };
    let mut next = Open::carried(&r.styles, r.body);
    next.para = Some(Para {
        kind: Some(tail.kind),
        frames: tail.frames.clone(),
        checked: checked.saturating_sub(cut),
    });
    Ok(Some((cut, next)))
}

/// Where a window whose reader (`r`, run over its first bytes, `head`)
/// found no place to end, nor a paragraph to end inside, may end at the
/// last block it read that starts a body's line after a blank line: at
/// the line's text, past the body's indentation. The blocks before end
/// at the blank line, in the window as in the whole file; the next window
/// reads on in the body from there, then in each body it is in, as after
/// a cut in a paragraph, where the lines after the cut are looked at the
/// same way (`bytes`, `max`: as [`para_cut`] has them).
pub(super) fn body_cut(
    head: &Decoded,
    r: &Reader,
    bytes: &[u8],
    max: usize,
    open: &Open,
) -> Result<Option<(usize, Open)>, Unsettled> {
    let Some((at, frames)) = &r.body_start else {
        return Ok(None);
    };
    let Some(inner) = frames.last() else {
        return Ok(None);
    };
    let h = head.text.as_bytes();
    let line_start = memchr::memrchr(b'\n', &h[..*at]).map_or(0, |k| k + 1);
    let cut = head.in_bytes(*at);
    if line_start == 0 || cut == 0 {
        return Ok(None);
    }
    // A body's lines after a cut found to read as in the whole file are
    // so after a later cut in it, if it is the only body: a body within
    // another may end and another of the same indentation start.
    let known = open
        .para
        .as_ref()
        .filter(|p| p.frames.len() == 1 && p.frames == *frames && p.checked > cut);
    let checked = match known {
        Some(p) => p.checked,
        None => {
            let scan = Scan {
                indent: inner.indent,
                item: false,
                frames,
                ended: bytes.len() <= max,
            };
            match scan.run(bytes, head.in_bytes(line_start), false, false)? {
                Some(end) => end,
                None => return Ok(None),
            }
        }
    };
    let mut next = Open::carried(&r.styles, r.body);
    next.para = Some(Para {
        kind: None,
        frames: frames.clone(),
        checked: checked.saturating_sub(cut),
    });
    Ok(Some((cut, next)))
}

/// Whether `line` (from `at` in the window), cut `k` bytes in, reads as
/// its two parts do: the same text from the same bytes.
fn splits_alike(line: &str, at: usize, k: usize) -> bool {
    let mut whole = Vec::new();
    inline(line.trim_end(), at, &mut whole);
    let mut parts = Vec::new();
    inline(line[..k].trim_end(), at, &mut parts);
    inline(line[k..].trim_end(), at + k, &mut parts);
    let flat = |pieces: &[Piece]| {
        let mut runs: Vec<(String, usize, bool)> = Vec::new();
        for p in pieces {
            match runs.last_mut() {
                Some((t, a, true)) if p.verbatim && *a + t.len() == p.at => t.push_str(&p.text),
                _ => runs.push((p.text.clone(), p.at, p.verbatim)),
            }
        }
        runs
    };
    flat(&whole) == flat(&parts)
}

/// What decides a paragraph's layout, counted line by line as
/// [`split_schedule_lines`] counts.
#[derive(Default)]
struct Count {
    lines: usize,
    tabbed: usize,
    marked: bool,
    prose: usize,
}

impl Count {
    /// Counts a line of the paragraph, as it is in the file, without its
    /// indentation; `last`: the paragraph's last line ("::" is read).
    fn add(&mut self, line: &str, last: bool) {
        let mut l = line.trim_end();
        if last {
            if let Some(s) = l.strip_suffix("::") {
                l = if s.ends_with([' ', '\t']) || s.is_empty() {
                    s.trim_end()
                } else {
                    &l[..l.len() - 1]
                };
            }
        }
        let mut pieces = Vec::new();
        inline(l, 0, &mut pieces);
        let text = joined(&pieces);
        self.lines += 1;
        self.tabbed += usize::from(text.trim().contains('\t'));
        self.marked |= list_marker(&text).is_some();
        self.prose += usize::from(!looks_like_schedule_line(&text));
    }

    fn layout(&self) -> Layout {
        if self.lines < 2 {
            return match self.tabbed {
                0 => Layout::Prose,
                _ => Layout::Table,
            };
        }
        if self.tabbed * 2 > self.lines {
            Layout::Table
        } else if self.marked {
            Layout::Rows
        } else if self.prose > self.lines / 3 || self.lines - self.prose < 2 {
            Layout::Prose
        } else {
            Layout::Rows
        }
    }
}

/// The lines after a cut, looked at as bytes.
struct Scan<'f> {
    /// The paragraph's lines' indentation.
    indent: usize,
    /// Whether the paragraph is an item's text (a line with a list marker
    /// starts another item).
    item: bool,
    frames: &'f [Frame],
    /// Whether the bytes end with the input.
    ended: bool,
}

impl Scan<'_> {
    /// Reads the lines of `bytes` from `from` (a line of the paragraph;
    /// `layout`: its first, and its layout is to be found) to the end of
    /// the outermost body: where they end, or `None` if they do not read
    /// as the window would have them.
    /// `in_para`: whether the line at `from` is a paragraph's (else it
    /// starts a block of the innermost body).
    fn run(
        &self,
        bytes: &[u8],
        from: usize,
        in_para: bool,
        layout: bool,
    ) -> Result<Option<usize>, Unsettled> {
        let mut count = Count::default();
        // The paragraph's last line so far, counted once the next shows
        // whether it is its last.
        let mut held: Option<String> = None;
        let (mut at, mut in_para, mut depth) = (from, in_para, self.frames.len());
        loop {
            let end = match memchr::memchr(b'\n', &bytes[at.min(bytes.len())..]) {
                Some(k) => Some(at + k),
                None if self.ended => (at < bytes.len()).then_some(bytes.len()),
                None => return Err(Unsettled),
            };
            let Some(end) = end else {
                if let Some(l) = held.take() {
                    count.add(&l, true);
                }
                let prose = !layout || count.layout() == Layout::Prose;
                return Ok(prose.then_some(bytes.len()));
            };
            let raw = String::from_utf8_lossy(&bytes[at..end]);
            let line = raw.trim_end_matches('\r');
            let (w, text) = (ws(line), !blank(line));
            if in_para {
                let rest = line.get(self.indent..).unwrap_or("");
                let goes_on = text
                    && (w == self.indent || at == from)
                    && !(self.item && at > from && marker(rest).is_some());
                if goes_on {
                    if layout {
                        if let Some(l) = held.replace(rest.to_owned()) {
                            count.add(&l, false);
                        }
                    }
                    at = end + 1;
                    continue;
                }
                in_para = false;
                if let Some(l) = held.take() {
                    count.add(&l, true);
                }
                if layout && count.layout() != Layout::Prose {
                    return Ok(None);
                }
                if self.frames.is_empty() {
                    return Ok(Some(at));
                }
            }
            if text {
                // Bodies this line is not indented into end before it.
                while depth > 0 && w <= depth.checked_sub(2).map_or(0, |k| self.frames[k].indent) {
                    depth -= 1;
                }
                if depth == 0 {
                    return Ok(Some(at));
                }
                if w < self.frames[depth - 1].indent {
                    return Ok(None);
                }
            }
            at = end + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::engine_view;
    use crate::document::rst::read;
    use crate::document::rst::window::tests::windowed;
    use crate::document::Document;

    fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
        (doc.blocks.iter())
            .map(|b| (b.kind, &doc.text[b.range.clone()]))
            .collect()
    }

    /// Prose lines of about 90 bytes, with inline markup, each `indent`ed.
    fn prose(n: usize, indent: &str) -> String {
        (0..n)
            .map(|k| match k % 4 {
                0 => format!("{indent}The board meets on *Monday*, March {}, 2026 at 10 a.m. in the hall upstairs.\n", k % 28 + 1),
                1 => format!("{indent}Filings are due by ``April 15`` and `the form <https://x.org>`_ goes with them.\n"),
                2 => format!("{indent}Late ones,   with spaces,   go to the clerk on Friday after the meeting ends.\r\n"),
                _ => format!("{indent}Any questions go to the office before May {} or to the chair by letter.\n", k % 28 + 1),
            })
            .collect()
    }

    /// A document with long paragraphs at the top level, in a block
    /// quote and in a note, each followed by more of its body.
    fn nested(n: usize) -> String {
        let mut text = String::from("Title\n=====\n\nBefore, May 2.\n\n");
        text.push_str(&prose(n, ""));
        text.push('\n');
        text.push_str(&prose(n, "    "));
        text.push_str("\n    A second quote paragraph, June 1::\n\n        code, June 2\n\n");
        text.push_str(".. note::\n\n");
        text.push_str(&prose(n, "   "));
        text.push_str("   Example::\n\n      literal, June 3\n\nAfter the note.\n\n");
        text.push_str("\nAfter, July 2.\n");
        text
    }

    #[test]
    fn a_long_paragraph_in_a_quote_or_note_reads_in_windows_as_in_the_whole_file() {
        let text = nested(2500);
        let whole = read(&text);
        let view = engine_view(&[(0, whole.clone())]);
        for max in [100_000, 150_000, 333_333] {
            let docs = windowed(&text, max);
            let ends = docs.iter().map(|(at, _)| *at).skip(1).chain([text.len()]);
            // The paragraphs are cut inside: a window is grown (doubled)
            // only where less than one of the engine's pieces of a
            // paragraph (64 KiB) follows what it cannot end before.
            for ((at, _), end) in docs.iter().zip(ends) {
                assert!(end - at <= 2 * max, "windows of {max}: {at}..{end}");
            }
            let got: Vec<_> = docs.iter().flat_map(|(_, d)| blocks(d)).collect();
            let split = got.len() - blocks(&whole).len();
            assert!(split > text.len() / max / 2, "windows of {max}: {split}");
            assert!(engine_view(&docs) == view, "windows of {max}");
        }
    }

    #[test]
    fn a_long_list_item_reads_in_windows_as_in_the_whole_file() {
        let line = "  The board meets on Monday, March 3, in the hall upstairs, as agreed.\n";
        let text = format!(
            "- First item, May 2.\n{}- Second item, June 1.\n\n  Its body, June 2::\n\n{}\nAfter.\n",
            line.repeat(3000),
            line.replace("  ", "      ").repeat(3000)
        );
        let whole = read(&text);
        let view = engine_view(&[(0, whole.clone())]);
        let docs = windowed(&text, 100_000);
        // A window starts inside the first item's text.
        let second = text.find("- Second").unwrap();
        assert!(docs.iter().any(|(at, _)| (21..second).contains(at)));
        assert!(engine_view(&docs) == view);
    }

    #[test]
    fn a_body_line_indented_less_than_the_body_keeps_its_paragraph_whole() {
        // The whole file takes off the indentation of the least indented
        // line (two spaces): the first lines are a quote in the quote.
        let text = format!(
            "Intro.\n\n{}  Less, May 3.\n\nAfter.\n",
            prose(3000, "    ")
        );
        let whole = read(&text);
        let docs = windowed(&text, 100_000);
        assert_eq!(docs.len(), 1, "no cut in the quote");
        let got: Vec<_> = docs.iter().flat_map(|(_, d)| blocks(d)).collect();
        assert_eq!(got, blocks(&whole));
    }

    #[test]
    fn a_paragraph_of_schedule_lines_is_not_cut() {
        // Its layout needs all its lines: it is read in one window.
        let rows: String = (0..6000)
            .map(|k| format!("Mon {} May     Talks resume, room {k}\n", k % 28 + 1))
            .collect();
        let text = format!("Intro.\n\n{rows}\nAfter.\n");
        let whole = read(&text);
        let docs = windowed(&text, 100_000);
        assert_eq!(docs.len(), 2);
        let got: Vec<_> = docs.iter().flat_map(|(_, d)| blocks(d)).collect();
        assert_eq!(got, blocks(&whole));
    }

    #[test]
    fn layout_counted_line_by_line_is_the_layout_of_the_lines() {
        let kinds = [
            "Mon 3 May  Talks",
            "The board meets on Monday.",
            "a\tb",
            "- an item",
            "9:00 Registration",
            "and more prose here",
        ];
        for n in 1..6 {
            for mask in 0..kinds.len().pow(n as u32) {
                let (mut lines, mut m) = (Vec::new(), mask);
                for _ in 0..n {
                    lines.push(kinds[m % kinds.len()]);
                    m /= kinds.len();
                }
                let mut count = Count::default();
                for (k, l) in lines.iter().enumerate() {
                    count.add(l, k + 1 == n);
                }
                assert_eq!(count.layout(), split_schedule_lines(&lines), "{lines:?}");
            }
        }
    }

    #[test]
    fn a_line_is_cut_only_where_its_parts_read_as_it_does() {
        let line = "Due *by the end* of May, ``see below``.";
        assert!(splits_alike(line, 10, 3));
        // Inside emphasis or a literal the parts read otherwise.
        assert!(!splits_alike(line, 10, 7));
        assert!(!splits_alike(line, 10, line.find("below").unwrap() - 1));
    }
}
