//! iCalendar content lines written directly (RFC 5545 §3.1): a name,
//! parameters, a value; TEXT escaped, lines folded at 75 octets on UTF-8
//! character boundaries, CRLF line ends.
//!
//! The feed used to be rendered through the `icalendar` crate and
//! re-folded; this writes the same bytes without building a component per
//! event (`ics_crate_tests.rs` compares the two).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};

/// The longest content line, in octets, before it is folded.
const FOLD_OCTETS: usize = 75;

/// A document being written: `out` holds the finished (folded) lines,
/// then, from `start`, the line being built. A line is built where it
/// ends up: only one longer than a line may be (a description), or one
/// holding a CR, is moved out to be folded (copying each short line
/// once more was a tenth of an export).
#[derive(Default)]
pub(super) struct Lines {
    pub out: String,
    /// Where the line being built starts in `out`.
    line_at: usize,
    /// Whether the line being built holds a CR: only text written as
    /// given can bring one (cleaned text never does), so it is looked
    /// for there and not in every finished line (a description is most
    /// of a feed's bytes).
    cr: bool,
    /// Room for a line moved out of `out` to be folded.
    held: String,
    /// The last few days written, as written: each event writes its start,
    /// end and stamp days, and events of one day come together.
    days: [(Option<NaiveDate>, String); DAYS_KEPT],
    /// Which of `days` a day not among them replaces.
    next_day: usize,
}

/// How many days [`Lines`] keeps written.
const DAYS_KEPT: usize = 4;

impl Lines {
    /// Starts a content line with its property name.
    pub fn start(&mut self, name: &str) -> &mut Self {
        self.line_at = self.out.len();
        self.out.push_str(name);
        self.cr = has_cr(name);
        self
    }

    /// A parameter, double-quoted where its value holds `:`, `;` or `,`
    /// (unless it is quoted already), as the crate wrote it.
    pub fn param(&mut self, key: &str, value: &str) -> &mut Self {
        // One look at each byte of the value for both questions (a search
        // for three characters decoded it character by character).
        let (mut cr, mut special) = (has_cr(key), false);
        for &b in value.as_bytes() {
            cr |= b == b'\r';
            special |= matches!(b, b':' | b';' | b',');
        }
        self.cr |= cr;
        let l = &mut self.out;
        l.push(';');
        l.push_str(key);
        l.push('=');
        let quoted = value.starts_with('"') && value.ends_with('"');
        if !quoted && special {
            l.push('"');
            l.push_str(value);
            l.push('"');
        } else {
            l.push_str(value);
        }
        self
    }

    /// `;VALUE=DATE`, the parameter of every all-day start and end: a
    /// literal with nothing to look for (two per event took a twentieth
    /// of an export through [`Lines::param`]).
    pub fn value_date(&mut self) -> &mut Self {
        self.out.push_str(";VALUE=DATE");
        self
    }

    /// The `:` between name (and parameters) and value.
    pub fn colon(&mut self) -> &mut Self {
        self.out.push(':');
        self
    }

    /// Value text written as given.
    pub fn raw(&mut self, s: &str) -> &mut Self {
        self.cr |= has_cr(s);
        self.out.push_str(s);
        self
    }

    /// A word of this module's callers' own making (a kind's name): no
    /// CR and nothing to escape, so nothing to look for.
    pub fn word(&mut self, word: &'static str) -> &mut Self {
        self.out.push_str(word);
        self
    }

    /// TEXT escaped (§3.3.11): backslash, semicolon, comma, newline.
    pub fn escaped(&mut self, s: &str) -> &mut Self {
        // Escaping keeps a CR as it is.
        self.cr |= has_cr(s);
        escape_into(s, &mut self.out);
        self
    }

    /// Text cleaned as [`clean_text`] does, then escaped, in one pass.
    pub fn clean_escaped(&mut self, s: &str) -> &mut Self {
        push_text(s, true, &mut self.out);
        self
    }

