//! `timeline serve` against clients that misbehave, each over loopback
//! with raw requests on a std `TcpStream`: the server must answer them
//! with a refusal or close them, keep answering everyone else within a
//! second, and never exit. Also the token's sources and the store's
//! change detection, through the binary. Every wait is bounded.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);
/// How long a well-behaved client may wait while others misbehave.
const PROMPT: Duration = Duration::from_secs(1);

const STORE: &str = r#"[[event]]
title = "Deadline to finalize an agreement"
kind = "deadline"
date = 2014-11-24
added = 2014-10-14T09:30:00
"#;

/// A scratch folder holding [`STORE`] as `events.toml`, as that file's path.
fn scratch(name: &str) -> common::ScratchFile {
    common::scratch("abuse", name).holding("events.toml", STORE)
}

/// The binary serving a store on a free loopback port; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    first_line: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `timeline --store STORE serve --addr 127.0.0.1:0 ARGS…`, through
/// `sh -c 'ulimit -n N; exec …'` when `max_files` is given.
fn start(store: &Path, args: &[&str], env: &[(&str, &str)], max_files: Option<u32>) -> Server {
    let bin = env!("CARGO_BIN_EXE_timeline");
    let mut all = vec![
        "--store",
        store.to_str().unwrap(),
        "serve",
        "--addr",
        "127.0.0.1:0",
    ];
    all.extend_from_slice(args);
    let mut cmd = match max_files {
        Some(n) => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                .arg(bin)
                .args(&all);
            c
        }
        None => {
            let mut c = Command::new(bin);
            c.args(&all);
            c
        }
    };
    cmd.env_remove("TIMELINE_TOKEN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first_line = String::new();
    stderr.read_line(&mut first_line).unwrap();
    let port = first_line
        .trim()
        .strip_prefix("webcal://127.0.0.1:")
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or_else(|| panic!("no port in {first_line:?}"));
    // Nobody reads the log: drain it so the server never waits on it.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    Server {
        child,
        addr: ([127, 0, 0, 1], port).into(),
        first_line: first_line.trim().to_string(),
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.set_write_timeout(Some(WAIT)).unwrap();
    s
}

/// Sends raw bytes and reads until the server closes the connection.
fn exchange(addr: SocketAddr, raw: &[u8]) -> (u16, String) {
    let mut s = connect(addr);
    s.write_all(raw).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    (status, text)
}

/// A plain GET that closes; the status, and how long it took.
fn get(addr: SocketAddr, path: &str, headers: &str) -> (u16, Duration) {
    let t0 = Instant::now();
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n");
    let (status, _) = exchange(addr, request.as_bytes());
    (status, t0.elapsed())
}

fn assert_prompt_200(server: &Server) {
    let (status, took) = get(server.addr, "/events.ics", "");
    assert_eq!(status, 200);
    assert!(took < PROMPT, "another client waited {took:?}");
}

#[test]
fn a_huge_content_length_is_413_at_once() {
    let store = scratch("huge-length");
    let server = start(&store, &[], &[], None);
    let t0 = Instant::now();
    let (status, text) = exchange(
        server.addr,
        b"GET /events.ics HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000000\r\n\r\n",
    );
    assert_eq!(status, 413, "{text}");
    assert!(
        text.to_ascii_lowercase().contains("connection: close"),
        "{text}"
    );
    assert!(t0.elapsed() < PROMPT, "the body was waited for");
    assert_prompt_200(&server);
}

#[test]
fn a_body_sent_slowly_or_never_does_not_stall_others() {
    let store = scratch("slow-body");
    let server = start(&store, &[], &[], None);
    let mut never = connect(server.addr);
    never
        .write_all(b"POST /events.ics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        .unwrap();
    let mut slow = connect(server.addr);
    slow.write_all(b"GET /events.ics HTTP/1.1\r\nHost: x\r\nContent-Le")
        .unwrap();
    for _ in 0..3 {
        assert_prompt_200(&server);
    }
    // The one that announced a body was refused without reading it.
    let mut answer = String::new();
    never.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[test]
fn hundreds_of_idle_connections_do_not_shut_out_a_client() {
    let store = scratch("idle");
    let server = start(&store, &[], &[], None);
    let idle: Vec<TcpStream> = (0..300).map(|_| connect(server.addr)).collect();
    assert_prompt_200(&server);
    drop(idle);
    assert_prompt_200(&server);
}

#[test]
fn idle_connections_past_a_low_descriptor_limit_do_not_stop_the_server() {
    // 64 descriptors: the cap falls to 32 connections, and the 300 idle
    // ones are taken in and closed, oldest first, to reach the client.
    let store = scratch("rlimit");
    let mut server = start(&store, &[], &[], Some(64));
    let idle: Vec<TcpStream> = (0..300).map(|_| connect(server.addr)).collect();
    let (status, took) = get(server.addr, "/events.ics", "");
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(3), "the client waited {took:?}");
    assert_prompt_200(&server);
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server exited"
    );
    drop(idle);
}

