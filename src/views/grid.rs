//! Tables written straight to the output, one row at a time, in the look
//! comfy-table gives them with its UTF8_FULL_CONDENSED preset (which the
//! tables were first drawn with, and which the tests still check the bytes
//! against).
//!
//! A table of 100,000 events held as cells, then copied into comfy-table's
//! cells and lines and joined into one string, took hundreds of megabytes;
//! here a row's cells are made once, into a few reused strings, to measure
//! the columns, and kept end to end in one string (about 100 bytes a row)
//! to write the rows from.

use std::io::{self, Write};

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, ContentArrangement, Table};
use unicode_width::UnicodeWidthStr;

use super::{fit, Style};

/// How a row is coloured when colour is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tint {
    Plain,
    /// Overdue: red.
    Late,
    /// Due within three days: yellow.
    Soon,
}

impl Tint {
    /// The escape sequences around a coloured cell, as crossterm writes
    /// them for comfy-table (256-colour red and yellow, then the default
    /// foreground).
    fn escapes(self) -> Option<(&'static str, &'static str)> {
        match self {
            Tint::Plain => None,
            Tint::Late => Some(("\x1b[38;5;9m", "\x1b[39m")),
            Tint::Soon => Some(("\x1b[38;5;11m", "\x1b[39m")),
        }
    }
}

/// The columns of a table and how [`fit::fit`] treats them.
pub struct Columns<'a> {
    pub headers: &'a [&'a str],
    /// The column cut with "…" to fit the width.
    pub flex: usize,
    /// Columns shown even when every row leaves them empty.
    pub keep: &'a [usize],
}

/// The widest column content comfy-table lays out on one line: it keeps
/// widths, padding included, in a u16, and wraps what is wider. A table
/// with a wider cell is drawn by comfy-table itself.
const WIDEST: usize = u16::MAX as usize - 2;

