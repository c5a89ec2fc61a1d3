//! The preview's HTTP server: the built site on 127.0.0.1, and the live-reload script
//! and event stream of [`super::reload`] at `/__folio/reload.js` and `/__folio/events`.
//!
//! Files come from the folder the last good build wrote (it changes when a full rebuild
//! swaps folders). HTML responses get the reload script injected as they are sent.
//!
//! A small HTTP/1.1 server of its own (GET and HEAD, keep-alive, no request bodies) with
//! one thread per connection: a browser keeps an event stream open per tab plus idle
//! keep-alive connections, and none of them may hold up another request. (tiny_http's
//! connection pool can leave a new connection unread for seconds while such
//! connections are open: a page's scripts stalled behind its own event stream.)
//! The threads are bounded: at most [`Limits::connections`] connections are served at
//! once (more are answered 503 and closed), a request head must arrive whole within
//! [`Limits::head`] (a client sending it byte by byte is cut off) and a reply must be
//! taken within the same time. Redirects stay on this server: their `Location` is an
//! absolute path rebuilt from the checked path segments, never the request's text.

use std::fs;
use std::io::{self, BufRead, BufReader, Read as _, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::reload::{events, inject, Hub, EVENTS_PATH, KEEPALIVE, RELOAD_JS, RELOAD_PATH};

/// How many ports after a busy one are tried.
const PORT_TRIES: u16 = 20;
/// An idle keep-alive connection is closed after this long, as is one whose request head
/// does not arrive whole within it.
const IDLE: Duration = Duration::from_secs(30);
/// Most connections served at once (a browser tab holds an event stream and a few
/// keep-alive connections).
const MAX_CONNECTIONS: usize = 64;

/// How many connections the server holds and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once; more are answered 503 and closed.
    pub connections: usize,
    /// Time for a whole request head to arrive (also the idle time between requests),
    /// and for a reply to be taken.
    pub head: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { connections: MAX_CONNECTIONS, head: IDLE }
    }
}

/// The reading side of a connection: every read must finish by `deadline`, so a client
/// that trickles its request in cannot hold the connection longer than that.
struct Timed {
    stream: TcpStream,
    deadline: Instant,
}

impl io::Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

/// Counts a connection while it is served.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
/// Longest request line or header line, and most header lines, accepted.
const MAX_LINE: u64 = 8192;
const MAX_HEADERS: usize = 100;

/// Binds 127.0.0.1:`port`, or the next free port when it is busy (saying so in the
/// returned note); port 0 takes any free port.
pub fn bind(port: u16) -> Result<(TcpListener, Option<String>), String> {
    let last = if port == 0 { 0 } else { port.saturating_add(PORT_TRIES) };
    for p in port..=last {
        match TcpListener::bind(("127.0.0.1", p)) {
            Ok(l) => {
                let note = (p != port).then(|| format!("port {port} is busy; using port {p} instead"));
                return Ok((l, note));
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(format!("cannot listen on 127.0.0.1:{p}: {e}")),
        }
    }
    Err(format!(
        "ports {port} to {last} on 127.0.0.1 are all busy: choose another with --port N (--port 0 picks any free port)"
    ))
}

/// Serves `served` (the current site folder, `None` until a build succeeds) on
/// `listener`, in background threads.
pub fn start(listener: TcpListener, served: Arc<RwLock<Option<PathBuf>>>, hub: Arc<Hub>) -> Result<(), String> {
    start_with(listener, served, hub, Limits::default())
}

/// [`start`] with other [`Limits`].
pub fn start_with(
    listener: TcpListener,
    served: Arc<RwLock<Option<PathBuf>>>,
    hub: Arc<Hub>,
    limits: Limits,
) -> Result<(), String> {
    let open = Arc::new(AtomicUsize::new(0));
    std::thread::Builder::new()
        .name("folio-http".into())
        .spawn(move || {
            for stream in listener.incoming() {
                // A connection that failed before it was accepted concerns nobody else.
                let Ok(mut stream) = stream else { continue };
                if open.fetch_add(1, Ordering::SeqCst) >= limits.connections {
                    open.fetch_sub(1, Ordering::SeqCst);
                    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                    let busy = Reply::text(503, "too many connections\n");
                    let _ = write_reply(&mut stream, &busy, false, false);
                    // Take what the client already sent, briefly: closing with it unread
                    // would reset the connection and could lose the reply.
                    let _ = stream.set_read_timeout(Some(Duration::from_millis(10)));
                    let _ = stream.shutdown(std::net::Shutdown::Write);
                    let _ = stream.read(&mut [0u8; 4096]);
                    continue;
                }
                let slot = Slot(open.clone());
                let (served, hub) = (served.clone(), hub.clone());
                let spawned = std::thread::Builder::new().name("folio-http-conn".into()).spawn(move || {
                    let _slot = slot;
                    serve(stream, &served, &hub, limits)
                });
                if let Err(e) = spawned {
                    eprintln!("warning: cannot answer a connection: {e}");
                }
            }
        })
        .map_err(|e| format!("cannot start the web server: {e}"))?;
    Ok(())
}

/// One request's head: what the server looks at.
#[derive(Debug, PartialEq)]
struct Head {
    method: String,
    /// The request target as sent, e.g. `/v1/a.html?x=1`.
    target: String,
    keep_alive: bool,
}

/// A response before it is written.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply { status, content_type, body, location: None }
    }

    fn text(status: u16, text: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
    }
}

