//! `timeline extract` of an mbox whose messages are of megabytes: each
//! is read in windows of its body (of its text parts, for one of several
//! MIME parts), from its file or from standard input spooled first, and
//! what it writes is what reading each message whole writes.

mod common;

use common::binary::{assert_code, run, run_reading_all, stderr, stdout};
use common::news::news;

const DCT: &str = "2014-10-14";

/// An mbox with messages of megabytes (plain text with ">From " lines,
/// quoted replies and a signature; quoted-printable; HTML; the last one
/// ending the file), which are read in windows of their bodies from a
/// file: every output that needs only the text near the timexes is what
/// reading each message whole (from standard input) writes, warnings and
/// all.
#[test]
fn the_long_messages_of_an_mbox_read_as_the_whole_messages() {
    let head = clerk_head;
    let short = |k: usize| format!("{}\nDue Nov. {k}, 2014.\n\n", head(k, "text/plain"));
    let reply = "\n\n>From the archive: due May 2.\n\nOn Mon, 13 Oct 2014, Desk wrote:\n> Due Nov. 3, 2014.\n\n";
    // A line of text that starts with "From " is escaped, as in any mbox.
    let escaped = |text: String| text.replace("\nFrom ", "\n>From ");
    let plain = escaped(news(1_500_000, 13)).replacen("\n\n", reply, 40);
    let qp = escaped(news(1_200_000, 14))
        .replace('=', "=3D")
        .replace('é', "=C3=A9");
    let html: String = escaped(news(1_200_000, 15))
        .split("\n\n")
        .map(|p| format!("<p>{p}</p>\n"))
        .collect();
    let mbox = format!(
        "{}{}\n{plain}\n-- \nClerk 2, since 1 May 2009\n\n{}{}\
         Content-Transfer-Encoding: quoted-printable\n\n{qp}\n\n{}{}\n<html><body>{html}</body></html>\n",
        short(1),
        head(2, "text/plain; charset=utf-8"),
        short(3),
        head(4, "text/plain; charset=utf-8"),
        short(5),
        head(6, "text/html; charset=utf-8"),
    );
    let dir = common::scratch("streaming", "mbox");
    let path = dir.file("long.mbox", &mbox);
    let path_at = path.to_str().expect("a UTF-8 path");
    for (args, out, whole, _) in mbox_both_ways(mbox.as_bytes(), path_at) {
        assert!(out.matches("2014-11").count() > 1000, "{args:?}");
        assert!(out == whole, "{args:?}");
    }
}

/// An mbox read whole from standard input (where no spool file can be
/// made: not in windows then), in windows from its file at `path_at`, and
/// from standard input spooled first (over the 4 MiB read first: in
/// windows, as from its file), for each way of writing it (a table with
/// `--dct`, a table, JSON lines): all succeed, warn alike (all but the
/// file's name, which standard input has not, and that the whole read
/// could not spool) and the spool writes what the file does. Gives each
/// way's arguments, the windows' output, the whole read's output and its
/// warnings.
fn mbox_both_ways(
    mbox: &[u8],
    path_at: &str,
) -> Vec<(&'static [&'static str], String, String, String)> {
    let spools = common::scratch("streaming-mbox", "spools");
    let spools_at = spools.path().to_str().expect("a UTF-8 path");
    let no_spool = spools.path().join("no such folder");
    let no_spool = no_spool.to_str().expect("a UTF-8 path");
    let ways: [&'static [&'static str]; 3] = [&["--dct", DCT], &[], &["--format", "jsonl"]];
    ways.into_iter()
        .map(|args| {
            let mut stdin = vec!["extract", "-", "--input-format", "email"];
            stdin.extend_from_slice(args);
            let whole = run_reading_all(&stdin, &[("TMPDIR", no_spool)], mbox);
            assert_code(&whole, 0);
            let spooled = run_reading_all(&stdin, &[("TMPDIR", spools_at)], mbox);
            assert_code(&spooled, 0);
            let left = std::fs::read_dir(spools.path()).expect("a folder").count();
            assert_eq!(left, 0, "the spool file is removed");
            let mut windows = vec!["extract", path_at];
            windows.extend_from_slice(args);
            let windows = run(&windows, None);
            assert_code(&windows, 0);
            let named = |out: String| out.replace(path_at, "-");
            let warned = stderr(&whole);
            let spooling = |line: &&str| !line.contains("cannot spool standard input");
            let told: Vec<&str> = warned.lines().filter(spooling).collect();
            assert_eq!(named(stderr(&windows)).lines().collect::<Vec<_>>(), told);
            assert_eq!(stderr(&spooled).lines().collect::<Vec<_>>(), told);
            assert!(stdout(&spooled) == named(stdout(&windows)), "{args:?}");
            (args, named(stdout(&windows)), stdout(&whole), warned)
        })
        .collect()
}

