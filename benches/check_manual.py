#!/usr/bin/env python3
"""Validate a folio source tree, version by version (Python 3.11, stdlib only).

    python3 benches/check_manual.py ROOT [--json] [--quiet]

It reads ROOT the way SPEC.md sections 1-3 describe (manual.yaml, versions/*.yaml,
articles/**/<slug>.md and <slug>@<version>.md) and checks, for every version:

  * every article's applicable revision (revision choice, `since`/`until`,
    `removed: true`) and its only-blocks (`<!-- only A..B -->` ... `<!-- /only -->`);
  * every cross-link `[text](slug.md)` / `[text](slug.md#id)` outside code blocks
    points to an article that exists in that version, and the `#id` is an explicit
    heading id (`## Title {#id}`) of the target's text in that version;
  * every `parent` exists in that version, the tree has no cycles, depth <= 5;
  * slugs are unique, aliases clash with no slug or other alias, `home` exists;
  * front matter is valid YAML (cross-checked with PyYAML when it is installed).

Only explicit heading ids are known to this checker (auto ids from heading text
are not computed), which is all gen_manual.py emits.

Exit status 0 when the tree is valid, 1 when it is not. `--json` prints the
statistics (pages per version, links, revisions, ...) as JSON on stdout.

gen_manual.py imports load() and view() from here to write the Hugo sites, so the
Hugo content is derived from the very files folio reads.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field

MAX_DEPTH = 5

ONLY_OPEN = re.compile(r"^\s*<!--\s*only\s+([0-9][0-9.]*)?\s*\.\.\s*([0-9][0-9.]*)?\s*-->\s*$")
ONLY_CLOSE = re.compile(r"^\s*<!--\s*/only\s*-->\s*$")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
HEADING_ID = re.compile(r"^#{1,6}\s+.*?\{#([A-Za-z0-9_:.-]+)\}\s*$")
LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]+)\)")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def vkey(name: str) -> tuple[int, ...]:
    """Numeric order of a dotted version name (9.1 < 13.1 < 13.10)."""
    return tuple(int(p) for p in name.split("."))


# --------------------------------------------------------------------------- YAML

def _scalar(s: str):
    s = s.strip()
    if s == "":
        return None
    if s[0] == '"':
        return json.loads(s)  # gen_manual writes JSON-compatible double-quoted strings
    if s[0] == "'":
        return s[1:-1].replace("''", "'")
    if s in ("true", "True"):
        return True
    if s in ("false", "False"):
        return False
    if s in ("null", "~"):
        return None
    if re.fullmatch(r"-?[0-9]+", s):
        return int(s)
    return s


def _split_flow(s: str) -> list[str]:
    items, cur, quote = [], "", None
    for ch in s:
        if quote:
            cur += ch
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
            cur += ch
        elif ch == ",":
            items.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        items.append(cur)
    return items


def parse_yaml(text: str, where: str) -> dict:
    """The flat YAML subset folio sources use: `key: scalar` and `key: [a, b]`."""
    out: dict = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):(?:\s+(.*))?$", line)
        if not m:
            raise ValueError(f"{where}:{n}: not a 'key: value' line: {line!r}")
        key, val = m.group(1), (m.group(2) or "").strip()
        if key in out:
            raise ValueError(f"{where}:{n}: duplicate key {key!r}")
        if val.startswith("["):
            if not val.endswith("]"):
                raise ValueError(f"{where}:{n}: unterminated flow list")
            out[key] = [_scalar(x) for x in _split_flow(val[1:-1])]
        else:
            out[key] = _scalar(val)
    return out


try:  # optional cross-check: the project itself parses with a real YAML parser
    import yaml as _pyyaml  # type: ignore
except Exception:  # pragma: no cover
    _pyyaml = None


def load_yaml(text: str, where: str, errors: list[str]) -> dict:
    try:
        data = parse_yaml(text, where)
    except ValueError as e:
        errors.append(str(e))
        return {}
    if _pyyaml is not None:
        try:
            real = _pyyaml.safe_load(text) or {}
        except Exception as e:  # noqa: BLE001
            errors.append(f"{where}: invalid YAML: {e}")
            return data
        norm = {k: (str(v) if isinstance(v, (float, int)) and k in ("since", "until") else v)
                for k, v in real.items()}
        mine = {k: v for k, v in data.items()}
        if norm != mine and {k: str(v) for k, v in norm.items()} != {k: str(v) for k, v in mine.items()}:
            errors.append(f"{where}: front matter parses differently with PyYAML: {real!r} vs {data!r}")
    return data


def split_front_matter(text: str, where: str, errors: list[str]) -> tuple[dict, str, int]:
    """Returns (front matter, body, line number of the body's first line)."""
    if not text.startswith("---\n"):
        errors.append(f"{where}:1: no front matter")
        return {}, text, 1
    end = text.find("\n---\n", 3)
    if end < 0:
        errors.append(f"{where}:1: unterminated front matter")
        return {}, text, 1
    fm = text[4:end + 1]
    body = text[end + 5:]
    return load_yaml(fm, where, errors), body, fm.count("\n") + 3


# ------------------------------------------------------------------------ model

@dataclass
class SourceFile:
    path: str            # relative to root, with '/'
    fm: dict
    body: str
    body_line: int       # 1-based line of the body's first line in the file


@dataclass
class Article:
    slug: str
    base: SourceFile | None = None
    revs: list[tuple[int, SourceFile]] = field(default_factory=list)  # (version index, file)
    since: int = 0
    until: int = 0       # inclusive version index (before removal revisions)
    aliases: list[str] = field(default_factory=list)


@dataclass
class Manual:
    root: str
    settings: dict
    names: list[str]                 # version names, ordered
    versions: list[dict]
    articles: dict[str, Article]
    errors: list[str]


def load(root: str) -> Manual:
    errors: list[str] = []
    settings: dict = {}
    p = os.path.join(root, "manual.yaml")
    if os.path.exists(p):
        with open(p, encoding="utf-8") as f:
            settings = load_yaml(f.read(), "manual.yaml", errors)

    vdir = os.path.join(root, "versions")
    vers = []
    for fn in sorted(os.listdir(vdir)):
        if not fn.endswith(".yaml"):
            continue
        name = fn[:-5]
        with open(os.path.join(vdir, fn), encoding="utf-8") as f:
            data = load_yaml(f.read(), f"versions/{fn}", errors)
        if data.get("url"):
            continue  # external version: menu only, never built
        data.setdefault("label", f"v{name}")
        data.setdefault("path", f"v{name}")
        vers.append((vkey(name), name, data))
    vers.sort()
    names = [n for _, n, _ in vers]
    index = {n: i for i, n in enumerate(names)}
    paths = [d["path"] for _, _, d in vers]
    if len(set(paths)) != len(paths):
        errors.append("versions: two versions share an output path")

    arts: dict[str, Article] = {}
    adir = os.path.join(root, "articles")
    for dirpath, dirnames, filenames in os.walk(adir):
        dirnames.sort()
        for fn in sorted(filenames):
            if not fn.endswith(".md"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, fn), root).replace(os.sep, "/")
            stem = fn[:-3]
            slug, _, ver = stem.partition("@")
            with open(os.path.join(dirpath, fn), encoding="utf-8") as f:
                text = f.read()
            fm, body, bl = split_front_matter(text, rel, errors)
            if not isinstance(fm.get("title"), str) or not fm.get("title"):
                errors.append(f"{rel}:2: missing title")
            sf = SourceFile(rel, fm, body, bl)
            a = arts.setdefault(slug, Article(slug))
            if ver:
                if ver not in index:
                    errors.append(f"{rel}: revision for unknown version {ver}")
                    continue
                a.revs.append((index[ver], sf))
            else:
                if a.base is not None:
                    errors.append(f"{rel}: duplicate slug '{slug}' (also {a.base.path})")
                    continue
                a.base = sf
    last = len(names) - 1
    for slug, a in sorted(arts.items()):
        a.revs.sort(key=lambda r: r[0])
        if a.base is None:
            errors.append(f"{a.revs[0][1].path}: revision without base file {slug}.md")
            continue
        # since/until/aliases belong to the article: every file that states them must agree
        for key in ("since", "until", "aliases"):
            vals = {json.dumps(f.fm[key]) for f in [a.base] + [r[1] for r in a.revs] if key in f.fm}
            if len(vals) > 1:
                errors.append(f"{a.base.path}: '{key}' disagrees between files: {sorted(vals)}")
        def article_key(key):
            for f in [a.base] + [r[1] for r in a.revs]:
                if key in f.fm:
                    return f.fm[key]
            return None
        s, u = article_key("since"), article_key("until")
        a.since = index.get(str(s), -1) if s is not None else 0
        a.until = index.get(str(u), -1) if u is not None else last
        if a.since < 0 or a.until < 0:
            errors.append(f"{a.base.path}: since/until names an unknown version")
            a.since, a.until = max(a.since, 0), (a.until if a.until >= 0 else last)
        a.aliases = list(article_key("aliases") or [])
        for vi, f in a.revs:
            if vi <= a.since:
                errors.append(f"{f.path}: revision at or before the article's first version")
    seen: dict[str, str] = {}
    for slug, a in sorted(arts.items()):
        for al in a.aliases:
            if al in arts:
                errors.append(f"{a.base.path if a.base else slug}: alias '{al}' is also a slug")
            if al in seen:
                errors.append(f"{slug}: alias '{al}' also claimed by {seen[al]}")
            seen[al] = slug
    m = Manual(root, settings, names, [d for _, _, d in vers], arts, errors)
    home = settings.get("home")
    if home and home not in arts:
        errors.append(f"manual.yaml: home '{home}' is not an article")
    return m


