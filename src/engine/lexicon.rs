//! Language data: the words the grammar reacts to, loaded from a data file.
//!
//! The English table is `data/en.toml`, compiled into the binary. Each word
//! maps to one [`Entry`] that gathers everything the word can be (a month, a
//! number, a cue of some role…), so the tokenizer looks a word up once and
//! the grammar never compares strings.

use std::collections::HashMap;

use serde::Deserialize;

use crate::engine::partial::{Mod, PartOfDay, RefKind, Season, Unit};

mod holidays;
mod roles;
mod table;
pub use holidays::{normal as holiday_punct, HolidayNames, Piece};
pub use roles::Role;
use table::ShortTable;

/// Everything one word can mean to the grammar.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub month: Option<u8>,
    /// The month name is also an everyday word and needs evidence.
    pub ambiguous_month: bool,
    /// The month is abbreviated ("Oct"): needs a period or a day after it.
    pub month_abbrev: bool,
    pub weekday: Option<u8>,
    pub weekday_plural: Option<u8>,
    pub number: Option<i64>,
    pub ordinal: Option<i64>,
    pub unit: Option<Unit>,
    /// The unit word is plural ("days").
    pub plural: bool,
    pub set_adverb: Option<Unit>,
    /// Office shorthand for the end of a period: "EOD" (day), "EOM" (month).
    pub period_end: Option<Unit>,
    pub season: Option<Season>,
    pub part_of_day: Option<PartOfDay>,
    pub deictic: Option<(i8, Option<PartOfDay>)>,
    pub reference: Option<RefKind>,
    pub clock_hour: Option<u8>,
    pub zone: Option<i16>,
    /// A zone of the tz database this word names ("ET", "Eastern").
    pub zone_name: Option<chrono_tz::Tz>,
    pub modifier: Option<Mod>,
    roles: u128,
    /// Bits a later stage derives from the entry once, at load (the
    /// grammar: which of its rules can begin at this word). Opaque here,
    /// so the table knows nothing of the rules.
    pub(crate) rule_bits: u32,
    /// A number for the word, distinct for every word of the table: phrase
    /// words are matched by it before their text is compared.
    pub(crate) id: u32,
}

impl Entry {
    pub fn has(&self, role: Role) -> bool {
        self.roles & (1u128 << role as u8) != 0
    }

    /// Whether the word carries any value of its own (a month, a unit, a
    /// zone, a modifier…), not only roles. A field added to the entry
    /// belongs here too.
    pub fn names_a_value(&self) -> bool {
        self.is_temporal()
            || self.month_abbrev
            || self.ambiguous_month
            || self.weekday_plural.is_some()
            || self.set_adverb.is_some()
            || self.period_end.is_some()
            || self.reference.is_some()
            || self.clock_hour.is_some()
            || self.zone.is_some()
            || self.zone_name.is_some()
            || self.modifier.is_some()
    }

    /// Whether the word plays any of `roles`.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        let mask = roles.iter().fold(0u128, |m, &r| m | (1u128 << r as u8));
        self.roles & mask != 0
    }

    /// Whether the word plays some role in none of the lists `roles`.
    pub fn has_role_besides(&self, roles: &[&[Role]]) -> bool {
        let given = (roles.iter().copied().flatten()).fold(0u128, |m, &r| m | (1u128 << r as u8));
        self.roles & !given != 0
    }

    /// Whether the word names a time by itself (not merely a cue word).
    pub fn is_temporal(&self) -> bool {
        self.month.is_some()
            || self.weekday.is_some()
            || self.unit.is_some()
            || self.season.is_some()
            || self.part_of_day.is_some()
            || self.deictic.is_some()
            || self.number.is_some()
            || self.ordinal.is_some()
    }
}

/// A multi-word phrase such as "more than" or "the end of", with what it gives.
#[derive(Clone, Debug)]
pub struct Phrase<T> {
    pub words: Vec<String>,
    pub value: T,
    /// The [`Entry::id`] of each word. Every phrase word is in the table,
    /// and words equal but for ASCII case share one entry, so a token is the
    /// word exactly when its entry's id is this one: the grammar compares
    /// ids, never text.
    pub ids: Vec<u32>,
}

/// Word lookups run once per word of every document, so the table is keyed
/// for speed: a word of up to [`SHORT`] bytes (nearly all of them) is packed
/// with its length into one `u128`, which hashes in two multiplications and
/// compares in one instruction; longer words go to a second map keyed by
/// their bytes. The keys are our own data, so hash flooding is no concern.
const SHORT: usize = 15;