/// Writes a table of `len` rows, fitted as [`fit::fit`] fits one, to
/// `out`. `row(i, cells)` puts row `i`'s text into `cells` (one per
/// header, given empty) and says its colour; it is called once per row
/// (twice when comfy-table draws the table), so it must give the same
/// row each time. Rows may be made on two threads at once.
pub fn write<F>(
    columns: &Columns<'_>,
    len: usize,
    row: F,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()>
where
    F: Fn(usize, &mut [String]) -> Tint + Sync,
{
    let headers = columns.headers;
    let flex = columns.flex;
    let fill = |i: usize, cells: &mut [String]| {
        cells.iter_mut().for_each(String::clear);
        row(i, cells)
    };

    // Making and measuring the rows is most of a large table's work:
    // then each half is made on a thread of its own, and the two joined.
    let measured = if len >= TWO_THREADS_FROM {
        std::thread::scope(|s| {
            let second = s.spawn(|| measure(len / 2..len, headers.len(), &fill));
            let first = measure(0..len / 2, headers.len(), &fill);
            second.join().ok().map(|second| first.join(second))
        })
    } else {
        None
    };
    let Measured {
        mut used,
        whole,
        mut widest_line,
        mut kept,
    } = measured.unwrap_or_else(|| measure(0..len, headers.len(), &fill));
    for &c in columns.keep.iter().chain([&flex]) {
        if let Some(u) = used.get_mut(c) {
            *u = true;
        }
    }
    let shown: Vec<usize> = (0..headers.len()).filter(|&c| used[c]).collect();

    // The room `fit` leaves the flexible column; when a cell is wider, it
    // is cut, and the column is as wide as the widest cut cell.
    if let (Some(width), true) = (style.width.map(usize::from), flex < headers.len()) {
        let frame = 3 * shown.len() + 1;
        let fixed: usize = shown
            .iter()
            .filter(|&&c| c != flex)
            .map(|&c| whole[c].max(headers[c].width()))
            .sum();
        let fits = width.saturating_sub(frame + fixed).max(fit::MIN_FLEX);
        if whole[flex] > fits {
            widest_line[flex] = 0;
            let mut fitted = Kept::for_rows(len, headers.len());
            let (mut at, mut texts) = (At::default(), Vec::new());
            while let Some(look) = next_row(&kept, &mut at, &mut texts, headers.len()) {
                let cut = match texts[flex] {
                    text if text_width(text) > fits => fit::truncate(text, fits),
                    text => text.to_string(),
                };
                widest_line[flex] = widest_line[flex].max(line_width(&cut));
                let plain = look.plain && is_plain(&cut);
                let row = texts.iter().enumerate();
                let row = row.map(|(c, &text)| if c == flex { cut.as_str() } else { text });
                fitted.push(row, Look { plain, ..look });
            }
            kept = vec![fitted];
        }
    }
    // comfy-table's content width: at least 1, and the header's.
    let content: Vec<usize> = (0..headers.len())
        .map(|c| widest_line[c].max(line_width(headers[c])).max(1))
        .collect();
    if shown.iter().any(|&c| content[c] > WIDEST) || kept.iter().any(|k| k.too_long) {
        return write_through_comfy(columns, len, fill, style, out);
    }

    let widths: Vec<usize> = shown.iter().map(|&c| content[c]).collect();
    let mut line = String::new();
    rule(&mut line, &widths, ['┌', '─', '┬', '┐']);
    let plain = headers.iter().all(|h| is_plain(h));
    row_lines(&mut line, headers, plain, &shown, &content, None);
    rule(&mut line, &widths, ['╞', '═', '╪', '╡']);
    let (mut at, mut texts) = (At::default(), Vec::with_capacity(headers.len()));
    while let Some(look) = next_row(&kept, &mut at, &mut texts, headers.len()) {
        let escapes = if style.color {
            look.tint.escapes()
        } else {
            None
        };
        row_lines(&mut line, &texts, look.plain, &shown, &content, escapes);
        // Written some 64 KiB at a time, which a buffered writer passes
        // on without copying it again.
        if line.len() >= 1 << 16 {
            out.write_all(line.as_bytes())?;
            line.clear();
        }
    }
    rule(&mut line, &widths, ['└', '─', '┴', '┘']);
    out.write_all(line.as_bytes())
}

/// Tables of fewer rows are made on one thread.
const TWO_THREADS_FROM: usize = 4096;

/// What measuring some rows found: which columns they use, their widths
/// as `fit` measures them (whole cells) and as comfy-table does (each
/// line of a cell), and their cells, kept for the writing so each row is
/// made once (in parts, one per thread that made them, never copied to
/// join them).
struct Measured {
    used: Vec<bool>,
    whole: Vec<usize>,
    widest_line: Vec<usize>,
    kept: Vec<Kept>,
}

/// Makes and measures the rows `rows` of a table of `n` columns.
fn measure<F>(rows: std::ops::Range<usize>, n: usize, fill: &F) -> Measured
where
    F: Fn(usize, &mut [String]) -> Tint,
{
    let mut cells = vec![String::new(); n];
    let mut m = Measured {
        used: vec![false; n],
        whole: vec![0; n],
        widest_line: vec![0; n],
        kept: vec![Kept::for_rows(rows.len(), n)],
    };
    let kept = &mut m.kept[0];
    for i in rows {
        let tint = fill(i, &mut cells);
        let at = kept.text.len();
        kept.push(cells.iter().map(String::as_str), Look { tint, plain: true });
        // The row's text kept end to end is looked at once: when it is
        // all printable ASCII (most rows), so is each cell, one column a
        // byte.
        let plain = is_plain(kept.text.get(at..).unwrap_or_default());
        if let Some(look) = kept.looks.last_mut() {
            look.plain = plain;
        }
        for (c, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            m.used[c] = true;
            let (width, line) = match plain {
                true => (cell.len(), cell.len()),
                false => cell_widths(cell),
            };
            m.whole[c] = m.whole[c].max(width);
            m.widest_line[c] = m.widest_line[c].max(line);
        }
    }
    m
}

/// A cell's width as `fit` measures it (whole) and as comfy-table does
/// (its widest line).
fn cell_widths(cell: &str) -> (usize, usize) {
    let simple = is_plain(cell);
    let width = if simple { cell.len() } else { cell.width() };
    let line = if !simple && cell.contains('\n') {
        line_width(cell)
    } else {
        width
    };
    (width, line)
}

impl Measured {
    /// These rows, then `later`'s.
    fn join(mut self, later: Measured) -> Measured {
        for (c, used) in self.used.iter_mut().enumerate() {
            *used |= later.used[c];
            self.whole[c] = self.whole[c].max(later.whole[c]);
            self.widest_line[c] = self.widest_line[c].max(later.widest_line[c]);
        }
        self.kept.extend(later.kept);
        self
    }
}

/// How a kept row is drawn: its colour, and whether every cell is one
/// line of printable ASCII (one column a byte, no line to break).
#[derive(Clone, Copy)]
struct Look {
    tint: Tint,
    plain: bool,
}

/// The rows' cells as the measuring made them, end to end in one string,
/// for the passes after it: making a row's cells again cost as much as
/// writing it, and copying them back into cells a fifth of the writing.
/// Some 70 bytes a row and 4 a cell.
struct Kept {
    text: String,
    lens: Vec<u32>,
    looks: Vec<Look>,
    /// A cell had 4 GiB or more: its length was not kept, and the table
    /// is drawn by comfy-table.
    too_long: bool,
}

/// Where the next row starts in a list of [`Kept`]: which one, and its
/// number, its first cell, its first byte there.
#[derive(Default)]
struct At {
    part: usize,
    row: usize,
    cell: usize,
    byte: usize,
}

/// The row at `at` in `kept`, one part after another, as [`Kept::next`]
/// gives it.
fn next_row<'k>(kept: &'k [Kept], at: &mut At, texts: &mut Vec<&'k str>, n: usize) -> Option<Look> {
    loop {
        let part = kept.get(at.part)?;
        if let Some(look) = part.next(at, texts, n) {
            return Some(look);
        }
        *at = At {
            part: at.part + 1,
            ..At::default()
        };
    }
}

