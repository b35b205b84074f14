"""Text clean-up benchmark: boilerplate left in extracted article text, scored against the truth.

Data: ``../shared/bench-data/scrapinghub-aeb-text/`` beside the repository (a development
sample of the article-extraction benchmark). Two inputs are scored against ``truth/``:

* ``text/``: what an article extractor kept (light residue: share lines, captions, menus);
* ``variants/html-text/``: the whole visible page text (heavy boilerplate).

A third input, ``wcxb-page-text``, is the whole visible text of the ``wcxb-articles`` pages
(2025-26 pages of many kinds, not news only), made here from their HTML a line per block element,
scored against that set's truth: the same task on pages unlike the aeb ones. ``text-wrapped``
and ``html-text-wrapped`` are the two aeb inputs hard-wrapped at 72 columns, a blank line
between paragraphs (as e-mail and terminal dumps of a page come): the same text in another shape.

Methods: the input as it is, C4's line rules (``bench/c4_baseline.py``), and cleaner with the
grammar stage off, rendered ``--to text``. The score is ``bench/aeb_metric.py`` (4-gram shingle
precision and recall averaged over documents). Speed is Cleaner.clean over every document,
several times, in this one process (so per core).

Run from the repository: ``.venv/bin/python bench/text_cleanup.py``; ``--worst N`` lists the N
documents where cleaner scores lowest, ``--diff ID`` shows what cleaner kept and the truth lacks
(and the reverse) for one document.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aeb_metric  # noqa: E402
import c4_baseline  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "bench-data" / "scrapinghub-aeb-text"
SETS = {"text": "text", "html-text": "variants/html-text"}
#: Sets made from another benchmark's HTML pages (its folder beside DATA): no speed figures.
PAGE_SETS = {"wcxb-page-text": "wcxb-articles"}
#: Sets made from another set by hard-wrapping each input line at 72 columns, a blank line
#: between paragraphs (as e-mail and terminal dumps of a page are): no speed figures.
WRAPPED_SETS = {"text-wrapped": "text", "html-text-wrapped": "html-text"}
WRAP_WIDTH = 72
#: Elements that start a line in a page's visible text.
_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "br", "blockquote",
               "pre", "section", "article", "header", "footer", "nav", "aside", "dd", "dt", "figcaption",
               "ul", "ol", "table", "form", "main")
REPETITIONS = 5


def load_set(root: Path, folder: str) -> list[tuple[str, str, str]]:
    """(id, input, truth) for every document of one set, by sorted id."""
    docs = []
    for path in sorted((root / folder).glob("*.txt")):
        truth = root / "truth" / path.name
        if truth.is_file():
            docs.append((path.stem, path.read_text(encoding="utf-8"), truth.read_text(encoding="utf-8")))
    return docs


def load_page_text(folder: Path) -> list[tuple[str, str, str]]:
    """(id, the page's visible text, truth) for every page of an HTML set with a truth file."""
    import lxml.html
    from cleaner.readers.html import decode_html

    docs = []
    for path in sorted((folder / "html").glob("*.html")):
        truth = folder / "truth" / f"{path.stem}.txt"
        if not truth.is_file():
            continue
        tree = lxml.html.fromstring(decode_html(path.read_bytes()))
        for node in tree.xpath("//script|//style|//noscript|//template"):
            node.drop_tree()
        for node in tree.iter(*_BLOCK_TAGS):
            node.text = "\n" + (node.text or "")
            node.tail = "\n" + (node.tail or "")
        lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
        docs.append((path.stem, "\n".join(line for line in lines if line), truth.read_text(encoding="utf-8")))
    return docs


def wrapped(docs: list[tuple[str, str, str]], width: int = WRAP_WIDTH) -> list[tuple[str, str, str]]:
    """The documents with each input line hard-wrapped at ``width`` columns and a blank line
    between lines (the truth as it is)."""
    import textwrap
    return [(doc_id, "\n\n".join(textwrap.fill(line, width) for line in text.splitlines() if line.strip()), truth)
            for doc_id, text, truth in docs]


def make_cleaner():
    """A Cleaner with the grammar stage off: rule stages only."""
    from cleaner import Cleaner
    from cleaner.config import Config
    return Cleaner(Config(grammar="off")).preload()  # word lists loaded before any timing


def run_cleaner(cleaner, text: str) -> str:
    """cleaner's plain-text output for one document."""
    return cleaner.clean(text, source_format="text", to="text").output


def speed(clean, docs: list[tuple[str, str, str]], repetitions: int = REPETITIONS) -> float:
    """Documents per CPU second of ``clean`` (text in, text out) in this process (one core).

    CPU time of this process, not wall time, so other work on the machine does not count. The
    memos of block texts are emptied before each pass (untimed): a pass measures text the
    cleaner has not seen, as in a run over a collection, not the memos of the pass before.
    """
    from cleaner.rulebook import memo
    inputs = [text for _, text, _ in docs]
    for text in inputs[:10]:
        clean(text)
    elapsed = 0.0
    for _ in range(repetitions):
        memo.forget()
        start = time.process_time()
        for text in inputs:
            clean(text)
        elapsed += time.process_time() - start
    return len(inputs) * repetitions / elapsed


def stage_speeds(cleaner, docs: list[tuple[str, str, str]], repetitions: int = REPETITIONS) -> dict[str, float]:
    """Documents per CPU second of each stage alone (and of parsing and rendering)."""
    from cleaner import render
    spent: dict[str, float] = {}

    def timed(name, fn, *args):
        start = time.process_time()
        result = fn(*args)
        spent[name] = spent.get(name, 0.0) + time.process_time() - start
        return result

    from cleaner.rulebook import memo
    for _ in range(repetitions):
        memo.forget()
        for _, text, _ in docs:
            start = time.process_time()
            doc = cleaner.parse(text, source_format="text")
            spent["parse"] = spent.get("parse", 0.0) + time.process_time() - start
            cleaner.pipeline.run(doc, lambda stage, document: timed(stage.name, stage.apply, document))
            timed("render", render.render, doc, "text")
    runs = len(docs) * repetitions
    return {name: runs / seconds if seconds else float("inf") for name, seconds in spent.items()}


def show_worst(cleaner, docs, count: int) -> None:
    """The documents where cleaner's F1 is lowest, with the input's for comparison."""
    rows = []
    for doc_id, text, truth in docs:
        got = aeb_metric.score([(run_cleaner(cleaner, text), truth)])
        was = aeb_metric.score([(text, truth)])
        rows.append((got.f1, got.precision, got.recall, was.f1, doc_id))
    rows.sort()
    print(f"  {'F1':>6} {'P':>6} {'R':>6} {'in F1':>6}  id")
    for f1, p, r, f1_in, doc_id in rows[:count]:
        print(f"  {f1:6.3f} {p:6.3f} {r:6.3f} {f1_in:6.3f}  {doc_id}")


def show_diff(cleaner, docs, wanted: str) -> None:
    """Lines cleaner kept that share no shingle with the truth, and truth lines it lost."""
    for doc_id, text, truth in docs:
        if not doc_id.startswith(wanted):
            continue
        out = run_cleaner(cleaner, text)
        truth_sh, out_sh = aeb_metric.shingles(truth), aeb_metric.shingles(out)
        print(f"== {doc_id}")
        for line in out.splitlines():
            sh = aeb_metric.shingles(line)
            if sh and not sh & truth_sh:
                print(f"  + {line[:160]}")
        for line in truth.splitlines():
            sh = aeb_metric.shingles(line)
            if sh and not sh <= out_sh:
                lost = len(sh - out_sh) / len(sh)
                print(f"  - ({lost:.0%} lost) {line[:160]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the scrapinghub-aeb-text folder")
    parser.add_argument("--repetitions", type=int, default=REPETITIONS, help="speed runs over all documents (0: no speed figures)")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list cleaner's N worst documents")
    parser.add_argument("--diff", metavar="ID", help="show cleaner's extra and missing lines for one document")
    parser.add_argument("--set", choices=[*SETS, *PAGE_SETS, *WRAPPED_SETS], action="append",
                        help="score only this set")
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        print(f"bench data is absent: {args.data} not found; nothing to score", file=sys.stderr)
        return 2
    cleaner = make_cleaner()
    sets = args.set or [*SETS, *PAGE_SETS, *WRAPPED_SETS]
    print(f"data: {args.data}")
    print(f"cores: {os.cpu_count()} (speed measured in one process)")
    print()
    print(f"{'set':<17} {'method':<12} {'docs':>5} {'P':>7} {'R':>7} {'F1':>7}")
    speeds = {}
    all_docs = {}
    for name in sets:
        if name in PAGE_SETS:
            folder = args.data.parent / PAGE_SETS[name]
            if not (folder / "html").is_dir():
                print(f"{name}: {folder} not found; skipped", file=sys.stderr)
                continue
            docs = load_page_text(folder)
        elif name in WRAPPED_SETS:
            docs = wrapped(load_set(args.data, SETS[WRAPPED_SETS[name]]))
        else:
            docs = load_set(args.data, SETS[name])
        all_docs[name] = docs
        methods = {
            "input": lambda text: text,
            "c4-lines": c4_baseline.clean,
            "cleaner": lambda text: run_cleaner(cleaner, text),
        }
        for method, fn in methods.items():
            result = aeb_metric.score((fn(text), truth) for _, text, truth in docs)
            print(f"{name:<17} {method:<12} {result.documents:>5} {result.precision:7.3f} "
                  f"{result.recall:7.3f} {result.f1:7.3f}")
        if name in SETS and args.repetitions > 0:  # in turns, so a change in the machine's load hits both alike
            speeds[name] = (speed(methods["cleaner"], docs, args.repetitions),
                            speed(methods["c4-lines"], docs, args.repetitions))
    print()
    for name, (docs_per_s, c4_per_s) in speeds.items():
        print(f"speed {name:<10} {docs_per_s:8.0f} docs/s per core (Cleaner.clean, grammar off, "
              f"{args.repetitions} passes over {len(all_docs[name])} docs); c4-lines {c4_per_s:.0f} docs/s")
        parts = stage_speeds(cleaner, all_docs[name], args.repetitions)
        print("      " + ", ".join(f"{stage} {rate:.0f}" for stage, rate in parts.items())
              + " docs/s per stage alone")
    for name in all_docs:
        if args.worst:
            print(f"\nworst {args.worst} on {name}:")
            show_worst(cleaner, all_docs[name], args.worst)
        if args.diff:
            print(f"\ndiff on {name}:")
            show_diff(cleaner, all_docs[name], args.diff)
    return 0


if __name__ == "__main__":
    sys.exit(main())
