//! A message of several parts read from its skeleton gives the engine
//! what the whole message gives it: its text parts, each at the same
//! bytes of the file, whatever the window, however the file arrives in
//! pieces; and a message the skeleton cannot tell all of is read whole.

use super::{may_plan, Check, Plan, Skeleton};
use crate::document::email::body::tests::{base64, body, crlf, quoted_printable, HEAD};
use crate::document::{engine_view, Document};

fn whole(bytes: &[u8]) -> Document {
    super::super::read(bytes, &String::from_utf8_lossy(bytes))
}

/// The plan of a message fed `step` bytes at a time, and its check.
fn plan(bytes: &[u8], step: usize) -> Option<(Plan, Check)> {
    let mut skeleton = Skeleton::new();
    for piece in bytes.chunks(step) {
        skeleton.feed(piece);
    }
    let plan = skeleton.plan()?;
    let mut check = Check::new(&plan);
    for piece in bytes.chunks(step) {
        check.feed(&plan, piece);
    }
    check.decodes(&plan).then_some((plan, check))
}

/// The text parts read in windows cut from `size` bytes of text.
fn windows(bytes: &[u8], size: usize, step: usize) -> Option<Vec<Document>> {
    let (plan, check) = plan(bytes, step)?;
    let mut docs = Vec::new();
    for (body, end) in plan.bodies(&check) {
        let mut body = body.sized(size);
        let rest = &bytes[body.read_to()..end];
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
    }
    Some(docs)
}

