//! A body read in windows gives the engine what the whole message gives
//! it: the same pieces of text, each at the same bytes of the file,
//! whatever the window, however the file arrives in pieces.

use super::{Head, Survey};
use crate::document::{engine_view, Document};

/// The message read whole, as `extract` read every email before.
fn whole(bytes: &[u8]) -> Document {
    super::super::read(bytes, &String::from_utf8_lossy(bytes))
}

/// The message read in windows cut from `size` bytes of text, its file
/// arriving `step` bytes at a time; `None` when its start shows a message
/// that is read whole.
fn windows(bytes: &[u8], size: usize, step: usize) -> Option<Vec<Document>> {
    let head = Head::read(&bytes[..bytes.len().min(4096)])?;
    let mut survey = Survey::new(&head).sized(size);
    for piece in bytes.chunks(step) {
        survey.feed(piece);
    }
    let mut body = survey.body(&head).sized(size);
    let mut docs = Vec::new();
    let rest = &bytes[head.body_at..];
    let mut pieces: Vec<&[u8]> = rest.chunks(step).collect();
    if pieces.is_empty() {
        pieces.push(b"");
    }
    for (k, piece) in pieces.iter().enumerate() {
        let last = k + 1 == pieces.len();
        body.feed(piece, last);
        while let Some(w) = body.window(last) {
            docs.push(w.doc);
        }
    }
    Some(docs)
}

/// Checks that every way of reading `bytes` in windows reads it whole.
fn same_as_whole(bytes: &[u8], sizes: &[usize]) {
    let expected = engine_view(&[(0, whole(bytes))]);
    for &size in sizes {
        for step in [1 << 20, 4096, 1000, 333, 64, 7] {
            let docs = windows(bytes, size, step).expect("read in windows");
            let docs: Vec<(usize, Document)> = docs.into_iter().map(|d| (0, d)).collect();
            let got = engine_view(&docs);
            if got != expected {
                let k = got
                    .iter()
                    .zip(&expected)
                    .take_while(|(a, b)| a == b)
                    .count();
                panic!(
                    "windows of {size}, pieces of {step}: piece {k} reads {:?}, whole {:?}",
                    got.get(k),
                    expected.get(k)
                );
            }
        }
    }
}

pub(crate) const HEAD: &str = "From: Malin <m@g.example.com>\nTo: Tomas <t@e.example.org>\n\
Subject: Re: Boiler inspection\nDate: Thu, 15 Jan 2026 08:31:12 +0100\nMIME-Version: 1.0\n";

/// A body of everything quoted replies and signatures are told by, over
/// paragraphs that cross windows of a few hundred bytes.
pub(crate) fn body(rounds: usize) -> String {
    let mut s = String::new();
    for k in 0..rounds {
        s.push_str(&format!(
            "Hi Tomas,\n\nMonday {} January works for us. The engineer will arrive\n\
             at Eastfold Court at 09:00 – café first.\n\n",
            k % 28 + 1
        ));
        s.push_str("On Wed, 14 Jan 2026 at 17:05, Tomas Brandt\n<t@e.example.org> wrote:\n");
        s.push_str("> The last inspection was on\n> 3 February 2025.\n\n\n\n");
        s.push_str("Certificates expire on 3 February.\nOn Friday, Ann wrote:\n\nno quote here\n");
        s.push_str(
            "Agenda\n======\n- item one on 4 May\n- item two on 5 May\n\tindented 6 May\n\n",
        );
    }
    s
}

fn message(content: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!("{HEAD}{content}\n\n").into_bytes();
    m.extend_from_slice(body);
    m
}

pub(crate) fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &c in bytes {
        if c == b'\n' {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

pub(crate) fn base64(bytes: &[u8]) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    for (k, group) in bytes.chunks(3).enumerate() {
        if k > 0 && k % 19 == 0 {
            out.push(b'\n');
        }
        let n = group.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)) << (8 * (3 - group.len()));
        for j in 0..=group.len() {
            out.push(ABC[(n >> (18 - 6 * j) & 63) as usize]);
        }
        out.extend(std::iter::repeat_n(b'=', 3 - group.len()));
    }
    out.push(b'\n');
    out
}

pub(crate) fn quoted_printable(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut line = 0;
    for &c in bytes {
        if c == b'\n' {
            out.push(c);
            line = 0;
            continue;
        }
        if line > 70 {
            out.extend_from_slice(b"=\n");
            line = 0;
        }
        if c == b'=' || c >= 0x80 {
            out.extend_from_slice(format!("={c:02X}").as_bytes());
            line += 3;
        } else {
            out.push(c);
            line += 1;
        }
    }
    out
}

#[test]
fn a_plain_body_in_windows_is_the_whole_body() {
    let text = body(12);
    let plain = message("Content-Type: text/plain; charset=utf-8", text.as_bytes());
    same_as_whole(&plain, &[50, 300, 1000, 1 << 20]);
    same_as_whole(&crlf(&plain), &[50, 300, 1000]);
}

