//! Corpus mode's long lines: a JSONL line too long to hold is read in
//! pieces, its text spooled and read back in windows. Whatever the line
//! holds, the output must be the bytes the same line gives read whole:
//! the hidden `--long-line N` makes every line over N bytes take the long
//! way, read N bytes at a time, in windows of N bytes of text.

mod common;

use std::process::Output;

fn extract(args: &[&str], env: &[(&str, &str)], input: &[u8]) -> Output {
    let mut all = vec!["extract", "--input-format", "jsonl"];
    all.extend_from_slice(args);
    let mut vars = vec![("TZ", "UTC")];
    vars.extend_from_slice(env);
    common::binary::run_reading_all(&all, &vars, input)
}

/// The input read whole and with `--long-line` at each of `sizes`, in
/// each output format: the same stdout and stderr.
fn same_as_whole(input: &[u8], sizes: &[usize], formats: &[&[&str]]) {
    for format in formats {
        let mut args = vec!["--now", "2026-11-30T10:00"];
        args.extend_from_slice(format);
        let whole = extract(&args, &[], input);
        for size in sizes {
            let size = size.to_string();
            let mut long = args.clone();
            long.extend(["--long-line", &size]);
            let o = extract(&long, &[], input);
            let (a, b) = (
                String::from_utf8_lossy(&whole.stdout),
                String::from_utf8_lossy(&o.stdout),
            );
            for (k, (x, y)) in a.lines().zip(b.lines()).enumerate() {
                assert_eq!(x, y, "{format:?} --long-line {size}: line {}", k + 1);
            }
            assert!(whole.stdout == o.stdout, "{format:?} --long-line {size}");
            assert_eq!(whole.status.code(), o.status.code());
            assert_eq!(
                String::from_utf8_lossy(&whole.stderr),
                String::from_utf8_lossy(&o.stderr),
                "{format:?} --long-line {size}"
            );
        }
    }
}

