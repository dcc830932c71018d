//! The event builder's specification, sentence by sentence: every case in
//! `tests/sentences/*.toml` must give exactly the listed events (value,
//! kind, title), and every negative none. See `tests/sentences/README.md`.

use serde::Deserialize;
use timeline::document::{self, dct, Format};
use timeline::events::document::events_from_document;
use timeline::Extractor;

#[derive(Deserialize)]
struct File {
    dct: String,
    #[serde(default)]
    case: Vec<Case>,
    #[serde(default)]
    negative: Vec<Negative>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    expect: Vec<Expected>,
}

#[derive(Deserialize)]
struct Negative {
    text: String,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Expected {
    value: String,
    kind: String,
    title: String,
}

fn events(text: &str, at: &str) -> Vec<Expected> {
    let at = dct::parse(at).expect("case DCT parses");
    let doc = document::read(text.as_bytes(), "case.txt", Some(Format::Text)).expect("text reads");
    let found = Extractor::default().extract_blocks(&doc.text, at, doc.engine_blocks());
    events_from_document(&doc, at, &dct::Source::Flag, &found, "case.txt", at)
        .into_iter()
        .map(|e| Expected {
            value: e.value,
            kind: e.kind.to_string(),
            title: e.title,
        })
        .collect()
}

#[test]
fn sentences() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sentences");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    let (mut total, mut failures) = (0, Vec::new());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file: File = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for c in &file.case {
            total += 1;
            let got = events(&c.text, &file.dct);
            if got != c.expect {
                failures.push(format!(
                    "{name}: {:?}\n    expected {:?}\n    got      {:?}",
                    c.text, c.expect, got
                ));
            }
        }
        for n in &file.negative {
            total += 1;
            let got = events(&n.text, &file.dct);
            if !got.is_empty() {
                failures.push(format!(
                    "{name}: {:?}\n    expected no event\n    got {got:?}",
                    n.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} sentence cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
