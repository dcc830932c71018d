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

// ---------------------------------------------------------------------------
// Vocabulary. Entries may contain `{slot}` references, expanded recursively by
// `Writer::slot`. Everything here is invented for this corpus.
// ---------------------------------------------------------------------------

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// AP style: short months abbreviated, long ones spelled out.
const MONTHS_AP: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];
const COUNT_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "10", "12", "18",
];
const UNITS: &[&str] = &["days", "weeks", "months", "years"];
const ORDINALS: &[&str] = &["first", "second", "third", "fourth"];

// Some first names double as month names, on purpose.
const FIRST_NAMES: &[&str] = &[
    "Helena", "Tomas", "April", "June", "May", "Rafael", "Ingrid", "Kwame", "Lucia", "Omar",
    "Priya", "Dmitri", "Grace", "Hiroshi", "Amara", "Stefan", "Nadia", "Victor", "Elena", "Samuel",
];
const LAST_NAMES: &[&str] = &[
    "Marek",
    "Varga",
    "Lindqvist",
    "Okafor",
    "Haddad",
    "Brennan",
    "Castellano",
    "Novak",
    "Tanaka",
    "Whitfield",
    "Mensah",
    "Albrecht",
    "Duarte",
    "Kowalczyk",
    "Rahman",
    "Sørensen",
    "Petrović",
    "Moreau",
];
const TITLES: &[&str] = &[
    "Finance Minister",
    "Foreign Minister",
    "Gov.",
    "Sen.",
    "Mayor",
    "Judge",
    "Police Chief",
    "Chief Executive",
];
const ROLES: &[&str] = &[
    "finance minister",
    "company's chief executive",
    "head of {org}",
    "lead negotiator",
    "union's general secretary",
    "deputy mayor",
    "central bank governor",
    "chief economist at {org}",
];
const PLACES: &[&str] = &[
    "Vienna",
    "Paris",
    "Geneva",
    "Brussels",
    "Nairobi",
    "Lima",
    "Osaka",
    "Warsaw",
    "Istanbul",
    "Toronto",
    "Cairo",
    "Jakarta",
    "Lisbon",
    "Denver",
    "Manila",
    "Oslo",
    "Bogotá",
    "São Paulo",
    "Kraków",
    "Accra",
];
const ORGS: &[&str] = &[
    "the Northgate Group",
    "Halvorsen Energy",
    "the Baltic Shipping Council",
    "the National Rail Union",
    "Meridian Bank",
    "the Ministry of Transport",
    "the International Water Commission",
    "Orion Airlines",
    "the Tarragon Institute",
    "the regional development agency",
];
const SUBJECTS: &[&str] = &[
    "the prime minister",
    "the finance ministry",
    "officials in {place}",
    "a spokeswoman for {org}",
    "a spokesman for {org}",
    "the central bank",
    "investigators",
    "{org}",
    "union leaders",
    "lawmakers in {place}",
    "the mayor of {place}",
    "analysts at {org}",
    "{person}, the {role},",
    "{title} {person}",
    "{person}",
    "the opposition",
    "regulators",
    "the board",
    "diplomats in {place}",
    "the court",
    "the committee",
];
const SAID: &[&str] = &[
    "said",
    "said",
    "said",
    "told reporters",
    "announced",
    "confirmed",
    "warned",
    "insisted",
];
// Agreement-free modals keep every subject grammatical.
const MODALS: &[&str] = &[
    "will", "will", "would", "could", "may", "might", "should", "must",
];
const VPAST: &[&str] = &[
    "approved {obj}",
    "rejected {obj}",
    "signed {obj}",
    "postponed {obj}",
    "unveiled {obj}",
    "criticized {obj}",
    "backed {obj}",
    "suspended {obj}",
    "defended {obj}",
    "completed {obj}",
    "announced {obj}",
    "cut {numph} from the payroll",
];
const VBASE: &[&str] = &[
    "approve {obj}",
    "reject {obj}",
    "sign {obj}",
    "delay {obj}",
    "review {obj}",
    "revive {obj}",
    "block {obj}",
    "challenge {obj}",
    "finalize {obj}",
    "expand {obj}",
    "scrap {obj}",
    "cut {numph}",
];
const OBJECTS: &[&str] = &[
    "the budget",
    "a trade agreement",
    "the merger",
    "a new pipeline",
    "the ceasefire",
    "the tax plan",
    "the proposal",
    "an emergency loan",
    "the contract",
    "the reform package",
    "a bond sale",
    "the inquiry",
    "a new stadium",
    "the rail link to {place}",
    "its growth forecast",
    "the sanctions",
    "a {money} rescue package",
    "{money} in new spending",
    "the second round of talks",
];
const THINGS: &[&str] = &[
    "soldiers",
    "jobs",
    "homes",
    "passengers",
    "workers",
    "families",
    "residents",
    "students",
    "staff",
    "voters",
];
const DISPUTES: &[&str] = &[
    "dispute",
    "deadlock",
    "negotiations",
    "strikes",
    "protests",
    "legal wrangling",
];
const EVENTS: &[&str] = &[
    "the vote",
    "the hearing",
    "the summit",
    "the next round of talks",
    "the auction",
    "the trial",
    "the launch",
];
const QUOTES: &[&str] = &[
    "We are not there yet, but the tone has changed",
    "Nobody wants to be the one who walks away from the table",
    "This is a good day for the people of {place}",
    "The numbers simply do not add up",
    "We will study the proposal carefully",
    "May I remind everyone that the vote is binding",
    "There is no plan B",
    "Our members are tired of waiting",
];

