//! Browser tests: builds the sample manual (the repository's `articles/` and `versions/`)
//! with the compiled `folio` into a temp folder, then runs the Node test package in
//! `tests/browser/` against it in Debian's headless chromium (`/usr/bin/chromium`),
//! over a local http server and from file://. Needs node >= 20, npm and chromium:
//! chromium is installed with apt-get when it is missing and the tests run as root on
//! Debian, and `tests/browser/node_modules` with `npm ci` when missing or older than the
//! lock file. Screenshots go to
//! `target/tmp/browser-screenshots/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// The whole Node suite normally takes well under a minute; past this it is hung.
const NODE_LIMIT: Duration = Duration::from_secs(240);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The major version of `node`, or a panic that says what to install.
fn node_major() -> u32 {
    let out = Command::new("node")
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): the browser tests need Node.js >= 20 and npm on PATH"));
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim().trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or_else(|| {
        panic!("cannot read the version of `node` from {text:?}: the browser tests need Node.js >= 20")
    })
}

/// True when `tests/browser/node_modules` holds what `package-lock.json` asks for: npm
/// writes `node_modules/.package-lock.json` on install, so it must exist and be newer.
fn node_modules_current(pkg: &Path) -> bool {
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    if !pkg.join("node_modules/playwright-core/package.json").is_file() {
        return false;
    }
    match (modified(&pkg.join("node_modules/.package-lock.json")), modified(&pkg.join("package-lock.json"))) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    }
}

fn npm_ci(root: &Path) {
    eprintln!("browser tests: installing tests/browser/node_modules (npm ci)");
    let status = Command::new("npm")
        .args(["ci", "--prefix", "tests/browser", "--no-audit", "--no-fund"])
        .current_dir(root)
        // playwright-core downloads nothing on install; this makes sure of it.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run `npm` ({e}): install npm, then `npm ci --prefix tests/browser`"));
    assert!(status.success(), "`npm ci --prefix tests/browser` failed ({status})");
}

/// Installs Debian's chromium with apt-get, as the README's test command promises on a
/// fresh Debian machine; where that is not possible (not root, no apt-get) the caller's
/// assertion says what to install.
fn install_chromium() {
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    if !root || !Path::new("/usr/bin/apt-get").is_file() {
        return;
    }
    eprintln!("browser tests: {CHROMIUM} is missing; installing Debian's chromium (apt-get install chromium)");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !apt(&["update"]) || !apt(&["install", "-y", "--no-install-recommends", "chromium"]) {
        eprintln!("browser tests: apt-get could not install chromium");
    }
}

/// The Node test files, sorted: `*.test.mjs` (and `.js`/`.cjs`) directly in `tests/browser/`.
fn test_files(pkg: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(pkg)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            [".test.mjs", ".test.js", ".test.cjs"].iter().any(|ext| name.ends_with(ext))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn browser_suite() {
    let root = repo();
    let pkg = root.join("tests/browser");
    if !Path::new(CHROMIUM).is_file() {
        install_chromium();
    }
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: the browser tests need Debian's chromium: apt-get install chromium"
    );
    let major = node_major();
    assert!(major >= 20, "node {major} is too old: the browser tests need Node.js >= 20");
    if !node_modules_current(&pkg) {
        npm_ci(&root);
    }

    // Build the sample manual with the binary under test.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--quiet", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "folio build of the sample manual failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.join("versions.json").is_file(), "the build wrote no versions.json");
    eprintln!("browser tests: built the sample manual in {:.1}s -> {}", t.elapsed().as_secs_f64(), site.display());

    let files = test_files(&pkg);
    assert!(!files.is_empty(), "no *.test.mjs files in {}", pkg.display());
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");

    // Output is inherited, so it streams as the suite runs (cargo does not capture it).
    let t = Instant::now();
    let mut child = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .args(&files)
        .current_dir(&root)
        .env("FOLIO_SITE", &site)
        // serve.test.mjs runs `folio serve` itself.
        .env("FOLIO_BIN", env!("CARGO_BIN_EXE_folio"))
        .env("FOLIO_SCREENSHOTS", &shots)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .env_remove("NODE_OPTIONS")
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e})"));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if t.elapsed() > NODE_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the browser tests did not finish within {}s: killed", NODE_LIMIT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    eprintln!("browser tests: node --test took {:.1}s", t.elapsed().as_secs_f64());
    assert!(status.success(), "the browser tests failed ({status}); their output is above");
}
