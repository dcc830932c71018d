//! `timeline extract` reads a plain text in windows of a few MiB, and
//! Markdown, Org, HTML, RST and mbox in windows of 1 MiB (an mbox between
//! its messages), so that memory does not grow with the document; what it
//! writes is what reading the text whole gives, offsets counted from the
//! start of the file.

mod common;

use common::binary::{assert_code, run, run_reading_all, stderr, stdout};
use common::news::{news, numbers, SENTENCES};
use serde_json::Value;
use timeline::document::{self, dct, Format};
use timeline::{Extractor, Timex};

const DCT: &str = "2014-10-14";

/// What reading `bytes` whole as plain text gives: the text as decoded,
/// and its timexes.
fn whole(bytes: &[u8]) -> (String, Vec<Timex>) {
    let doc = document::read(bytes, "doc.txt", Some(Format::Text)).expect("text");
    let dct = dct::parse(DCT).expect("a date");
    let found = Extractor::default().extract_blocks(&doc.text, dct, doc.engine_blocks());
    (doc.text, found)
}

fn extract(path: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec![
        "extract",
        path.to_str().expect("a UTF-8 path"),
        "--dct",
        DCT,
    ];
    all.extend_from_slice(args);
    let out = run(&all, None);
    assert_code(&out, 0);
    stdout(&out)
}

/// The binary's JSON lines record, checked against `found` in `text`:
/// offsets in bytes, or in characters.
fn check_jsonl(line: &str, text: &str, found: &[Timex], chars: bool) {
    let record: Value = serde_json::from_str(line).expect("one JSON record");
    let timexes = record["timexes"].as_array().expect("timexes");
    assert_eq!(timexes.len(), found.len(), "as many timexes as read whole");
    // The characters before each byte: a markup reader may place a timex
    // before the end of the one ahead of it (text it changed maps to where
    // that text starts).
    let mut before = vec![0; text.len() + 1];
    for (k, (at, c)) in text.char_indices().enumerate() {
        before[at + 1..=at + c.len_utf8()].fill(k + 1);
    }
    let at = |to: usize| before[to];
    for (got, want) in timexes.iter().zip(found) {
        let (start, end) = match chars {
            true => (at(want.start), at(want.end)),
            false => (want.start, want.end),
        };
        let wanted = (
            start as u64,
            end as u64,
            want.text.as_str(),
            want.value.as_str(),
        );
        let (s, e) = (got["start"].as_u64(), got["end"].as_u64());
        let pair = (
            s.unwrap_or(0),
            e.unwrap_or(0),
            got["text"].as_str().unwrap_or(""),
        );
        assert_eq!(
            (pair.0, pair.1, pair.2, got["value"].as_str().unwrap_or("")),
            wanted
        );
    }
}

/// Every format checked against the text read whole.
fn same_as_whole(bytes: &[u8]) {
    let dir = common::scratch("streaming", "whole");
    let path = dir.file("doc.txt", bytes);
    let (text, found) = whole(bytes);
    assert!(found.len() > 1000, "a text with dates: {}", found.len());
    let lines = extract(&path, &["--format", "jsonl"]);
    check_jsonl(&lines, &text, &found, false);
    let lines = extract(&path, &["--format", "jsonl", "--offsets", "chars"]);
    check_jsonl(&lines, &text, &found, true);
    let name = path.display().to_string();
    let timeml = extract(&path, &["--format", "timeml"]);
    assert!(timeml == timeline::timeml::write(&name, DCT, &text, &found));
}

#[test]
fn a_text_of_many_windows_reads_as_the_whole_text() {
    same_as_whole(news(10_000_000, 1).as_bytes());
}

#[test]
fn one_line_of_megabytes_reads_as_the_whole_line() {
    // No line end at all: windows end where the engine cuts the line into
    // pieces anyway, so no piece differs.
    let line = news(9_000_000, 2).replace('\n', " ");
    same_as_whole(line.as_bytes());
}

