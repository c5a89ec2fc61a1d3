#!/usr/bin/env bash
# folio benchmark harness.
#
#   benches/run.sh [--articles N] [--versions N] [--runs N] [--seed N]
#                  [--one-version] [--no-hugo] [--mdbook] [--mdbook-runs N]
#                  [--scale] [--scale-only]
#                  [--no-build] [--folio PATH] [--json FILE] [--wait-idle SECONDS]
#                  [--after-delete SECONDS]
#
# What it does (defaults: 2,000 articles, 30 versions, 3 runs, seed 1):
#   1. builds folio in release mode (`cargo build --release` in the repo root; skip with
#      --no-build, or point --folio at a binary);
#   2. generates the manual with benches/gen_manual.py (validated by check_manual.py) and
#      the same content as one Hugo site per version; cached under
#      /tmp/folio-bench/a<N>-v<V>-s<seed>-<hash of the generator>/ (override with
#      FOLIO_BENCH_DIR), so a second run starts at once;
#   3. times `folio build --root SRC --out OUT --quiet` --runs times (each run into a new
#      folder: see below) with GNU time, and prints the median
#      wall time, CPU time (user+sys), peak RSS, output bytes (du -sb), HTML files, and
#      pages/s and bytes per page, where "pages" = article pages over all versions as the
#      generator counts them (the same number for every tool; folio's extra pages such as
#      changes/diff/search/redirects are in "html files" and in the bytes);
#   4. does the same for Hugo (Debian package `hugo`): one `hugo --quiet` per version
#      site, sequentially, in one timed shell loop (peak RSS is then the largest single
#      Hugo process), and prints the folio/Hugo ratios from the same run;
#   5. --one-version also times building only the latest version with each tool
#      (`folio build --version <latest>` against Hugo on the latest version's site);
#   6. --mdbook adds mdBook (one `mdbook build` per version) if an mdbook binary is found
#      (PATH, MDBOOK=path, or /tmp/folio-bench/tools/bin/mdbook; install one with
#      `cargo install mdbook --locked --root /tmp/folio-bench/tools`). It is opt-in
#      because it is slow on this manual (~10 min a run at 2,000 x 30, mostly its
#      search index), and runs --mdbook-runs times (default 1);
#   7. --scale times folio (only) at 500, 1,000, 2,000, 5,000 and 10,000 articles
#      (--versions versions each; override the list with SCALE="500 1000") and prints a
#      table of build time and peak memory; --scale-only skips steps 3-6.
#
# The machine may be shared: before each run the harness measures how idle the CPUs are
# (over 1 s, from /proc/stat) and waits up to --wait-idle seconds (default 60, 0 = no
# wait) for them to be >= 80% idle; the idle figure is printed per run and in the table,
# with a warning when a run started on a busy machine (its wall time is then inflated;
# CPU time much less so). "others' cores" is the CPU that other processes used during
# the (median) run, divided by its wall time; "best wall" is the fastest run.
#
# No run deletes anything before it is timed: every run writes a folder of its own
# (OUT/run<i>), and all of them are deleted when the harness exits; before each run the
# harness runs `sync`, so no run waits on the writeback of an earlier one. Deleting tens of
# thousands of files slows the next ones created on this machine's disk for minutes:
# ext4 without a journal ("mounted filesystem ... without journal") will not reuse an
# inode freed in the last 60 s, or the last 360 s once its inode-table block is dirty
# again (fs/ext4/ialloc.c, recently_deleted), and scans past every such inode for each
# file it creates; a build that started a minute after the previous run's output was
# deleted spent 14 s in the kernel instead of 5 s (`perf` shows find_inode_bit /
# recently_deleted). The same holds between harness runs: one started less than
# --after-delete seconds (default 360, 0 = no wait) after the previous one deleted its
# outputs first waits out the rest. Keep ~15 GB free for the outputs (--scale: ~25 GB).
#
# --json FILE writes every measurement and summary as JSON. Needs: bash, python3,
# GNU time (/usr/bin/time; apt-get install -y time), du, find; hugo for the comparison.
# The machine is the project's 2-core / 24 GiB box: numbers from other machines differ.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

