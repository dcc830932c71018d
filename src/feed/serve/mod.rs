//! Feed: serves the store as a subscribable calendar (`/events.ics`) and as
//! JSON (`/events.json`) over HTTP/1.1, for calendar apps to poll.
//!
//! - Only `GET` and `HEAD`; any other method is `405` with `Allow`. With a
//!   token only `/<token>/events.ics` and `/<token>/events.json` answer, or
//!   `/events.ics` and `/events.json` with `Authorization: Bearer <token>`;
//!   every other path is `404` (also without a token: only the two feeds).
//! - Query filters: `kind=deadline,meeting`, `within=90d` (`d`, `w` or `h`;
//!   from the server's "now"), `from=YYYY-MM-DD`, `to=YYYY-MM-DD`
//!   (inclusive), `where=` and `grep=` (case-insensitive substrings of the
//!   place; of title, place, notes and source sentences), `all` (also done
//!   events; by default only open ones). Time filters keep events that
//!   overlap the window; recurrences have no single time and always pass.
//!   An unknown parameter or a bad value (a span too long for the
//!   calendar too) is `400`.
//! - Every answer has an `ETag` (a hash of the body bytes) and, once the
//!   store has been read, `Last-Modified` (the store file's mtime);
//!   `If-None-Match` with a matching tag is `304` with no body.
//! - Every request checks the store file's metadata, and for a few seconds
//!   after a change its bytes too ([`cache`]), so any edit is seen by the
//!   next request; the store is parsed again only when the bytes differ,
//!   and each feed and filter is rendered once per version. A store that does not load is `503` with
//!   a short message, and the events last read are kept until it loads.
//! - Limits, so that no client can stop the others being answered:
//!   [`Limits::max_connections`] open at once (past it the connection
//!   idle the longest is closed, and the new one waits for its slot); a
//!   request head over [`MAX_HEAD_BYTES`] is `431`, a URL over
//!   [`MAX_URL_BYTES`] `414`; a request that announces a body is `413`
//!   and the connection closes without reading it; `Content-Length`s that
//!   differ, two `Transfer-Encoding` headers or one that is not `chunked`
//!   are `400`. Deadlines: the request head
//!   must arrive within [`Limits::header_timeout`], a connection idle for
//!   [`Limits::idle_timeout`] is closed, and so is one whose client reads
//!   nothing of its answer for [`Limits::write_timeout`]. Connections are
//!   tasks on a two-thread runtime, not threads; when the process runs out
//!   of descriptors the server logs it, waits a moment and goes on.
//! - Answers go out with `TCP_NODELAY`, head and body in one write.
//! - The library never reads the calendar clock: "now" comes from
//!   [`ServeOptions::now`], and the monotonic clock that times the store
//!   check from [`ServeOptions::clock`]. (Connection deadlines are the
//!   async runtime's timers; no clock shows in an answer.)
//!
//! The server is hyper (HTTP/1.1 only) on tokio: tiny_http, which it ran on
//! before, is unmaintained and could be stopped or crashed by one client.

mod answer;
mod cache;
mod io;
mod query;

pub use query::parse_query;

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};

use crate::feed::ical::IcsOptions;
use crate::store::{self, Store};

use cache::Feeds;

/// The longest URL (path and query) answered; longer is `414`.
pub const MAX_URL_BYTES: usize = 2048;
/// The most bytes of a request head (request line and headers) read;
/// more is `431`. hyper's smallest buffer, and plenty for a feed reader.
pub const MAX_HEAD_BYTES: usize = 8192;
/// The shortest token accepted: shorter ones can be guessed.
pub const MIN_TOKEN_CHARS: usize = 16;
/// How often the server looks at the stop flag.
const POLL: Duration = Duration::from_millis(50);
/// How long to wait before accepting again after accept failed (out of
/// descriptors, most likely).
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);
/// How long answers under way may take to finish once the server stops.
const DRAIN: Duration = Duration::from_secs(2);
/// How many log lines may wait to be written; past that they are dropped
/// rather than held in memory or allowed to slow the answers.
const LOG_QUEUE: usize = 4096;

/// The current local time, as the server should see it.
pub type Clock = fn() -> NaiveDateTime;

