#!/usr/bin/env python3
"""Output bytes per article page: folio against Hugo, for the same version.

    python3 benches/page_bytes.py FOLIO_DIR HUGO_DIR [--breakdown] [--worst N]

FOLIO_DIR is one version folder of a folio build (e.g. /tmp/bytes-o/v172), HUGO_DIR
Hugo's output for the same version (benches/README.md says how to make both). Pages
are compared over the `<slug>.html` files both folders have at their top level that
are article pages in both: redirect pages (the old names of renamed articles, a
`<meta http-equiv="refresh">` in either folder) are left out, and so are the version's
other pages (NOT_ARTICLES: `index.html` is the home article in folio and a list of the
top level in Hugo; `changes.html` differs too). Prints the number of pages compared,
total and mean bytes for each tool, the ratio folio/Hugo of the totals and the median
of the per-page ratios.

--breakdown adds the mean bytes of the parts of folio's pages (PARTS below: head, top
bar, version menu, tree, ...), each part without the parts nested inside it; "other"
is what no part covers (body tag, skip link, layout wrappers, page title, closing
tags). Beside each part it prints the mean bytes of the same part of Hugo's page
(HUGO_PARTS: gen_manual.py's layout makes the same page, with the siblings standing
against folio's static tree). The totals of the parts both pages have give a second
ratio, folio/Hugo over the same parts; parts only folio's page has, if any, are listed
after it.
--worst N lists the N pages with the highest folio/Hugo ratio.

Python 3 standard library only.
"""

import argparse
import os
import re
import statistics
import sys

# Parts of a folio page, by the start tag that opens them (the first match in the
# page). "head" is special: everything before `<body`. The element's end is found by
# counting nested start and end tags of the same name, so these must be elements whose
# end tag is never omitted.
PARTS = [
    ("head", None),
    ("top bar", r"<header\b"),
    ("version menu", r"<details\b"),
    ("banner", r"<div\b[^>]*\brole=\"note\""),
    ("tree", r"<nav\b[^>]*\bid=\"tree\""),
    ("breadcrumb", r"<nav\b[^>]*\baria-label=\"Breadcrumb\""),
    ("article body", r"<article\b"),
    ("children", r"<section\b[^>]*\bclass=\"[^\"]*\bchildren"),
    ("on this page", r"<aside\b"),
    ("history", r"<section\b[^>]*>\s*<h2>Changed in\b"),
    ("prev/next", r"<nav\b[^>]*\baria-label=\"Previous and next\""),
    ("footer", r"<footer\b"),
]


# The parts of a page of gen_manual.py's Hugo layout, named as in PARTS. The article
# body is `<main>` without its `<h1>` and the children's list.
HUGO_PARTS = [
    ("head", None),
    ("top bar", r"<header\b"),
    ("version menu", r"<details\b[^>]*\bclass=\"versions"),
    ("banner", r"<div\b[^>]*\bclass=\"banner"),
    ("tree", r"<nav\b[^>]*\bclass=\"siblings"),
    ("breadcrumb", r"<nav\b[^>]*\bclass=\"breadcrumb"),
    ("article body", r"<main\b"),
    ("page title", r"<h1\b"),
    ("children", r"<ul\b[^>]*\bclass=\"children"),
    ("history", r"<section\b[^>]*\bclass=\"history"),
    ("prev/next", r"<nav\b[^>]*\bclass=\"prev-next"),
    ("footer", r"<footer\b"),
]


def element_span(html, start_re):
    """(start, end) byte offsets of the first element whose start tag matches, or None."""
    m = re.search(start_re.encode(), html)
    if not m:
        return None
    tag = re.match(rb"<([a-zA-Z0-9]+)", m.group(0)).group(1).lower()
    # past the start tag's own `>`
    pos = html.index(b">", m.start()) + 1
    depth = 1
    tags = re.compile(rb"<(/?)" + tag + rb"\b[^>]*>", re.I)
    while depth:
        t = tags.search(html, pos)
        if not t:
            return (m.start(), len(html))
        depth += -1 if t.group(1) else 1
        pos = t.end()
    return (m.start(), pos)


def breakdown(data, parts=PARTS):
    """Part name -> bytes in one page (bytes of nested parts go to the inner part)."""
    spans = {}
    body = data.find(b"<body")
    spans["head"] = (0, max(body, 0))
    for name, start_re in parts:
        if start_re is None:
            continue
        s = element_span(data, start_re)
        if s:
            spans[name] = s
    out = {}
    for name, (a, b) in spans.items():
        inner = sum(
            d - c
            for other, (c, d) in spans.items()
            if other != name and inside((c, d), (a, b)) and not nested_in_other(other, name, spans)
        )
        out[name] = (b - a) - inner
    out["other"] = len(data) - sum(out.values())
    return out


def inside(inner, outer):
    """Whether span `inner` lies within span `outer` (and is not the same span)."""
    return outer[0] <= inner[0] and inner[1] <= outer[1] and inner != outer