    /// A DATE value, `YYYYMMDD`.
    pub fn date(&mut self, d: NaiveDate) -> &mut Self {
        if let Some((_, text)) = self.days.iter().find(|(day, _)| *day == Some(d)) {
            self.out.push_str(text);
            return self;
        }
        let (day, text) = &mut self.days[self.next_day % DAYS_KEPT];
        self.next_day = self.next_day.wrapping_add(1);
        *day = Some(d);
        text.clear();
        push_date(text, d);
        self.out.push_str(text);
        self
    }

    /// A local (floating or TZID) DATE-TIME, `YYYYMMDDTHHMMSS`.
    pub fn date_time(&mut self, t: NaiveDateTime) -> &mut Self {
        self.date(t.date());
        let time = t.time();
        if time.nanosecond() >= 1_000_000_000 {
            // A leap second: chrono writes it as second 60.
            self.out.push_str(&time.format("T%H%M%S").to_string());
        } else {
            let mut digits = *b"T000000";
            put_digits(&mut digits[1..3], time.hour());
            put_digits(&mut digits[3..5], time.minute());
            put_digits(&mut digits[5..], time.second());
            push_ascii(&mut self.out, &digits);
        }
        self
    }

    /// A UTC DATE-TIME, `YYYYMMDDTHHMMSSZ`.
    pub fn utc(&mut self, t: DateTime<Utc>) -> &mut Self {
        self.date_time(t.naive_utc());
        self.out.push('Z');
        self
    }

    /// Ends the line: folded with its CRLF. A line that needs no fold
    /// (most) is left where it was built; a longer one keeps its first
    /// piece there, and only the rest is moved out to be folded after it.
    pub fn end(&mut self) {
        let built = self.out.len().saturating_sub(self.line_at);
        if !self.cr && built <= FOLD_OCTETS {
            self.out.push_str("\r\n");
            return;
        }
        let mut cut = match self.cr {
            true => self.line_at,
            false => self.line_at + FOLD_OCTETS,
        };
        while !self.out.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut rest = std::mem::take(&mut self.held);
        rest.clear();
        rest.push_str(self.out.get(cut..).unwrap_or_default());
        self.out.truncate(cut);
        if self.cr {
            resplit_into(&rest, &mut self.out);
        } else {
            self.out.push_str("\r\n ");
            fold_with(&rest, FOLD_OCTETS - 1, &mut self.out);
        }
        self.held = rest;
    }

    /// A whole line of this module's callers' own making, a literal
    /// with its CRLF and no other CR: nothing to look for, and written
    /// in one piece (unless it is too long, which none is).
    pub fn whole(&mut self, line: &'static str) {
        match line.strip_suffix("\r\n") {
            Some(bare) if bare.len() <= FOLD_OCTETS => self.out.push_str(line),
            Some(bare) => fold_into(bare, &mut self.out),
            None => fold_into(line, &mut self.out),
        }
    }

    /// A number, in decimal.
    pub fn number(&mut self, n: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let digits = crate::engine::resolve::decimal(n, &mut digits);
        push_ascii(&mut self.out, digits);
        self
    }

    /// A DURATION value, as [`super::ical::ical_duration`] writes it.
    pub fn duration(&mut self, d: chrono::Duration) -> &mut Self {
        super::ical::push_ical_duration(&mut self.out, d);
        self
    }

    /// A whole line `NAME:value`, the value written as given.
    pub fn prop(&mut self, name: &str, value: &str) {
        self.start(name).colon().raw(value).end();
    }

    /// A whole line `NAME:value`, the value escaped as TEXT.
    pub fn text(&mut self, name: &str, value: &str) {
        self.start(name).colon().escaped(value).end();
    }
}

/// A DATE value, `YYYYMMDD`, appended to `out`.
fn push_date(out: &mut String, d: NaiveDate) {
    let y = d.year();
    if (0..=9999).contains(&y) {
        let mut digits = [0u8; 8];
        put_digits(&mut digits[..4], y.unsigned_abs());
        put_digits(&mut digits[4..6], d.month());
        put_digits(&mut digits[6..], d.day());
        push_ascii(out, &digits);
    } else {
        // chrono's signed, widened years, as the crate wrote them.
        out.push_str(&d.format("%Y%m%d").to_string());
    }
}