/// What one client may hold of the server.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections open at once (256): well under the usual limit of
    /// 1,024 descriptors.
    pub max_connections: usize,
    /// From a connection's first byte to the end of a request head (10 s).
    pub header_timeout: Duration,
    /// Waiting for a request on an open connection (15 s).
    pub idle_timeout: Duration,
    /// A client that reads nothing of its answer (15 s).
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(15),
            write_timeout: Duration::from_secs(15),
        }
    }
}

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Where to listen: `127.0.0.1:8080` by default; port 0 picks a free one.
    pub addr: String,
    /// The `events.toml` to serve.
    pub store: PathBuf,
    /// The secret that opens the feeds: a path segment
    /// (`/<token>/events.ics`) or a bearer token. At least
    /// [`MIN_TOKEN_CHARS`] letters, digits, `-`, `_`, `.`, `~`.
    pub token: Option<String>,
    pub ics: IcsOptions,
    /// Stop after this many requests (for tests); `None` runs until `stop`.
    pub max_requests: Option<u64>,
    pub limits: Limits,
    /// "Now", for `within=`: `main` passes the real clock, tests a fixed one.
    pub now: Clock,
    /// The monotonic clock that times the store check, and the store's
    /// clocks ([`store::Clock`]).
    pub clock: store::Clock,
}

impl ServeOptions {
    /// Loopback on port 8080, no token, default feed options and limits.
    pub fn new(store: impl Into<PathBuf>, now: Clock, clock: store::Clock) -> ServeOptions {
        ServeOptions {
            addr: "127.0.0.1:8080".to_string(),
            store: store.into(),
            token: None,
            ics: IcsOptions::default(),
            max_requests: None,
            limits: Limits::default(),
            now,
            clock,
        }
    }
}

/// Serves until `stop` is set (checked every 50 ms) or `max_requests`
/// requests have been answered; answers under way then get 2 s to finish.
/// Writes the feed's `webcal://` URL, then one line per request (the token
/// masked), to `log`, on the calling thread, shortly after each answer
/// has gone out; a log more than 4,096 lines behind loses lines rather
/// than slowing the answers. Answers hyper gives itself (a head too large,
/// a malformed request) are not logged. Errors: the address cannot be bound, the token is
/// too short or has characters a URL path would mangle.
pub fn serve(opts: &ServeOptions, log: &mut dyn Write, stop: &AtomicBool) -> Result<(), String> {
    if let Some(token) = &opts.token {
        check_token(token)?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start the server's runtime: {e}"))?;
    runtime.block_on(run(opts, log, stop))
}

/// Why a token cannot be used, if it cannot.
pub fn check_token(token: &str) -> Result<(), String> {
    let ok = |c: char| c.is_ascii_alphanumeric() || "-_.~".contains(c);
    if !token.chars().all(ok) {
        return Err("the token may only hold letters, digits, '-', '_', '.' and '~'".to_string());
    }
    let n = token.chars().count();
    if !(MIN_TOKEN_CHARS..=256).contains(&n) {
        return Err(format!(
            "the token has {n} characters; it needs {MIN_TOKEN_CHARS} to 256 \
             (for example: openssl rand -hex 16)"
        ));
    }
    Ok(())
}

/// What every connection shares.
struct Shared {
    opts: ServeOptions,
    feeds: Feeds,
    answered: AtomicU64,
    /// Set when `max_requests` have been answered.
    enough: AtomicBool,
    log: mpsc::Sender<String>,
    idle: Arc<io::Idle>,
    /// Becomes true when the server stops.
    closing: watch::Receiver<bool>,
}

impl Shared {
    fn say(&self, line: String) {
        let _ = self.log.try_send(line);
    }
}

async fn run(opts: &ServeOptions, log: &mut dyn Write, stop: &AtomicBool) -> Result<(), String> {
    let listener =
        listen(&opts.addr).map_err(|e| format!("cannot listen on {}: {e}", opts.addr))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", opts.addr))?;
    let say = |log: &mut dyn Write, line: &str| {
        let _ = writeln!(log, "{line}");
        let _ = log.flush();
    };
    for line in greeting(addr, opts.token.as_deref()) {
        say(log, &line);
    }

    let (log_tx, mut log_rx) = mpsc::channel(LOG_QUEUE);
    let (closing_tx, closing) = watch::channel(false);
    let shared = Arc::new(Shared {
        opts: opts.clone(),
        feeds: Feeds::new(
            Store::new(&opts.store).with_clock(opts.clock),
            opts.clock.monotonic,
        ),
        answered: AtomicU64::new(0),
        enough: AtomicBool::new(false),
        log: log_tx,
        idle: Arc::new(io::Idle::default()),
        closing,
    });
    let slots = Arc::new(Semaphore::new(opts.limits.max_connections));
    let acceptor = tokio::spawn(accept(listener, slots.clone(), shared.clone()));

    let mut tick = tokio::time::interval(POLL);
    loop {
        tokio::select! {
            Some(line) = log_rx.recv() => say(log, &line),
            _ = tick.tick() => {
                if stop.load(Ordering::SeqCst) || shared.enough.load(Ordering::SeqCst) {
                    break;
                }
            }
        }
    }
    acceptor.abort();
    let _ = closing_tx.send(true);
    // Every open connection holds a slot: all slots back means all closed.
    let all = u32::try_from(opts.limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN, slots.acquire_many(all)).await;
    while let Ok(line) = log_rx.try_recv() {
        say(log, &line);
    }
    Ok(())
}

/// Listens with a backlog of 1,024 (std's is 128): a burst of connections
/// waits in the kernel while the cap makes room, instead of having its
/// SYNs dropped and retried a second or more later.
fn listen(addr: &str) -> std::io::Result<TcpListener> {
    let addr = std::net::ToSocketAddrs::to_socket_addrs(addr)?
        .next()
        .ok_or_else(|| std::io::Error::other("the address resolves to nothing"))?;
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // As std's listeners do on Unix: a restart can bind again at once.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

/// The lines `serve` starts with: where the feeds are (the operator needs
/// the token there; request lines mask it), and a warning when they can
/// be reached from beyond this machine.
fn greeting(addr: SocketAddr, token: Option<&str>) -> Vec<String> {
    let prefix = token.map(|t| format!("/{t}")).unwrap_or_default();
    let mut lines = vec![
        format!("webcal://{addr}{prefix}/events.ics"),
        format!("http://{addr}{prefix}/events.json"),
    ];
    if !addr.ip().is_loopback() {
        lines.push(if token.is_some() {
            "warning: listening beyond this machine; the token is the only protection".to_string()
        } else {
            "warning: listening beyond this machine without a token: anyone who can reach it reads the feed".to_string()
        });
    }
    lines
}

/// Accepts connections for as long as the server runs. A new connection
/// takes a slot; when there is none, the connection idle the longest is
/// asked to close, and the new one waits for a slot.
async fn accept(listener: TcpListener, slots: Arc<Semaphore>, shared: Arc<Shared>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of descriptors (EMFILE) or a connection reset before
                // it was accepted: neither is a reason to stop serving.
                // Closing an idle connection frees a descriptor at once;
                // with none to close, wait for one to end on its own.
                shared.say(format!("cannot accept a connection: {e}"));
                let pause = if shared.idle.shed_oldest() {
                    ACCEPT_PAUSE / 20
                } else {
                    ACCEPT_PAUSE
                };
                tokio::time::sleep(pause).await;
                continue;
            }
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                shared.idle.shed_oldest();
                match slots.clone().acquire_owned().await {
                    Ok(slot) => slot,
                    Err(_) => return,
                }
            }
        };
        // The head and body go out in one write; without NODELAY a
        // keep-alive client's next answer could still wait on its delayed
        // ACK.
        let _ = stream.set_nodelay(true);
        // Idle from here, before its task first runs: the next connection
        // over the cap may need to close this one.
        let bell = Arc::new(io::Bell::default());
        let limits = shared.opts.limits;
        let io = io::Deadlines::new(
            stream,
            limits.idle_timeout,
            limits.write_timeout,
            shared.idle.clone(),
            bell.clone(),
        );
        tokio::spawn(connection(io, bell, slot, shared.clone()));
    }
}