fn pack(lower: &[u8]) -> u128 {
    let mut b = [0u8; 16];
    b[..lower.len()].copy_from_slice(lower);
    b[15] = lower.len() as u8;
    u128::from_le_bytes(b)
}

/// [`pack`] of the ASCII lower case of `ascii` (at most [`SHORT`] bytes).
/// Built byte by byte: copying into a zeroed array made two library calls
/// (memset, memcpy) per word, more than the rest of the lookup.
fn pack_lower_ascii(ascii: &[u8]) -> u128 {
    let mut x = 0u128;
    for (k, &b) in ascii.iter().enumerate() {
        x |= u128::from(b) << (8 * k);
    }
    lower_packed(x, ascii.len())
}

/// Lower-cases the ASCII bytes of `x` all at once and adds the length `len`
/// as [`pack`] does: a byte gets 0x20 added when adding 0x3f carries it past
/// 0x7f (it is `A` or above) and adding 0x25 does not (it is `Z` or below).
/// ASCII bytes are below 0x80, so no sum spills into the next byte.
fn lower_packed(x: u128, len: usize) -> u128 {
    let ones = u128::from_le_bytes([1; 16]);
    let upper = (x + 0x3f * ones) & !(x + 0x25 * ones) & (0x80 * ones);
    (x | (upper >> 2)) | ((len as u128) << 120)
}

/// At most eight ASCII bytes lower-cased at once, as [`lower_packed`]
/// does, without the length: the key of `ShortTable::get_eight`.
fn lower_8(x: u64) -> u64 {
    let ones = u64::from_le_bytes([1; 8]);
    let upper = (x + 0x3f * ones) & !(x + 0x25 * ones) & (0x80 * ones);
    x | (upper >> 2)
}

/// Folded multiply: mixes every input bit into the high and low bits that
/// the hash table uses.
#[derive(Default, Clone, Copy)]
struct Mix(u64);

impl std::hash::Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write_u128(&mut self, v: u128) {
        let fold = |a: u64, b: u64| {
            let p = u128::from(a) * u128::from(b);
            (p as u64) ^ ((p >> 64) as u64)
        };
        let lo = v as u64;
        let hi = (v >> 64) as u64;
        self.0 = fold(
            lo ^ 0x243f_6a88_85a3_08d3,
            hi ^ 0x1319_8a2e_0370_7344 ^ self.0,
        );
    }
    fn write(&mut self, bytes: &[u8]) {
        // FNV-1a, for the long-word map.
        let mut h = self.0 ^ 0xcbf2_9ce4_8422_2325;
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Hasher = std::hash::BuildHasherDefault<Mix>;

/// Word lengths the table holds, by first byte: bit `n` of `shapes[b]` is set
/// when some word of `n` bytes (63 standing for 63 or more) starts with `b`.
/// Words that need copying to be looked up (long ones, or ones with a
/// typographic apostrophe) are tested against it first.
type Shapes = [u64; 256];

fn shape_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// Lower-cased words to their entries, while the table is built.
#[derive(Default)]
struct WordMap {
    short: HashMap<u128, Entry, Hasher>,
    long: HashMap<Box<[u8]>, Entry, Hasher>,
}

impl WordMap {
    fn entry(&mut self, lower: String) -> &mut Entry {
        let lower = lower.into_bytes();
        if lower.len() <= SHORT {
            self.short.entry(pack(&lower)).or_default()
        } else {
            self.long.entry(lower.into()).or_default()
        }
    }

    /// Visits every word, with its lower-cased bytes.
    fn for_each(&mut self, mut f: impl FnMut(&[u8], &mut Entry)) {
        for (key, e) in &mut self.short {
            let b = key.to_le_bytes();
            f(&b[..usize::from(b[15])], e);
        }
        for (key, e) in &mut self.long {
            f(key, e);
        }
    }
}

/// A loaded language table.
pub struct Lexicon {
    short: ShortTable,
    long: HashMap<Box<[u8]>, Entry, Hasher>,
    shapes: Shapes,
    pub phrase_modifiers: Vec<Phrase<Mod>>,
    pub phrase_references: Vec<Phrase<RefKind>>,
    /// Every name of every holiday, by first word.
    pub holidays: HolidayNames,
    /// The keys of header fields that date a document or name it.
    pub document_fields: DocumentFields,
    longest_word: usize,
}

/// Header fields at the top of a document ("Date: 2 November 2026",
/// "Issued: 02.11.2026", "Title: …"): the keys, in lower case, whose value
/// is the document's own date, and those whose value is its subject.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DocumentFields {
    pub dates: Vec<String>,
    pub titles: Vec<String>,
}