fn has_cr(s: &str) -> bool {
    s.as_bytes().contains(&b'\r')
}

/// ASCII bytes pushed as characters: checking eight digits as UTF-8 took
/// longer than pushing them.
fn push_ascii(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len());
    out.extend(bytes.iter().map(|&b| char::from(b)));
}

/// `n`'s last `out.len()` decimal digits into `out` (callers keep it in
/// range).
fn put_digits(out: &mut [u8], mut n: u32) {
    for digit in out.iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// Whether each of the 8 bytes of `w` is printable ASCII other than
/// `\\`, `,` and `;`: ordinary text to [`push_text`], whether or not it
/// cleans. Each test sets a byte's high bit where it finds one: below
/// 0x20, equal to 0x7f or a special (by the zero byte of `w ^ c`), or
/// non-ASCII.
fn ordinary_word(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let found = w
        | below_space
        | zero_byte(w ^ (ONES * 0x7f))
        | zero_byte(w ^ (ONES * u64::from(b'\\')))
        | zero_byte(w ^ (ONES * u64::from(b',')))
        | zero_byte(w ^ (ONES * u64::from(b';')));
    found & HIGH == 0
}

pub(super) fn escape_into(s: &str, out: &mut String) {
    push_text(s, false, out);
}

/// Bytes [`push_text`] stops at: those TEXT escapes, and those cleaning
/// may drop (controls, and 0xC2, the lead byte of the C1 controls).
const ESCAPED: u8 = 1;
const CONTROL: u8 = 2;

static TEXT_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if matches!(c, b'\\' | b',' | b';' | b'\n') {
            t[b] |= ESCAPED;
        }
        if c < 0x20 || c == 0x7f || c == 0xC2 {
            t[b] |= CONTROL;
        }
        b += 1;
    }
    t
};

/// Escapes `s` onto `out`, first cleaning it as [`clean_text`] does when
/// `clean`. Runs of ordinary text are copied whole: only ASCII and the C1
/// controls (U+0080–U+009F, lead byte 0xC2) need a look, and a byte is
/// told ordinary by one table look-up (an export writes every event's
/// sentences through here).
fn push_text(s: &str, clean: bool, out: &mut String) {
    let b = s.as_bytes();
    let stop = if clean { ESCAPED | CONTROL } else { ESCAPED };
    let (mut run, mut i) = (0, 0);
    while let Some(&c) = b.get(i) {
        // Eight ordinary bytes at a time, the most of a sentence.
        if let Some(word) = b.get(i..i + 8).and_then(|w| w.try_into().ok()) {
            if ordinary_word(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        if TEXT_CLASS[usize::from(c)] & stop == 0 {
            i += 1;
            continue;
        }
        let c1 = c == 0xC2 && b.get(i + 1).is_some_and(|n| (0x80..0xA0).contains(n));
        if c == 0xC2 && !c1 {
            // "°" (0xC2 0xB0) and the like: ordinary text.
            i += 1;
            continue;
        }
        out.push_str(s.get(run..i).unwrap_or_default());
        match c {
            b'\\' => out.push_str("\\\\"),
            b',' => out.push_str("\\,"),
            b';' => out.push_str("\\;"),
            // CRLF is one line break; a lone CR is one too.
            b'\r' if b.get(i + 1) == Some(&b'\n') => {}
            b'\r' | b'\n' => out.push_str("\\n"),
            b'\t' => out.push('\t'),
            _ => {} // another control character: dropped
        }
        i += if c1 { 2 } else { 1 };
        run = i;
    }
    out.push_str(s.get(run..).unwrap_or_default());
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub(super) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out);
    out
}

/// Text as iCalendar TEXT may hold it: line breaks as `\n`, no other
/// control characters (RFC 5545 §3.3.11 allows none but HTAB).
pub(super) fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// A line whose value kept a raw CR (only an id from a hand-edited store
/// can): the crate-based writer cut its output at every CRLF and unfolded
/// it again, so a CRLF there ended the line, a CRLF before a space or tab
/// vanished with that character, and an empty piece was dropped. Doing
/// the same keeps the feed's bytes.
fn resplit_into(line: &str, out: &mut String) {
    for piece in &unfold(line) {
        fold_into(piece, out);
    }
}

/// Text cut at every CRLF and unfolded as RFC 5545 reads it: a piece that
/// starts with a space or tab continues the line before, without that
/// character; empty pieces are dropped.
pub(super) fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for piece in text.split("\r\n") {
        match (piece.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ if piece.is_empty() => {}
            _ => lines.push(piece.to_string()),
        }
    }
    lines
}

