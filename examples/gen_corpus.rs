//! Deterministic synthetic news corpus for throughput benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --mb 25 > /tmp/corpus.jsonl
//! cargo run --release --example gen_corpus -- --mb 5 --text > /tmp/corpus.txt
//! ```
//!
//! Writes JSON lines `{"doc": "synthetic-000001", "dct": "2014-10-14", "text": "..."}`
//! until at least `--mb` megabytes (10^6 bytes) of document text have been
//! produced. With `--text` the same documents are written as one plain-text
//! stream (blank line between paragraphs and documents), for benchmarking the
//! single-document path. Output depends only on `--seed`, so runs are
//! reproducible across machines; only std is used so the example adds no
//! dependencies to the crate.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::process;

pub const DEFAULT_MB: f64 = 25.0;
pub const DEFAULT_SEED: u64 = 20_141_014;
/// Probability that a sentence is drawn from the timed templates; gives
/// roughly one temporal expression every two to three sentences.
const TIMED_SENTENCE_P: f64 = 0.4;

const USAGE: &str = "\
usage: gen_corpus [--mb N] [--seed N] [--text]

  --mb N     stop once at least N megabytes (10^6 bytes) of text are written
             (default 25; fractions allowed)
  --seed N   PRNG seed (default 20141014)
  --text     write plain text instead of JSON lines
  -h, --help show this help";

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/// SplitMix64: tiny, fast, and good enough to make text look varied. Its
/// output is fixed by definition, unlike std's randomized hashers.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; bias is negligible).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------
// Calendar (proleptic Gregorian, days since 1970-01-01; H. Hinnant's algorithms)
// ---------------------------------------------------------------------------

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    days_from_civil(y + m / 12, m % 12 + 1, 1) - days_from_civil(y, m, 1)
}

#[derive(Clone, Copy)]
struct Date {
    year: i64,
    month: i64,
    day: i64,
    /// 0 = Monday.
    weekday: usize,
}

impl Date {
    fn from_days(days: i64) -> Self {
        let (year, month, day) = civil_from_days(days);
        // 1970-01-01 was a Thursday.
        let weekday = (days + 3).rem_euclid(7) as usize;
        Date {
            year,
            month,
            day,
            weekday,
        }
    }
}

// The vocabulary, kept apart from the generator.
#[path = "../benches/gen/news_words.rs"]
mod news_words;
use news_words::*;

// ---------------------------------------------------------------------------
// Text generation
// ---------------------------------------------------------------------------

struct Writer {
    rng: Rng,
    /// Document creation time; relative years are anchored to it so that
    /// "in 2013" reads plausibly in a 2014 article.
    dct: Date,
}

impl Writer {
    /// Appends `template` to `out`, expanding `{slot}` references.
    fn expand(&mut self, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("unclosed slot");
            self.slot(&rest[open + 1..close], out);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
    }

    fn expand_pick(&mut self, items: &[&str], out: &mut String) {
        let item = self.rng.pick(items);
        self.expand(item, out);
    }

    fn slot(&mut self, name: &str, out: &mut String) {
        let year = self.dct.year;
        match name {
            "subj" => self.expand_pick(SUBJECTS, out),
            "person" => {
                out.push_str(self.rng.pick(FIRST_NAMES));
                out.push(' ');
                out.push_str(self.rng.pick(LAST_NAMES));
            }
            "title" => out.push_str(self.rng.pick(TITLES)),
            "role" => self.expand_pick(ROLES, out),
            "place" => out.push_str(self.rng.pick(PLACES)),
            "org" => out.push_str(self.rng.pick(ORGS)),
            "said" => out.push_str(self.rng.pick(SAID)),
            "said2" => out.push_str(self.rng.pick(&["according to", "a statement from"])),
            "modal" => out.push_str(self.rng.pick(MODALS)),
            "may" => out.push_str(self.rng.pick(&["may", "could", "might"])),
            "vpast" => self.expand_pick(VPAST, out),
            "vbase" => self.expand_pick(VBASE, out),
            "obj" => self.expand_pick(OBJECTS, out),
            "clause" => self.expand("{subj} {modal} {vbase}", out),
            "quote" => self.expand_pick(QUOTES, out),
            "disputes" => out.push_str(self.rng.pick(DISPUTES)),
            "event" => out.push_str(self.rng.pick(EVENTS)),
            "tpast" => self.expand_pick(T_PAST, out),
            "tfut" => self.expand_pick(T_FUT, out),
            "tset" => self.expand_pick(T_SET, out),
            "dur" => self.expand_pick(DURATIONS, out),
            "period" => self.expand_pick(PERIODS, out),
            "weekday" => out.push_str(self.rng.pick(WEEKDAYS)),
            "dweekday" => out.push_str(WEEKDAYS[self.dct.weekday]),
            "month" => out.push_str(self.rng.pick(MONTHS)),
            "md" => self.month_day(out),
            "count" => out.push_str(self.rng.pick(COUNT_WORDS)),
            "units" => out.push_str(self.rng.pick(UNITS)),
            "ordinal" => out.push_str(self.rng.pick(ORDINALS)),
            "ypast" => push_int(out, year - self.rng.range(1, 12)),
            "yfut" => push_int(out, year + self.rng.range(0, 2)),
            "decade" => push_int(out, (year - self.rng.range(10, 40)) / 10 * 10),
            "clock" => self.clock(out),
            "numph" => {
                self.number(out);
                out.push(' ');
                out.push_str(self.rng.pick(THINGS));
            }
            "money" => self.money(out),
            "pct" => {
                let tenths = self.rng.range(1, 250);
                let _ = write!(out, "{}.{} percent", tenths / 10, tenths % 10);
            }
            "price" => {
                let cents = self.rng.range(199, 49_999);
                let _ = write!(out, "${}.{:02}", cents / 100, cents % 100);
            }
            "n5" => push_grouped(out, self.rng.range(900, 40_000)),
            "n2" => push_int(out, self.rng.range(2, 99)),
            "n3" => push_int(out, self.rng.range(100, 2999)),
            _ => panic!("unknown slot {{{name}}}"),
        }
    }