def in_range(vi: int, lo: str | None, hi: str | None, names: list[str]) -> bool:
    k = vkey(names[vi])
    return (not lo or vkey(lo) <= k) and (not hi or k <= vkey(hi))


def apply_only(body: str, vi: int, names: list[str], where: str = "", line0: int = 1,
               errors: list[str] | None = None) -> tuple[str, list[int]]:
    """Resolves only-blocks for version index vi. Returns (text, source line of each kept line)."""
    out, src = [], []
    stack: list[bool] = []
    fence: str | None = None
    for n, line in enumerate(body.split("\n")):
        if fence is None:
            m = FENCE.match(line)
            if m:
                fence = m.group(1)
            else:
                mo = ONLY_OPEN.match(line)
                if mo and not (mo.group(1) or mo.group(2)) and errors is not None:
                    errors.append(f"{where}:{line0 + n}: only-block range '..' names no version")
                if mo:
                    stack.append(in_range(vi, mo.group(1), mo.group(2), names))
                    continue
                if ONLY_CLOSE.match(line):
                    if not stack and errors is not None:
                        errors.append(f"{where}:{line0 + n}: '<!-- /only -->' without an open block")
                    if stack:
                        stack.pop()
                    continue
        else:
            m = FENCE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and line.strip() == m.group(1):
                fence = None
        if all(stack):
            out.append(line)
            src.append(line0 + n)
    if stack and errors is not None:
        errors.append(f"{where}: {len(stack)} only-block(s) not closed")
    return "\n".join(out), src