articles=2000 versions=30 runs=3 seed=1 mdbook_runs=1 wait_idle=60 after_delete=360
one_version=0 hugo=1 mdbook=0 scale=0 main=1 build=1 folio="" json=""
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles=$2; shift 2 ;;
    --versions) versions=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --one-version) one_version=1; shift ;;
    --no-hugo) hugo=0; shift ;;
    --mdbook) mdbook=1; shift ;;
    --mdbook-runs) mdbook_runs=$2; shift 2 ;;
    --scale) scale=1; shift ;;
    --scale-only) scale=1; main=0; shift ;;
    --no-build) build=0; shift ;;
    --folio) folio=$2; build=0; shift 2 ;;
    --json) json=$2; shift 2 ;;
    --wait-idle) wait_idle=$2; shift 2 ;;
    --after-delete) after_delete=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

bench=${FOLIO_BENCH_DIR:-/tmp/folio-bench}
mkdir -p "$bench"
results="$bench/results.$$.tsv"
: > "$results"

log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
if [ ! -x /usr/bin/time ]; then
  log "installing GNU time (apt-get install -y time)"
  apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; }
fi
[ -x /usr/bin/time ] || { log "run.sh: GNU time (/usr/bin/time) is required"; exit 2; }

if [ "$build" = 1 ]; then
  log "building folio (cargo build --release)"
  if (cd "$repo" && cargo build --release --quiet) >&2; then
    tdir=$(cd "$repo" && cargo metadata --format-version 1 --no-deps 2>/dev/null |
           python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
    folio="$tdir/release/folio"
  else
    log "run.sh: cargo build --release failed: folio is not measured"
    folio=""
  fi
fi
if [ -n "$folio" ] && [ ! -x "$folio" ]; then log "run.sh: no folio binary at $folio"; folio=""; fi

hugo_bin=""
if [ "$hugo" = 1 ]; then
  hugo_bin=$(command -v hugo || true)
  [ -n "$hugo_bin" ] || log "hugo not found (apt-get install -y hugo): Hugo is not measured"
fi
mdbook_bin=""
if [ "$mdbook" = 1 ]; then
  for c in "${MDBOOK:-}" "$(command -v mdbook || true)" /tmp/folio-bench/tools/bin/mdbook; do
    if [ -n "$c" ] && [ -x "$c" ]; then mdbook_bin=$c; break; fi
  done
  [ -n "$mdbook_bin" ] || log "mdbook not found: mdBook is not measured"
fi

# ---------------------------------------------------------------- manual
gen_hash=$(cat "$here/gen_manual.py" "$here/check_manual.py" | sha256sum | cut -c1-10)

# prepare N V [hugo] [mdbook] -> prints the cache folder; generates what is missing
prepare() {
  local n=$1 v=$2 want_hugo=${3:-0} want_mdbook=${4:-0}
  local dir="$bench/a$n-v$v-s$seed-$gen_hash"
  if [ ! -f "$dir/stats.json" ]; then
    log "generating $n articles x $v versions into $dir/src"
    rm -rf "$dir"; mkdir -p "$dir"
    python3 "$here/gen_manual.py" "$dir/src" --articles "$n" --versions "$v" --seed "$seed" \
      --stats "$dir/stats.json.tmp" >&2
    mv "$dir/stats.json.tmp" "$dir/stats.json"
  fi
  if [ "$want_hugo" = 1 ] && [ ! -f "$dir/hugo.done" ]; then
    log "writing the Hugo sites into $dir/hugo"
    python3 "$here/gen_manual.py" "$dir/src" --keep-source --no-check --quiet --force --hugo "$dir/hugo" >&2
    touch "$dir/hugo.done"
  fi
  if [ "$want_mdbook" = 1 ] && [ ! -f "$dir/mdbook.done" ]; then
    log "writing the mdBooks into $dir/mdbook"
    python3 "$here/gen_manual.py" "$dir/src" --keep-source --no-check --quiet --force --mdbook "$dir/mdbook" >&2
    touch "$dir/mdbook.done"
  fi
  printf '%s\n' "$dir"
}

# stat KEY of stats.json
stat() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"s": s}))' "$1" "$2"; }

