//! A JSON string decoded where it lies, for a JSONL line's `"text"`.
//!
//! serde_json decodes a string with escapes into a scratch buffer and then
//! copies it into a `String`: a 50 MB document line was held three times
//! (line, scratch, text). Every escape is at least as long as what it
//! stands for, so the decoded text fits in the bytes of the encoded one,
//! written from the front as they are read: the line's own buffer holds
//! the text, and a line costs its length once.

/// Decodes the body of a JSON string (the bytes between its quotes) in
/// place and returns the decoded length: `buf[..len]` is the text. The body
/// must be valid UTF-8 (escapes then give valid UTF-8 too). A malformed
/// escape or a lone surrogate (`\ud800` not followed by its pair) is an
/// error, as serde_json would make it.
pub(super) fn decode_in_place(buf: &mut [u8]) -> Result<usize, String> {
    let (mut read, mut write) = (0, 0);
    while read < buf.len() {
        // Runs without escapes are moved whole (not at all before the
        // first escape).
        let run = memchr::memchr(b'\\', &buf[read..]).unwrap_or(buf.len() - read);
        if write < read {
            buf.copy_within(read..read + run, write);
        }
        read += run;
        write += run;
        if read == buf.len() {
            break;
        }
        let escape = *buf
            .get(read + 1)
            .ok_or("a string ends in a lone backslash")?;
        read += 2;
        let byte = match escape {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let c = code_point(buf, &mut read)?;
                let mut utf8 = [0u8; 4];
                let bytes = c.encode_utf8(&mut utf8).as_bytes();
                // Six or twelve bytes read, at most four written.
                buf[write..write + bytes.len()].copy_from_slice(bytes);
                write += bytes.len();
                continue;
            }
            other => return Err(format!("unknown escape \\{}", other as char)),
        };
        buf[write] = byte;
        write += 1;
    }
    Ok(write)
}

/// The character of a `\u` escape whose four hex digits start at `*at`,
/// with the low half of a surrogate pair read too; `*at` moves past them.
fn code_point(buf: &[u8], at: &mut usize) -> Result<char, String> {
    let first = hex4_at(buf, *at)?;
    *at += 4;
    if !(0xd800..0xe000).contains(&first) {
        return char::from_u32(first).ok_or_else(|| "bad \\u escape".to_string());
    }
    if first >= 0xdc00 || buf.get(*at..*at + 2) != Some(b"\\u") {
        return Err(lone(first));
    }
    let second = hex4_at(buf, *at + 2)?;
    if !(0xdc00..0xe000).contains(&second) {
        return Err(lone(first));
    }
    *at += 6;
    char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
        .ok_or_else(|| "bad \\u escape".to_string())
}

fn lone(first: u32) -> String {
    format!("lone surrogate \\u{first:04x} in a \\u escape")
}

fn hex4_at(buf: &[u8], at: usize) -> Result<u32, String> {
    let digits = buf.get(at..at + 4).ok_or("a \\u escape is cut short")?;
    digits.iter().try_fold(0u32, |n, &d| {
        let v = (d as char)
            .to_digit(16)
            .ok_or_else(|| "a \\u escape has a non-hex digit".to_string())?;
        Ok(n * 16 + v)
    })
}

/// How far a refused string is kept from the refused byte on: past the
/// longest escape (`\ud83d\ude00`), so serde_json, given it, names the
/// same fault.
const PIECE: usize = 16;

/// A JSON string's body decoded as it arrives in pieces, for a line too
/// long to hold: the text [`decode_in_place`] gives for the whole body
/// after invalid UTF-8 was replaced (U+FFFD, as `String::from_utf8_lossy`
/// replaces it), whatever the cuts between the pieces. The line is never
/// parsed whole, so this also checks what serde_json checks of a string:
/// no raw control character, known escapes, four hex digits.
#[derive(Default)]
pub(super) struct Decoder {
    /// The bytes of an escape or a character cut by the end of a piece.
    carry: Vec<u8>,
    /// The body's length so far with invalid UTF-8 replaced: serde_json
    /// reads the line so replaced, and counts its columns in it.
    lossy: usize,
    /// The first thing serde_json refuses: where it is (in `lossy` bytes)
    /// and the bytes from it on, enough for serde_json to name the fault.
    pub refused: Option<(usize, Vec<u8>)>,
    /// The first thing decoding refuses that serde_json lets through (a
    /// lone surrogate). Nothing more is decoded; checking goes on.
    pub broken: Option<String>,
    /// Only check: nothing is written out (where the text is not wanted).
    pub quiet: bool,
}

