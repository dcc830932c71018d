//! Where a message of an mbox ends, found as the file is read piece by
//! piece: before the next "From " line that follows a blank line, as
//! [`message_starts`](super::message_starts) finds it in bytes at hand.
//! A message of megabytes is then read in windows, not held whole.

/// A scan for the end of a message, from the line after its "From " line.
pub(crate) struct MessageEnd {
    /// The file's byte the next piece starts at.
    at: usize,
    /// Where the current line starts, and its first bytes (up to five).
    line_at: usize,
    head: [u8; 5],
    head_len: usize,
    /// Whether the current line is blank so far, and the one before was.
    blank: bool,
    after_blank: bool,
}

impl MessageEnd {
    /// A scan from byte `at` of the file, where a line starts that
    /// follows the message's "From " line.
    pub fn new(at: usize) -> MessageEnd {
        MessageEnd {
            at,
            line_at: at,
            head: [0; 5],
            head_len: 0,
            blank: true,
            after_blank: false,
        }
    }

    /// Takes the file's next bytes: the file's byte where the next
    /// message starts, when it is among them.
    pub fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        for piece in bytes.split_inclusive(|&c| c == b'\n') {
            if self.head_len < 5 {
                let take = (5 - self.head_len).min(piece.len());
                self.head[self.head_len..self.head_len + take].copy_from_slice(&piece[..take]);
                self.head_len += take;
                if self.head_len == 5 && self.after_blank && &self.head == b"From " {
                    return Some(self.line_at);
                }
            }
            self.blank = self.blank && piece.iter().all(u8::is_ascii_whitespace);
            self.at += piece.len();
            if piece.ends_with(b"\n") {
                (self.after_blank, self.blank) = (self.blank, true);
                (self.line_at, self.head_len) = (self.at, 0);
            }
        }
        None
    }

    /// The file's byte up to which the bytes fed are the message's for
    /// sure: all of them, but for the start of a line after a blank one
    /// that may still be the next message's "From " line.
    pub fn sure(&self) -> usize {
        let n = self.head_len;
        match self.after_blank && n < 5 && self.head[..n] == b"From "[..n] {
            true => self.line_at,
            false => self.at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MessageEnd;

    /// Where the scan, fed `mbox` after its first line in pieces of
    /// `size` bytes, finds the next message.
    fn end_in_pieces(mbox: &[u8], size: usize) -> Option<usize> {
        let first = mbox
            .iter()
            .position(|&c| c == b'\n')
            .map_or(mbox.len(), |k| k + 1);
        let mut scan = MessageEnd::new(first);
        mbox[first..]
            .chunks(size)
            .find_map(|piece| scan.feed(piece))
    }

    #[test]
    fn a_message_ends_where_the_whole_mbox_starts_the_next() {
        let mbox = b"From a@b Mon Mar  2 09:00:00 2026\nSubject: x\n\nSent from the start, May 3.\n\
                     >From the archive.\n\n \t\nFrom c@d Tue Mar  3 09:00:00 2026\nSubject: y\n\nMay 4.\n";
        let whole: Vec<usize> = super::super::message_starts(mbox).collect();
        assert_eq!(whole.len(), 2);
        // A "From " line cut between pieces anywhere, even inside its
        // first five bytes, is found all the same.
        for size in 1..mbox.len() {
            assert_eq!(end_in_pieces(mbox, size), Some(whole[1]), "{size}");
        }
        // "From " after a line with text is text, and so is a last line
        // too short to be one.
        assert_eq!(
            end_in_pieces(b"From a\nSubject: x\n\nSee\nFrom here.\n", 4),
            None
        );
        assert_eq!(end_in_pieces(b"From a\nSubject: x\n\nFrom", 3), None);
    }

    #[test]
    fn the_start_of_a_line_that_may_open_the_next_message_is_not_sure() {
        let mut scan = MessageEnd::new(7);
        assert_eq!(scan.feed(b"Text.\n\nFr"), None);
        assert_eq!(scan.sure(), 7 + 7);
        assert_eq!(scan.feed(b"ee"), None);
        assert_eq!(scan.sure(), 7 + 11);
        assert_eq!(scan.feed(b"\n\nFro"), None);
        assert_eq!(scan.sure(), 7 + 13);
        assert_eq!(scan.feed(b"m b\n"), Some(7 + 13));
    }

    #[test]
    fn a_blank_line_of_line_ends_only_counts_too() {
        let mbox = b"From a\nSubject: x\n\nText.\n\r\nFrom b\n";
        assert_eq!(end_in_pieces(mbox, 2), Some(mbox.len() - 7));
    }
}
