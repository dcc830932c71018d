//! The text held back while a document's kind is detected, when the
//! record needs only what lies near its timexes: a page that is mostly
//! comments or scripts, detected until its end, is then not held whole.

use crate::document;
use crate::engine::timex::Timex;

use super::stream::MARGIN;
use super::{ceil_char, floor_char};

/// The text of held windows a timex may fall in when the record needs
/// only the text near its timexes (see `Writer::needs_text_near_timexes`):
/// each block's extent in the file with `MARGIN` bytes to either side,
/// and where it starts.
#[derive(Default)]
pub(super) struct Kept(Vec<(usize, String)>);

impl Kept {
    /// Keeps the text around the blocks of `doc`, a window that starts at
    /// `file` in the file's text, from `text` (the window's, from its base).
    pub(super) fn blocks(&mut self, doc: &document::Document, file: usize, text: (&str, usize)) {
        let (raw, base) = text;
        for b in &doc.blocks {
            let start = file + doc.file_offset(b.range.start);
            let end = file + doc.file_offset(b.range.end.saturating_sub(1).max(b.range.start)) + 1;
            let local = |at: usize| at.saturating_sub(base).min(raw.len());
            let from = floor_char(raw, local(start.saturating_sub(MARGIN)));
            let to = ceil_char(raw, local(end.saturating_add(MARGIN)));
            match self.0.last_mut() {
                // Blocks that overlap, margins and all, are kept as one.
                Some((at, s)) if *at + s.len() >= base + from && *at <= base + from => {
                    let have = *at + s.len() - base;
                    if to > have {
                        s.push_str(&raw[have..to]);
                    }
                }
                _ => self.0.push((base + from, raw[from..to].to_owned())),
            }
        }
    }

    /// Lets go of what is kept: the windows before were written out.
    pub(super) fn clear(&mut self) {
        self.0.clear();
    }

    /// The kept text that holds `at` (else `window`, the text read now).
    pub(super) fn around<'k>(&'k self, at: usize, window: (&'k str, usize)) -> (&'k str, usize) {
        if at >= window.1 {
            return window;
        }
        let k = self.0.partition_point(|(start, _)| *start <= at);
        match k.checked_sub(1).map(|k| &self.0[k]) {
            Some((start, s)) => (s.as_str(), *start),
            None => window,
        }
    }
}

/// Where a timex found in the windows' clean texts starts in the file's
/// text (see [`place_in_file`](super::stream::place_in_file)).
pub(super) fn file_start(t: &Timex, read: &[(usize, usize, document::Document)]) -> usize {
    let k = read.partition_point(|(clean, _, _)| *clean <= t.start);
    match k.checked_sub(1).and_then(|k| read.get(k)) {
        Some((clean, file, doc)) => file + doc.file_offset(t.start.saturating_sub(*clean)),
        None => t.start,
    }
}

#[cfg(test)]
mod tests {
    use super::Kept;

    #[test]
    fn held_windows_keep_the_text_near_their_blocks_only() {
        use crate::document::{self, Carry, Format};
        let comment = "The board met on March 3, 2026. ".repeat(100);
        let page = format!("<p>Before, May 2.</p><!--{comment}--><p>After, May 3.</p>");
        let doc = document::read_window(Format::Html, &page, 0, &Carry::default());
        let mut kept = Kept::default();
        kept.blocks(&doc, 0, (&page, 0));
        // Not the comment: the two paragraphs, 64 bytes to either side.
        let held: usize = kept.0.iter().map(|(_, s)| s.len()).sum();
        assert!(held < 300, "{held}");
        for b in &doc.blocks {
            let (start, end) = (doc.file_offset(b.range.start), doc.file_offset(b.range.end));
            let (text, at) = kept.around(start, ("", page.len()));
            assert!(at <= start.saturating_sub(64));
            assert!((end + 64).min(page.len()) <= at + text.len());
            assert_eq!(text, &page[at..at + text.len()]);
        }
        // Past the kept text: the window read now.
        assert_eq!(
            kept.around(page.len(), ("now", page.len())),
            ("now", page.len())
        );
    }
}