#[test]
fn a_giant_header_line_is_431_and_memory_stays_small() {
    let store = scratch("giant-header");
    let server = start(&store, &[], &[], None);
    let senders: Vec<_> = (0..4)
        .map(|_| {
            let addr = server.addr;
            std::thread::spawn(move || {
                let mut s = connect(addr);
                let _ = s.write_all(b"GET /events.ics HTTP/1.1\r\nHost: x\r\nX-Big: ");
                let chunk = vec![b'a'; 64 * 1024];
                // 20 MB, or until the server stops reading and closes.
                for _ in 0..320 {
                    if s.write_all(&chunk).is_err() {
                        break;
                    }
                }
                let mut out = Vec::new();
                let _ = s.read_to_end(&mut out);
                String::from_utf8_lossy(&out).to_string()
            })
        })
        .collect();
    for s in senders {
        let answer = s.join().unwrap();
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
            "{answer:?}"
        );
    }
    assert_prompt_200(&server);
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()));
    if let Ok(status) = status {
        let peak_kb: u64 = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(peak_kb < 100_000, "peak RSS {peak_kb} kB");
    }
}

#[test]
fn a_span_too_long_for_the_calendar_is_400() {
    let store = scratch("span");
    let server = start(&store, &[], &[], None);
    let (status, text) = exchange(
        server.addr,
        b"GET /events.json?within=100000000d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 400);
    assert!(
        text.contains("within: span \"100000000d\" is too long"),
        "{text}"
    );
    assert_prompt_200(&server);
}

#[test]
fn ambiguous_request_lengths_are_400() {
    let store = scratch("lengths");
    let server = start(&store, &[], &[], None);
    for raw in [
        &b"GET /events.ics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"[..],
        b"GET /events.ics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"GET /events.ics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    ] {
        let (status, text) = exchange(server.addr, raw);
        assert_eq!(status, 400, "{text}");
    }
    // Both headers: the body is refused and the connection closed (hyper
    // drops Content-Length when Transfer-Encoding is present).
    let (status, _) = exchange(
        server.addr,
        b"GET /events.ics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    assert!(status == 400 || status == 413, "{status}");
    assert_prompt_200(&server);
}

#[test]
fn the_token_comes_from_a_flag_a_file_or_the_environment() {
    let token = "0123456789abcdef0123";
    let path = scratch("token");
    let file = path.with_file_name("token.txt");
    std::fs::write(&file, format!("{token}\n")).unwrap();
    let by_env = start(&path, &[], &[("TIMELINE_TOKEN", token)], None);
    let by_file = start(&path, &["--token-file", file.to_str().unwrap()], &[], None);
    let by_flag = start(&path, &["--token", token], &[], None);
    for server in [&by_env, &by_file, &by_flag] {
        assert!(server.first_line.ends_with(&format!("/{token}/events.ics")));
        assert_eq!(get(server.addr, "/events.ics", "").0, 404);
        assert_eq!(get(server.addr, &format!("/{token}/events.ics"), "").0, 200);
        let bearer = format!("Authorization: Bearer {token}\r\n");
        assert_eq!(get(server.addr, "/events.json", &bearer).0, 200);
        let wrong = "Authorization: Bearer 0123456789abcdef0124\r\n";
        assert_eq!(get(server.addr, "/events.json", wrong).0, 404);
    }
}

#[test]
fn a_short_token_is_refused_with_a_reason() {
    let path = scratch("short-token");
    let out = Command::new(env!("CARGO_BIN_EXE_timeline"))
        .args([
            "--store",
            path.to_str().unwrap(),
            "serve",
            "--addr",
            "127.0.0.1:0",
        ])
        .env("TIMELINE_TOKEN", "tooshort")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the token has 8 characters; it needs 16 to 256"),
        "{err}"
    );
}

#[test]
fn a_same_size_edit_in_the_same_second_is_seen() {
    let path = scratch("same-size");
    let server = start(&path, &[], &[], None);
    let json = |addr| {
        let (_, text) = exchange(
            addr,
            b"GET /events.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        text
    };
    assert!(json(server.addr).contains("Deadline to finalize"));
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let edited = STORE.replace("Deadline to finalize", "Deadline to finalise");
    assert_eq!(edited.len(), STORE.len());
    std::fs::write(&path, edited).unwrap();
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(mtime).unwrap();
    assert!(json(server.addr).contains("Deadline to finalise"));
}