    /// "Oct. 14" mostly, with a few spelled-out and day-first variants.
    fn month_day(&mut self, out: &mut String) {
        let m = self.rng.range(1, 12);
        let d = self.rng.range(1, days_in_month(self.dct.year, m));
        let i = (m - 1) as usize;
        let _ = match self.rng.below(10) {
            0 => write!(out, "{} {d}", MONTHS[i]),
            1 => write!(out, "{d} {}", MONTHS[i]),
            _ => write!(out, "{} {d}", MONTHS_AP[i]),
        };
    }

    /// "3 p.m.", "10:30 a.m.", occasionally "noon" or "midnight".
    fn clock(&mut self, out: &mut String) {
        let h = self.rng.range(1, 12);
        let _ = match self.rng.below(12) {
            0 => write!(out, "noon"),
            1 => write!(out, "midnight"),
            2..=5 => write!(
                out,
                "{h}:{:02} {}",
                self.rng.pick(&["15", "30", "45"]),
                self.rng.pick(&["a.m.", "p.m."])
            ),
            _ => write!(out, "{h} {}", self.rng.pick(&["a.m.", "p.m."])),
        };
    }

    /// Counts for "{n} soldiers"; a share land in 1,900-2,099 so the tagger
    /// sees year-shaped numbers that are not years.
    fn number(&mut self, out: &mut String) {
        let n = match self.rng.below(4) {
            0 => self.rng.range(1900, 2099),
            1 => self.rng.range(10, 999),
            _ => self.rng.range(1000, 250_000),
        };
        push_grouped(out, n);
    }

    fn money(&mut self, out: &mut String) {
        let _ = match self.rng.below(3) {
            0 => write!(
                out,
                "${}.{} billion",
                self.rng.range(1, 40),
                self.rng.below(10)
            ),
            1 => write!(out, "${} million", self.rng.range(2, 900)),
            _ => {
                out.push('$');
                push_grouped(out, self.rng.range(5, 25_000));
                Ok(())
            }
        };
    }

    /// Appends one sentence from `templates` and returns its word count.
    fn sentence(&mut self, templates: &[&str], out: &mut String) -> usize {
        let start = out.len();
        self.expand_pick(templates, out);
        // "at 4 p.m." closing a sentence takes no second period.
        if out.ends_with("..") {
            out.pop();
        }
        capitalize_first(out, start);
        out[start..].split_whitespace().count()
    }

    /// Generates a whole document for `dct` into `out` (cleared first).
    fn document(&mut self, dct: Date, out: &mut String) {
        self.dct = dct;
        out.clear();
        // Paragraphs may run up to two sentences past the target, so this
        // keeps documents within 300-1500 words.
        let target_words = self.rng.range(300, 1400) as usize;

        // Dateline, as in wire copy: "VIENNA, Oct. 14 — ".
        let place = self.rng.pick(PLACES).to_uppercase();
        let _ = write!(
            out,
            "{place}, {} {} — ",
            MONTHS_AP[(dct.month - 1) as usize],
            dct.day
        );
        let mut words = out.split_whitespace().count();

        let mut paragraph = 0;
        loop {
            for i in 0..self.rng.range(3, 8) {
                if i >= 3 && words >= target_words {
                    return;
                }
                if i > 0 {
                    out.push(' ');
                }
                let templates = if paragraph == 0 && i == 0 {
                    LEDES
                } else if self.rng.chance(TIMED_SENTENCE_P) {
                    TIMED
                } else {
                    PLAIN
                };
                words += self.sentence(templates, out);
            }
            if words >= target_words {
                return;
            }
            out.push_str("\n\n");
            paragraph += 1;
        }
    }
}

