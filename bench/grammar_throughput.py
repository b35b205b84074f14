"""Grammar-stage throughput with a warm LanguageTool server, in documents per second.

Articles are ~600 words built from the reference texts in ../shared/bench-data (real news
paragraphs). Each mode gets a fresh, empty paragraph cache, so every paragraph is really
checked; a last pass repeats the fix-only mode with the cache warm, as a re-run of a batch or
a pre-commit hook would see it. Fix-only is measured as it runs (only the sentences the rule
pack's gates let through are sent) and with the gate switched off (every sentence sent), for
comparison, and with two documents in flight at a time (two threads, each with its own
cleaner, sharing the server as ``--jobs 2`` workers do).

    .venv/bin/python bench/grammar_throughput.py [--docs 60]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cleaner import Cleaner, Config
from cleaner.languagetool import GrammarCache, GrammarClient, LanguageToolServer
from cleaner.rulebook import load_rules
from cleaner.stages.grammar import GrammarStage
from grammar_common import languagetool_home, pack_articles

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench-data" / "scrapinghub-aeb" / "truth"


def articles(count: int, words: int = 600) -> list[str]:
    """``count`` articles of about ``words`` words, paragraphs taken in order from the truth texts."""
    paragraphs = [p.strip() for f in sorted(DATA.glob("*.txt")) for p in f.read_text().split("\n")
                  if len(p.split()) >= 15]
    return pack_articles(paragraphs, words, count)


def measure(url: str, docs: list[str], suggestions: bool, cache: GrammarCache | None, gate: bool = True) -> float:
    rules = load_rules()
    stage = GrammarStage(GrammarClient(url, cache=cache), rules, suggestions=suggestions)
    if not gate:
        stage.gate = None
    cleaner = Cleaner(Config(), rules=rules, grammar=stage)
    start = time.perf_counter()
    for doc in docs:
        cleaner.clean(doc, source_format="text", to="text")
    return len(docs) / (time.perf_counter() - start)


def measure_two_at_a_time(url: str, docs: list[str], folder: Path) -> float:
    """Fix-only docs/s with two threads, each cleaning every other document with its own cleaner."""
    rules = load_rules()
    cleaners = [Cleaner(Config(), rules=rules, grammar=GrammarStage(
        GrammarClient(url, cache=GrammarCache("bench", path=folder / f"two-{n}.sqlite3")), rules)) for n in range(2)]

    def run(n: int) -> None:
        for doc in docs[n::2]:
            cleaners[n].clean(doc, source_format="text", to="text")

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, range(2)))
    return len(docs) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=60)
    args = parser.parse_args()
    home = languagetool_home([DATA], DATA)
    if home is None:
        return 2
    docs = articles(args.docs)
    warm = articles(args.docs * 2)[args.docs:]
    with LanguageToolServer(home) as server, tempfile.TemporaryDirectory() as tmp:
        for suggestions in (True, False):  # JIT and rule loading warm-up, not timed
            measure(server.url, warm[:10], suggestions, None)
        rows = []
        for label, suggestions, gate in (("fixes only (default)", False, True),
                                         ("fixes only, gate off (every sentence sent)", False, False),
                                         ("fixes + suggestions (--explain, JSON)", True, True)):
            cache = GrammarCache("bench", path=Path(tmp) / f"{suggestions}-{gate}.sqlite3")
            rows.append((label + ", cold cache", measure(server.url, docs, suggestions, cache, gate)))
            if not suggestions and gate:
                rows.append((label + ", warm cache", measure(server.url, docs, suggestions, cache, gate)))
                rows.append((label + ", two documents at a time, cold cache",
                             measure_two_at_a_time(server.url, docs, Path(tmp))))
    words = sum(len(d.split()) for d in docs) / len(docs)
    print(f"{len(docs)} articles, {words:.0f} words each on average")
    print("| mode | docs/s |\n| --- | ---: |")
    for label, rate in rows:
        print(f"| {label} | {rate:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
