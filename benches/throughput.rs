//! Extraction throughput on a JSON-lines corpus.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --mb 25 > /tmp/corpus.jsonl
//! TIMELINE_BENCH_CORPUS=/tmp/corpus.jsonl cargo bench --bench throughput
//! ```
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

fn load(path: &str) -> Result<Vec<Doc>, String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut docs = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Line =
            serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let dct =
            timeline::dct::parse(&parsed.dct).map_err(|e| format!("{path}:{}: dct: {e}", n + 1))?;
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
        "{name:<7} {mb:>8.2} MB  {found:>8} timexes  {:>8.1} timexes/MB  \
         best {best:>7.3} s {:>7.2} MB/s  median {median:>7.3} s {:>7.2} MB/s",
        found as f64 / mb,
        mb / best,
        mb / median,
    );
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let Ok(path) = std::env::var(ENV) else {
        eprintln!(
            "throughput: set {ENV} to a JSON-lines corpus, e.g.\n  \
             cargo run --release --example gen_corpus -- --mb 25 > /tmp/corpus.jsonl\n  \
             {ENV}=/tmp/corpus.jsonl cargo bench --bench throughput"
        );
        // As a test target (`cargo test --all-targets`) a missing corpus is a
        // skip, not a failure.
        process::exit(if bench { 2 } else { 0 });
    };
    let mut docs = load(&path).unwrap_or_else(|e| {
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
        "corpus {path}: {} documents, {:.2} MB of text, {runs} runs each",
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
