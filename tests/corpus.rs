//! The grammar's specification: every case in `tests/corpus/en/*.toml` must
//! produce exactly the expected timexes (text, type, value, mod), and every
//! negative must produce none. See `tests/corpus/README.md` for the format.

use std::path::Path;

use serde::Deserialize;
use timeline::engine::doctype::DocType;
use timeline::Extractor;

#[derive(Deserialize)]
struct File {
    dct: String,
    /// How the file's texts are read: "auto" (the default, as `timeline
    /// extract` reads), "news", "narrative" or "colloquial".
    doctype: Option<String>,
    #[serde(default)]
    case: Vec<Case>,
    #[serde(default)]
    negative: Vec<Negative>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    dct: Option<String>,
    doctype: Option<String>,
    expect: Vec<Expected>,
}

#[derive(Deserialize)]
struct Negative {
    text: String,
    dct: Option<String>,
    doctype: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Expected {
    text: String,
    #[serde(rename = "type")]
    kind: String,
    value: String,
    #[serde(rename = "mod")]
    modifier: Option<String>,
    /// The last day of a day range ("Sept 8-11" → its 11th).
    through: Option<String>,
    /// A recurrence's RFC 5545 rule; checked only where a case gives one.
    rrule: Option<String>,
    /// The UTC offset of a zone the text named ("-04:00") and its tz
    /// database name; checked only where a case gives them.
    tz: Option<String>,
    tzid: Option<String>,
    /// The bounds of a range's interval ("2026-12-03T14:00"), start
    /// inclusive, end exclusive; checked only where a case gives them.
    start: Option<String>,
    end: Option<String>,
    /// The side a word before it leaves open ("until noon": ON_OR_BEFORE);
    /// checked only where a case gives it.
    open: Option<String>,
    /// The value of the date a length points at ("in two weeks" → the
    /// week it reaches); checked only where a case gives it.
    anchored: Option<String>,
}

fn run(text: &str, dct: &str, doctype: Option<&str>, timeml: bool) -> Vec<Expected> {
    let dct = timeline::document::dct::parse(dct).expect("corpus DCT parses");
    let doctype: DocType = doctype.unwrap_or("auto").parse().expect("a known doctype");
    let bound = |t: &chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
    Extractor::default()
        .doctype(doctype)
        .extract(text, dct)
        .into_iter()
        .flat_map(|t| if timeml { t.timeml() } else { vec![t] })
        .map(|t| Expected {
            start: t.interval.as_ref().map(|i| bound(&i.start)),
            end: t.interval.as_ref().map(|i| bound(&i.end)),
            open: t.open.map(|m| m.to_string()),
            anchored: t.anchored.as_ref().map(|a| a.value.to_string()),
            through: t.interval.as_ref().and_then(|i| {
                let last = i.end.date().pred_opt()?;
                (t.value.len() == 10 && last > i.start.date()).then(|| last.to_string())
            }),
            text: t.text.into_string(),
            kind: t.kind.to_string(),
            value: t.value.into_string(),
            modifier: t.modifier.map(|m| m.to_string()),
            rrule: t.rule,
            tz: t.zone.map(timeline::engine::timex::format_zone),
            tzid: t.tzid.map(str::to_owned),
        })
        .collect()
}

#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/en");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus/en exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let file: File = toml::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for case in &file.case {
            total += 1;
            let dct = case.dct.as_deref().unwrap_or(&file.dct);
            let doctype = case.doctype.as_deref().or(file.doctype.as_deref());
            let mut got = run(&case.text, dct, doctype, false);
            // A range also matches a case that lists each of its ends, as
            // TimeML annotates them.
            if got.len() != case.expect.len() {
                let parts = run(&case.text, dct, doctype, true);
                if parts.len() == case.expect.len() {
                    got = parts;
                }
            }
            for (g, e) in got.iter_mut().zip(&case.expect) {
                if e.rrule.is_none() {
                    g.rrule = None;
                }
                if e.start.is_none() {
                    g.start = None;
                }
                if e.end.is_none() {
                    g.end = None;
                }
                if e.open.is_none() {
                    g.open = None;
                }
                if e.anchored.is_none() {
                    g.anchored = None;
                }
                if e.tz.is_none() {
                    g.tz = None;
                }
                if e.tzid.is_none() {
                    g.tzid = None;
                }
            }
            if got != case.expect {
                failures.push(format!(
                    "{name}: {:?}\n    expected {:?}\n    got      {:?}",
                    case.text,
                    case.expect.iter().map(show).collect::<Vec<_>>(),
                    got.iter().map(show).collect::<Vec<_>>()
                ));
            }
        }
        for neg in &file.negative {
            total += 1;
            let doctype = neg.doctype.as_deref().or(file.doctype.as_deref());
            let got = run(
                &neg.text,
                neg.dct.as_deref().unwrap_or(&file.dct),
                doctype,
                false,
            );
            if !got.is_empty() {
                failures.push(format!(
                    "{name}: negative {:?}\n    got {:?}",
                    neg.text,
                    got.iter().map(show).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(total >= 300, "the corpus has only {total} cases");
    assert!(
        failures.is_empty(),
        "{} of {total} corpus cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn show(e: &Expected) -> String {
    let mut s = format!("{} {} {}", e.text, e.kind, e.value);
    if let Some(m) = &e.modifier {
        s = format!("{s} {m}");
    }
    if let Some(t) = &e.through {
        s = format!("{s} through {t}");
    }
    if let Some(r) = &e.rrule {
        s = format!("{s} rrule {r}");
    }
    if let (Some(a), Some(b)) = (&e.start, &e.end) {
        s = format!("{s} [{a}, {b})");
    }
    if let Some(o) = &e.open {
        s = format!("{s} open {o}");
    }
    for z in [&e.tz, &e.tzid].into_iter().flatten() {
        s = format!("{s} {z}");
    }
    s
}

#[test]
fn language_table_loads() {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/en.toml"))
            .unwrap();
    timeline::engine::load_lexicon(&source).expect("data/en.toml is valid");
}

/// The narrative corpus scored timex by timex, read as `timeline extract`
/// reads it (auto) and as news: how much reading the story's year is worth.
/// `cargo test --release --test corpus -- --nocapture` prints the figures.
#[test]
fn narratives_read_as_auto_beat_news() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/en/narratives.toml");
    let file: File = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let score = |doctype: &str| {
        let (mut right, mut total) = (0usize, 0usize);
        for case in &file.case {
            let got = run(
                &case.text,
                case.dct.as_deref().unwrap_or(&file.dct),
                Some(doctype),
                false,
            );
            for e in &case.expect {
                total += 1;
                let found = got
                    .iter()
                    .any(|g| g.text == e.text && g.value == e.value && g.modifier == e.modifier);
                right += usize::from(found);
            }
        }
        (right, total)
    };
    let (auto, total) = score("auto");
    let (news, _) = score("news");
    println!(
        "narratives.toml: {total} timexes; right value read as auto {auto} ({:.3}), as news {news} ({:.3})",
        auto as f64 / total as f64,
        news as f64 / total as f64
    );
    assert!(auto > news && auto * 100 >= total * 95);
}
