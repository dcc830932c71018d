//! The feed server, end to end over loopback: each test starts `serve` on a
//! free port in a thread, talks to it with a plain HTTP/1.1 client, and
//! stops it. Every wait is bounded.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;
use timeline::feed::serve::{serve, ServeOptions};

const WAIT: Duration = Duration::from_secs(10);

/// The server's "now": 2014-10-14 09:00.
fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2014, 10, 14)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

const STORE: &str = r#"# test store
[[event]]
title = "Deadline to finalize an agreement"
kind = "deadline"
date = 2014-11-24
added = 2014-10-14T09:30:00

[[event]]
title = "Kerry to meet Zarif"
kind = "meeting"
at = 2014-10-15T15:00:00
offset = "-05:00"
where = "Vienna"
added = 2014-10-14T09:30:00

[[event]]
title = "Budget deadline next year"
kind = "deadline"
date = 2015-06-30
added = 2014-10-14T09:30:00

[[event]]
title = "Old deadline, done"
kind = "deadline"
date = 2014-10-20
status = "done"
added = 2014-10-14T09:30:00
"#;

const EXTRA: &str = r#"
[[event]]
title = "Summit in Geneva"
kind = "meeting"
date = 2014-12-05
where = "Geneva"
added = 2014-10-16T08:00:00
"#;

/// A scratch folder with an `events.toml`, as that file's path.
fn store(name: &str, text: &str) -> common::ScratchFile {
    common::scratch("serve", name).holding("events.toml", text)
}

/// Rewrites the store and moves its mtime forward, as an edit a while later.
fn rewrite(path: &Path, text: &str, seconds_later: u64) {
    std::fs::write(path, text).unwrap();
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() + Duration::from_secs(seconds_later))
        .unwrap();
}

/// Sends the log's lines to the test.
struct Lines {
    tx: Sender<String>,
    buf: Vec<u8>,
}

impl Write for Lines {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        while let Some(i) = self.buf.iter().position(|&c| c == b'\n') {
            let line: Vec<u8> = self.buf.drain(..=i).collect();
            let _ = self
                .tx
                .send(String::from_utf8_lossy(&line).trim_end().to_string());
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A server in a thread; dropping it stops it and waits for the thread.
struct Running {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Result<(), String>>>,
    log: Receiver<String>,
    first_line: String,
}

fn start(store: &Path, configure: impl FnOnce(&mut ServeOptions)) -> Running {
    let mut opts = ServeOptions::new(store, now, timeline::cli::SYSTEM_CLOCK);
    opts.addr = "127.0.0.1:0".to_string();
    configure(&mut opts);
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, log) = mpsc::channel();
    let thread = {
        let stop = stop.clone();
        thread::spawn(move || {
            let mut lines = Lines {
                tx,
                buf: Vec::new(),
            };
            serve(&opts, &mut lines, &stop)
        })
    };
    let first_line = log.recv_timeout(WAIT).expect("the server printed no URL");
    let port = first_line
        .strip_prefix("webcal://127.0.0.1:")
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {first_line:?}"));
    Running {
        port,
        stop,
        thread: Some(thread),
        log,
        first_line,
    }
}

impl Running {
    fn get(&self, path: &str) -> Answer {
        self.send("GET", path, &[])
    }

    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
        let addr = ([127, 0, 0, 1], self.port).into();
        let mut s = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        s.set_read_timeout(Some(WAIT)).unwrap();
        s.set_write_timeout(Some(WAIT)).unwrap();
        let mut req =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if method == "POST" {
            req.push_str("Content-Length: 0\r\n");
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)
            .expect("the server closed no connection in time");
        Answer::parse(&raw)
    }

    /// The log's lines so far, waiting (boundedly) until `enough` says they
    /// are all there: lines are written after the answers go out.
    fn logged(&self, enough: impl Fn(&[String]) -> bool) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        let mut lines: Vec<String> = self.log.try_iter().collect();
        while !enough(&lines) && Instant::now() < deadline {
            if let Ok(line) = self.log.recv_timeout(Duration::from_millis(50)) {
                lines.push(line);
            }
        }
        lines
    }

    /// Stops the server and returns what `serve` returned.
    fn stop(mut self) -> Result<(), String> {
        self.stop.store(true, Ordering::SeqCst);
        join(self.thread.take().unwrap())
    }
}