/// Lines that exercise what a line read in pieces must still see: each
/// escape, raw and invalid UTF-8, fields in any order, and bad JSON before,
/// in and after the text.
fn tricky_lines() -> Vec<u8> {
    let lines: Vec<&[u8]> = vec![
        "\u{feff}{\"doc\":\"bom\",\"dct\":\"2014-10-14\",\"text\":\"Talks resume Monday.\"}".as_bytes(),
        br#"{"doc":"escapes","dct":"2014-10-14","text":"Caf\u00e9 \"Ost\" \\ \/ on Monday,\nNov. 24 \ud83d\ude00 at 3\tp.m.\r\n\b\f then Friday."}"#,
        "{\"doc\":\"raw\",\"dct\":\"2014-10-14\",\"text\":\"Caf\u{e9} \u{1f600} \u{2014} on Tuesday, 14 Oct\u{e9} 2015\"}".as_bytes(),
        b"{\"doc\":\"bad \xff utf8\",\"dct\":\"2014-10-14\",\"text\":\"x \xff\xe2\x82 on Monday \xf0\x9f\x98, \xe2\x82\\n Friday\"}",
        br#"{"text":"The vote is on Friday, Nov. 21.","dct":"2014-10-14T09:00:00-05:00","doc":"text first"}"#,
        br#"{"text":"In 1862 the engineer moved to Lyon. In March she opened a workshop.","doctype":"narrative","doc":"doctype last","dct":"2014-10-14"}"#,
        br#"{"doc":"dateline","text":"VIENNA, Oct. 14, 2014 -- The talks resume on Monday."}"#,
        br#"{"text":"VIENNA, Oct. 14, 2014 -- Talks resume on Monday.","doc":"dateline, text first"}"#,
        br#"{"doc":"undated","text":"Talks resume on Monday."}"#,
        br#"{"doc":"after","dct":"2014-10-14","text":"Monday and Tuesday.","x": tru}"#,
        br#"{"doc":"unclosed","dct":"2014-10-14","text":"Monday and Tuesday.""#,
        br#"{"doc":"trailing","dct":"2014-10-14","text":"Monday."} x"#,
        br#"{"doc": 1,, "text": "Monday."}"#,
        br#"{"doc":"bad escape","dct":"2014-10-14","text":"Monday \x Tuesday"}"#,
        br#"{"doc":"bad hex","dct":"2014-10-14","text":"Monday \u12G4 Tuesday"}"#,
        br#"{"doc":"bad second hex","dct":"2014-10-14","text":"Monday \ud800\u12G4 Tuesday"}"#,
        br#"{"doc":"cut hex","dct":"2014-10-14","text":"Monday \u12"}"#,
        b"{\"doc\":\"tab\",\"dct\":\"2014-10-14\",\"text\":\"Monday\tTuesday\"}",
        br#"{"doc":"lone","dct":"2014-10-14","text":"Monday \ud800 Tuesday"}"#,
        br#"{"doc":"lone then bad","dct":"2014-10-14","text":"Monday \ud800 Tuesday", "x": tru}"#,
        br#"{"doc":"lone then bad escape","dct":"2014-10-14","text":"Monday \udc00 then \q"}"#,
        br#"{"doc":"twice","dct":"2014-10-14","text":"Monday.","text":"Tuesday."}"#,
        br#"{"doc":"number","dct":"2014-10-14","text":5}"#,
        br#"{"doc":"escaped key","dct":"2014-10-14","t\u0065xt":"Monday, Nov. 24."}"#,
        br#"["an", "array", "text"]"#,
        br#"{"doc":"bad dct","dct":"2014-13-45","text":"Monday."}"#,
        br#"{"doc":"dct number","dct":5,"text":"Monday."}"#,
        br#"{"doc":"dct number after","text":"Monday, Tuesday, Wednesday.","dct":5}"#,
        br#"{"meta":{"text":"inner Friday","n":[1,{"text":"x"}]},"doc":"text","dct":"2014-10-14","text":"outer Monday"}"#,
        br#"{"doc":"empty","dct":"2014-10-14","text":""}"#,
        br#"{"doc":"no text","dct":"2014-10-14"}"#,
        b"   ",
        b"",
        br#"{"doc":"bad doctype","dct":"2014-10-14","doctype":"poem","text":"Monday."}"#,
        br#"{"doc":"last","dct":"2014-10-14","text":"The line and the input end in the text: Monday"#,
    ];
    lines.join(&b'\n')
}

#[test]
fn tricky_lines_read_in_pieces_give_the_bytes_they_give_whole() {
    same_as_whole(
        &tricky_lines(),
        &[1, 3, 5, 8, 13, 40, 64],
        &[
            &["--format", "jsonl"],
            &["--format", "jsonl", "--offsets", "chars", "--jobs", "3"],
            &["--format", "json"],
            &["--format", "table"],
            &["--format", "timeml"],
        ],
    );
}

/// A text of `paragraphs` news paragraphs, and one paragraph longer
/// than the engine's blocks (no blank line in 100 KB).
fn long_text(paragraphs: usize) -> String {
    let sentences = [
        "The talks resume on Monday, Nov. 24, in Vienna.",
        "A \"final\" vote is due by Friday at 5 p.m.",
        "Caf\u{e9} owners \u{2014} and the mayor \u{1f600} \u{2014} met last week.",
        "The plant closed in March and will reopen next spring.",
        "Every other Thursday the board meets at 10 a.m. ET.",
        "Two years ago the project stalled;\tit is to restart in 2016.",
    ];
    let mut text = String::new();
    for k in 0..paragraphs {
        for j in 0..(2 + k % 7) {
            text.push_str(sentences[(k + j) % sentences.len()]);
            text.push(' ');
        }
        text.push_str(if k % 5 == 0 { "\n \n" } else { "\n\n" });
        if k == paragraphs / 2 {
            while !text.ends_with("\n\n") || text.len() < 100_000 * (k + 1) / paragraphs {
                text.push_str(sentences[text.len() % sentences.len()]);
                text.push(if text.len().is_multiple_of(3) {
                    '\n'
                } else {
                    ' '
                });
                if text.len() > 250_000 {
                    text.push_str("\n\n");
                }
            }
        }
    }
    text
}