/// Upper-cases the first letter at or after `start`, skipping an opening quote.
fn capitalize_first(s: &mut String, start: usize) {
    let skip = usize::from(s[start..].starts_with('"'));
    let at = start + skip;
    if let Some(c) = s[at..].chars().next() {
        if c.is_lowercase() {
            let upper: String = c.to_uppercase().collect();
            s.replace_range(at..at + c.len_utf8(), &upper);
        }
    }
}

fn push_int(out: &mut String, n: i64) {
    let _ = write!(out, "{n}");
}

/// 2014 -> "2,014" (news style thousands separators).
fn push_grouped(out: &mut String, n: i64) {
    let digits = n.to_string();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
}

fn write_json_str(w: &mut impl Write, s: &str) -> io::Result<()> {
    w.write_all(b"\"")?;
    let bytes = s.as_bytes();
    let mut plain_from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        w.write_all(&bytes[plain_from..i])?;
        if escape.is_empty() {
            write!(w, "\\u{b:04x}")?;
        } else {
            w.write_all(escape)?;
        }
        plain_from = i + 1;
    }
    w.write_all(&bytes[plain_from..])?;
    w.write_all(b"\"")
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

struct Options {
    mb: f64,
    seed: u64,
    text: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        mb: DEFAULT_MB,
        seed: DEFAULT_SEED,
        text: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--mb" => {
                let v = value("--mb")?;
                opts.mb = v
                    .parse()
                    .ok()
                    .filter(|mb: &f64| mb.is_finite() && *mb > 0.0)
                    .ok_or_else(|| format!("--mb: expected a positive number, got {v:?}"))?;
            }
            "--seed" => {
                let v = value("--seed")?;
                opts.seed = v
                    .parse()
                    .map_err(|_| format!("--seed: expected an unsigned integer, got {v:?}"))?;
            }
            "--text" => opts.text = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(opts)
}

/// One generated document.
pub struct Document {
    /// "synthetic-000001"
    pub doc: String,
    /// The reference date, "YYYY-MM-DD".
    pub dct: String,
    pub text: String,
}

/// The documents of the corpus for `seed`, in order, until at least `mb`
/// megabytes (10^6 bytes) of text have been produced: what the command
/// writes, for callers (the throughput bench) that want them in memory.
pub fn documents(mb: f64, seed: u64) -> impl Iterator<Item = Document> {
    let target_bytes = (mb * 1e6).ceil() as u64;
    let first_day = days_from_civil(1990, 1, 1);
    let last_day = days_from_civil(2020, 12, 31);
    let mut writer = Writer {
        rng: Rng(seed),
        dct: Date::from_days(first_day),
    };
    let mut written = 0u64;
    let mut doc = 0u64;
    std::iter::from_fn(move || {
        if written >= target_bytes {
            return None;
        }
        doc += 1;
        let dct = Date::from_days(writer.rng.range(first_day, last_day));
        let mut text = String::with_capacity(16 * 1024);
        writer.document(dct, &mut text);
        written += text.len() as u64;
        Some(Document {
            doc: format!("synthetic-{doc:06}"),
            dct: format!("{:04}-{:02}-{:02}", dct.year, dct.month, dct.day),
            text,
        })
    })
}

fn run(opts: &Options) -> io::Result<()> {
    let stdout = io::stdout();
    let mut w = BufWriter::with_capacity(1 << 16, stdout.lock());
    for (n, d) in documents(opts.mb, opts.seed).enumerate() {
        if opts.text {
            if n > 0 {
                w.write_all(b"\n\n")?;
            }
            w.write_all(d.text.as_bytes())?;
        } else {
            write!(
                w,
                "{{\"doc\": \"{}\", \"dct\": \"{}\", \"text\": ",
                d.doc, d.dct
            )?;
            write_json_str(&mut w, &d.text)?;
            w.write_all(b"}\n")?;
        }
    }
    if opts.text {
        w.write_all(b"\n")?;
    }
    w.flush()
}

fn main() {
    let opts = parse_args().unwrap_or_else(|e| {
        eprintln!("gen_corpus: {e}\n{USAGE}");
        process::exit(2);
    });
    match run(&opts) {
        // `| head` closing the pipe early is normal use, not an error.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("gen_corpus: {e}");
            process::exit(1);
        }
        _ => {}
    }
}
