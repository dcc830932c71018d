//! Org mode: `#+TITLE:` names the document and `#+DATE:` dates it;
//! headings (their TODO keyword, priority and tags dropped), list items,
//! table rows with their cells and headers, source and quote blocks as
//! blocks; a `SCHEDULED:` or `DEADLINE:` line becomes a line of its own
//! that says what it dates ("Submit thesis draft due 2026-03-10 17:00");
//! emphasis and links reduced to their text, struck text dropped; other
//! `#+KEYWORD:` lines, comments and drawers (`:PROPERTIES:` … `:END:`)
//! left out.

use super::lines::starts_with_ignoring_case;
use super::pieces::{emit, indent, joined, paragraph, split_cells, table, trimmed, Piece};
use super::text::lines_from;
use super::{dct, BlockKind, Builder, Document};

/// TODO keywords that start a heading's title.
const KEYWORDS: [&str; 12] = [
    "TODO",
    "DONE",
    "NEXT",
    "WAIT",
    "WAITING",
    "HOLD",
    "STARTED",
    "DOING",
    "CANCELLED",
    "CANCELED",
    "FIXME",
    "SOMEDAY",
];

/// What the lines inside a `#+BEGIN_…` block are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inside {
    Code,
    Quote,
    Comment,
    /// `#+BEGIN_CENTER`, `#+BEGIN_VERSE` and the like: plain text.
    Text,
}

struct Reader {
    b: Builder,
    /// Lines of the open paragraph.
    para: Vec<Vec<Piece>>,
    /// The open list item's marker column.
    item: Option<usize>,
    /// The title of the heading above, for its planning lines.
    title: Option<String>,
    block: Option<Inside>,
    drawer: bool,
    /// Inside a `COMMENT` subtree: its heading's level.
    skip_level: Option<usize>,
}

pub(crate) fn read(text: &str) -> Document {
    let mut r = Reader {
        b: Builder::new(),
        para: Vec::new(),
        item: None,
        title: None,
        block: None,
        drawer: false,
        skip_level: None,
    };
    let lines: Vec<(usize, &str)> = lines_from(text, 0).collect();
    let mut i = 0;
    while i < lines.len() {
        i = r.line(&lines, i);
    }
    r.flush();
    r.b.finish()
}

/// Where a window of an Org file may end, at most `max` bytes in (all of
/// them if they fit), so that its blocks read as in the whole file: before
/// a top-level heading (`* `), which ends everything above it but a
/// `#+BEGIN_…` block, outside such blocks. `None` when no such heading
/// starts within `max`.
pub(crate) fn window_end(bytes: &[u8], max: usize) -> Option<usize> {
    if bytes.len() <= max {
        return Some(bytes.len());
    }
    let (mut at, mut last, mut in_block) = (0, None, false);
    while at <= max && at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |k| at + k + 1);
        let line = &bytes[at..end];
        let t = line.trim_ascii();
        let keyword = |k: &[u8]| starts_with_ignoring_case(t, k);
        if in_block {
            in_block = !keyword(b"#+END_");
        } else if keyword(b"#+BEGIN_") {
            in_block = true;
        } else if at > 0 && matches!(line, [b'*', b' ' | b'\t' | b'\r' | b'\n', ..] | [b'*']) {
            last = Some(at);
        }
        at = end;
    }
    last
}

impl Reader {
    /// Closes the open paragraph.
    fn end_para(&mut self) {
        let para = std::mem::take(&mut self.para);
        let kind = match self.block {
            Some(Inside::Quote) => BlockKind::Quote,
            _ => BlockKind::Paragraph,
        };
        paragraph(para, kind, &mut self.b);
    }

    /// Closes the open paragraph and list item.
    fn flush(&mut self) {
        self.end_para();
        if self.item.take().is_some() {
            self.b.end();
        }
    }

