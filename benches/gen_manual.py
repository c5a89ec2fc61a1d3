#!/usr/bin/env python3
"""Deterministic generator of a realistic versioned manual for benchmarking folio.

    python3 benches/gen_manual.py OUT [--articles 2000] [--versions 30] [--seed 1]
                                      [--hugo HUGO_OUT] [--mdbook MDBOOK_OUT]
                                      [--stats FILE] [--force]

Python 3.11 standard library only; the same arguments give byte-identical files.

OUT receives a folio source tree (SPEC.md sections 1-3):

    manual.yaml                          title, home
    versions/<name>.yaml                 10.1, 10.2, ... (4 minors per major), label/path/status
    articles/<top>/<sub>/<slug>.md       title, parent, order, [since, until, aliases, keywords]
    articles/<top>/<sub>/<slug>@<v>.md   revisions: retitle, move (new parent), removed: true

What the manual looks like (numbers for the defaults):
  * --articles distinct articles ever written (slugs), in a nav tree of depth 5 via
    `parent`; ~8% are added in a later version (`since`), ~6% of leaves are removed
    (half by `until`, half by a `removed: true` revision), ~2% are renamed (new slug,
    `aliases: [old]`; the article is published under its current slug in every version).
  * Each version after the first revises ~3% of the articles that exist in it; a
    revision rewrites some paragraphs and may retitle the article (25%), move it to
    another parent (12% of leaf revisions), add or drop a section.
  * Bodies: 300-1,500 words of Zipf-distributed pseudo-English (~20k words) with product
    terms, 2-8 `##`/`###` headings with explicit ids `{#h-N}`, lists, a fenced code block
    now and then, a table sometimes, 3-10 cross-links `[text](slug.md)` or
    `[text](slug.md#h-1)`, and only-blocks `<!-- only A..B -->` (open ends, nesting).
  * Every link resolves in every version in which its text applies: a plain link only
    targets articles that exist throughout the linking revision's range, a link to an
    article with a shorter life sits in an only-block restricted to that life, and
    anchors only name `h-1`/`h-2`, which every revision of every article keeps. Parents
    are never removed and only leaves move, so the tree is valid in every version.
    `benches/check_manual.py OUT` verifies all of this from the files.

With --hugo HUGO_OUT, the same content is resolved per version (revision chosen,
only-blocks applied, links rewritten to `slug.html`) into one Hugo site per version,
HUGO_OUT/<version path>/, built with `hugo -s HUGO_OUT/<path>`. Articles with children
become sections (`<slug>/_index.md`) so that Hugo computes the breadcrumb and sibling nav
itself; every page sets `url: /<slug>.html`, so both tools write flat `<slug>.html`
pages. The layout makes the same article page as folio's default theme (see HUGO_BASE).

With --mdbook MDBOOK_OUT, the same resolved content becomes one mdBook per version
(SUMMARY.md holds the nav tree; print.html is disabled; aliases become redirects).

--stats FILE writes check_manual.py's statistics (pages per version, links, ...) as JSON.
"""
from __future__ import annotations

import argparse
import bisect
import copy
import hashlib
import json
import os
import random
import shutil
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_manual  # noqa: E402  (same folder; stdlib only)

MAX_DEPTH = 5

# ---------------------------------------------------------------- vocabulary

COMMON = (
    "the of and to a in is that for it as with on be this by are or from at an can "
    "not you will if when your each all which one more use then only has have was "
    "there other new into also must set up any these may but select click enter list "
    "window field button option patient appointment claim report date time name user "
    "setting account fee payment provider insurance procedure note chart clinic office "
    "screen default value entry check box tab menu file data type status form open "
    "save close add edit delete change show create display see below above following "
    "first next last same each both before after until multiple single"
).split()

PRODUCT_TERMS = [
    "eConnector", "X-Charge", "OpenDentImages", "13.1", "eServices", "Web Sched",
    "PayConnect", "eClipboard", "Chart Module", "Account Module", "Appointment Edit",
    "Family Module", "Treatment Plan", "Setup > Preferences", "Manage Module", "MySQL",
    "Patient Portal", "eRx", "Mobile Web", "Dental Intel", "ProcCode", "CDT",
]

ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
          "w", "z", "br", "cl", "cr", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr", "ch", ""]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"]
CODAS = ["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck", "x", "rt"]


def build_vocab(rng: random.Random, size: int = 20000) -> tuple[list[str], list[float]]:
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        n = rng.choice((1, 2, 2, 2, 3, 3, 4))
        w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(n))
        if 2 <= len(w) <= 14 and w not in seen:
            seen.add(w)
            words.append(w)
    # shorter generated words get the more frequent ranks, like English
    head, tail = words[:len(COMMON)], words[len(COMMON):]
    tail.sort(key=lambda w: (len(w) + rng.random() * 6))
    words = head + tail
    cum, tot = [], 0.0
    for r in range(1, len(words) + 1):
        tot += 1.0 / (r ** 1.07)  # Zipf
        cum.append(tot)
    return words, cum


# ---------------------------------------------------------------- model

@dataclass
class Link:
    target: int          # article index
    anchor: str | None
    text: str