impl DocumentFields {
    pub fn dates(&self, key: &str) -> bool {
        self.dates.iter().any(|k| k == key)
    }

    pub fn titles(&self, key: &str) -> bool {
        self.titles.iter().any(|k| k == key)
    }
}

#[derive(Deserialize)]
struct DeicticDay {
    offset: i8,
    part: Option<String>,
}

#[derive(Deserialize)]
struct Tense {
    future: Vec<String>,
    past: Vec<String>,
    be: Vec<String>,
    not_past: Vec<String>,
    reporting: Vec<String>,
    deadline_preposition: Vec<String>,
}

#[derive(Deserialize)]
struct EventWords {
    clause_openers: Vec<String>,
    relative_pronouns: Vec<String>,
    deadline_cues: Vec<String>,
    meeting_cues: Vec<String>,
    place_prepositions: Vec<String>,
    date_prepositions: Vec<String>,
    filler: Vec<String>,
    subject_pronouns: Vec<String>,
    articles: Vec<String>,
    deadline_verbs: Vec<String>,
    future_auxiliaries: Vec<String>,
    be_forms: Vec<String>,
    modals: Vec<String>,
    coordinators: Vec<String>,
    row_deadline: Vec<String>,
    row_start: Vec<String>,
    rule_scope: Vec<String>,
    row_metadata: Vec<String>,
    possessives: Vec<String>,
    state_words: Vec<String>,
    prepositions: Vec<String>,
    onset_verbs: Vec<String>,
    closing_verbs: Vec<String>,
    record_nouns: Vec<String>,
    change_verbs: Vec<String>,
    baseline_prepositions: Vec<String>,
}

#[derive(Deserialize)]
struct Data {
    months: HashMap<String, u8>,
    month_abbreviations: HashMap<String, u8>,
    ambiguous_months: Vec<String>,
    weekdays: HashMap<String, u8>,
    weekday_plurals: HashMap<String, u8>,
    numbers: HashMap<String, i64>,
    ordinals: HashMap<String, i64>,
    units: HashMap<String, String>,
    set_adverbs: HashMap<String, String>,
    #[serde(default)]
    period_ends: HashMap<String, String>,
    seasons: HashMap<String, String>,
    parts_of_day: HashMap<String, String>,
    deictic_days: HashMap<String, DeicticDay>,
    references: HashMap<String, String>,
    clock_words: HashMap<String, u8>,
    zones: HashMap<String, i16>,
    #[serde(default)]
    zone_names: HashMap<String, String>,
    roles: HashMap<String, Vec<String>>,
    modifiers: HashMap<String, String>,
    phrase_modifiers: HashMap<String, String>,
    phrase_references: HashMap<String, String>,
    tense: Tense,
    events: EventWords,
    #[serde(default)]
    holidays: Vec<holidays::HolidayData>,
    #[serde(default)]
    document_fields: DocumentFields,
}

