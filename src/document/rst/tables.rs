//! Simple and grid tables: each row a block with its cells, under the
//! table's column names. A table at the top level longer than a window
//! may be cut between two rows once its header is settled (nothing that
//! follows can change it): the next window takes on the table's columns
//! and names (a [`Table`]) and reads on from the row.
//!
//! A table's first rows are its header only if the border that makes them
//! one comes within [`HEADER_MAX`] bytes of its top: further on, they are
//! data. So a window never has to hold more than that to settle a header,
//! and a column's name, copied into every row, is at most [`NAME_MAX`]
//! bytes ([`NAMES_MAX`] for all of them).

use super::{adornment, blank, grid_border, inline, simple_border, Line, Reader};
use crate::document::pieces::{joined, table, trimmed, Piece};

/// The most bytes from a table's top border to the border that makes its
/// first rows a header.
pub(super) const HEADER_MAX: usize = if cfg!(test) { 4096 } else { 1 << 20 };

/// The most bytes of a column's name, and of all of a table's names.
const NAME_MAX: usize = 256;
const NAMES_MAX: usize = 2048;

/// A table a window ended in between two rows, which the next goes on
/// with: its columns and its settled column names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Table {
    /// A simple table's columns' character ranges.
    Simple(Vec<(usize, usize)>, Vec<String>),
    /// A grid table's column boundaries.
    Grid(Vec<usize>, Vec<String>),
}

/// The byte range of characters `from..to` of `s` (clamped to its end).
fn chars(s: &str, from: usize, to: Option<usize>) -> (usize, usize) {
    let byte = |n: usize| s.char_indices().nth(n).map_or(s.len(), |(k, _)| k);
    let start = byte(from);
    let end = to.map_or(s.len(), byte).max(start);
    (start, end)
}

impl Reader {
    /// Goes on with the table the window before ended in, from the first
    /// line; returns where the lines after it start.
    pub(super) fn table_from(&mut self, lines: &[Line], open: Table) -> usize {
        match open {
            Table::Simple(cols, names) => self.simple_rows(lines, 0, cols, Some(names), true),
            Table::Grid(bounds, names) => self.grid_rows(lines, 0, bounds, Some(names), true),
        }
    }

    /// A simple table from its top border at `i`; `top`: at the top level
    /// of the window, where the window may end between its rows.
    pub(super) fn simple_table(
        &mut self,
        lines: &[Line],
        i: usize,
        cols: Vec<(usize, usize)>,
        top: bool,
    ) -> usize {
        self.simple_rows(lines, i + 1, cols, None, top)
    }

    /// A simple table's lines from `j`: groups of rows between borders,
    /// the first of two or more its header. `named`: the names of a table
    /// the window before read the header of, all of whose rows here are
    /// data.
    fn simple_rows(
        &mut self,
        lines: &[Line],
        mut j: usize,
        cols: Vec<(usize, usize)>,
        mut named: Option<Vec<String>>,
        top: bool,
    ) -> usize {
        let given = named.is_some();
        let start = (!given).then(|| lines[j - 1].0);
        // The bytes read ahead show it has no header, or its first rows
        // run past where a header may end.
        let mut headless = start.is_some() && self.headless == start;
        let mut groups: Vec<Vec<Vec<Vec<Piece>>>> = vec![Vec::new()];
        let (mut end, mut closed) = (lines.len(), false);
        while j < lines.len() {
            let (at, l) = lines[j];
            if groups.len() == 1 && start.is_some_and(|s| at - s > HEADER_MAX) {
                headless = true;
            }
            if simple_border(l).is_some() || (l.starts_with('=') && adornment(l).is_some()) {
                if lines.get(j + 1).is_none_or(|(_, n)| blank(n)) {
                    (end, closed) = (j + 1, true);
                    break;
                }
                groups.push(Vec::new());
                j += 1;
                continue;
            }
            j += 1;
            let t = l.trim_end();
            if t.is_empty() || t.bytes().all(|c| c == b'-' || c == b' ') {
                continue;
            }
            // Each column's text; the last column runs to the line's end.
            let mut cells: Vec<Vec<Piece>> = Vec::new();
            for (k, &(from, _)) in cols.iter().enumerate() {
                let to = cols.get(k + 1).map(|c| c.0);
                let (s, e) = chars(t, from, to);
                let (a, c) = trimmed(at + s, &t[s..e]);
                let mut pieces = Vec::new();
                inline(c.trim_end(), a, &mut pieces);
                cells.push(pieces);
            }
            let (group, before) = groups.split_last_mut().expect("a group is always open");
            // A line with an empty first column continues the row above.
            let continues = cells[0].is_empty() && !group.is_empty();
            if continues {
                let row = group.last_mut().expect("not empty");
                for (k, c) in cells.into_iter().enumerate() {
                    if c.is_empty() {
                        continue;
                    }
                    if let (Some(cell), Some(p)) = (row.get_mut(k), c.first()) {
                        if !cell.is_empty() {
                            cell.push(Piece::decoded(" ", p.at));
                        }
                        cell.extend(c);
                    }
                }
                continue;
            }
            // The first group of rows with rows after it is the header.
            // A window ending before this row reads the rows before it as
            // they read here: the header, and rows of a later group, so
            // the borders before them are not the table's end.
            if top && self.cut.is_some() && !group.is_empty() && j < lines.len() {
                if named.is_none() {
                    named = before
                        .iter()
                        .find(|g| !g.is_empty())
                        .map(|h| header_names(h));
                }
                if named.is_none() && headless {
                    named = Some(Vec::new());
                }
                if let Some(names) = &named {
                    self.may_cut_in(at, Some(Table::Simple(cols.clone(), names.clone())));
                }
            }
            group.push(cells);
        }
        if end == lines.len() {
            end = j;
        }
        // Rows that run past the lines, in one group so far: a border
        // between groups after them would make them the header.
        if top && !closed && !headless && groups.len() == 1 && self.cut.is_some() {
            self.unsettled = start.map(|at| (at, false));
        }
        groups.retain(|g| !g.is_empty());
        let headers = match (given, named) {
            (true, Some(names)) => names,
            _ if groups.len() >= 2 && !headless => header_names(&groups.remove(0)),
            _ => Vec::new(),
        };
        let rows: Vec<Vec<Vec<Piece>>> = groups.into_iter().flatten().collect();
        table(headers, &rows, &mut self.b);
        end
    }

