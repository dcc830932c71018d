//! Splits text into tokens in one pass, looking each word up once.
//!
//! Tokens are words (letters, with inner apostrophes: "o'clock", "he'll"),
//! digit runs, and single punctuation characters. Each keeps its byte span,
//! whether whitespace preceded it, and its lexicon entry, so the grammar
//! works on classified tokens and never re-reads the text.

use crate::engine::lexicon::{Entry, Lexicon};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Number,
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub struct Token<'l> {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Whitespace came before this token.
    pub space_before: bool,
    /// A blank line came before this token: a paragraph starts here.
    pub paragraph: bool,
    /// A line break came before this token.
    pub line_start: bool,
    /// The word starts with an upper-case letter.
    pub capital: bool,
    /// For numbers: the value (saturating) and digit count.
    pub value: u64,
    pub digits: u8,
    /// For punctuation: the character.
    pub ch: char,
    pub entry: Option<&'l Entry>,
}

impl Token<'_> {
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.ch == c
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// The length in bytes of the apostrophe `bytes` starts with, if any.
fn apostrophe_len(bytes: &[u8]) -> Option<usize> {
    const CURLY: &[u8] = "\u{2019}".as_bytes();
    // Tested at every word's end: the first byte decides nearly always.
    match bytes.first()? {
        b'\'' => Some(1),
        &b if b == CURLY[0] && bytes.starts_with(CURLY) => Some(CURLY.len()),
        _ => None,
    }
}

/// Byte classes, looked up once per byte: the scan's inner loops test one
/// table bit instead of chains of range comparisons.
const SPACE: u8 = 1;
const NEWLINE: u8 = 2;
const LETTER: u8 = 4;
const UPPER: u8 = 8;
const DIGIT: u8 = 16;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_whitespace() {
            if c == b'\n' {
                SPACE | NEWLINE
            } else {
                SPACE
            }
        } else if c.is_ascii_uppercase() {
            LETTER | UPPER
        } else if c.is_ascii_lowercase() {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else {
            0
        };
        b += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASS[usize::from(b)]
}

/// Tokenizes `text[from..to]` into `out` (cleared first), with offsets into `text`.
pub fn tokenize<'l>(
    text: &str,
    from: usize,
    to: usize,
    lex: &'l Lexicon,
    out: &mut Vec<Token<'l>>,
) {
    out.clear();
    let to = to.min(text.len());
    // Bounds are checked once here, not at every byte below.
    let bytes = &text.as_bytes()[..to];
    let mut i = from;
    let mut space = true;
    let mut newlines = 2u32;
    while let Some(&b) = bytes.get(i) {
        let c = class(b);
        if c & SPACE != 0 {
            newlines += u32::from(c & NEWLINE != 0);
            space = true;
            i += 1;
            continue;
        }
        let start = i;
        let mut tok = Token {
            start,
            end: start,
            kind: Kind::Punct,
            space_before: space,
            paragraph: newlines >= 2,
            line_start: newlines >= 1,
            capital: false,
            value: 0,
            digits: 0,
            ch: ' ',
            entry: None,
        };
        if c & LETTER != 0 {
            i = letters_end(bytes, i + 1);
            loop {
                // An apostrophe between letters stays inside the word.
                // Tested on bytes: decoding a character at every word's
                // end cost more than the test.
                if let Some(len) = apostrophe_len(&bytes[i..]) {
                    let after = i + len;
                    let next = bytes.get(after).copied();
                    // The possessive "'s" is a token of its own, so that
                    // "Tuesday's vote" still shows "Tuesday".
                    let possessive = matches!(next, Some(b's' | b'S'))
                        && !text
                            .as_bytes()
                            .get(after + 1)
                            .is_some_and(|b| b.is_ascii_alphabetic());
                    if possessive && lex.get_at(text, start, i).is_some() {
                        break;
                    }
                    if next.is_some_and(|b| class(b) & LETTER != 0) {
                        i = letters_end(bytes, after + 1);
                        continue;
                    }
                }
                break;
            }
            tok.kind = Kind::Word;
            tok.capital = c & UPPER != 0;
            tok.entry = lex.get_at(text, start, i);
        } else if c & DIGIT != 0 {
            let mut value = u64::from(b - b'0');
            i += 1;
            while let Some(&d) = bytes.get(i) {
                if !d.is_ascii_digit() {
                    break;
                }
                value = value.saturating_mul(10).saturating_add(u64::from(d - b'0'));
                i += 1;
            }
            tok.kind = Kind::Number;
            tok.value = value;
            tok.digits = (i - start).min(255) as u8;
        } else {
            // One character of punctuation or any other symbol.
            let ch = if b.is_ascii() {
                char::from(b)
            } else {
                text[i..to].chars().next().unwrap_or(' ')
            };
            i += ch.len_utf8();
            tok.ch = ch;
            if is_apostrophe(ch) && bytes.get(i).is_some_and(|&b| class(b) & LETTER != 0) {
                // A leading apostrophe word: "'ll", "'s", "'90s" is handled as punct + number.
                let j = letters_end(bytes, i + 1);
                if let Some(e) = lex.get_at(text, start, j) {
                    tok.kind = Kind::Word;
                    tok.entry = Some(e);
                    i = j;
                }
            }
        }
        tok.end = i;
        out.push(tok);
        space = false;
        newlines = 0;
    }
}