#[test]
fn invalid_utf8_in_a_later_window_is_replaced_as_in_the_whole_text() {
    let mut bytes = news(6_000_000, 3).into_bytes();
    let bad = 5_000_000
        + bytes[5_000_000..]
            .iter()
            .position(|&b| b == b' ')
            .expect("a space");
    bytes[bad] = 0xff;
    same_as_whole(&bytes);
    let dir = common::scratch("streaming", "utf8");
    let path = dir.file("doc.txt", &bytes);
    let out = run(
        &[
            "extract",
            path.to_str().expect("a path"),
            "--format",
            "jsonl",
        ],
        None,
    );
    assert!(stderr(&out).contains(&format!(
        "invalid UTF-8 at byte {bad}; replaced with U+FFFD"
    )));
}

#[test]
fn what_the_start_holds_back_comes_out_after_a_blank_window() {
    // A story whose kind is decided only past megabytes of blank lines:
    // its dates are held back across windows and written in order.
    let story = "In 1862 the engineer moved to Lyon. In March she opened a workshop.\n\n";
    let mut text = story.repeat(3);
    text.push_str(&" \n\n".repeat(2_000_000));
    text.push_str(&news(2_000_000, 4));
    same_as_whole(text.as_bytes());
}

#[test]
fn standard_input_reads_as_a_file() {
    let text = news(5_000_000, 5);
    let dir = common::scratch("streaming", "stdin");
    let path = dir.file("doc.txt", &text);
    let from_file = extract(&path, &["--format", "jsonl"]);
    let out = run(
        &["extract", "-", "--dct", DCT, "--format", "jsonl"],
        Some(text.as_bytes()),
    );
    assert_code(&out, 0);
    let (file, stdin): (Value, Value) = (
        serde_json::from_str(&from_file).expect("JSON"),
        serde_json::from_str(&stdout(&out)).expect("JSON"),
    );
    assert_eq!(file["timexes"], stdin["timexes"]);
}

/// About `bytes` of Markdown: headings, paragraphs of the news sentences,
/// lists (some loose), tables, quotes, fenced code and comments with blank
/// lines inside.
fn markdown(bytes: usize, seed: u64) -> String {
    let mut next = numbers(seed);
    let mut text = String::from("---\ntitle: Field notes\n---\n\n");
    while text.len() < bytes {
        let s = SENTENCES[next(SENTENCES.len())];
        let block = match next(8) {
            0 => format!("## {s}\n"),
            1 => format!("- {s}\n- Talks: June 9\n\n- {s}\n\n  {s}\n"),
            2 => format!("| Task | Date |\n|---|---|\n| Review | April 7 |\n| {s} | May 29 |\n"),
            3 => format!("```\n{s}\n\n{s}\n```\n"),
            4 => format!("<!-- draft\n\n{s}\n\n-->\n"),
            5 => format!("> {s}\n>\n> *{s}*\n"),
            _ => format!("{s} **{s}**\n{s}\n"),
        };
        text.push_str(&block);
        text.push('\n');
    }
    text
}

/// About `bytes` of Org: headings with planning lines, comment subtrees,
/// source blocks holding lines that look like headings, lists, tables.
fn org(bytes: usize, seed: u64) -> String {
    let mut next = numbers(seed);
    let mut text = String::from("#+TITLE: Field notes\n\n");
    while text.len() < bytes {
        let s = SENTENCES[next(SENTENCES.len())];
        let block = match next(6) {
            0 => format!("* TODO {s}\n  DEADLINE: <2014-11-24 Mon>\n{s}\n"),
            1 => format!("* COMMENT Drafts\n** {s}\n{s}\n"),
            2 => format!("* Code\n#+BEGIN_SRC text\n* {s}\n\n{s}\n#+END_SRC\n"),
            3 => format!("** {s}\n- {s}\n\n| Task | Date |\n|---+---|\n| Review | April 7 |\n"),
            _ => format!("{s}\n{s}\n\n"),
        };
        text.push_str(&block);
    }
    text
}

