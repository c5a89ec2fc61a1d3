//! Live reload: the state the builder and the open pages share ([`Hub`]), the event
//! stream each page listens on (server-sent events: `hello`, `reload` with the changed
//! pages, `problems` with the build's errors), and the script injected into every HTML
//! response the preview serves (never into `folio build` output).

use std::io::Write;
use std::net::TcpStream;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// The client side of live reload.
pub(super) const RELOAD_JS: &str = include_str!("reload.js");
/// URL path of [`RELOAD_JS`].
pub const RELOAD_PATH: &str = "/__folio/reload.js";
/// URL path of the event stream.
pub const EVENTS_PATH: &str = "/__folio/events";
/// A comment line goes down idle event streams this often, so closed ones are noticed.
pub(super) const KEEPALIVE: Duration = Duration::from_secs(15);

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
pub(super) fn events(mut w: TcpStream, hub: &Hub) {
    let (rx, hello) = hub.subscribe();
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
