//! The lines of an iCalendar file, checked before the parser sees them:
//! each a `NAME:value` or `NAME;PARAM=…:value`, every `BEGIN` ended by
//! its `END`, nothing outside a component, nesting at most [`MAX_DEPTH`]
//! deep. So an error names the file's own line (the parser counts
//! unfolded lines), the parser's recursion stays bounded, and a file may
//! hold several calendars. Property names are upper-cased for the parser,
//! which unescapes TEXT values only under upper-case names.

use std::ops::Range;

use super::ImportError;

/// Components nested deeper than this are refused before parsing (the
/// parser recurses once per level); a calendar needs three: VCALENDAR,
/// VEVENT, VALARM.
const MAX_DEPTH: usize = 16;

/// Every line end as CRLF, as RFC 5545 writes them.
pub(super) fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut rest = text;
    while let Some(i) = rest.find(['\r', '\n']) {
        out.push_str(&rest[..i]);
        out.push_str("\r\n");
        let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + skip..];
    }
    out.push_str(rest);
    out
}

/// One unfolded content line and the file line it starts on (1-based).
pub(super) struct Line<'t> {
    pub(super) at: usize,
    pub(super) text: &'t str,
}

/// The unfolded lines, each with its first physical line: a physical line
/// that starts with a space or tab continues the one before (RFC 5545
/// §3.1), as `unfold` joins them.
pub(super) fn lines<'u>(normalized: &str, unfolded: &'u str) -> Vec<Line<'u>> {
    let mut starts = Vec::new();
    for (i, physical) in normalized.split("\r\n").enumerate() {
        if i == 0 || !physical.starts_with([' ', '\t']) {
            starts.push(i + 1);
        }
    }
    unfolded
        .split("\r\n")
        .enumerate()
        .map(|(i, text)| Line {
            at: starts.get(i).copied().unwrap_or(i + 1),
            text,
        })
        .collect()
}

/// One top-level component (a VCALENDAR, usually), rebuilt for the parser.
#[derive(Default)]
pub(super) struct Block {
    pub(super) lines: Vec<String>,
    /// The file line of each line.
    pub(super) at: Vec<usize>,
    /// The components the parser will list: the calendar's children, or
    /// the block itself when it is no VCALENDAR; as ranges of `lines`.
    pub(super) parts: Vec<Range<usize>>,
}

pub(super) fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// A content line's name and the rest (from its `;` or `:` on).
pub(super) fn split_name(text: &str) -> Option<(&str, &str)> {
    let end = text.bytes().position(|b| !name_byte(b))?;
    let (name, rest) = text.split_at(end);
    (!name.is_empty() && (rest.starts_with(';') || rest.starts_with(':')) && rest.contains(':'))
        .then_some((name, rest))
}

/// A line as an error quotes it: at most 60 characters.
pub(super) fn snippet(text: &str) -> String {
    let cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

/// Checks the file's structure and cuts it into top-level components.
pub(super) fn blocks(lines: &[Line<'_>]) -> Result<Vec<Block>, ImportError> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut block = Block::default();
    let mut part_start = 0;
    for line in lines {
        let text = line.text;
        if text.trim().is_empty() {
            continue;
        }
        let (name, rest) = split_name(text).ok_or_else(|| {
            ImportError::at(
                line.at,
                format!("not an iCalendar line (NAME:value): {}", snippet(text)),
            )
        })?;
        let name = name.to_ascii_uppercase();
        let marker = (name == "BEGIN" || name == "END") && rest.starts_with(':');
        if !marker {
            if stack.is_empty() {
                return Err(ImportError::at(
                    line.at,
                    format!(
                        "{} is outside BEGIN:VCALENDAR … END:VCALENDAR",
                        snippet(text)
                    ),
                ));
            }
            block.lines.push(format!("{name}{rest}"));
            block.at.push(line.at);
            continue;
        }
        let component = rest[1..].trim();
        if component.is_empty() || !component.bytes().all(name_byte) {
            return Err(ImportError::at(
                line.at,
                format!("{name}: needs a component name, not {}", snippet(component)),
            ));
        }
        let component = component.to_ascii_uppercase();
        block.lines.push(format!("{name}:{component}"));
        block.at.push(line.at);
        if name == "BEGIN" {
            if stack.len() >= MAX_DEPTH {
                return Err(ImportError::at(
                    line.at,
                    format!("components nested more than {MAX_DEPTH} deep"),
                ));
            }
            stack.push((component, line.at));
            if stack.len() == 2 && stack[0].0 == "VCALENDAR" {
                part_start = block.lines.len() - 1;
            }
            continue;
        }
        match stack.pop() {
            None => {
                return Err(ImportError::at(
                    line.at,
                    format!("END:{component} without a BEGIN:{component}"),
                ))
            }
            Some((open, at)) if open != component => {
                return Err(ImportError::at(
                    line.at,
                    format!("END:{component}, but BEGIN:{open} (line {at}) is not ended"),
                ))
            }
            Some((open, _)) => match stack.as_slice() {
                [] => {
                    if open != "VCALENDAR" {
                        // A lone component is its own only part.
                        let whole = 0..block.lines.len();
                        block.parts = vec![whole];
                    }
                    out.push(std::mem::take(&mut block));
                }
                [(root, _)] if root == "VCALENDAR" => {
                    block.parts.push(part_start..block.lines.len());
                }
                _ => {}
            },
        }
    }
    if let Some((open, at)) = stack.last() {
        return Err(ImportError::at(
            *at,
            format!("BEGIN:{open} is never ended (no END:{open})"),
        ));
    }
    if out.is_empty() {
        return Err(ImportError::at(
            0,
            "no BEGIN:VCALENDAR: not an iCalendar file",
        ));
    }
    Ok(out)
}

/// One component the parser listed, with its lines for messages.
pub(super) struct Part<'b> {
    pub(super) block: &'b Block,
    pub(super) range: Range<usize>,
}

impl Part<'_> {
    /// The file line of its `BEGIN`.
    pub(super) fn begin(&self) -> usize {
        self.block.at.get(self.range.start).copied().unwrap_or(0)
    }

    /// The file line of its own property `name` (not a nested one's).
    pub(super) fn line_of(&self, name: &str) -> usize {
        let mut depth = 0usize;
        for i in self.range.clone().skip(1) {
            let line = &self.block.lines[i];
            if line.starts_with("BEGIN:") {
                depth += 1;
            } else if line.starts_with("END:") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && split_name(line).is_some_and(|(n, _)| n == name) {
                return self.block.at[i];
            }
        }
        self.begin()
    }
}

/// The parser's complaint, at the file's line.
pub(super) fn parser_error(e: &str, block: &Block) -> ImportError {
    let line = e
        .split("at line ")
        .nth(1)
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<usize>().ok()
        })
        .and_then(|n| n.checked_sub(1));
    match line.and_then(|i| Some((block.at.get(i)?, block.lines.get(i)?))) {
        Some((at, text)) => ImportError::at(
            *at,
            format!("the iCalendar parser cannot read {}", snippet(text)),
        ),
        None => ImportError::at(
            block.at.first().copied().unwrap_or(0),
            format!(
                "the iCalendar parser cannot read this calendar: {}",
                e.lines().take(2).collect::<Vec<_>>().join(" ")
            ),
        ),
    }
}