/// About `bytes` of HTML: metadata in the head, headings, paragraphs,
/// lists (nested, items left open), tables, quotes, code, comments,
/// scripts, styles and navigation holding what looks like blocks,
/// entities and struck-out text, containers with text after their end;
/// and, past `long_at` bytes, a table of `rows` rows and a `<pre>` of as
/// many lines.
fn html(bytes: usize, seed: u64, long_at: usize, rows: usize) -> String {
    let mut next = numbers(seed);
    let mut text = String::from(concat!(
        "<!DOCTYPE html>\n<html><head><title>Field notes</title>\n",
        "<meta property=\"article:published_time\" content=\"2014-10-14\">\n",
        "<style>p::before { content: \"<p>\" }</style></head>\n<body><main>\n"
    ));
    let mut long = Some(long_at);
    while text.len() < bytes {
        let s = SENTENCES[next(SENTENCES.len())];
        if long.is_some_and(|at| text.len() >= at) {
            long = None;
            text.push_str("<table><tr><th>Task<th>Due date\n");
            for _ in 0..rows {
                let s = SENTENCES[next(SENTENCES.len())];
                text.push_str(&format!("<tr><td>{s}<td>April 7\n"));
            }
            text.push_str("</table>\n<pre>");
            for _ in 0..rows {
                text.push_str(SENTENCES[next(SENTENCES.len())]);
                text.push('\n');
            }
            text.push_str("</pre>\n");
        }
        let block = match next(10) {
            0 => format!("<h2>{s}</h2>"),
            1 => format!("<ul><li>{s}<li>Talks: June 9<ul><li>{s}</ul></li></ul>"),
            2 => format!("<table><tr><th>Task<th>Date<tr><td>{s}<td>May 29</table>"),
            3 => format!("<pre>{s}\n\n<b>{s}</b></pre><!-- <p>{s}</p> -->"),
            4 => format!("<script>var s = \"<p>{s}</p>\";</script><nav><p>{s}</nav>"),
            5 => format!("<blockquote><p>{s}<p><em>{s}</em></blockquote>"),
            6 => format!("<div class=\"note\">{s}</div>{s}"),
            7 => format!("<p>Abstracts: April 7<br>Notification: May&nbsp;12<br>{s}</p>"),
            8 => format!("<p>{s} <del>{s}</del> &amp; <s>May 4</s> {s}"),
            _ => format!("<p>{s}\n{s}</p>"),
        };
        text.push_str(&block);
        text.push('\n');
    }
    text.push_str("</main></body></html>\n");
    text
}

/// About `bytes` of reStructuredText: titles of three adornments, field
/// lists, lists with loose items, literal blocks and quotes with blank
/// lines inside, simple tables with a blank line between rows, grid
/// tables, directives, comments, definitions and line blocks.
fn rst(bytes: usize, seed: u64) -> String {
    let mut next = numbers(seed);
    let mut text =
        String::from("=============\nField notes\n=============\n\n:Date: 2014-10-14\n\n");
    while text.len() < bytes {
        let s = SENTENCES[next(SENTENCES.len())];
        let block = match next(10) {
            0 => format!("{s}\n{}\n", "-".repeat(s.chars().count())),
            1 => format!("Part\n~~~~\n\n* {s}\n* Talks: June 9\n\n* {s}\n\n  {s}\n"),
            2 => format!("Example::\n\n    {s}\n\n    * {s}\n"),
            3 => format!("=====  =======\nTask   Date\n=====  =======\nA      April 7\n\nB      {s}\n=====  =======\n"),
            4 => format!("+------+---------+\n| Task | Date    |\n+======+=========+\n| {k}    | May 29  |\n+------+---------+\n", k = next(10)),
            5 => format!(".. note::\n\n   {s}\n\n   {s}\n\n.. a comment\n\n   {s}\n"),
            6 => format!("A term\n    {s}\n\n:Deadline: {s}\n"),
            7 => format!("| Abstracts: April 7\n| {s}\n\n    {s}\n\n    {s}\n"),
            _ => format!("{s} *{s}*\n{s}\n"),
        };
        text.push_str(&block);
        text.push('\n');
    }
    text
}

