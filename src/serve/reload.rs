//! Live reload: the state the builder and the open pages share ([`Hub`]), the event
//! stream each page listens on (server-sent events: `hello`, `reload` with the changed
//! pages, `problems` with the build's errors), and the script injected into every HTML
//! response the preview serves (never into `folio build` output).
//!
//! The builder runs on plain threads and the server on its async runtime: the hub's
//! channels are unbounded, so a broadcast never waits for a page to read its events.

use std::convert::Infallible;
use std::sync::Mutex;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt as _};
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

/// The client side of live reload.
pub(super) const RELOAD_JS: &str = include_str!("reload.js");
/// URL path of [`RELOAD_JS`].
pub const RELOAD_PATH: &str = "/__folio/reload.js";
/// URL path of the event stream.
pub const EVENTS_PATH: &str = "/__folio/events";
/// A comment line goes down idle event streams this often, so closed ones are noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The live-reload state shared by the builder and the event streams.
#[derive(Default)]
pub struct Hub {
    inner: Mutex<HubState>,
}

#[derive(Default)]
struct HubState {
    clients: Vec<UnboundedSender<Event>>,
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
    fn subscribe(&self) -> (UnboundedReceiver<Event>, Event) {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut s = self.lock();
        s.clients.push(tx);
        let hello = serde_json::json!({ "generation": s.generation, "problems": s.problems });
        (rx, event("hello", &hello))
    }

    fn broadcast(s: &mut HubState, ev: Event) {
        // A stream whose page has gone has dropped its receiver: forget it.
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

fn event(name: &str, data: &serde_json::Value) -> Event {
    // serde_json never writes raw newlines, so the data is one `data:` line.
    Event::default().event(name).data(data.to_string())
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

/// A server-sent event stream: the greeting, then every event until the browser leaves,
/// with a comment line when nothing else was sent for [`KEEPALIVE`].
pub(super) fn events(hub: &Hub) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let (rx, hello) = hub.subscribe();
    let rest = stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|ev| (ev, rx)) });
    let all = stream::once(async move { hello }).chain(rest).map(Ok);
    Sse::new(all).keep_alive(KeepAlive::new().interval(KEEPALIVE).text("keep-alive"))
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
    fn events_reach_every_open_stream_and_closed_ones_are_forgotten() {
        let hub = Hub::default();
        let (mut a, _) = hub.subscribe();
        let (b, _) = hub.subscribe();
        drop(b);
        hub.reload(Some(&["v1/a.html".to_string()]));
        assert!(a.try_recv().is_ok(), "the open stream hears the reload");
        assert_eq!(hub.lock().clients.len(), 1, "the closed stream is forgotten");
        assert_eq!(hub.generation(), 1);
        hub.problems("articles/a.md:1: broken");
        assert!(a.try_recv().is_ok());
        let (_c, _) = hub.subscribe();
        assert_eq!(hub.lock().problems.as_deref(), Some("articles/a.md:1: broken"), "new pages are greeted with them");
    }
}