/// Errors in a language file, reported with the word at fault.
#[derive(Debug)]
pub struct LexiconError(pub String);

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Lexicon {
    /// Parses a language table in the format of `data/en.toml`.
    /// `rule_bits` computes the bits each word keeps for the grammar, once every
    /// property of the word is known.
    pub fn from_toml(
        source: &str,
        rule_bits: fn(&[u8], &Entry) -> u32,
    ) -> Result<Lexicon, LexiconError> {
        let data: Data =
            toml::from_str(source).map_err(|e| LexiconError(format!("language table: {e}")))?;
        let mut words: WordMap = WordMap::default();
        let mut set = |w: &str, f: &dyn Fn(&mut Entry)| f(words.entry(w.to_lowercase()));
        for (w, m) in &data.months {
            set(w, &|e| e.month = Some(*m));
        }
        for (w, m) in &data.month_abbreviations {
            set(w, &|e| {
                e.month = Some(*m);
                e.month_abbrev = true;
            });
        }
        for w in &data.ambiguous_months {
            set(w, &|e| e.ambiguous_month = true);
        }
        for (w, d) in &data.weekdays {
            set(w, &|e| e.weekday = Some(*d));
        }
        for (w, d) in &data.weekday_plurals {
            set(w, &|e| e.weekday_plural = Some(*d));
        }
        for (w, n) in &data.numbers {
            set(w, &|e| e.number = Some(*n));
        }
        for (w, n) in &data.ordinals {
            set(w, &|e| e.ordinal = Some(*n));
        }
        for (w, u) in &data.units {
            let unit = Unit::from_name(u).ok_or_else(|| bad("unit", w, u))?;
            set(w, &|e| {
                e.unit = Some(unit);
                e.plural = w.ends_with('s');
            });
        }
        for (w, u) in &data.set_adverbs {
            let unit = Unit::from_name(u).ok_or_else(|| bad("unit", w, u))?;
            set(w, &|e| e.set_adverb = Some(unit));
        }
        for (w, u) in &data.period_ends {
            let unit = Unit::from_name(u).ok_or_else(|| bad("unit", w, u))?;
            set(w, &|e| e.period_end = Some(unit));
        }
        for (w, s) in &data.seasons {
            let season = Season::from_code(s).ok_or_else(|| bad("season", w, s))?;
            set(w, &|e| e.season = Some(season));
        }
        for (w, p) in &data.parts_of_day {
            let part = PartOfDay::from_code(p).ok_or_else(|| bad("part of day", w, p))?;
            set(w, &|e| e.part_of_day = Some(part));
        }
        for (w, d) in &data.deictic_days {
            let part = match &d.part {
                Some(p) => Some(PartOfDay::from_code(p).ok_or_else(|| bad("part of day", w, p))?),
                None => None,
            };
            set(w, &|e| e.deictic = Some((d.offset, part)));
        }
        for (w, r) in &data.references {
            let kind = RefKind::from_code(r).ok_or_else(|| bad("reference", w, r))?;
            set(w, &|e| e.reference = Some(kind));
        }
        for (w, h) in &data.clock_words {
            set(w, &|e| e.clock_hour = Some(*h));
        }
        for (w, z) in &data.zones {
            set(w, &|e| e.zone = Some(*z));
        }
        for (w, name) in &data.zone_names {
            let tz = crate::engine::zone::canonical(name)
                .and_then(|n| n.parse::<chrono_tz::Tz>().ok())
                .ok_or_else(|| bad("zone name", w, name))?;
            set(w, &|e| e.zone_name = Some(tz));
        }
        for (w, m) in &data.modifiers {
            let modifier = Mod::from_code(m).ok_or_else(|| bad("modifier", w, m))?;
            set(w, &|e| e.modifier = Some(modifier));
        }
        let mut role_lists: Vec<(Role, &Vec<String>)> = vec![
            (Role::Future, &data.tense.future),
            (Role::Past, &data.tense.past),
            (Role::Be, &data.tense.be),
            (Role::NotPast, &data.tense.not_past),
            (Role::Reporting, &data.tense.reporting),
            (Role::DeadlinePreposition, &data.tense.deadline_preposition),
            (Role::ClauseOpener, &data.events.clause_openers),
            (Role::RelativePronoun, &data.events.relative_pronouns),
            (Role::DeadlineCue, &data.events.deadline_cues),
            (Role::MeetingCue, &data.events.meeting_cues),
            (Role::PlacePreposition, &data.events.place_prepositions),
            (Role::AttachingPreposition, &data.events.date_prepositions),
            (Role::Filler, &data.events.filler),
            (Role::SubjectPronoun, &data.events.subject_pronouns),
            (Role::TitleArticle, &data.events.articles),
            (Role::DeadlineVerb, &data.events.deadline_verbs),
            (Role::FutureAuxiliary, &data.events.future_auxiliaries),
            (Role::BeForm, &data.events.be_forms),
            (Role::Modal, &data.events.modals),
            (Role::Coordinator, &data.events.coordinators),
            (Role::RowDeadline, &data.events.row_deadline),
            (Role::RowStart, &data.events.row_start),
            (Role::RuleScope, &data.events.rule_scope),
            (Role::RowMetadata, &data.events.row_metadata),
            (Role::Possessive, &data.events.possessives),
            (Role::StateWord, &data.events.state_words),
            (Role::Preposition, &data.events.prepositions),
            (Role::OnsetVerb, &data.events.onset_verbs),
            (Role::Closing, &data.events.closing_verbs),
            (Role::RecordDate, &data.events.record_nouns),
            (Role::ChangeVerb, &data.events.change_verbs),
            (Role::Baseline, &data.events.baseline_prepositions),
        ];
        for (name, list) in &data.roles {
            let role = Role::from_name(name)
                .ok_or_else(|| LexiconError(format!("language table: unknown role {name:?}")))?;
            role_lists.push((role, list));
        }
        for (role, list) in role_lists {
            for w in list {
                set(w, &|e| e.roles |= 1u128 << role as u8);
            }
        }
        let phrase_modifiers = phrases(&data.phrase_modifiers, Mod::from_code, "modifier")?;
        let phrase_references = phrases(&data.phrase_references, RefKind::from_code, "reference")?;
        for words in phrase_modifiers
            .iter()
            .map(|p| &p.words)
            .chain(phrase_references.iter().map(|p| &p.words))
        {
            if let Some(first) = words.first() {
                set(first, &|e| e.roles |= 1u128 << Role::PhraseStart as u8);
            }
            // Every word of a phrase is known, so that a rule may pass over
            // any word the table does not know ("the future", "the middle
            // of": see `Grammar::starts`).
            for w in words {
                set(w, &|e| e.roles |= 1u128 << Role::PhraseWord as u8);
            }
        }
        // The words of holiday names, so that the tokenizer reads them (and
        // splits "Valentine's" as it splits "Tuesday's").
        for h in &data.holidays {
            for name in h.names() {
                let words = holidays::name_words(name);
                for (k, w) in words.iter().enumerate() {
                    let start = u128::from(k == 0) << Role::HolidayStart as u8;
                    let whole = u128::from(words.len() == 1) << Role::HolidayWord as u8;
                    let word = 1u128 << Role::PhraseWord as u8;
                    set(w, &|e| e.roles |= start | whole | word);
                }
            }
        }
        // Last, once every property and role of each word is known: the
        // bits derived from each word, and the shapes of the words.
        let mut longest_word = 0;
        let mut shapes: Shapes = [0; 256];
        let mut id = 0;
        words.for_each(|w, e| {
            e.rule_bits = rule_bits(w, e);
            e.id = id;
            id += 1;
            longest_word = longest_word.max(w.len());
            if let Some(&first) = w.first() {
                shapes[usize::from(first)] |= shape_bit(w.len());
            }
        });
        let mut lexicon = Lexicon {
            short: ShortTable::new(words.short),
            long: words.long,
            shapes,
            phrase_modifiers,
            phrase_references,
            holidays: HolidayNames::default(),
            document_fields: data.document_fields.clone(),
            longest_word,
        };
        lexicon.holidays = holidays::read(&lexicon, &data.holidays)?;
        // Every phrase word was added to the table above.
        let ids = |words: &[String]| -> Result<Vec<u32>, LexiconError> {
            (words.iter())
                .map(|w| {
                    let e = lexicon.get(w).ok_or_else(|| {
                        LexiconError(format!("language table: phrase word {w:?} is not a word"))
                    })?;
                    Ok(e.id)
                })
                .collect()
        };
        let modifier_ids = (lexicon.phrase_modifiers.iter())
            .map(|p| ids(&p.words))
            .collect::<Result<Vec<_>, _>>()?;
        let reference_ids = (lexicon.phrase_references.iter())
            .map(|p| ids(&p.words))
            .collect::<Result<Vec<_>, _>>()?;
        for (p, ids) in lexicon.phrase_modifiers.iter_mut().zip(modifier_ids) {
            p.ids = ids;
        }
        for (p, ids) in lexicon.phrase_references.iter_mut().zip(reference_ids) {
            p.ids = ids;
        }
        Ok(lexicon)
    }

    /// [`Lexicon::get`] of `text[start..end]`, for the tokenizer: when 16
    /// bytes of `text` follow `start`, a short ASCII word's key is read from
    /// them in one load, its bytes past `end` masked off.
    pub fn get_at(&self, text: &str, start: usize, end: usize) -> Option<&Entry> {
        let len = end.saturating_sub(start);
        // Most words fit in eight bytes: the same key, built with 64-bit
        // operations (u128 masks and shifts cost several instructions each).
        if (1..=8).contains(&len) {
            if let Some(window) = text.as_bytes().get(start..start + 8) {
                let x = u64::from_le_bytes(window.try_into().expect("8 bytes"));
                let x = x & (u64::MAX >> (64 - 8 * len));
                if x & (0x80 * u64::from_le_bytes([1; 8])) == 0 {
                    return self.short.get_eight(lower_8(x));
                }
            }
        }
        if (1..=SHORT).contains(&len) {
            if let Some(window) = text.as_bytes().get(start..start + 16) {
                let x = u128::from_le_bytes(window.try_into().expect("16 bytes"));
                let x = x & ((1u128 << (8 * len)) - 1);
                if x & (0x80 * u128::from_le_bytes([1; 16])) == 0 {
                    return self.short.get(lower_packed(x, len));
                }
            }
        }
        self.get(text.get(start..end)?)
    }

    /// Looks a word up, ignoring ASCII case, without allocating.
    pub fn get(&self, word: &str) -> Option<&Entry> {
        let bytes = word.as_bytes();
        if bytes.len() > self.longest_word {
            return None;
        }
        if bytes.len() <= SHORT && bytes.is_ascii() {
            // The common case, with no typographic apostrophe to map: the
            // shape test first, then the packed key, lower-cased in place.
            if bytes.is_empty() {
                return None;
            }
            return self.short.get(pack_lower_ascii(bytes));
        }
        let mut buf = [0u8; 64];
        let mut n = 0;
        let mut k = 0;
        while k < bytes.len() && n < buf.len() {
            // The typographic apostrophe reads as the ASCII one.
            if bytes[k..].starts_with("\u{2019}".as_bytes()) {
                buf[n] = b'\'';
                k += 3;
            } else {
                buf[n] = bytes[k].to_ascii_lowercase();
                k += 1;
            }
            n += 1;
        }
        let lower = &buf[..n];
        if self.shapes[usize::from(*lower.first()?)] & shape_bit(n) == 0 {
            return None;
        }
        if n <= SHORT {
            self.short.get(pack(lower))
        } else {
            self.long.get(lower)
        }
    }
}

