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
/// header, given empty) and says its colour; it is called two or three
/// times per row, so it must give the same row each time.
pub fn write<F>(
    columns: &Columns<'_>,
    len: usize,
    mut row: F,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()>
where
    F: FnMut(usize, &mut [String]) -> Tint,
{
    let headers = columns.headers;
    let flex = columns.flex;
    let mut cells = vec![String::new(); headers.len()];
    let mut fill = |i: usize, cells: &mut [String]| {
        cells.iter_mut().for_each(String::clear);
        row(i, cells)
    };

    // Measure: which columns any row uses, their widths as `fit` measures
    // them (whole cells) and as comfy-table does (each line of a cell).
    // The cells are kept for the writing, so each row is made once.
    let mut used = vec![false; headers.len()];
    let mut whole = vec![0usize; headers.len()];
    let mut widest_line = vec![0usize; headers.len()];
    let mut kept = Kept::default();
    for i in 0..len {
        let tint = fill(i, &mut cells);
        kept.push(&cells, tint);
        for (c, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                used[c] = true;
                let width = text_width(cell);
                whole[c] = whole[c].max(width);
                let line = if cell.contains('\n') {
                    line_width(cell)
                } else {
                    width
                };
                widest_line[c] = widest_line[c].max(line);
            }
        }
    }
    for &c in columns.keep.iter().chain([&flex]) {
        if let Some(u) = used.get_mut(c) {
            *u = true;
        }
    }
    let shown: Vec<usize> = (0..headers.len()).filter(|&c| used[c]).collect();

    // The room `fit` leaves the flexible column; when a cell is wider, the
    // column is as wide as the widest cut cell.
    let mut room = None;
    if let (Some(width), true) = (style.width.map(usize::from), flex < headers.len()) {
        let frame = 3 * shown.len() + 1;
        let fixed: usize = shown
            .iter()
            .filter(|&&c| c != flex)
            .map(|&c| whole[c].max(headers[c].width()))
            .sum();
        let fits = width.saturating_sub(frame + fixed).max(fit::MIN_FLEX);
        if whole[flex] > fits {
            room = Some(fits);
            widest_line[flex] = 0;
            let mut at = At::default();
            for i in 0..len {
                kept.fill(i, &mut at, &mut cells, &mut fill);
                let cut = fit::truncate(&cells[flex], fits);
                widest_line[flex] = widest_line[flex].max(line_width(&cut));
            }
        }
    }
    // comfy-table's content width: at least 1, and the header's.
    let content: Vec<usize> = (0..headers.len())
        .map(|c| widest_line[c].max(line_width(headers[c])).max(1))
        .collect();
    if shown.iter().any(|&c| content[c] > WIDEST) {
        return write_through_comfy(columns, len, fill, style, out);
    }

    let widths: Vec<usize> = shown.iter().map(|&c| content[c]).collect();
    let mut line = String::new();
    rule(&mut line, &widths, ['┌', '─', '┬', '┐']);
    let header_cells: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    row_lines(&mut line, &header_cells, &shown, &content, None);
    rule(&mut line, &widths, ['╞', '═', '╪', '╡']);
    let mut at = At::default();
    for i in 0..len {
        let tint = kept.fill(i, &mut at, &mut cells, &mut fill);
        if let Some(room) = room {
            if text_width(&cells[flex]) > room {
                cells[flex] = fit::truncate(&cells[flex], room);
            }
        }
        let escapes = if style.color { tint.escapes() } else { None };
        row_lines(&mut line, &cells, &shown, &content, escapes);
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

/// The rows' cells as the measuring made them, end to end in one string,
/// for the passes after it: making a row's cells again cost as much as
/// writing it. Some 70 bytes a row and 4 a cell; a cell too long to count
/// in a u32 gives up keeping, and the rows are then made again.
#[derive(Default)]
struct Kept {
    text: String,
    lens: Vec<u32>,
    tints: Vec<Tint>,
    gave_up: bool,
}

/// Where the next row starts in a [`Kept`]: its first cell, its first byte.
#[derive(Default)]
struct At {
    cell: usize,
    byte: usize,
}

impl Kept {
    fn push(&mut self, cells: &[String], tint: Tint) {
        if self.gave_up {
            return;
        }
        for cell in cells {
            let Ok(n) = u32::try_from(cell.len()) else {
                *self = Kept {
                    gave_up: true,
                    ..Kept::default()
                };
                return;
            };
            self.text.push_str(cell);
            self.lens.push(n);
        }
        self.tints.push(tint);
    }

    /// Row `i`'s cells into `cells` and its colour, the rows taken in
    /// order from `at`: as kept, or from `make` when they were not.
    fn fill<F>(&self, i: usize, at: &mut At, cells: &mut [String], make: &mut F) -> Tint
    where
        F: FnMut(usize, &mut [String]) -> Tint,
    {
        let end = at.cell + cells.len();
        let (Some(lens), Some(&tint)) = (self.lens.get(at.cell..end), self.tints.get(i)) else {
            return make(i, cells);
        };
        for (cell, &n) in cells.iter_mut().zip(lens) {
            let end = at.byte + n as usize;
            cell.clear();
            cell.push_str(self.text.get(at.byte..end).unwrap_or_default());
            at.byte = end;
        }
        at.cell = end;
        tint
    }
}

/// The widest line of a cell, in terminal columns.
fn line_width(cell: &str) -> usize {
    cell.split('\n').map(text_width).max().unwrap_or(0)
}

/// The width of `text` in terminal columns, as unicode-width gives it;
/// printable ASCII, most of a table, is one column a byte.
fn text_width(text: &str) -> usize {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
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
/// every column; `shown` says which are drawn, `content` their widths.
fn row_lines(
    line: &mut String,
    cells: &[String],
    shown: &[usize],
    content: &[usize],
    escapes: Option<(&str, &str)>,
) {
    // Most rows are one line: told by a byte search, not by counting.
    let tall = shown.iter().any(|&c| cells[c].as_bytes().contains(&b'\n'));
    let height = match tall {
        false => 1,
        true => shown
            .iter()
            .map(|&c| cells[c].matches('\n').count() + 1)
            .max()
            .unwrap_or(1),
    };
    for k in 0..height {
        line.push('│');
        for (n, &c) in shown.iter().enumerate() {
            if n > 0 {
                line.push('┆');
            }
            let text = if height == 1 {
                Some(cells[c].as_str())
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
            pad(line, content[c].saturating_sub(text_width(text)) + 1);
            if let Some((_, off)) = escapes {
                line.push_str(off);
            }
        }
        line.push_str("│\n");
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
    mut fill: F,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()>
where
    F: FnMut(usize, &mut [String]) -> Tint,
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