/// What came of reading one escape.
enum Escape {
    /// Its length.
    Read(usize),
    /// Cut by the end of the piece.
    Short,
    /// Refused by serde_json, from this far in.
    Refused(usize),
}

/// Four hex digits, or why not.
enum Hex {
    Value(u32),
    Short,
    Bad,
}

impl Decoder {
    /// A decoder; a `quiet` one only checks.
    pub(super) fn new(quiet: bool) -> Decoder {
        Decoder {
            quiet,
            ..Decoder::default()
        }
    }

    /// Decodes the next piece of the body onto `out`.
    pub(super) fn push(&mut self, bytes: &[u8], out: &mut String) {
        self.step(bytes, false, out);
    }

    /// Ends the body: what was cut short is decoded (or refused) as it is.
    pub(super) fn finish(&mut self, out: &mut String) {
        self.step(&[], true, out);
    }

    /// The body's length once finished, as serde_json counts it.
    pub(super) fn lossy_len(&self) -> usize {
        self.lossy
    }

    fn step(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        if let Some((_, piece)) = &mut self.refused {
            let room = PIECE.saturating_sub(piece.len()).min(bytes.len());
            piece.extend_from_slice(&bytes[..room]);
            return;
        }
        if self.carry.is_empty() {
            let used = self.decode(bytes, last, out);
            if self.refused.is_none() {
                self.carry.extend_from_slice(&bytes[used..]);
            }
        } else {
            // A few bytes carried: the piece is read on from them, in a
            // copy (a cut falls in an escape or character now and then).
            let mut work = std::mem::take(&mut self.carry);
            work.extend_from_slice(bytes);
            let used = self.decode(&work, last, out);
            if self.refused.is_none() {
                work.drain(..used);
                self.carry = work;
            }
        }
    }

    /// Decodes `input` up to what a later piece may complete (all of it
    /// when `last`); returns how far.
    fn decode(&mut self, input: &[u8], last: bool, out: &mut String) -> usize {
        let mut at = 0;
        while at < input.len() {
            let run = (input[at..].iter())
                .position(|&b| b == b'\\' || b < 0x20)
                .map_or(input.len(), |k| at + k);
            if run > at {
                let open = run == input.len() && !last;
                match self.plain(&input[at..run], open, out) {
                    Some(used) => return at + used,
                    None => at = run,
                }
                continue;
            }
            if input[at] != b'\\' {
                self.refuse(input, at, 0);
                return at;
            }
            match self.escape(&input[at..], last, out) {
                Escape::Read(len) => {
                    self.lossy += len;
                    at += len;
                }
                Escape::Short => return at,
                Escape::Refused(k) => {
                    self.refuse(input, at + k, k);
                    return at;
                }
            }
        }
        at
    }

    /// Bytes without escapes, invalid UTF-8 replaced; with `open`, a
    /// character cut at their end waits: how far they were read, then.
    fn plain(&mut self, mut bytes: &[u8], open: bool, out: &mut String) -> Option<usize> {
        let mut used = 0;
        loop {
            let (good, bad) = match std::str::from_utf8(bytes) {
                Ok(s) => (s, None),
                Err(e) => {
                    let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
                    (valid, Some(e.error_len()))
                }
            };
            self.emit(good, out);
            let bad = bad?;
            let cut = match bad {
                Some(len) => good.len() + len,
                None if open => return Some(used + good.len()),
                None => bytes.len(),
            };
            self.emit("\u{fffd}", out);
            used += cut;
            bytes = &bytes[cut..];
        }
    }

