//! The preview's HTTP server: the built site on 127.0.0.1, plus the live-reload channel.
//!
//! Files come from the folder the last good build wrote (it changes when a full rebuild
//! swaps folders). HTML responses get `<script src="/__folio/reload.js">` before
//! `</body>` as they are sent; that script listens on `/__folio/events`
//! (server-sent events) for `reload` (with the changed pages) and `problems` (the build
//! errors, shown over the page). Every request runs on its own thread, so the
//! long-lived event streams never hold up page requests.

use std::fs;
use std::io::{self, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

/// The client side of live reload.
const RELOAD_JS: &str = include_str!("reload.js");
/// URL path of [`RELOAD_JS`].
pub const RELOAD_PATH: &str = "/__folio/reload.js";
/// URL path of the event stream.
pub const EVENTS_PATH: &str = "/__folio/events";
/// How many ports after a busy one are tried.
const PORT_TRIES: u16 = 20;
/// A comment line goes down idle event streams this often, so closed ones are noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

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

/// The live-reload state shared by the builder and the event streams.
#[derive(Default)]
pub struct Hub {
    inner: Mutex<HubState>,
}

#[derive(Default)]
struct HubState {
    clients: Vec<Sender<String>>,
    /// Bumped by every change to the served site.
    generation: u64,
    /// The errors of the last build, while it stands.
    problems: Option<String>,
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, HubState> {
        // A panicking holder cannot leave the state half-changed: every update is one
        // assignment. So a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The generation of the served site.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// A new event stream: its receiver and the greeting to send first.
    fn subscribe(&self) -> (Receiver<String>, String) {
        let (tx, rx) = mpsc::channel();
        let mut s = self.lock();
        s.clients.push(tx);
        let hello = serde_json::json!({ "generation": s.generation, "problems": s.problems });
        (rx, event("hello", &hello))
    }

    fn broadcast(s: &mut HubState, ev: String) {
        s.clients.retain(|c| c.send(ev.clone()).is_ok());
    }

    /// The served site changed: `paths` (site-relative, e.g. `v1/a.html`) or, with
    /// `None`, everything. Clears the problems.
    pub fn reload(&self, paths: Option<&[String]>) {
        let mut s = self.lock();
        s.generation += 1;
        s.problems = None;
        let paths = match paths {
            Some(p) => serde_json::json!(p.iter().map(|p| format!("/{p}")).collect::<Vec<_>>()),
            None => serde_json::json!("*"),
        };
        let ev = event("reload", &serde_json::json!({ "generation": s.generation, "paths": paths }));
        Self::broadcast(&mut s, ev);
    }

    /// The last build failed with `text` (diagnostics, one per line).
    pub fn problems(&self, text: &str) {
        let mut s = self.lock();
        s.problems = Some(text.to_string());
        let ev = event("problems", &serde_json::json!({ "generation": s.generation, "text": text }));
        Self::broadcast(&mut s, ev);
    }
}

fn event(name: &str, data: &serde_json::Value) -> String {
    // serde_json never writes raw newlines, so the data is one line.
    format!("event: {name}\ndata: {data}\n\n")
}

/// Serves `served` (the current site folder, `None` until a build succeeds) on
/// `listener`, in background threads.
pub fn start(listener: TcpListener, served: Arc<RwLock<Option<PathBuf>>>, hub: Arc<Hub>) -> Result<(), String> {
    let server =
        tiny_http::Server::from_listener(listener, None).map_err(|e| format!("cannot start the web server: {e}"))?;
    std::thread::Builder::new()
        .name("folio-http".into())
        .spawn(move || {
            for request in server.incoming_requests() {
                let served = served.clone();
                let hub = hub.clone();
                let spawned = std::thread::Builder::new().spawn(move || handle(request, &served, &hub));
                if let Err(e) = spawned {
                    eprintln!("warning: cannot answer a request: {e}");
                }
            }
        })
        .map_err(|e| format!("cannot start the web server: {e}"))?;
    Ok(())
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header names and values are ASCII")
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"));
    // The browser may have gone away; nothing to do about it.
    let _ = request.respond(response);
}

fn handle(request: Request, served: &RwLock<Option<PathBuf>>, hub: &Hub) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        respond(request, 405, "text/plain; charset=utf-8", b"only GET and HEAD are served\n".to_vec());
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    match path {
        RELOAD_PATH => {
            return respond(request, 200, "text/javascript; charset=utf-8", RELOAD_JS.as_bytes().to_vec());
        }
        EVENTS_PATH => return events(request, hub),
        _ => {}
    }
    // Read before the file: a page newer than its mark only reloads once more; an older
    // one marked newer would miss its reload.
    let generation = hub.generation();
    let root = served.read().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(root) = root else {
        let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>folio serve</title></head>\
                    <body><h1>The manual does not build yet</h1><p>The errors are shown in the terminal and below. \
                    This page reloads when they are fixed.</p></body></html>\n";
        return respond(request, 503, "text/html; charset=utf-8", inject(page.as_bytes(), generation));
    };
    let Some(segments) = url_segments(path) else {
        return respond(request, 400, "text/plain; charset=utf-8", b"bad path\n".to_vec());
    };
    let mut file = root.clone();
    file.extend(&segments);
    if file.is_dir() {
        if !path.ends_with('/') {
            // Relative links inside the folder's index need the trailing slash.
            let location = format!("{path}/");
            let response = Response::empty(StatusCode(301)).with_header(header("Location", &location));
            let _ = request.respond(response);
            return;
        }
        file.push("index.html");
    }
    match fs::read(&file) {
        Ok(bytes) => {
            let ct = content_type(&file);
            let body = if ct.starts_with("text/html") { inject(&bytes, generation) } else { bytes };
            respond(request, 200, ct, body);
        }
        Err(_) => {
            // The version's own 404 page when the path is inside a version folder.
            let not_found = segments.first().map(|v| root.join(v).join("404.html"));
            match not_found.and_then(|p| fs::read(p).ok()) {
                Some(bytes) if segments.len() > 1 => {
                    respond(request, 404, "text/html; charset=utf-8", inject(&bytes, generation))
                }
                _ => respond(request, 404, "text/plain; charset=utf-8", format!("not found: {path}\n").into_bytes()),
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

/// `html` with the live-reload script before its last `</body>` (or at the end), marked
/// with the generation of the site it came from.
pub fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_PATH}\" data-folio-generation=\"{generation}\"></script>\n");
    let lower = html.to_ascii_lowercase();
    let at = lower.windows(7).rposition(|w| w == b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A server-sent event stream: the greeting, then every event until the browser leaves.
fn events(request: Request, hub: &Hub) {
    let (rx, hello) = hub.subscribe();
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\n\r\n";
    if w.write_all(head.as_bytes()).and_then(|_| w.write_all(hello.as_bytes())).and_then(|_| w.flush()).is_err() {
        return;
    }
    loop {
        let chunk = match rx.recv_timeout(KEEPALIVE) {
            Ok(ev) => ev,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(chunk.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
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

    #[test]
    fn a_busy_port_moves_on() {
        let (first, _) = bind(0).unwrap();
        let port = first.local_addr().unwrap().port();
        let (second, note) = bind(port).unwrap();
        assert_ne!(second.local_addr().unwrap().port(), port);
        assert!(note.unwrap().contains("is busy"));
    }
}