/// The end of the run of ASCII letters at or after `i`.
///
/// Eight bytes at a time while eight remain: every word is scanned to its
/// end, a table look-up and a test per letter cost more than the tests of
/// a whole word. Per byte, with `y` the byte folded to lower case and its
/// top bit cleared: adding 0x1f sets the top bit when `y >= b'a'`, adding
/// 0x05 when `y > b'z'` (neither sum carries out of its byte), and a byte
/// with its own top bit set is no ASCII letter.
fn letters_end(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = ONES * 0x80;
    const CASE: u64 = ONES * 0x20;
    const LOW7: u64 = ONES * 0x7f;
    const FROM_A: u64 = ONES * 0x1f;
    const PAST_Z: u64 = ONES * 0x05;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let y = (x | CASE) & LOW7;
        let letters = (y + FROM_A) & !(y + PAST_Z) & !x & HIGHS;
        let others = !letters & HIGHS;
        if others != 0 {
            return i + (others.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| class(b) & LETTER != 0) {
        i += 1;
    }
    i
}

/// Splits a document into blocks that the grammar can handle one at a time:
/// paragraphs, with over-long ones cut at whitespace (or, with none, at
/// `max_len`), so memory stays bounded on a 100 MB line and no expression
/// is cut in half.
pub fn blocks(text: &str, max_len: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let limit = (start + max_len).min(bytes.len());
        let window = &bytes[start..limit];
        let mut end = match find_blank_line(window) {
            Some(k) => start + k,
            None => limit,
        };
        if end < bytes.len() && end == limit {
            // Cut at the last whitespace inside the window; a window without
            // any (30 MB of punctuation) is cut where it ends, so no block
            // outgrows it: no date is that long.
            end = match window.iter().rposition(|b| b.is_ascii_whitespace()) {
                Some(k) if k > 0 => start + k,
                _ => limit,
            };
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        pos = end.max(start + 1);
        while !text.is_char_boundary(pos) {
            pos += 1;
        }
        Some((start, pos.min(bytes.len())))
    })
}

/// The end of the first blank line in `window` after its first byte: the
/// index after the second of two line breaks with only spaces, tabs or
/// carriage returns between them.
fn find_blank_line(window: &[u8]) -> Option<usize> {
    // The first of the two breaks is neither the window's first byte (that
    // one starts no paragraph here) nor its last.
    let searched = &window[..window.len().saturating_sub(1)];
    let mut k = 1;
    while let Some(at) = next_newline(searched, k) {
        let mut j = at + 1;
        while j < window.len() && matches!(window[j], b' ' | b'\t' | b'\r') {
            j += 1;
        }
        if j < window.len() && window[j] == b'\n' {
            return Some(j + 1);
        }
        k = at + 1;
    }
    None
}