/// A markup file of several windows, checked against the library's
/// reading of the whole file, placed in the file as `extract` places a
/// whole document's timexes.
fn markup_same_as_whole(text: &str, name: &str, format: Format) {
    let doc = document::read(text.as_bytes(), name, Some(format)).expect("a document");
    let dct = dct::parse(DCT).expect("a date");
    let mut found = Extractor::default().extract_blocks(&doc.text, dct, doc.engine_blocks());
    assert!(found.len() > 1000, "a text with dates: {}", found.len());
    let floor = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let ceil = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at += 1;
        }
        at
    };
    for t in &mut found {
        let start = floor(doc.file_offset(t.start));
        let end = ceil((doc.file_offset(t.end.saturating_sub(1)) + 1).max(start));
        (t.start, t.end) = (start, end);
    }
    let dir = common::scratch("streaming", "markup");
    let path = dir.file(name, text);
    let lines = extract(&path, &["--format", "jsonl"]);
    check_jsonl(&lines, text, &found, false);
    // A range's ends ("2-3pm ET") are placed in the file too: within the
    // range, and exactly where the range is (text the reader changed, such
    // as an Org heading's, maps to where it starts).
    let record: Value = serde_json::from_str(&lines).expect("JSON");
    let at = |v: &Value, key: &str| v[key].as_u64().expect("an offset") as usize;
    let mut exact = 0;
    for t in record["timexes"].as_array().expect("timexes") {
        let span = &text[at(t, "start")..at(t, "end")];
        for p in t["parts"].as_array().into_iter().flatten() {
            assert!(at(t, "start") <= at(p, "start") && at(p, "end") <= at(t, "end"));
            if span == t["text"].as_str().expect("text") {
                let part = &text[at(p, "start")..at(p, "end")];
                assert_eq!(part, p["text"].as_str().expect("text"));
                exact += 1;
            }
        }
    }
    assert!(exact > 100, "{exact}");
    let lines = extract(&path, &["--format", "jsonl", "--offsets", "chars"]);
    check_jsonl(&lines, text, &found, true);
}

#[test]
fn a_markdown_file_of_many_windows_reads_as_the_whole_file() {
    markup_same_as_whole(&markdown(5_000_000, 6), "doc.md", Format::Markdown);
}

#[test]
fn an_org_file_of_many_windows_reads_as_the_whole_file() {
    markup_same_as_whole(&org(5_000_000, 7), "doc.org", Format::Org);
}

#[test]
fn an_html_page_of_many_windows_reads_as_the_whole_page() {
    markup_same_as_whole(&html(5_000_000, 8, 0, 0), "doc.html", Format::Html);
}

#[test]
fn html_longer_than_a_window_in_one_table_or_pre_reads_as_the_whole_page() {
    // 2 MB of table rows, cut between them, then 2 MB of `<pre>`, cut
    // inside where the engine cuts it into pieces.
    let page = html(6_000_000, 9, 1_500_000, 30_000);
    markup_same_as_whole(&page, "doc.html", Format::Html);
}

#[test]
fn an_rst_file_of_many_windows_reads_as_the_whole_file() {
    markup_same_as_whole(&rst(5_000_000, 10), "doc.rst", Format::Rst);
}

/// A simple table and a grid table of about `bytes` each, the news
/// sentences in their cells: rows of two lines, blank and `---` lines
/// between rows, borders between groups of rows, CRLF; then a table of
/// 9-byte rows, and one without a header.
fn rst_tables(bytes: usize, seed: u64) -> String {
    let mut next = numbers(seed);
    let mut text = String::from("Schedule\n========\n\n==========  ========\nTask        Notes\n");
    text.push_str("            (dated)\n==========  ========\n");
    let start = text.len();
    while text.len() - start < bytes {
        let k = next(1000);
        let s = SENTENCES[next(SENTENCES.len())];
        text.push_str(&format!("Task {k:<4}   {s}\n"));
        match next(8) {
            0 => text.push_str(&format!("            {}\n", SENTENCES[next(12)])),
            1 => text.push('\n'),
            2 => text.push_str("----------  --------\n"),
            3 => text.push_str("==========  ========\r\n"),
            _ => {}
        }
    }
    text.push_str("==========  ========\n\nBetween, on May 3.\n\n");
    let border = format!("+{}+{}+\n", "-".repeat(10), "-".repeat(80));
    text.push_str(&border);
    text.push_str(&format!("| Task     | {:<79}|\n", "Notes"));
    text.push_str(&format!("+{}+{}+\n", "=".repeat(10), "=".repeat(80)));
    let start = text.len();
    while text.len() - start < bytes {
        let (k, s) = (next(1000), SENTENCES[next(SENTENCES.len())]);
        text.push_str(&format!("| Task {k:<4}| {s:<79}|\n"));
        if next(4) == 0 {
            text.push_str(&format!("|          | {:<79}|\r\n", SENTENCES[next(12)]));
        }
        text.push_str(&border);
    }
    text.push_str("\n=====  ========\nDay    Event\n=====  ========\n");
    for k in 0..200_000 {
        text.push_str(&format!("{:<5}  May {}\n", k % 1000, k % 28 + 1));
    }
    text.push_str(
        "=====  ========\n\n=====  ========\nA      April 7\nB      May 2\n=====  ========\n",
    );
    text
}