# measure TOOL SCOPE ARTICLES PAGES OUT -- CMD...: runs CMD $runs times, appends one line per run
measure() {
  local tool=$1 scope=$2 n=$3 pages=$4 out=$5; shift 6
  local i t count=$runs
  [ "$tool" = mdbook ] && count=$mdbook_runs
  for ((i = 1; i <= count; i++)); do
    # every run writes a fresh folder: @OUT@ in the command stands for it
    local run_out="$out/run$i" args=() a
    for a in "$@"; do args+=("${a//@OUT@/$run_out}"); done
    mkdir -p "$out"
    # earlier runs' output still being written back would slow this one: flush it first
    sync
    local idle; idle=$(settle)
    t=$(mktemp)
    local b0; b0=$(busy_jiffies)
    if ! /usr/bin/time -f '%e %U %S %M' -o "$t" "${args[@]}" >"$t.log" 2>&1; then
      log "$tool ($scope) failed; last lines of its output:"; tail -n 20 "$t.log" >&2
      rm -f "$t" "$t.log"; return 1
    fi
    # CPU that other processes used meanwhile, in cores (0 = the machine was ours)
    local others; others=$(awk -v b0="$b0" -v b1="$(busy_jiffies)" -v hz="$hz" \
      '{o = (b1 - b0) / hz - ($2 + $3); if (o < 0) o = 0; printf "%.2f", ($1 > 0 ? o / $1 : 0)}' "$t")
    local bytes html html_bytes
    bytes=$(du -sb "$run_out" | cut -f1)
    html=$(find "$run_out" -name '*.html' | wc -l)
    html_bytes=$(find "$run_out" -name '*.html' -printf '%s\n' | awk '{s+=$1} END {printf "%.0f\n", s}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$scope" "$n" "$pages" "$(tail -n 1 "$t")" \
      "$bytes" "$html" "$html_bytes" "$i" | tr ' ' '\t' | sed "s/\$/\t$idle\t$others/" >> "$results"
    log "  $tool $scope run $i: $(awk '{printf "wall %ss cpu %.2fs rss %d MB", $1, $2+$3, $4/1024}' "$t"), cpus ${idle}% idle before, other processes used ${others} cores during the run"
    rm -f "$t" "$t.log"
  done
}

# idle_pct: percentage of CPU time idle over the next second, all cores
idle_pct() {
  local a b
  read -r -a a < /proc/stat; sleep 1; read -r -a b < /proc/stat
  local t1=$((a[1]+a[2]+a[3]+a[4]+a[5]+a[6]+a[7]+a[8])) t2=$((b[1]+b[2]+b[3]+b[4]+b[5]+b[6]+b[7]+b[8]))
  local i1=$((a[4]+a[5])) i2=$((b[4]+b[5]))
  echo $(( (100 * (i2 - i1)) / (t2 - t1 > 0 ? t2 - t1 : 1) ))
}

# busy_jiffies: CPU time (all cores, in clock ticks) spent not idle since boot
busy_jiffies() {
  local a; read -r -a a < /proc/stat
  echo $((a[1]+a[2]+a[3]+a[6]+a[7]+a[8]))
}
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)

# Waits until --after-delete seconds have passed since an earlier harness run deleted
# its outputs (the time is kept in $bench/last-delete).
after_delete_wait() {
  local last left
  last=$(cat "$bench/last-delete" 2>/dev/null || echo 0)
  left=$((last + after_delete - $(date +%s)))
  if [ "$left" -gt 0 ]; then
    log "(waiting ${left}s: an earlier run deleted its outputs less than ${after_delete}s ago; see --after-delete)"
    sleep "$left"
  fi
}

