//! One request's answer: the checks in the order they apply, then the feed
//! with its validators (`ETag`, `Last-Modified`, `304`).

use std::time::SystemTime;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use http_body_util::Full;
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::cache::{Feeds, Format};
use super::query::parse_query;
use super::{ServeOptions, MAX_URL_BYTES};

/// An answer, before it becomes a response.
pub(super) struct Reply {
    pub status: StatusCode,
    headers: Vec<(HeaderName, String)>,
    body: Bytes,
    /// Send the headers of a body of this length, but not the body (304).
    length_only: bool,
    /// Close the connection after this answer: the request may have left
    /// bytes on it (a body) that are not read.
    close: bool,
}

impl Reply {
    fn text(status: StatusCode, message: &str) -> Reply {
        Reply {
            status,
            headers: vec![(
                header::CONTENT_TYPE,
                "text/plain; charset=utf-8".to_string(),
            )],
            body: Bytes::from(format!("{message}\n")),
            length_only: false,
            close: false,
        }
    }

    fn closing(mut self) -> Reply {
        self.close = true;
        self
    }

    /// The length of the body this answer stands for.
    pub(super) fn len(&self) -> usize {
        self.body.len()
    }

    /// The response, always with `Content-Length` (never chunked: simpler
    /// for every client). A `304` and a `HEAD` answer get the length of
    /// the body they stand for, and no body.
    pub(super) fn into_response(self, head: bool) -> Response<Full<Bytes>> {
        let length = self.body.len();
        let body = if self.length_only || head {
            Bytes::new()
        } else {
            self.body
        };
        let mut response = Response::new(Full::new(body));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.append(name, value);
            }
        }
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if self.close {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// Answers a request, in this order: framing (`400`), a body (`413`), the
/// URL's length (`414`), the path and token (`404`), the method (`405`),
/// the query (`400`), the store (`503`), then the feed (`200` or `304`).
/// The second value is a note for the log.
pub(super) fn answer<B>(
    opts: &ServeOptions,
    feeds: &Feeds,
    request: &Request<B>,
) -> (Reply, Option<String>) {
    let headers = request.headers();
    if let Some(problem) = framing_problem(headers) {
        return (
            Reply::text(StatusCode::BAD_REQUEST, problem).closing(),
            None,
        );
    }
    // Never read, never drained: the connection closes after the answer,
    // so a client announcing 10 TB costs nothing but this reply.
    if announces_body(headers) {
        let reply = Reply::text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "this server takes no request bodies",
        );
        return (reply.closing(), None);
    }
    let url = request.uri().path_and_query().map_or("/", |p| p.as_str());
    if url.len() > MAX_URL_BYTES {
        return (Reply::text(StatusCode::URI_TOO_LONG, "URI too long"), None);
    }
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let Some(format) = route(path, opts.token.as_deref(), bearer(headers)) else {
        return (Reply::text(StatusCode::NOT_FOUND, "not found"), None);
    };
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut reply = Reply::text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        reply.headers.push((header::ALLOW, "GET, HEAD".to_string()));
        return (reply, None);
    }
    let filter = match parse_query(query, (opts.now)()) {
        Ok(filter) => filter,
        Err(e) => return (Reply::text(StatusCode::BAD_REQUEST, &e), None),
    };
    let (feed, note) = feeds.feed(format, &filter, &opts.ics);
    let feed = match feed {
        Ok(feed) => feed,
        Err(e) => {
            let message = format!("store unreadable: {e}");
            let mut reply = Reply::text(StatusCode::SERVICE_UNAVAILABLE, &message);
            reply.headers.push((header::RETRY_AFTER, "10".to_string()));
            return (reply, note);
        }
    };
    let mut reply_headers = vec![
        (header::CONTENT_TYPE, format.content_type().to_string()),
        (header::ETAG, feed.etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ];
    if let Some(mtime) = feed.modified {
        reply_headers.push((header::LAST_MODIFIED, http_date(mtime)));
    }
    let fresh = is_fresh(headers, &feed.etag, feed.modified);
    let reply = Reply {
        status: if fresh {
            StatusCode::NOT_MODIFIED
        } else {
            StatusCode::OK
        },
        headers: reply_headers,
        body: feed.body,
        length_only: fresh,
        close: false,
    };
    (reply, note)
}

/// A request whose length is ambiguous, which a proxy in front might read
/// differently than we do (request smuggling): two `Transfer-Encoding`
/// headers. hyper settles the other cases before we see the request: it
/// refuses `Content-Length`s that differ, keeps one of identical ones, and
/// drops `Content-Length` when `Transfer-Encoding` is present (and closes
/// after the answer, which is a `413` here).
fn framing_problem(headers: &HeaderMap) -> Option<&'static str> {
    (headers.get_all(header::TRANSFER_ENCODING).iter().count() > 1)
        .then_some("more than one Transfer-Encoding")
}

/// Whether the request says a body follows.
fn announces_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.to_str().ok().and_then(|s| s.trim().parse::<u64>().ok()) != Some(0))
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer(headers: &HeaderMap) -> Option<&[u8]> {
    headers.get_all(header::AUTHORIZATION).iter().find_map(|v| {
        let v = v.as_bytes();
        let scheme = v.get(..7)?;
        scheme
            .eq_ignore_ascii_case(b"bearer ")
            .then(|| v[7..].trim_ascii())
    })
}