/// Appends one content line, folded (RFC 5545 §3.1), with its CRLF.
pub(super) fn fold_into(line: &str, out: &mut String) {
    fold_with(line, FOLD_OCTETS, out);
}

/// [`fold_into`] of what follows a fold: its first piece at most `limit`
/// octets.
fn fold_with(line: &str, mut limit: usize, out: &mut String) {
    let mut start = 0;
    while line.len() - start > limit {
        let mut cut = start + limit;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&line[start..cut]);
        out.push_str("\r\n ");
        start = cut;
        limit = FOLD_OCTETS - 1; // the leading space counts
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `push_text` is documented to do, written plainly: clean as
    /// `clean_text` does, then escape the four TEXT specials.
    fn plainly(s: &str, clean: bool) -> String {
        let cleaned = if clean { clean_text(s) } else { s.to_string() };
        let mut out = String::new();
        for c in cleaned.chars() {
            match c {
                '\\' | ',' | ';' => {
                    out.push('\\');
                    out.push(c);
                }
                '\n' => out.push_str("\\n"),
                _ => out.push(c),
            }
        }
        out
    }

    #[test]
    fn text_escapes_as_documented_whatever_the_bytes() {
        // Every string of up to four of these, cleaned and not: escapes,
        // controls, C1 controls, other two-byte letters, plain ASCII.
        let parts = [
            ",", ";", "\\", "\n", "\r", "\t", "\u{1}", "\u{7f}", "\u{85}", "\u{9f}", "°", "é", "a",
        ];
        let mut strings = vec![String::new()];
        let mut last = strings.clone();
        for _ in 0..4 {
            last = (last.iter())
                .flat_map(|s| parts.iter().map(move |p| format!("{s}{p}")))
                .collect();
            strings.extend(last.iter().cloned());
        }
        for s in &strings {
            // Alone, and among ordinary words long enough to be read
            // eight bytes at a time.
            for s in [
                s.clone(),
                format!("a sentence {s} with {s}{s}text around it"),
            ] {
                for clean in [false, true] {
                    let mut got = String::new();
                    push_text(&s, clean, &mut got);
                    assert_eq!(got, plainly(&s, clean), "{s:?} clean {clean}");
                }
            }
        }
    }

    #[test]
    fn a_word_is_ordinary_when_each_of_its_bytes_is() {
        for at in 0..8 {
            for b in 0..=255u8 {
                let mut word = *b"ordinary";
                word[at] = b;
                let ordinary = (b' '..=b'~').contains(&b) && !matches!(b, b'\\' | b',' | b';');
                assert_eq!(
                    ordinary_word(u64::from_le_bytes(word)),
                    ordinary,
                    "{b:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn folding_counts_octets_not_characters() {
        let line = format!("DESCRIPTION:{}", "日本語のテキスト🎉".repeat(20));
        let mut out = String::new();
        fold_into(&line, &mut out);
        for l in out.split_terminator("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn a_line_built_after_others_is_folded_as_alone() {
        // Lines of every length around the fold, after lines already
        // written, come out as each folded by itself.
        let mut l = Lines::default();
        let mut want = String::new();
        for n in [0, 1, 60, 70, 71, 72, 73, 74, 75, 76, 77, 150, 151, 152, 400] {
            // Characters of one, two and three bytes, so a fold falls
            // inside one at some lengths.
            let value = "x".repeat(n % 3) + &"€".repeat(n / 3) + &"é".repeat(n % 5);
            l.start("NOTE").colon().raw(&value).end();
            fold_into(&format!("NOTE:{value}"), &mut want);
            l.whole("STATUS:CONFIRMED\r\n");
            want.push_str("STATUS:CONFIRMED\r\n");
            l.start("N").colon().number(n as u64).raw("\r\n b").end();
            resplit_into(&format!("N:{n}\r\n b"), &mut want);
        }
        assert_eq!(l.out, want);
        assert!(l.out.contains("N:150b\r\n"));
    }

    #[test]
    fn a_parameter_is_quoted_when_its_value_holds_a_separator() {
        for (value, written) in [
            ("DATE", "DATE"),
            ("Europe/Vienna", "Europe/Vienna"),
            ("a:b", "\"a:b\""),
            ("a;b", "\"a;b\""),
            ("a,b", "\"a,b\""),
            ("\"a:b\"", "\"a:b\""),
        ] {
            let mut l = Lines::default();
            l.start("X").param("P", value).colon().raw("v").end();
            assert_eq!(l.out, format!("X;P={written}:v\r\n"), "{value:?}");
        }
        // A CR in a value is found, as in any other part of the line.
        let mut l = Lines::default();
        l.start("X").param("P", "a\r\nb").colon().raw("v").end();
        let mut want = String::new();
        resplit_into("X;P=a\r\nb:v", &mut want);
        assert_eq!(l.out, want);
    }

    #[test]
    fn value_date_is_the_date_parameter() {
        let (mut literal, mut param) = (Lines::default(), Lines::default());
        literal
            .start("DTSTART")
            .value_date()
            .colon()
            .raw("20141014")
            .end();
        param
            .start("DTSTART")
            .param("VALUE", "DATE")
            .colon()
            .raw("20141014")
            .end();
        assert_eq!(literal.out, param.out);
        assert_eq!(literal.out, "DTSTART;VALUE=DATE:20141014\r\n");
    }

    #[test]
    fn text_keeps_no_bare_carriage_returns() {
        assert_eq!(clean_text("a\r\nb\rc\u{7}d\te"), "a\nb\ncd\te");
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut l = Lines::default();
        l.start("X")
            .colon()
            .clean_escaped("a\r\nb\rc\u{7}d\te,;\\")
            .end();
        assert_eq!(l.out, "X:a\\nb\\ncd\te\\,\\;\\\\\r\n");
    }

    #[test]
    fn dates_and_times_as_chrono_formats_them() {
        for (y, m, d) in [
            (2014, 10, 5),
            (7, 1, 1),
            (0, 12, 31),
            (9999, 12, 31),
            (10000, 1, 1),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let t = date.and_hms_opt(3, 4, 5).unwrap();
            let mut l = Lines::default();
            l.start("A").colon().date(date).raw(" ").date_time(t).end();
            let want = format!(
                "A:{} {}\r\n",
                date.format("%Y%m%d"),
                t.format("%Y%m%dT%H%M%S")
            );
            assert_eq!(l.out, want);
        }
    }

    #[test]
    fn days_written_again_are_the_same_days() {
        // More days than are kept, each again soon after and long after,
        // all into one document.
        let days: Vec<NaiveDate> = [(2014, 10, 5), (2014, 10, 6), (1999, 1, 1), (2030, 12, 31)]
            .iter()
            .chain(&[(10000, 1, 1), (2014, 10, 7), (2014, 10, 5)])
            .map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
            .collect();
        let (mut l, mut want) = (Lines::default(), String::new());
        for k in 0..60 {
            let day = days[(k * k + k / 3) % days.len()];
            l.start("D").colon().date(day).end();
            want.push_str(&format!("D:{}\r\n", day.format("%Y%m%d")));
        }
        assert_eq!(l.out, want);
    }
}