/// Reads the next request head; `Ok(None)` when the client is done (or idle too long),
/// `Err(status)` for a request this server does not take.
fn read_head(r: &mut BufReader<impl io::Read>) -> Result<Option<Head>, u16> {
    let mut line = String::new();
    // Clients may send empty lines between requests.
    loop {
        line.clear();
        match r.by_ref().take(MAX_LINE).read_line(&mut line) {
            Ok(0) => return Ok(None),
            Ok(_) if !line.ends_with('\n') => return Err(400),
            Ok(_) if line.trim().is_empty() => continue,
            Ok(_) => break,
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => return Ok(None),
            Err(_) => return Err(400),
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(505),
    };
    if !target.starts_with('/') || target.chars().any(|c| c.is_control()) {
        return Err(400);
    }
    let mut connection = String::new();
    let mut has_body = false;
    for n in 0.. {
        if n > MAX_HEADERS {
            return Err(431);
        }
        let mut h = String::new();
        match r.by_ref().take(MAX_LINE).read_line(&mut h) {
            Ok(_) if !h.ends_with('\n') => return Err(400),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => return Ok(None),
            Err(_) => return Err(400),
        }
        let h = h.trim_end_matches(['\r', '\n']);
        if h.is_empty() {
            break;
        }
        let Some((name, value)) = h.split_once(':') else { return Err(400) };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "connection" => connection = value.to_ascii_lowercase(),
            "content-length" => has_body |= value != "0",
            "transfer-encoding" => has_body = true,
            _ => {}
        }
    }
    if has_body {
        // No request here has a body; skipping one safely is not worth the code.
        return Err(400);
    }
    let keep_alive = if http11 { !connection.contains("close") } else { connection.contains("keep-alive") };
    Ok(Some(Head { method: method.to_string(), target: target.to_string(), keep_alive }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}

fn write_reply(w: &mut TcpStream, reply: &Reply, head_only: bool, keep_alive: bool) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: {}\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    if let Some(l) = &reply.location {
        head.push_str(&format!("Location: {l}\r\n"));
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    if !head_only {
        w.write_all(&reply.body)?;
    }
    w.flush()
}

/// Answers the requests of one connection until the client closes it.
fn serve(stream: TcpStream, served: &RwLock<Option<PathBuf>>, hub: &Hub, limits: Limits) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.head));
    let Ok(mut w) = stream.try_clone() else { return };
    let mut r = BufReader::new(Timed { stream, deadline: Instant::now() });
    loop {
        r.get_mut().deadline = Instant::now() + limits.head;
        let head = match read_head(&mut r) {
            Ok(Some(h)) => h,
            Ok(None) => return,
            Err(status) => {
                let _ = write_reply(&mut w, &Reply::text(status, "bad request\n"), false, false);
                return;
            }
        };
        let path = head.target.split(['?', '#']).next().unwrap_or("");
        if path == EVENTS_PATH && head.method == "GET" {
            // A stream writes now and then; its writes may wait for a slow reader.
            let _ = w.set_write_timeout(Some(KEEPALIVE * 2));
            return events(w, hub);
        }
        let reply = match head.method.as_str() {
            "GET" | "HEAD" => answer(path, served, hub),
            _ => Reply::text(405, "only GET and HEAD are served\n"),
        };
        let keep_alive = head.keep_alive && reply.status != 405;
        if write_reply(&mut w, &reply, head.method == "HEAD", keep_alive).is_err() || !keep_alive {
            return;
        }
    }
}

