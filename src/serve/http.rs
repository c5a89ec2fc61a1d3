//! The preview's HTTP server: the built site on 127.0.0.1, and the live-reload script
//! and event stream of [`super::reload`] at `/__folio/reload.js` and `/__folio/events`.
//!
//! Files come from the folder the last good build wrote (it changes when a full rebuild
//! swaps folders). HTML responses get the reload script injected as they are sent.
//! Paths never leave that folder: `..`, encoded dots and separators are refused, and a
//! symbolic link that resolves outside it is not followed. Redirects stay on this
//! server: their `Location` is an absolute path rebuilt from the checked path segments,
//! never the request's text.
//!
//! HTTP itself is hyper's (HTTP/1.1: GET and HEAD, keep-alive) behind an axum router,
//! on a single-threaded tokio runtime of its own: the server answers one person's
//! browser, and its only slow work, reading files, goes to the runtime's blocking pool,
//! so one event-loop thread is enough and leaves the CPUs to the rebuild. Resources are
//! bounded per connection, not per request (a request-level concurrency limit queues
//! rather than refuses, and a request timeout never sees a head that is still arriving):
//! at most [`Limits::connections`] connections are served at once (more are answered
//! 503 and closed), a request head must arrive whole within [`Limits::head`] (also the
//! longest idle time between requests; hyper's header timeout) and a write that makes
//! no progress for as long ends the connection, so a client that stops reading its
//! reply or event stream is cut off too.

use std::future::Future as _;
use std::io;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::sync::Semaphore;
use tower::ServiceExt as _;
use tower_http::set_header::SetResponseHeaderLayer;

use super::reload::{events, inject, Hub, EVENTS_PATH, RELOAD_JS, RELOAD_PATH};

/// How many ports after a busy one are tried.
const PORT_TRIES: u16 = 20;
/// An idle keep-alive connection is closed after this long, as is one whose request head
/// does not arrive whole within it.
const IDLE: Duration = Duration::from_secs(30);
/// Most connections served at once (a browser tab holds an event stream and a few
/// keep-alive connections).
const MAX_CONNECTIONS: usize = 64;
/// Largest request head read (hyper's smallest allowed buffer is 8 KiB).
const MAX_HEAD: usize = 16 * 1024;
/// Most header lines in a request head.
const MAX_HEADERS: usize = 100;
/// Threads reading files at once.
const FILE_THREADS: usize = 8;

/// Bytes left as they are in a redirect's path; everything else is percent-encoded.
const PATH_KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How many connections the server holds and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once; more are answered 503 and closed.
    pub connections: usize,
    /// Time for a whole request head to arrive (also the idle time between requests),
    /// and the longest a write may wait for the client to take it.
    pub head: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { connections: MAX_CONNECTIONS, head: IDLE }
    }
}

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
/// `listener`, on a background thread that owns the server's runtime.
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
    let fail = |e: io::Error| format!("cannot start the web server: {e}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(FILE_THREADS)
        .thread_name("folio-http-files")
        .build()
        .map_err(fail)?;
    listener.set_nonblocking(true).map_err(fail)?;
    let listener = {
        let _in_runtime = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(fail)?
    };
    let app = router(Site { served, hub });
    std::thread::Builder::new()
        .name("folio-http".into())
        .spawn(move || runtime.block_on(accept(listener, app, limits)))
        .map_err(fail)?;
    Ok(())
}

/// What the handlers read: the folder being served and the live-reload hub.
#[derive(Clone)]
struct Site {
    served: Arc<RwLock<Option<PathBuf>>>,
    hub: Arc<Hub>,
}

fn router(site: Site) -> Router {
    let hub = site.hub.clone();
    Router::new()
        .route(RELOAD_PATH, get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], RELOAD_JS) }))
        .route(
            EVENTS_PATH,
            get(move || {
                let hub = hub.clone();
                async move { events(&hub) }
            }),
        )
        .fallback(files)
        .with_state(site)
        // Every answer reflects the site of this moment: a browser must not keep any.
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
}

/// Accepts connections for ever, each served by its own task while a slot is free.
async fn accept(listener: tokio::net::TcpListener, app: Router, limits: Limits) {
    let slots = Arc::new(Semaphore::new(limits.connections));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, or a connection that failed before it was
                // accepted: nothing to answer; do not spin while it lasts.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(turn_away(stream));
            continue;
        };
        let app = app.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let _ = stream.set_nodelay(true);
            let io = TokioIo::new(WriteDeadline::new(stream, limits.head));
            let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                app.clone().oneshot(req.map(axum::body::Body::new))
            });
            // A client that breaks the protocol or goes away ends its connection only.
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.head)
                .max_buf_size(MAX_HEAD)
                .max_headers(MAX_HEADERS)
                .serve_connection(io, service)
                .await;
        });
    }
}

/// Answers a connection over the cap with 503 and closes it.
async fn turn_away(mut stream: tokio::net::TcpStream) {
    let busy = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
                Content-Length: 21\r\nCache-Control: no-store\r\nConnection: close\r\n\r\ntoo many connections\n";
    let quick = Duration::from_secs(1);
    if tokio::time::timeout(quick, stream.write_all(busy.as_bytes())).await.is_err() {
        return;
    }
    // Take what the client already sent, briefly: closing with it unread would reset the
    // connection and could lose the reply.
    let _ = stream.shutdown().await;
    let _ = tokio::time::timeout(Duration::from_millis(10), stream.read(&mut [0u8; 4096])).await;
}