    /// Reads the line at `i`; returns the index of the next line to read.
    fn line(&mut self, lines: &[(usize, &str)], i: usize) -> usize {
        let (at, line) = lines[i];
        let (tat, t) = trimmed(at, line);
        let t = t.trim_end();
        let upper = t.to_ascii_uppercase();

        // A heading ends everything but a source block.
        let stars = line.bytes().take_while(|&c| c == b'*').count();
        let heading = stars > 0 && (line.len() == stars || line[stars..].starts_with([' ', '\t']));
        if let Some(kind) = self.block {
            if upper.starts_with("#+END_") {
                self.flush();
                self.block = None;
                self.b.end();
                return i + 1;
            }
            if !(heading && kind != Inside::Code) {
                match kind {
                    Inside::Code => {
                        if self.b.kind() != Some(BlockKind::Code) {
                            self.b.start(BlockKind::Code);
                        }
                        self.b.push(line, at);
                        self.b.push("\n", at + line.len());
                    }
                    Inside::Comment => {}
                    Inside::Quote | Inside::Text if t.is_empty() => self.end_para(),
                    Inside::Quote | Inside::Text => self.text_line(tat, t, indent(line)),
                }
                return i + 1;
            }
            self.block = None;
        }
        if heading {
            self.flush();
            self.drawer = false;
            if self.skip_level.is_some_and(|l| stars > l) {
                return i + 1;
            }
            self.skip_level = None;
            self.heading(stars, &line[stars..], at + stars);
            return i + 1;
        }
        if self.skip_level.is_some() {
            return i + 1;
        }
        if self.drawer {
            if upper == ":END:" {
                self.drawer = false;
            }
            return i + 1;
        }
        if t.is_empty() {
            // A blank line ends a paragraph; a list item goes on when the
            // next text is indented under it.
            self.end_para();
            return i + 1;
        }
        if let Some(rest) = upper.strip_prefix("#+") {
            self.flush();
            self.keyword(rest, t, tat);
            return i + 1;
        }
        if t == "#" || t.starts_with("# ") {
            return i + 1;
        }
        if is_drawer(t) {
            self.flush();
            self.drawer = true;
            return i + 1;
        }
        if planning_keyword(t).is_some() {
            self.flush();
            self.planning(t, tat);
            return i + 1;
        }
        if t.starts_with('|') {
            self.flush();
            let mut j = i;
            while j < lines.len() && lines[j].1.trim_start().starts_with('|') {
                j += 1;
            }
            self.table(&lines[i..j]);
            return j;
        }
        if t.len() >= 5 && t.bytes().all(|c| c == b'-') {
            self.flush();
            return i + 1;
        }
        if t == ":" || t.starts_with(": ") {
            // Fixed-width text.
            self.end_para();
            if self.item.take().is_some() || self.b.kind() != Some(BlockKind::Code) {
                self.b.start(BlockKind::Code);
            }
            let rest = &t[1..];
            self.b.push(rest, tat + 1);
            self.b.push("\n", tat + t.len());
            return i + 1;
        }
        if self.b.kind() == Some(BlockKind::Code) && self.item.is_none() {
            self.b.end();
        }
        self.text_line(tat, t, indent(line));
        i + 1
    }

    /// A line of running text: a list item, its continuation or a line of
    /// a paragraph.
    fn text_line(&mut self, at: usize, t: &str, col: usize) {
        if let Some(k) = org_marker(t, col) {
            self.end_para();
            self.b.start(BlockKind::ListItem);
            self.item = Some(col);
            self.item_text(&t[k..], at + k);
            return;
        }
        if let Some(marker_col) = self.item {
            if col > marker_col && self.para.is_empty() {
                self.b.push("\n", at);
                let mut pieces = Vec::new();
                inline(t, at, &mut pieces);
                emit(&pieces, 0, &mut self.b);
                return;
            }
            self.item = None;
            self.b.end();
        }
        let mut pieces = Vec::new();
        inline(t, at, &mut pieces);
        self.para.push(pieces);
    }

    /// The text of a list item after its marker: a checkbox dropped, a
    /// description item's "term :: text" read as "term: text".
    fn item_text(&mut self, s: &str, at: usize) {
        let mut s = s;
        let mut at = at;
        for check in ["[ ] ", "[X] ", "[x] ", "[-] "] {
            if let Some(rest) = s.strip_prefix(check) {
                at += check.len();
                s = rest.trim_start();
                break;
            }
        }
        let mut pieces = Vec::new();
        if let Some(k) = s.find(" :: ") {
            inline(&s[..k], at, &mut pieces);
            pieces.push(Piece::decoded(": ", at + k));
            inline(&s[k + 4..], at + k + 4, &mut pieces);
        } else {
            inline(s, at, &mut pieces);
        }
        emit(&pieces, 0, &mut self.b);
    }