/// Past-anchored temporal expressions (fit past-tense clauses).
const T_PAST: &[&str] = &[
    "{dweekday}",
    "{dweekday}",
    "on {weekday}",
    "last {weekday}",
    "{weekday} morning",
    "late {weekday}",
    "yesterday",
    "this morning",
    "last night",
    "earlier today",
    "last week",
    "last month",
    "last year",
    "earlier this year",
    "in recent weeks",
    "{count} {units} ago",
    "a week ago",
    "on {md}",
    "{md}",
    "on {md}, {ypast}",
    "in {month} {ypast}",
    "in {ypast}",
    "in the {decade}s",
    "in the late {decade}s",
    "last summer",
    "over the weekend",
];
/// Future-anchored temporal expressions (fit modal clauses).
const T_FUT: &[&str] = &[
    "on {weekday}",
    "next {weekday}",
    "by {weekday}",
    "{weekday}",
    "tomorrow",
    "next week",
    "next month",
    "next year",
    "later this month",
    "in {count} {units}",
    "within {count} days",
    "by the end of next month",
    "by the end of the year",
    "early next year",
    "on {md}",
    "by {md}",
    "at {clock} on {weekday}",
    "at {clock} {weekday}",
    "in the {ordinal} quarter",
    "in the first half of {yfut}",
    "in {month} {yfut}",
    "this spring",
    "in the coming weeks",
    "soon",
];
/// Recurring expressions (TIMEX3 SET).
const T_SET: &[&str] = &[
    "every {weekday}",
    "every {weekday}",
    "twice a week",
    "each year",
    "every month",
    "once a quarter",
    "every {count} years",
    "quarterly",
    "annually",
    "every morning",
    "on weekdays",
];
const DURATIONS: &[&str] = &[
    "{count} {units}",
    "{count} {units}",
    "seven months",
    "nearly a decade",
    "more than a year",
    "48 hours",
    "several weeks",
    "two and a half years",
];
const PERIODS: &[&str] = &[
    "the {ordinal} quarter",
    "the {ordinal} quarter of {ypast}",
    "{ypast}",
    "fiscal {ypast}",
    "the first half of {ypast}",
];

/// Sentences without a temporal expression; several carry distractors
/// (modal "may", "2,014 soldiers", prices, flight numbers, "march").
const PLAIN: &[&str] = &[
    "{subj} {vpast}.",
    "{subj} {said} that {clause}.",
    "{subj} {said} the decision {modal} affect {numph}.",
    "\"{quote},\" {person} said.",
    "\"{quote},\" said {person}, the {role}.",
    "more than {numph} were affected, according to {org}.",
    "{subj} {said} {numph} had been moved out of {place}.",
    "the index rose {pct} to {n5} points.",
    "protesters plan to march through central {place} to oppose {obj}.",
    "{org} said Flight {n3} to {place} was diverted to {place}.",
    "the measure passed by a vote of {n2} to {n2}.",
    "{subj} declined to comment.",
    "{clause}, {person} warned.",
    "the plan {may} cost as much as {money}, according to {org}.",
    "tickets now sell for {price}, up {pct}.",
];
/// First sentences: wire stories usually date the news to the article's own day.
const LEDES: &[&str] = &[
    "{subj} {said} {dweekday} that {clause}.",
    "{subj} {vpast} {dweekday}, {said2} {org}.",
    "{subj} {said} {dweekday} after {count} hours of talks in {place} that {clause}.",
    "{subj} {vpast} on {dweekday}, ending {dur} of {disputes}.",
];
/// Sentences with at least one temporal expression.
const TIMED: &[&str] = &[
    "{subj} {said} {tpast} that {clause}.",
    "{subj} {said} {tpast} that {clause}.",
    "{subj} {vpast} {tpast}.",
    "{tpast}, {subj} {vpast}.",
    "{subj} {modal} {vbase} {tfut}, {person} said.",
    "{person} is to meet {title} {person} on {weekday} in {place} as a {md} deadline to {vbase} looms.",
    "the talks ended {tpast} after {dur} of {disputes}.",
    "{subj} called it the first sign of a thaw after {dur} of {disputes}.",
    "{subj} {said} profits rose {pct} in {period}.",
    "{subj} {said} inspectors would visit the site {tset}.",
    "{subj} {said} the meeting would begin at {clock} on {weekday}.",
    "{event} is scheduled for {md}.",
    "{event} is scheduled for {weekday} at {clock}.",
    "{org} has lost money for {dur}.",
    "more than {numph} have been displaced since {md}.",
    "the ruling {modal} be appealed within {count} days.",
    "the deal, first proposed in the {decade}s, {modal} be finalized {tfut}.",
    "\"We expect a decision {tfut},\" {person} said.",
    "\"{quote},\" {person} told reporters {tpast}.",
    "the deadline was extended until {md}, {yfut}.",
    "the committee meets {tset} and {modal} {vbase} {tfut}.",
    "sales in {period} fell {pct} from {ypast}, when {subj} {vpast}.",
];

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