# settle: waits up to $wait_idle s for >= 80% idle CPUs; prints the last idle figure
settle() {
  local idle waited=0
  idle=$(idle_pct)
  while [ "$idle" -lt 80 ] && [ "$waited" -lt "$wait_idle" ]; do
    sleep 4; waited=$((waited + 5)); idle=$(idle_pct)
  done
  echo "$idle"
}

out_root="$bench/out.$$"
cleanup_out() {
  if [ -e "$out_root" ]; then
    # eight deletions in flight: several times faster than one rm -rf on this disk
    find "$out_root" -mindepth 3 -maxdepth 3 -print0 | xargs -0 -r -n 16 -P 8 rm -rf
    rm -rf "$out_root"; sync; date +%s > "$bench/last-delete"
  fi
}
# the raw measurements survive the run, as $bench/last-results.tsv
trap 'mv -f "$results" "$bench/last-results.tsv" 2>/dev/null; cleanup_out' EXIT

# ---------------------------------------------------------------- header
{
  echo "# folio benchmark  $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# folio: ${folio:-unavailable (build failed or --no-build)} $(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || true)"
  if [ -n "$hugo_bin" ]; then echo "# hugo: $("$hugo_bin" version | cut -d' ' -f1-2)"
  elif [ "$hugo" = 1 ]; then echo "# hugo: unavailable (apt-get install -y hugo)"
  else echo "# hugo: not run (--no-hugo)"; fi
  if [ -n "$mdbook_bin" ]; then echo "# mdbook: $("$mdbook_bin" --version), $mdbook_runs run(s) per row"
  elif [ "$mdbook" = 1 ]; then echo "# mdbook: unavailable (cargo install mdbook --locked --root /tmp/folio-bench/tools)"
  else echo "# mdbook: not run (--mdbook to add it; ~10 min per run at 2,000 x 30 on 2 cores)"; fi
  echo "# zola: unavailable (not on crates.io nor in Debian's archive)"
  echo "# runs: $runs per row (median shown); seed $seed"
} 

# ---------------------------------------------------------------- main comparison
after_delete_wait
if [ "$main" = 1 ]; then
  dir=$(prepare "$articles" "$versions" "$([ -n "$hugo_bin" ] && echo 1 || echo 0)" "$([ -n "$mdbook_bin" ] && echo 1 || echo 0)")
  pages=$(stat "$dir/stats.json" 's["pages_total"]')
  latest=$(stat "$dir/stats.json" 's["per_version"][-1]["version"]')
  latest_path=$(stat "$dir/stats.json" 's["per_version"][-1]["path"]')
  latest_pages=$(stat "$dir/stats.json" 's["per_version"][-1]["pages"]')
  echo "# manual: $articles articles, $versions versions, $(stat "$dir/stats.json" 's["source_files"]') source files," \
       "$(stat "$dir/stats.json" 's["revisions"]') revisions, pages per version" \
       "$(stat "$dir/stats.json" 's["per_version"][0]["pages"]')..$latest_pages, $pages pages in all," \
       "$(stat "$dir/stats.json" 's["links_total"]') links; cached in $dir"
  mkdir -p "$out_root"
  if [ -n "$folio" ]; then
    log "folio: all $versions versions"
    measure folio all "$articles" "$pages" "$out_root/folio" -- \
      "$folio" build --root "$dir/src" --out @OUT@ --quiet || true
    if [ "$one_version" = 1 ]; then
      log "folio: version $latest only"
      measure folio one "$articles" "$latest_pages" "$out_root/folio1" -- \
        "$folio" build --root "$dir/src" --out @OUT@ --version "$latest" --quiet || true
    fi
  fi
  if [ -n "$hugo_bin" ]; then
    log "hugo: $versions sites"
    measure hugo all "$articles" "$pages" "$out_root/hugo" -- bash -c '
      for d in "$1"/*/; do v=$(basename "$d")
        "$2" --quiet --noBuildLock -s "$d" --destination "$3/$v" || exit 1
      done' _ "$dir/hugo" "$hugo_bin" @OUT@ || true
    if [ "$one_version" = 1 ]; then
      log "hugo: version $latest only"
      measure hugo one "$articles" "$latest_pages" "$out_root/hugo1" -- \
        "$hugo_bin" --quiet --noBuildLock -s "$dir/hugo/$latest_path" --destination @OUT@ || true
    fi
  fi
  if [ -n "$mdbook_bin" ]; then
    log "mdbook: $versions books"
    measure mdbook all "$articles" "$pages" "$out_root/mdbook" -- bash -c '
      for d in "$1"/*/; do v=$(basename "$d")
        "$2" build -d "$3/$v" "$d" >/dev/null 2>&1 || exit 1
      done' _ "$dir/mdbook" "$mdbook_bin" @OUT@ || true
    if [ "$one_version" = 1 ]; then
      measure mdbook one "$articles" "$latest_pages" "$out_root/mdbook1" -- \
        "$mdbook_bin" build -d @OUT@ "$dir/mdbook/$latest_path" || true
    fi
  fi
