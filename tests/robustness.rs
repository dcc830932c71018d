//! No input makes the pipeline panic: synthetic news, the bundled
//! examples cut at every kind of boundary, and hostile text, all the way
//! from extraction to events.

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen;

use timeline::events::build::events_from;
use timeline::Extractor;

fn run(text: &str, dct: &str) {
    let dct = timeline::document::dct::parse(dct).unwrap();
    let mut x = Extractor::default();
    let found = x.extract(text, dct);
    for t in &found {
        assert!(t.start < t.end && t.end <= text.len());
        assert_eq!(&text[t.start..t.end], t.text);
    }
    let events = events_from(text, dct, &found, "doc", dct);
    for e in &events {
        assert!(!e.title.is_empty());
        assert!(e.id.starts_with("ev-"));
    }
}

#[test]
fn synthetic_news_makes_events_without_panicking() {
    for d in gen::documents(1.0, 7) {
        run(&d.text, &d.dct);
    }
}

#[test]
fn every_prefix_of_the_examples_is_safe() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for name in ["vienna-talks.txt", "memo.txt", "notes.md"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                run(&text[..cut], "2014-10-14");
                run(&text[cut..], "2014-10-14");
            }
            cut += 7;
        }
    }
}

#[test]
fn hostile_text_is_safe() {
    let cases = [
        "",
        " ",
        "\n\n\n",
        "will",
        "is to",
        "by",
        "Feb. 30, 2014 and the 99999th of May, in 10,000 years at 25:61",
        "0000-00-00 9999-12-31 1/1/1 31/31/31 12/31/99999",
        "\u{2019}s \u{2019}90s '' `` -- — – ** ## - * •",
        "On Friday,,,,,;;;;:::: will will will be be be to to to",
        "the the the the last next this that every each a an",
        "- by Friday\n- will\n- \n- Monday, March 9.",
        "Date: x\nFrom: y\n\nTuesday",
        "---\npublished: not a date\n---\nMonday",
    ];
    for c in cases {
        for dct in ["2014-10-14", "0001-01-01", "9999-12-31T23:59"] {
            run(c, dct);
        }
    }
    let long: String = "word 2014 Tuesday by ".repeat(50_000);
    run(&long, "2014-10-14");
}