/// An mbox whose long messages are in a charset of one byte per
/// character (8bit and quoted-printable), among messages with bytes that
/// are not UTF-8 in their headers, then a long UTF-8 one: read in
/// windows of their bodies from a file, each writes what reading it
/// whole (from standard input) writes, offsets in the file's text (its
/// bytes that are not UTF-8 replaced) and the warning for them included.
#[test]
fn the_long_latin1_messages_of_an_mbox_read_as_the_whole_messages() {
    let latin1 = |text: &str| -> Vec<u8> {
        let byte = |c: char| u8::try_from(u32::from(c)).unwrap_or(b'?');
        text.chars().map(byte).collect()
    };
    let head = |k: usize, kind: &str, transfer: &str| {
        let head = format!(
            "From clerk{k}@example.org Tue Oct 14 09:00:00 2014\nFrom: Clerk <clerk{k}@example.org>\n\
             Subject: R\u{e9}union {k}\nDate: Tue, {k} Oct 2014 09:00:00 +0200\n\
             MIME-Version: 1.0\nContent-Type: {kind}\nContent-Transfer-Encoding: {transfer}\n\n"
        );
        // An odd one's subject in Latin-1, as its body is said to be.
        match k % 2 {
            1 => latin1(&head),
            _ => head.into_bytes(),
        }
    };
    let escaped = |text: String| text.replace("\nFrom ", "\n>From ");
    let plain = latin1(&escaped(news(1_500_000, 17)).replace('\u{e9}', "\u{e9}t\u{e9}"));
    let qp: String = escaped(news(1_200_000, 18))
        .chars()
        .map(|c| match c {
            '=' => "=3D".to_owned(),
            c if !c.is_ascii() => format!("={:02X}", latin1(&c.to_string())[0]),
            c => c.to_string(),
        })
        .collect();
    let utf8 = escaped(news(1_200_000, 19));
    let mut mbox: Vec<u8> = Vec::new();
    let latin = "text/plain; charset=iso-8859-1";
    mbox.extend(head(1, latin, "8bit"));
    mbox.extend(latin1("Due Nov. 1, 2014, caf\u{e9}.\n\n"));
    mbox.extend(head(2, latin, "8bit"));
    mbox.extend(&plain);
    mbox.extend(b"\n\n");
    mbox.extend(head(
        3,
        "text/plain; charset=windows-1252",
        "quoted-printable",
    ));
    mbox.extend(qp.as_bytes());
    mbox.extend(b"\n\n");
    mbox.extend(head(5, "text/plain; charset=utf-8", "8bit"));
    mbox.extend(utf8.as_bytes());
    mbox.extend(b"\n");
    let dir = common::scratch("streaming", "mbox-latin1");
    let path = dir.file("latin1.mbox", &mbox);
    let path_at = path.to_str().expect("a UTF-8 path");
    for (args, out, whole, warned) in mbox_both_ways(&mbox, path_at) {
        assert!(warned.contains("invalid UTF-8"), "{args:?}");
        assert!(out.matches("2014-11").count() > 1000, "{args:?}");
        assert!(out == whole, "{args:?}");
    }
}