    /// A heading: its stars are `level`, `rest` the text after them.
    fn heading(&mut self, level: usize, rest: &str, at: usize) {
        let (mut at, mut s) = trimmed(at, rest);
        s = s.trim_end();
        let first = s.split_whitespace().next().unwrap_or("");
        if first == "COMMENT" {
            self.skip_level = Some(level);
            self.title = None;
            return;
        }
        if KEYWORDS.contains(&first) {
            let (a, t) = trimmed(at + first.len(), &s[first.len()..]);
            at = a;
            s = t;
        }
        // Priority cookie: "[#A]".
        if s.len() >= 4 && s.starts_with("[#") && s.as_bytes()[3] == b']' {
            let (a, t) = trimmed(at + 4, &s[4..]);
            at = a;
            s = t;
        }
        // Tags: "  :work:urgent:" at the end.
        if let Some(k) = s.rfind([' ', '\t']) {
            let tags = &s[k + 1..];
            if tags.len() > 2
                && tags.starts_with(':')
                && tags.ends_with(':')
                && tags
                    .chars()
                    .all(|c| c == ':' || c.is_alphanumeric() || "_@#%".contains(c))
            {
                s = s[..k].trim_end();
            }
        }
        let mut pieces = Vec::new();
        inline(s, at, &mut pieces);
        let title = joined(&pieces);
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        self.title = (!title.is_empty()).then_some(title);
        self.b
            .start(BlockKind::Heading(level.min(u8::MAX as usize) as u8));
        emit(&pieces, 0, &mut self.b);
        self.b.end();
    }

    /// A `#+KEYWORD:` line (`rest` is it upper-cased, after "#+").
    fn keyword(&mut self, rest: &str, t: &str, at: usize) {
        if let Some(kind) = rest.strip_prefix("BEGIN_") {
            let name = kind.split_whitespace().next().unwrap_or("");
            self.block = Some(match name {
                "SRC" | "EXAMPLE" | "EXPORT" => Inside::Code,
                "QUOTE" => Inside::Quote,
                "COMMENT" => Inside::Comment,
                _ => Inside::Text,
            });
            return;
        }
        let Some(colon) = t.find(':') else {
            return;
        };
        let value = t[colon + 1..].trim();
        match rest.split(':').next().unwrap_or("") {
            "TITLE" => {
                let mut pieces = Vec::new();
                inline(value, at, &mut pieces);
                self.b.set_subject(&joined(&pieces));
            }
            "DATE" => {
                if let Some(d) = org_date(value) {
                    self.b.set_dated(d, dct::Source::Header);
                }
            }
            _ => {}
        }
    }

    /// A planning line: "SCHEDULED: <…>", "DEADLINE: <…>", "CLOSED: […]",
    /// one or more of them.
    fn planning(&mut self, t: &str, at: usize) {
        let mut s = t;
        let mut off = at;
        while let Some(word) = planning_keyword(s) {
            let (a, rest) = trimmed(off + word.len(), &s[word.len()..]);
            let Some((len, stamp)) = timestamp_range(rest, a) else {
                return;
            };
            if word != "CLOSED:" {
                let what = if word == "DEADLINE:" {
                    " due "
                } else {
                    " scheduled on "
                };
                self.b.start(BlockKind::Line);
                // The words put in front map to the date itself.
                let a = stamp.first().map_or(a, |p| p.at);
                match &self.title {
                    Some(title) => {
                        self.b.push_decoded(title, a);
                        self.b.push_decoded(what, a);
                    }
                    None => self.b.push_decoded(what.trim_start(), a),
                }
                emit(&stamp, 0, &mut self.b);
                self.b.end();
            }
            let (a2, rest2) = trimmed(a + len, &rest[len..]);
            s = rest2;
            off = a2;
        }
    }

