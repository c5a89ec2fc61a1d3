#!/usr/bin/env python3
"""Edit-to-page latency of `folio serve`, next to the time of a full `folio build`.

    python3 benches/serve_latency.py [--articles 2000] [--versions 30] [--seed 1]
                                     [--runs 20] [--pause 2.0] [--manual DIR]
                                     [--folio PATH] [--no-build] [--json FILE]
                                     [--wait-idle SECONDS]

What it does (defaults: the generated 2,000-article, 30-version manual, 20 edits):
  1. builds folio in release mode (`cargo build --release`; skip with --no-build, or
     point --folio at a binary);
  2. takes the manual from --manual, or generates it with benches/gen_manual.py into the
     cache that benches/run.sh uses ($FOLIO_BENCH_DIR, default /tmp/folio-bench,
     a<N>-v<V>-s<seed>-<hash of the generator>/src), and copies it to a temp folder
     (the edits must not touch the cache);
  3. times `folio build --quiet` of the copy (wall clock, output removed afterwards);
  4. starts `folio serve --port 0 --quiet` on the copy and waits for the URL it prints
     (printed once the first build is served);
  5. --runs times: appends a sentence with a fresh token to one article (a different
     article each time, one with no revisions and no since/until, so the latest version
     shows its base file), then GETs that article's page in the latest version over HTTP
     every ~2 ms until the body holds the token. The latency is from the moment the file
     is closed to the first response holding it: debounce, rebuild and serving. Between
     edits it waits --pause seconds (a writer saves every few seconds; the search indexes
     and what-changed pages a rebuild defers are written in that time). --pause 0 edits
     back to back: the next edit then waits for the deferred work in progress
     (at most one version's worth).
  6. prints the median, p90, min and max latency and the full build time. The machine
     may be shared and a busy one inflates every figure: before the build and before the
     edits the script waits up to --wait-idle seconds (default 60, 0 = no wait) for the
     CPUs to be >= 80% idle, and for each edit it measures (from /proc) how busy *other*
     processes kept the CPUs from the end of the previous edit to this one (the server's
     own deferred work and this script do not count), then also prints the median over
     the edits during which that was <= 20%.

Python 3 standard library only. The project's target: median under 200 ms on its
2-core machine.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def log(msg: str) -> None:
    print(f"serve_latency: {msg}", file=sys.stderr, flush=True)


def cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies over all CPUs, or (0, 0) without /proc/stat."""
    try:
        with open("/proc/stat") as f:
            parts = [int(x) for x in f.readline().split()[1:9]]
    except OSError:
        return 0, 0
    return parts[3] + parts[4], sum(parts)


def idle_since(start: tuple[int, int]) -> float | None:
    idle, total = cpu_times()
    if total <= start[1]:
        return None
    return 100.0 * (idle - start[0]) / (total - start[1])


def proc_jiffies(pid: int) -> int:
    """CPU time (user + system, in jiffies) used by process `pid` so far, or 0."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


class Load:
    """How busy the other processes kept the CPUs over a span: the server's own
    background work (search indexes, what-changed pages) and this script do not count."""

    def __init__(self, pid: int):
        self.pid = pid
        self.cpu = cpu_times()
        self.own = proc_jiffies(pid) + proc_jiffies(os.getpid())

    def others_pct(self) -> float | None:
        idle, total = cpu_times()
        span = total - self.cpu[1]
        if span <= 0:
            return None
        busy = span - (idle - self.cpu[0])
        own = proc_jiffies(self.pid) + proc_jiffies(os.getpid()) - self.own
        return max(0.0, 100.0 * (busy - own) / span)


def settle(limit: float) -> float | None:
    """Waits up to `limit` seconds for >= 80% idle CPUs; the last idle figure."""
    deadline = time.monotonic() + limit
    while True:
        start = cpu_times()
        time.sleep(1)
        idle = idle_since(start)
        if idle is None or idle >= 80 or time.monotonic() >= deadline:
            return idle
        log(f"waiting for a quiet machine (CPUs {idle:.0f}% idle)")


def manual_dir(args) -> str:
    if args.manual:
        return os.path.abspath(args.manual)
    h = hashlib.sha256()
    for name in ("gen_manual.py", "check_manual.py"):
        with open(os.path.join(HERE, name), "rb") as f:
            h.update(f.read())
    bench = os.environ.get("FOLIO_BENCH_DIR", "/tmp/folio-bench")
    d = os.path.join(bench, f"a{args.articles}-v{args.versions}-s{args.seed}-{h.hexdigest()[:10]}")
    if not os.path.isfile(os.path.join(d, "stats.json")):
        log(f"generating {args.articles} articles x {args.versions} versions into {d}/src")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        subprocess.run(
            [sys.executable, os.path.join(HERE, "gen_manual.py"), os.path.join(d, "src"),
             "--articles", str(args.articles), "--versions", str(args.versions), "--seed", str(args.seed),
             "--stats", os.path.join(d, "stats.json.tmp")],
            check=True, stdout=sys.stderr)
        os.rename(os.path.join(d, "stats.json.tmp"), os.path.join(d, "stats.json"))
    return os.path.join(d, "src")


def front(text: str) -> dict[str, str]:
    """Top-level `key: value` pairs of a file's front matter."""
    m = re.match(r"---\r?\n(.*?)\r?\n---\r?\n", text, re.S)
    out = {}
    for line in (m.group(1).splitlines() if m else []):
        if ":" in line and not line.startswith((" ", "\t", "-", "#")):
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    return out