fi

# ---------------------------------------------------------------- scale curve
if [ "$scale" = 1 ]; then
  if [ -z "$folio" ]; then
    log "run.sh: --scale needs folio; skipped"
  else
    mkdir -p "$out_root"
    for n in ${SCALE:-500 1000 2000 5000 10000}; do
      dir=$(prepare "$n" "$versions")
      pages=$(stat "$dir/stats.json" 's["pages_total"]')
      log "folio scale: $n articles"
      measure folio "scale" "$n" "$pages" "$out_root/scale$n" -- \
        "$folio" build --root "$dir/src" --out @OUT@ --quiet || true
    done
  fi
fi

# ---------------------------------------------------------------- report
python3 - "$results" "$json" <<'PY'
import json, statistics, sys
rows = []
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if len(f) < 12:
        continue
    tool, scope, n, pages, wall, user, sys_, rss, nbytes, html, html_bytes, run = f[:12]
    num = lambda x: int(float(x))
    rows.append(dict(tool=tool, scope=scope, articles=num(n), pages=num(pages), wall=float(wall),
                     cpu=float(user) + float(sys_), rss_kb=num(rss), bytes=num(nbytes), html=num(html),
                     html_bytes=num(html_bytes), run=num(run), idle=int(f[12]) if len(f) > 12 else -1,
                     others=float(f[13]) if len(f) > 13 else -1.0))
groups = {}
for r in rows:
    groups.setdefault((r["tool"], r["scope"], r["articles"]), []).append(r)
summary = []
for (tool, scope, n), rs in groups.items():
    med = lambda k: statistics.median(r[k] for r in rs)
    s = dict(tool=tool, scope=scope, articles=n, pages=rs[0]["pages"], runs=len(rs), wall=med("wall"),
             cpu=med("cpu"), rss_mb=med("rss_kb") / 1024, bytes=int(med("bytes")), html=int(med("html")),
             html_bytes=int(med("html_bytes")), idle_min=min(r["idle"] for r in rs),
             wall_best=min(r["wall"] for r in rs), cpu_best=min(r["cpu"] for r in rs),
             others=med("others"))
    s["pages_per_s"] = s["pages"] / s["wall"] if s["wall"] else float("inf")
    s["bytes_per_page"] = s["bytes"] / s["pages"]
    s["html_bytes_per_page"] = s["html_bytes"] / s["pages"]
    summary.append(s)

def table(title, items, cols):
    if not items:
        return
    print(f"\n{title}")
    heads = [c[0] for c in cols]
    cells = [[c[1](s) for c in cols] for s in items]
    w = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(heads)]
    print("  ".join(h.rjust(w[i]) if i else h.ljust(w[i]) for i, h in enumerate(heads)))
    for r in cells:
        print("  ".join(c.rjust(w[i]) if i else c.ljust(w[i]) for i, c in enumerate(r)))

