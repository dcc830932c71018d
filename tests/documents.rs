//! Documents as people have them, with the events a reader writes down
//! (`tests/documents/*.events.toml`, format in `tests/documents/README.md`).
//!
//! The matrix (one call for papers laid out fourteen ways) must be read
//! exactly; the wider corpus and the news-style articles of `tests/news/`
//! are held to floors, so a change that loses events, titles, kinds or
//! reference dates fails here.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use timeline::events::score::{gold_pairs, score_document, Counts, DocScore};

fn dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(sub)
}

fn score(sub: &str) -> (Counts, Vec<DocScore>) {
    // "Today" only matters for documents that give no date; every gold
    // file either sets `dct` or expects one found in the document.
    let today = NaiveDate::from_ymd_opt(2026, 11, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut total = Counts::default();
    let mut docs = Vec::new();
    for (doc, gold) in gold_pairs(&dir(sub)).unwrap() {
        let s = score_document(&doc, &gold, today).unwrap_or_else(|e| panic!("{e}"));
        total.add(&s.counts);
        docs.push(s);
    }
    (total, docs)
}

fn report(docs: &[DocScore]) -> String {
    let mut out = String::new();
    for d in docs {
        for m in &d.misses {
            out += &format!(
                "  miss {}: {} {} {:?} (found: {})\n",
                d.file,
                m.gold.when,
                m.gold.kind,
                m.gold.title,
                m.nearest.as_deref().unwrap_or("nothing")
            );
        }
        for x in &d.extra {
            out += &format!("  extra {}: {x}\n", d.file);
        }
    }
    out
}

#[test]
fn one_call_for_papers_in_every_layout() {
    let (total, docs) = score("documents/matrix");
    assert_eq!(docs.len(), 14, "the matrix has fourteen layouts");
    for d in &docs {
        let c = &d.counts;
        assert!(
            c.gold == 3
                && c.extracted == 3
                && c.matched == 3
                && c.deadlines_found == c.gold_deadlines,
            "{}: {} of 3 events, {} extracted, {}/{} deadlines\n{}",
            d.file,
            c.matched,
            c.extracted,
            c.deadlines_found,
            c.gold_deadlines,
            report(std::slice::from_ref(d))
        );
    }
    assert_eq!(total.matched, 42);
}

#[test]
fn documents_of_every_kind_meet_their_floors() {
    let (t, docs) = score("documents");
    let figures = format!(
        "P {:.3} R {:.3} F1 {:.3}, titles {:.3}, kinds {:.3}, deadlines {:.3}, dct {}/{}, subject {}/{}\n{}",
        t.precision(),
        t.recall(),
        t.f1(),
        t.title_rate(),
        t.kind_accuracy(),
        t.deadline_recall(),
        t.dct_right,
        t.dct_expected,
        t.context_right,
        t.context_expected,
        report(&docs)
    );
    assert!(t.documents >= 45, "only {} documents", t.documents);
    assert!(t.f1() >= FLOOR_F1, "event F1 fell: {figures}");
    assert!(t.title_rate() >= 0.85, "titles fell: {figures}");
    assert!(
        t.deadline_recall() >= FLOOR_DEADLINES,
        "deadline recall fell: {figures}"
    );
    assert_eq!(
        t.context_right, t.context_expected,
        "subjects lost: {figures}"
    );
    assert!(
        t.dct_right + 1 >= t.dct_expected,
        "reference dates lost: {figures}"
    );
}

#[test]
fn news_articles_meet_their_floors() {
    let (t, docs) = score("news");
    assert_eq!(t.documents, 26);
    let figures = format!(
        "P {:.3} R {:.3} F1 {:.3}, kinds {:.3}, places {:.3}\n{}",
        t.precision(),
        t.recall(),
        t.f1(),
        t.kind_accuracy(),
        t.place_accuracy(),
        report(&docs)
    );
    // Measured 0.838 / 0.930 with titles of at most 12 words.
    assert!(t.f1() >= 0.80, "news event F1 fell: {figures}");
    assert!(t.recall() >= 0.88, "news event recall fell: {figures}");
}

/// Floors a little under the figures measured (event F1 0.810 with titles
/// of at most 12 words, deadline recall 0.793), so a trade-off elsewhere
/// has room; raise them as the events get better.
const FLOOR_F1: f64 = 0.78;
const FLOOR_DEADLINES: f64 = 0.75;
