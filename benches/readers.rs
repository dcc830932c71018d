//! The document readers' cost, and what they add to plain-text extraction.
//!
//! ```text
//! cargo bench --bench readers
//! ```
//!
//! On the synthetic news corpus of `examples/gen_corpus.rs` (10 MB by
//! default, `TIMELINE_BENCH_MB` to change), each scenario is run `RUNS`
//! times, interleaved so that a busy machine slows them alike (best and
//! median reported):
//!
//! - `engine`: `Extractor::extract` on each document's text (the path
//!   before the readers existed);
//! - `text`: the plain-text reader, in place, and then `extract_blocks` on
//!   its blocks (what `timeline extract FILE.txt` does now); both paths
//!   start from an owned copy of each document, as reading a file gives;
//! - `read-txt`, `read-md`, `read-html`: the readers alone, on the corpus
//!   as plain text, as Markdown (headings, lists, a table, emphasis) and as
//!   an HTML page (nav, script, paragraphs, a table).
//!
//! Under `cargo test --benches` it only checks a few documents.

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use timeline::document::{self, Format};
use timeline::Extractor;

const RUNS: usize = 5;

struct Doc {
    text: String,
    markdown: String,
    html: String,
    dct: NaiveDateTime,
}

/// The same document as Markdown: a heading, its paragraphs as a list and
/// a table row, with some emphasis.
fn as_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    out.push_str("# Bulletin\n\n");
    for (i, para) in text.split("\n\n").enumerate() {
        match i % 3 {
            0 => out.push_str(&format!("{para}\n\n")),
            1 => out.push_str(&format!("- **Item:** {}\n\n", para.replace('\n', " "))),
            _ => out.push_str(&format!(
                "| Note | Text |\n|---|---|\n| {i} | {} |\n\n",
                para.replace(['\n', '|'], " ")
            )),
        }
    }
    out
}

/// The same document as a web page.
fn as_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    out.push_str("<!doctype html><html><head><title>Bulletin</title><script>var x = 1;</script></head><body><nav><a href=\"/\">Home</a></nav><article>");
    for (i, para) in text.split("\n\n").enumerate() {
        let escaped = para.replace('&', "&amp;").replace('<', "&lt;");
        if i % 4 == 3 {
            out.push_str(&format!("<table><tr><th>Note</th><th>Text</th></tr><tr><td>{i}</td><td>{escaped}</td></tr></table>"));
        } else {
            out.push_str(&format!("<p>{escaped}</p>\n"));
        }
    }
    out.push_str("</article><footer>&copy; 2026</footer></body></html>");
    out
}

fn time<F: FnMut() -> usize>(mut f: F) -> (Duration, usize) {
    let started = Instant::now();
    let n = f();
    (started.elapsed(), n)
}

fn report(name: &str, bytes: usize, runs: &mut [(Duration, usize)]) {
    runs.sort_by_key(|&(t, _)| t);
    let mb = bytes as f64 / 1e6;
    let best = runs[0].0.as_secs_f64();
    let median = runs[runs.len() / 2].0.as_secs_f64();
    println!(
        "{name:<10} {:>8.2} MB/s best, {:>8.2} MB/s median  ({mb:.2} MB, {} found)",
        mb / best,
        mb / median,
        runs[0].1
    );
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let mb = std::env::var("TIMELINE_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if bench { 10.0 } else { 0.05 });
    let docs: Vec<Doc> = gen_corpus::documents(mb, gen_corpus::DEFAULT_SEED)
        .map(|d| Doc {
            markdown: as_markdown(&d.text),
            html: as_html(&d.text),
            dct: timeline::document::dct::parse(&d.dct).expect("generated DCTs parse"),
            text: d.text,
        })
        .collect();
    let runs = if bench { RUNS } else { 1 };
    black_box(Extractor::default());
    let sum = |f: fn(&Doc) -> usize| docs.iter().map(f).sum::<usize>();
    let (text_bytes, md_bytes, html_bytes) = (
        sum(|d| d.text.len()),
        sum(|d| d.markdown.len()),
        sum(|d| d.html.len()),
    );
    println!(
        "corpus gen_corpus --mb {mb}: {} documents; text {:.2} MB, Markdown {:.2} MB, HTML {:.2} MB; {runs} runs, interleaved",
        docs.len(),
        text_bytes as f64 / 1e6,
        md_bytes as f64 / 1e6,
        html_bytes as f64 / 1e6
    );
    let mut results: [Vec<(Duration, usize)>; 5] = Default::default();
    let mut extractor = Extractor::default();
    for _ in 0..runs {
        // Both paths start from an owned copy of each document, as reading
        // a file gives one; the text path reads it as `extract FILE.txt`
        // does (in place, no further copy).
        results[0].push(time(|| {
            docs.iter()
                .map(|d| {
                    let text = black_box(d.text.clone());
                    black_box(extractor.extract(&text, d.dct)).len()
                })
                .sum()
        }));
        results[1].push(time(|| {
            docs.iter()
                .map(|d| {
                    let text = black_box(d.text.clone());
                    let doc = document::read_text_owned(text, "bench.txt").expect("text reads");
                    let blocks = doc.engine_blocks();
                    black_box(extractor.extract_blocks(&doc.text, d.dct, blocks)).len()
                })
                .sum()
        }));
        for (slot, format) in [(2, Format::Text), (3, Format::Markdown), (4, Format::Html)] {
            results[slot].push(time(|| {
                docs.iter()
                    .map(|d| {
                        let src = match format {
                            Format::Markdown => &d.markdown,
                            Format::Html => &d.html,
                            _ => &d.text,
                        };
                        black_box(document::read(src.as_bytes(), "bench", Some(format)))
                            .map_or(0, |doc| doc.blocks.len())
                    })
                    .sum()
            }));
        }
    }
    report("engine", text_bytes, &mut results[0]);
    report("text", text_bytes, &mut results[1]);
    report("read-txt", text_bytes, &mut results[2]);
    report("read-md", md_bytes, &mut results[3]);
    report("read-html", html_bytes, &mut results[4]);
}