/// Reads a table of phrases, longest first so that "no more than" is tried
/// before "more than".
fn phrases<T>(
    table: &HashMap<String, String>,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Result<Vec<Phrase<T>>, LexiconError> {
    let mut out = Vec::new();
    for (phrase, code) in table {
        let value = parse(code).ok_or_else(|| bad(what, phrase, code))?;
        out.push(Phrase {
            words: phrase.split_whitespace().map(str::to_lowercase).collect(),
            value,
            ids: Vec::new(),
        });
    }
    out.sort_by(|a: &Phrase<T>, b: &Phrase<T>| {
        b.words
            .len()
            .cmp(&a.words.len())
            .then_with(|| a.words.cmp(&b.words))
    });
    Ok(out)
}

fn bad(what: &str, word: &str, value: &str) -> LexiconError {
    LexiconError(format!(
        "language table: {word:?} has an unknown {what} {value:?}"
    ))
}

#[cfg(test)]
mod tests {
    use super::{lower_8, pack, pack_lower_ascii};

    #[test]
    fn packed_keys_lower_case_like_std() {
        for b in 0u8..0x80 {
            for len in 1..=super::SHORT {
                let word = vec![b; len];
                let lower = pack(&word.to_ascii_lowercase());
                assert_eq!(pack_lower_ascii(&word), lower);
                if len <= 8 {
                    let mut eight = [0u8; 8];
                    eight[..len].copy_from_slice(&word);
                    assert_eq!(
                        u128::from(lower_8(u64::from_le_bytes(eight))),
                        lower & u128::from(u64::MAX)
                    );
                }
            }
        }
    }

    #[test]
    fn lookups_in_place_agree_with_lookups_of_the_word() {
        let lex = crate::engine::english();
        let text = "On TUESDAY o\u{2019}clock, the Fortnight's end: \u{e9}t\u{e9} x Dec \
                    noon-ish YESTERDAY ago.Midnight said'd weekends";
        for start in 0..=text.len() {
            for end in start..=text.len() {
                let Some(word) = text.get(start..end) else {
                    continue;
                };
                let (a, b) = (lex.get_at(text, start, end), lex.get(word));
                assert_eq!(
                    a.map(|e| e as *const _),
                    b.map(|e| e as *const _),
                    "{word:?}"
                );
            }
        }
    }

    #[test]
    fn lookups_ignore_ascii_case_and_curly_apostrophes() {
        let lex = crate::engine::english();
        for w in ["Tuesday", "TUESDAY", "tuesday", "o\u{2019}clock", "O'Clock"] {
            assert!(lex.get(w).is_some(), "{w}");
        }
        assert!(lex.get("Tuesdays'").is_none());
        assert!(lex.get("").is_none());
        assert!(lex.get(&"a".repeat(100)).is_none());
    }
}
