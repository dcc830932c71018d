//! A single-part message's body decoded piece by piece, as `mail-parser`
//! decodes it whole: its content transfer encoding undone, then its
//! charset. The whole-message parse is the specification; the tests hold
//! these pieces to it, cut anywhere.

use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::quoted_printable::quoted_printable_decode_char;

/// A body's content transfer encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transfer {
    /// 7bit, 8bit, binary or none said: the bytes as they are.
    Plain,
    Base64,
    QuotedPrintable,
}

/// Undoes a transfer encoding a piece at a time; what a piece leaves
/// unfinished (a base64 group, an "=" escape) is carried to the next.
pub(crate) struct Transfers {
    kind: Transfer,
    /// The last byte seen: a "--" ends a base64 body as a boundary would,
    /// and a bad escape keeps its bytes.
    last: u8,
    /// Base64: the bits of the group so far and how many characters.
    bits: u32,
    count: u8,
    /// Quoted-printable: after "=" (1) or "=X" (2), the X, the trailing
    /// blanks to take back at a line end, and the line end written (CRLF
    /// from the first CR on).
    escape: u8,
    hex: u8,
    blanks: usize,
    crlf: bool,
    failed: bool,
}

impl Transfers {
    pub fn new(kind: Transfer) -> Transfers {
        Transfers {
            kind,
            last: if kind == Transfer::Base64 { b'\n' } else { 0 },
            bits: 0,
            count: 0,
            escape: 0,
            hex: 0,
            blanks: 0,
            crlf: false,
            failed: false,
        }
    }

    /// Whether the body cannot be decoded (a byte base64 does not allow,
    /// "==" in quoted-printable): the whole parse then reads it raw.
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// How many bytes at the end of what was decoded may still be taken
    /// back (quoted-printable's blanks before a line end).
    pub fn held(&self) -> usize {
        match self.kind {
            Transfer::QuotedPrintable => self.blanks,
            _ => 0,
        }
    }

    /// Appends what `bytes` decode to onto `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        match self.kind {
            _ if self.failed => {}
            Transfer::Plain => out.extend_from_slice(bytes),
            Transfer::Base64 => self.base64(bytes, out),
            Transfer::QuotedPrintable => self.quoted_printable(bytes, out),
        }
    }

    fn base64(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        for &c in bytes {
            if let Some(v) = sextet(c) {
                self.bits = (self.bits << 6) | u32::from(v);
                self.count += 1;
                if self.count == 4 {
                    out.extend_from_slice(&self.bits.to_be_bytes()[1..]);
                    (self.bits, self.count) = (0, 0);
                }
            } else {
                match c {
                    // Padding ends a group early, with the bytes it holds
                    // (one even for a lone character).
                    b'=' => {
                        match self.count {
                            1 => out.push((self.bits << 2) as u8),
                            2 => out.push((self.bits >> 4) as u8),
                            3 => out.extend_from_slice(&[
                                (self.bits >> 10) as u8,
                                (self.bits >> 2) as u8,
                            ]),
                            _ => {}
                        }
                        (self.bits, self.count) = (0, 0);
                    }
                    b'\n' | b' ' | b'\t' | b'\r' => {}
                    b'-' if self.last != b'-' => {}
                    _ => {
                        self.failed = true;
                        return;
                    }
                }
            }
            self.last = c;
        }
    }

    fn quoted_printable(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        for &c in bytes {
            match c {
                b'=' if self.escape == 0 => self.escape = 1,
                b'=' => {
                    self.failed = true;
                    return;
                }
                b'\n' => {
                    if self.escape == 1 {
                        self.escape = 0;
                    } else {
                        // An escape cut by the line end stays open (as in
                        // the whole parse) and meets the next line.
                        out.truncate(out.len().saturating_sub(self.blanks));
                        out.extend_from_slice(if self.crlf { b"\r\n" } else { b"\n" });
                    }
                    self.blanks = 0;
                }
                b'\r' => self.crlf = true,
                _ => match self.escape {
                    0 => {
                        if c.is_ascii_whitespace() {
                            self.blanks += 1;
                        } else {
                            self.blanks = 0;
                        }
                        out.push(c);
                    }
                    1 => {
                        if hex(c).is_some() {
                            (self.escape, self.hex) = (2, c);
                        } else if !c.is_ascii_whitespace() {
                            self.escape = 0;
                            out.extend_from_slice(&[b'=', c]);
                            self.blanks = 0;
                        }
                    }
                    _ => {
                        self.escape = 0;
                        match quoted_printable_decode_char(self.hex, c) {
                            Some(b) => out.push(b),
                            None => out.extend_from_slice(&[b'=', self.last, c]),
                        }
                        self.blanks = 0;
                    }
                },
            }
            self.last = c;
        }
    }
}

/// A base64 character's value.
fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Whether `c` is a hex digit as quoted-printable reads them.
fn hex(c: u8) -> Option<u8> {
    quoted_printable_decode_char(b'0', c)
}

/// Decoded bytes to text a piece at a time: UTF-8 with invalid sequences
/// replaced as in one go (a character cut between pieces waits for its
/// rest), or a charset of one byte per character.
pub(crate) struct Texts {
    charset: Option<fn(&[u8]) -> String>,
    /// The start of a UTF-8 sequence the last piece ended in.
    rest: Vec<u8>,
}