/// Serves one connection until it closes, then gives its slot back.
async fn connection(
    io: io::Deadlines,
    bell: Arc<io::Bell>,
    slot: OwnedSemaphorePermit,
    shared: Arc<Shared>,
) {
    let _slot = slot;
    let limits = shared.opts.limits;
    let io = TokioIo::new(io);
    let service = {
        let shared = shared.clone();
        service_fn(move |request: Request<hyper::body::Incoming>| {
            let shared = shared.clone();
            async move { Ok::<_, Infallible>(handle(&shared, &request)) }
        })
    };
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_HEAD_BYTES);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut closing = shared.closing.clone();
    let mut asked = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = bell.woken.notified(), if !asked => {
                conn.as_mut().graceful_shutdown();
                asked = true;
            }
            _ = closing.wait_for(|&c| c), if !asked => {
                conn.as_mut().graceful_shutdown();
                asked = true;
            }
        }
    }
}

/// Answers one request and logs it, the token masked.
fn handle<B>(
    shared: &Shared,
    request: &Request<B>,
) -> hyper::Response<http_body_util::Full<bytes::Bytes>> {
    let opts = &shared.opts;
    let answered = shared.answered.fetch_add(1, Ordering::SeqCst) + 1;
    if opts.max_requests.is_some_and(|max| answered >= max) {
        shared.enough.store(true, Ordering::SeqCst);
    }
    let (reply, note) = answer::answer(opts, &shared.feeds, request);
    let url = request.uri().to_string();
    let shown = match &opts.token {
        Some(t) => url.replace(t.as_str(), "***"),
        None => url,
    };
    let shown: String = shown.chars().take(200).collect();
    shared.say(format!(
        "{} {} {} {}",
        request.method(),
        shown,
        reply.status.as_u16(),
        reply.len()
    ));
    if let Some(note) = note {
        shared.say(note);
    }
    reply.into_response(request.method() == Method::HEAD)
}
