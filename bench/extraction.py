"""HTML main-content extraction: cleaner against trafilatura, readability-lxml, jusText, boilerpy3, resiliparse.

Data: ``../shared/bench-data/`` beside the repository (development samples of public
benchmarks, see each folder's SOURCE.md):

* ``scrapinghub-aeb`` and ``wcxb-articles``: ``html/`` scored against ``truth/`` with the
  article-extraction-benchmark measure (``bench/aeb_metric.py``: 4-gram shingles of ``\\w+``
  tokens, per-document normalised counts, precision and recall averaged over documents, F1 of
  the averages);
* ``wcxb-articles`` and ``trafilatura-eval``: the ``with`` snippets (must appear) and
  ``without`` snippets (must not) of ``snippets/``; precision and recall over the pooled counts,
  as both benchmarks report them (wcxb compares case-insensitively, trafilatura's evaluation
  exactly, both after collapsing whitespace).

cleaner runs as ``Cleaner(Config(grammar="off"))`` on the page's bytes; its text is the alive
blocks of the cleaned document, list items marked "- " (as in trafilatura's text), without the
title block (the references hold the article body without its headline, and the other tools
do not print the title either). Each tool gets the page's bytes (or the text decoded the same
way for the tools that need a str) and its time per page is the wall time of that call,
decoding included, in this one process, in the same run (tools take turns page by page, after
ten untimed warm-up pages of each set, so imports and lazily loaded word lists are not timed).
Peers run with their library defaults (jusText with every stop list it ships, since the pages
are in many languages). A peer that is not installed is skipped with a note: install them with
``pip install -e '.[bench]'``.

Run from the repository: ``.venv/bin/python bench/extraction.py``; ``--tools cleaner,trafilatura``
limits the tools, ``--worst N`` lists cleaner's N worst pages of each truth set, ``--diff ID``
shows what cleaner kept that the truth lacks (and the reverse) for one page.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aeb_metric  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "bench-data"
TRUTH_SETS = ("scrapinghub-aeb", "wcxb-articles")
SNIPPET_SETS = ("wcxb-articles", "trafilatura-eval")
TOOLS = ("cleaner", "trafilatura", "readability-lxml", "justext", "boilerpy3", "resiliparse")
_SPACE = re.compile(r"\s+")
WARM_UP = 10  # untimed pages per set and tool before timing starts


@dataclass
class Page:
    """One benchmark page: its bytes, its URL, and what it is scored against."""

    set: str
    id: str
    html: bytes
    url: str | None
    truth: str | None = None
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)


def load_pages(root: Path, name: str) -> list[Page]:
    """Every page of one set, by sorted id."""
    folder = root / name
    urls = {}
    manifest = folder / "manifest.jsonl"
    if manifest.is_file():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                urls[record["id"]] = record.get("url")
    pages = []
    for path in sorted((folder / "html").glob("*.html")):
        page = Page(name, path.stem, path.read_bytes(), urls.get(path.stem))
        truth = folder / "truth" / f"{path.stem}.txt"
        if truth.is_file():
            page.truth = truth.read_text(encoding="utf-8")
        snippets = folder / "snippets" / f"{path.stem}.json"
        if snippets.is_file():
            data = json.loads(snippets.read_text(encoding="utf-8"))
            page.with_, page.without = list(data.get("with", [])), list(data.get("without", []))
        pages.append(page)
    return pages


def _decode(data: bytes) -> str:
    from cleaner.readers.html import decode_html
    return decode_html(data)


def _html_text(fragment: str) -> str:
    """Text of an HTML fragment with a line break after each block element."""
    import lxml.html
    if not fragment.strip():
        return ""
    tree = lxml.html.fromstring(fragment)
    for node in tree.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "blockquote", "pre"):
        node.tail = "\n" + (node.tail or "")
    return tree.text_content()


def make_tools(names: list[str]) -> dict[str, Callable[[Page], str]]:
    """The extraction function of each tool that is installed."""
    tools: dict[str, Callable[[Page], str]] = {}
    for name in names:
        try:
            tools[name] = _FACTORIES[name]()
        except ImportError as exc:
            print(f"note: {name} skipped, not installed ({exc.name})", file=sys.stderr)
    return tools


#: Milliseconds spent by cleaner in reading (decode, parse, extract) and in the rule stages.
CLEANER_SPLIT = {"read": 0.0, "rules": 0.0, "pages": 0}


def _cleaner():
    from cleaner import Cleaner, render
    from cleaner.config import Config
    from cleaner.document import BlockKind

    # the word lists the repair rules load on first need (~2 s, once a run) are loaded before
    # timing, as the warm-up pages mean to do; otherwise whichever page first needs them pays
    cleaner = Cleaner(Config(grammar="off")).preload()
    skip = {BlockKind.TITLE, BlockKind.FRONT_MATTER, BlockKind.HTML}

    def run(page: Page) -> str:
        # what Cleaner.clean(..., to="text") does, timed in two parts
        start = time.perf_counter()
        doc = cleaner.parse(page.html, source_format="html", name=f"{page.id}.html")
        middle = time.perf_counter()
        cleaner.pipeline.run(doc)
        render.to_text(doc)
        CLEANER_SPLIT["read"] += middle - start
        CLEANER_SPLIT["rules"] += time.perf_counter() - middle
        CLEANER_SPLIT["pages"] += 1
        return "\n\n".join(("- " if b.kind == BlockKind.LIST_ITEM else "") + b.text
                             for b in doc.alive() if b.kind not in skip)
    return run


def _trafilatura():
    import trafilatura
    return lambda page: trafilatura.extract(page.html) or ""


def _readability():
    from readability import Document
    return lambda page: _html_text(Document(_decode(page.html)).summary(html_partial=True))


def _justext():
    import justext
    stoplist = frozenset().union(*(justext.get_stoplist(lang) for lang in justext.get_stoplists()))

    def run(page: Page) -> str:
        paragraphs = justext.justext(page.html, stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
    return run


def _boilerpy3():
    from boilerpy3 import extractors
    extractor = extractors.ArticleExtractor(raise_on_failure=False)
    return lambda page: extractor.get_content(_decode(page.html)) or ""


def _resiliparse():
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from resiliparse.parse.html import HTMLTree

    def run(page: Page) -> str:
        tree = HTMLTree.parse(bytes_to_str(page.html, detect_encoding(page.html)))
        return extract_plain_text(tree, main_content=True)
    return run


_FACTORIES = {"cleaner": _cleaner, "trafilatura": _trafilatura, "readability-lxml": _readability,
              "justext": _justext, "boilerpy3": _boilerpy3, "resiliparse": _resiliparse}


def run_tools(tools: dict[str, Callable[[Page], str]], pages: list[Page],
              outputs: dict, times: dict) -> None:
    """Run every tool on every page, page by page so that load on the machine hits all tools alike.

    A tool error counts as an empty output for that page.
    """
    elapsed = dict.fromkeys(tools, 0.0)
    for page in pages:
        for tool, fn in tools.items():
            start = time.perf_counter()
            text = _call(fn, page)
            elapsed[tool] += time.perf_counter() - start
            outputs.setdefault((tool, page.set), {})[page.id] = text
    for tool in tools:
        times[tool, pages[0].set] = 1000 * elapsed[tool] / max(1, len(pages))


def _call(fn: Callable[[Page], str], page: Page) -> str:
    try:
        return fn(page)
    except Exception as exc:  # a peer failing on one page must not stop the run
        print(f"note: {page.set}/{page.id}: {type(exc).__name__}: {exc}"[:200], file=sys.stderr)
        return ""


def snippet_score(pages: list[Page], outputs: dict[str, str], *, fold_case: bool) -> tuple[float, float, float]:
    """Precision, recall and F1 over pooled snippet counts (with found = TP, without found = FP)."""
    tp = fn = fp = 0
    for page in pages:
        text = _SPACE.sub(" ", outputs.get(page.id, ""))
        if fold_case:
            text = text.casefold()
        for snippet in page.with_:
            snippet = _SPACE.sub(" ", snippet).strip()
            found = (snippet.casefold() if fold_case else snippet) in text
            tp, fn = tp + found, fn + (not found)
        for snippet in page.without:
            snippet = _SPACE.sub(" ", snippet).strip()
            fp += (snippet.casefold() if fold_case else snippet) in text
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def show_worst(pages: list[Page], outputs: dict[str, str], count: int) -> None:
    """The pages where the tool's F1 is lowest."""
    rows = [(aeb_metric.score([(outputs[p.id], p.truth)]), p.id) for p in pages if p.truth is not None]
    rows.sort(key=lambda row: row[0].f1)
    for result, page_id in rows[:count]:
        print(f"  {result.f1:6.3f} {result.precision:6.3f} {result.recall:6.3f}  {page_id}")


