"""Golden files: every seed document is cleaned exactly into its expected output.

A seed is ``seeds/<name>.<txt|md|html>`` with ``seeds/<name>.expected.md`` (and, when present,
``seeds/<name>.expected.html``). Each is cleaned through the command line, grammar off, and the
output must equal the expected file byte for byte.

To accept new output after a deliberate change, regenerate the expected files and review the
diff before committing it::

    CLEANER_REGENERATE=1 .venv/bin/python -m pytest tests/test_golden.py

With ``CLEANER_REGENERATE=1`` each test rewrites its expected file instead of asserting (and
passes). The ``aeb-*`` seeds are documents of the article-extraction benchmark's development
sample (MIT licence); their expected files were checked by hand against the benchmark's truth.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaner.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REGENERATE = os.environ.get("CLEANER_REGENERATE") == "1"
#: Seeds whose expected output needs work outside the boilerplate rules, with the reason; each
#: is marked xfail(strict=True), so it must be taken off this list the day it passes.
PENDING: dict[str, str] = {}


def _seeds() -> list[tuple[Path, str]]:
    cases = []
    for source in sorted(SEEDS.iterdir()):
        if ".expected." in source.name or source.suffix not in (".txt", ".md", ".html"):
            continue
        stem = source.name[: -len(source.suffix)]
        for fmt, suffix in (("markdown", ".md"), ("html", ".html")):
            if (SEEDS / f"{stem}.expected{suffix}").is_file():
                cases.append((source, fmt))
    return cases


def _param(source: Path, fmt: str):
    stem = source.name[: -len(source.suffix)]
    marks = [pytest.mark.xfail(strict=True, reason=PENDING[stem])] if stem in PENDING else []
    return pytest.param(source, fmt, id=f"{source.name}->{fmt}", marks=marks)


def _clean(source: Path, fmt: str, out: Path) -> str:
    code = main(["clean", str(source), "--no-grammar", "--quiet", "--to", fmt, "-o", str(out)])
    assert code in (0, 1), f"cleaner exited {code} on {source.name}"
    return out.read_text(encoding="utf-8")


def test_seeds_are_found():
    assert len(_seeds()) >= 6, "the golden seeds are missing"


@pytest.mark.parametrize(("source", "fmt"), [_param(*case) for case in _seeds()])
def test_golden(source: Path, fmt: str, tmp_path: Path):
    stem = source.name[: -len(source.suffix)]
    expected_path = SEEDS / f"{stem}.expected{'.md' if fmt == 'markdown' else '.html'}"
    got = _clean(source, fmt, tmp_path / f"out.{fmt}")
    if REGENERATE:
        expected_path.write_text(got, encoding="utf-8")
        return
    assert got == expected_path.read_text(encoding="utf-8"), (
        f"{source.name} no longer cleans to {expected_path.name}; if the change is intended, "
        "regenerate with CLEANER_REGENERATE=1 and review the diff")


@pytest.mark.parametrize("expected", sorted(SEEDS.glob("*.expected.md")), ids=lambda path: path.name)
def test_an_expected_markdown_cleaned_again_stays_as_it_is(expected, tmp_path):
    """Cleaning is a fixed point across formats: the Markdown a text, HTML or Markdown seed
    becomes, read back as Markdown, comes out unchanged (a heading kept as the title, nothing
    more to drop)."""
    source = tmp_path / "again.md"
    source.write_bytes(expected.read_bytes())
    assert _clean(source, "markdown", tmp_path / "out.md") == expected.read_text(encoding="utf-8")
