use super::*;

fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
    doc.blocks
        .iter()
        .map(|b| (b.kind, &doc.text[b.range.clone()]))
        .collect()
}

fn read_str(s: &str) -> Document {
    read(s.as_bytes(), s)
}

const REPLY: &str = "Return-Path: <m@g.example.com>\r\n\
Message-ID: <1@g.example.com>\r\n\
Date: Thu, 15 Jan 2026 08:31:12 +0100 (CET)\r\n\
From: Malin <m@g.example.com>\r\n\
To: Tomas <t@e.example.org>\r\n\
Subject: Re: AW: Fwd: Boiler inspection date\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 7bit\r\n\
\r\n\
Hi Tomas,\r\n\
\r\n\
Monday 26 January works for us. The engineer, Petra Lund, will arrive\r\n\
at Eastfold Court at 09:00 and expects to need most of the morning.\r\n\
\r\n\
On Wed, 14 Jan 2026 at 17:05, Tomas Brandt\r\n\
<t@e.example.org> wrote:\r\n\
> The last inspection was on\r\n\
> 3 February 2025.\r\n\
\r\n\
Certificates expire on 3 February.\r\n\
\r\n\
-- \r\n\
Malin, since 1 March 2019\r\n";

#[test]
fn headers_and_a_reply_without_its_quote() {
    assert!(looks_like_email(REPLY));
    let doc = read_str(REPLY);
    assert_eq!(doc.subject.as_deref(), Some("Boiler inspection date"));
    assert_eq!(
        doc.dated,
        Some((
            dct::parse("2026-01-15T08:31:12").unwrap(),
            dct::Source::EmailHeader
        ))
    );
    assert_eq!(
            blocks(&doc),
            [
                (BlockKind::Paragraph, "Hi Tomas,"),
                (
                    BlockKind::Paragraph,
                    "Monday 26 January works for us. The engineer, Petra Lund, will arrive\nat Eastfold Court at 09:00 and expects to need most of the morning."
                ),
                (BlockKind::Paragraph, "Certificates expire on 3 February."),
            ]
        );
    for old in ["2025", "14 Jan", "wrote", "2019"] {
        assert!(!doc.text.contains(old), "{old} in {:?}", doc.text);
    }
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    // 7bit text maps byte for byte.
    for needle in ["Monday 26 January", "09:00", "3 February."] {
        let at = doc.text.find(needle).unwrap();
        let file = doc.file_offset(at);
        assert_eq!(&REPLY[file..file + needle.len()], needle);
    }
}

const MULTIPART: &str = "From: Desk <f@b.example.edu>\n\
To: all@b.example.edu\n\
Subject: Lab move\n\
Date: Tue, 14 Apr 2026 16:02:41 +0200\n\
MIME-Version: 1.0\n\
Content-Type: multipart/alternative; boundary=\"XX\"\n\
\n\
This is a multi-part message in MIME format.\n\
\n\
--XX\n\
Content-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: quoted-printable\n\
\n\
Pack your bench by Friday 8 =\n\
May. Caf=C3=A9 closed.\n\
\n\
-----Original Message-----\n\
From: Desk\n\
Sent: 1 April 2025\n\
\n\
Old news of 2 April 2025.\n\
\n\
--XX\n\
Content-Type: text/html; charset=utf-8\n\
\n\
<p>Pack your bench by <b>Friday 8 May</b>.</p>\n\
\n\
--XX--\n";

#[test]
fn quoted_printable_plain_part_is_preferred_to_html() {
    assert!(looks_like_email(MULTIPART));
    let doc = read_str(MULTIPART);
    assert_eq!(doc.subject.as_deref(), Some("Lab move"));
    assert_eq!(
        doc.dated.as_ref().map(|d| d.0),
        Some(dct::parse("2026-04-14T16:02:41").unwrap())
    );
    assert_eq!(
        blocks(&doc),
        [(
            BlockKind::Paragraph,
            "Pack your bench by Friday 8 May. Café closed."
        )]
    );
    // Decoded text maps to the start of its part's body.
    let at = doc.text.find("Friday").unwrap();
    let part = MULTIPART.find("Pack your bench by Friday 8 =").unwrap();
    let end = MULTIPART.find("\n--XX\nContent-Type: text/html").unwrap();
    assert!((part..end).contains(&doc.file_offset(at)));
    assert!(!doc.text.contains("2025"));
}