def show_diff(page: Page, text: str) -> None:
    """Lines kept that share no shingle with the truth, and truth lines lost."""
    truth_sh, out_sh = aeb_metric.shingles(page.truth or ""), aeb_metric.shingles(text)
    print(f"== {page.set}/{page.id} {page.url}")
    for line in text.splitlines():
        sh = aeb_metric.shingles(line)
        if sh and not sh & truth_sh:
            print(f"  + {line[:160]}")
    for line in (page.truth or "").splitlines():
        sh = aeb_metric.shingles(line)
        if sh and not sh <= out_sh:
            print(f"  - ({len(sh - out_sh) / len(sh):.0%} lost) {line[:160]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the bench-data folder")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools to run")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list cleaner's N worst pages")
    parser.add_argument("--diff", metavar="ID", help="cleaner's extra and missing lines for one page")
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        print(f"bench data is absent: {args.data} not found; nothing to measure", file=sys.stderr)
        return 2
    sets = {name: load_pages(args.data, name) for name in dict.fromkeys(TRUTH_SETS + SNIPPET_SETS)
            if (args.data / name / "html").is_dir()}
    missing = [name for name in dict.fromkeys(TRUTH_SETS + SNIPPET_SETS) if name not in sets]
    if missing:
        print(f"bench data is incomplete: {', '.join(missing)} not found under {args.data}", file=sys.stderr)
        return 2
    tools = make_tools([t.strip() for t in args.tools.split(",") if t.strip()])
    outputs: dict[tuple[str, str], dict[str, str]] = {}
    times: dict[tuple[str, str], float] = {}
    # untimed warm-up on the first pages of every set: imports, caches, lazily loaded word lists
    for fn in tools.values():
        for pages in sets.values():
            for page in pages[:WARM_UP]:
                _call(fn, page)
    CLEANER_SPLIT.update(read=0.0, rules=0.0, pages=0)
    for pages in sets.values():
        run_tools(tools, pages, outputs, times)

    print(f"data: {args.data}; {os.cpu_count()} cores, one process\n")
    print("| tool | set | pages | F1 | precision | recall | ms/page |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name in TRUTH_SETS:
        for tool in tools:
            result = aeb_metric.score((outputs[tool, name][p.id], p.truth) for p in sets[name] if p.truth is not None)
            print(f"| {tool} | {name} | {result.documents} | {result.f1:.4f} | {result.precision:.4f} "
                  f"| {result.recall:.4f} | {times[tool, name]:.1f} |")
    print("\nSnippets (with = must appear, without = must not):\n")
    print("| tool | set | pages | F1 | precision | recall | ms/page |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name in SNIPPET_SETS:
        for tool in tools:
            p, r, f1 = snippet_score(sets[name], outputs[tool, name], fold_case=name == "wcxb-articles")
            print(f"| {tool} | {name} | {len(sets[name])} | {f1:.4f} | {p:.4f} | {r:.4f} | {times[tool, name]:.1f} |")
    if CLEANER_SPLIT["pages"]:
        pages = CLEANER_SPLIT["pages"]
        print(f"\ncleaner's time per page: reading (decode, parse, metadata, extraction) "
              f"{1000 * CLEANER_SPLIT['read'] / pages:.1f} ms, rule stages and rendering "
              f"{1000 * CLEANER_SPLIT['rules'] / pages:.1f} ms")
    if "cleaner" in tools and args.worst:
        for name in TRUTH_SETS:
            print(f"\ncleaner's worst {args.worst} on {name} (F1, P, R, id):")
            show_worst(sets[name], outputs["cleaner", name], args.worst)
    if "cleaner" in tools and args.diff:
        for pages in sets.values():
            for page in pages:
                if page.id.startswith(args.diff) and page.truth is not None:
                    show_diff(page, outputs["cleaner", page.set][page.id])
    return 0


if __name__ == "__main__":
    sys.exit(main())
