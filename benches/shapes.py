#!/usr/bin/env python3
"""Time and page size against the tree's shape: a chain of N nested articles, N siblings
at the top level, and a parent cycle of N articles.

    python3 benches/shapes.py [--folio target/release/folio] [--sizes 10,100,1000,10000]
                              [--versions 3]

For each size and shape it writes a manual under a temporary folder, runs `folio check`
and `folio build` and prints their wall times, the largest article page and the mean
article page in bytes, and the whole output's size. Every check should grow linearly
(or n log n) with N, and the page sizes should not grow at all (SPEC: a page's size is
independent of the manual's). Python 3 standard library only.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time


def manual(root, shape, n, versions):
    os.makedirs(os.path.join(root, "versions"))
    os.makedirs(os.path.join(root, "articles"))
    for v in range(1, versions + 1):
        open(os.path.join(root, "versions", f"{v}.0.yaml"), "w").close()
    for i in range(n):
        if shape == "chain":
            parent = f"parent: a{i - 1}\n" if i else ""
        elif shape == "cycle":
            parent = f"parent: a{(i - 1) % n}\n"
        else:
            parent = ""
        with open(os.path.join(root, "articles", f"a{i}.md"), "w") as f:
            f.write(f"---\ntitle: Article {i}\n{parent}---\n\nSome text for article {i}.\n")


def timed(cmd, cwd):
    start = time.monotonic()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return time.monotonic() - start, p.returncode, p.stderr


def pages(site):
    sizes = []
    total = 0
    for dirpath, _, files in os.walk(site):
        for name in files:
            size = os.path.getsize(os.path.join(dirpath, name))
            total += size
            if name.startswith("a") and name.endswith(".html") and os.path.basename(dirpath).startswith("v"):
                sizes.append(size)
    return sizes, total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folio", default="target/release/folio")
    ap.add_argument("--sizes", default="10,100,1000,10000")
    ap.add_argument("--versions", type=int, default=3)
    ap.add_argument("--shapes", default="chain,siblings,cycle")
    args = ap.parse_args()
    folio = os.path.abspath(args.folio)
    print(f"{'shape':<9} {'N':>6} {'check s':>8} {'build s':>8} {'max page B':>11} {'mean page B':>12} {'output MB':>10}")
    for shape in args.shapes.split(","):
        for n in [int(s) for s in args.sizes.split(",")]:
            tmp = tempfile.mkdtemp(prefix="folio-shapes-")
            try:
                manual(tmp, shape, n, args.versions)
                t_check, rc, err = timed([folio, "check", "--quiet"], tmp)
                expect = 1 if shape == "cycle" else 0
                if rc != expect:
                    sys.exit(f"{shape} {n}: check exited {rc}:\n{err[-2000:]}")
                if shape == "cycle":
                    print(f"{shape:<9} {n:>6} {t_check:>8.2f} {'-':>8} {'-':>11} {'-':>12} {'-':>10}", flush=True)
                    continue
                t_build, rc, err = timed([folio, "build", "--quiet", "--out", "site"], tmp)
                if rc != 0:
                    sys.exit(f"{shape} {n}: build exited {rc}:\n{err[-2000:]}")
                sizes, total = pages(os.path.join(tmp, "site"))
                print(
                    f"{shape:<9} {n:>6} {t_check:>8.2f} {t_build:>8.2f} {max(sizes):>11} "
                    f"{sum(sizes) // len(sizes):>12} {total / 1e6:>10.1f}",
                    flush=True,
                )
            finally:
                shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
