//! reStructuredText: section titles (underlined, or over- and underlined;
//! levels by the order their adornments first appear) as headings, the
//! first of them naming the document; a `:Date:` field at the top dating
//! it; bullet, enumerated and definition list items, simple and grid table
//! rows with their cells and headers, block quotes and literal blocks as
//! blocks; `.. note::` and the other admonitions read as paragraphs, other
//! directives and comments left out; inline markup reduced to its text
//! (`` `text <url>`_ `` to "text").

use super::pieces::{emit, emit_lines, joined, paragraph, trimmed, Piece};
use super::text::lines_from;
use super::{dct, BlockKind, Builder, Document};

mod inline;
mod para;
mod tables;
mod window;
use inline::inline;

#[cfg(test)]
use window::read;
pub(crate) use window::{read_window, window_end, Open};

/// Bibliographic fields at the top that are neither dates nor text.
const DOCINFO_KEYS: [&str; 10] = [
    "author",
    "authors",
    "organization",
    "address",
    "contact",
    "version",
    "revision",
    "status",
    "copyright",
    "dedication",
];

/// Directives whose body is text to read.
const ADMONITIONS: [&str; 10] = [
    "note",
    "important",
    "tip",
    "hint",
    "warning",
    "attention",
    "caution",
    "danger",
    "error",
    "admonition",
];

type Line<'a> = (usize, &'a str);

struct Reader {
    b: Builder,
    /// Title adornments in the order they first appear: the character and
    /// whether it is also above the title.
    styles: Vec<(char, bool)>,
    /// Whether anything but titles has been read (the field list at the
    /// top is over).
    body: bool,
    /// Where a window may end and what the next takes on there, when
    /// looked for (see `window`).
    cut: Option<Option<(usize, Open)>>,
    /// A literal block at the top level that runs to the end of the lines
    /// read: where its text starts, and where its last line's starts (that
    /// line may be cut short).
    literal_tail: Option<(usize, usize)>,
    /// The lines read are the body of a list item (or definition) at the
    /// top level that runs to the end of the lines: a literal block there
    /// that does too is cut as one at the top level.
    last_item: bool,
    /// A table at the top level, starting at this offset, that the bytes
    /// read ahead show has no header (see `window`): its rows are data.
    headless: Option<usize>,
    /// A table at the top level whose rows run to the end of the lines,
    /// its header not settled: where it starts, and whether it is a grid
    /// table.
    unsettled: Option<(usize, bool)>,
    /// The bodies being read, outermost first (see `para`).
    frames: Vec<para::Frame>,
    /// Where the last line with text of the lines read ends, when a
    /// window's end is looked for: a paragraph that ends there is noted
    /// in `tail` (see `para`).
    last_end: Option<usize>,
    tail: Option<para::Tail>,
    /// The last block read that starts a body's line after a blank line,
    /// when a window's end is looked for: where its text starts, and the
    /// bodies it is in (see `para`).
    body_start: Option<(usize, Vec<para::Frame>)>,
}

/// A line's indentation in bytes (spaces and tabs).
fn ws(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

fn blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The common indentation of `lines`.
fn margin(lines: &[Line]) -> usize {
    lines
        .iter()
        .filter(|(_, l)| !blank(l))
        .map(|(_, l)| ws(l))
        .min()
        .unwrap_or(0)
}

/// Removes the common indentation of `lines`.
fn dedent<'a>(lines: &[Line<'a>]) -> Vec<Line<'a>> {
    let n = margin(lines);
    lines
        .iter()
        .map(|&(at, l)| {
            if blank(l) {
                (at, "")
            } else {
                (at + n, &l[n..])
            }
        })
        .collect()
}

/// The end of the indented lines (with blank lines among them) from `i`.
fn indented_end(lines: &[Line], mut i: usize) -> usize {
    let mut end = i;
    while i < lines.len() {
        let l = lines[i].1;
        if blank(l) {
            i += 1;
            continue;
        }
        if ws(l) == 0 {
            break;
        }
        i += 1;
        end = i;
    }
    end
}

/// A title adornment: one punctuation character repeated, from column 0.
fn adornment(line: &str) -> Option<(char, usize)> {
    let t = line.trim_end();
    let c = t.chars().next()?;
    let n = t.chars().count();
    (n >= 2 && c.is_ascii_punctuation() && t.chars().all(|x| x == c)).then_some((c, n))
}

