"""Regression checks on clean reference text: repairs and glue splits on articles that have no garbles.

Reads ../shared/bench-data (the clean truth texts of the benchmarks) and says so when it is absent.

    .venv/bin/python bench/clean_text_checks.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_lexicon import *  # noqa: F401,F403  (the fixtures and helpers these checks use)
from test_repair import *  # noqa: F401,F403  (the fixtures and helpers these checks use)

# --- clean reference text of the bench data, when it is there ----------------------------------

def _bench_truth_files() -> list[Path]:
    for root in (Path(__file__).resolve().parents[2] / "shared",):
        folder = root / "bench-data"
        files = sorted(folder.glob("scrapinghub-aeb/truth/*.txt")) + sorted(
            folder.glob("wcxb-articles/truth/*.txt"))
        if files:
            return files
    return []


_PUNCTUATION = ".,;:!?\"'()[]{}“”‘’«»—–-…*"
_MODALS = frozenset("will would can could shall should may might must cannot".split())


def test_clean_reference_text_has_no_glued_splits() -> None:
    splits = set()
    for path in _bench_truth_files():
        for raw in path.read_text(encoding="utf-8").split():
            token = raw.strip(_PUNCTUATION)
            if split_glued(token, FUNCTION_WORDS):
                splits.add(token)
    assert not splits


def test_clean_reference_text_has_almost_no_modal_repairs() -> None:
    hits = []
    for path in _bench_truth_files():
        words = re.findall(r"[A-Za-z][A-Za-z'’-]*", path.read_text(encoding="utf-8"))
        for i, word in enumerate(words):
            if word.lower() not in _MODALS:
                continue
            j = i + 1
            while j < min(len(words), i + 4) and is_adverb(words[j]) and not base_form(words[j]):
                j += 1
            if j < len(words) and base_form(words[j]):
                hits.append(" ".join(words[i:j + 1]))
    # the one known hit is a noun: "Ford's unexecuted will specified that ..."
    assert len(hits) <= 1, hits

# --- the clean reference text of the bench data, when it is there -----------------------------

def _truth_files() -> list[Path]:
    for root in (Path(__file__).resolve().parents[2] / "shared",):
        folder = root / "bench-data"
        files = [p for name in ("scrapinghub-aeb", "wcxb-articles", "readability-testpages")
                 for p in sorted((folder / name / "truth").glob("*.txt"))]
        if files:
            return files
    return []


def test_clean_reference_text_is_almost_untouched() -> None:
    """Over the 212 clean articles (about 300,000 words), the repair stage makes 16 edits: 11
    fix errors the texts really have ("the the", "Wednesday.The", "funds,ETFs", "to to") and 5
    are wrong ("Sri Sri Ravi Shankar", "Goo Goo Dolls", "R-W.Va.", "pathlib.Path", a table's
    "Change Change %"). A few more would still be noise; many more is a regression."""
    edits = []
    for path in _truth_files():
        doc = Document([Block(i, BlockKind.PARAGRAPH, line, i + 1) for i, line in
                        enumerate(path.read_text(encoding="utf-8").split("\n")) if line.strip()],
                       source=str(path))
        STAGES[0].apply(doc)
        edits += [(path.name, e.before, e.after) for e in doc.edits]
    assert len(edits) <= 20, edits



def main() -> int:
    if not _truth_files():
        print("bench data not found: this script needs ../shared/bench-data", file=sys.stderr)
        return 2
    failed = 0
    for name, func in sorted(globals().items()):
        if name.startswith("test_clean_reference_text") and callable(func):
            try:
                func()
                print(f"ok    {name}")
            except AssertionError as exc:
                failed += 1
                print(f"FAIL  {name}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
