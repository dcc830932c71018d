//! Reading one document in windows, so that memory holds a window of it,
//! not the whole: [`Extractor::session`], [`Session::feed`] for each
//! window in order, [`Session::finish`]. The reading state (reference
//! date, the story's place, schedule rows, the kind being detected) goes
//! on from one window to the next, so a document fed in windows cut
//! between its blocks gives what [`Extractor::extract_blocks_each`] gives
//! for it whole.

use std::ops::Range;

use chrono::NaiveDateTime;

use super::{blocks, Extractor, Reading, Timex, MAX_BLOCK};

/// A document being read window by window (see the module).
pub struct Session<'x> {
    x: &'x mut Extractor,
    reading: Reading,
    /// Timexes handed on so far: the extractor's limit counts them.
    given: usize,
    /// While the document's kind is detected, what was found is held back
    /// with offsets into the text read so far: that text, from
    /// `kept_base` in the document. Detection ends within the first
    /// 16 KiB of blocks, so this holds little more than a window.
    kept: String,
    kept_base: usize,
    batch: Vec<Timex>,
    /// The next window's first block goes on with the last one's last.
    goes_on: bool,
}

impl Extractor {
    /// Starts reading a document in windows (see [`Session`]), whose
    /// reference date-time is `dct`.
    pub fn session(&mut self, dct: NaiveDateTime) -> Session<'_> {
        let reading = self.begin(dct);
        let batch = std::mem::take(&mut self.spare.batch);
        Session {
            x: self,
            reading,
            given: 0,
            kept: String::new(),
            kept_base: 0,
            batch,
            goes_on: false,
        }
    }
}

impl Session<'_> {
    /// Reads the next window of the document: `text` starts at byte
    /// `base` of the document, and `blocks` are ranges of `text`, each
    /// with whether it is a schedule row, read as
    /// [`Extractor::extract_blocks`] reads them, after the blocks of the
    /// windows before. A window's text may reach beyond its blocks on
    /// either side, and may start before the last one ended but not after
    /// it. Each timex goes to `each`, its offsets from the document's
    /// start.
    pub fn feed(
        &mut self,
        text: &str,
        base: usize,
        blocks: impl IntoIterator<Item = (Range<usize>, bool)>,
        mut each: impl FnMut(Timex),
    ) {
        self.read(text, base, blocks, &mut each, false);
    }

    /// Says that the next window's first block goes on with the last
    /// window's last block (one longer than a window, cut where this
    /// reads it in pieces anyway): it is read as that block's next piece,
    /// so the rows of a schedule are not entered again.
    pub fn go_on(&mut self) {
        self.goes_on = true;
    }

    /// Whether timexes of the windows fed so far may still come, from a
    /// later feed or from [`Session::finish`]: while the document's kind
    /// is detected, what is found is held back. A caller that lets a
    /// window's text go must keep it until this is false.
    pub fn detecting(&self) -> bool {
        self.reading.signals.is_some()
    }

    /// Ends the document: what is still held back while its kind was
    /// detected (a document shorter than the detection's reach) is
    /// resolved and goes to `each`.
    pub fn finish(mut self, mut each: impl FnMut(Timex)) {
        let kept = std::mem::take(&mut self.kept);
        self.x.settle(&kept, &mut self.reading, &mut self.batch);
        self.hand_on(self.kept_base, &mut each);
        self.give_back();
    }

    /// Hands the emptied batch back for the next document.
    fn give_back(&mut self) {
        self.batch.clear();
        self.x.spare.batch = std::mem::take(&mut self.batch);
    }

    /// [`Session::feed`]; with `last`, [`Session::finish`] too, without
    /// keeping the text (a whole document read at once).
    pub(super) fn read(
        &mut self,
        text: &str,
        text_base: usize,
        spans: impl IntoIterator<Item = (Range<usize>, bool)>,
        each: &mut dyn FnMut(Timex),
        last: bool,
    ) {
        if self.given >= self.x.limit {
            return;
        }
        // Held expressions point into the kept text: this window is read
        // as its continuation, and offsets count from where that starts.
        let base = if self.kept.is_empty() {
            text_base
        } else {
            self.kept_base
        };
        let joined: std::borrow::Cow<str> = if self.kept.is_empty() {
            std::borrow::Cow::Borrowed(text)
        } else {
            let mut joined = std::mem::take(&mut self.kept);
            let keep = text_base.saturating_sub(self.kept_base);
            if keep <= joined.len() && joined.is_char_boundary(keep) {
                joined.truncate(keep);
            } else {
                // A gap (or a window starting before the kept text): held
                // expressions keep their places, what is between is blank.
                let pad = keep.saturating_sub(joined.len());
                joined.push_str(&" ".repeat(pad));
            }
            joined.push_str(text);
            std::borrow::Cow::Owned(joined)
        };
        let (text, shift) = (&*joined, joined.len() - text.len());
        for (range, rows) in spans {
            let reading = &mut self.reading;
            if std::mem::take(&mut self.goes_on) {
                // The block's start set this already.
            } else if reading.signals.is_some() {
                reading.held_rows.push((reading.held.len(), rows));
            } else {
                reading.resolver.set_schedule(rows);
            }
            let (start, end) = (range.start + shift, range.end + shift);
            let Some(part) = text.get(start..end) else {
                continue;
            };
            // A reader's block is a paragraph already: only an over-long
            // one needs cutting.
            if part.len() <= MAX_BLOCK {
                self.x
                    .block(text, (start, end), base, reading, &mut self.batch);
                if self.hand_on(base, each) {
                    return;
                }
                continue;
            }
            for (from, to) in blocks(part, MAX_BLOCK) {
                let span = (start + from, start + to);
                self.x
                    .block(text, span, base, &mut self.reading, &mut self.batch);
                if self.hand_on(base, each) {
                    return;
                }
            }
        }
        if last {
            self.x.settle(text, &mut self.reading, &mut self.batch);
            self.hand_on(base, each);
            self.give_back();
        } else if self.reading.signals.is_some() {
            self.kept = joined.into_owned();
            self.kept_base = base;
        }
    }

    /// Hands the timexes found on, their offsets moved by `base`; whether
    /// the limit is reached.
    fn hand_on(&mut self, base: usize, each: &mut dyn FnMut(Timex)) -> bool {
        for mut t in self.batch.drain(..) {
            if self.given < self.x.limit {
                t.move_later(base);
                each(t);
                self.given += 1;
            }
        }
        self.given >= self.x.limit
    }
}