fn same_as_whole(bytes: &[u8], sizes: &[usize]) {
    let expected = engine_view(&[(0, whole(bytes))]);
    assert!(!expected.is_empty(), "a message with text");
    for &size in sizes {
        for step in [1 << 20, 4096, 333, 7] {
            let docs = windows(bytes, size, step).expect("read in parts");
            let docs: Vec<(usize, Document)> = docs.into_iter().map(|d| (0, d)).collect();
            let got = engine_view(&docs);
            if got != expected {
                let k = (got.iter().zip(&expected))
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

/// A part: its headers, a blank line, its body.
fn part(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut p = format!("{headers}\n\n").into_bytes();
    p.extend_from_slice(body);
    p
}

/// The body of a multipart message: `parts` between boundaries `b`.
fn parts_between(b: &str, parts: &[Vec<u8>]) -> Vec<u8> {
    let mut m = b"A preamble -- not read.\n".to_vec();
    for p in parts {
        m.extend_from_slice(format!("\n--{b}\n").as_bytes());
        m.extend_from_slice(p);
    }
    m.extend_from_slice(format!("\n--{b}--\nAn epilogue.\n").as_bytes());
    m
}

/// A multipart message of `kind` with `parts`, between boundaries `b`.
fn multipart(kind: &str, b: &str, parts: &[Vec<u8>]) -> Vec<u8> {
    let content = format!("Content-Type: multipart/{kind}; boundary=\"{b}\"");
    let mut m = format!("{HEAD}{content}\n\n").into_bytes();
    m.extend_from_slice(&parts_between(b, parts));
    m
}

/// Bytes that stand for a file: every value, as base64 would carry them.
fn attachment() -> Vec<u8> {
    base64(
        &(0..30_000u32)
            .map(|k| (k * 7 % 251) as u8)
            .collect::<Vec<u8>>(),
    )
}

#[test]
fn text_parts_around_an_attachment_read_as_the_whole_message() {
    let text = body(6);
    let m = multipart(
        "mixed",
        "=_outer",
        &[
            part("Content-Type: text/plain; charset=utf-8", text.as_bytes()),
            part(
                "Content-Type: application/pdf; name=\"r.pdf\"\n\
                 Content-Transfer-Encoding: base64\n\
                 Content-Disposition: attachment; filename=\"r.pdf\"",
                &attachment(),
            ),
            part(
                "Content-Type: text/plain; charset=utf-8\n\
                 Content-Transfer-Encoding: quoted-printable",
                &quoted_printable(
                    b"Then on Friday, 6 March -- at 5 p.m. =\nsharp.\n\nCaf\xc3\xa9.",
                ),
            ),
        ],
    );
    same_as_whole(&m, &[50, 300, 1 << 20]);
    same_as_whole(&crlf(&m), &[300]);
}

#[test]
fn the_plain_part_of_an_alternative_is_read_and_the_html_one_skipped() {
    let text = body(4);
    let parts = [
        part(
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64",
            &base64(text.as_bytes()),
        ),
        part("Content-Type: text/html", b"<p>Due on 9 May 2031.</p>"),
    ];
    same_as_whole(&multipart("alternative", "alt", &parts), &[50, 400]);
    // Nested in a mixed message, before an attachment, in Latin-1.
    let latin = part(
        "Content-Type: multipart/alternative; boundary=\"alt\"",
        &parts_between("alt", &parts),
    );
    let m = multipart(
        "mixed",
        "mix",
        &[
            latin,
            part(
                "Content-Type: text/plain; charset=iso-8859-1",
                b"R\xe9union le 3 mars.\n\nDue 4 March 2026.\n",
            ),
            part(
                "Content-Type: image/png\nContent-Transfer-Encoding: base64",
                &attachment(),
            ),
        ],
    );
    same_as_whole(&m, &[50, 400]);
}

#[test]
fn an_attachment_is_a_stub_in_the_skeleton() {
    let m = multipart(
        "mixed",
        "b1",
        &[
            part("Content-Type: text/plain", b"Due Monday.\n"),
            part(
                "Content-Type: application/zip\nContent-Transfer-Encoding: base64",
                &attachment(),
            ),
        ],
    );
    let mut skeleton = Skeleton::new();
    skeleton.feed(&m);
    skeleton.finish();
    assert!(
        m.len() > 40_000 && skeleton.out.len() < 1000,
        "{}",
        skeleton.out.len()
    );
}

#[test]
fn what_the_skeleton_cannot_tell_is_read_whole() {
    let text = part("Content-Type: text/plain", b"Due Monday, 2 March.\n");
    let readable = multipart("mixed", "b", std::slice::from_ref(&text));
    assert!(plan(&readable, 100).is_some());
    // An attached message, whose own headers the skeleton shrinks.
    let message = part(
        "Content-Type: message/rfc822",
        format!("{HEAD}\nDue 3 May.\n").as_bytes(),
    );
    assert!(plan(&multipart("mixed", "b", &[text.clone(), message]), 100).is_none());
    // A body of HTML only.
    let html = part("Content-Type: text/html", b"<p>Due 3 May.</p>");
    assert!(plan(&multipart("mixed", "b", &[html]), 100).is_none());
    // Parts that never end.
    let mut open = readable.clone();
    open.truncate(open.len() - "--\nAn epilogue.\n".len());
    assert!(plan(&open, 100).is_none());
    // An attachment that does not decode: the whole parse reads it raw.
    let broken = part(
        "Content-Type: application/zip\nContent-Transfer-Encoding: base64",
        b"QUJD\n!!not base64!!\n",
    );
    assert!(plan(&multipart("mixed", "b", &[text.clone(), broken]), 100).is_none());
    // A single part is the single-part reader's.
    let single = format!("{HEAD}Content-Type: text/plain\n\nDue Monday.\n");
    assert!(plan(single.as_bytes(), 100).is_none());
}

#[test]
fn a_quoted_printable_part_ends_at_its_boundary_as_in_the_whole_message() {
    let qp = |body: &[u8]| {
        multipart(
            "mixed",
            "q",
            &[part(
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable",
                body,
            )],
        )
    };
    // Ending in a line end, or in text: read in parts.
    for body in [
        &b"Due 3 May.\n\nCaf=C3=A9 on 4 May.\n"[..],
        b"Due 3 May.\r\n\r\nThen 4 May.",
    ] {
        same_as_whole(&qp(body), &[20, 400]);
    }
    // Ending in blanks or an escape, which the whole parse cuts another way.
    for body in [
        &b"Due 3 May.\n\nthen 4 May.  "[..],
        b"Due 3 May.\n\n4 May=",
        b"Due 3 May=\n",
    ] {
        assert!(plan(&qp(body), 100).is_none(), "{body:?}");
    }
}

#[test]
fn a_message_whose_headers_declare_one_part_is_not_planned() {
    let text = part("Content-Type: text/plain", b"Due Monday, 2 March.\n");
    let mixed = multipart("mixed", "b", std::slice::from_ref(&text));
    assert!(may_plan(&mixed) && plan(&mixed, 100).is_some());
    // Headers of one part, their end read: no skeleton would plan it.
    for content in [
        "Content-Type: text/html",
        "Content-Type: text/plain",
        "X-Note: no type",
    ] {
        let single = format!("{HEAD}{content}\n\n<p>Due Monday.</p>\n");
        assert!(!may_plan(single.as_bytes()), "{content}");
        assert!(plan(single.as_bytes(), 100).is_none(), "{content}");
    }
    // Headers still going on where the start read so far ends: the
    // skeleton tells.
    let cut = &mixed[..HEAD.len() - 10];
    assert!(may_plan(cut));
    assert!(may_plan(&crlf(&mixed)));
}

/// A message of an mbox, fed from the byte after its "From " line: its
/// parts are planned at the bytes of the file they are at, each as many
/// bytes on as in the message alone, and the check reads them there.
#[test]
fn a_message_fed_from_a_later_byte_places_its_parts_in_the_file() {
    let m = multipart(
        "mixed",
        "b",
        &[
            part(
                "Content-Type: text/plain; charset=utf-8",
                body(2).as_bytes(),
            ),
            part(
                "Content-Type: application/pdf\nContent-Transfer-Encoding: base64",
                &attachment(),
            ),
        ],
    );
    let (alone, _) = plan(&m, 4096).expect("planned alone");
    let at = 1234;
    let mut skeleton = Skeleton::new().starting_at(at);
    skeleton.feed(&m);
    let later = skeleton.plan().expect("planned from a later byte");
    let places = |p: &Plan, by: usize| -> Vec<(usize, usize)> {
        (p.parts.iter())
            .map(|q| (q.body_at + by, q.end + by))
            .collect()
    };
    assert_eq!(places(&later, 0), places(&alone, at));
    let mut check = Check::new(&later).starting_at(at);
    for piece in m.chunks(333) {
        check.feed(&later, piece);
    }
    // All its parts were found where the plan puts them, and decode.
    assert!(check.decodes(&later));
}