impl Kept {
    /// Room for the lengths and looks of `rows` rows of `cells` cells, so
    /// they are never copied to grow (the text grows as it must).
    fn for_rows(rows: usize, cells: usize) -> Kept {
        Kept {
            text: String::new(),
            lens: Vec::with_capacity(rows.saturating_mul(cells)),
            looks: Vec::with_capacity(rows),
            too_long: false,
        }
    }

    fn push<'c>(&mut self, cells: impl Iterator<Item = &'c str>, look: Look) {
        for cell in cells {
            self.text.push_str(cell);
            let len = u32::try_from(cell.len());
            self.too_long |= len.is_err();
            self.lens.push(len.unwrap_or(0));
        }
        self.looks.push(look);
    }

    /// The row at `at` (of `n` cells) into `texts`, and how it looks;
    /// `None` after the last.
    fn next<'k>(&'k self, at: &mut At, texts: &mut Vec<&'k str>, n: usize) -> Option<Look> {
        let look = *self.looks.get(at.row)?;
        texts.clear();
        for &len in self.lens.get(at.cell..at.cell + n)? {
            let end = at.byte + len as usize;
            texts.push(self.text.get(at.byte..end)?);
            at.byte = end;
        }
        at.row += 1;
        at.cell += n;
        Some(look)
    }
}

/// Whether `text` is printable ASCII only, one terminal column a byte:
/// told eight bytes at a time (every cell of a table is asked).
fn is_plain(text: &str) -> bool {
    let mut words = text.as_bytes().chunks_exact(8);
    let plain_words = words.all(|w| {
        let word: [u8; 8] = w.try_into().unwrap_or([0; 8]);
        plain_word(u64::from_le_bytes(word))
    });
    plain_words && words.remainder().iter().all(|b| (b' '..=b'~').contains(b))
}

/// Whether each byte of `w` is printable ASCII: no high bit, none below
/// 0x20 and none 0x7f (each test sets a byte's high bit where it finds
/// one; a zero byte of `w ^ 0x7f…` is a 0x7f).
fn plain_word(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let del = w ^ (ONES * 0x7f);
    let found = w | below_space | (del.wrapping_sub(ONES) & !del);
    found & (ONES * 0x80) == 0
}

/// The widest line of a cell, in terminal columns.
fn line_width(cell: &str) -> usize {
    cell.split('\n').map(text_width).max().unwrap_or(0)
}

/// The width of `text` in terminal columns, as unicode-width gives it;
/// printable ASCII, most of a table, is one column a byte.
fn text_width(text: &str) -> usize {
    if is_plain(text) {
        text.len()
    } else {
        text.width()
    }
}

/// A border line: left end, fill, column joint, right end.
fn rule(line: &mut String, widths: &[usize], [left, fill, joint, right]: [char; 4]) {
    line.push(left);
    for (k, &w) in widths.iter().enumerate() {
        if k > 0 {
            line.push(joint);
        }
        line.extend(std::iter::repeat_n(fill, w + 2));
    }
    line.push(right);
    line.push('\n');
}