#[test]
fn base64_and_html_only_parts() {
    // "Meeting on 24 November at 19:00." in base64.
    let src = "From: a@b.c\nTo: d@e.f\nSubject: Fwd: AGM\nDate: Fri, 6 Nov 2026 11:20:00 +0000\n\
MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n\
--b1\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n\
PHA+TWVldGluZyBvbiAyNCBOb3ZlbWJlciBhdCAxOTowMC48L3A+Cg==\n\
--b1\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b1--\n";
    let doc = read_str(src);
    assert_eq!(doc.subject.as_deref(), Some("AGM"));
    assert!(
        doc.text.contains("Meeting on 24 November at 19:00."),
        "{:?}",
        doc.text
    );
    assert!(!doc.text.contains("<p>"), "{:?}", doc.text);
    let at = doc.text.find("Meeting").unwrap();
    assert!(src[doc.file_offset(at)..].starts_with("PHA+"));
}

#[test]
fn html_part_keeps_kinds_cells_and_offsets_without_the_quote() {
    let src = "From: a@b.c\nTo: d@e.f\nSubject: Re: Plan\nDate: Mon, 2 Mar 2026 09:14:05 +0100\n\
MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n\
<html><body><p>See you on <b>Friday 6 March</b> at 10:00 &amp; bring lunch.</p>\n\
<table><tr><th>Item</th><th>Date</th></tr><tr><td>Abstracts</td><td>April 7</td></tr></table>\n\
<div>On Sun, 1 Mar 2026 at 10:00, Bob wrote:</div>\n\
<blockquote>Last meeting was on 3 February 2025.</blockquote>\n</body></html>\n";
    let doc = read_str(src);
    assert_eq!(doc.subject.as_deref(), Some("Plan"));
    assert_eq!(
        blocks(&doc),
        [
            (
                BlockKind::Paragraph,
                "See you on Friday 6 March at 10:00 & bring lunch."
            ),
            (BlockKind::TableRow, "Abstracts | April 7"),
        ]
    );
    let row = &doc.blocks[1];
    assert_eq!(row.headers, ["Item", "Date"]);
    let cells: Vec<&str> = row.cells.iter().map(|c| &doc.text[c.clone()]).collect();
    assert_eq!(cells, ["Abstracts", "April 7"]);
    assert!(!doc.text.contains("2025") && !doc.text.contains("wrote"));
    // An 8bit HTML part maps its text to the file byte for byte.
    for needle in ["Friday 6 March", "bring lunch", "April 7"] {
        let at = doc.text.find(needle).unwrap();
        let file = doc.file_offset(at);
        assert_eq!(&src[file..file + needle.len()], needle);
    }
}

#[test]
fn mbox_reads_every_message() {
    let src = "From a@b.c Mon Mar  2 09:14:05 2026\n\
From: a@b.c\nTo: d@e.f\nSubject: First\nDate: Mon, 2 Mar 2026 09:14:05 +0100\n\n\
Briefing on Thursday 12 March.\n\n\
From d@e.f Tue Mar  3 10:00:00 2026\n\
From: d@e.f\nTo: a@b.c\nSubject: Second\nDate: Tue, 3 Mar 2026 10:00:00 +0100\n\n\
Rota starts on 1 April.\n>From here on, nothing quoted.\n";
    assert!(looks_like_email(src));
    let doc = read_str(src);
    assert_eq!(doc.subject.as_deref(), Some("First"));
    assert_eq!(
        doc.dated.as_ref().map(|d| d.0),
        Some(dct::parse("2026-03-02T09:14:05").unwrap())
    );
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::Paragraph, "Briefing on Thursday 12 March."),
            (
                BlockKind::Paragraph,
                "Rota starts on 1 April.\n>From here on, nothing quoted."
            ),
        ]
    );
    let at = doc.text.find("1 April").unwrap();
    assert_eq!(&src[doc.file_offset(at)..][..7], "1 April");
}

#[test]
fn malformed_mime_falls_back_with_a_warning() {
    let bad_b64 = "From: a@b.c\nTo: d@e.f\nSubject: X\nMIME-Version: 1.0\n\
Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n\
Meeting on 3 May!!! not base64 at all\n";
    let doc = read_str(bad_b64);
    assert!(doc.text.contains("Meeting on 3 May"), "{:?}", doc);
    assert!(!doc.warnings.is_empty());

    let open = "From: a@b.c\nTo: d@e.f\nSubject: X\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"zz\"\n\n--zz\nContent-Type: text/plain\n\n\
Party on 9 May.\n";
    let doc = read_str(open);
    assert!(doc.text.contains("Party on 9 May."), "{:?}", doc.text);
    assert!(!doc.warnings.is_empty());

    let none = "From: a@b.c\nTo: d@e.f\nSubject: X\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"zz\"\n\nParty on 9 May.\n";
    let doc = read_str(none);
    assert!(doc.text.contains("Party on 9 May."), "{:?}", doc.text);
    assert!(!doc.warnings.is_empty());
}