impl Texts {
    /// The decoder for a part's `charset` attribute; `None` for a charset
    /// whose characters may take several bytes but are not UTF-8 (read
    /// whole).
    pub fn new(charset: Option<&str>) -> Option<Texts> {
        let decoder = charset.and_then(|c| charset_decoder(c.as_bytes()));
        if decoder.is_some() && !charset.is_some_and(one_byte) {
            return None;
        }
        Some(Texts {
            charset: decoder,
            rest: Vec::new(),
        })
    }

    /// UTF-8, invalid sequences replaced.
    pub fn utf8() -> Texts {
        Texts {
            charset: None,
            rest: Vec::new(),
        }
    }

    /// Whether the text is the bytes read as UTF-8.
    pub fn is_utf8(&self) -> bool {
        self.charset.is_none()
    }

    /// Appends the text of `bytes` to `out`; with `last`, what a cut
    /// sequence left too.
    pub fn feed(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        if let Some(decode) = self.charset {
            out.push_str(&decode(bytes));
            return;
        }
        let mut joined;
        let mut bytes = bytes;
        if !self.rest.is_empty() {
            joined = std::mem::take(&mut self.rest);
            joined.extend_from_slice(bytes);
            bytes = &joined[..];
        }
        let keep = if last { 0 } else { cut_sequence(bytes) };
        let (now, later) = bytes.split_at(bytes.len() - keep);
        out.push_str(&String::from_utf8_lossy(now));
        self.rest = later.to_vec();
    }
}

/// How many bytes at the end of `bytes` start a UTF-8 sequence that may
/// still be completed by what follows.
fn cut_sequence(bytes: &[u8]) -> usize {
    let tail = &bytes[bytes.len().saturating_sub(3)..];
    for (k, &b) in tail.iter().enumerate().rev() {
        let need = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            0x80..=0xBF => continue,
            _ => return 0,
        };
        let have = tail.len() - k;
        if have < need && std::str::from_utf8(&tail[k..]).is_err_and(|e| e.error_len().is_none()) {
            return have;
        }
        return 0;
    }
    0
}

/// Whether a charset name (as `mail-parser` normalizes it: lower case,
/// "_" for "-") names one of one byte per character.
fn one_byte(charset: &str) -> bool {
    let name: String = (charset.chars())
        .map(|c| match c {
            '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    ["iso_8859_", "iso8859_", "windows_125", "cp125"]
        .iter()
        .any(|p| name.starts_with(p))
        || ["us_ascii", "ascii", "latin1", "l1"].contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `bytes` decoded in pieces cut at every `step` bytes.
    fn pieces(kind: Transfer, bytes: &[u8], step: usize) -> (Vec<u8>, bool) {
        let mut t = Transfers::new(kind);
        let mut out = Vec::new();
        for piece in bytes.chunks(step.max(1)) {
            t.feed(piece, &mut out);
        }
        (out, t.failed())
    }

    #[test]
    fn a_utf8_character_cut_between_pieces_waits_for_its_rest() {
        let text = "Due 3 März – then 5 Mai 🗓 done";
        for step in 1..8 {
            let mut t = Texts::new(None).unwrap();
            let mut out = String::new();
            let chunks: Vec<&[u8]> = text.as_bytes().chunks(step).collect();
            for (k, c) in chunks.iter().enumerate() {
                t.feed(c, k + 1 == chunks.len(), &mut out);
            }
            assert_eq!(out, text, "pieces of {step}");
        }
    }

    #[test]
    fn invalid_bytes_are_replaced_as_in_one_go() {
        let bytes = b"a\xff\xe2\x82b\xf0\x9f\x97";
        for step in 1..5 {
            let mut t = Texts::new(None).unwrap();
            let mut out = String::new();
            let chunks: Vec<&[u8]> = bytes.chunks(step).collect();
            for (k, c) in chunks.iter().enumerate() {
                t.feed(c, k + 1 == chunks.len(), &mut out);
            }
            assert_eq!(out, String::from_utf8_lossy(bytes), "pieces of {step}");
        }
    }

    #[test]
    fn charsets_of_several_bytes_other_than_utf8_are_not_read_in_pieces() {
        assert!(Texts::new(Some("shift_jis")).is_none());
        assert!(Texts::new(Some("utf-16")).is_none());
        assert!(Texts::new(Some("ISO-8859-1")).is_some());
        assert!(Texts::new(Some("utf-8")).is_some());
        assert!(Texts::new(Some("us-ascii")).is_some());
    }

    #[test]
    fn base64_in_any_pieces_is_base64_whole() {
        let body = b"VGhlIHJldmlldyBpcyBvbiAz\r\nIE1hcmNoLg==\r\nTW9u ZGF5\tIDQ=x\n";
        let whole = pieces(Transfer::Base64, body, body.len());
        for step in 1..9 {
            assert_eq!(pieces(Transfer::Base64, body, step), whole);
        }
        assert!(pieces(Transfer::Base64, b"QUJD\n--x", 3).1);
        assert!(!pieces(Transfer::Base64, b"QUJD\n-x-", 3).1);
    }

    #[test]
    fn quoted_printable_in_any_pieces_is_whole() {
        let body = b"Caf=C3=A9 on 3 March =\r\nat 9  \r\n=ZZ =4 x=\nend=4\n1 =\t\r\n";
        let whole = pieces(Transfer::QuotedPrintable, body, body.len());
        for step in 1..9 {
            assert_eq!(pieces(Transfer::QuotedPrintable, body, step), whole);
        }
        assert!(pieces(Transfer::QuotedPrintable, b"a==b", 1).1);
    }
}