/// The reply to a GET of `path` (the target without query or fragment).
fn answer(path: &str, served: &RwLock<Option<PathBuf>>, hub: &Hub) -> Reply {
    if path == RELOAD_PATH {
        return Reply::new(200, "text/javascript; charset=utf-8", RELOAD_JS.as_bytes().to_vec());
    }
    // Read before the file: a page newer than its mark only reloads once more; an older
    // one marked newer would miss its reload.
    let generation = hub.generation();
    let root = served.read().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(root) = root else {
        let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>folio serve</title></head>\
                    <body><h1>The manual does not build yet</h1><p>The errors are shown in the terminal and below. \
                    This page reloads when they are fixed.</p></body></html>\n";
        return Reply::new(503, "text/html; charset=utf-8", inject(page.as_bytes(), generation));
    };
    let Some(segments) = url_segments(path) else { return Reply::text(400, "bad path\n") };
    let mut file = root.clone();
    file.extend(&segments);
    if file.is_dir() {
        if !path.ends_with('/') {
            // Relative links inside the folder's index need the trailing slash.
            // Rebuilt from the checked segments: `//host` must not become a redirect to
            // another host (a protocol-relative URL).
            let mut r = Reply::text(301, "moved\n");
            r.location = Some(folder_location(&segments));
            return r;
        }
        file.push("index.html");
    }
    match fs::read(&file) {
        Ok(bytes) => {
            let ct = content_type(&file);
            let body = if ct.starts_with("text/html") { inject(&bytes, generation) } else { bytes };
            Reply::new(200, ct, body)
        }
        Err(_) => {
            // The version's own 404 page when the path is inside a version folder.
            // folio's not-found page: `~404.html` where an article took `404.html`.
            let not_found = segments
                .first()
                .and_then(|v| ["~404.html", "404.html"].iter().find_map(|n| fs::read(root.join(v).join(n)).ok()));
            match not_found {
                Some(bytes) if segments.len() > 1 => {
                    Reply::new(404, "text/html; charset=utf-8", inject(&bytes, generation))
                }
                _ => Reply::text(404, &format!("not found: {path}\n")),
            }
        }
    }
}

/// The decoded segments of a URL path, or `None` when it tries to leave the site.
fn url_segments(path: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for raw in path.split('/') {
        let seg = percent_decode(raw)?;
        match seg.as_str() {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['/', '\\', '\0', ':']) => return None,
            _ => out.push(seg),
        }
    }
    Some(out)
}