#[test]
fn rst_tables_of_megabytes_are_cut_between_rows_and_read_as_the_whole_file() {
    markup_same_as_whole(&rst_tables(2_000_000, 21), "doc.rst", Format::Rst);
}

/// `n` lines of the news sentences from a fixed seed, each after `indent`
/// and ended by one of `ends` in turn.
fn long_lines(n: usize, seed: u64, indent: &str, ends: &[&str]) -> String {
    let mut next = numbers(seed);
    let mut text = String::new();
    for k in 0..n {
        text.push_str(indent);
        text.push_str(SENTENCES[next(SENTENCES.len())]);
        text.push_str(ends[k % ends.len()]);
    }
    text
}

#[test]
fn html_pre_and_cells_of_megabytes_are_cut_inside_and_read_as_the_whole_page() {
    // Entities, inline tags, `<br>`, blank lines and CRLF in a `<pre>` in
    // a list item; one ending within a window; one `<listing>` of CRLF.
    let ends = ["\n", " &amp; <b>x</b>\n", "  \n", "\n\n", "<br>\n", " "];
    let mut page = String::from("<!DOCTYPE html>\n<html><body><ul><li><pre>\n");
    page.push_str(&long_lines(25_000, 11, "", &ends));
    page.push_str("</pre></ul>\n<p>Between, on May 3.</p>\n<pre>");
    page.push_str(&long_lines(3_000, 12, "", &ends));
    page.push_str("</pre>\n<listing>");
    page.push_str(&long_lines(25_000, 13, "", &["\r\n"]));
    page.push_str("</listing><p>After, on May 4.</p>\n");
    // Cells of megabytes, one in a table's header row.
    page.push_str("<table><tr><th>Task<th>Notes<tr><td>Review<td>");
    page.push_str(&long_lines(25_000, 18, "", &ends));
    page.push_str("<td>April 7<tr><td>");
    page.push_str(&long_lines(3_000, 19, "", &["\r\n"]));
    page.push_str("</table><table><tr><th>");
    page.push_str(&long_lines(25_000, 20, "", &ends));
    page.push_str("</table></body></html>\n");
    markup_same_as_whole(&page, "doc.html", Format::Html);
}

#[test]
fn rst_literal_blocks_of_megabytes_are_cut_inside_and_read_as_the_whole_file() {
    // Blank lines, deeper lines and trailing spaces; CRLF; one ending
    // within a window; one in a list item after its text of one line,
    // and of several.
    let ends = ["\n", "\n\n", "  \n", "\n      deeper on June 2\n", " "];
    let mut text = String::from("Notes\n=====\n\nLog::\n\n");
    text.push_str(&long_lines(25_000, 14, "    ", &ends));
    text.push_str("\nBetween, on May 3::\n\n");
    text.push_str(&long_lines(3_000, 15, "  ", &ends));
    text.push_str("\n::\r\n\r\n");
    text.push_str(&long_lines(25_000, 16, "   ", &["\r\n"]));
    text.push_str("\r\n* An item::\n\n");
    text.push_str(&long_lines(12_000, 17, "      ", &ends));
    text.push_str("\n- Another item, whose text\n  runs on to June 5::\n\n");
    text.push_str(&long_lines(12_000, 18, "      ", &ends));
    text.push_str("\nAfter, on May 4.\n");
    markup_same_as_whole(&text, "doc.rst", Format::Rst);
}