/// Which feed a path names, if any. With a token, the path must start
/// with it (`/<token>/events.ics`), or the request must carry it as a
/// bearer token (`/events.ics`).
fn route(path: &str, token: Option<&str>, bearer: Option<&[u8]>) -> Option<Format> {
    let rest = path.strip_prefix('/')?;
    let name = match (token, rest.split_once('/')) {
        (None, _) => rest,
        (Some(t), Some((given, name))) => {
            if !same_secret(given.as_bytes(), t.as_bytes()) {
                return None;
            }
            name
        }
        (Some(t), None) => {
            if !bearer.is_some_and(|b| same_secret(b, t.as_bytes())) {
                return None;
            }
            rest
        }
    };
    Format::named(name)
}

/// Compares in time that does not depend on where the inputs differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether the client's copy is current: `If-None-Match` decides when
/// present; else `If-Modified-Since` against the store's mtime (RFC 9110
/// §13.2.2).
fn is_fresh(headers: &HeaderMap, etag: &str, modified: Option<SystemTime>) -> bool {
    let values = |name: HeaderName| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect::<Vec<String>>()
    };
    let none_match = values(header::IF_NONE_MATCH);
    if !none_match.is_empty() {
        return none_match.iter().any(|v| etag_matches(v, etag));
    }
    match (modified, values(header::IF_MODIFIED_SINCE).first()) {
        (Some(mtime), Some(v)) => not_modified_since(mtime, v),
        _ => false,
    }
}

/// Whether an `If-None-Match` value names this tag (weak tags compare by
/// their opaque part; `*` matches anything).
fn etag_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// Whether a resource last modified at `mtime` is unchanged since the
/// HTTP date `since` (to the second, as HTTP dates are). A date that does
/// not parse is ignored, as RFC 9110 says.
fn not_modified_since(mtime: SystemTime, since: &str) -> bool {
    let Ok(since) = DateTime::parse_from_rfc2822(since.trim()) else {
        return false;
    };
    DateTime::<Utc>::from(mtime).timestamp() <= since.timestamp()
}

/// An HTTP date (RFC 9110 IMF-fixdate): "Tue, 14 Oct 2014 09:30:00 GMT".
fn http_date(t: SystemTime) -> String {
    DateTime::<Utc>::from(t)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn routes_only_the_two_feeds() {
        let tok = "s3cret-s3cret-s3cret";
        assert_eq!(route("/events.ics", None, None), Some(Format::Ics));
        assert_eq!(route("/events.json", None, None), Some(Format::Json));
        assert_eq!(route("/", None, None), None);
        assert_eq!(route("/x/events.ics", None, None), None);
        assert_eq!(
            route("/s3cret-s3cret-s3cret/events.ics", Some(tok), None),
            Some(Format::Ics)
        );
        assert_eq!(route("/events.ics", Some(tok), None), None);
        assert_eq!(
            route("/s3cret-s3cret-s3cre/events.ics", Some(tok), None),
            None
        );
        assert_eq!(
            route("/s3cret-s3cret-s3cret/x/events.ics", Some(tok), None),
            None
        );
        assert_eq!(
            route("/events.json", Some(tok), Some(tok.as_bytes())),
            Some(Format::Json)
        );
        assert_eq!(route("/events.json", Some(tok), Some(b"wrong")), None);
    }

    #[test]
    fn bearer_tokens_are_read_from_authorization() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer  abc "),
        );
        assert_eq!(bearer(&h), Some(&b"abc"[..]));
    }

    #[test]
    fn two_transfer_encodings_are_a_framing_problem() {
        let mut h = HeaderMap::new();
        h.append(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        assert_eq!(framing_problem(&h), None);
        assert!(!announces_body(&h));
        let mut h = HeaderMap::new();
        h.append(header::CONTENT_LENGTH, HeaderValue::from_static("5"));
        assert!(announces_body(&h));
        let mut h = HeaderMap::new();
        h.append(
            header::TRANSFER_ENCODING,
            HeaderValue::from_static("chunked"),
        );
        assert_eq!(framing_problem(&h), None);
        assert!(announces_body(&h));
        h.append(
            header::TRANSFER_ENCODING,
            HeaderValue::from_static("chunked"),
        );
        assert!(framing_problem(&h).is_some());
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
    fn if_modified_since_compares_to_the_second() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(1_413_279_000_400);
        assert!(not_modified_since(t, "Tue, 14 Oct 2014 09:30:00 GMT"));
        assert!(not_modified_since(t, "Tue, 14 Oct 2014 10:00:00 GMT"));
        assert!(!not_modified_since(t, "Tue, 14 Oct 2014 09:29:59 GMT"));
        assert!(!not_modified_since(t, "yesterday"));
    }

    #[test]
    fn http_dates_are_imf_fixdate() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_413_279_000);
        assert_eq!(http_date(t), "Tue, 14 Oct 2014 09:30:00 GMT");
    }
}