/// A long message of an mbox whose end, the next "From " line, falls
/// across two of the 64 KiB pieces its end is looked for in: found all
/// the same, and the message read as when whole.
#[test]
fn a_long_message_ends_where_a_from_line_cut_between_reads_starts() {
    let first = "From a@example.org Tue Oct 14 09:00:00 2014\n";
    let head = "From: A <a@example.org>\nSubject: plan\nDate: Tue, 14 Oct 2014 09:00:00 +0200\n\n";
    let mut body = news(1_100_000, 16).replace("\nFrom ", "\n>From ");
    // The pieces count from the line after the "From " line: the next
    // one starts two bytes before a piece ends.
    let len = head.len() + body.len() + 2;
    let pad = (65_536 - len % 65_536) + 65_536 - 1;
    body.push_str(&format!("{}\n", "x".repeat(pad - 1)));
    let mbox = format!("{first}{head}{body}\nFrom b@example.org Tue Oct 14 10:00:00 2014\n{head}Due Nov. 3, 2014.\n");
    assert_eq!(
        (mbox.find("\n\nFrom b").expect("two") + 2 - first.len()) % 65_536,
        65_534
    );
    let dir = common::scratch("streaming", "mbox-cut");
    let path = dir.file("cut.mbox", &mbox);
    let whole = run_reading_all(
        &["extract", "-", "--input-format", "email"],
        &[],
        mbox.as_bytes(),
    );
    assert_code(&whole, 0);
    let windows = run(&["extract", path.to_str().expect("a UTF-8 path")], None);
    assert_code(&windows, 0);
    let tables = |out: &str| out.split_once('\n').map(|(_, rest)| rest.to_owned());
    assert!(stdout(&whole).contains("Due [Nov. 3, 2014]"));
    assert!(tables(&stdout(&windows)) == tables(&stdout(&whole)));
}

/// An mbox over the 4 MiB read first whose long messages are of several
/// MIME parts: text parts in UTF-8 and in quoted-printable Latin-1 around
/// a base64 attachment, and a plain and an HTML alternative with CRLF
/// line ends. Their text parts are read in windows, one after the other,
/// from the file and from standard input, and write what reading each
/// message whole writes.
#[test]
fn the_long_messages_of_several_parts_of_an_mbox_read_as_the_whole_messages() {
    // The head with the blank line that ends it.
    let head = |k: usize, kind: &str| format!("{}\n", clerk_head(k, kind));
    let short = |k: usize| format!("{}Due Nov. {k}, 2014.\n\n", head(k, "text/plain"));
    let reply = "\n\n>From the archive: due May 2.\n\nOn Mon, 13 Oct 2014, Desk wrote:\n> Due Nov. 3, 2014.\n\n";
    let escaped = |text: String| text.replace("\nFrom ", "\n>From ");
    let plain = escaped(news(1_600_000, 21)).replacen("\n\n", reply, 40);
    let attachment = format!("{}\n", "QUJD".repeat(19)).repeat(13_000);
    let qp: String = escaped(news(1_200_000, 22))
        .chars()
        .map(|c| match c {
            '=' => "=3D".to_owned(),
            c if !c.is_ascii() => format!("={:02X}", u8::try_from(u32::from(c)).unwrap_or(b'?')),
            c => c.to_string(),
        })
        .collect();
    let alternative = format!(
        "--alt\nContent-Type: text/plain; charset=utf-8\n\n{}\n\
         --alt\nContent-Type: text/html\n\n<p>Due Nov. 9, 2014.</p>\n--alt--\n",
        escaped(news(1_300_000, 23))
    );
    let mbox = format!(
        "{}{}--next\nContent-Type: text/plain; charset=utf-8\n\n{plain}\n\
         --next\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\
         Content-Disposition: attachment; filename=\"d.bin\"\n\n{attachment}\n\
         --next\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n\
         {qp}\n--next--\n\n{}{}{}",
        short(1),
        head(2, "multipart/mixed; boundary=\"next\""),
        short(3),
        head(4, "multipart/alternative; boundary=\"alt\"").replace('\n', "\r\n"),
        alternative.replace('\n', "\r\n"),
    );
    assert!(
        mbox.len() > (4 << 20) + 100,
        "over the read first: {}",
        mbox.len()
    );
    let dir = common::scratch("streaming-mbox", "parts");
    let path = dir.file("parts.mbox", &mbox);
    let path_at = path.to_str().expect("a UTF-8 path");
    for (args, out, whole, warned) in mbox_both_ways(mbox.as_bytes(), path_at) {
        assert!(warned.contains("cannot spool standard input"), "{args:?}");
        assert!(out.matches("2014-11").count() > 1000, "{args:?}");
        assert!(out == whole, "{args:?}");
    }
}

/// A message's header lines from clerk `k`, of content type `kind`, up to
/// (not with) the blank line that ends them.
fn clerk_head(k: usize, kind: &str) -> String {
    format!(
        "From clerk{k}@example.org Tue Oct 14 09:00:00 2014\nFrom: Clerk <clerk{k}@example.org>\n\
         Subject: Re: schedule {k}\nDate: Tue, {k} Oct 2014 09:00:00 +0200\n\
         MIME-Version: 1.0\nContent-Type: {kind}\n"
    )
}