/// One row of the table, taking as many lines as its tallest cell (a
/// newline in a cell starts a line, as in comfy-table). `cells` holds
/// every column, `plain` says they are all printable ASCII (see
/// [`Look`]); `shown` says which are drawn, `content` their widths.
fn row_lines(
    line: &mut String,
    cells: &[&str],
    plain: bool,
    shown: &[usize],
    content: &[usize],
    escapes: Option<(&str, &str)>,
) {
    // Most rows are one line: told by a byte search, not by counting.
    let tall = !plain && shown.iter().any(|&c| cells[c].as_bytes().contains(&b'\n'));
    let height = match tall {
        false => 1,
        true => shown
            .iter()
            .map(|&c| cells[c].matches('\n').count() + 1)
            .max()
            .unwrap_or(1),
    };
    if height == 1 && escapes.is_none() && !shown.is_empty() {
        return one_line(line, cells, plain, shown, content);
    }
    for k in 0..height {
        line.push('│');
        for (n, &c) in shown.iter().enumerate() {
            if n > 0 {
                line.push('┆');
            }
            let text = if height == 1 {
                Some(cells[c])
            } else {
                cells[c].split('\n').nth(k)
            };
            let Some(text) = text else {
                // Below a cell's last line: blank, and never coloured.
                pad(line, content[c] + 2);
                continue;
            };
            if let Some((on, _)) = escapes {
                line.push_str(on);
            }
            line.push(' ');
            line.push_str(text);
            let width = if plain { text.len() } else { text_width(text) };
            pad(line, content[c].saturating_sub(width) + 1);
            if let Some((_, off)) = escapes {
                line.push_str(off);
            }
        }
        line.push_str("│\n");
    }
}

/// [`row_lines`] of a row of one line without colour, most of a table:
/// each cell's padding and the border after it pushed as one piece.
fn one_line(line: &mut String, cells: &[&str], plain: bool, shown: &[usize], content: &[usize]) {
    const GAP: usize = 64;
    const THEN_JOINT: &str = "                                                                ┆ ";
    const THEN_END: &str = "                                                                │\n";
    line.push_str("│ ");
    for (n, &c) in shown.iter().enumerate() {
        let text = cells[c];
        line.push_str(text);
        let width = if plain { text.len() } else { text_width(text) };
        let gap = content[c].saturating_sub(width) + 1;
        let after = if n + 1 < shown.len() {
            THEN_JOINT
        } else {
            THEN_END
        };
        match after.get(GAP.saturating_sub(gap)..) {
            Some(piece) if gap <= GAP => line.push_str(piece),
            _ => {
                pad(line, gap);
                line.push_str(after.get(GAP..).unwrap_or_default());
            }
        }
    }
}

fn pad(line: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        line.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// A table with a cell too wide to draw on one line: every row kept as
/// cells, fitted, and drawn by comfy-table, which wraps it.
fn write_through_comfy<F>(
    columns: &Columns<'_>,
    len: usize,
    fill: F,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()>
where
    F: Fn(usize, &mut [String]) -> Tint,
{
    let mut rows = Vec::with_capacity(len);
    let mut tints = Vec::with_capacity(len);
    for i in 0..len {
        let mut cells = vec![String::new(); columns.headers.len()];
        tints.push(fill(i, &mut cells));
        rows.push(cells);
    }
    let headers = fit::fit(
        columns.headers,
        &mut rows,
        columns.flex,
        columns.keep,
        style.width.map(usize::from),
    );
    out.write_all(comfy(headers, rows, &tints, style).as_bytes())
}

/// A fitted table as comfy-table draws it: one line per row, late rows
/// red and near ones yellow when colour is on.
pub fn comfy(headers: Vec<String>, rows: Vec<Vec<String>>, tints: &[Tint], style: Style) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers);
    // comfy-table drops colour when stdout is no terminal; --color always
    // asked for it anyway.
    if style.color {
        t.enforce_styling();
    }
    for (row, &tint) in rows.into_iter().zip(tints) {
        let cells: Vec<Cell> = row
            .into_iter()
            .map(|c| {
                let cell = Cell::new(c);
                match (style.color, tint) {
                    (true, Tint::Late) => cell.fg(Color::Red),
                    (true, Tint::Soon) => cell.fg(Color::Yellow),
                    _ => cell,
                }
            })
            .collect();
        t.add_row(cells);
    }
    format!("{t}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_plain_when_each_byte_is_printable_ascii() {
        for len in 1..20 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let printable = (b' '..=b'~').contains(&b);
                    match String::from_utf8(bytes) {
                        Ok(text) => {
                            assert_eq!(is_plain(&text), printable, "{b:#x} at {at} of {len}")
                        }
                        Err(_) => assert!(!printable),
                    }
                }
            }
        }
        assert!(is_plain(""));
        assert!(!is_plain("Kerry and Zarif · Vienna talks"));
    }
}