def nested_in_other(inner, outer, spans):
    """Whether part `inner` sits in another part that itself sits in `outer`: its
    bytes are taken out of that middle part, not out of `outer`."""
    return any(
        mid not in (inner, outer) and inside(span, spans[outer]) and inside(spans[inner], span)
        for mid, span in spans.items()
    )


# Pages of a version that are not article pages (the home is a different page in each).
NOT_ARTICLES = {"index.html", "changes.html", "search.html", "404.html"}


def pages(folder):
    return {
        n
        for n in os.listdir(folder)
        if n.endswith(".html") and n not in NOT_ARTICLES and os.path.isfile(os.path.join(folder, n))
    }


REDIRECT = re.compile(rb"<meta\s+http-equiv=\"?refresh", re.I)


def is_redirect(data):
    return REDIRECT.search(data[:2048]) is not None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folio_dir", help="a version folder of folio's output, e.g. /tmp/bytes-o/v172")
    ap.add_argument("hugo_dir", help="Hugo's output for the same version, e.g. /tmp/h172")
    ap.add_argument("--breakdown", action="store_true", help="mean bytes of the parts of folio's pages")
    ap.add_argument("--worst", type=int, default=0, metavar="N", help="list the N pages with the highest ratio")
    args = ap.parse_args()

    names = sorted(pages(args.folio_dir) & pages(args.hugo_dir))
    if not names:
        sys.exit(f"no page is in both {args.folio_dir} and {args.hugo_dir}")
    sizes = []
    parts = {}
    hugo_parts = {}
    redirects = 0
    for n in names:
        with open(os.path.join(args.folio_dir, n), "rb") as f:
            data = f.read()
        with open(os.path.join(args.hugo_dir, n), "rb") as f:
            hugo = f.read()
        if is_redirect(data) or is_redirect(hugo):
            redirects += 1
            continue
        sizes.append((n, len(data), len(hugo)))
        if args.breakdown:
            for part, b in breakdown(data).items():
                parts[part] = parts.get(part, 0) + b
            for part, b in breakdown(hugo, HUGO_PARTS).items():
                hugo_parts[part] = hugo_parts.get(part, 0) + b

    count = len(sizes)
    folio_total = sum(s[1] for s in sizes)
    hugo_total = sum(s[2] for s in sizes)
    ratios = [f / h for _, f, h in sizes if h]
    print(f"pages compared: {count} ({args.folio_dir} vs {args.hugo_dir})")
    print(f"left out: {', '.join(sorted(NOT_ARTICLES))}, {redirects} redirect pages")
    print(f"{'':8}{'total bytes':>14}{'mean bytes':>12}")
    print(f"{'folio':8}{folio_total:>14,}{folio_total / count:>12,.0f}")
    print(f"{'Hugo':8}{hugo_total:>14,}{hugo_total / count:>12,.0f}")
    print(f"ratio folio/Hugo of the totals: {folio_total / hugo_total:.3f}")
    print(f"median per-page ratio:          {statistics.median(ratios):.3f}")

    if args.breakdown:
        print()
        print(f"page parts, mean bytes per page (folio {folio_total / count:,.0f}, Hugo {hugo_total / count:,.0f}):")
        print(f"  {'':14}{'folio':>8}  {'share':>6}{'Hugo':>8}")
        # Hugo's page title is counted in "other", as folio's is.
        hugo_parts["other"] = hugo_parts.get("other", 0) + hugo_parts.pop("page title", 0)
        hugo_names = {p for p, _ in HUGO_PARTS}
        order = [p for p, _ in PARTS] + ["other"]
        same_folio = same_hugo = 0
        for p in order:
            total = parts.get(p, 0)
            line = f"  {p:14}{total / count:>8,.0f}  {100 * total / folio_total:5.1f}%"
            if p in hugo_names:
                line += f"{hugo_parts.get(p, 0) / count:>8,.0f}"
                same_folio += total
                same_hugo += hugo_parts.get(p, 0)
            elif p == "other":
                line += f"{hugo_parts.get(p, 0) / count:>8,.0f}"
            else:
                line += f"{'-':>8}"
            print(line)
        only = [p for p in order if p not in hugo_names and p != "other" and parts.get(p)]
        print(f"parts both pages have ({', '.join(p for p in order if p in hugo_names)}):")
        print(f"  folio {same_folio / count:,.0f}, Hugo {same_hugo / count:,.0f} mean bytes;"
              f" ratio folio/Hugo {same_folio / same_hugo:.3f}")
        if only:
            print(f"parts only folio's page has ({', '.join(only)}):"
                  f" {sum(parts[p] for p in only) / count:,.0f} mean bytes")

    if args.worst:
        print()
        print(f"highest folio/Hugo ratios:")
        for n, f, h in sorted(sizes, key=lambda s: (-s[1] / s[2], s[0]))[: args.worst]:
            print(f"  {n:40}{f:>8,}{h:>8,}  {f / h:.3f}")


if __name__ == "__main__":
    main()
