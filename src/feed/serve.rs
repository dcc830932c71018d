//! Feed: serves the store as a subscribable calendar (`/events.ics`) and as
//! JSON (`/events.json`) over HTTP, for calendar apps to poll.
//!
//! - Only `GET` and `HEAD`; any other method is `405` with `Allow`. With a
//!   token only `/<token>/events.ics` and `/<token>/events.json` answer;
//!   every other path is `404` (also without a token: only the two feeds).
//! - Query filters: `kind=deadline,meeting`, `within=90d` (`d`, `w` or `h`;
//!   from the server's "now"), `from=YYYY-MM-DD`, `to=YYYY-MM-DD`
//!   (inclusive), `where=` and `grep=` (case-insensitive substrings of the
//!   place; of title, place, notes and source sentences), `all` (also done
//!   events; by default only open ones). Time filters keep events that
//!   overlap the window; recurrences have no single time and always pass.
//!   An unknown parameter or a bad value is `400`.
//! - Every answer has an `ETag` (a hash of the body bytes) and, once the
//!   store has been read, `Last-Modified` (the store file's mtime);
//!   `If-None-Match` with a matching tag is `304` with no body.
//! - The store is re-read when its mtime or size changes, so a change is
//!   seen by the next request. A store that does not load is `503` with a
//!   short message, and the events last read are kept until it loads again.
//! - Limits: URLs over 2 KiB are `414`, request headers over 8 KiB `431`.
//!   Requests are answered one at a time on the calling thread. (tiny_http
//!   itself reads each connection on a thread of its own, without a cap on
//!   line length: one more reason the default address is loopback.)
//! - The library never reads the clock: "now" comes from
//!   [`ServeOptions::now`].

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration as StdDuration, SystemTime};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::events::{Event, Kind};
use crate::feed::ical::{to_ics, IcsOptions};
use crate::feed::json_csv::to_json;
use crate::store::Store;
use crate::views::Filter;

/// The longest URL (path and query) answered; longer is `414`.
pub const MAX_URL_BYTES: usize = 2048;
/// The most header bytes (names and values) accepted; more is `431`.
pub const MAX_HEADER_BYTES: usize = 8192;
/// How often the loop looks at the stop flag.
const POLL: StdDuration = StdDuration::from_millis(50);

/// The current local time, as the server should see it.
pub type Clock = fn() -> NaiveDateTime;

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Where to listen: `127.0.0.1:8080` by default; port 0 picks a free one.
    pub addr: String,
    /// The `events.toml` to serve.
    pub store: PathBuf,
    /// A secret path segment: only `/<token>/events.ics` and
    /// `/<token>/events.json` answer. Letters, digits, `-`, `_`, `.`, `~`.
    pub token: Option<String>,
    pub ics: IcsOptions,
    /// Stop after this many requests (for tests); `None` runs until `stop`.
    pub max_requests: Option<u64>,
    /// "Now", for `within=`: `main` passes the real clock, tests a fixed one.
    pub now: Clock,
}

impl ServeOptions {
    /// Loopback on port 8080, no token, default feed options.
    pub fn new(store: impl Into<PathBuf>, now: Clock) -> ServeOptions {
        ServeOptions {
            addr: "127.0.0.1:8080".to_string(),
            store: store.into(),
            token: None,
            ics: IcsOptions::default(),
            max_requests: None,
            now,
        }
    }
}