#[test]
fn base64_and_quoted_printable_bodies_in_windows_are_the_whole_bodies() {
    let text = body(12);
    for encoded in [
        message(
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64",
            &base64(text.as_bytes()),
        ),
        message(
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable",
            &quoted_printable(text.as_bytes()),
        ),
        message(
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: Base64",
            &crlf(&base64(&crlf(text.as_bytes()))),
        ),
        message(
            "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable",
            &crlf(&quoted_printable(text.as_bytes())),
        ),
    ] {
        same_as_whole(&encoded, &[50, 300, 1000]);
        same_as_whole(&crlf(&encoded), &[300]);
    }
}

#[test]
fn other_charsets_and_bytes_that_are_not_utf8() {
    let text = body(6);
    let latin: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(c).unwrap_or(b'?'))
        .collect();
    same_as_whole(
        &message("Content-Type: text/plain; charset=ISO-8859-1", &latin),
        &[50, 400],
    );
    let ascii = message(
        "Content-Type: text/plain; charset=us-ascii",
        text.as_bytes(),
    );
    same_as_whole(&ascii, &[50, 400]);
    let mut broken = text.clone().into_bytes();
    broken.splice(300..300, [0xff, 0xe2, 0x82]);
    same_as_whole(&message("Content-Type: text/plain", &broken), &[50, 400]);
}

#[test]
fn a_body_that_does_not_decode_is_read_raw_as_whole() {
    let text = body(4);
    let mut bad = base64(text.as_bytes());
    bad.extend_from_slice(b"not base64 at all: 3 May\n");
    let m = message("Content-Transfer-Encoding: base64", &bad);
    same_as_whole(&m, &[100, 1000]);
    let qp = format!("{text}a == b on 4 May\n");
    let m = message("Content-Transfer-Encoding: quoted-printable", qp.as_bytes());
    same_as_whole(&m, &[100, 1000]);
}

#[test]
fn what_follows_a_signature_or_separator_is_left_out_in_windows_too() {
    let text = body(5);
    for tail in [
        "-- \nMalin, since 1 March 2019\n",
        "-----Original Message-----\nSent: 2 March 2019\n",
        "From: Tomas\nTo: Malin\nSent: Monday, 2 March 2019\n",
    ] {
        let b = format!("{text}{tail}{text}");
        same_as_whole(
            &message("Content-Type: text/plain", b.as_bytes()),
            &[40, 500],
        );
    }
}

#[test]
fn a_paragraph_longer_than_a_window_is_cut_where_the_engine_cuts_it() {
    let line = "The board meets on Monday, March 3, 2026 at 10 a.m., café at 9:30 tomorrow.";
    let mut text = String::from("First\n\n");
    for k in 0..6000 {
        text.push_str(line);
        text.push(if k % 40 == 39 { '\n' } else { ' ' });
    }
    let m = message("Content-Type: text/plain; charset=utf-8", text.as_bytes());
    let docs = windows(&m, 100_000, 4096).expect("read in windows");
    assert!(docs.len() > 3, "{} windows", docs.len());
    same_as_whole(&m, &[100_000, 150_000]);
    same_as_whole(&crlf(&m), &[100_000]);
}

#[test]
fn a_table_longer_than_a_window_is_cut_between_its_rows() {
    // One paragraph of 300 KB of tab-separated rows without a header:
    // windows of 20 KB end between rows.
    let rows: String = (0..6000)
        .map(|k| format!("Rota {k}\tMonday {} March 2026\tLibrary\n", k % 28 + 1))
        .collect();
    let lines = rows.lines().count();
    // Where the whole paragraph decides how its rows read, no cut: a
    // header row first, or more lines of prose than rows after them. A
    // quoted row ends a table where it is, in windows as whole.
    let header = format!("Who\tWhen\tWhere\n{rows}");
    let prose = format!(
        "{rows}{}",
        "The rota starts on Friday 6 March.\n".repeat(lines + 1)
    );
    let quoted = rows.replacen("Rota 3000", "> Rota 3000", 1);
    for (table, cut) in [
        (&rows, true),
        (&header, false),
        (&prose, false),
        (&quoted, true),
    ] {
        let text = format!("Rota\n\n{table}\nMore on 5 May.\n");
        let m = message("Content-Type: text/plain; charset=utf-8", text.as_bytes());
        let docs = windows(&m, 20_000, 4096).expect("read in windows");
        let longest = docs.iter().map(|d| d.text.len()).max().unwrap_or(0);
        assert_eq!(longest < 40_000, cut, "{} windows, {longest}", docs.len());
        same_as_whole(&m, &[20_000, 50_000]);
    }
    let text = format!("{rows}\nMore on 5 May.\n");
    let m = message("Content-Type: text/plain; charset=utf-8", text.as_bytes());
    same_as_whole(&crlf(&m), &[20_000]);
    let m = message(
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64",
        &base64(text.as_bytes()),
    );
    same_as_whole(&m, &[20_000]);
}

