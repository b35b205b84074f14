"""Does the sentence gate change what the grammar stage fixes? Checks it against the real server.

In fix-only mode the grammar stage sends LanguageTool only the sentences that some allow-listed
rule's ``gate`` (rules/grammar/*.yaml) lets through. That is exact only if every gate is a true
precondition of its rule and the sentence splitter never cuts one of LanguageTool's sentences
in a way that changes an answer. This script checks it four ways, each time comparing the
gated check with the full one (same server, same allow-listed rules, no cache):

1. paragraphs: every paragraph of the bench data's reference texts and Readability output, the
   seeds, and the inputs of the repair case set; the allow-listed matches (rule, span,
   replacements) must be identical;
2. garbled paragraphs: the same paragraphs with one error injected each, of the kinds the
   allow-list fixes (a/an swapped, a word doubled, a doubled space, a space before a comma,
   doubled punctuation, no space after a comma, a modal followed by a past form...), so every
   rule fires often, near sentence ends too;
3. word sweeps: for each word of those texts and of LanguageTool's a/an exception lists, in
   lower case, capitalised and upper case as well as as found, the sentences "It was a WORD." / "It was an WORD." / "They would WORD it." / "She will not WORD
   it." that the gates hold back must draw no match of the gated rule;
4. documents: the garbled paragraphs as ~600-word articles through ``Cleaner`` with the grammar
   stage gated and ungated; the grammar edits and the output must be identical.

    .venv/bin/python bench/grammar_gate_check.py [--limit N] [--show 20]

Needs ``make setup`` (LanguageTool) and ../shared/bench-data; says so and exits 2 otherwise.
Exit 1 when any difference is found.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import zipfile
from pathlib import Path

from cleaner import Cleaner, Config
from cleaner.languagetool import GrammarClient, LanguageToolServer, SentenceGate, sentence_spans
from cleaner.rulebook import load_rules
from cleaner.rulebook.kinds import LanguageToolAllow
from cleaner.stages.grammar import GrammarStage
from grammar_common import languagetool_home, pack_articles

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "bench-data"
SOURCES = [DATA / "scrapinghub-aeb" / "truth", DATA / "scrapinghub-aeb-text" / "text",
           DATA / "wcxb-articles" / "truth", DATA / "readability-testpages" / "truth"]

MODALS = ("would", "will", "could", "can", "may", "might", "should", "must", "won't", "can't")
PAST = {"go": "went", "take": "took", "build": "built", "make": "made", "see": "seen", "give": "gave",
        "bring": "brought", "find": "found", "keep": "kept", "leave": "left", "hold": "held", "lose": "lost",
        "pay": "paid", "sell": "sold", "tell": "told", "win": "won", "write": "written", "begin": "began"}


def paragraphs() -> list[str]:
    """Real paragraphs (deduplicated, in a stable order)."""
    found: dict[str, None] = {}
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
                if len(line.split()) >= 4:
                    found[line.strip()] = None
    for path in sorted((REPO / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if len(line.split()) >= 4:
                found[line.strip()] = None
    with open(REPO / "tests" / "data" / "repair_cases.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                found[json.loads(line)["input"].strip()] = None
    return list(found)


def garble(text: str, rng: random.Random) -> str | None:
    """``text`` with one injected error of a random kind, or None if that kind has no place in it."""
    kind = rng.randrange(9)
    def pick(pattern: str) -> re.Match | None:
        found = list(re.finditer(pattern, text))
        return rng.choice(found) if found else None
    if kind == 0 and (m := pick(r"\ba\b")):
        return text[:m.start()] + "an" + text[m.end():]
    if kind == 1 and (m := pick(r"\ban?\b")):
        return text[:m.start()] + ("a" if m.group(0) == "an" else "an") + text[m.end():]
    if kind == 2 and (m := pick(r"\b\w+\b")):
        return text[:m.end()] + " " + m.group(0) + text[m.end():]
    if kind == 3 and (m := pick(r" ")):
        return text[:m.start()] + "  " + text[m.end():]
    if kind == 4 and (m := pick(r"[,.](?= )")):
        return text[:m.start()] + " " + text[m.start():]
    if kind == 5 and (m := pick(r"[,.](?= |$)")):
        return text[:m.end()] + m.group(0) + text[m.end():]
    if kind == 6 and (m := pick(r", (?=[a-z])")):
        return text[:m.start()] + "," + text[m.end():]
    if kind == 7 and (m := pick(r"\b(?:%s) (?:not )?(\w+)" % "|".join(MODALS))):
        verb = m.group(1)
        past = PAST.get(verb) or (verb + "d" if verb.endswith("e") else verb + "ed")
        return text[:m.start(1)] + past + text[m.end(1):]
    if kind == 8 and (m := pick(r"\((?=\w)")):
        return text[:m.end()] + " " + text[m.end():]
    return None


def key(match) -> tuple:
    return (match.rule_id, match.start, match.end, match.replacements)


def compare(client: GrammarClient, gate: SentenceGate, texts: list[str], label: str, show: int) -> int:
    """Check ``texts`` gated and whole; print the figures and the first differences."""
    began = time.perf_counter()
    full = client.check_joined(texts)
    middle = time.perf_counter()
    gated = client.check_joined(texts, gate=gate)
    end = time.perf_counter()
    diffs = [(t, f, g) for t, f, g in zip(texts, full, gated) if sorted(map(key, f)) != sorted(map(key, g))]
    sentences = sum(len(sentence_spans(t)) for t in texts)
    sent = sum(1 for t in texts for s, e in sentence_spans(t) if gate.selects(t[s:e]))
    chars = sum(map(len, texts))
    sent_chars = sum(e - s for t in texts for s, e in gate.spans(t))
    matches = sum(map(len, full))
    print(f"{label}: {len(texts)} paragraphs, {sentences} sentences, {matches} matches of the allow-listed"
          f" rules; gate sends {sent} sentences ({sent_chars / max(chars, 1):.0%} of the characters);"
          f" {len(diffs)} paragraphs differ; full check {middle - began:.1f} s, gated {end - middle:.1f} s")
    for text, f, g in diffs[:show]:
        print(f"  DIFF {text[:160]!r}\n    full:  {[(m.rule_id, text[m.start:m.end]) for m in f]}"
              f"\n    gated: {[(m.rule_id, text[m.start:m.end]) for m in g]}")
    return len(diffs)


def sweep(client: GrammarClient, gates: dict, words: list[str], show: int) -> int:
    """Sentences the gates hold back must draw no match of the gated rule."""
    templates = {"EN_A_VS_AN": ["It was a {}.", "It was an {}.", "A {} came.", "An {} came."],
                 "MD_BASEFORM": ["They would {} it.", "She will not {} it.", "He can't {}.", "It may also {} them."]}
    misses = 0
    for rule, forms in templates.items():
        held = [f.format(w) for f in forms for w in words if not gates[rule].search(f.format(w))]
        flagged = [(s, m) for s, ms in zip(held, client.check_joined(held)) for m in ms if m.rule_id == rule]
        print(f"sweep {rule}: {len(words)} words x {len(forms)} frames, {len(held)} sentences held back by"
              f" the gate, {len(flagged)} of them flagged by {rule}")
        for s, m in flagged[:show]:
            print(f"  MISS {s!r}: {s[m.start:m.end]!r} -> {m.replacements[:2]}")
        misses += len(flagged)
    return misses


def lt_word_lists(home: Path) -> list[str]:
    """The entries of LanguageTool's det_a.txt and det_an.txt (the a/an exceptions)."""
    words = []
    for jar in (home / "jars").glob("language-en-*.jar"):
        with zipfile.ZipFile(jar) as archive:
            for name in ("org/languagetool/rules/en/det_a.txt", "org/languagetool/rules/en/det_an.txt"):
                for line in archive.read(name).decode("utf-8").splitlines():
                    line = line.strip()
                    if line and not line.startswith("#"):
                        words.append(line.lstrip("*"))
    return words


