//! The document readers end to end, through the binary: formats are
//! detected, markup never reaches the events, offsets point into the file
//! the user has, and bad input gets a one-line answer, never garbage
//! events or a panic.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_timeline"))
        .args(args)
        .output()
        .expect("run timeline")
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn no_panic(out: &Output) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "panicked:\n{err}");
}

/// The events `add --dry-run --format json` would add.
fn dry_run(file: &Path, extra: &[&str]) -> (Output, Vec<Value>) {
    let mut args = vec![
        os("add"),
        file.as_os_str(),
        os("--dry-run"),
        os("--format"),
        os("json"),
    ];
    args.extend(extra.iter().map(|s| os(s)));
    let out = run(&args);
    no_panic(&out);
    let events = if out.status.success() {
        serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap_or_default()
    } else {
        Vec::new()
    };
    (out, events)
}

#[test]
fn a_pdf_is_refused_with_a_way_out() {
    let dir = common::scratch("readers", "pdf");
    let pdf = dir.file(
        "call.pdf",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstream\n\x00\x01\x02 May 3\n",
    );
    let out = run(&[os("add"), pdf.as_os_str(), os("--dry-run")]);
    no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("call.pdf") && err.contains("pdftotext"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn an_empty_file_gives_no_events_and_no_error() {
    let dir = common::scratch("readers", "empty");
    let empty = dir.file("empty.md", b"");
    let (out, events) = dry_run(&empty, &["--dct", "2026-01-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(events.is_empty());
}

#[test]
fn a_directory_is_named_in_the_error() {
    let dir = common::scratch("readers", "dir");
    let out = run(&[os("extract"), dir.as_os_str()]);
    no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
}

#[test]
fn malformed_html_and_mime_give_events_not_panics() {
    let dir = common::scratch("readers", "malformed");
    let html = dir.file(
        "page.html",
        b"<html><body><nav>Home May 1</nav><table><tr><td>Abstracts<td>April 7, 2026<tr><td>Camera-ready<td>May 29, 2026</table></div></span><script>var d = 'June 1';",
    );
    let (out, events) = dry_run(&html, &["--dct", "2026-02-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let titles: Vec<&str> = events.iter().filter_map(|e| e["title"].as_str()).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("Abstracts")), "{titles:?}");
    let mime = dir.file(
        "broken.eml",
        b"From: a@example.org\r\nDate: Tue, 3 Feb 2026 09:00:00 +0000\r\nSubject: Trip\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n",
    );
    let (out, _) = dry_run(&mime, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The warning says which file, as every message about input does.
    let said = stderr(&out);
    let warning = said
        .lines()
        .find(|l| l.contains("could not be decoded"))
        .unwrap_or_else(|| panic!("a warning: {said}"));
    assert!(
        warning.starts_with("timeline: ") && warning.contains("broken.eml: "),
        "{warning}"
    );
}

#[test]
fn markdown_offsets_point_into_the_file() {
    let dir = common::scratch("readers", "offsets");
    let src = "# ICWX 2026\n\n- **Abstracts:** *April 7, 2026*\n- ~~Old date: March 1, 2026~~\n";
    let md = dir.file("call.md", src.as_bytes());
    let out = run(&[
        os("extract"),
        md.as_os_str(),
        os("--format"),
        os("json"),
        os("--dct"),
        os("2026-02-01"),
    ]);
    no_panic(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let timexes = docs[0]["timexes"].as_array().unwrap();
    let texts: Vec<&str> = timexes
        .iter()
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    assert!(
        !texts.iter().any(|t| t.contains("March")),
        "struck date read: {texts:?}"
    );
    let april = timexes
        .iter()
        .find(|t| t["value"] == "2026-04-07")
        .expect("April 7 found");
    let (s, e) = (
        april["start"].as_u64().unwrap() as usize,
        april["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&src[s..e], "April 7, 2026");
}

#[test]
fn a_saved_page_keeps_its_subject_and_date() {
    let dir = common::scratch("readers", "page");
    let page = dir.file(
        "notice.html",
        br#"<!doctype html><html><head><title>Harbour Festival 2026</title>
<meta property="article:published_time" content="2026-03-02T08:00:00Z"></head>
<body><nav><a href="/">News</a> <a href="/old">Archive: 3 March</a></nav>
<article><h1>Volunteers wanted</h1>
<p>Sign-up closes next Friday. The briefing is at 6:30&nbsp;p.m. on March 12.</p>
<p><del>Old briefing date: March 10.</del><!-- draft: March 11 --></p></article>
<footer>&copy; 2026 Harbour Trust</footer></body></html>"#,
    );
    let (out, events) = dry_run(&page, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("2026-03-02"), "{}", stderr(&out));
    let values: Vec<&str> = events.iter().filter_map(|e| e["value"].as_str()).collect();
    assert!(
        values.contains(&"2026-03-06"),
        "next Friday from Mon 2 March: {values:?}"
    );
    assert!(
        values.contains(&"2026-03-12T18:30"),
        "6:30 p.m.: {values:?}"
    );
    assert!(
        !values
            .iter()
            .any(|v| v.starts_with("2026-03-1") && *v != "2026-03-12T18:30"),
        "{values:?}"
    );
    assert!(
        events
            .iter()
            .all(|e| e["context"] == "Harbour Festival 2026"),
        "{events:?}"
    );
}

/// A notice dated by a header field in the words institutions use
/// ("Issued:", "Release date:"): its relative dates resolve against that
/// date, not today's, and its 24-hour times ("17.00") are read.
#[test]
fn a_notice_is_dated_by_its_issued_field() {
    let dir = common::scratch("readers", "issued");
    let notice = dir.file(
        "notice.txt",
        b"PUBLIC CONSULTATION ON THE HARBOUR BYLAW\n\
Issued: 02.11.2026\n\
Reference: HB-2026-14\n\
\n\
Written comments must be received by Friday, 17.00.\n",
    );
    let (out, events) = dry_run(&notice, &["--now", "2026-12-20T09:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("reference date 2026-11-02 from a date field at the top"),
        "{}",
        stderr(&out)
    );
    let values: Vec<&str> = events.iter().filter_map(|e| e["value"].as_str()).collect();
    // Friday after Monday 2 November 2026, at 17:00.
    assert_eq!(values, ["2026-11-06T17:00"], "{events:?}");
    assert_eq!(events[0]["kind"], "deadline", "{events:?}");
}

/// A 100 MB page: read within bounded time, no panic.
#[test]
fn a_100_mb_html_file_is_read() {
    let dir = common::scratch("readers", "big");
    let row = "<tr><td>Item</td><td>text without dates, only words and more words</td></tr>\n";
    let mut page = String::with_capacity(100 << 20);
    page.push_str("<!doctype html><html><body><table>");
    while page.len() < 100 << 20 {
        page.push_str(row);
    }
    page.push_str("</table><p>Applications close on May 29, 2026.</p></body></html>");
    let big = dir.file("big.html", page.as_bytes());
    drop(page);
    let (out, events) = dry_run(&big, &["--dct", "2026-02-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(events.len(), 1, "{events:?}");
}