def scan(text: str) -> tuple[list[str], list[tuple[int, str, str | None]]]:
    """Explicit heading ids and cross-links (line index, slug, anchor) outside code blocks."""
    ids, links = [], []
    fence = None
    for n, line in enumerate(text.split("\n")):
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            continue
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and line.strip() == m.group(1):
                fence = None
            continue
        h = HEADING_ID.match(line)
        if h:
            ids.append(h.group(1))
        for lm in LINK.finditer(line):
            target = lm.group(2)
            if EXTERNAL.match(target) or target.startswith("#"):
                continue
            path, _, anchor = target.partition("#")
            if not path.endswith(".md"):
                continue
            slug = path.rsplit("/", 1)[-1][:-3]
            links.append((n, slug, anchor or None))
    return ids, links


@dataclass
class Page:
    slug: str
    file: SourceFile
    title: str
    parent: str | None
    order: int
    keywords: list
    aliases: list[str]
    text: str            # body after only-blocks
    lines: list[int]     # source line of each line of text


def view(m: Manual, vi: int, errors: list[str] | None = None) -> dict[str, Page]:
    """Every article present in version vi, with the revision that applies there."""
    pages: dict[str, Page] = {}
    for slug, a in sorted(m.articles.items()):
        if a.base is None or not (a.since <= vi <= a.until):
            continue
        f = a.base
        for rvi, rf in a.revs:
            if rvi <= vi:
                f = rf
        if f.fm.get("removed") is True:
            continue
        # a removal revision before vi also ends the article
        if any(rf.fm.get("removed") is True and rvi <= vi for rvi, rf in a.revs):
            continue
        text, lines = apply_only(f.body, vi, m.names, f.path, f.body_line, errors)
        pages[slug] = Page(slug, f, str(f.fm.get("title", slug)), f.fm.get("parent"),
                           int(f.fm.get("order", 0) or 0), list(f.fm.get("keywords") or []),
                           a.aliases, text, lines)
    return pages


def depth_of(pages: dict[str, Page], slug: str) -> int:
    d, seen, cur = 0, set(), slug
    while cur is not None and cur in pages and cur not in seen:
        seen.add(cur)
        d += 1
        cur = pages[cur].parent
    return d


WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|[0-9]+(?:\.[0-9]+)*")


