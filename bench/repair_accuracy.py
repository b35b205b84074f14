"""Repair accuracy: how many injected garbles the repair rules undo, how many clean paragraphs
they leave alone, and how fast the repair stage is.

Cases: ``tests/data/repair_cases.jsonl`` (built by ``bench/make_repair_cases.py`` from the
bench data's clean article text): each has ``class``, ``split`` (dev: used while tuning the
rules; heldout: only measured), ``input`` and ``expected``. Each input is cleaned by
``cleaner.Cleaner(Config(grammar="off"))`` as text to text, so the repair and whitespace stages
(and the others, which leave these paragraphs alone) run as in production. A garbled case counts
as repaired when the output is exactly the expected paragraph; a control when it comes out
exactly as it went in.

Speed (``--speed``): the repair stage alone, in documents per CPU second in this one process,
over the bench data's truth articles cut to 600 words, with the whitespace stage (five simple
substitutions) timed the same way for scale.

Run from the repository: ``.venv/bin/python bench/repair_accuracy.py`` (both splits, failures
listed); ``--split dev``, ``--cases FILE``, ``--quiet`` (figures only), ``--speed``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "data" / "repair_cases.jsonl"
DATA = Path("/work/shared/bench-data")


def load_cases(path: Path = CASES) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def make_cleaner():
    from cleaner import Cleaner
    from cleaner.config import Config
    return Cleaner(Config(grammar="off"))


def run_case(cleaner, case: dict) -> str:
    """The cleaner's text output for one case's input (without the final newline)."""
    return cleaner.clean(case["input"], source_format="text", to="text").output.rstrip("\n")


def score(cases: list[dict], cleaner=None) -> tuple[dict[tuple[str, str], list[int]], list[tuple[dict, str]]]:
    """Per (split, class): [passed, total]; and the failing cases with their outputs."""
    cleaner = cleaner or make_cleaner()
    table: dict[tuple[str, str], list[int]] = {}
    failures = []
    for case in cases:
        got = run_case(cleaner, case)
        ok = got == case["expected"]
        row = table.setdefault((case.get("split", "all"), case["class"]), [0, 0])
        row[0] += ok
        row[1] += 1
        if not ok:
            failures.append((case, got))
    return table, failures


def summary(table: dict[tuple[str, str], list[int]], split: str) -> dict[str, float]:
    """Repaired share of the garbled cases and kept share of the controls, for one split."""
    garbled = [v for (s, c), v in table.items() if s == split and c != "control"]
    controls = [v for (s, c), v in table.items() if s == split and c == "control"]
    share = lambda rows: sum(r[0] for r in rows) / max(1, sum(r[1] for r in rows))  # noqa: E731
    return {"repaired": share(garbled), "kept": share(controls),
            "garbled": sum(r[1] for r in garbled), "controls": sum(r[1] for r in controls)}


def _diff(a: str, b: str) -> str:
    """The part of two strings that differs, with a little context."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    lo = max(0, start - 30)
    return f"…{a[lo:len(a) - end + 30]}…  ->  …{b[lo:len(b) - end + 30]}…"


def speed(seconds: float = 3.0) -> dict[str, float]:
    """Documents per CPU second of the repair stage, and of the whitespace stage for scale, on
    the bench data's truth articles cut to 600 words (the stages take turns, so both see the
    same load on a shared machine)."""
    cleaner = make_cleaner()
    stages = {s.name: s for s in cleaner.pipeline.stages if s.name in ("repair", "whitespace")}
    texts = []
    for folder in ("scrapinghub-aeb", "wcxb-articles"):
        for path in sorted((DATA / folder / "truth").glob("*.txt")):
            words = path.read_text(encoding="utf-8").split(" ")
            if len(words) >= 600:
                texts.append(" ".join(words[:600]))
    if not texts:
        return {}
    for doc in (cleaner.parse(t, source_format="text") for t in texts):
        stages["repair"].apply(doc)  # warm the word caches, as a long run has them
    done = dict.fromkeys(stages, 0)
    spent = dict.fromkeys(stages, 0.0)
    while min(spent.values()) < seconds:
        for name, stage in stages.items():
            fresh = [cleaner.parse(t, source_format="text") for t in texts]
            start = time.process_time()
            for doc in fresh:
                stage.apply(doc)
            spent[name] += time.process_time() - start
            done[name] += len(fresh)
    return {name: done[name] / spent[name] for name in stages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--split", choices=("dev", "heldout"))
    parser.add_argument("--quiet", action="store_true", help="figures only, no failure list")
    parser.add_argument("--speed", action="store_true", help="also time the repair stage")
    args = parser.parse_args(argv)
    if not args.cases.is_file():
        print(f"repair_accuracy: {args.cases} not found; build it with bench/make_repair_cases.py",
              file=sys.stderr)
        return 2
    cases = [c for c in load_cases(args.cases) if not args.split or c.get("split") == args.split]
    table, failures = score(cases)
    splits = sorted({s for s, _ in table})
    for split in splits:
        print(f"\n{split}")
        print(f"  {'class':34} {'cases':>5} {'repaired':>9}")
        for (s, name), (ok, n) in sorted(table.items()):
            if s == split and name != "control":
                print(f"  {name:34} {n:5} {ok / n:9.1%}")
        total = summary(table, split)
        print(f"  {'all garbles':34} {total['garbled']:5} {total['repaired']:9.1%}")
        print(f"  {'controls (kept as they were)':34} {total['controls']:5} {total['kept']:9.1%}")
    if not args.quiet and failures:
        print(f"\nfailures ({len(failures)}):")
        for case, got in failures:
            print(f"  [{case['id']}] {case['source']}")
            if case["class"] == "control":
                print(f"      changed: {_diff(case['input'], got)}")
            else:
                print(f"      input:    {_diff(case['expected'], case['input'])}")
                print(f"      output:   {_diff(case['expected'], got)}")
    if args.speed:
        rates = speed()
        print("\nspeed (600-word articles, one core, documents per CPU second):")
        for name, rate in rates.items():
            print(f"  {name} stage: {rate:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
