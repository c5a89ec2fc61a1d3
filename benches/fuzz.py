#!/usr/bin/env python3
"""Runs folio on mutated manuals and reports panics and hangs.

    python3 benches/fuzz.py [--folio target/release/folio] [--mutants 10000] [--seed 1]
                            [--jobs 2] [--timeout 10] [--build-every 10] [--keep DIR]

Each mutant starts from a seed manual (the starter of `folio new` and the test fixture
`tests/fixtures/basic`) and applies one to four random mutations: byte flips, inserted
fragments that folio parses specially (front-matter fences, YAML brackets, only-block
markers, links, `@` revisions, reserved names, odd version names and URLs), deleted,
duplicated or swapped lines, renamed files, new revisions and versions. It then runs
`folio check`, and every `--build-every`th mutant `folio build` into a folder holding an
earlier build of the seed, checking that a failed build leaves that site as it was.

A run passes when every command exits 0, 1 or 2 without "panicked" on stderr, within
`--timeout` seconds. Failing mutants are kept under `--keep` (default
/tmp/folio-fuzz-failures) with the command and its output. Prints the counts at the end;
exits 1 when any mutant panicked, hung or damaged the previous site.
Python 3 standard library only.
"""

import argparse
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FRAGMENTS = [
    "---\n", "---", "\n---\n", "...\n", "title:", "title: [", "parent: ", "order: x", "since: 9.9",
    "until: 1.0", "aliases: [", "removed: true", "keywords: {", "[" * 40, "{" * 40, "]", "}",
    "\"", "'", "#", ": ", "\t", "\r\n", "\x00", "\u00e9", "\ufeff", "\u202e",
    "<!-- only 1.0..2.0 -->\n", "<!-- only ..1.0 -->\n", "<!-- /only -->\n", "<!-- only 1.0-2.0 -->\n",
    "<!-- only 9.9 -->\n", "```\n", "~~~\n", "    <!-- only .. -->\n",
    "[x](install.md)", "[x](install.md#requirements)", "[x](missing.md)", "[x](#nope)",
    "[x](../../../../etc/passwd)", "![i](img/a.png)", "![i](x@2.0.png)", "[x](javascript:alert(1))",
    "<script>alert(1)</script>", "## Heading {#id}", "> [!NOTE]\n", "[^1]\n\n[^1]: note\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "@", "..", "/", "\\", "%00", "%2e%2e",
]
VERSION_TEXTS = [
    "", "label: v\n", "path: x\n", "path: ../x\n", "path: assets\n", "status: bogus\n",
    "url: javascript:alert(1)\n", "url: https://example.com/\n", "released: 2025-01-01\n", "[[[\n",
    "label: [\n", "lable: x\n",
]
VERSION_NAMES = ["1.00", "01.0", "3.0", "0.9", "10.1", "1.0-beta", "2", "x y", ".hidden", "2.0.0"]
FILE_NAMES = ["index", "search", "changes", "404", "diff", "Install", "install@1.0", "install@9.9",
              "a@b", "new", "x.y", ".h", "welcome@2.0"]
MANUAL_TEXTS = ["theme: ../../x\n", "theme: a/b\n", "base_url: javascript:x\n", "home: nope\n",
                "output: articles\n", "output: ..\n", "title: [\n", "hom: x\n"]


def seed_manuals(folio, workdir):
    seeds = []
    starter = os.path.join(workdir, "seed-starter")
    subprocess.run([folio, "new", starter], check=True, stderr=subprocess.DEVNULL)
    seeds.append(starter)
    basic = os.path.join(ROOT, "tests", "fixtures", "basic")
    if os.path.isdir(basic):
        dst = os.path.join(workdir, "seed-basic")
        shutil.copytree(basic, dst)
        seeds.append(dst)
    return seeds


def files_of(root):
    out = []
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            rel = os.path.relpath(p, root)
            if rel.split(os.sep)[0] in ("articles", "versions") or rel == "manual.yaml":
                out.append(p)
    return sorted(out)