#[test]
fn what_looks_like_an_email() {
    assert!(looks_like_email(
        "Subject: Hi\nDate: Mon, 2 Mar 2026 09:14:05 +0100\n\nBody"
    ));
    assert!(looks_like_email(
        "X-Mailer: foo\nReceived: from x\n  by y\nFrom: a@b.c\n\nBody"
    ));
    assert!(!looks_like_email("Subject: Hi\n\nDate: today\n"));
    assert!(!looks_like_email("Dear all,\nFrom: me\nTo: you\n"));
    assert!(!looks_like_email(""));
    assert_eq!(strip_reply_prefixes("RE: Re[2]: FW: Sv: Plan"), "Plan");
    assert_eq!(strip_reply_prefixes("Agenda: May"), "Agenda: May");
}

#[test]
fn garbage_never_panics() {
    for s in [
        "",
        "From ",
        "From \n",
        "From: \n",
        "From: a\nTo: b\n",
        "From: a\nTo: b\n\n",
        "From: a\nContent-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n",
        "From: a\nContent-Type: multipart/mixed\n\n--x\n",
        "From: a\nContent-Transfer-Encoding: quoted-printable\n\n=\n=E\n=ZZ\n",
        "From: a\nContent-Type: text/html\n\n<p>é</b></",
        "\r\n\r\n",
        "--\n> \n>",
    ] {
        read_str(s);
    }
    for doc in [REPLY, MULTIPART] {
        let all = doc.as_bytes();
        for cut in 0..all.len() {
            read(&all[..cut], &String::from_utf8_lossy(&all[..cut]));
        }
    }
    // Bytes that are not UTF-8: offsets are decoded, never out of range.
    let mut raw = REPLY.as_bytes().to_vec();
    raw.insert(REPLY.find("Monday").unwrap(), 0xE9);
    let doc = read(&raw, &String::from_utf8_lossy(&raw));
    assert!(doc.text.contains("26 January"));
    let at = doc.text.find("26").unwrap();
    assert!(doc.file_offset(at) < raw.len());
}

const MBOX: &str = "From a@example.org Mon Oct 13 09:00:00 2014\n\
From: A <a@example.org>\nDate: Mon, 13 Oct 2014 09:00:00 +0200\nSubject: one\n\n\
The audit starts Monday.\nFrom now on, reports are due Fridays.\n\n\
From b@example.org Tue Oct 14 09:00:00 2014\n\
From: B <b@example.org>\nDate: Tue, 14 Oct 2014 09:00:00 +0200\nSubject: two\n\n\
Talks resume Nov. 24.\n\n\
From c@example.org Wed Oct 15 09:00:00 2014\n\
From: C <c@example.org>\nDate: Wed, 15 Oct 2014 09:00:00 +0200\nSubject: three\n\n\
The vote is on Dec. 1.\n";

#[test]
fn an_mbox_is_cut_only_before_a_message() {
    let bytes = MBOX.as_bytes();
    let second = MBOX.find("From b@").expect("second message");
    let third = MBOX.find("From c@").expect("third message");
    // "From now on" follows no blank line: a body line, no message.
    for max in 1..bytes.len() {
        let end = window_end(bytes, max).expect("a cut");
        let expected = if max < third { second } else { third };
        assert_eq!(end, expected, "max {max}");
    }
    assert_eq!(window_end(bytes, bytes.len()), Some(bytes.len()));
}

#[test]
fn a_message_longer_than_a_window_is_cut_after_it_or_read_on() {
    let bytes = MBOX.as_bytes();
    let second = MBOX.find("From b@").expect("second message");
    // Before the next message shows, there is no cut: read on.
    assert_eq!(window_end(&bytes[..second], 10), None);
    // One message without an mbox "From " line is the whole file.
    let one = &MBOX[MBOX.find("From: A").expect("headers")..second];
    assert_eq!(window_end(one.as_bytes(), 10), None);
}

#[test]
fn mbox_windows_read_as_the_whole_mbox() {
    let whole = read_str(MBOX);
    let second = MBOX.find("From b@").expect("second message");
    let (first, rest) = MBOX.split_at(second);
    let a = read_str(first);
    let b = read_at(rest.as_bytes(), rest, second);
    let mut pieces = blocks(&a);
    pieces.extend(blocks(&b));
    assert_eq!(blocks(&whole), pieces);
    // Every block maps to the same bytes of the file.
    let in_file = |doc: &Document, base: usize| -> Vec<usize> {
        doc.blocks
            .iter()
            .map(|bl| base + doc.file_offset(bl.range.start))
            .collect()
    };
    let mut places = in_file(&a, 0);
    places.extend(in_file(&b, second));
    assert_eq!(in_file(&whole, 0), places);
}

#[test]
fn a_later_message_maps_to_its_place_in_the_file() {
    let doc = read_str(MBOX);
    let at = MBOX.find("The vote").expect("third body");
    let block = doc
        .blocks
        .iter()
        .find(|bl| doc.text[bl.range.clone()].starts_with("The vote"))
        .expect("the third message's body");
    assert_eq!(doc.file_offset(block.range.start), at);
}
