//! The server's rules, checked over real connections: paths that cannot leave the site,
//! redirects that stay on the host, HEAD and 405, the script injected into pages only,
//! the site's own 404 page, and the connection limits.

use super::*;
use std::fs;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

#[test]
fn paths_cannot_leave_the_site() {
    assert_eq!(url_segments("/v1/a%20b.html"), Some(vec!["v1".to_string(), "a b.html".to_string()]));
    assert_eq!(url_segments("/"), Some(vec![]));
    assert_eq!(url_segments("/v1/../../etc/passwd"), None);
    assert_eq!(url_segments("/v1/%2e%2e/x"), None);
    assert_eq!(url_segments("/v1/%2E%2E/x"), None);
    assert_eq!(url_segments("/a%2"), None);
    assert_eq!(url_segments("/a%zz"), None);
    assert_eq!(url_segments("/c:%5cwindows"), None);
    assert_eq!(url_segments("/v1/..%2f..%2fx"), None);
    assert_eq!(url_segments("/v1/..%5c..%5cx"), None);
    assert_eq!(url_segments("/v1/a%00.html"), None);
    assert_eq!(url_segments("/v1/%ff.html"), None, "not UTF-8");
}

#[test]
fn content_types_come_from_the_extension() {
    assert_eq!(content_type(Path::new("a.html")), "text/html; charset=utf-8");
    assert_eq!(content_type(Path::new("a.CSS")), "text/css; charset=utf-8");
    assert_eq!(content_type(Path::new("search/t/ab.js")), "text/javascript; charset=utf-8");
    assert_eq!(content_type(Path::new("a.svg")), "image/svg+xml");
    assert_eq!(content_type(Path::new("a.png")), "image/png");
    assert_eq!(content_type(Path::new("a.woff2")), "font/woff2");
    assert_eq!(content_type(Path::new("LICENSE")), "application/octet-stream");
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
fn server(dir: &Path, limits: Limits) -> SocketAddr {
    let (listener, _) = bind(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let served = Arc::new(RwLock::new(Some(dir.to_path_buf())));
    start_with(listener, served, Arc::new(Hub::default()), limits).unwrap();
    addr
}

/// Sends `raw` and reads the whole answer (the request should close the connection).
fn exchange(addr: SocketAddr, raw: &str) -> String {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = c.write_all(raw.as_bytes());
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn get(addr: SocketAddr, target: &str) -> String {
    exchange(addr, &format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
}

/// The value of header `name` (any case) in a raw response.
fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// A site with a page, a stylesheet, a version folder with its 404 page, and a secret
/// next to the site folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("site");
    fs::create_dir_all(root.join("v2.0")).unwrap();
    fs::create_dir_all(root.join("a b")).unwrap();
    fs::write(root.join("index.html"), "<html><body><p>home</p></body></html>").unwrap();
    fs::write(root.join("v2.0/index.html"), "<body>version</body>").unwrap();
    fs::write(root.join("v2.0/~404.html"), "<body>lost in 2.0</body>").unwrap();
    fs::write(root.join("v2.0/style.css"), "body { color: red }\n").unwrap();
    fs::write(d.path().join("secret.txt"), "secret").unwrap();
    (d, root)
}

#[test]
fn pages_get_the_script_and_other_files_are_served_as_they_are() {
    let (_d, root) = site();
    let addr = server(&root, Limits::default());
    let r = get(addr, "/");
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert_eq!(header(&r, "content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(header(&r, "cache-control"), Some("no-store"));
    assert_eq!(
        body(&r),
        "<html><body><p>home</p><script src=\"/__folio/reload.js\" data-folio-generation=\"0\"></script>\n</body></html>"
    );
    let r = get(addr, "/v2.0/style.css?v=1");
    assert_eq!(header(&r, "content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(body(&r), "body { color: red }\n");
    let r = get(addr, "/__folio/reload.js");
    assert!(r.starts_with("HTTP/1.1 200") && body(&r).contains("EventSource"), "{r}");
    assert_eq!(header(&r, "content-type"), Some("text/javascript; charset=utf-8"));
}

#[test]
fn head_answers_without_a_body_and_other_methods_are_refused() {
    let (_d, root) = site();
    let addr = server(&root, Limits::default());
    let r = exchange(addr, "HEAD /v2.0/style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert_eq!(header(&r, "content-length"), Some("20"));
    assert_eq!(body(&r), "");
    let r = exchange(addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
    assert!(r.starts_with("HTTP/1.1 405"), "{r}");
    assert_eq!(header(&r, "allow"), Some("GET, HEAD"));
    let r = exchange(addr, "DELETE /__folio/reload.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 405"), "{r}");
    // Heads the server does not take.
    for raw in [
        "GET / HTTP/1.1\r\nno colon\r\n\r\n".to_string(),
        format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD + 1000)),
        format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: b\r\n".repeat(MAX_HEADERS + 1)),
    ] {
        let r = exchange(addr, &raw);
        assert!(!r.starts_with("HTTP/1.1 200"), "{}: {r}", &raw[..40]);
    }
}

#[test]
fn serve_paths_never_leave_the_site() {
    let (d, root) = site();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.path().join("secret.txt"), root.join("v2.0/out.txt")).unwrap();
        std::os::unix::fs::symlink(d.path(), root.join("up")).unwrap();
        fs::write(root.join("inside.txt"), "inside").unwrap();
        std::os::unix::fs::symlink(root.join("inside.txt"), root.join("v2.0/in.txt")).unwrap();
    }
    let addr = server(&root, Limits::default());
    for target in ["/../secret.txt", "/v2.0/%2e%2e/%2e%2e/secret.txt", "/v2.0/..%2f..%2fsecret.txt", "/..%5csecret.txt"]
    {
        let r = get(addr, target);
        assert!(!r.contains("secret"), "{target}: {r}");
        assert!(r.starts_with("HTTP/1.1 400") || r.starts_with("HTTP/1.1 404"), "{target}: {r}");
    }
    #[cfg(unix)]
    {
        for target in ["/v2.0/out.txt", "/up/secret.txt"] {
            let r = get(addr, target);
            assert!(r.starts_with("HTTP/1.1 404") && !body(&r).contains("secret\n"), "{target}: {r}");
            assert!(!body(&r).ends_with("secret"), "{target}: {r}");
        }
        // A link that stays inside the site is followed.
        assert_eq!(body(&get(addr, "/v2.0/in.txt")), "inside");
    }
}

#[test]
fn a_missing_page_gets_its_versions_404_page() {
    let (_d, root) = site();
    let addr = server(&root, Limits::default());
    let r = get(addr, "/v2.0/nowhere.html");
    assert!(r.starts_with("HTTP/1.1 404"), "{r}");
    assert!(body(&r).starts_with("<body>lost in 2.0<script src=\"/__folio/reload.js\""), "{r}");
    let r = get(addr, "/v9/nowhere.html");
    assert!(r.starts_with("HTTP/1.1 404") && body(&r) == "not found: /v9/nowhere.html\n", "{r}");
}

#[test]
fn nothing_built_yet_is_a_503_page_that_reloads() {
    let (listener, _) = bind(0).unwrap();
    let addr = listener.local_addr().unwrap();
    start_with(listener, Arc::new(RwLock::new(None)), Arc::new(Hub::default()), Limits::default()).unwrap();
    let r = get(addr, "/v1/a.html");
    assert!(r.starts_with("HTTP/1.1 503"), "{r}");
    assert!(body(&r).contains("does not build yet") && body(&r).contains("/__folio/reload.js"), "{r}");
}

#[test]
fn serve_redirects_never_leave_the_host() {
    let (_d, root) = site();
    let addr = server(&root, Limits::default());
    let location = |target: &str| {
        let r = get(addr, target);
        assert!(r.starts_with("HTTP/1.1 301"), "{target}: {r}");
        header(&r, "location").unwrap().to_string()
    };
    assert_eq!(location("//v2.0"), "/v2.0/");
    assert_eq!(location("///v2.0"), "/v2.0/");
    assert_eq!(location("/v2.0"), "/v2.0/");
    assert_eq!(location("/./v2.0"), "/v2.0/");
    assert_eq!(location("/a%20b"), "/a%20b/");
    assert_eq!(location("/v2.0?x=//evil.example"), "/v2.0/");
    assert!(body(&get(addr, "/v2.0/")).starts_with("<body>version"));
}

#[test]
fn serve_connections_are_bounded_and_slow_clients_time_out() {
    let (_d, root) = site();
    let limits = Limits { connections: 4, head: Duration::from_millis(600) };
    let addr = server(&root, limits);
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

#[test]
fn idle_keep_alive_connections_are_closed() {
    let (_d, root) = site();
    let addr = server(&root, Limits { connections: 1, head: Duration::from_millis(500) });
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(b"GET /v2.0/style.css HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let start = Instant::now();
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 200"));
    let held = start.elapsed();
    assert!(held >= Duration::from_millis(400) && held < Duration::from_secs(3), "kept idle for {held:?}");
    // Its slot, the only one, is free again.
    std::thread::sleep(Duration::from_millis(100));
    assert!(get(addr, "/").starts_with("HTTP/1.1 200"));
}

#[test]
fn a_client_that_stops_reading_is_cut_off() {
    let (_d, root) = site();
    // Far more than the socket buffers hold, so the server's writes stall.
    fs::write(root.join("big.bin"), vec![b'x'; 32 << 20]).unwrap();
    let addr = server(&root, Limits { connections: 1, head: Duration::from_millis(500) });
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    // The client reads nothing; the one slot must come free once the write stalls.
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let r = get(addr, "/v2.0/style.css");
        if r.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(r.starts_with("HTTP/1.1 503"), "{r}");
        assert!(start.elapsed() < Duration::from_secs(10), "a stalled reader kept its slot");
    }
    drop(c);
}

#[test]
fn an_event_stream_outlives_the_head_timeout_and_carries_the_hubs_events() {
    let (_d, root) = site();
    let (listener, _) = bind(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let hub = Arc::new(Hub::default());
    let limits = Limits { connections: 4, head: Duration::from_millis(300) };
    start_with(listener, Arc::new(RwLock::new(Some(root))), hub.clone(), limits).unwrap();
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(b"GET /__folio/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let mut seen = String::new();
    read_until(&mut c, &mut seen, "event: hello\ndata: {\"generation\":0,\"problems\":null}\n\n");
    assert!(seen.contains("content-type: text/event-stream"), "{seen}");
    // Several head timeouts later the stream is still open.
    std::thread::sleep(Duration::from_millis(1000));
    hub.reload(Some(&["v2.0/index.html".to_string()]));
    read_until(&mut c, &mut seen, "event: reload\ndata: {\"generation\":1,\"paths\":[\"/v2.0/index.html\"]}\n\n");
    hub.problems("articles/a.md:3: broken");
    read_until(&mut c, &mut seen, "event: problems\ndata: {\"generation\":1,\"text\":\"articles/a.md:3: broken\"}\n\n");
}

/// Reads from `c` into `seen` until it holds `needle`.
fn read_until(c: &mut TcpStream, seen: &mut String, needle: &str) {
    let mut buf = [0u8; 4096];
    while !seen.contains(needle) {
        let n = c.read(&mut buf).unwrap_or(0);
        assert!(n > 0, "the stream ended before {needle:?}: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}