    fn table(&mut self, lines: &[(usize, &str)]) {
        let mut rows: Vec<Vec<Vec<Piece>>> = Vec::new();
        let mut head_rows = 0;
        for &(at, line) in lines {
            let (tat, t) = trimmed(at, line);
            let t = t.trim_end();
            if t.starts_with("|-") {
                if head_rows == 0 && !rows.is_empty() {
                    head_rows = rows.len();
                }
                continue;
            }
            let inner = t.strip_prefix('|').unwrap_or(t);
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let row = split_cells(inner, tat + 1, '|')
                .into_iter()
                .map(|(a, c)| {
                    let mut pieces = Vec::new();
                    inline(c, a, &mut pieces);
                    pieces
                })
                .collect();
            rows.push(row);
        }
        // Rows before the first rule are the header; with a rule only at
        // the end there is none.
        if head_rows == rows.len() {
            head_rows = 0;
        }
        let mut headers: Vec<String> = Vec::new();
        for row in &rows[..head_rows] {
            for (k, cell) in row.iter().enumerate() {
                let text = joined(cell).trim().to_owned();
                match headers.get_mut(k) {
                    Some(h) if !text.is_empty() => {
                        if !h.is_empty() {
                            h.push(' ');
                        }
                        h.push_str(&text);
                    }
                    Some(_) => {}
                    None => headers.push(text),
                }
            }
        }
        table(headers, &rows[head_rows..], &mut self.b);
    }
}

/// A drawer's first line: ":PROPERTIES:", ":LOGBOOK:".
fn is_drawer(t: &str) -> bool {
    t.len() > 2
        && t.starts_with(':')
        && t.ends_with(':')
        && t[1..t.len() - 1]
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn planning_keyword(t: &str) -> Option<&'static str> {
    ["SCHEDULED:", "DEADLINE:", "CLOSED:"]
        .into_iter()
        .find(|k| t.starts_with(k))
}

/// An org list marker ("- ", "+ ", "1. ", "2) ", "a. "; "* " only when
/// indented), as its length in bytes.
fn org_marker(t: &str, col: usize) -> Option<usize> {
    let bytes = t.as_bytes();
    let spaced = |k: usize| bytes.len() == k || bytes[k] == b' ' || bytes[k] == b'\t';
    match bytes.first()? {
        b'-' | b'+' => return spaced(1).then_some(bytes.len().min(2)),
        b'*' if col > 0 => return spaced(1).then_some(bytes.len().min(2)),
        _ => {}
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let k = if (1..=3).contains(&digits) {
        digits
    } else if bytes[0].is_ascii_alphabetic() {
        1
    } else {
        return None;
    };
    if matches!(bytes.get(k), Some(b'.' | b')')) && bytes.get(k + 1) == Some(&b' ') {
        return Some(k + 2);
    }
    None
}

/// The date of a `#+DATE:` value: an org timestamp or any full date.
fn org_date(value: &str) -> Option<chrono::NaiveDateTime> {
    if let Some((_, pieces)) = timestamp(value, 0) {
        let text = joined(&pieces);
        let mut words = text.split_whitespace();
        let date = words.next().unwrap_or("");
        let time = words.next().unwrap_or("").split('–').next().unwrap_or("");
        if let Ok(t) = dct::parse(&format!("{date} {time}")) {
            return Some(t);
        }
        if let Ok(t) = dct::parse(date) {
            return Some(t);
        }
    }
    dct::date_in(value)
}

/// A timestamp or a range of two ("<2026-07-13 Mon>--<2026-07-17 Fri>")
/// at the start of `s`: its length and its text as pieces.
fn timestamp_range(s: &str, at: usize) -> Option<(usize, Vec<Piece>)> {
    let (len, mut pieces) = timestamp(s, at)?;
    if let Some(rest) = s[len..].strip_prefix("--") {
        if let Some((len2, second)) = timestamp(rest, at + len + 2) {
            pieces.push(Piece::decoded(" to ", at + len));
            pieces.extend(second);
            return Some((len + 2 + len2, pieces));
        }
    }
    Some((len, pieces))
}

/// An org timestamp at the start of `s` ("<2026-03-10 Tue 17:00-18:00 +1w>",
/// "[2026-03-01 Sun]"): its length and its text without brackets, weekday
/// or repeater ("2026-03-10 17:00–18:00").
fn timestamp(s: &str, at: usize) -> Option<(usize, Vec<Piece>)> {
    let close = match s.as_bytes().first()? {
        b'<' => '>',
        b'[' => ']',
        _ => return None,
    };
    let end = s.find(close)?;
    let inner = &s[1..end];
    let date = inner.get(..10)?;
    let ok = date.bytes().enumerate().all(|(k, c)| match k {
        4 | 7 => c == b'-',
        _ => c.is_ascii_digit(),
    });
    if !ok || (inner.len() > 10 && !inner[10..].starts_with(' ')) {
        return None;
    }
    let mut pieces = vec![Piece::verbatim(date, at + 1)];
    let mut off = 10;
    for word in inner.get(10..).unwrap_or("").split(' ') {
        let w_at = at + 1 + off;
        off += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        if word.as_bytes()[0].is_ascii_digit() && word.contains(':') {
            let (from, to) = match word.split_once('-') {
                Some((a, b)) => (a, Some(b)),
                None => (word, None),
            };
            pieces.push(Piece::decoded(" ", w_at));
            pieces.push(Piece::verbatim(from, w_at));
            if let Some(to) = to.filter(|t| !t.is_empty()) {
                pieces.push(Piece::decoded("–", w_at + from.len()));
                pieces.push(Piece::verbatim(to, w_at + from.len() + 1));
            }
        }
        // A weekday name, a repeater ("+1w") or a warning ("-2d") says
        // nothing more about the date.
    }
    Some((end + close.len_utf8(), pieces))
}

/// Characters that may stand before an emphasis marker.
fn pre_ok(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "-({'\"".contains(c))
}

