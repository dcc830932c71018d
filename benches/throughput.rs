//! Extraction throughput on a news-like corpus.
//!
//! ```text
//! cargo bench --bench throughput
//! cargo run --release --example gen_corpus -- --mb 25 > /tmp/corpus.jsonl
//! TIMELINE_BENCH_CORPUS=/tmp/corpus.jsonl cargo bench --bench throughput
//! ```
//!
//! Without `TIMELINE_BENCH_CORPUS` the bench generates the default synthetic
//! corpus of `examples/gen_corpus.rs` (25 MB, the same documents as the
//! command writes) in memory; with it, it reads that JSON-lines file.
//!
//! Two scenarios, each run `RUNS` times (best and median reported):
//!
//! - `reuse`: one [`Extractor`] reused across every document, each with its
//!   own DCT (the corpus-run path of the CLI);
//! - `single`: all texts joined with blank lines into one long document with
//!   the first document's DCT (long-document behaviour: block splitting and
//!   resolver state that lives for the whole document).
//!
//! Loading and parsing the corpus are not timed. Under `cargo test
//! --benches` (no `--bench` argument) the bench only checks a few documents.

// The generator is shared with the example, so the bench measures the same
// documents that `gen_corpus` writes; its `main` is unused here.
#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

use std::hint::black_box;
use std::process;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use serde::Deserialize;
use timeline::Extractor;

const ENV: &str = "TIMELINE_BENCH_CORPUS";
const RUNS: usize = 3;
/// Documents processed when run as a test rather than a benchmark.
const SMOKE_DOCS: usize = 20;

#[derive(Deserialize)]
struct Line {
    text: String,
    dct: String,
}

struct Doc {
    text: String,
    dct: NaiveDateTime,
}

/// The documents of the default synthetic corpus, `mb` megabytes of text.
fn generate(mb: f64) -> Result<Vec<Doc>, String> {
    gen_corpus::documents(mb, gen_corpus::DEFAULT_SEED)
        .map(|d| {
            let dct = timeline::document::dct::parse(&d.dct)
                .map_err(|e| format!("{}: dct: {e}", d.doc))?;
            Ok(Doc { text: d.text, dct })
        })
        .collect()
}

fn load(path: &str) -> Result<Vec<Doc>, String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut docs = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Line =
            serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let dct = timeline::document::dct::parse(&parsed.dct)
            .map_err(|e| format!("{path}:{}: dct: {e}", n + 1))?;
        docs.push(Doc {
            text: parsed.text,
            dct,
        });
    }
    if docs.is_empty() {
        return Err(format!("{path}: no documents"));
    }
    Ok(docs)
}

/// One timed pass: elapsed time and number of timexes found.
fn run_reuse(docs: &[Doc]) -> (Duration, usize) {
    let mut extractor = Extractor::default();
    let started = Instant::now();
    let mut found = 0;
    for doc in docs {
        found += black_box(extractor.extract(black_box(&doc.text), doc.dct)).len();
    }
    (started.elapsed(), found)
}

fn run_single(text: &str, dct: NaiveDateTime) -> (Duration, usize) {
    let mut extractor = Extractor::default();
    let started = Instant::now();
    let found = black_box(extractor.extract(black_box(text), dct)).len();
    (started.elapsed(), found)
}

fn report(name: &str, bytes: usize, runs: &mut [(Duration, usize)]) {
    runs.sort_by_key(|&(t, _)| t);
    let mb = bytes as f64 / 1e6;
    let found = runs[0].1;
    if runs.iter().any(|&(_, n)| n != found) {
        eprintln!("warning: {name}: timex counts differ between runs");
    }
    let best = runs[0].0.as_secs_f64();
    let median = runs[runs.len() / 2].0.as_secs_f64();
    println!(
        "{name:<7} {:>7.2} MB/s best, {:>7.2} MB/s median  \
         ({mb:.2} MB, best {best:.3} s, median {median:.3} s, {found} timexes, {:.1}/MB)",
        mb / best,
        mb / median,
        found as f64 / mb,
    );
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    // As a test (`cargo test --benches`) a few documents are enough.
    let (source, loaded) = match std::env::var(ENV) {
        Ok(path) => (path.clone(), load(&path)),
        Err(_) if bench => (
            format!("gen_corpus --mb {}", gen_corpus::DEFAULT_MB),
            generate(gen_corpus::DEFAULT_MB),
        ),
        Err(_) => ("gen_corpus --mb 0.1".to_string(), generate(0.1)),
    };
    let mut docs = loaded.unwrap_or_else(|e| {
        eprintln!("throughput: {e}");
        process::exit(1);
    });
    let runs = if bench {
        RUNS
    } else {
        docs.truncate(SMOKE_DOCS);
        1
    };

    // Build the lexicon before any timer starts.
    black_box(Extractor::default());

    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    println!(
        "corpus {source}: {} documents, {:.2} MB of text, {runs} runs each",
        docs.len(),
        bytes as f64 / 1e6
    );

    let mut reuse: Vec<_> = (0..runs).map(|_| run_reuse(&docs)).collect();
    report("reuse", bytes, &mut reuse);

    let joined = docs
        .iter()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let dct = docs[0].dct;
    drop(docs);
    let mut single: Vec<_> = (0..runs).map(|_| run_single(&joined, dct)).collect();
    report("single", joined.len(), &mut single);
}