def mutate(root, rng):
    files = files_of(root)
    kind = rng.randrange(10)
    if kind == 0 and files:  # flip bytes
        p = rng.choice(files)
        data = bytearray(open(p, "rb").read())
        for _ in range(rng.randint(1, 8)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        open(p, "wb").write(bytes(data))
    elif kind in (1, 2, 3) and files:  # insert a fragment
        p = rng.choice(files)
        text = open(p, "rb").read().decode("utf-8", "replace")
        at = rng.randint(0, len(text))
        frag = rng.choice(FRAGMENTS) * rng.choice([1, 1, 1, 2, 50])
        open(p, "w", encoding="utf-8", errors="surrogatepass").write(text[:at] + frag + text[at:])
    elif kind == 4 and files:  # delete, duplicate or swap lines
        p = rng.choice(files)
        lines = open(p, "rb").read().split(b"\n")
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        op = rng.randrange(3)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[j])
        else:
            lines[i], lines[j] = lines[j], lines[i]
        open(p, "wb").write(b"\n".join(lines))
    elif kind == 5 and files:  # rename an article
        articles = [f for f in files if f.endswith(".md")]
        if articles:
            p = rng.choice(articles)
            os.replace(p, os.path.join(os.path.dirname(p), rng.choice(FILE_NAMES) + ".md"))
    elif kind == 6 and files:  # copy an article as a revision or a new article
        articles = [f for f in files if f.endswith(".md")]
        if articles:
            p = rng.choice(articles)
            shutil.copy(p, os.path.join(root, "articles", rng.choice(FILE_NAMES) + ".md"))
    elif kind == 7:  # a version file
        name = rng.choice(VERSION_NAMES)
        with open(os.path.join(root, "versions", name + ".yaml"), "w") as f:
            f.write(rng.choice(VERSION_TEXTS))
    elif kind == 8:  # manual.yaml
        with open(os.path.join(root, "manual.yaml"), "a") as f:
            f.write(rng.choice(MANUAL_TEXTS))
    elif files:  # remove a file
        os.remove(rng.choice(files))


def tree_digest(root):
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            st = os.stat(p)
            out[os.path.relpath(p, root)] = (st.st_size, st.st_ino)
    return out


def run(cmd, cwd, timeout):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
        return p.returncode, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "timeout"


def one(i, args, folio, seeds, workdir, built):
    rng = random.Random(f"{args.seed}-{i}")
    seed = rng.randrange(len(seeds))
    root = os.path.join(workdir, f"m{i}")
    shutil.copytree(seeds[seed], root)
    try:
        for _ in range(rng.randint(1, 4)):
            try:
                mutate(root, rng)
            except (OSError, shutil.Error):
                pass  # e.g. a file copied onto itself: this mutation is skipped
        problems = []
        cmds = [[folio, "check", "--quiet"]]
        building = args.build_every and i % args.build_every == 0
        if building:
            site = os.path.join(root, "site-out")
            shutil.copytree(built[seed], site, copy_function=os.link)
            before = tree_digest(site)
            cmds.append([folio, "build", "--quiet", "--out", "site-out"])
        for cmd in cmds:
            code, err = run(cmd, root, args.timeout)
            if code is None:
                problems.append(("hang", cmd, err))
            elif code not in (0, 1, 2) or "panicked" in err:
                problems.append(("panic", cmd, f"exit {code}\n{err}"))
            elif building and cmd[1] == "build" and code != 0 and tree_digest(site) != before:
                problems.append(("damaged", cmd, err))
        if problems:
            dst = os.path.join(args.keep, f"mutant-{args.seed}-{i}")
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(root, dst, symlinks=True)
            with open(os.path.join(dst, "FUZZ-RESULT.txt"), "w") as f:
                for kind, cmd, err in problems:
                    f.write(f"{kind}: {' '.join(cmd[1:])}\n{err}\n")
        return [p[0] for p in problems]
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folio", default=os.path.join(ROOT, "target", "release", "folio"))
    ap.add_argument("--mutants", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--build-every", type=int, default=10)
    ap.add_argument("--keep", default="/tmp/folio-fuzz-failures")
    args = ap.parse_args()
    folio = os.path.abspath(args.folio)
    workdir = tempfile.mkdtemp(prefix="folio-fuzz-")
    counts = {"mutants": 0, "panic": 0, "hang": 0, "damaged": 0}
    lock = threading.Lock()
    try:
        seeds = seed_manuals(folio, workdir)
        built = []
        for s in seeds:
            out = os.path.join(workdir, os.path.basename(s) + "-site")
            subprocess.run([folio, "build", "--quiet", "--root", s, "--out", out], check=True)
            built.append(out)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(one, i, args, folio, seeds, workdir, built) for i in range(args.mutants)]
            for n, fut in enumerate(concurrent.futures.as_completed(futures), 1):
                kinds = fut.result()
                with lock:
                    counts["mutants"] += 1
                    for k in kinds:
                        counts[k] += 1
                if n % 1000 == 0:
                    print(f"{n} mutants: {counts}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"mutants {counts['mutants']}, panics {counts['panic']}, hangs {counts['hang']}, "
          f"damaged previous sites {counts['damaged']}")
    if counts["panic"] or counts["hang"] or counts["damaged"]:
        print(f"failing mutants kept in {args.keep}")
        sys.exit(1)


if __name__ == "__main__":
    main()