#[test]
fn a_message_read_whole_is_not_read_in_windows() {
    let html = message("Content-Type: text/html", b"<p>Due 3 May</p>\n");
    let parts = message(
        "Content-Type: multipart/alternative; boundary=b",
        b"--b\nContent-Type: text/plain\n\nDue 3 May\n--b--\n",
    );
    assert!(windows(&parts, 100, 10).is_none());
    let jis = message(
        "Content-Type: text/plain; charset=shift_jis",
        b"Due 3 May\n",
    );
    assert!(windows(&jis, 100, 10).is_none());
    let mbox = [b"From x@y Mon Mar  2 09:00:00 2026\n".as_slice(), &html].concat();
    assert!(windows(&mbox, 100, 10).is_none());
}

#[test]
fn headers_date_and_name_the_message_as_whole() {
    let m = message("Content-Type: text/plain", b"Due 3 May.\n");
    let head = Head::read(&m).expect("one text part");
    let doc = whole(&m);
    assert_eq!(head.doc.subject, doc.subject);
    assert_eq!(head.doc.dated, doc.dated);
    assert_eq!(head.doc.subject.as_deref(), Some("Boiler inspection"));
}

#[test]
fn a_line_longer_than_a_window_is_cut_before_its_end_is_read() {
    // One line of 400 KB, without spaces and with: windows of 100 KB end
    // inside it, where the engine cuts it into pieces, long before its
    // line end comes.
    let dated = format!("{}2026-03-04", "x".repeat(50));
    let spaced = "The board meets on Monday, March 3, 2026 at 10 a.m. ";
    for word in [dated.as_str(), spaced] {
        let line = word.repeat(400_000 / word.len());
        let text = format!("Due on Monday, March 3.\n\n{line}\nMore on 5 May.\n");
        let m = message("Content-Type: text/plain; charset=utf-8", text.as_bytes());
        let docs = windows(&m, 100_000, 4096).expect("read in windows");
        let longest = docs.iter().map(|d| d.text.len()).max().unwrap_or(0);
        assert!(
            docs.len() > 3 && longest < 200_000,
            "{} windows, {longest}",
            docs.len()
        );
        same_as_whole(&m, &[100_000]);
    }
}

#[test]
fn a_long_line_whose_end_may_leave_it_out_is_read_to_its_end() {
    let line = "The board meets on Monday, March 3, 2026 at 10 a.m. ".repeat(6000);
    for text in [
        // An attribution, a row with a tab, a separator, each of 300 KB.
        format!("Due 3 May.\n\n{line}wrote:\n> Due 4 May.\n\nMore on 5 May.\n"),
        format!("Due 3 May.\n\n{line}\tThursday 6 May\nMore on 5 May.\n"),
        format!(
            "Due 3 May.\n\n{}Original Message-----\nDue 7 May.\n",
            "-".repeat(300_000)
        ),
    ] {
        let m = message("Content-Type: text/plain; charset=utf-8", text.as_bytes());
        same_as_whole(&m, &[100_000]);
    }
}

/// An HTML body of everything its quoted replies are told by: quotes in
/// `<blockquote>` and in "> " text, an attribution above a quote and one
/// above none, a table, and paragraphs of a few hundred bytes.
fn html_body(rounds: usize) -> String {
    let mut s = String::from("<html><head><title>Re: inspection</title></head><body>\n");
    for k in 0..rounds {
        s.push_str(&format!(
            "<p>Monday {} January works for us. The engineer will arrive at \
             Eastfold Court at 09:00 &ndash; caf\u{e9} first.</p>\n",
            k % 28 + 1
        ));
        s.push_str("<div>On Wed, 14 Jan 2026 at 17:05, Tomas wrote:</div>\n");
        s.push_str("<blockquote><p>The last inspection was on 3 February 2025.</p></blockquote>\n");
        s.push_str("<p>&gt; Due 4 March, quoted.</p>\n<p>On Friday, Ann wrote:</p>\n");
        s.push_str("<table><tr><th>Item</th><th>Due</th></tr>\n");
        s.push_str(
            "<tr><td>Filter</td><td>4 May</td></tr></table>\n<ul><li>item on 5 May</li></ul>\n",
        );
    }
    s
}

#[test]
fn an_html_body_in_windows_is_the_whole_body() {
    let text = html_body(12);
    let html = message("Content-Type: text/html; charset=utf-8", text.as_bytes());
    let docs = windows(&html, 300, 1000).expect("read in windows");
    assert!(docs.len() > 10, "{} windows", docs.len());
    same_as_whole(&html, &[50, 300, 1000, 1 << 20]);
    same_as_whole(&crlf(&html), &[300]);
    let qp = message(
        "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable",
        &quoted_printable(text.as_bytes()),
    );
    same_as_whole(&qp, &[300, 1000]);
    // A signature ends what is read, in whichever window it comes.
    let signed = format!("{text}<p>-- <br>Malin, since 1 March 2019</p>{text}");
    let html = message("Content-Type: text/html", signed.as_bytes());
    same_as_whole(&html, &[50, 300]);
    let empty = message("Content-Type: text/html", b"");
    same_as_whole(&empty, &[50]);
}
