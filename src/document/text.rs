//! Plain text: paragraphs at blank lines; lists, schedule lines and
//! tab-separated rows as blocks of their own; underlined or short first
//! lines as headings; front matter and header fields ("Created: …") as
//! metadata, not text.

use super::lines::{
    ends_unfinished, label_end, list_marker, looks_like_schedule_line, split_schedule_lines, Layout,
};
use super::{dct, BlockKind, Builder, Document};

pub(crate) fn read(text: &str) -> Document {
    read_owned(text.to_owned())
}

/// Plain text is read in place: blocks are ranges of the file's text, which
/// becomes the document's text without a copy.
pub(crate) fn read_owned(text: String) -> Document {
    let mut b = Builder::in_place(text.len());
    let body = metadata(&text, &mut b);
    read_into(&text, body, &mut b);
    b.finish_with(text)
}

/// See [`super::read_text_window`].
pub(crate) fn read_window(text: &str, from: usize, head: bool, first: &mut bool) -> Document {
    let mut b = Builder::in_place(text.len());
    let body = if head { metadata(text, &mut b) } else { from };
    paragraphs(text, body.max(from), &mut b, first);
    b.finish_over(text)
}

/// Reads `text[from..]` as plain text into `b`; offsets are into `text`.
pub(crate) fn read_into(text: &str, from: usize, b: &mut Builder) {
    paragraphs(text, from, b, &mut true);
}

/// [`read_into`], `first` saying whether no paragraph came before.
pub(crate) fn paragraphs(text: &str, from: usize, b: &mut Builder, first: &mut bool) {
    let mut para: Vec<(usize, &str)> = Vec::new();
    for (at, line) in lines_from(text, from) {
        // A blank line: ASCII blanks only, tested byte by byte because it
        // stops at the first letter of every other line.
        if line
            .bytes()
            .all(|c| matches!(c, b' ' | b'\t' | b'\r' | 0x0c))
        {
            flush(&mut para, b, first);
        } else {
            para.push((at, line));
        }
    }
    flush(&mut para, b, first);
}

/// The lines of `text` from `from` on, without their line ends, with
/// their byte offsets.
pub(crate) fn lines_from(text: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    // memchr's vectorized search: this runs over every byte of plain text.
    let bytes = text.as_bytes();
    let mut at = from;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |k| start + k);
        at = end + 1;
        Some((start, text[start..end].trim_end_matches('\r')))
    })
}

pub(crate) fn is_underline(line: &str) -> Option<u8> {
    let t = line.trim();
    if t.len() < 3 {
        return None;
    }
    let c = t.chars().next()?;
    if !t.chars().all(|x| x == c) {
        return None;
    }
    match c {
        '=' | '#' | '*' => Some(1),
        '-' | '~' | '^' | '+' => Some(2),
        _ => None,
    }
}

fn flush(para: &mut Vec<(usize, &str)>, b: &mut Builder, first: &mut bool) {
    if para.is_empty() {
        return;
    }
    let was_first = std::mem::replace(first, false);
    // One line of prose, the usual paragraph of a news text: no layout to
    // decide.
    if para.len() == 1 && !(was_first && title_like(para[0].1)) {
        let (at, line) = para[0];
        if memchr::memchr(b'\t', line.as_bytes()).is_none() && !standalone_row(line) {
            b.add(BlockKind::Paragraph, line, at);
            para.clear();
            return;
        }
    }
    let lines: Vec<(usize, &str)> = std::mem::take(para);
    // "Title\n=====": a heading, then whatever follows it.
    if lines.len() >= 2 {
        if let Some(level) = is_underline(lines[1].1) {
            if !lines[0].1.trim().is_empty() && lines[0].1.trim().len() <= 120 {
                b.start(BlockKind::Heading(level));
                b.push(lines[0].1, lines[0].0);
                b.end();
                let rest: Vec<(usize, &str)> = lines[2..].to_vec();
                *para = rest;
                flush(para, b, first);
                return;
            }
        }
    }
    // A document's short first line on its own is its title.
    if was_first && lines.len() == 1 && title_like(lines[0].1) {
        b.start(BlockKind::Heading(1));
        b.push(lines[0].1, lines[0].0);
        b.end();
        return;
    }
    let texts: Vec<&str> = lines.iter().map(|(_, l)| *l).collect();
    let layout = match texts.as_slice() {
        // A schedule line standing alone between blank lines is a row too,
        // unless it reads as a sentence.
        [one] if !one.contains('\t') && standalone_row(one) => Layout::Rows,
        _ => split_schedule_lines(&texts),
    };
    match layout {
        Layout::Prose => {
            b.start(BlockKind::Paragraph);
            for (at, line) in &lines {
                b.push(line, *at);
                b.push("\n", at + line.len());
            }
            b.end();
        }
        Layout::Rows => rows(&lines, b),
        Layout::Table => table(&lines, b),
    }
}