#[test]
fn a_long_text_fed_in_small_windows_reads_as_it_does_whole() {
    let text = long_text(1500);
    assert!(text.len() > 250_000, "{}", text.len());
    let news = serde_json::json!({"doc": "news", "dct": "2014-10-14", "text": text});
    let story = format!(
        "{{\"text\":{},\"doc\":\"story, dct last\",\"dct\":\"2014-10-14\"}}",
        serde_json::to_string(&format!(
            "{}{text}",
            "In 1862 the engineer moved to Lyon. In March she opened a workshop; \
             the following spring it burned.\n\n"
                .repeat(60)
        ))
        .unwrap()
    );
    let input = format!("{news}\n{story}\n");
    same_as_whole(
        input.as_bytes(),
        &[1000, 70_000, 300_000],
        &[
            &["--format", "jsonl"],
            &["--format", "jsonl", "--offsets", "chars"],
            &["--format", "timeml"],
        ],
    );
}

#[test]
fn bad_json_after_a_long_text_is_an_error_record_and_no_result() {
    let text = long_text(600);
    let line = serde_json::json!({"doc": "bad", "dct": "2014-10-14", "text": text}).to_string();
    let input = format!("{},\"x\": tru}}\n{line}\n", &line[..line.len() - 1]);
    let whole = extract(&["--format", "jsonl"], &[], input.as_bytes());
    let o = extract(
        &["--format", "jsonl", "--long-line", "4096"],
        &[],
        input.as_bytes(),
    );
    assert!(o.status.success());
    assert!(o.stdout == whole.stdout);
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{}", &out[..out.len().min(500)]);
    let error: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        (&error["doc"], &error["line"]),
        (&serde_json::Value::Null, &1.into())
    );
    // The column counts the whole line, text and all.
    let message = error["error"].as_str().unwrap();
    let column: usize = message.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(
        message.starts_with("not a document line: expected ident"),
        "{message}"
    );
    assert!(column > line.len() && column < line.len() + 10, "{message}");
    assert!(lines[1].starts_with("{\"doc\":\"bad\",\"dct\":\"2014-10-14\",\"timexes\":[{"));
}

#[test]
fn without_a_spool_a_long_line_is_held_whole() {
    let input = tricky_lines();
    let whole = extract(&["--format", "jsonl"], &[], &input);
    let held = extract(
        &["--format", "jsonl", "--long-line", "10"],
        &[("TMPDIR", "/nonexistent/timeline-spool")],
        &input,
    );
    assert!(whole.stdout == held.stdout);
    let err = String::from_utf8_lossy(&held.stderr);
    assert!(
        err.contains(":2: cannot spool a long line in /nonexistent/timeline-spool"),
        "{err}"
    );
    assert!(err.contains("it is held whole"), "{err}");
}

#[test]
fn mangled_lines_give_the_bytes_they_give_whole() {
    // Good lines with a few bytes replaced by what JSON turns on: each
    // comes out as the whole line's result or its error, the same words.
    let good = tricky_lines();
    let good: Vec<&[u8]> = good.split(|&b| b == b'\n').take(8).collect();
    let marks = b"\"\\{}[]:,u0dD8 \t\xff\xe2\x80";
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut input = Vec::new();
    for k in 0..400 {
        let mut line = good[k % good.len()].to_vec();
        for _ in 0..1 + next(3) {
            let at = next(line.len() + 1);
            match next(3) {
                0 if at < line.len() => line[at] = marks[next(marks.len())],
                1 if at < line.len() => {
                    line.remove(at);
                }
                _ => line.insert(at, marks[next(marks.len())]),
            }
        }
        line.retain(|&b| b != b'\n');
        input.extend_from_slice(&line);
        input.push(b'\n');
    }
    same_as_whole(&input, &[1, 7, 30], &[&["--format", "jsonl"]]);
}