def candidates(root: str) -> list[tuple[str, str]]:
    """(path, slug) of articles shown from their base file in every version."""
    files = {}
    revised = set()
    for dp, dns, fns in os.walk(os.path.join(root, "articles")):
        dns[:] = sorted(d for d in dns if not d.startswith("."))
        for fn in sorted(fns):
            if not fn.endswith(".md") or fn.startswith("."):
                continue
            stem = fn[:-3]
            if "@" in stem:
                revised.add(stem.split("@")[0])
            else:
                files[stem] = os.path.join(dp, fn)
    out = []
    for slug, path in sorted(files.items()):
        if slug in revised:
            continue
        with open(path, encoding="utf-8") as f:
            fm = front(f.read())
        if not any(k in fm for k in ("since", "until", "removed")) and "title" in fm:
            out.append((path, slug))
    return out


class Serve:
    """A running `folio serve`; stop() kills it."""

    def __init__(self, folio: str, root: str, tmp: str):
        # Its own TMPDIR: the site it builds there goes when the bench's folder goes.
        env = dict(os.environ, TMPDIR=tmp)
        self.proc = subprocess.Popen(
            [folio, "serve", "--quiet", "--port", "0", "--root", root],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.errors: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        line = self.proc.stdout.readline()
        m = re.match(r"serving at http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.stop()
            raise SystemExit(f"folio serve did not start: {line!r}\n{''.join(self.errors)}")
        self.port = int(m.group(1))
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _drain(self) -> None:
        for line in self.proc.stderr:
            self.errors.append(line)

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in range(2):
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        return 0, b""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--versions", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--pause", type=float, default=2.0)
    ap.add_argument("--manual", help="use this manual instead of the generated one")
    ap.add_argument("--folio", help="folio binary (default: target/release/folio)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one edit")
    ap.add_argument("--json", help="write the measurements here")
    ap.add_argument("--wait-idle", type=float, default=60.0)
    args = ap.parse_args()

    folio = args.folio or os.path.join(REPO, "target", "release", "folio")
    if not args.folio and not args.no_build:
        log("cargo build --release")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    src = manual_dir(args)

    work = tempfile.mkdtemp(prefix="folio-serve-bench-")
    serve = None
    try:
        root = os.path.join(work, "manual")
        shutil.copytree(src, root)
        pool = candidates(root)
        if not pool:
            raise SystemExit("no article without revisions and since/until to edit")

        settle(args.wait_idle)
        log("timing folio build --quiet")
        out = os.path.join(work, "out")
        t = time.perf_counter()
        r = subprocess.run([folio, "build", "--quiet", "--root", root, "--out", out], capture_output=True, text=True)
        build_s = time.perf_counter() - t
        if r.returncode != 0:
            raise SystemExit(f"folio build failed ({r.returncode}):\n{r.stderr[-4000:]}")
        shutil.rmtree(out)

        log("starting folio serve")
        t = time.perf_counter()
        os.makedirs(os.path.join(work, "tmp"))
        serve = Serve(folio, root, os.path.join(work, "tmp"))
        start_s = time.perf_counter() - t
        status, body = serve.get("/versions.json")
        latest = next(v["path"] for v in json.loads(body) if v.get("latest"))

        rng = random.Random(args.seed)
        picks = rng.sample(pool, min(args.runs, len(pool)))
        while len(picks) < args.runs:
            picks.append(rng.choice(pool))
        latencies = []
        quiet = []
        settle(args.wait_idle)
        everything = Load(serve.proc.pid)
        for i, (path, slug) in enumerate(picks):
            load = Load(serve.proc.pid)
            if i and args.pause:
                time.sleep(args.pause)
            token = f"latency probe {i} {rng.getrandbits(48):012x}"
            url = f"/{latest}/{slug}.html"
            with open(path, "a", encoding="utf-8") as f:
                f.write(f"\nA sentence for the {token}.\n")
            t0 = time.perf_counter()
            while True:
                status, body = serve.get(url)
                if status == 200 and token.encode() in body:
                    break
                if time.perf_counter() - t0 > args.timeout:
                    raise SystemExit(f"edit {i} ({slug}) not served after {args.timeout}s\n{''.join(serve.errors)[-4000:]}")
                time.sleep(0.002)
            ms = (time.perf_counter() - t0) * 1000
            latencies.append(ms)
            others = load.others_pct()
            if others is not None and others <= 20:
                quiet.append(ms)
            note = f" (other processes kept the CPUs {others:.0f}% busy)" if others is not None else ""
            log(f"edit {i + 1}/{args.runs}: {slug} -> {ms:.0f} ms{note}")
        others = everything.others_pct()

        med, p90 = statistics.median(latencies), pct(latencies, 0.9)
        print(f"manual: {src} ({len(pool)} editable articles), latest version {latest}")
        print(f"full build (folio build --quiet): {build_s:.2f} s")
        print(f"serve start (first build, until the URL): {start_s:.2f} s")
        print(f"edit -> page served, {len(latencies)} edits, pause {args.pause:g} s:"
              f" median {med:.0f} ms, p90 {p90:.0f} ms, min {min(latencies):.0f} ms, max {max(latencies):.0f} ms")
        if others is not None:
            print(f"other processes kept the CPUs {others:.0f}% busy during the edits (a shared, busy machine"
                  " inflates the figures)")
        if quiet:
            print(f"edits while other processes used <= 20% of the CPUs: {len(quiet)}, median"
                  f" {statistics.median(quiet):.0f} ms, p90 {pct(quiet, 0.9):.0f} ms")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(dict(manual=src, build_s=build_s, serve_start_s=start_s, pause_s=args.pause,
                               latencies_ms=latencies, median_ms=med, p90_ms=p90, others_busy_pct=others,
                               quiet_latencies_ms=quiet), f, indent=1)
        return 0
    finally:
        if serve:
            serve.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