def documents(texts: list[str], words: int = 600) -> list[str]:
    return pack_articles(texts, words)


def edits(cleaner: Cleaner, doc: str) -> tuple[str, list[tuple]]:
    result = cleaner.clean(doc, source_format="text", to="text")
    return result.output, [(e.rule, e.before, e.after, e.line) for e in result.edits if e.stage == "grammar"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="use only the first N paragraphs")
    parser.add_argument("--show", type=int, default=20, help="differences to print per check")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    home = languagetool_home(SOURCES, DATA)
    if home is None:
        return 2
    rules = load_rules()
    allow = [r for r in rules.for_stage("grammar") if isinstance(r, LanguageToolAllow)]
    gates = {rule: gate for r in allow for rule, gate in r.gates.items()}
    gate = SentenceGate(gates.values())
    texts = paragraphs()
    if args.limit:
        texts = texts[:args.limit]
    rng = random.Random(args.seed)
    garbled = [g for t in texts if (g := garble(t, rng)) is not None and g != t]
    words = {w for t in texts for w in re.findall(r"[^\W\d_][\w'’-]*", t)} | set(lt_word_lists(home))
    vocabulary = sorted({v for w in words for v in (w, w.lower(), w.capitalize(), w.upper())})
    with LanguageToolServer(home) as server:
        client = GrammarClient(server.url, cache=None)
        client.tool.enabled_rules = set(gates)
        client.tool.enabled_rules_only = True
        diffs = compare(client, gate, texts, "real paragraphs", args.show)
        diffs += compare(client, gate, garbled, "garbled paragraphs", args.show)
        diffs += sweep(client, gates, vocabulary, args.show)
        gated = GrammarStage(GrammarClient(server.url, cache=None), rules)
        whole = GrammarStage(GrammarClient(server.url, cache=None), rules)
        whole.gate = None
        with_gate, without = Cleaner(Config(), rules=rules, grammar=gated), Cleaner(Config(), rules=rules, grammar=whole)
        docs = documents(garbled)
        same = changed = count = 0
        for doc in docs:
            a, b = edits(with_gate, doc), edits(without, doc)
            count += len(b[1])
            if a == b:
                same += 1
            else:
                changed += 1
                if changed <= args.show:
                    print(f"  EDITS DIFFER\n    gated: {a[1]}\n    full:  {b[1]}")
        print(f"documents: {len(docs)} garbled articles, {count} grammar edits without the gate;"
              f" {same} identical with it, {changed} different")
        diffs += changed
    print("OK: the gate changes nothing" if not diffs else f"FAILED: {diffs} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