/// A connection whose writes must make progress within `limit`: a client that stops
/// taking its reply (or its event stream) is cut off instead of holding its slot.
struct WriteDeadline<S> {
    inner: S,
    limit: Duration,
    /// Running while a write waits for the client.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, limit: Duration) -> Self {
        WriteDeadline { inner, limit, stalled: None }
    }

    fn check<T>(&mut self, cx: &mut Context<'_>, done: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if done.is_ready() {
            self.stalled = None;
            return done;
        }
        let limit = self.limit;
        let timer = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::ErrorKind::TimedOut.into())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let done = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.check(cx, done)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let done = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.check(cx, done)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let done = Pin::new(&mut this.inner).poll_flush(cx);
        this.check(cx, done)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let done = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.check(cx, done)
    }
}

/// The site's files: GET and HEAD (axum sends HEAD the headers of GET).
async fn files(State(site): State<Site>, req: Request) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let mut r = Reply::text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD are served\n").into_response();
        r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path().to_string();
    // File reads block: on the runtime's blocking pool, not its event loop.
    match tokio::task::spawn_blocking(move || answer(&path, &site.served, &site.hub)).await {
        Ok(reply) => reply.into_response(),
        Err(_) => Reply::text(StatusCode::INTERNAL_SERVER_ERROR, "the file could not be read\n").into_response(),
    }
}

/// A response before it is sent.
struct Reply {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
    location: Option<String>,
}

impl Reply {
    fn new(status: StatusCode, content_type: impl Into<String>, body: Vec<u8>) -> Reply {
        Reply { status, content_type: content_type.into(), body, location: None }
    }

    fn text(status: StatusCode, text: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut r = (self.status, self.body).into_response();
        if let Ok(ct) = HeaderValue::from_str(&self.content_type) {
            r.headers_mut().insert(header::CONTENT_TYPE, ct);
        }
        // Built from percent-encoded segments: always a valid header value.
        if let Some(l) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            r.headers_mut().insert(header::LOCATION, l);
        }
        r
    }
}

/// The reply to a GET of `path` (the request's path, still percent-encoded).
fn answer(path: &str, served: &RwLock<Option<PathBuf>>, hub: &Hub) -> Reply {
    // Read before the file: a page newer than its mark only reloads once more; an older
    // one marked newer would miss its reload.
    let generation = hub.generation();
    let root = served.read().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(root) = root else {
        let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>folio serve</title></head>\
                    <body><h1>The manual does not build yet</h1><p>The errors are shown in the terminal and below. \
                    This page reloads when they are fixed.</p></body></html>\n";
        return Reply::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            inject(page.as_bytes(), generation),
        );
    };
    let Some(segments) = url_segments(path) else { return Reply::text(StatusCode::BAD_REQUEST, "bad path\n") };
    let mut file = root.clone();
    file.extend(&segments);
    if file.is_dir() {
        if !path.ends_with('/') {
            // Relative links inside the folder's index need the trailing slash.
            // Rebuilt from the checked segments: `//host` must not become a redirect to
            // another host (a protocol-relative URL).
            let mut r = Reply::text(StatusCode::MOVED_PERMANENTLY, "moved\n");
            r.location = Some(folder_location(&segments));
            return r;
        }
        file.push("index.html");
    }
    match read_inside(&root, &file) {
        Some(bytes) => {
            let ct = content_type(&file);
            let body = if ct.starts_with("text/html") { inject(&bytes, generation) } else { bytes };
            Reply::new(StatusCode::OK, ct, body)
        }
        None => {
            // The version's own 404 page when the path is inside a version folder.
            // folio's not-found page: `~404.html` where an article took `404.html`.
            let not_found = segments
                .first()
                .filter(|_| segments.len() > 1)
                .and_then(|v| ["~404.html", "404.html"].iter().find_map(|n| read_inside(&root, &root.join(v).join(n))));
            match not_found {
                Some(bytes) => {
                    Reply::new(StatusCode::NOT_FOUND, "text/html; charset=utf-8", inject(&bytes, generation))
                }
                None => Reply::text(StatusCode::NOT_FOUND, &format!("not found: {path}\n")),
            }
        }
    }
}

/// The bytes of `file` when, once symbolic links are resolved, it is a file inside
/// `root`.
fn read_inside(root: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = std::fs::canonicalize(file).ok()?;
    let real_root = std::fs::canonicalize(root).ok()?;
    if !real.starts_with(&real_root) {
        return None;
    }
    std::fs::read(real).ok()
}

/// The decoded segments of a URL path, or `None` when it tries to leave the site (or is
/// not a well-formed path).
fn url_segments(path: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for raw in path.split('/') {
        if !well_encoded(raw) {
            return None;
        }
        let seg = percent_decode_str(raw).decode_utf8().ok()?.into_owned();
        match seg.as_str() {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['/', '\\', '\0', ':']) => return None,
            _ => out.push(seg),
        }
    }
    Some(out)
}

/// Whether every `%` in `s` starts an escape (the decoder would keep a stray one as is).
fn well_encoded(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'%')
        .all(|i| b.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)))
}

/// The absolute path of the folder made of `segments`, with a trailing slash and every
/// byte outside the unreserved set percent-encoded: always a path on this server.
fn folder_location(segments: &[String]) -> String {
    let mut out = String::from("/");
    for seg in segments {
        out.extend(utf8_percent_encode(seg, PATH_KEEP));
        out.push('/');
    }
    out
}

/// The `Content-Type` of `path`: by its extension, text in UTF-8 (what build writes).
fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT || mime.subtype() == mime_guess::mime::JAVASCRIPT;
    if text && mime.get_param(mime_guess::mime::CHARSET).is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests;
