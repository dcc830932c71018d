//! Load on a running `timeline serve`: N keep-alive clients, each a thread
//! sending one GET after another over one connection, for T seconds;
//! prints requests per second, errors, and latency percentiles. Optional
//! attackers run at the same time, to see whether they slow the others.
//!
//! ```sh
//! cargo run --release --example serve_load -- --write-store 2000 /tmp/s2000/events.toml
//! timeline --store /tmp/s2000/events.toml serve --addr 127.0.0.1:18080 2>/dev/null &
//! cargo run --release --example serve_load -- --addr 127.0.0.1:18080 --clients 50 --seconds 30
//! cargo run --release --example serve_load -- --addr 127.0.0.1:18080 --seconds 10 --idle 300 --slowloris 20 --slow-body 20 --huge-header 5
//! ```
//!
//! Any answer but `200`, a closed connection or one that takes over 5 s is
//! an error (the client reconnects). `scripts/serve-load` runs the whole
//! comparison for two binaries.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

#[path = "../benches/gen/store_text.rs"]
mod store_text;

const TIMEOUT: Duration = Duration::from_secs(5);

struct Options {
    addr: SocketAddr,
    path: String,
    clients: usize,
    seconds: u64,
    idle: usize,
    slowloris: usize,
    slow_body: usize,
    huge_header: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--write-store") {
        let n: usize = args[i + 1].parse().expect("--write-store N PATH");
        let path = std::path::Path::new(&args[i + 2]);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, store_text::store_text(n)).unwrap();
        println!("wrote {n} events to {}", path.display());
        return;
    }
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number =
        |name: &str, default: usize| value(name).map_or(default, |v| v.parse().expect("a number"));
    let Some(addr) = value("--addr") else {
        println!("serve_load: give --addr HOST:PORT of a running server (see the file's comment)");
        return;
    };
    let opts = Options {
        addr: addr.parse().expect("--addr HOST:PORT"),
        path: value("--path").unwrap_or_else(|| "/events.ics".to_string()),
        clients: number("--clients", 50),
        seconds: number("--seconds", 10) as u64,
        idle: number("--idle", 0),
        slowloris: number("--slowloris", 0),
        slow_body: number("--slow-body", 0),
        huge_header: number("--huge-header", 0),
    };
    run(&opts);
}

fn run(opts: &Options) {
    let stop = Arc::new(AtomicBool::new(false));
    let attackers = attack(opts, &stop);
    // Let the attackers take their connections before the clients start.
    if !attackers.is_empty() {
        thread::sleep(Duration::from_millis(500));
    }
    let started = Instant::now();
    let clients: Vec<_> = (0..opts.clients)
        .map(|_| {
            let (addr, path, stop) = (opts.addr, opts.path.clone(), stop.clone());
            thread::spawn(move || client(addr, &path, &stop))
        })
        .collect();
    thread::sleep(Duration::from_secs(opts.seconds));
    stop.store(true, Ordering::SeqCst);
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for c in clients {
        let (l, e, first) = c.join().unwrap();
        latencies.extend(l);
        errors += e;
        first_error = first_error.or(first);
    }
    let elapsed = started.elapsed().as_secs_f64();
    for a in attackers {
        let _ = a.join();
    }
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q) as usize)
            .map_or(0.0, |d: &Duration| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{} clients, {:.0} s, {}: {} requests, {:.0} req/s, {} errors; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        opts.clients,
        elapsed,
        opts.path,
        latencies.len(),
        latencies.len() as f64 / elapsed,
        errors,
        at(0.5),
        at(0.99),
        at(1.0)
    );
    if let Some(e) = first_error {
        println!("first error: {e}");
    }
}

/// One keep-alive client: its latencies, its error count and first error.
fn client(
    addr: SocketAddr,
    path: &str,
    stop: &AtomicBool,
) -> (Vec<Duration>, usize, Option<String>) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    let mut conn: Option<BufReader<TcpStream>> = None;
    while !stop.load(Ordering::Relaxed) {
        let t0 = Instant::now();
        let result = match conn.as_mut() {
            Some(c) => exchange(c, request.as_bytes()),
            None => connect(addr).and_then(|mut c| {
                let r = exchange(&mut c, request.as_bytes());
                conn = Some(c);
                r
            }),
        };
        match result {
            Ok(()) => latencies.push(t0.elapsed()),
            Err(e) => {
                errors += 1;
                first_error.get_or_insert(e);
                conn = None;
            }
        }
    }
    (latencies, errors, first_error)
}

