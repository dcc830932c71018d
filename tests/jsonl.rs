//! Corpus mode, `extract --input jsonl`, as batch jobs and Spark stages
//! run it: one output line for every input line, in order, whatever the
//! line holds; results that do not depend on the day the job runs; the
//! same bytes on one thread or many.

mod common;

use std::process::Output;

fn extract(args: &[&str], input: &[u8]) -> Output {
    let mut all = vec!["extract", "--input-format", "jsonl", "--format", "jsonl"];
    all.extend_from_slice(args);
    common::binary::run_reading_all(&all, &[("TZ", "UTC")], input)
}

fn records(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn every_line_gets_one_record_in_order() {
    let input = "\u{feff}{\"doc\":\"a\",\"dct\":\"2014-10-14T09:00:00Z\",\"text\":\"Talks resume on Monday.\"}\n\
                 \n\
                 {\"doc\":\"b\",\"text\":\"A text that dates nothing but Friday.\"}\n\
                 {\"doc\": 1,\n\
                 {\"doc\":\"c\",\"dct\":\"2014-10-14\",\"text\":\"Due Nov. 24.\"}\n";
    let o = extract(&[], input.as_bytes());
    // The job succeeds: the errors are answered in the output.
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = records(&o);
    assert_eq!(r.len(), 5, "{r:?}");
    // A byte-order mark is no reason to lose the first line; the dct keeps
    // its zone.
    assert_eq!(r[0]["doc"], "a");
    assert_eq!(r[0]["dct"], "2014-10-14T09:00Z");
    assert_eq!(r[0]["timexes"][0]["value"], "2014-10-20");
    assert_eq!(
        r[1],
        serde_json::json!({"doc": null, "line": 2, "error": "blank line"})
    );
    assert_eq!((&r[2]["doc"], &r[2]["line"]), (&"b".into(), &3.into()));
    assert!(r[2]["error"].as_str().unwrap().contains("dct"));
    assert_eq!(
        (&r[3]["doc"], &r[3]["line"]),
        (&serde_json::Value::Null, &4.into())
    );
    assert_eq!(r[4]["timexes"][0]["value"], "2014-11-24");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("3 input line(s) answered with an error record"),
        "{err}"
    );
}

#[test]
fn absurd_dates_are_one_line_s_error_and_the_job_goes_on() {
    let input = "{\"doc\":\"far\",\"dct\":\"+10000-01-01\",\"text\":\"said Tuesday\"}\n\
                 {\"doc\":\"edge\",\"dct\":\"9999-12-31\",\"text\":\"next week, after 999999999 days, in 18446744073709551615 years\"}\n\
                 {\"doc\":\"after\",\"dct\":\"2014-10-14\",\"text\":\"Due Nov. 24.\"}\n";
    let o = extract(&[], input.as_bytes());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = records(&o);
    assert_eq!(r.len(), 3, "{r:?}");
    assert!(r[0]["error"].as_str().unwrap().contains("dct"), "{r:?}");
    // Past the last year TIMEX3 writes, "next week" is only the future.
    assert_eq!(r[1]["timexes"][0]["value"], "FUTURE_REF");
    assert!(r[1]["timexes"][0].get("interval").is_none());
    assert_eq!(r[2]["timexes"][0]["value"], "2014-11-24");
}

#[test]
fn a_missing_dct_is_today_only_when_asked() {
    let line = b"{\"doc\":\"b\",\"text\":\"The vote will be held on Friday.\"}\n";
    let r = records(&extract(&["--now", "2026-11-30T10:00"], line));
    assert!(r[0]["error"].is_string(), "{r:?}");
    let r = records(&extract(
        &["--dct-missing", "today", "--now", "2026-11-30T10:00"],
        line,
    ));
    assert_eq!(r[0]["dct"], "2026-11-30");
    assert_eq!(r[0]["timexes"][0]["value"], "2026-12-04");
}

#[test]
fn many_threads_write_the_same_bytes_as_one() {
    // Over 8 MiB, so the input is read in more than one batch.
    let mut input = Vec::new();
    let mut n = 0;
    while input.len() < 9 << 20 {
        n += 1;
        let text = format!(
            "Report {n}. The ministers met on Tuesday and will meet again on Nov. {} \
             at 3 p.m. EST, {} weeks after the talks began in March {}. {}",
            1 + n % 28,
            n % 9,
            1990 + n % 30,
            "Nothing else happened in this filler sentence of the report. ".repeat(n % 40)
        );
        let line = if n % 997 == 0 {
            "not json".to_string()
        } else {
            serde_json::json!({"doc": n.to_string(), "dct": "2014-10-14", "text": text}).to_string()
        };
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
    }
    let one = extract(&["--jobs", "1"], &input);
    let two = extract(&["--jobs", "2"], &input);
    let three = extract(&["--jobs", "3"], &input);
    assert!(one.status.success());
    assert_eq!(one.stdout.iter().filter(|&&b| b == b'\n').count(), n);
    assert!(one.stdout == two.stdout, "--jobs 2 differs from --jobs 1");
    assert!(one.stdout == three.stdout, "--jobs 3 differs from --jobs 1");
}

#[test]
fn a_line_as_long_as_a_batch_keeps_its_place_among_threads() {
    // A line of 8 MiB or more is written as it is read, alone; the lines
    // around it must stay where they are.
    let small = |n: usize| {
        serde_json::json!({"doc": n.to_string(), "dct": "2014-10-14", "text": "We met on Tuesday."})
            .to_string()
    };
    let huge = serde_json::json!({
        "doc": "huge",
        "dct": "2014-10-14",
        "text": "The board meets on Monday at 9 a.m. and again in two weeks. ".repeat(150_000),
    })
    .to_string();
    assert!(huge.len() >= 8 << 20);
    let input = [small(1), huge, small(3)].join("\n") + "\n";
    let one = extract(&["--jobs", "1"], input.as_bytes());
    let two = extract(&["--jobs", "2"], input.as_bytes());
    assert!(one.status.success());
    assert!(one.stdout == two.stdout, "--jobs 2 differs from --jobs 1");
    let r = records(&one);
    assert_eq!(r.len(), 3);
    assert_eq!(r[1]["doc"], "huge");
    assert_eq!(r[1]["timexes"].as_array().map(Vec::len), Some(300_000));
    assert_eq!(r[2]["timexes"][0]["value"], "2014-10-14");
}

#[test]
fn a_reader_that_goes_away_ends_the_job_quietly() {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    // As `timeline extract … | head -c 100`: once the output is closed,
    // every later line would fail to write too, so the job ends at once,
    // with the status of a SIGPIPE and no message per line.
    let line = "{\"doc\":\"d\",\"dct\":\"2014-10-14\",\"text\":\"Talks resume on Monday, and again on Friday. \"}\n";
    let input = line.repeat(20_000);
    for jobs in ["1", "2"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_timeline"))
            .args(["extract", "--input-format", "jsonl", "--format", "jsonl"])
            .args(["--jobs", jobs, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut stdin = child.stdin.take().unwrap();
        let input = input.clone();
        // The binary may stop reading once its output is gone.
        let feeder = std::thread::spawn(move || {
            let _ = stdin.write_all(input.as_bytes());
        });
        let mut head = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        // Dropped: the pipe's reader is gone.
        let o = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        assert_eq!(o.status.code(), Some(141), "--jobs {jobs}");
        assert_eq!(String::from_utf8_lossy(&o.stderr), "", "--jobs {jobs}");
    }
}