def check(m: Manual) -> dict:
    errors = m.errors
    names = m.names
    stats: dict = {"versions": len(names), "articles": len(m.articles), "per_version": []}
    all_links = 0
    seen_view_errors: set[str] = set()
    for vi, name in enumerate(names):
        view_errors: list[str] = []
        pages = view(m, vi, view_errors)
        # only-block structure errors do not depend on the version: report each once
        errors.extend(e for e in view_errors if e not in seen_view_errors)
        seen_view_errors.update(view_errors)
        ids = {}
        for slug, p in pages.items():
            ids[slug] = set(scan(p.text)[0])
        nlinks = nanchors = 0
        maxd = 0
        words = []
        for slug, p in pages.items():
            where = p.file.path
            if len(ids[slug]) != len(scan(p.text)[0]):
                errors.append(f"{where} (v{name}): duplicate heading id")
            _, links = scan(p.text)
            for ln, target, anchor in links:
                nlinks += 1
                line = p.lines[ln] if ln < len(p.lines) else "?"
                if target not in pages:
                    a = m.articles.get(target)
                    info = "no such article" if a is None else "not in this version"
                    errors.append(f"{where}:{line} (v{name}): link target '{target}' {info}")
                    continue
                if anchor is not None:
                    nanchors += 1
                    if anchor not in ids[target]:
                        errors.append(f"{where}:{line} (v{name}): '{target}#{anchor}': no such heading id in this version")
            if p.parent is not None and p.parent not in pages:
                errors.append(f"{where} (v{name}): parent '{p.parent}' not in this version")
            # cycle check
            seen, cur = set(), slug
            while cur is not None and cur in pages:
                if cur in seen:
                    errors.append(f"{where} (v{name}): parent cycle through '{cur}'")
                    break
                seen.add(cur)
                cur = pages[cur].parent
            d = depth_of(pages, slug)
            maxd = max(maxd, d)
            if d > MAX_DEPTH:
                errors.append(f"{where} (v{name}): tree depth {d} > {MAX_DEPTH}")
            words.append(len(WORD.findall(p.text)))
        home = m.settings.get("home")
        if home and home not in pages:
            errors.append(f"manual.yaml (v{name}): home '{home}' not in this version")
        all_links += nlinks
        words.sort()
        stats["per_version"].append({
            "version": name, "path": m.versions[vi]["path"], "pages": len(pages),
            "links": nlinks, "anchor_links": nanchors, "max_depth": maxd,
            "words_min": words[0] if words else 0,
            "words_median": words[len(words) // 2] if words else 0,
            "words_max": words[-1] if words else 0,
            "words_total": sum(words),
        })
    revs = sum(1 for a in m.articles.values() for _, f in a.revs if f.fm.get("removed") is not True)
    stats["revisions"] = revs
    stats["removal_revisions"] = sum(1 for a in m.articles.values() for _, f in a.revs if f.fm.get("removed") is True)
    stats["with_until"] = sum(1 for a in m.articles.values() if a.until < len(names) - 1)
    stats["with_since"] = sum(1 for a in m.articles.values() if a.since > 0)
    stats["renamed"] = sum(1 for a in m.articles.values() if a.aliases)
    stats["aliases"] = sum(len(a.aliases) for a in m.articles.values())
    stats["source_files"] = sum(1 + len(a.revs) for a in m.articles.values())
    stats["pages_total"] = sum(v["pages"] for v in stats["per_version"])
    stats["links_total"] = all_links
    stats["errors"] = len(errors)
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root")
    ap.add_argument("--json", action="store_true", help="print statistics as JSON")
    ap.add_argument("--quiet", action="store_true", help="print only errors")
    args = ap.parse_args(argv)
    m = load(args.root)
    stats = check(m)
    for e in m.errors[:200]:
        print(e, file=sys.stderr)
    if len(m.errors) > 200:
        print(f"... {len(m.errors) - 200} more", file=sys.stderr)
    if args.json:
        print(json.dumps(stats, indent=1))
    elif not args.quiet:
        pv = stats["per_version"]
        print(f"{stats['versions']} versions, {stats['articles']} articles, "
              f"{stats['source_files']} source files, {stats['revisions']} revisions, "
              f"{stats['removal_revisions']} removal revisions, {stats['with_until']} with until, "
              f"{stats['with_since']} with since, {stats['renamed']} renamed")
        print(f"pages per version {pv[0]['pages']}..{pv[-1]['pages']} (total {stats['pages_total']}), "
              f"links per version {pv[0]['links']}..{pv[-1]['links']} (total {stats['links_total']}), "
              f"max depth {max(v['max_depth'] for v in pv)}")
    print(f"{len(m.errors)} error(s)", file=sys.stderr)
    return 1 if m.errors else 0


if __name__ == "__main__":
    sys.exit(main())