fn connect(addr: SocketAddr) -> Result<BufReader<TcpStream>, String> {
    let s = TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.set_write_timeout(Some(TIMEOUT)).unwrap();
    s.set_nodelay(true).unwrap();
    Ok(BufReader::with_capacity(64 * 1024, s))
}

/// Sends one request and reads its answer, which must be a `200` with a
/// `Content-Length`.
fn exchange(conn: &mut BufReader<TcpStream>, request: &[u8]) -> Result<(), String> {
    conn.get_mut()
        .write_all(request)
        .map_err(|e| format!("write: {e}"))?;
    let mut line = String::new();
    conn.read_line(&mut line)
        .map_err(|e| format!("read: {e}"))?;
    if line.is_empty() {
        return Err("closed".to_string());
    }
    if line.split(' ').nth(1) != Some("200") {
        return Err(format!("status line {:?}", line.trim_end()));
    }
    let mut length = None;
    loop {
        line.clear();
        conn.read_line(&mut line)
            .map_err(|e| format!("read: {e}"))?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let length = length.ok_or("no Content-Length")?;
    let mut body = vec![0; length];
    conn.read_exact(&mut body)
        .map_err(|e| format!("body: {e}"))?;
    Ok(())
}

/// A thread that connects, hands the connection to `attack`, and connects
/// again when that returns, until `stop`.
fn reconnecting(
    addr: SocketAddr,
    stop: &Arc<AtomicBool>,
    attack: impl Fn(TcpStream, &AtomicBool) + Send + 'static,
) -> thread::JoinHandle<()> {
    let stop = stop.clone();
    thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match TcpStream::connect_timeout(&addr, TIMEOUT) {
                Ok(s) => attack(s, &stop),
                Err(_) => thread::sleep(Duration::from_millis(200)),
            }
        }
    })
}

/// Starts the attackers the options ask for; each runs until `stop`.
fn attack(opts: &Options, stop: &Arc<AtomicBool>) -> Vec<thread::JoinHandle<()>> {
    let mut threads = Vec::new();
    let addr = opts.addr;
    if opts.idle > 0 {
        // Connections that never send a byte, reopened when the server
        // closes them.
        let (n, stop) = (opts.idle, stop.clone());
        threads.push(thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                held.retain(|s| {
                    let mut b = [0u8; 1];
                    matches!(s.peek(&mut b), Err(ref e) if e.kind() == std::io::ErrorKind::WouldBlock)
                });
                while held.len() < n {
                    match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
                        Ok(s) => {
                            s.set_nonblocking(true).unwrap();
                            held.push(s);
                        }
                        Err(_) => break,
                    }
                }
                thread::sleep(Duration::from_millis(200));
            }
        }));
    }
    for _ in 0..opts.slowloris {
        // A request head, one byte a second, never finished.
        threads.push(reconnecting(addr, stop, |mut s, stop| {
            let _ = s.write_all(b"GET /events.ics HTTP/1.1\r\n");
            while !stop.load(Ordering::Relaxed) && s.write_all(b"X").is_ok() {
                thread::sleep(Duration::from_secs(1));
            }
        }));
    }
    for _ in 0..opts.slow_body {
        // A body announced and never sent.
        threads.push(reconnecting(addr, stop, |mut s, stop| {
            let _ = s.write_all(
                b"POST /events.ics HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000000\r\n\r\n",
            );
            s.set_read_timeout(Some(Duration::from_millis(500)))
                .unwrap();
            let mut sink = [0u8; 4096];
            while !stop.load(Ordering::Relaxed) {
                match s.read(&mut sink) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e)
                        if e.kind() == std::io::ErrorKind::WouldBlock
                            || e.kind() == std::io::ErrorKind::TimedOut => {}
                    Err(_) => break,
                }
            }
        }));
    }
    for _ in 0..opts.huge_header {
        // A 20 MB header line, sent as fast as the server takes it.
        threads.push(reconnecting(addr, stop, |mut s, stop| {
            let chunk = vec![b'a'; 64 * 1024];
            s.set_write_timeout(Some(Duration::from_secs(1))).unwrap();
            let _ = s.write_all(b"GET /events.ics HTTP/1.1\r\nX-Big: ");
            for _ in 0..320 {
                if stop.load(Ordering::Relaxed) || s.write_all(&chunk).is_err() {
                    break;
                }
            }
        }));
    }
    threads
}
