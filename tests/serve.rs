//! `folio serve`: runs the binary on a free port against a temp copy of
//! `tests/fixtures/serve-basic/`, talks to it over plain HTTP (hand-written requests on
//! a `TcpStream`) and edits the manual underneath it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long anything may take (debug build, busy machine).
const PATIENCE: Duration = Duration::from_secs(60);
const SCRIPT_TAG: &str = "<script src=\"/__folio/reload.js\"";

/// A running `folio serve`, killed when dropped (also when a test fails).
struct Server {
    child: Child,
    /// e.g. `http://127.0.0.1:41234/`
    url: String,
    stderr: Arc<Mutex<String>>,
    /// The server's TMPDIR, where it builds: removed with the guard.
    _tmp: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `folio serve --root ROOT --port PORT` and waits for the URL it prints.
    fn start(root: &Path, port: u16) -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let mut child = Command::new(common::bin())
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .env("TMPDIR", tmp.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let (err, sink) = (child.stderr.take().unwrap(), stderr.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let mut server = Server { child, url: String::new(), stderr, _tmp: tmp };
        let deadline = Instant::now() + PATIENCE;
        while server.url.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("serving at ") {
                        server.url = url.trim().to_string();
                    }
                }
                Err(_) => panic!("folio serve printed no URL; stderr:\n{}", server.stderr()),
            }
        }
        assert!(server.url.starts_with("http://127.0.0.1:"), "{}", server.url);
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn addr(&self) -> String {
        self.url.trim_start_matches("http://").trim_end_matches('/').to_string()
    }

    /// GET `path` (starting with `/`): status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(self.addr()).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, body.to_string())
    }

    /// GETs `path` until `pred` holds for the body; panics with `what` after a while.
    fn wait_for(&self, path: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (status, body) = self.get(path);
            if status == 200 && pred(&body) {
                return body;
            }
            if Instant::now() > deadline {
                panic!("{what}: {path} never did (status {status}); stderr:\n{}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Subscribes to the live-reload event stream.
    fn events(&self) -> Events {
        let mut s = TcpStream::connect(self.addr()).unwrap();
        write!(s, "GET /__folio/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n", self.addr())
            .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(s).lines() {
                let Ok(line) = line else { break };
                if line.is_empty() {
                    if !event.is_empty() && tx.send(std::mem::take(&mut event)).is_err() {
                        break;
                    }
                } else {
                    event.push_str(&line);
                    event.push('\n');
                }
            }
        });
        Events(rx)
    }
}

/// Server-sent events, one string per event ("event: x\ndata: {...}\n").
struct Events(Receiver<String>);

impl Events {
    /// The next event whose text contains `needle` (others are skipped).
    fn wait(&self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.0.recv_timeout(left) {
                Ok(ev) if ev.contains(needle) => return ev,
                Ok(_) => {}
                Err(_) => panic!("no event with {needle:?}"),
            }
        }
    }
}