    /// A grid table from its top border at `i` (`top`: see
    /// [`Reader::simple_table`]).
    pub(super) fn grid_table(&mut self, lines: &[Line], i: usize, top: bool) -> usize {
        let border = lines[i].1.trim_end();
        let bounds: Vec<usize> = border
            .char_indices()
            .filter(|(_, c)| *c == '+')
            .map(|(k, _)| k)
            .collect();
        self.grid_rows(lines, i + 1, bounds, None, top)
    }

    /// A grid table's lines from `j`: rows between borders, those above
    /// the first `=` border (below a row) its header. `named`: as for
    /// [`Reader::simple_rows`].
    fn grid_rows(
        &mut self,
        lines: &[Line],
        mut j: usize,
        bounds: Vec<usize>,
        mut named: Option<Vec<String>>,
        top: bool,
    ) -> usize {
        let given = named.is_some();
        let start = (!given).then(|| lines[j - 1].0);
        // As for a simple table.
        let mut headless = start.is_some() && self.headless == start;
        let mut rows: Vec<Vec<Vec<Piece>>> = Vec::new();
        let (mut head, mut closed) = (0, false);
        let mut row: Vec<Vec<Piece>> = Vec::new();
        while j < lines.len() {
            let (at, l) = lines[j];
            if head == 0 && start.is_some_and(|s| at - s > HEADER_MAX) {
                headless = true;
            }
            let t = l.trim_end();
            if grid_border(t) {
                if row.iter().any(|c| !c.is_empty()) {
                    rows.push(std::mem::take(&mut row));
                }
                row.clear();
                if t.contains('=') && head == 0 && !given && !headless {
                    head = rows.len();
                }
                j += 1;
                continue;
            }
            if !t.starts_with('|') {
                closed = true;
                break;
            }
            // A row starts after a border: once the header is settled
            // (a later `=` border changes nothing), a window may end here.
            let after_border = j > 0 && grid_border(lines[j - 1].1.trim_end());
            if top && self.cut.is_some() && after_border && j + 1 < lines.len() {
                if named.is_none() && head > 0 {
                    named = Some(header_names(&rows[..head.min(rows.len())]));
                }
                if named.is_none() && headless {
                    named = Some(Vec::new());
                }
                if let Some(names) = &named {
                    self.may_cut_in(at, Some(Table::Grid(bounds.clone(), names.clone())));
                }
            }
            j += 1;
            // Cells end at the boundaries where the line has a '|'.
            let cs: Vec<char> = t.chars().collect();
            let mut cell = 0;
            let mut from = 1;
            for (k, &b) in bounds.iter().enumerate().skip(1) {
                let last = k + 1 == bounds.len();
                if cs.get(b) != Some(&'|') && !last {
                    continue;
                }
                let (s, e) = chars(t, from, Some(b));
                let frag = t[s..e].trim_end_matches('|');
                let (a, c) = trimmed(at + s, frag);
                let c = c.trim_end();
                while row.len() <= cell {
                    row.push(Vec::new());
                }
                if !c.is_empty() && !c.bytes().all(|x| matches!(x, b'-' | b'=' | b'+')) {
                    let mut pieces = Vec::new();
                    inline(c, a, &mut pieces);
                    if !row[cell].is_empty() {
                        row[cell].push(Piece::decoded(" ", a));
                    }
                    row[cell].extend(pieces);
                }
                cell += 1;
                from = b + 1;
            }
        }
        if row.iter().any(|c| !c.is_empty()) {
            rows.push(row);
        }
        // Rows that run past the lines with no `=` border below any: one
        // after them would make them the header.
        if top && !closed && !given && !headless && head == 0 && self.cut.is_some() {
            self.unsettled = start.map(|at| (at, true));
        }
        let (headers, body) = match (given, named) {
            (true, Some(names)) => (names, &rows[..]),
            _ => {
                let head = head.min(rows.len());
                (header_names(&rows[..head]), &rows[head..])
            }
        };
        table(headers, body, &mut self.b);
        j
    }
}

/// A table's column names, from its header rows, each cut to at most
/// [`NAME_MAX`] bytes and all to [`NAMES_MAX`]: every row holds a copy.
fn header_names(rows: &[Vec<Vec<Piece>>]) -> Vec<String> {
    let mut names = full_names(rows);
    let mut left = NAMES_MAX;
    for name in &mut names {
        let mut n = name.len().min(NAME_MAX).min(left);
        while !name.is_char_boundary(n) {
            n -= 1;
        }
        name.truncate(n);
        let t = name.trim_end().len();
        name.truncate(t);
        name.shrink_to_fit();
        left -= name.len();
    }
    names
}

fn full_names(rows: &[Vec<Vec<Piece>>]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for row in rows {
        for (k, cell) in row.iter().enumerate() {
            let text = joined(cell).trim().to_owned();
            match names.get_mut(k) {
                Some(h) if !text.is_empty() => {
                    if !h.is_empty() {
                        h.push(' ');
                    }
                    h.push_str(&text);
                }
                Some(_) => {}
                None => names.push(text),
            }
        }
    }
    names
}