/// A simple table's border ("=====  ======"): the columns' character ranges.
fn simple_border(line: &str) -> Option<Vec<(usize, usize)>> {
    let t = line.trim_end();
    if !t.starts_with('=') || !t.bytes().all(|c| c == b'=' || c == b' ') {
        return None;
    }
    let mut cols = Vec::new();
    let mut start = None;
    for (k, c) in t.bytes().enumerate() {
        match (c, start) {
            (b'=', None) => start = Some(k),
            (b' ', Some(s)) => {
                cols.push((s, k));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        cols.push((s, t.len()));
    }
    (cols.len() >= 2).then_some(cols)
}

/// A grid table's border or row separator ("+----+----+", "+====+").
fn grid_border(line: &str) -> bool {
    let t = line.trim_end();
    t.len() >= 3
        && t.starts_with('+')
        && t.ends_with('+')
        && t.bytes().all(|c| matches!(c, b'+' | b'-' | b'='))
        && t.contains(['-', '='])
}

/// A list marker at the start of `t` ("- ", "* ", "1. ", "#. ", "(a) ",
/// "iv) "), as its length with the spaces after it.
fn marker(t: &str) -> Option<usize> {
    let spaced = |k: usize| -> Option<usize> {
        let rest = &t[k..];
        if rest.is_empty() {
            return Some(k);
        }
        rest.starts_with([' ', '\t'])
            .then(|| t.len() - rest.trim_start_matches([' ', '\t']).len())
    };
    let c = t.chars().next()?;
    if matches!(c, '-' | '*' | '+' | '•' | '‣' | '⁃') {
        return spaced(c.len_utf8());
    }
    let bytes = t.as_bytes();
    let paren = bytes[0] == b'(';
    let k0 = usize::from(paren);
    let body = bytes[k0..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
        .count();
    if body == 0 {
        return None;
    }
    let word = &t[k0..k0 + body];
    let number = word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit());
    let auto = word == "#";
    let letter = word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic();
    let roman = word.len() <= 5
        && (word.bytes().all(|b| b"ivxlcdm".contains(&b))
            || word.bytes().all(|b| b"IVXLCDM".contains(&b)));
    if !(number || auto || letter || roman) {
        return None;
    }
    let close = bytes.get(k0 + body)?;
    let ok = if paren {
        *close == b')'
    } else {
        matches!(close, b'.' | b')')
    };
    if !ok {
        return None;
    }
    spaced(k0 + body + 1)
}

/// A field ":Name: value": the name and where the value starts.
fn field(t: &str) -> Option<(&str, usize)> {
    let rest = t.strip_prefix(':')?;
    let end = rest.find(':')?;
    let name = &rest[..end];
    if name.is_empty() || name.starts_with(' ') || name.ends_with(' ') {
        return None;
    }
    let after = &rest[end + 1..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let value = 1 + end + 1 + (after.len() - after.trim_start().len());
    Some((name, value))
}

impl Reader {
    /// Reads `lines` (the document, or an indented body with its indentation
    /// removed) block by block; `quote` makes paragraphs quotes.
    fn blocks(&mut self, lines: &[Line], quote: bool, depth: usize) {
        self.blocks_from(lines, 0, quote, depth);
    }

    /// [`Reader::blocks`] from line `i` on.
    fn blocks_from(&mut self, lines: &[Line], i: usize, quote: bool, depth: usize) {
        self.blocks_on(lines, i, quote, depth, false);
    }

    /// [`Reader::blocks_from`], after a paragraph that ends in "::" if
    /// `literal`.
    fn blocks_on(
        &mut self,
        lines: &[Line],
        mut i: usize,
        quote: bool,
        depth: usize,
        literal: bool,
    ) {
        if depth > 64 {
            // Absurd nesting: read what is left as plain lines.
            for &(at, l) in lines {
                self.b.start(BlockKind::Paragraph);
                self.b.push(l, at);
            }
            self.b.end();
            return;
        }
        let mut literal = literal;
        while i < lines.len() {
            if blank(lines[i].1) {
                i += 1;
                continue;
            }
            if depth == 0 && i > 0 && blank(lines[i - 1].1) && ws(lines[i].1) == 0 {
                self.may_cut(lines[i].0);
            } else if depth > 0 && i > 0 && blank(lines[i - 1].1) && ws(lines[i].1) == 0 {
                self.may_cut_in_body(lines[i].0);
            }
            let next = self.block(lines, i, quote, depth, &mut literal);
            i = next.max(i + 1);
        }
    }

    /// Reads the block starting at line `i`; returns where the next starts.
    fn block(
        &mut self,
        lines: &[Line],
        i: usize,
        quote: bool,
        depth: usize,
        literal: &mut bool,
    ) -> usize {
        let (at, line) = lines[i];
        let was_literal = std::mem::replace(literal, false);
        // An indented block: a literal block after "::", else a quote.
        if ws(line) > 0 {
            let end = indented_end(lines, i);
            let body = dedent(&lines[i..end]);
            if was_literal {
                self.b.start(BlockKind::Code);
                let start = self.b.open_text().map(|(at, _)| at);
                let sure = self.literal(&body);
                let outer = depth == 0 || (depth == 1 && self.last_item);
                if outer && lines[end..].iter().all(|l| blank(l.1)) {
                    self.literal_tail = start.map(|at| (at, sure));
                }
            } else {
                self.enter(margin(&lines[i..end]), true, depth + 1);
                self.blocks(&body, true, depth + 1);
                self.frames.pop();
            }
            self.body = true;
            return end;
        }
        let t = line.trim_end();
        // Comments and directives.
        if t == ".." || t.starts_with(".. ") {
            return self.directive(lines, i, quote, depth);
        }
        if t.starts_with("__ ") {
            return indented_end(lines, i + 1);
        }
        if t == "::" {
            *literal = true;
            return i + 1;
        }
        // Titles.
        if let Some((c, n)) = adornment(t) {
            if let (Some(&(tat, title)), Some(&(_, under))) = (lines.get(i + 1), lines.get(i + 2)) {
                let below = adornment(under);
                if !blank(title) && below.is_some_and(|(c2, _)| c2 == c) && n >= 2 {
                    let (tat, title) = trimmed(tat, title);
                    self.title(title.trim_end(), tat, (c, true));
                    return i + 3;
                }
            }
            // A transition, or a stray line of punctuation.
            return i + 1;
        }
        if let Some(&(_, under)) = lines.get(i + 1) {
            if let Some((c, n)) = adornment(under) {
                if n >= t.chars().count().min(4) && simple_border(t).is_none() {
                    self.title(t, at, (c, false));
                    return i + 2;
                }
            }
        }
        if let Some((name, value)) = field(t) {
            return self.field(lines, i, name, value);
        }
        self.body = true;
        if let Some(cols) = simple_border(t) {
            return self.simple_table(lines, i, cols, depth == 0);
        }
        if grid_border(t) {
            return self.grid_table(lines, i, depth == 0);
        }
        if let Some(k) = marker(t) {
            return self.item(lines, i, k, quote, depth);
        }
        if t == "|" || t.starts_with("| ") {
            let mut j = i;
            while j < lines.len() {
                let (a, l) = lines[j];
                if l.trim_end() == "|" || l.starts_with("| ") {
                    self.b.start(BlockKind::Line);
                    let (a, s) = trimmed(a + 1, &l[1..]);
                    let mut pieces = Vec::new();
                    inline(s.trim_end(), a, &mut pieces);
                    emit(&pieces, 0, &mut self.b);
                } else if ws(l) > 0 && !blank(l) && j > i {
                    let (a, s) = trimmed(a, l);
                    let mut pieces = Vec::new();
                    inline(s.trim_end(), a, &mut pieces);
                    self.b.push("\n", a);
                    emit(&pieces, 0, &mut self.b);
                } else {
                    break;
                }
                j += 1;
            }
            self.b.end();
            return j;
        }
        if t.starts_with(">>>") {
            let mut j = i;
            self.b.start(BlockKind::Code);
            while j < lines.len() && !blank(lines[j].1) {
                self.b.push(lines[j].1, lines[j].0);
                self.b.push("\n", lines[j].0 + lines[j].1.len());
                j += 1;
            }
            self.b.end();
            return j;
        }
        // A definition list item: a term, its definition indented below.
        if let Some(&(_, def)) = lines.get(i + 1) {
            if !blank(def) && ws(def) > 0 {
                let term = t.split(" : ").next().unwrap_or(t);
                return self.item_body(lines, i + 1, (at, term), None, quote, depth);
            }
        }
        // A paragraph.
        let mut j = i;
        let mut para: Vec<Vec<Piece>> = Vec::new();
        while j < lines.len() && !blank(lines[j].1) && ws(lines[j].1) == 0 {
            let (a, l) = lines[j];
            let mut l = l.trim_end();
            j += 1;
            if j == lines.len() || blank(lines[j].1) || ws(lines[j].1) > 0 {
                if let Some(shown) = literal_marker(l) {
                    *literal = true;
                    l = shown;
                }
            }
            let mut pieces = Vec::new();
            inline(l, a, &mut pieces);
            para.push(pieces);
        }
        let kind = if quote {
            BlockKind::Quote
        } else {
            BlockKind::Paragraph
        };
        if self.ends_lines(&lines[j - 1]) && i + 2 < j {
            self.tail_paragraph(para, kind, lines[i].0, lines[i + 2].0);
        } else {
            paragraph(para, kind, &mut self.b);
        }
        j
    }

    /// The lines of a literal block, in the block opened for it; returns
    /// where the text of its last line starts.
    fn literal(&mut self, lines: &[Line]) -> usize {
        let mut last = self.b.text().len();
        for &(a, l) in lines {
            last = self.b.text().len();
            self.b.push(l, a);
            self.b.push("\n", a + l.len());
        }
        self.b.end();
        last
    }

    fn title(&mut self, title: &str, at: usize, style: (char, bool)) {
        let level = match self.styles.iter().position(|s| *s == style) {
            Some(k) => k + 1,
            None => {
                self.styles.push(style);
                self.styles.len()
            }
        };
        let mut pieces = Vec::new();
        inline(title, at, &mut pieces);
        if !self.b.has_subject() {
            self.b.set_subject(&joined(&pieces));
        }
        self.b
            .start(BlockKind::Heading(level.min(u8::MAX as usize) as u8));
        emit(&pieces, 0, &mut self.b);
        self.b.end();
    }

    /// A comment or directive at line `i`: admonitions are read, the rest
    /// skipped with their indented bodies.
    fn directive(&mut self, lines: &[Line], i: usize, quote: bool, depth: usize) -> usize {
        let (at, line) = lines[i];
        let end = indented_end(lines, i + 1);
        let t = line.trim_end();
        let rest = t.get(3..).unwrap_or("");
        let Some(k) = rest.find("::") else {
            // A footnote or citation: its text is read.
            if rest.starts_with('[') {
                if let Some(close) = rest.find("] ") {
                    let mut body = vec![trimmed(at + 3 + close + 2, &rest[close + 2..])];
                    body.extend(dedent(&lines[i + 1..end]));
                    self.enter(margin(&lines[i + 1..end]), quote, depth + 1);
                    self.blocks(&body, quote, depth + 1);
                    self.frames.pop();
                }
            }
            return end;
        };
        let name = rest[..k].trim().to_ascii_lowercase();
        if !ADMONITIONS.contains(&name.as_str()) {
            return end;
        }
        let args = &rest[k + 2..];
        let (aat, args) = trimmed(at + 3 + k + 2, args);
        let mut body: Vec<Line> = Vec::new();
        if !args.trim().is_empty() {
            body.push((aat, args.trim_end()));
        }
        let inner = dedent(&lines[i + 1..end]);
        // Options (":class: tip") open the body.
        let mut skip = 0;
        while skip < inner.len() && field(inner[skip].1).is_some() && body.is_empty() {
            skip += 1;
        }
        body.extend_from_slice(&inner[skip..]);
        self.enter(margin(&lines[i + 1..end]), quote, depth + 1);
        self.blocks(&body, quote, depth + 1);
        self.frames.pop();
        self.body = true;
        end
    }

    /// A list item whose marker is `k` bytes long.
    fn item(&mut self, lines: &[Line], i: usize, k: usize, quote: bool, depth: usize) -> usize {
        let (at, line) = lines[i];
        let first = (at + k, line[k..].trim_end());
        self.item_body(lines, i + 1, first, Some(k), quote, depth)
    }

    /// A list item (or definition) whose first line is `first` (its text
    /// at `column`, for an item; a definition's term opens no literal
    /// block) and whose body is the indented lines from `i`: its first
    /// paragraph is the item's text, the rest read as blocks of their own.
    /// A "::" ending the text opens a literal block, as after a paragraph.
    fn item_body(
        &mut self,
        lines: &[Line],
        i: usize,
        first: Line,
        column: Option<usize>,
        quote: bool,
        depth: usize,
    ) -> usize {
        let end = indented_end(lines, i);
        let body = dedent(&lines[i.min(end)..end]);
        let indent = margin(&lines[i.min(end)..end]);
        self.enter(indent, quote, depth + 1);
        let mut j = 0;
        while j < body.len()
            && !blank(body[j].1)
            && ws(body[j].1) == 0
            && marker(body[j].1).is_none()
        {
            j += 1;
        }
        let last = if j > 0 { body[j - 1].1 } else { first.1 };
        let literal = (j > 0 || column.is_some()) && literal_marker(last.trim_end()).is_some();
        let text: Vec<Vec<Piece>> = (std::iter::once(first).chain(body[..j].iter().copied()))
            .enumerate()
            .map(|(n, (a, l))| {
                // The first line comes trimmed as its reader wants it.
                let mut l = if n == 0 { l } else { l.trim_end() };
                if literal && n == j {
                    l = literal_marker(l).unwrap_or(l);
                }
                let mut pieces = Vec::new();
                inline(l, a, &mut pieces);
                pieces
            })
            .collect();
        let ends = j > 0 && self.ends_lines(&body[j - 1]);
        self.b.start(BlockKind::ListItem);
        if ends {
            self.note_tail(BlockKind::ListItem, body[0].0, None);
        }
        emit_lines(&text, &mut self.b);
        self.b.end();
        // The item's only text is its first line and every line of its
        // body is indented past that text: the body is the literal block.
        let whole = j == 0 && column.is_some_and(|k| indent > k);
        if literal && whole && !body.is_empty() {
            let last = body.iter().rposition(|l| !blank(l.1)).map_or(0, |n| n + 1);
            let from = body.iter().position(|l| !blank(l.1)).unwrap_or(last);
            self.b.start(BlockKind::Code);
            let start = self.b.open_text().map(|(at, _)| at);
            let sure = self.literal(&body[from..last]);
            // It ends at the first line at the margin, as one at the top
            // level does: a window may end inside it the same way.
            if depth == 0 && lines[end..].iter().all(|l| blank(l.1)) {
                self.literal_tail = start.map(|at| (at, sure));
            }
            self.body = true;
        } else if j < body.len() {
            // A literal block after text of several lines ends at the
            // first line at the body's margin: where the item ends, when
            // that is the end of the lines, as one at the top level does.
            let last_item = depth == 0 && lines[end..].iter().all(|l| blank(l.1));
            let was = std::mem::replace(&mut self.last_item, last_item);
            self.blocks_on(&body[j..], 0, quote, depth + 1, literal);
            self.last_item = was;
        }
        self.frames.pop();
        end
    }

    /// A field ":Name: value": at the top of the document it is metadata,
    /// elsewhere a line "Name: value".
    fn field(&mut self, lines: &[Line], i: usize, name: &str, value: usize) -> usize {
        let (at, line) = lines[i];
        let end = indented_end(lines, i + 1);
        let key = name.to_ascii_lowercase();
        let first = line[value..].trim_end();
        if !self.body {
            let rest = dedent(&lines[i + 1..end]);
            let mut value_text = first.to_owned();
            for (_, l) in &rest {
                value_text.push(' ');
                value_text.push_str(l.trim());
            }
            let fields = &crate::engine::english().document_fields;
            if fields.dates(&key) {
                if let Some(t) = dct::date_in(value_text.trim()) {
                    self.b.set_dated(t, dct::Source::Header);
                }
                return end;
            }
            if fields.titles(&key) {
                if !self.b.has_subject() {
                    self.b.set_subject(&value_text);
                }
                return end;
            }
            if DOCINFO_KEYS.contains(&key.as_str()) {
                return end;
            }
        }
        self.body = true;
        let mut pieces = Vec::new();
        inline(name, at + 1, &mut pieces);
        pieces.push(Piece::decoded(": ", at + 1 + name.len()));
        inline(first, at + value, &mut pieces);
        let mut text = vec![pieces];
        for (a, l) in dedent(&lines[i + 1..end]) {
            if !blank(l) {
                let mut p = Vec::new();
                inline(l.trim_end(), a, &mut p);
                text.push(p);
            }
        }
        self.b.start(BlockKind::Line);
        emit_lines(&text, &mut self.b);
        self.b.end();
        end
    }
}

/// A paragraph's last line ending in "::", which introduces a literal
/// block, as it reads: "Example::" reads "Example:", and a "::" alone or
/// after a space reads as nothing.
fn literal_marker(l: &str) -> Option<&str> {
    let s = l.strip_suffix("::")?;
    Some(if s.ends_with([' ', '\t']) || s.is_empty() {
        s.trim_end()
    } else {
        &l[..l.len() - 1]
    })
}

#[cfg(test)]
mod tests;