#[test]
fn rst_bodies_of_megabytes_of_short_blocks_are_cut_between_them_and_read_as_the_whole_file() {
    // One block quote of short paragraphs, a quote in a quote, a note:
    // no block at the margin for megabytes.
    let paras = |n: usize, indent: &str| -> String {
        (0..n)
            .map(|k| {
                format!(
                    "{indent}The board met on {} May 2027 from 2-3pm ET, item {k}.\n\n",
                    k % 28 + 1
                )
            })
            .collect()
    };
    let mut text = String::from("Notes\n=====\n\nIntro, 3 March 2026.\n\n");
    text.push_str(&paras(25_000, "    "));
    text.push_str("    Outer, June 1.\n\n");
    text.push_str(&paras(10_000, "        "));
    text.push_str(".. note::\n\n");
    text.push_str(&paras(10_000, "   "));
    text.push_str("After, on May 4.\n");
    markup_same_as_whole(&text, "doc.rst", Format::Rst);
}

/// About `bytes` of mbox: messages of the news sentences, with quoted
/// replies, signatures, an escaped ">From " line, quoted-printable and
/// HTML parts, and one message longer than a window.
fn mbox(bytes: usize, seed: u64) -> String {
    let mut next = numbers(seed);
    let mut text = String::new();
    let mut k = 0;
    while text.len() < bytes {
        k += 1;
        let day = 1 + next(28);
        text.push_str(&format!(
            "From clerk{k}@example.org Tue Oct 14 09:{:02}:00 2014\n\
             From: Clerk {k} <clerk{k}@example.org>\nTo: desk@example.org\n\
             Subject: Re: schedule {k}\nDate: Tue, {day} Oct 2014 09:00:00 +0200\n",
            k % 60
        ));
        let s = SENTENCES[next(SENTENCES.len())];
        let t = SENTENCES[next(SENTENCES.len())];
        let body = match if k == 7 { 9 } else { next(5) } {
            // Longer than a window: read whole all the same.
            9 => format!("\n{}", format!("{s}\n\n").repeat(1_500_000 / s.len())),
            0 => format!(
                "\n{s}\n\n{t}\n\nOn Mon, 13 Oct 2014, Desk wrote:\n> {s}\n\n-- \nClerk {k}, since 1 May 2009\n"
            ),
            1 => format!(
                "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b{k}\"\n\n\
                 --b{k}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n\
                 {}\n--b{k}\nContent-Type: text/html\n\n<p>{s}</p>\n--b{k}--\n",
                s.replace('=', "=3D")
            ),
            2 => format!(
                "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>{s}</p><nav>Jan 1, 1999</nav><p>{t}</p></body></html>\n"
            ),
            _ => format!("\n{s}\n>From the archive: {t}\n"),
        };
        text.push_str(&body);
        text.push('\n');
    }
    text
}

#[test]
fn an_mbox_of_many_windows_reads_as_the_whole_file() {
    markup_same_as_whole(&mbox(5_000_000, 8), "mail.mbox", Format::Email);
}