@dataclass
class Rev:
    vi: int
    title: str
    parent: int | None
    order: int
    keywords: list[str]
    removed: bool = False
    kind: str = "base"   # base | edit | retitle | move | removed
    sections: list = field(default_factory=list)   # [level, text, id, blocks]; level 0 = intro


@dataclass
class Art:
    idx: int
    slug: str
    depth: int
    parent: int | None
    title0: str = ""
    folder: str = ""
    aliases: list[str] = field(default_factory=list)
    children: list[int] = field(default_factory=list)
    since: int = 0
    end: int = 0         # last version index in which it exists
    removal: str | None = None   # None | "until" | "rev"
    order: int = 10
    top: int = 0         # index of the top-level ancestor
    revs: list[Rev] = field(default_factory=list)


class Gen:
    def __init__(self, n_articles: int, n_versions: int, seed: int):
        self.n = n_articles
        self.nv = n_versions
        self.rng = random.Random(f"folio-bench-{seed}")
        self.words, self.cum = build_vocab(random.Random(f"folio-vocab-{seed}"))
        self.names = [f"{10 + i // 4}.{1 + i % 4}" for i in range(n_versions)]
        self.arts: list[Art] = []
        self.counts = {"retitle": 0, "move": 0, "edit": 0, "removed_rev": 0, "until": 0,
                       "since": 0, "renamed": 0, "only_blocks": 0, "code_blocks": 0, "tables": 0}

    # ---- text
    def w(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)

    def title_words(self, k: int) -> str:
        ws = [x for x in self.w(k * 3) if len(x) > 3][:k] or self.w(k)
        t = " ".join(x.capitalize() for x in ws)
        if self.rng.random() < 0.15:
            t = f"{self.rng.choice(PRODUCT_TERMS)} {t}"
        return t

    def sentence(self) -> str:
        r = self.rng
        ws = self.w(r.randint(6, 20))
        if r.random() < 0.25:
            ws.insert(r.randrange(len(ws)), r.choice(PRODUCT_TERMS))
        i = r.randrange(len(ws))
        roll = r.random()
        if roll < 0.08:
            ws[i] = f"**{ws[i]}**"
        elif roll < 0.12:
            ws[i] = f"*{ws[i]}*"
        elif roll < 0.15:
            ws[i] = f"`{ws[i]}`"
        s = " ".join(ws)
        return s[0].upper() + s[1:] + ("?" if r.random() < 0.03 else ".")

    def paragraph(self, words: int) -> list:
        out, n = [], 0
        while n < words:
            s = self.sentence()
            n += s.count(" ") + 1
            out.append(s)
        return out

    def code_block(self) -> tuple:
        r = self.rng
        kind = r.choice(("sql", "text", "console", "ini"))
        if kind == "sql":
            a, b, c = (x.capitalize() for x in self.w(3))
            body = (f"SELECT PatNum, LName, FName, {a}Num\nFROM patient\n"
                    f"WHERE {b} = 'x' AND DateTStamp > '2023-01-01'\nORDER BY {c};")
        elif kind == "console":
            body = "\n".join(f"C:\\Program Files\\Open Dental> {' '.join(self.w(3))}" for _ in range(r.randint(1, 4)))
        elif kind == "ini":
            body = "\n".join(f"{x.capitalize()}={r.randint(0, 9999)}" for x in self.w(r.randint(3, 7)))
        else:
            body = "\n".join(" ".join(self.w(r.randint(3, 9))) for _ in range(r.randint(2, 6)))
        self.counts["code_blocks"] += 1
        return ("code", "" if kind == "text" else kind, body)

    def table(self) -> tuple:
        r = self.rng
        cols = r.randint(2, 4)
        head = [x.capitalize() for x in self.w(cols)]
        rows = [[" ".join(self.w(r.randint(1, 5))) for _ in range(cols)] for _ in range(r.randint(3, 7))]
        self.counts["tables"] += 1
        return ("table", head, rows)

    def section_blocks(self, words: int) -> list:
        r = self.rng
        blocks = []
        n = 0
        while n < words:
            roll = r.random()
            if roll < 0.12:
                items = [" ".join(self.w(r.randint(3, 12))) for _ in range(r.randint(2, 6))]
                blocks.append(("ol" if r.random() < 0.5 else "ul", items))
                n += sum(i.count(" ") + 1 for i in items)
            else:
                k = min(words - n, r.randint(30, 110))
                p = self.paragraph(max(k, 8))
                blocks.append(("p", p))
                n += sum(s.count(" ") + 1 for s in p if isinstance(s, str))
        return blocks

    # ---- structure
    def build_tree(self):
        r = self.rng
        n_top = max(6, min(20, self.n // 150))
        # names folio or Hugo use for their own pages never become slugs
        used: set[str] = {"manualhome", "index", "search", "changes", "versions", "assets", "static", "nav", "sitemap"}

        def new_title_slug() -> tuple[str, str]:
            # slugs come from titles, as in the seed manual ("eConnector Setup" -> econnectorsetup)
            while True:
                t = self.title_words(r.choice((1, 2, 2, 3, 4)))
                s = "".join(ch for ch in t.lower() if ch.isalnum())[:30]
                if len(s) >= 4 and s not in used:
                    used.add(s)
                    return t, s

        def new_slug() -> str:
            return new_title_slug()[1]

        by_depth: dict[int, list[int]] = {d: [] for d in range(1, MAX_DEPTH + 1)}
        depth_w = {2: 0.16, 3: 0.34, 4: 0.32, 5: 0.18}
        for i in range(self.n):
            if i < n_top:
                d, parent = 1, None
            else:
                d = r.choices(list(depth_w), weights=list(depth_w.values()))[0]
                while not by_depth[d - 1]:
                    d -= 1
                # preferential: recent nodes of that depth get more children (clusters)
                pool = by_depth[d - 1]
                parent = pool[min(len(pool) - 1, int(len(pool) * (r.random() ** 0.7)))]
            title, slug = ("Manual Home", "manualhome") if i == 0 else new_title_slug()
            a = Art(i, slug, d, parent, title0=title)
            self.arts.append(a)
            by_depth[d].append(i)
            if parent is not None:
                p = self.arts[parent]
                p.children.append(i)
                a.order = 10 * len(p.children)
                a.top = p.top
            else:
                a.order = 10 * (i + 1)
                a.top = i
        self.home = 0
        # folders: articles/<top>/<depth-2 ancestor>/slug.md
        for a in self.arts:
            chain = []
            cur = a
            while cur is not None:
                chain.append(cur)
                cur = self.arts[cur.parent] if cur.parent is not None else None
            chain.reverse()
            parts = [chain[0].slug] + ([chain[1].slug] if len(chain) >= 3 else [])
            a.folder = "/".join(parts)
        # renames: new slug, old slug kept as alias
        for a in self.arts[1:]:
            if r.random() < 0.02:
                olds = [a.slug] + ([new_slug()] if r.random() < 0.15 else [])
                a.aliases = olds
                a.title0, a.slug = new_title_slug()
                self.counts["renamed"] += 1
        self.used_slugs = used

    def build_lives(self):
        r = self.rng
        last = self.nv - 1
        for a in self.arts:
            own = 0
            if a.idx != self.home and a.depth > 1 and r.random() < 0.08 and last > 0:
                own = r.randint(1, last)
            a.since = max(own, self.arts[a.parent].since if a.parent is not None else 0)
            if a.since > 0 and own > 0:
                self.counts["since"] += 1
            a.end = last
            if not a.children and a.idx != self.home and r.random() < 0.06 and a.since < last:
                rv = r.randint(a.since + 1, last)  # first version without it
                a.end = rv - 1
                a.removal = "until" if r.random() < 0.5 else "rev"
                self.counts["until" if a.removal == "until" else "removed_rev"] += 1
        self.partial = [a.idx for a in self.arts if a.since > 0 or a.end < last]
        self.by_top: dict[int, list[int]] = {}
        for a in self.arts:
            self.by_top.setdefault(a.top, []).append(a.idx)
        # targets for moves: articles that have children (never removed, never moved)
        self.branches = [a.idx for a in self.arts if a.children and a.depth <= MAX_DEPTH - 1]

    def schedule_revisions(self):
        r = self.rng
        for a in self.arts:
            a.revs = [Rev(a.since, a.title0, a.parent, a.order,
                          self.keywords() if r.random() < 0.2 else [])]
        for k in range(1, self.nv):
            alive = [a for a in self.arts if a.since < k <= a.end]
            for a in r.sample(alive, round(0.03 * len(alive))):
                prev = a.revs[-1]
                kind = "edit"
                title, parent, order = prev.title, prev.parent, prev.order
                roll = r.random()
                if roll < 0.25:
                    kind = "retitle"
                    title = self.title_words(r.randint(1, 4))
                elif roll < 0.37 and not a.children and a.idx != self.home:
                    for _ in range(20):
                        p = self.arts[r.choice(self.branches)]
                        if p.idx != parent and p.idx != a.idx and p.since <= k:
                            kind, parent, order = "move", p.idx, 10 * r.randint(1, len(p.children) + 1) + 5
                            break
                self.counts[kind] += 1
                a.revs.append(Rev(k, title, parent, order, prev.keywords, kind=kind))
        for a in self.arts:
            if a.removal == "rev":
                prev = a.revs[-1]
                a.revs.append(Rev(a.end + 1, prev.title, prev.parent, prev.order, [], True, "removed"))

    def keywords(self) -> list[str]:
        return [x for x in self.w(6) if x.isalpha() and len(x) > 3][:3]

    # ---- links
    def covers(self, t: int, lo: int, hi: int) -> bool:
        a = self.arts[t]
        return a.since <= lo and a.end >= hi

    def pick_target(self, a: Art, lo: int, hi: int) -> int:
        r = self.rng
        for _ in range(100):
            pool = self.by_top[a.top] if r.random() < 0.4 else None
            t = r.choice(pool) if pool else r.randrange(len(self.arts))
            if t != a.idx and self.covers(t, lo, hi):
                return t
        return self.home if a.idx != self.home else 1

    def new_link(self, a: Art, lo: int, hi: int) -> Link:
        t = self.pick_target(a, lo, hi)
        anchor = self.rng.choice(("h-1", "h-2")) if self.rng.random() < 0.4 else None
        return Link(t, anchor, self.arts[t].revs[0].title)

    def only_link(self, a: Art, lo: int, hi: int):
        """A link to an article with a shorter life, wrapped in an only-block of that life."""
        r = self.rng
        for _ in range(30):
            if not self.partial:
                return None
            t = r.choice(self.partial)
            b = self.arts[t]
            if t != a.idx and b.since <= hi and b.end >= lo and not (b.since <= lo and b.end >= hi):
                para = ["See also"]
                para.append(Link(t, None, b.revs[0].title))
                para.append("for the " + " ".join(self.w(r.randint(3, 8))) + ".")
                return ("only", b.since, b.end, [("p", para)])
        return None

    def only_note(self, lo: int, hi: int) -> tuple:
        """A note for a random sub-range (sometimes with a nested block)."""
        r = self.rng
        a = r.randint(0, self.nv - 1)
        b = r.randint(a, self.nv - 1)
        inner = [("note", " ".join(self.w(r.randint(8, 25))))]
        if r.random() < 0.15 and b > a:
            c = r.randint(a, b)
            inner.append(("only", c, b, [("p", self.paragraph(r.randint(10, 30)))]))
            self.counts["only_blocks"] += 1
        self.counts["only_blocks"] += 1
        return ("only", a, b, inner)

    # ---- content
    def base_content(self, a: Art, rev: Rev):
        r = self.rng
        total = r.randint(280, 1350)  # + headings, link texts and list items = 300..1,500
        nh = r.randint(2, 8)
        share = [r.random() + 0.3 for _ in range(nh + 1)]
        s = sum(share)
        sections = []
        for j in range(nh + 1):
            words = max(25, int(total * share[j] / s))
            if j == 0:
                sections.append([0, "", None, self.section_blocks(min(words, 120))])
            else:
                level = 2 if j <= 2 or r.random() < 0.6 else 3
                sections.append([level, self.title_words(r.randint(2, 5)), f"h-{j}", self.section_blocks(words)])
        if r.random() < 0.25:
            sec = r.choice(sections[1:])
            sec[3].insert(r.randint(0, len(sec[3])), self.code_block())
        if r.random() < 0.15:
            sec = r.choice(sections[1:])
            sec[3].insert(r.randint(0, len(sec[3])), self.table())
        rev.sections = sections

    def modify(self, a: Art, rev: Rev):
        r = self.rng
        secs = rev.sections
        for _ in range(r.randint(1, 3)):  # rewrite some paragraphs
            sec = r.choice(secs)
            idx = [i for i, b in enumerate(sec[3]) if b[0] == "p"]
            if idx:
                i = r.choice(idx)
                old = sec[3][i][1]
                links = [x for x in old if isinstance(x, Link)]
                new = self.paragraph(r.randint(30, 100))
                for l in links:  # keep its links, so link counts stay in range
                    new.insert(r.randint(0, len(new)), l)
                sec[3][i] = ("p", new)
        if r.random() < 0.3 and len(secs) < 9:  # intro + at most 8 headings
            nid = 1 + max(int(s[2][2:]) for s in secs[1:])
            secs.append([r.choice((2, 3)), self.title_words(r.randint(2, 5)), f"h-{nid}",
                         self.section_blocks(r.randint(60, 200))])
        if r.random() < 0.2:
            droppable = [i for i, s in enumerate(secs) if s[2] not in (None, "h-1", "h-2")
                         and not any(isinstance(x, Link) for b in s[3] if b[0] == "p" for x in b[1])]
            if droppable and len(secs) > 3:
                del secs[r.choice(droppable)]
        if r.random() < 0.2:
            sec = r.choice(secs)
            sec[3].insert(r.randint(0, len(sec[3])), self.only_note(rev.vi, rev.vi))

    def place_links(self, a: Art, rev: Rev, lo: int, hi: int):
        """Validates every link for versions lo..hi (re-targets the invalid ones) and
        tops the count up to 3-10."""
        r = self.rng
        count = 0
        for sec in rev.sections:
            for bi, b in enumerate(sec[3]):
                if b[0] == "p":
                    for k, x in enumerate(b[1]):
                        if isinstance(x, Link):
                            if x.target == a.idx or not self.covers(x.target, lo, hi):
                                b[1][k] = self.new_link(a, lo, hi)
                            count += 1
                elif b[0] == "only" and any(isinstance(x, Link) for bb in b[3] if bb[0] == "p" for x in bb[1]):
                    count += 1
        want = r.randint(3, 10)
        while count < want:
            sec = r.choice(rev.sections)
            if r.random() < 0.12:
                blk = self.only_link(a, lo, hi)
                if blk is not None:
                    sec[3].insert(r.randint(0, len(sec[3])), blk)
                    self.counts["only_blocks"] += 1
                    count += 1
                    continue
            ps = [b for b in sec[3] if b[0] == "p"]
            if not ps:
                continue
            p = r.choice(ps)[1]
            p.insert(r.randint(0, len(p)), self.new_link(a, lo, hi))
            count += 1

    def build_content(self):
        r = self.rng
        for a in self.arts:
            live = [rv for rv in a.revs if not rv.removed]
            for j, rev in enumerate(live):
                if j == 0:
                    self.base_content(a, rev)
                    if r.random() < 0.3:
                        sec = r.choice(rev.sections)
                        sec[3].insert(r.randint(0, len(sec[3])), self.only_note(0, 0))
                else:
                    rev.sections = copy.deepcopy(live[j - 1].sections)
                    self.modify(a, rev)
                lo = rev.vi
                hi = live[j + 1].vi - 1 if j + 1 < len(live) else a.end
                self.place_links(a, rev, lo, hi)

    # ---- writing
    def vrange(self, lo: int, hi: int) -> str:
        r = self.rng
        a = "" if lo == 0 and r.random() < 0.6 else self.names[lo]
        b = "" if hi == self.nv - 1 and r.random() < 0.6 else self.names[hi]
        if not a and not b:  # at least one end is written ('..' alone is no range)
            a = self.names[lo]
        return f"{a}..{b}"

    def render_inline(self, parts: list) -> str:
        out = []
        for x in parts:
            if isinstance(x, Link):
                t = self.arts[x.target]
                href = f"{t.slug}.md" + (f"#{x.anchor}" if x.anchor else "")
                out.append(f"[{x.text}]({href})")
            else:
                out.append(x)
        return " ".join(out)

    def render_block(self, b, out: list[str]):
        kind = b[0]
        if kind == "p":
            out.append(self.render_inline(b[1]))
        elif kind in ("ul", "ol"):
            out.append("\n".join((f"{i + 1}. " if kind == "ol" else "- ") + it[0].upper() + it[1:]
                                 for i, it in enumerate(b[1])))
        elif kind == "code":
            out.append(f"```{b[1]}\n{b[2]}\n```")
        elif kind == "table":
            head, rows = b[1], b[2]
            lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
            lines += ["| " + " | ".join(row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "note":
            out.append(f"> **Note:** {b[1][0].upper() + b[1][1:]}.")
        elif kind == "only":
            inner: list[str] = []
            for bb in b[3]:
                self.render_block(bb, inner)
            out.append(f"<!-- only {self.vrange(b[1], b[2])} -->\n" + "\n\n".join(inner) + "\n<!-- /only -->")

    def render_rev(self, a: Art, rev: Rev, first: bool) -> str:
        fm = [f"title: {json.dumps(rev.title)}"]
        if rev.parent is not None:
            fm.append(f"parent: {self.arts[rev.parent].slug}")
        fm.append(f"order: {rev.order}")
        if first:
            if a.since > 0:
                fm.append(f'since: "{self.names[a.since]}"')
            if a.removal == "until":
                fm.append(f'until: "{self.names[a.end]}"')
            if a.aliases:
                fm.append(f"aliases: [{', '.join(a.aliases)}]")
        if rev.keywords:
            fm.append(f"keywords: [{', '.join(rev.keywords)}]")
        if rev.removed:
            fm.append("removed: true")
            return "---\n" + "\n".join(fm) + "\n---\n"
        out: list[str] = []
        for level, text, hid, blocks in rev.sections:
            if level:
                out.append(f"{'#' * level} {text} {{#{hid}}}")
            for b in blocks:
                self.render_block(b, out)
        return "---\n" + "\n".join(fm) + "\n---\n\n" + "\n\n".join(out) + "\n"

    def write(self, root: str):
        os.makedirs(os.path.join(root, "versions"))
        with open(os.path.join(root, "manual.yaml"), "w", encoding="utf-8") as f:
            f.write(f'title: "Acme Practice Manager Manual"\nhome: {self.arts[self.home].slug}\n')
        last = self.nv - 1
        for i, name in enumerate(self.names):
            status = "current" if i == last else ("supported" if i >= last - 3 else "archived")
            major, minor = name.split(".")
            released = f"{2010 + int(major) - 10 + (1 if minor == '4' else 0)}-{[11, 3, 6, 9][int(minor) % 4]:02d}-15"
            with open(os.path.join(root, "versions", f"{name}.yaml"), "w", encoding="utf-8") as f:
                f.write(f'label: "v{name}"\npath: v{name.replace(".", "")}\nreleased: {released}\nstatus: {status}\n')
        for a in self.arts:
            d = os.path.join(root, "articles", a.folder)
            os.makedirs(d, exist_ok=True)
            for j, rev in enumerate(a.revs):
                fn = f"{a.slug}.md" if j == 0 else f"{a.slug}@{self.names[rev.vi]}.md"
                with open(os.path.join(d, fn), "w", encoding="utf-8") as f:
                    f.write(self.render_rev(a, rev, j == 0))


# ------------------------------------------------------------------------ Hugo

# The Hugo layout builds the same article page as folio's default theme, with what Hugo
# offers for each part: the old-version banner, the version menu (a version without the
# page links to its home, marked), the search box with its label, "What changed", the
# siblings, the breadcrumb, the children, the versions in which the page changed,
# prev/next in tree order, the footer with the release date, a skip link and the page's
# script. Hugo cannot compute
# what folio computes across versions (which versions have the page, which changed it,
# tree order across sections), so write_hugo passes those in each page's front matter.
# Markup is written the plain Hugo-template way (classes, `</li>`), not trimmed the way
# folio's theme is.
HUGO_BASE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ .Site.Title }} {{ .Site.Params.label }}</title>
<link rel="stylesheet" href="style.css">
<script src="site.js" defer></script>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<details class="versions"><summary>{{ .Site.Params.label }}</summary><ul>
{{- $slug := .Params.article }}{{ $home := .Params.menu_home | default slice }}{{ range .Site.Params.versions }}
{{ if in $home .path }}<li class="missing"><a href="../{{ .path }}/index.html">{{ .label }} <small>(home page)</small></a></li>
{{- else }}<li><a href="../{{ .path }}/{{ $slug }}.html">{{ .label }}</a></li>{{ end }}{{ end }}
</ul></details>
<form action="search.html"><label>Search <input name="q"></label></form>
<a href="changes.html">What changed</a></header>
{{ with .Site.Params.latest }}<div class="banner">You are reading the manual for {{ $.Site.Params.label }}{{ if $.Site.Params.archived }}, an archived version{{ end }}.
{{- if in $home .path }} <a href="../{{ .path }}/index.html">Go to the latest version ({{ .label }})</a>
{{- else }} <a href="../{{ .path }}/{{ $slug }}.html">Read this page in the latest version ({{ .label }})</a>{{ end }}</div>
{{ end -}}
<nav class="breadcrumb">{{ range .Ancestors.Reverse }}{{ if not .IsHome }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> &rsaquo; {{ end }}{{ end }}<span>{{ .Title }}</span></nav>
<nav class="siblings"><ul>{{ $cur := . }}{{ range .Parent.Pages }}
<li{{ if eq . $cur }} class="current"{{ end }}><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></nav>
<main id="content">
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ with .Pages }}<ul class="children">{{ range . }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul>{{ end }}
{{ with .Params.history }}<section class="history"><h2>Changed in</h2><ul>{{ range . }}
<li><a href="../{{ index . 1 }}/{{ $slug }}.html">{{ index . 0 }}</a></li>{{ end }}
</ul></section>{{ end }}
<nav class="prev-next">{{ with .Params.prev }}<a rel="prev" href="{{ index . 1 }}.html">{{ index . 0 }}</a>{{ end }}
{{ with .Params.next }}<a rel="next" href="{{ index . 1 }}.html">{{ index . 0 }}</a>{{ end }}</nav>
</main>
<footer>{{ .Site.Params.label }}{{ with .Site.Params.released }} · released {{ . }}{{ end }}</footer>
</body>
</html>
"""

HUGO_INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Site.Title }} {{ .Site.Params.label }}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a> {{ .Site.Params.label }}</header>
<main><ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></main>
</body>
</html>
"""

HUGO_CHANGES = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} - {{ .Site.Title }} {{ .Site.Params.label }}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a> {{ .Site.Params.label }}</header>
<main><h1>{{ .Title }}</h1>
{{ .Content }}</main>
</body>
</html>
"""

HUGO_CSS = """body{font-family:sans-serif;margin:0 auto;max-width:60rem}
nav.siblings{float:left;width:14rem}main{margin-left:15rem}
li.current>a{font-weight:bold}
.skip{position:absolute;left:-999px}.skip:focus{left:0}.banner{background:#fff4c2}
"""

# The page script: a Hugo theme with the same page builds the collapsible tree and "On
# this page" in script too. Its content does not count towards the page's bytes.
HUGO_JS = "/* tree and on-this-page */\n"


def hugo_cross_version(m) -> tuple[list[set], dict]:
    """What Hugo cannot compute for a version's page: the slugs each version has, and the
    versions (index, label, path) in which each article was added or changed, comparing
    title and resolved text with the version before (as folio's "Changed in")."""
    slugs: list[set] = []
    history: dict = {}
    prev: dict = {}
    for vi in range(len(m.names)):
        pages = check_manual.view(m, vi)
        slugs.append(set(pages))
        cur = {slug: hashlib.sha256((p.title + "\0" + p.text).encode()).digest() for slug, p in pages.items()}
        for slug, h in cur.items():
            if prev.get(slug) != h:
                history.setdefault(slug, []).append((m.versions[vi]["label"], m.versions[vi]["path"]))
        prev = cur
    return slugs, history


def tree_order(pages) -> list[tuple[str, int]]:
    """The version's pages in reading order, each with its depth (0 at the top level):
    pre-order, siblings by order, title, slug (the Hugo sites' prev/next, the mdBooks'
    SUMMARY.md)."""
    kids: dict = {}
    for slug, p in pages.items():
        kids.setdefault(p.parent, []).append(slug)
    out: list[tuple[str, int]] = []

    def walk(parent, depth):
        for slug in sorted(kids.get(parent, []), key=lambda s: (pages[s].order, pages[s].title, s)):
            out.append((slug, depth))
            walk(slug, depth + 1)
    walk(None, 0)
    return out


def write_hugo(src_root: str, out: str, quiet: bool = False):
    m = check_manual.load(src_root)
    title = m.settings.get("title", "Manual")
    versions_toml = "\n".join(
        f'[[params.versions]]\npath = "{v["path"]}"\nlabel = "{v["label"]}"' for v in m.versions)
    # A first pass over the versions, so that each page can list later versions too; the
    # second (below) resolves them again rather than holding every version's text at once.
    slugs, history = hugo_cross_version(m)
    for vi, name in enumerate(m.names):
        ver = m.versions[vi]
        site = os.path.join(out, ver["path"])
        os.makedirs(os.path.join(site, "layouts", "_default"))
        os.makedirs(os.path.join(site, "static"))
        params = f'label = "{ver["label"]}"\n'
        if ver.get("released"):
            params += f'released = "{ver["released"]}"\n'
        # older versions carry a banner linking to the page (or the home) in the latest
        if vi != len(m.names) - 1:
            latest = m.versions[-1]
            params += (f'archived = {"true" if ver.get("status") == "archived" else "false"}\n'
                       f'[params.latest]\npath = "{latest["path"]}"\nlabel = "{latest["label"]}"\n')
        with open(os.path.join(site, "hugo.toml"), "w", encoding="utf-8") as f:
            f.write(f'baseURL = "/"\ntitle = {json.dumps(title)}\nuglyURLs = true\nrelativeURLs = true\n'
                    f'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
                    f'[markup.goldmark.renderer]\nunsafe = true\n'
                    f'[params]\n{params}{versions_toml}\n')
        for fn, text in (("single.html", HUGO_BASE), ("list.html", HUGO_BASE), ("changes.html", HUGO_CHANGES)):
            with open(os.path.join(site, "layouts", "_default", fn), "w", encoding="utf-8") as f:
                f.write(text)
        with open(os.path.join(site, "layouts", "index.html"), "w", encoding="utf-8") as f:
            f.write(HUGO_INDEX)
        for fn, text in (("style.css", HUGO_CSS), ("site.js", HUGO_JS)):
            with open(os.path.join(site, "static", fn), "w", encoding="utf-8") as f:
                f.write(text)
        pages = check_manual.view(m, vi)
        has_children = {p.parent for p in pages.values() if p.parent}
        order = [slug for slug, _ in tree_order(pages)]
        cdir = os.path.join(site, "content")
        os.makedirs(cdir)
        with open(os.path.join(cdir, "_index.md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {json.dumps(title)}\n---\n")
        # "What changed": the articles added or changed in this version (folio's
        # changes.html also has diff pages, which Hugo cannot make).
        changed = sorted(s for s in pages if any(h[1] == ver["path"] for h in history.get(s, [])))
        with open(os.path.join(cdir, "changes.md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: What changed\nurl: /changes.html\nlayout: changes\n_build:\n  list: never\n---\n"
                    + "".join(f"- [{pages[s].title}]({s}.html)\n" for s in changed))
        for i, slug in enumerate(order):
            p = pages[slug]
            chain, cur = [], p.parent
            while cur is not None:
                chain.append(cur)
                cur = pages[cur].parent
            chain.reverse()
            d = os.path.join(cdir, *chain)
            if slug in has_children:
                d = os.path.join(d, slug)
                fn = "_index.md"
            else:
                fn = f"{slug}.md"
            os.makedirs(d, exist_ok=True)
            body = check_manual.LINK.sub(_hugo_link, p.text)
            fm = [f"title: {json.dumps(p.title)}", f"weight: {p.order or 1}",
                  f"url: /{slug}.html", f"article: {slug}"]
            if p.aliases:
                fm.append("aliases: [" + ", ".join(f"/{a}.html" for a in p.aliases) + "]")
            if p.keywords:
                fm.append(f"keywords: [{', '.join(p.keywords)}]")
            home = [m.versions[wi]["path"] for wi in range(len(m.names)) if slug not in slugs[wi]]
            if home:
                fm.append(f"menu_home: {json.dumps(home)}")
            if history.get(slug):
                fm.append(f"history: {json.dumps(history[slug])}")
            if i > 0:
                fm.append(f"prev: {json.dumps([pages[order[i - 1]].title, order[i - 1]])}")
            if i + 1 < len(order):
                fm.append(f"next: {json.dumps([pages[order[i + 1]].title, order[i + 1]])}")
            with open(os.path.join(d, fn), "w", encoding="utf-8") as f:
                f.write("---\n" + "\n".join(fm) + "\n---\n" + body)
        if not quiet:
            print(f"hugo site {ver['path']}: {len(pages)} pages", file=sys.stderr)


def write_mdbook(src_root: str, out: str):
    """One mdBook per version: book.toml, src/SUMMARY.md (the nav tree), src/<slug>.md.
    mdBook rewrites `slug.md` links to `slug.html` itself; aliases become redirects."""
    m = check_manual.load(src_root)
    title = m.settings.get("title", "Manual")
    for vi, name in enumerate(m.names):
        ver = m.versions[vi]
        book = os.path.join(out, ver["path"])
        src = os.path.join(book, "src")
        os.makedirs(src)
        pages = check_manual.view(m, vi)
        summary = ["# Summary", ""]
        summary += [f"{'    ' * depth}- [{pages[slug].title}]({slug}.md)" for slug, depth in tree_order(pages)]
        with open(os.path.join(src, "SUMMARY.md"), "w", encoding="utf-8") as f:
            f.write("\n".join(summary) + "\n")
        redirects = []
        for slug, p in pages.items():
            with open(os.path.join(src, f"{slug}.md"), "w", encoding="utf-8") as f:
                f.write(f"# {p.title}\n\n{p.text}")
            redirects += [f'"/{a}.html" = "{slug}.html"' for a in p.aliases]
        with open(os.path.join(book, "book.toml"), "w", encoding="utf-8") as f:
            f.write(f"[book]\ntitle = {json.dumps(title + ' ' + ver['label'])}\nsrc = \"src\"\n\n"
                    f"[output.html]\n\n[output.html.print]\nenable = false\n\n"
                    f"[output.html.redirect]\n" + "\n".join(sorted(redirects)) + "\n")


def _hugo_link(mo) -> str:
    text, target = mo.group(1), mo.group(2)
    if check_manual.EXTERNAL.match(target):
        return mo.group(0)
    path, sep, anchor = target.partition("#")
    if not path.endswith(".md"):
        return mo.group(0)
    slug = path.rsplit("/", 1)[-1][:-3]
    return f"[{text}]({slug}.html{sep}{anchor})"


# ------------------------------------------------------------------------ main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate a versioned manual for folio benchmarks.")
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--versions", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hugo", metavar="HUGO_OUT", help="also write one Hugo site per version here")
    ap.add_argument("--mdbook", metavar="MDBOOK_OUT", help="also write one mdBook per version here")
    ap.add_argument("--stats", metavar="FILE", help="write statistics (check_manual.py) as JSON")
    ap.add_argument("--no-check", action="store_true", help="skip validating the written tree")
    ap.add_argument("--keep-source", action="store_true",
                    help="OUT already holds a generated tree: only write --hugo/--mdbook/--stats from it")
    ap.add_argument("--force", action="store_true", help="replace OUT / HUGO_OUT if they exist")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.articles < 20 or args.versions < 1:
        ap.error("need --articles >= 20 and --versions >= 1")
    if args.keep_source:
        if not os.path.exists(os.path.join(args.out, "manual.yaml")):
            ap.error(f"--keep-source: {args.out} has no manual.yaml")
    for d in ((args.hugo, args.mdbook) if args.keep_source else (args.out, args.hugo, args.mdbook)):
        if d and os.path.exists(d) and os.listdir(d):
            if not args.force:
                ap.error(f"{d} exists and is not empty (use --force)")
            shutil.rmtree(d)

    g = Gen(args.articles, args.versions, args.seed)
    if not args.keep_source:
        g.build_tree()
        g.build_lives()
        g.schedule_revisions()
        g.build_content()
        g.write(args.out)
    if not args.quiet and not args.keep_source:
        c = g.counts
        print(f"wrote {args.out}: {len(g.arts)} articles, {args.versions} versions "
              f"({g.names[0]}..{g.names[-1]}), {sum(len(a.revs) - 1 for a in g.arts)} revision files "
              f"(edit {c['edit']}, retitle {c['retitle']}, move {c['move']}, removed {c['removed_rev']}), "
              f"until {c['until']}, added later {c['since']}, renamed {c['renamed']}, "
              f"only-blocks {c['only_blocks']}, code blocks {c['code_blocks']}, tables {c['tables']}",
              file=sys.stderr)
    stats = None
    if not args.no_check or args.stats:
        m = check_manual.load(args.out)
        stats = check_manual.check(m)
        stats["generator"] = {"articles": args.articles, "versions": args.versions, "seed": args.seed}
        if not args.keep_source:
            stats["generator"].update(g.counts)
        if m.errors:
            for e in m.errors[:50]:
                print(e, file=sys.stderr)
            print(f"check_manual: {len(m.errors)} error(s) in the generated tree", file=sys.stderr)
            return 1
        if not args.quiet:
            pv = stats["per_version"]
            print(f"check ok: pages per version {pv[0]['pages']}..{pv[-1]['pages']} "
                  f"(total {stats['pages_total']}), links {stats['links_total']} "
                  f"(first version {pv[0]['links']}, last {pv[-1]['links']}), "
                  f"words/page median {pv[-1]['words_median']}, max depth {max(v['max_depth'] for v in pv)}",
                  file=sys.stderr)
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as f:
            json.dump(stats, f, indent=1)
            f.write("\n")
    if args.hugo:
        write_hugo(args.out, args.hugo, quiet=True)
        if not args.quiet:
            print(f"wrote {len(g.names)} Hugo sites under {args.hugo}", file=sys.stderr)
    if args.mdbook:
        write_mdbook(args.out, args.mdbook)
        if not args.quiet:
            print(f"wrote {len(g.names)} mdBooks under {args.mdbook}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