/// Serves until `stop` is set (checked every 50 ms) or `max_requests`
/// requests have been answered. Writes the feed's `webcal://` URL, then one
/// line per request (the token masked), to `log`. Errors: the address cannot
/// be bound, the token has characters a URL path would mangle.
pub fn serve(opts: &ServeOptions, log: &mut dyn Write, stop: &AtomicBool) -> Result<(), String> {
    if let Some(token) = &opts.token {
        let ok = |c: char| c.is_ascii_alphanumeric() || "-_.~".contains(c);
        if token.is_empty() || token.len() > 256 || !token.chars().all(ok) {
            return Err(
                "the token may only hold letters, digits, '-', '_', '.' and '~' (1 to 256 of them)"
                    .to_string(),
            );
        }
    }
    let server = Server::http(opts.addr.as_str())
        .map_err(|e| format!("cannot listen on {}: {e}", opts.addr))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| format!("{} is not an IP address", opts.addr))?;
    let prefix = opts
        .token
        .as_deref()
        .map(|t| format!("/{t}"))
        .unwrap_or_default();
    let say = |log: &mut dyn Write, line: String| {
        let _ = writeln!(log, "{line}");
        let _ = log.flush();
    };
    say(log, format!("webcal://{addr}{prefix}/events.ics"));
    say(log, format!("http://{addr}{prefix}/events.json"));
    if !addr.ip().is_loopback() {
        let warning = if opts.token.is_some() {
            "warning: listening beyond this machine; the token is the only protection"
        } else {
            "warning: listening beyond this machine without --token: anyone who can reach it reads the feed"
        };
        say(log, warning.to_string());
    }

    let mut feed = Feed::new(Store::new(&opts.store));
    let mut answered: u64 = 0;
    while !stop.load(Ordering::SeqCst) && opts.max_requests.is_none_or(|max| answered < max) {
        let request = match server.recv_timeout(POLL) {
            Ok(Some(request)) => request,
            Ok(None) => continue,
            Err(e) => return Err(format!("server stopped: {e}")),
        };
        answered += 1;
        let reply = feed.answer(opts, &request);
        let shown = match &opts.token {
            Some(t) => request.url().replace(t.as_str(), "***"),
            None => request.url().to_string(),
        };
        let shown: String = shown.chars().take(200).collect();
        say(
            log,
            format!(
                "{} {} {} {}",
                request.method(),
                shown,
                reply.status,
                reply.body.len()
            ),
        );
        if let Some(e) = &reply.log_note {
            say(log, e.clone());
        }
        if let Err(e) = request.respond(reply.into_response()) {
            say(log, format!("could not send the answer: {e}"));
        }
    }
    Ok(())
}

/// An answer, before it becomes a tiny_http response.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// Send the headers of a body of this length, but not the body (304).
    length_only: bool,
    /// Something to tell the operator.
    log_note: Option<String>,
}

impl Reply {
    fn text(status: u16, message: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
            body: format!("{message}\n").into_bytes(),
            length_only: false,
            log_note: None,
        }
    }

    fn into_response(self) -> Response<std::io::Cursor<Vec<u8>>> {
        let length = self.body.len();
        let body = if self.length_only {
            Vec::new()
        } else {
            self.body
        };
        let mut headers: Vec<Header> = self
            .headers
            .iter()
            .filter_map(|(k, v)| Header::from_bytes(k.as_bytes(), v.as_bytes()).ok())
            .collect();
        headers.extend(Header::from_bytes("X-Content-Type-Options", "nosniff").ok());
        // Always Content-Length, never chunked: simpler for every client. A
        // 304 and a HEAD answer get the length of the body they stand for.
        Response::new(
            StatusCode(self.status),
            headers,
            std::io::Cursor::new(body),
            Some(length),
            None,
        )
        .with_chunked_threshold(usize::MAX)
    }
}

/// What identifies one version of the store file.
type Signature = Option<(Option<SystemTime>, u64)>;

/// The store as last read.
struct Feed {
    store: Store,
    /// The signature of the file the state below was read from; `None`
    /// before the first read.
    seen: Option<Signature>,
    /// The events last read successfully (kept while the store is broken).
    events: Vec<Event>,
    /// The mtime of the file they came from.
    modified: Option<SystemTime>,
    /// Why the current file does not load.
    error: Option<String>,
}

impl Feed {
    fn new(store: Store) -> Feed {
        Feed {
            store,
            seen: None,
            events: Vec::new(),
            modified: None,
            error: None,
        }
    }

    /// Re-reads the store if its mtime or size changed since the last read.
    /// Returns a note for the log when that changed whether it loads.
    fn refresh(&mut self) -> Option<String> {
        let signature: Signature = std::fs::metadata(self.store.path())
            .ok()
            .map(|m| (m.modified().ok(), m.len()));
        if self.seen.as_ref() == Some(&signature) {
            return None;
        }
        self.seen = Some(signature);
        match self.store.load() {
            Ok(events) => {
                self.events = events;
                self.modified = signature.and_then(|(mtime, _)| mtime);
                self.error.take().map(|_| "store loads again".to_string())
            }
            Err(e) => {
                let message = e.to_string();
                self.error = Some(message.clone());
                Some(format!("store does not load: {message}"))
            }
        }
    }