cols = [("tool", lambda s: s["tool"]),
        ("scope", lambda s: "all versions" if s["scope"] == "all" else "latest only"),
        ("runs", lambda s: str(s["runs"])),
        ("wall s", lambda s: f"{s['wall']:.2f}"),
        ("best wall", lambda s: f"{s['wall_best']:.2f}"),
        ("cpu s", lambda s: f"{s['cpu']:.2f}"),
        ("peak RSS MB", lambda s: f"{s['rss_mb']:.0f}"),
        ("pages", lambda s: str(s["pages"])),
        ("pages/s", lambda s: f"{s['pages_per_s']:.0f}"),
        ("html files", lambda s: str(s["html"])),
        ("output bytes", lambda s: str(s["bytes"])),
        ("bytes/page", lambda s: f"{s['bytes_per_page']:.0f}"),
        ("html bytes/page", lambda s: f"{s['html_bytes_per_page']:.0f}"),
        ("min idle%", lambda s: str(s["idle_min"])),
        ("others' cores", lambda s: f"{s['others']:.2f}")]
main = [s for s in summary if s["scope"] in ("all", "one")]
table("== build (median of runs; pages = article pages over the versions built)", main, cols)

ratios = []
for scope in ("all", "one"):
    f = next((s for s in main if s["tool"] == "folio" and s["scope"] == scope), None)
    for other in ("hugo", "mdbook"):
        o = next((s for s in main if s["tool"] == other and s["scope"] == scope), None)
        if f and o:
            ratios.append(dict(pair=f"folio/{other}", scope=scope,
                               wall=f["wall"] / o["wall"], cpu=f["cpu"] / o["cpu"],
                               rss=f["rss_mb"] / o["rss_mb"], bpp=f["bytes_per_page"] / o["bytes_per_page"],
                               hbpp=f["html_bytes_per_page"] / o["html_bytes_per_page"]))
table("== ratios (< 1: folio is faster / smaller)", ratios,
      [("ratio", lambda r: r["pair"]),
       ("scope", lambda r: "all versions" if r["scope"] == "all" else "latest only"),
       ("wall", lambda r: f"{r['wall']:.2f}"), ("cpu", lambda r: f"{r['cpu']:.2f}"),
       ("peak RSS", lambda r: f"{r['rss']:.2f}"), ("bytes/page", lambda r: f"{r['bpp']:.2f}"),
       ("html bytes/page", lambda r: f"{r['hbpp']:.2f}")])

scale = sorted((s for s in summary if s["scope"] == "scale"), key=lambda s: s["articles"])
table("== folio scale curve (all versions; median of runs)", scale,
      [("articles", lambda s: str(s["articles"])), ("pages", lambda s: str(s["pages"])),
       ("runs", lambda s: str(s["runs"])), ("wall s", lambda s: f"{s['wall']:.2f}"),
       ("best wall", lambda s: f"{s['wall_best']:.2f}"),
       ("cpu s", lambda s: f"{s['cpu']:.2f}"), ("peak RSS MB", lambda s: f"{s['rss_mb']:.0f}"),
       ("pages/s", lambda s: f"{s['pages_per_s']:.0f}"), ("bytes/page", lambda s: f"{s['bytes_per_page']:.0f}"),
       ("us/page", lambda s: f"{1e6 * s['wall'] / s['pages']:.0f}"),
       ("KB RSS/page", lambda s: f"{1024 * s['rss_mb'] / s['pages']:.1f}"),
       ("min idle%", lambda s: str(s["idle_min"])),
       ("others' cores", lambda s: f"{s['others']:.2f}")])
busy = [s for s in summary if 0 <= s["idle_min"] < 80 or s["others"] > 0.2]
if busy:
    print("\nWARNING: other work shared the machine during some rows (CPUs < 80% idle at a start, or"
          " other processes using > 0.2 cores in the median run):"
          " their wall times are inflated; compare CPU times. Rows: "
          + ", ".join(f"{s['tool']}/{s['scope']}/{s['articles']}" for s in busy))
if not summary:
    print("\n(no measurements)")
if sys.argv[2]:
    with open(sys.argv[2], "w") as fh:
        json.dump(dict(runs=rows, summary=summary, ratios=ratios), fh, indent=1)
PY