    fn emit(&mut self, s: &str, out: &mut String) {
        self.lossy += s.len();
        if self.broken.is_none() && !self.quiet {
            out.push_str(s);
        }
    }

    /// The escape `e` starts with (its backslash), written onto `out`.
    fn escape(&mut self, e: &[u8], last: bool, out: &mut String) -> Escape {
        let Some(&kind) = e.get(1) else {
            return if last {
                Escape::Refused(0)
            } else {
                Escape::Short
            };
        };
        let c = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode(e, last, out),
            _ => return Escape::Refused(0),
        };
        self.char(c, out);
        Escape::Read(2)
    }

    /// A `\u` escape, with the low half of a surrogate pair after it.
    fn unicode(&mut self, e: &[u8], last: bool, out: &mut String) -> Escape {
        let first = match hex4(e, 2, last) {
            Hex::Value(v) => v,
            Hex::Short => return Escape::Short,
            Hex::Bad => return Escape::Refused(0),
        };
        if !(0xd800..0xe000).contains(&first) {
            // Not a surrogate: always a character.
            self.char(char::from_u32(first).unwrap_or('\u{fffd}'), out);
            return Escape::Read(6);
        }
        let paired = first < 0xdc00 && e.get(6..8) == Some(b"\\u");
        if first < 0xdc00 && !paired && !last && (e.len() == 6 || e.get(6..) == Some(b"\\")) {
            return Escape::Short;
        }
        if paired {
            match hex4(e, 8, last) {
                Hex::Short => return Escape::Short,
                // serde_json reads the second escape on its own.
                Hex::Bad => return Escape::Refused(6),
                Hex::Value(second) if (0xdc00..0xe000).contains(&second) => {
                    let c = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                    self.char(char::from_u32(c).unwrap_or('\u{fffd}'), out);
                    return Escape::Read(12);
                }
                Hex::Value(_) => {}
            }
        }
        // Lone: the escape after it, if any, is read on its own.
        self.broken.get_or_insert_with(|| lone(first));
        Escape::Read(6)
    }

    fn char(&mut self, c: char, out: &mut String) {
        if self.broken.is_none() && !self.quiet {
            out.push(c);
        }
    }

    /// serde_json refuses `input` at `at`, `k` bytes into an escape.
    fn refuse(&mut self, input: &[u8], at: usize, k: usize) {
        let end = input.len().min(at + PIECE);
        self.refused = Some((self.lossy + k, input[at..end].to_vec()));
    }
}

/// The four hex digits at `at` of an escape; `Short` if the piece ends
/// before them (and they could still be right).
fn hex4(e: &[u8], at: usize, last: bool) -> Hex {
    let digits = e.get(at..).unwrap_or(&[]);
    let digits = &digits[..digits.len().min(4)];
    let mut v = 0;
    for &d in digits {
        match (d as char).to_digit(16) {
            Some(x) => v = v * 16 + x,
            None => return Hex::Bad,
        }
    }
    match digits.len() {
        4 => Hex::Value(v),
        _ if last => Hex::Bad,
        _ => Hex::Short,
    }
}

#[cfg(test)]
mod tests {
    use super::{decode_in_place, Decoder};

    fn decoded(body: &str) -> Result<String, String> {
        let mut buf = body.as_bytes().to_vec();
        let len = decode_in_place(&mut buf)?;
        Ok(String::from_utf8(buf[..len].to_vec()).expect("valid UTF-8"))
    }

    /// serde_json's reading of the same string.
    fn serde(body: &str) -> Result<String, String> {
        serde_json::from_str::<String>(&format!("\"{body}\"")).map_err(|e| e.to_string())
    }