/// The first `\n` at or after `from`: blocks are scanned for nothing
/// else, and memchr tests many bytes at a time.
fn next_newline(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memchr(b'\n', bytes.get(from..)?).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::{apostrophe_len, find_blank_line, is_apostrophe, Kind, Token};
    use crate::engine::lexicon::Lexicon;

    /// The byte-at-a-time scan `find_blank_line` replaced.
    fn reference(window: &[u8]) -> Option<usize> {
        let mut k = 0;
        while k + 1 < window.len() {
            if window[k] == b'\n' {
                let mut j = k + 1;
                while j < window.len() && matches!(window[j], b' ' | b'\t' | b'\r') {
                    j += 1;
                }
                if j < window.len() && window[j] == b'\n' && k > 0 {
                    return Some(j + 1);
                }
            }
            k += 1;
        }
        None
    }

    #[test]
    fn a_run_of_letters_ends_at_the_first_byte_that_is_none() {
        let byte_by_byte = |bytes: &[u8], mut i: usize| {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            i
        };
        // Every byte value after runs of letters of every length that
        // crosses an eight-byte chunk, from every start.
        for b in 0..=255u8 {
            for run in 0..20 {
                let mut v: Vec<u8> = (0..run).map(|k| b"aZqM"[k % 4]).collect();
                v.push(b);
                v.extend_from_slice(b"tail of letters");
                for from in 0..v.len() {
                    assert_eq!(
                        super::letters_end(&v, from),
                        byte_by_byte(&v, from),
                        "byte {b:#x} after {run} letters, from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn blank_lines_are_found_as_before() {
        // Every string of up to 7 bytes over a small alphabet, and longer ones
        // that cross the eight-byte chunks at every offset.
        let alphabet = [b'\n', b' ', b'\r', b'a'];
        let mut cases: Vec<Vec<u8>> = vec![Vec::new()];
        for len in 1..=7u32 {
            for n in 0..4usize.pow(len) {
                let mut m = n;
                cases.push(
                    (0..len)
                        .map(|_| {
                            let b = alphabet[m % 4];
                            m /= 4;
                            b
                        })
                        .collect(),
                );
            }
        }
        for pad in 0..20 {
            for tail in ["\n\n", "\n \t\r\n", "\nx\n", "\n", ""] {
                let mut v = vec![b'x'; pad];
                v.extend_from_slice(tail.as_bytes());
                v.extend_from_slice(b"more text");
                cases.push(v.clone());
                v.insert(0, b'\n');
                cases.push(v);
            }
        }
        for case in &cases {
            assert_eq!(find_blank_line(case), reference(case), "{case:?}");
        }
    }

    /// The tokenizer before its byte-class table: every token, span and
    /// lexicon entry must come out the same.
    #[rustfmt::skip]
    fn reference_tokens<'l>(
        text: &str,
        from: usize,
        to: usize,
        lex: &'l Lexicon,
        out: &mut Vec<Token<'l>>,
    ) {
        out.clear();
        let bytes = text.as_bytes();
        let mut i = from;
        let mut space = true;
        let mut newlines = 2u32;
        while i < to {
            let b = bytes[i];
            if b.is_ascii_whitespace() {
                if b == b'\n' {
                    newlines += 1;
                }
                space = true;
                i += 1;
                continue;
            }
            let start = i;
            let mut tok = Token {
                start,
                end: start,
                kind: Kind::Punct,
                space_before: space,
                paragraph: newlines >= 2,
                line_start: newlines >= 1,
                capital: false,
                value: 0,
                digits: 0,
                ch: ' ',
                entry: None,
            };
            if b.is_ascii_alphabetic() {
                i += 1;
                loop {
                    while i < to && bytes[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    // An apostrophe between letters stays inside the word.
                    // Tested on bytes: decoding a character at every word's
                    // end cost more than the test.
                    if let Some(len) = apostrophe_len(&bytes[i..to]) {
                        let after = i + len;
                        // The possessive "'s" is a token of its own, so that
                        // "Tuesday's vote" still shows "Tuesday".
                        let possessive = after < to
                            && (bytes[after] == b's' || bytes[after] == b'S')
                            && !bytes
                                .get(after + 1)
                                .is_some_and(|b| b.is_ascii_alphabetic());
                        if possessive && lex.get_at(text, start, i).is_some() {
                            break;
                        }
                        if after < to && bytes[after].is_ascii_alphabetic() {
                            i = after;
                            continue;
                        }
                    }
                    break;
                }
                tok.kind = Kind::Word;
                tok.capital = b.is_ascii_uppercase();
                tok.entry = lex.get_at(text, start, i);
            } else if b.is_ascii_digit() {
                let mut value: u64 = 0;
                while i < to && bytes[i].is_ascii_digit() {
                    value = value
                        .saturating_mul(10)
                        .saturating_add(u64::from(bytes[i] - b'0'));
                    i += 1;
                }
                tok.kind = Kind::Number;
                tok.value = value;
                tok.digits = (i - start).min(255) as u8;
            } else {
                // One character of punctuation or any other symbol.
                let c = text[i..to].chars().next().unwrap_or(' ');
                i += c.len_utf8().max(1);
                tok.ch = c;
                if is_apostrophe(c) && i < to && bytes[i].is_ascii_alphabetic() {
                    // A leading apostrophe word: "'ll", "'s", "'90s" is handled as punct + number.
                    let mut j = i;
                    while j < to && bytes[j].is_ascii_alphabetic() {
                        j += 1;
                    }
                    if let Some(e) = lex.get_at(text, start, j) {
                        tok.kind = Kind::Word;
                        tok.entry = Some(e);
                        i = j;
                    }
                }
            }
            tok.end = i;
            out.push(tok);
            space = false;
            newlines = 0;
        }
    }

    #[test]
    fn tokens_are_the_same_as_before() {
        use super::tokenize;
        let lex = crate::engine::english();
        let pieces = [
            "Tuesday",
            "'s",
            "’s",
            "o'clock",
            "O’Neill",
            "'90s",
            "'ll",
            "1,050",
            "3.5",
            " ",
            "\n",
            "\n\n",
            "May",
            "2014-10-14",
            "ümlaut",
            "—",
            "l'",
            "x",
            "\t",
            "12:30",
            "p.m.",
            "rock'n'roll",
            "a'",
            "'",
            "’",
            "9",
            "S",
            "s",
            "Dec.",
            "\r\n",
        ];
        // Strings of up to four pieces, and every cut of each into a block.
        let mut texts = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                    texts.push(format!("{a}{b} {c}{a}"));
                }
            }
        }
        let (mut got, mut want) = (Vec::new(), Vec::new());
        for text in &texts {
            for from in (0..=text.len()).filter(|&k| text.is_char_boundary(k)) {
                for to in (from..=text.len()).filter(|&k| text.is_char_boundary(k)) {
                    tokenize(text, from, to, lex, &mut got);
                    reference_tokens(text, from, to, lex, &mut want);
                    let key = |t: &Token| {
                        (
                            t.start,
                            t.end,
                            t.kind,
                            t.space_before,
                            t.paragraph,
                            t.line_start,
                            t.capital,
                            t.value,
                            t.digits,
                            t.ch,
                            t.entry.map(|e| e as *const _),
                        )
                    };
                    assert!(
                        got.iter().map(key).eq(want.iter().map(key)),
                        "{text:?} {from}..{to}"
                    );
                }
            }
        }
    }
}