/// The cells of a line laid out in columns with runs of three or more
/// spaces (or a tab), as byte ranges; `None` for one column.
fn spaced_cells(line: &str) -> Option<Vec<(usize, usize)>> {
    let bytes = line.as_bytes();
    let mut cells = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' || bytes[i] == b'\t' {
            let run = bytes[i..]
                .iter()
                .take_while(|&&c| c == b' ' || c == b'\t')
                .count();
            let gap = run >= 3 || bytes[i] == b'\t';
            if let (true, Some(s)) = (gap, start) {
                cells.push((s, i));
                start = None;
            }
            i += run;
        } else {
            start.get_or_insert(i);
            i += 1;
        }
    }
    if let Some(s) = start {
        cells.push((s, bytes.len()));
    }
    (cells.len() >= 2).then_some(cells)
}

/// A line alone in its paragraph that is a schedule row: shaped like one,
/// and not a sentence ("Certificates expire on 3 February.").
pub(crate) fn standalone_row(line: &str) -> bool {
    let t = line.trim_end();
    // "Deadline: 30 June." is a row; "Reminder: the council will vote on
    // Friday." a sentence.
    if t.len() > 200 {
        return false;
    }
    let short_value = || label_end(t).is_some_and(|k| t[k + 2..].split_whitespace().count() <= 6);
    // The cheap tests first: most short lines are sentences of prose.
    let not_sentence = list_marker(line).is_some() || !t.ends_with(['.', '!', '?']);
    (not_sentence || short_value()) && looks_like_schedule_line(line)
}

fn title_like(line: &str) -> bool {
    let t = line.trim();
    // Fourteen words fit in 200 bytes; a longer first line is prose, and
    // counting its words would cost a pass over it.
    if t.len() > 200 {
        return false;
    }
    let words = t.split_whitespace().take(15).count();
    (1..=14).contains(&words) && !t.ends_with(['.', ',', ';', ':'])
}

/// Each line a block; a line indented deeper than its item, or starting
/// lower-case, continues the item before it unless it is a row itself, and
/// so does any line after one cut short mid-sentence ("… on\nSaturday 5
/// December").
fn rows(lines: &[(usize, &str)], b: &mut Builder) {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut item_indent = 0;
    let mut unfinished = false;
    for (at, line) in lines {
        let deeper = indent(line) > item_indent;
        let lower = line.trim_start().starts_with(|c: char| c.is_lowercase());
        let item_goes_on =
            deeper && b.kind() == Some(BlockKind::ListItem) && !looks_like_schedule_line(line);
        let continues =
            b.is_open() && list_marker(line).is_none() && (unfinished || lower || item_goes_on);
        unfinished = ends_unfinished(line);
        if continues {
            b.push("\n", *at);
            b.push(line, *at);
            continue;
        }
        item_indent = indent(line);
        if let Some(cells) = spaced_cells(line) {
            // "Half term        Monday 26 October": columns set by spaces.
            b.start(BlockKind::TableRow);
            for (from, to) in cells {
                b.start_cell();
                b.push(&line[from..to], at + from);
                b.end_cell();
            }
            continue;
        }
        match list_marker(line) {
            Some(k) => {
                b.start(BlockKind::ListItem);
                b.push(&line[k..], at + k);
            }
            None => {
                b.start(BlockKind::Line);
                b.push(line, *at);
            }
        }
    }
    b.end();
}