fn append(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let mut f = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn replace(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

/// The page without the live-reload script, as `folio build` writes it.
fn without_script(html: &str) -> String {
    match html.find(SCRIPT_TAG) {
        Some(i) => {
            let end = html[i..].find("</script>\n").map(|j| i + j + "</script>\n".len()).unwrap_or(html.len());
            format!("{}{}", &html[..i], &html[end..])
        }
        None => html.to_string(),
    }
}

#[test]
fn edits_show_up_and_errors_keep_the_last_good_site() {
    let dir = common::fixture("serve-basic");
    let root = dir.path();
    let server = Server::start(root, 0);
    let events = server.events();
    events.wait("event: hello");

    let page = server.wait_for("/v2.0/install.html", "the first build", |b| b.contains("4 GB of memory"));
    assert!(page.contains(SCRIPT_TAG), "served pages carry the live-reload script");
    assert_eq!(page.matches(SCRIPT_TAG).count(), 1);
    let (status, js) = server.get("/__folio/reload.js");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource"), "{js}");

    // An edit to one article: its pages change, and open pages hear about it.
    append(root, "articles/install.md", "\nA freshly written sentence.\n");
    server.wait_for("/v2.0/install.html", "the edit", |b| b.contains("A freshly written sentence."));
    server.wait_for("/v1.0/install.html", "the edit in 1.0", |b| b.contains("A freshly written sentence."));
    let ev = events.wait("event: reload");
    assert!(ev.contains("/v2.0/install.html"), "{ev}");

    // A broken link: an error in the terminal and over the page; the old page stays.
    append(root, "articles/install.md", "\nSee [the missing page](nowhere.md).\n");
    let ev = events.wait("event: problems");
    assert!(ev.contains("articles/install.md:16: version 1.0..2.0: link target 'nowhere' does not exist"), "{ev}");
    let (status, page) = server.get("/v2.0/install.html");
    assert_eq!(status, 200);
    assert!(page.contains("A freshly written sentence.") && !page.contains("missing page"), "{page}");
    let deadline = Instant::now() + PATIENCE;
    while !server.stderr().contains("link target 'nowhere' does not exist") {
        assert!(Instant::now() < deadline, "no error in the terminal:\n{}", server.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(server.stderr().contains("the browser keeps showing the last good site"), "{}", server.stderr());

    // Fixing it recovers without a restart.
    replace(root, "articles/install.md", "nowhere.md", "welcome.md");
    let page = server.wait_for("/v2.0/install.html", "the fix", |b| b.contains("the missing page"));
    assert!(page.contains(r#"<a href="welcome.html">the missing page</a>"#), "{page}");
    events.wait("event: reload");

    // The reload script is never written to disk: `folio build` output has none.
    let out = tempfile::tempdir().unwrap();
    let built = common::run(root, &["build", "--quiet", "--root", ".", "--out", &out.path().display().to_string()]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    for (rel, bytes) in common::tree(out.path()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("/__folio/") && !text.contains("reload.js"), "{rel} mentions the reload script");
    }
}

#[test]
fn the_served_site_is_what_folio_build_writes() {
    let dir = common::fixture("serve-basic");
    let root = dir.path();
    let server = Server::start(root, 0);
    server.wait_for("/v1.0/welcome.html", "the first build", |b| b.contains("Welcome"));

    // A body edit (fast path), a retitle (whole version), a new article (full rebuild),
    // a new image, and a new version.
    append(root, "articles/guide/setup.md", "\nMore about the first steps.\n");
    server.wait_for("/v1.0/setup.html", "the body edit", |b| b.contains("More about the first steps."));
    // The print page of the version showing the text follows a moment later.
    server.wait_for("/v1.0/print.html", "the body edit, printed", |b| b.contains("More about the first steps."));
    replace(root, "articles/install.md", "title: Installing", "title: Installing folio");
    server.wait_for("/v2.0/welcome.html", "the retitle", |b| b.contains("Installing folio"));
    std::fs::write(root.join("articles/guide/extra.md"), "---\ntitle: Extra\nparent: setup\n---\n\n![pic](pic.svg)\n")
        .unwrap();
    std::fs::write(root.join("articles/guide/pic.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n").unwrap();
    server.wait_for("/v2.0/extra.html", "the new article", |b| b.contains("../media/guide/pic.svg"));
    std::fs::write(root.join("versions/3.0.yaml"), "label: v3.0\npath: v3.0\n").unwrap();
    server.wait_for("/v3.0/install.html", "the new version", |b| b.contains("Installing folio"));
    append(root, "articles/welcome.md", "\nWelcome once more.\n");
    server.wait_for("/v3.0/welcome.html", "the last edit", |b| b.contains("Welcome once more."));

    served_is_built(&server, root);
}

#[test]
fn reserved_names_an_article_named_search_moves_folio_search_page_while_serving() {
    let dir = common::fixture("serve-basic");
    let root = dir.path();
    let server = Server::start(root, 0);
    server.wait_for("/v2.0/search.html", "the first build", |b| b.contains("role=\"search\""));
    std::fs::write(root.join("articles/search.md"), "---\ntitle: Search Tips\n---\n\nUse quotes.\n").unwrap();
    server.wait_for("/v2.0/search.html", "the new article", |b| b.contains("<h1>Search Tips</h1>"));
    server.wait_for("/v2.0/~search.html", "folio's search page, moved", |b| b.contains("role=\"search\""));
    served_is_built(&server, root);
}

#[test]
fn an_edit_that_changes_the_timeline_updates_every_what_changed_page() {
    let dir = common::fixture("serve-basic");
    let root = dir.path();
    std::fs::write(root.join("versions/3.0.yaml"), "label: v3.0\npath: v3.0\n").unwrap();
    let server = Server::start(root, 0);
    server.wait_for("/v3.0/welcome.html", "the first build", |b| b.contains("Welcome"));
    // The revision of 2.0 applies to 2.0 and 3.0 only: what changed in 1.0 is the same,
    // but its page names the manual's timeline, which the edit renames.
    append(root, "articles/guide/setup@2.0.md", "\nA sentence from 2.0 on.\n");
    server.wait_for("/v3.0/setup.html", "the edit", |b| b.contains("A sentence from 2.0 on."));
    served_is_built(&server, root);
}

/// Every file of a fresh build of `root` is served with the same bytes (pages without
/// the script); changes pages, print pages and search indexes follow shortly after the
/// pages.
fn served_is_built(server: &Server, root: &Path) {
    let out = tempfile::tempdir().unwrap();
    let built = common::run(root, &["build", "--quiet", "--root", ".", "--out", &out.path().display().to_string()]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let want = common::tree(out.path());
    let deadline = Instant::now() + PATIENCE;
    loop {
        let mut differ = Vec::new();
        // (search's table of the versions each term is in is not refreshed by the
        // server's per-version index rebuilds: SPEC.md §10, "Search"; and `.folio-site`,
        // the list of files `folio build` wrote, is the build's record of its output
        // folder, which the served folder is not)
        let content = |rel: &str| !rel.starts_with("assets/search/") && rel != ".folio-site";
        for (rel, bytes) in want.iter().filter(|(rel, _)| content(rel)) {
            let (status, body) = server.get(&format!("/{rel}"));
            let want_text = String::from_utf8_lossy(bytes);
            if status != 200 || without_script(&body) != want_text {
                differ.push(rel.clone());
            }
        }
        if differ.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "served files differ from the build: {differ:?}\n{}", server.stderr());
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn asset_revision_edits_update_the_pages_that_show_them() {
    let dir = common::fixture("asset-revisions");
    let root = dir.path();
    let server = Server::start(root, 0);
    let shot = |v: &str, file: &str| {
        let want = format!("src=\"../media/images/{file}\" alt=\"Main window\"");
        server.wait_for(&format!("/{v}/home.html"), &format!("{v} showing {file}"), |b| b.contains(&want));
    };
    shot("v2.0", "screen%402.0.png");
    shot("v3.0", "screen.png");

    // 3.0's revision gets bytes of its own: written, and 3.0 shows it.
    std::fs::write(root.join("articles/images/screen@3.0.png"), "screen: 3.0\n").unwrap();
    shot("v3.0", "screen%403.0.png");
    assert_eq!(server.get("/media/images/screen@3.0.png"), (200, "screen: 3.0\n".to_string()));
    // Edited bytes of a revision are served.
    std::fs::write(root.join("articles/images/screen@2.0.png"), "screen: 2.0, retaken\n").unwrap();
    server.wait_for("/media/images/screen@2.0.png", "the new bytes", |b| b == "screen: 2.0, retaken\n");
    // Removed: 3.0 shows 2.0's revision again.
    std::fs::remove_file(root.join("articles/images/screen@3.0.png")).unwrap();
    shot("v3.0", "screen%402.0.png");
    // Added with the base's bytes: 3.0 shows the base's file, and none is written for it.
    std::fs::write(root.join("articles/images/screen@3.0.png"), "screen: first look\n").unwrap();
    shot("v3.0", "screen.png");
    assert_eq!(server.get("/media/images/screen@3.0.png").0, 404);
    served_is_built(&server, root);
}

#[test]
fn a_manual_with_errors_is_served_once_fixed() {
    let dir = common::fixture("serve-basic");
    let root = dir.path();
    replace(root, "articles/welcome.md", "install.md", "instal.md");
    let server = Server::start(root, 0);
    let (status, page) = server.get("/v1.0/welcome.html");
    assert_eq!(status, 503, "{page}");
    assert!(page.contains(SCRIPT_TAG), "{page}");
    let events = server.events();
    let hello = events.wait("event: hello");
    assert!(hello.contains("link target 'instal' does not exist"), "{hello}");
    assert!(server.stderr().contains("nothing to serve until they are fixed"), "{}", server.stderr());

    replace(root, "articles/welcome.md", "instal.md", "install.md");
    events.wait("event: reload");
    server.wait_for("/v1.0/welcome.html", "the fix", |b| b.contains("install.html"));
    let (status, _) = server.get("/v1.0/no-such-page.html");
    assert_eq!(status, 404);
    let (status, _) = server.get("/v1.0/../../etc/passwd");
    assert_ne!(status, 200);
}

#[test]
fn a_busy_port_moves_to_the_next_free_one() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = common::fixture("serve-basic");
    let server = Server::start(dir.path(), port);
    assert_ne!(server.url, format!("http://127.0.0.1:{port}/"));
    assert!(server.stderr().contains(&format!("port {port} is busy; using port")), "{}", server.stderr());
    let (status, _) = server.get("/");
    assert_eq!(status, 200);
}