    #[test]
    fn strings_decode_as_serde_json_decodes_them() {
        let cases = [
            "",
            "plain text, no escapes",
            r#"a \"quote\" and a \\ backslash \/ slash"#,
            r"lines\nand\ttabs\r\n\b\f",
            r"\u00e9t\u00E9 \u2019 \u20ac",
            r"\ud83d\ude00 a pair, \uD83D\uDE00 in capitals",
            "caf\u{e9} written raw, then \\u00e9",
            r"\\u0041 is not an escape",
            r"\u0000 nul",
            r"ends with \n",
        ];
        for body in cases {
            assert_eq!(decoded(body), serde(body), "{body}");
        }
    }

    #[test]
    fn broken_escapes_are_errors() {
        for body in [
            r"\ud800 alone",
            r"\udc00 low first",
            r"\ud800\u0041 unpaired",
            r"\u12",
            r"\u12G4",
            r"\x",
            "\\",
        ] {
            assert!(decoded(body).is_err(), "{body}");
            assert!(serde(body).is_err(), "{body}");
        }
    }

    /// The body fed to a [`Decoder`] in pieces cut at `cuts`: the text,
    /// or where serde_json refuses it and the bytes from there, or the
    /// decoding error.
    fn in_pieces(body: &[u8], cuts: &[usize]) -> Result<String, String> {
        let mut d = Decoder::default();
        let mut out = String::new();
        let mut from = 0;
        for &cut in cuts.iter().chain([&body.len()]) {
            d.push(&body[from..cut], &mut out);
            from = cut;
        }
        d.finish(&mut out);
        match (d.refused, d.broken) {
            (Some((at, piece)), _) => Err(format!("refused at {at}: {piece:?}")),
            (None, Some(e)) => Err(e),
            (None, None) => {
                assert_eq!(d.lossy, String::from_utf8_lossy(body).len());
                Ok(out)
            }
        }
    }

    /// What a whole line's reading gives: serde_json's check of the
    /// string, then [`decode_in_place`] of it with invalid UTF-8 replaced.
    fn whole(body: &[u8]) -> Result<String, String> {
        let lossy = String::from_utf8_lossy(body);
        if let Err(e) =
            serde_json::from_str::<&serde_json::value::RawValue>(&format!("\"{lossy}\""))
        {
            return Err(format!("serde: {e}"));
        }
        decoded(&lossy)
    }

    #[test]
    fn a_string_in_pieces_decodes_as_it_does_whole() {
        let bodies: [&[u8]; 16] = [
            br#"Caf\u00e9 \"Ost\"\nMonday \ud83d\ude00 and \uD83D\uDE00."#,
            "caf\u{e9} \u{20ac}\u{1f600} raw, \\\\ and \\/".as_bytes(),
            b"bad \xff byte, cut \xe2\x82 euro, \xf0\x9f\x98 face\xe2",
            b"\xe2\x82\\n cut before an escape",
            br"\ud800 alone, \udc00 low, \ud800\u0041 unpaired, \ud800",
            br"\ud800\\ then a backslash",
            br"tab	raw",
            b"line\nbreak",
            br"\x unknown",
            br"\u12G4 not hex",
            br"\ud800\u12G4 second not hex",
            br"ends in \u12",
            br"ends in \",
            br"ends in \ud83d\u",
            br"",
            br"\ud800 lone, then \q refused",
        ];
        for body in bodies {
            let want = whole(body);
            let got = in_pieces(body, &[]);
            assert_eq!(got.is_ok(), want.is_ok(), "{body:?}: {got:?} {want:?}");
            // serde_json's refusals are named by serde_json itself, later.
            if !want.as_ref().is_err_and(|e| e.starts_with("serde")) {
                assert_eq!(got, want, "{body:?}");
            }
            // Every cut in one place and in two, and a byte at a time.
            for a in 0..=body.len() {
                assert_eq!(in_pieces(body, &[a]), got, "{body:?} cut at {a}");
                for b in a..=body.len().min(a + 13) {
                    assert_eq!(in_pieces(body, &[a, b]), got, "{body:?} cut at {a}, {b}");
                }
            }
            let every: Vec<usize> = (1..body.len()).collect();
            assert_eq!(in_pieces(body, &every), got, "{body:?} byte by byte");
        }
    }
}