/// The absolute path of the folder made of `segments`, with a trailing slash and every
/// byte outside the unreserved set percent-encoded: always a path on this server.
fn folder_location(segments: &[String]) -> String {
    let mut out = String::from("/");
    for seg in segments {
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out.push('/');
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>", 3)).unwrap();
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__folio/reload.js\" data-folio-generation=\"3\"></script>\n</BODY></html>"
        );
        let out = String::from_utf8(inject(b"<p>no body</p>", 0)).unwrap();
        assert!(out.ends_with("data-folio-generation=\"0\"></script>\n"));
    }

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(url_segments("/v1/a%20b.html"), Some(vec!["v1".to_string(), "a b.html".to_string()]));
        assert_eq!(url_segments("/"), Some(vec![]));
        assert_eq!(url_segments("/v1/../../etc/passwd"), None);
        assert_eq!(url_segments("/v1/%2e%2e/x"), None);
        assert_eq!(url_segments("/a%2"), None);
        assert_eq!(url_segments("/c:%5cwindows"), None);
        assert_eq!(url_segments("/v1/..%2f..%2fx"), None);
    }

    fn head_of(raw: &str) -> Result<Option<Head>, u16> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client.write_all(raw.as_bytes()).unwrap();
        drop(client);
        let (server, _) = listener.accept().unwrap();
        read_head(&mut BufReader::new(Timed { stream: server, deadline: Instant::now() + IDLE }))
    }

    #[test]
    fn reads_request_heads() {
        let h = head_of("GET /v1/a.html?q=1 HTTP/1.1\r\nHost: x\r\n\r\n").unwrap().unwrap();
        assert_eq!(h, Head { method: "GET".into(), target: "/v1/a.html?q=1".into(), keep_alive: true });
        let h = head_of("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").unwrap().unwrap();
        assert!(!h.keep_alive);
        let h = head_of("HEAD / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(!h.keep_alive && h.method == "HEAD");
        assert_eq!(head_of(""), Ok(None));
        assert_eq!(head_of("GET /\r\n\r\n"), Err(400));
        assert_eq!(head_of("GET / HTTP/2.0\r\n\r\n"), Err(505));
        assert_eq!(head_of("GET http://x/ HTTP/1.1\r\n\r\n"), Err(400));
        assert_eq!(head_of("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"), Err(400));
        assert_eq!(head_of(&format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000))), Err(400));
        assert_eq!(head_of("GET / HTTP/1.1\r\nno colon\r\n\r\n"), Err(400));
    }

    #[test]
    fn a_busy_port_moves_on() {
        let (first, _) = bind(0).unwrap();
        let port = first.local_addr().unwrap().port();
        let (second, note) = bind(port).unwrap();
        assert_ne!(second.local_addr().unwrap().port(), port);
        assert!(note.unwrap().contains("is busy"));
    }

    /// A server on a free port with `limits`, serving `dir`.
    fn server(dir: &Path, limits: Limits) -> std::net::SocketAddr {
        let (listener, _) = bind(0).unwrap();
        let addr = listener.local_addr().unwrap();
        let served = Arc::new(RwLock::new(Some(dir.to_path_buf())));
        start_with(listener, served, Arc::new(Hub::default()), limits).unwrap();
        addr
    }

    fn get(addr: std::net::SocketAddr, target: &str) -> String {
        let mut c = TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = write!(c, "GET {target} HTTP/1.1\r\nConnection: close\r\n\r\n");
        let mut out = String::new();
        let _ = c.read_to_string(&mut out);
        out
    }

    #[test]
    fn serve_redirects_never_leave_the_host() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("v2.0")).unwrap();
        fs::create_dir_all(d.path().join("a b")).unwrap();
        let addr = server(d.path(), Limits::default());
        let location = |target: &str| {
            let r = get(addr, target);
            assert!(r.starts_with("HTTP/1.1 301"), "{target}: {r}");
            r.lines().find_map(|l| l.strip_prefix("Location: ")).unwrap().to_string()
        };
        assert_eq!(location("//v2.0"), "/v2.0/");
        assert_eq!(location("///v2.0"), "/v2.0/");
        assert_eq!(location("/v2.0"), "/v2.0/");
        assert_eq!(location("/./v2.0"), "/v2.0/");
        assert_eq!(location("/a%20b"), "/a%20b/");
    }

    #[test]
    fn serve_connections_are_bounded_and_slow_clients_time_out() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("index.html"), "<body>hi</body>").unwrap();
        let limits = Limits { connections: 4, head: Duration::from_millis(600) };
        let addr = server(d.path(), limits);
        // Slow clients: each sends a byte of its request head now and then.
        let mut slow: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(addr).unwrap()).collect();
        for c in &mut slow {
            c.write_all(b"GET / HT").unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
        // The cap is reached: a further connection is turned away at once.
        let mut extra = TcpStream::connect(addr).unwrap();
        extra.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut reply = String::new();
        let _ = extra.read_to_string(&mut reply);
        assert!(reply.starts_with("HTTP/1.1 503"), "{reply}");
        // Trickling does not keep a connection: the head must arrive whole in time.
        let start = Instant::now();
        for c in &mut slow {
            c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        }
        for _ in 0..10 {
            for c in &mut slow {
                let _ = c.write_all(b"T");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        for c in &mut slow {
            let mut buf = Vec::new();
            let _ = c.read_to_end(&mut buf);
        }
        assert!(start.elapsed() < Duration::from_secs(4), "slow clients were held {:?}", start.elapsed());
        std::thread::sleep(Duration::from_millis(100));
        // Their slots are free again.
        assert!(get(addr, "/").starts_with("HTTP/1.1 200"));
    }
}