/// Tab-separated rows; a first row without digits is the header.
fn table(lines: &[(usize, &str)], b: &mut Builder) {
    let cells = |line: &str| -> Vec<String> {
        line.split('\t')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect()
    };
    let mut rest = lines;
    if let Some((_, first)) = lines.first() {
        if !first.bytes().any(|c| c.is_ascii_digit()) && lines.len() > 1 {
            b.set_headers(cells(first));
            rest = &lines[1..];
        }
    }
    for (at, line) in rest {
        b.start(BlockKind::TableRow);
        let mut off = 0;
        for cell in line.split('\t') {
            if !cell.trim().is_empty() {
                b.start_cell();
                b.push(cell, at + off);
                b.end_cell();
            }
            off += cell.len() + 1;
        }
        b.end();
    }
    b.set_headers(Vec::new());
}

/// Reads front matter and a block of header fields at the top, and
/// returns where the body starts.
pub(crate) fn metadata(text: &str, b: &mut Builder) -> usize {
    let mut lines = lines_from(text, 0).peekable();
    let mut body = 0;
    let front = lines.peek().is_some_and(|(_, l)| l.trim() == "---");
    if front {
        lines.next();
        for (at, line) in lines.by_ref() {
            if line.trim() == "---" || line.trim() == "..." {
                body = at + line.len();
                break;
            }
            field(line, b, dct::Source::FrontMatter);
        }
        if body == 0 {
            // No closing fence: not front matter after all.
            return 0;
        }
        return skip_newline(text, body);
    }
    // Header fields: "Key: value" lines at the very top (after a title
    // line, if there is one), at least one of them a date or a title key.
    let first_lines: Vec<(usize, &str)> = lines_from(text, 0)
        .take_while(|(_, l)| !l.trim().is_empty())
        .take(12)
        .collect();
    let is_field = |line: &str| {
        // A key of up to three words ends within 48 bytes; looking no
        // further keeps this cheap on a first line that is a paragraph.
        let head = &line.as_bytes()[..line.len().min(48)];
        memchr::memchr(b':', head).is_some()
            && line.split_once(':').is_some_and(|(key, value)| {
                let key = key.trim();
                !key.is_empty()
                    && key.split_whitespace().count() <= 3
                    && !value.trim().is_empty()
                    && key.chars().next().is_some_and(char::is_alphabetic)
            })
    };
    let known = |line: &str| {
        line.split_once(':').is_some_and(|(key, _)| {
            let key = key.trim().to_ascii_lowercase();
            let fields = &crate::engine::english().document_fields;
            fields.dates(&key) || fields.titles(&key)
        })
    };
    let titled = first_lines.first().is_some_and(|(_, l)| !is_field(l));
    let fields: Vec<(usize, &str)> = first_lines
        .iter()
        .skip(usize::from(titled))
        .take_while(|(_, l)| is_field(l))
        .copied()
        .collect();
    if fields.is_empty() || !fields.iter().any(|(_, l)| known(l)) {
        return 0;
    }
    // The fields must be the whole first paragraph: otherwise they are
    // lines of a schedule ("Abstracts: April 7").
    if fields.len() + usize::from(titled) != first_lines.len() {
        return 0;
    }
    if titled {
        let (at, line) = first_lines[0];
        b.start(BlockKind::Heading(1));
        b.push(line, at);
        b.end();
    }
    for (_, line) in &fields {
        field(line, b, dct::Source::Header);
    }
    let (at, line) = fields[fields.len() - 1];
    skip_newline(text, at + line.len())
}

fn skip_newline(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    at + rest.len() - rest.trim_start_matches(['\r', '\n']).len()
}

fn field(line: &str, b: &mut Builder, source: dct::Source) {
    let Some((key, value)) = line.split_once(':') else {
        return;
    };
    let key = key.trim().to_ascii_lowercase();
    let value = value.trim().trim_matches(['"', '\'']);
    let fields = &crate::engine::english().document_fields;
    if fields.titles(&key) && !b.has_subject() {
        b.set_subject(value);
    }
    if fields.dates(&key) {
        if let Some(t) = dct::date_in(value) {
            b.set_dated(t, source);
        }
    }
}