/// A single email of megabytes, read in windows from a file and from
/// standard input (spooled to a file first): what each writes is what
/// reading it whole from standard input writes, where no spool file can
/// be made.
fn email_same_as_whole(message: &[u8]) {
    let dir = common::scratch("streaming", "email");
    let path = dir.file("big.eml", message);
    let record = |out: String| -> Value {
        let mut v: Value = serde_json::from_str(&out).expect("one JSON record");
        v["doc"] = Value::Null;
        v
    };
    let spools = common::scratch("streaming", "spools");
    let spools_at = spools.path().to_str().expect("a UTF-8 path");
    let no_spool = dir.path().join("no such folder");
    let no_spool = no_spool.to_str().expect("a UTF-8 path");
    for args in [
        &["--format", "jsonl"][..],
        &["--format", "jsonl", "--offsets", "chars"],
    ] {
        let streamed = record(extract(&path, args));
        let mut all = vec!["extract", "-", "--input-format", "email", "--dct", DCT];
        all.extend_from_slice(args);
        let out = run_reading_all(&all, &[("TMPDIR", spools_at)], message);
        assert_code(&out, 0);
        let spooled = record(stdout(&out));
        let left = std::fs::read_dir(spools.path()).expect("a folder").count();
        assert_eq!(left, 0, "the spool file is removed");
        let out = run_reading_all(&all, &[("TMPDIR", no_spool)], message);
        assert_code(&out, 0);
        // Offsets in bytes: a message of several parts is read in parts
        // too, and spooled first.
        if args.len() == 2 {
            assert!(stderr(&out).contains("cannot spool standard input"));
        }
        let whole = record(stdout(&out));
        let n = whole["timexes"].as_array().map_or(0, Vec::len);
        assert!(n > 1000, "a message with dates: {n}");
        assert!(streamed == whole, "{args:?}");
        assert!(spooled == whole, "{args:?}");
    }
    // A table shows each timex's sentence: the text near it is at hand
    // in windows as in the whole message.
    let table = &["extract", "-", "--input-format", "email", "--dct", DCT];
    let whole = run_reading_all(table, &[("TMPDIR", no_spool)], message);
    assert_code(&whole, 0);
    let whole = stdout(&whole);
    let rows = whole.matches(" DATE ").count();
    assert!(rows > 1000, "a table of the message's dates: {rows}");
    // The tables under the line that names the file.
    let tables = |out: &str| out.split_once('\n').map(|(_, rest)| rest.to_owned());
    assert!(tables(&extract(&path, &[])) == tables(&whole));
}

#[test]
fn a_single_email_of_megabytes_reads_as_the_whole_message() {
    let head = "From: Desk <desk@example.org>\nSubject: Re: schedule\n\
                Date: Tue, 14 Oct 2014 09:00:00 +0200\nMIME-Version: 1.0\n";
    // Over the 4 MiB read first, so that windows follow.
    let mut body = news(3_300_000, 9);
    // A paragraph of a megabyte, and a reply with its quote.
    body.push_str(&news(1_000_000, 10).replace("\n\n", "\n"));
    body.push_str("\n\nOn Mon, 13 Oct 2014, Desk wrote:\n> Due Nov. 3, 2014.\n\nThanks.\n");
    let plain = format!("{head}Content-Type: text/plain; charset=utf-8\n\n{body}");
    markup_same_as_whole(&plain, "big.eml", Format::Email);
    email_same_as_whole(plain.replace('\n', "\r\n").as_bytes());
    let qp = body.replace('=', "=3D").replace('é', "=C3=A9");
    email_same_as_whole(
        format!("{head}Content-Transfer-Encoding: quoted-printable\n\n{qp}").as_bytes(),
    );
}

#[test]
fn an_email_of_several_parts_reads_its_text_parts_as_the_whole_message() {
    let head = "From: Desk <desk@example.org>\nSubject: Re: schedule\n\
                Date: Tue, 14 Oct 2014 09:00:00 +0200\nMIME-Version: 1.0\n\
                Content-Type: multipart/mixed; boundary=\"next\"\n\n";
    let text = news(200_000, 11);
    // An attachment of 4.6 MB, over the 4 MiB read first.
    let attachment = format!("{}\n", "QUJD".repeat(19)).repeat(60_000);
    let reply = format!(
        "{}\n\nOn Mon, 13 Oct 2014, Desk wrote:\n> Due Nov. 3, 2014.\n",
        news(100_000, 12)
    );
    let qp = reply.replace('=', "=3D").replace('é', "=C3=A9");
    let message = format!(
        "{head}--next\nContent-Type: text/plain; charset=utf-8\n\n{text}\n\
         --next\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\
         Content-Disposition: attachment; filename=\"d.bin\"\n\n{attachment}\n\
         --next\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n\
         {qp}\n--next--\n"
    );
    email_same_as_whole(message.as_bytes());
}