#[cfg(test)]
mod tests {
    use super::super::doctype::DocType;
    use super::super::tokenize::blocks;
    use super::super::{Extractor, MAX_BLOCK};
    use chrono::NaiveDate;

    fn dct() -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 5, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap()
    }

    /// A story whose kind shows only over its first 16 KiB: read in
    /// small windows, what it holds back spans many of them.
    fn story() -> String {
        let mut text = String::new();
        for k in 0..400 {
            text.push_str(&format!(
                "In {} the engineer moved to Lyon, after the fire of 1852. \
                 In March she opened a workshop; the following spring it burned.\n\n",
                1850 + k % 40
            ));
            if k % 7 == 0 {
                text.push_str("On Friday the talks resumed, the minister said.\n\n");
            }
        }
        text
    }

    fn news() -> String {
        include_str!("../../examples/vienna-talks.txt").repeat(30)
    }

    /// The text cut into windows of about `size` bytes after blank lines,
    /// each given with `margin` bytes of the text around it.
    fn windows(text: &str, size: usize, margin: usize) -> Vec<(usize, usize, usize, usize)> {
        let mut cuts = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let limit = (start + size).min(text.len());
            // The last paragraph end in reach, else the next one.
            let end = match text[start..limit].rfind("\n\n") {
                Some(k) if limit < text.len() => start + k + 2,
                _ => text[limit..]
                    .find("\n\n")
                    .map_or(text.len(), |k| limit + k + 2),
            };
            let from = text.floor_char_boundary(start.saturating_sub(margin));
            let to = text.ceil_char_boundary((end + margin).min(text.len()));
            cuts.push((from, start, end, to));
            start = end;
        }
        cuts
    }

    fn fed(x: &mut Extractor, text: &str, size: usize, margin: usize) -> Vec<super::Timex> {
        let mut found = Vec::new();
        let mut session = x.session(dct());
        for (from, start, end, to) in windows(text, size, margin) {
            let view = &text[from..to];
            let spans = blocks(&text[start..end], MAX_BLOCK)
                .map(|(a, b)| (a + start - from..b + start - from, false));
            session.feed(view, from, spans, |t| found.push(t));
        }
        session.finish(|t| found.push(t));
        found
    }

    #[test]
    fn windows_cut_between_paragraphs_read_as_the_whole_text() {
        for (text, kind) in [(story(), DocType::Narrative), (news(), DocType::News)] {
            let mut x = Extractor::default();
            let whole = x.extract(&text, dct());
            assert_eq!(x.doctype_used(), kind);
            assert!(whole.len() > 100 && text.len() > 20_000);
            for (size, margin) in [(300, 0), (1000, 64), (5000, 7), (usize::MAX, 0)] {
                let found = fed(&mut x, &text, size, margin);
                assert_eq!(x.doctype_used(), kind, "windows of {size}");
                assert!(found == whole, "windows of {size}, margin {margin}");
            }
        }
    }

    #[test]
    fn a_short_document_is_decided_when_it_ends() {
        let text = "In 1862 the engineer moved to Lyon, ten years after the fire of 1852.\n\n\
                    In March she opened a workshop.";
        let mut x = Extractor::default();
        let whole = x.extract(text, dct());
        let found = fed(&mut x, text, 20, 0);
        assert_eq!(found, whole);
        assert_eq!(x.doctype_used(), DocType::Narrative);
        assert_eq!(whole.last().map(|t| t.value.as_str()), Some("1862-03"));
    }

    #[test]
    fn the_limit_counts_across_windows() {
        let text = news();
        let mut x = Extractor::default().limited(25);
        assert_eq!(fed(&mut x, &text, 700, 0), x.extract(&text, dct()));
        assert_eq!(fed(&mut x, &text, 700, 0).len(), 25);
    }
}