    fn answer(&mut self, opts: &ServeOptions, request: &Request) -> Reply {
        let url = request.url();
        if url.len() > MAX_URL_BYTES {
            return Reply::text(414, "URI too long");
        }
        let header_bytes: usize = request
            .headers()
            .iter()
            .map(|h| h.field.as_str().as_str().len() + h.value.as_str().len() + 4)
            .sum();
        if header_bytes > MAX_HEADER_BYTES {
            return Reply::text(431, "request headers too large");
        }
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let Some(format) = route(path, opts.token.as_deref()) else {
            return Reply::text(404, "not found");
        };
        if !matches!(request.method(), Method::Get | Method::Head) {
            let mut reply = Reply::text(405, "only GET and HEAD");
            reply.headers.push(("Allow", "GET, HEAD".to_string()));
            return reply;
        }
        let filter = match parse_query(query, (opts.now)()) {
            Ok(filter) => filter,
            Err(e) => return Reply::text(400, &e),
        };
        let log_note = self.refresh();
        if let Some(e) = &self.error {
            let mut reply = Reply::text(503, &format!("store unreadable: {e}"));
            reply.headers.push(("Retry-After", "10".to_string()));
            reply.log_note = log_note;
            return reply;
        }
        let chosen: Vec<Event> = self
            .events
            .iter()
            .filter(|e| filter.matches(e))
            .cloned()
            .collect();
        let (body, content_type) = match format {
            Format::Ics => (to_ics(&chosen, &opts.ics), "text/calendar; charset=utf-8"),
            Format::Json => (to_json(&chosen), "application/json"),
        };
        let body = body.into_bytes();
        let etag = format!("\"{:016x}\"", fnv1a(&body));
        let mut headers = vec![
            ("Content-Type", content_type.to_string()),
            ("ETag", etag.clone()),
            ("Cache-Control", "no-cache".to_string()),
        ];
        if let Some(mtime) = self.modified {
            headers.push(("Last-Modified", http_date(mtime)));
        }
        // If-None-Match decides when present; else If-Modified-Since
        // against the store's mtime (RFC 9110 §13.2.2).
        let header = |name: &'static str| {
            request
                .headers()
                .iter()
                .filter(|h| h.field.equiv(name))
                .map(|h| h.value.as_str().to_string())
                .collect::<Vec<String>>()
        };
        let none_match = header("If-None-Match");
        let fresh = if !none_match.is_empty() {
            none_match.iter().any(|v| etag_matches(v, &etag))
        } else {
            let since = header("If-Modified-Since");
            match (self.modified, since.first()) {
                (Some(mtime), Some(v)) => not_modified_since(mtime, v),
                _ => false,
            }
        };
        Reply {
            status: if fresh { 304 } else { 200 },
            headers,
            body,
            length_only: fresh,
            log_note,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Ics,
    Json,
}

/// Which feed a path names, if any.
fn route(path: &str, token: Option<&str>) -> Option<Format> {
    let rest = match token {
        Some(t) => {
            let after = path.strip_prefix('/')?;
            let (given, rest) = after.split_once('/')?;
            if !same_secret(given.as_bytes(), t.as_bytes()) {
                return None;
            }
            rest
        }
        None => path.strip_prefix('/')?,
    };
    match rest {
        "events.ics" => Some(Format::Ics),
        "events.json" => Some(Format::Json),
        _ => None,
    }
}

/// Compares in time that does not depend on where the inputs differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether an `If-None-Match` value names this tag (weak tags compare by
/// their opaque part; `*` matches anything).
fn etag_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// 64-bit FNV-1a: a cheap, stable hash for the ETag.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// An HTTP date (RFC 9110 IMF-fixdate): "Tue, 14 Oct 2014 09:30:00 GMT".
/// Whether a resource last modified at `mtime` is unchanged since the
/// HTTP date `since` (to the second, as HTTP dates are). A date that does
/// not parse is ignored, as RFC 9110 says.
fn not_modified_since(mtime: SystemTime, since: &str) -> bool {
    let Ok(since) = DateTime::parse_from_rfc2822(since.trim()) else {
        return false;
    };
    DateTime::<Utc>::from(mtime).timestamp() <= since.timestamp()
}

fn http_date(t: SystemTime) -> String {
    DateTime::<Utc>::from(t)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// Reads the feed's query filters — `kind`, `within`, `from`, `to`,
/// `where`, `grep`, `all` — into the filter the CLI views use. `within`
/// counts from `now`; `to` is inclusive; past events stay in the feed (a
/// calendar shows history), done ones only with `all`.
pub fn parse_query(query: &str, now: NaiveDateTime) -> Result<Filter, String> {
    let mut f = Filter {
        include_past: true,
        ..Filter::default()
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(raw).ok_or_else(|| format!("bad escape in {key}="))?;
        match key {
            "kind" => {
                f.kinds = value
                    .split(',')
                    .filter(|k| !k.is_empty())
                    .map(|k| {
                        Kind::parse(&k.to_ascii_lowercase())
                            .ok_or_else(|| format!("unknown kind {k:?}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "within" => {
                let span = crate::views::parse_span(&value).map_err(|e| format!("within: {e}"))?;
                f.from = Some(now);
                f.to = Some(now + span);
            }
            "from" => f.from = Some(parse_day(key, &value)?.and_time(NaiveTime::MIN)),
            "to" => {
                let last = parse_day(key, &value)?;
                let end = last.succ_opt().unwrap_or(last);
                f.to = Some(end.and_time(NaiveTime::MIN));
            }
            "where" => f.place = Some(value.to_lowercase()),
            "grep" => f.grep = Some(value.to_lowercase()),
            "all" => {
                f.include_done = match value.as_str() {
                    "" | "1" | "true" | "yes" => true,
                    "0" | "false" | "no" => false,
                    _ => return Err(format!("all={value:?}: expected true or false")),
                }
            }
            _ => {
                return Err(format!(
                    "unknown parameter {key:?} (known: kind, within, from, to, where, grep, all)"
                ))
            }
        }
    }
    Ok(f)
}

fn parse_day(key: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("{key}={value:?}: expected a date like 2014-11-24"))
}

/// Decodes `%XX` escapes and `+` as a space; `None` for a bad escape or
/// bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_only_the_two_feeds() {
        assert_eq!(route("/events.ics", None), Some(Format::Ics));
        assert_eq!(route("/events.json", None), Some(Format::Json));
        assert_eq!(route("/", None), None);
        assert_eq!(route("/x/events.ics", None), None);
        assert_eq!(
            route("/s3cret/events.ics", Some("s3cret")),
            Some(Format::Ics)
        );
        assert_eq!(route("/events.ics", Some("s3cret")), None);
        assert_eq!(route("/s3cre/events.ics", Some("s3cret")), None);
        assert_eq!(route("/s3cret/x/events.ics", Some("s3cret")), None);
    }

    #[test]
    fn etags_match_strong_weak_and_star() {
        assert!(etag_matches("\"ab\"", "\"ab\""));
        assert!(etag_matches("W/\"ab\"", "\"ab\""));
        assert!(etag_matches("\"x\", \"ab\"", "\"ab\""));
        assert!(etag_matches("*", "\"ab\""));
        assert!(!etag_matches("\"abc\"", "\"ab\""));
    }

    #[test]
    fn queries_decode_and_reject_unknown_keys() {
        let now = NaiveDate::from_ymd_opt(2014, 10, 14)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let f = parse_query("kind=deadline,meeting&where=New+York&grep=caf%C3%A9", now).unwrap();
        assert_eq!(f.kinds, vec![Kind::Deadline, Kind::Meeting]);
        assert_eq!(f.place.as_deref(), Some("new york"));
        assert_eq!(f.grep.as_deref(), Some("café"));
        let f = parse_query("within=90d&all", now).unwrap();
        assert_eq!(f.to, Some(now + chrono::Duration::days(90)));
        assert!(f.include_done);
        assert!(parse_query("kind=party", now).is_err());
        assert!(parse_query("within=soon", now).is_err());
        assert!(parse_query("colour=red", now).is_err());
        assert!(parse_query("grep=%zz", now).is_err());
    }

    #[test]
    fn if_modified_since_compares_to_the_second() {
        let t = SystemTime::UNIX_EPOCH + StdDuration::from_millis(1_413_279_000_400);
        assert!(not_modified_since(t, "Tue, 14 Oct 2014 09:30:00 GMT"));
        assert!(not_modified_since(t, "Tue, 14 Oct 2014 10:00:00 GMT"));
        assert!(!not_modified_since(t, "Tue, 14 Oct 2014 09:29:59 GMT"));
        assert!(!not_modified_since(t, "yesterday"));
    }

    #[test]
    fn http_dates_are_imf_fixdate() {
        let t = SystemTime::UNIX_EPOCH + StdDuration::from_secs(1_413_279_000);
        assert_eq!(http_date(t), "Tue, 14 Oct 2014 09:30:00 GMT");
    }
}