/// Characters that may follow an emphasis marker.
fn post_ok(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "-.,;:!?')}\"[".contains(c))
}

/// Reads a line's org markup into pieces: emphasis markers go, struck
/// text (`+…+`) is dropped, links keep their description, timestamps
/// lose their brackets and weekday, footnote references and statistics
/// cookies go.
fn inline(s: &str, at: usize, out: &mut Vec<Piece>) {
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    let flush = |out: &mut Vec<Piece>, from: usize, to: usize| {
        if to > from {
            out.push(Piece::verbatim(&s[from..to], at + from));
        }
    };
    while i < bytes.len() {
        let c = bytes[i];
        // Links: [[target][description]] or [[target]].
        if c == b'[' && s[i..].starts_with("[[") {
            if let Some(k) = s[i..].find("]]") {
                flush(out, run, i);
                let inner = &s[i + 2..i + k];
                match inner.find("][") {
                    Some(d) => inline(&inner[d + 2..], at + i + 2 + d + 2, out),
                    None => out.push(Piece::verbatim(inner, at + i + 2)),
                }
                i += k + 2;
                run = i;
                continue;
            }
        }
        if c == b'<' || c == b'[' {
            if let Some((len, pieces)) = timestamp_range(&s[i..], at + i) {
                flush(out, run, i);
                out.extend(pieces);
                i += len;
                run = i;
                continue;
            }
        }
        if c == b'[' {
            // Footnote references "[fn:1]" and cookies "[2/5]", "[40%]".
            if let Some(k) = s[i..].find(']') {
                let inner = &s[i + 1..i + k];
                let fraction =
                    inner.contains('/') && inner.bytes().all(|c| c.is_ascii_digit() || c == b'/');
                let percent = inner.ends_with('%')
                    && inner[..inner.len() - 1].bytes().all(|c| c.is_ascii_digit());
                let cookie = fraction || percent;
                if inner.starts_with("fn:") || cookie {
                    flush(out, run, i);
                    i += k + 1;
                    run = i;
                    continue;
                }
            }
        }
        if c == b'\\' && s[i..].trim_end() == "\\\\" {
            // A forced line break at the end of the line.
            flush(out, run, i);
            run = bytes.len();
            break;
        }
        if b"*/=~+_".contains(&c) {
            if let Some(close) = emphasis_end(s, i) {
                flush(out, run, i);
                let inner = &s[i + 1..close];
                match c {
                    b'+' => {}
                    b'=' | b'~' => out.push(Piece::verbatim(inner, at + i + 1)),
                    _ => inline(inner, at + i + 1, out),
                }
                i = close + 1;
                run = i;
                continue;
            }
        }
        i += 1;
    }
    flush(out, run, bytes.len());
}

/// Where the emphasis opened by the marker at `i` closes, if it does on
/// this line.
fn emphasis_end(s: &str, i: usize) -> Option<usize> {
    let m = s.as_bytes()[i];
    if !pre_ok(s[..i].chars().next_back()) {
        return None;
    }
    let first = s[i + 1..].chars().next()?;
    if first.is_whitespace() {
        return None;
    }
    let mut j = i + 1 + first.len_utf8();
    while let Some(k) = s[j..].find(m as char) {
        let close = j + k;
        let before = s[..close].chars().next_back();
        if before.is_some_and(|c| !c.is_whitespace()) && post_ok(s[close + 1..].chars().next()) {
            return Some(close);
        }
        j = close + 1;
    }
    None
}

#[cfg(test)]
mod tests;