fn join(handle: JoinHandle<Result<(), String>>) -> Result<(), String> {
    let deadline = Instant::now() + WAIT;
    while !handle.is_finished() {
        assert!(Instant::now() < deadline, "the server did not stop");
        thread::sleep(Duration::from_millis(10));
    }
    handle.join().expect("the server thread panicked")
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = join(t);
        }
    }
}

#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn parse(raw: &[u8]) -> Answer {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("no end of headers");
        let head = String::from_utf8(raw[..split].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Answer {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    fn titles(&self) -> Vec<String> {
        let v: Value = serde_json::from_slice(&self.body).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap().to_string())
            .collect()
    }
}

#[test]
fn feeds_answer_with_type_etag_and_last_modified() {
    let path = store("feeds", STORE);
    let server = start(&path, |_| {});
    assert!(
        server.first_line.ends_with("/events.ics"),
        "{}",
        server.first_line
    );

    let ics = server.get("/events.ics");
    assert_eq!(ics.status, 200);
    assert_eq!(
        ics.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(ics
        .header("etag")
        .is_some_and(|t| t.starts_with('"') && t.ends_with('"')));
    let modified = ics.header("last-modified").expect("Last-Modified");
    assert!(modified.ends_with(" GMT"), "{modified}");
    assert_eq!(
        ics.header("content-length"),
        Some(ics.body.len().to_string().as_str())
    );
    let body = ics.text();
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(body.contains("SUMMARY:Deadline to finalize an agreement\r\n"));
    assert!(!body.contains("Old deadline"), "done events only with all");

    let json = server.get("/events.json");
    assert_eq!(json.status, 200);
    assert_eq!(json.header("content-type"), Some("application/json"));
    assert_ne!(json.header("etag"), ics.header("etag"));
    assert_eq!(
        json.titles(),
        [
            "Deadline to finalize an agreement",
            "Kerry to meet Zarif",
            "Budget deadline next year"
        ]
    );
    // The same store answers with the same bytes and tag.
    let again = server.get("/events.ics");
    assert_eq!(again.body, ics.body);
    assert_eq!(again.header("etag"), ics.header("etag"));

    assert_eq!(server.get("/").status, 404);
    assert_eq!(server.get("/events.csv").status, 404);
    server.stop().unwrap();
}

#[test]
fn a_matching_if_none_match_is_304_without_body() {
    let path = store("etag", STORE);
    let server = start(&path, |_| {});
    let first = server.get("/events.ics");
    let tag = first.header("etag").unwrap().to_string();
    let cached = server.send("GET", "/events.ics", &[("If-None-Match", &tag)]);
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    assert_eq!(cached.header("etag"), Some(tag.as_str()));
    let stale = server.send("GET", "/events.ics", &[("If-None-Match", "\"0000\"")]);
    assert_eq!(stale.status, 200);
    assert_eq!(stale.body, first.body);
}

#[test]
fn if_modified_since_the_stores_mtime_is_304() {
    let path = store("since", STORE);
    let server = start(&path, |_| {});
    let first = server.get("/events.ics");
    let modified = first.header("last-modified").unwrap().to_string();
    let cached = server.send("GET", "/events.ics", &[("If-Modified-Since", &modified)]);
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    let old = server.send(
        "GET",
        "/events.ics",
        &[("If-Modified-Since", "Tue, 14 Oct 2014 09:30:00 GMT")],
    );
    assert_eq!(old.status, 200);
    // If-None-Match decides when both are sent.
    let both = server.send(
        "GET",
        "/events.ics",
        &[
            ("If-None-Match", "\"0000\""),
            ("If-Modified-Since", &modified),
        ],
    );
    assert_eq!(both.status, 200);
}

#[test]
fn with_a_token_only_the_token_paths_answer() {
    let path = store("token", STORE);
    let server = start(&path, |o| {
        o.token = Some("s3cret-Tok_en-0123456789".to_string())
    });
    assert!(server
        .first_line
        .ends_with("/s3cret-Tok_en-0123456789/events.ics"));
    assert_eq!(server.get("/events.ics").status, 404);
    assert_eq!(server.get("/events.json").status, 404);
    assert_eq!(server.get("/wrong/events.ics").status, 404);
    assert_eq!(server.get("/s3cret-Tok_en-0123456789/").status, 404);
    assert_eq!(server.send("POST", "/events.ics", &[]).status, 404);
    assert_eq!(
        server.get("/s3cret-Tok_en-0123456789/events.ics").status,
        200
    );
    assert_eq!(
        server
            .get("/s3cret-Tok_en-0123456789/events.json?kind=meeting")
            .titles(),
        ["Kerry to meet Zarif"]
    );
    // The log never shows the token.
    let logged = server.logged(|lines| lines.iter().filter(|l| l.contains(" /")).count() >= 7);
    assert!(
        logged.iter().any(|l| l.contains("/***/events.ics")),
        "{logged:?}"
    );
    let requests = logged.iter().filter(|l| !l.starts_with("http://"));
    assert!(
        requests.clone().all(|l| !l.contains("s3cret")),
        "{logged:?}"
    );
    assert!(requests.count() >= 7, "{logged:?}");
}

#[test]
fn a_bad_token_is_refused_before_listening() {
    let path = store("badtoken", STORE);
    let mut opts = ServeOptions::new(path.to_path_buf(), now, timeline::cli::SYSTEM_CLOCK);
    opts.addr = "127.0.0.1:0".to_string();
    opts.token = Some("a/b".to_string());
    let err = serve(&opts, &mut Vec::new(), &AtomicBool::new(false)).unwrap_err();
    assert!(err.contains("token"), "{err}");
}

#[test]
fn a_changed_store_shows_on_the_next_request() {
    let path = store("change", STORE);
    let server = start(&path, |_| {});
    let before = server.get("/events.json");
    assert_eq!(before.titles().len(), 3);
    rewrite(&path, &format!("{STORE}{EXTRA}"), 5);
    let after = server.get("/events.json");
    assert_eq!(after.status, 200);
    assert_eq!(after.titles().len(), 4);
    assert!(after.titles().contains(&"Summit in Geneva".to_string()));
    assert_ne!(after.header("etag"), before.header("etag"));
    assert_ne!(
        after.header("last-modified"),
        before.header("last-modified")
    );
    // The old tag no longer matches.
    let tag = before.header("etag").unwrap();
    assert_eq!(
        server
            .send("GET", "/events.json", &[("If-None-Match", tag)])
            .status,
        200
    );
}

#[test]
fn a_broken_store_is_503_until_it_is_fixed() {
    let path = store("broken", STORE);
    let server = start(&path, |_| {});
    let good = server.get("/events.ics");
    assert_eq!(good.status, 200);

    rewrite(&path, "[[event]\ntitle = \"unclosed", 5);
    let broken = server.get("/events.ics");
    assert_eq!(broken.status, 503);
    assert_eq!(
        broken.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(
        broken.text().starts_with("store unreadable: "),
        "{}",
        broken.text()
    );
    assert!(broken.text().contains("line 1"), "{}", broken.text());
    // Still broken, still 503 (not an empty calendar).
    assert_eq!(server.get("/events.json").status, 503);

    rewrite(&path, STORE, 10);
    let fixed = server.get("/events.ics");
    assert_eq!(fixed.status, 200);
    assert_eq!(fixed.body, good.body);
    let logged = server.logged(|lines| lines.iter().any(|l| l == "store loads again"));
    assert!(
        logged
            .iter()
            .any(|l| l.starts_with("store does not load: ")),
        "{logged:?}"
    );
    assert!(
        logged.iter().any(|l| l == "store loads again"),
        "{logged:?}"
    );
}

#[test]
fn only_get_and_head_are_allowed() {
    let path = store("methods", STORE);
    let server = start(&path, |_| {});
    for method in ["POST", "PUT", "DELETE"] {
        let answer = server.send(method, "/events.ics", &[]);
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("allow"), Some("GET, HEAD"), "{method}");
    }
    let full = server.get("/events.ics");
    let head = server.send("HEAD", "/events.ics", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(full.body.len().to_string().as_str())
    );
    assert_eq!(head.header("etag"), full.header("etag"));
}

#[test]
fn overlong_urls_are_414() {
    let path = store("long", STORE);
    let server = start(&path, |_| {});
    let long = format!("/events.ics?grep={}", "a".repeat(3000));
    assert_eq!(server.get(&long).status, 414);
    assert_eq!(server.get("/events.ics").status, 200);
}

#[test]
fn query_filters_narrow_the_feed() {
    let path = store("filters", STORE);
    let server = start(&path, |_| {});
    let titles = |q: &str| {
        let a = server.get(&format!("/events.json?{q}"));
        assert_eq!(a.status, 200, "{q}: {}", a.text());
        a.titles()
    };
    assert_eq!(
        titles("kind=deadline&within=90d"),
        ["Deadline to finalize an agreement"]
    );
    assert_eq!(
        titles("kind=deadline"),
        [
            "Deadline to finalize an agreement",
            "Budget deadline next year"
        ]
    );
    assert_eq!(titles("kind=deadline&all").len(), 3);
    assert_eq!(titles("where=vienna"), ["Kerry to meet Zarif"]);
    assert_eq!(titles("grep=BUDGET"), ["Budget deadline next year"]);
    assert_eq!(
        titles("from=2014-10-15&to=2014-10-15"),
        ["Kerry to meet Zarif"]
    );
    let ics = server.get("/events.ics?kind=meeting").text();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    for bad in ["kind=party", "within=soon", "colour=red", "from=yesterday"] {
        let a = server.get(&format!("/events.json?{bad}"));
        assert_eq!(a.status, 400, "{bad}");
    }
}

#[test]
fn a_missing_store_is_an_empty_feed() {
    let path = store("missing", STORE);
    std::fs::remove_file(&*path).unwrap();
    let server = start(&path, |_| {});
    let a = server.get("/events.json");
    assert_eq!(a.status, 200);
    assert_eq!(a.text(), "[]\n");
    assert!(a.header("last-modified").is_none());
}

#[test]
fn the_server_stops_after_max_requests_and_on_the_flag() {
    let path = store("stop", STORE);
    let server = start(&path, |o| o.max_requests = Some(2));
    assert_eq!(server.get("/events.ics").status, 200);
    assert_eq!(server.get("/nothing").status, 404);
    let mut server = server;
    let handle = server.thread.take().unwrap();
    assert_eq!(join(handle), Ok(()));

    let idle = start(&path, |_| {});
    let started = Instant::now();
    assert_eq!(idle.stop(), Ok(()));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn silent_and_trickling_connections_are_closed_on_time() {
    let path = store("timeouts", STORE);
    let server = start(&path, |o| {
        o.limits.header_timeout = Duration::from_millis(300);
        o.limits.idle_timeout = Duration::from_millis(300);
    });
    let addr = ([127, 0, 0, 1], server.port).into();
    let connect = || {
        let s = TcpStream::connect_timeout(&addr, WAIT).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        s
    };
    let started = Instant::now();
    let mut silent = connect();
    let mut trickle = connect();
    trickle.write_all(b"GET /events.ics HTTP/1.1\r\n").unwrap();
    let mut writer = trickle.try_clone().unwrap();
    let feeder = thread::spawn(move || {
        // One header byte every 50 ms: never a whole head.
        while writer.write_all(b"X").is_ok() && started.elapsed() < WAIT {
            thread::sleep(Duration::from_millis(50));
        }
    });
    let mut out = Vec::new();
    silent
        .read_to_end(&mut out)
        .expect("the silent one is closed");
    let _ = trickle.read_to_end(&mut out);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    feeder.join().unwrap();
    assert_eq!(server.get("/events.ics").status, 200);
}
