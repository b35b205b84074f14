"""Build the repair case set: real paragraphs with one injected garble each, plus controls.

Paragraphs come from the clean, human-checked article text of the bench data
(``/work/shared/bench-data/<dataset>/truth/*.txt``: scrapinghub-aeb (MIT), wcxb-articles
(CC-BY-4.0), readability-testpages (Apache-2.0)). A paragraph qualifies when it is English
prose of 80 to 400 characters that the cleaner, with the repair rules switched off, leaves
exactly as it is (so a case measures the repair rules and nothing else).

Each garbled case takes one paragraph and damages it once, the way reposting and spinning do:

* ``modal-past``: the verb after a modal (and any adverbs) put in a past form
  ("would station" -> "would stationed", "could agree" -> "could agreed");
* ``modal-do-so-past``: "do so" and a past form put in its place ("would build" ->
  "would do so built");
* ``glued-words``: the space between a function word and its neighbour lost ("open and" ->
  "openand", "the president" -> "thepresident"), sometimes with the comma before it
  ("Italy, the" -> "Italythe");
* ``doubled-word``: one word written twice ("of the" -> "of of the", "The" -> "The the");
* ``missing-space-after-punctuation``: the space after . , ; : ! or ? lost ("strategies. It" ->
  "strategies.It");
* ``do-support-past``: the verb after a negated "do" put in a past form ("did not say" ->
  "did not said", "doesn't expect" -> "doesn't expected");
* ``to-past-object``: the verb after "to", before its object, put in a past form ("to approve
  the budget" -> "to approved the budget").

* ``lost-apostrophe``: the curly apostrophe of a contraction or a possessive lost to a question
  mark, U+FFFD or a space ("don’t" -> "don?t", "Japan’s" -> "Japan s");
* ``doubled-phrase``: two or three words in a row written twice ("said that the" -> "said that
  said that the").

The last four classes came later, in two batches: each class is drawn after the classes
before it, from the paragraphs left, with a random stream of its own, and each batch adds as
many controls again, so the cases of the classes before stay what they were.

The expected output of a garbled case is the original paragraph; a ``control`` case is an
untouched paragraph, expected to come out exactly as it went in. Every paragraph is used once.

Documents are split by a hash of their file name into ``dev`` (used while tuning the rules) and
``heldout`` (only measured), so the two parts never share an article.

Run from the repository: ``.venv/bin/python bench/make_repair_cases.py`` writes
``tests/data/repair_cases.jsonl``; ``--per-class N`` sets the garbled cases per class and split
(controls: as many as all garbled cases of the split), ``--out`` another file, ``--split`` only
one part. Exit 2 when the bench data is absent.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path("/work/shared/bench-data")
DATASETS = ("scrapinghub-aeb", "wcxb-articles", "readability-testpages")
OUT = REPO / "tests" / "data" / "repair_cases.jsonl"
CLASSES = ("modal-past", "modal-do-so-past", "glued-words", "doubled-word",
           "missing-space-after-punctuation")
#: Classes drawn after the first ones (and their controls), in batches: each class with a random
#: stream of its own, each batch followed by its controls, so a later batch leaves the cases of
#: the earlier ones as they were.
ADDED_BATCHES = (("do-support-past", "to-past-object"), ("lost-apostrophe", "doubled-phrase"))
ADDED_CLASSES = tuple(name for batch in ADDED_BATCHES for name in batch)
SEED = 20240613
MIN_CHARS, MAX_CHARS = 80, 400

# Closed word classes the injection uses (wider than the rules' own lists on purpose: the
# measurement should show what the rules miss, not only what they were written for).
MODALS = ("will", "would", "can", "could", "shall", "should", "may", "might", "must", "cannot")
NOT_MAIN_VERBS = frozenset({"be", "have", "do", "get"})
FUNCTION_WORDS = frozenset(
    "the and of to in for on with that a an as at by from is was but or it its this are were "
    "has have be not will his her their".split())
ARTICLES = ("the", "a", "an")

_TOKEN = re.compile(r"\S+")
_PLAIN = re.compile(r"[A-Za-z]+")
_WORD_IN_TOKEN = re.compile(r"^([\"“‘(]*)([A-Za-z]+)([,.;:!?\"”’)]*)$")


def truth_files() -> list[Path]:
    """Every truth text of the datasets used, in a fixed order."""
    files: list[Path] = []
    for name in DATASETS:
        files += sorted((DATA / name / "truth").glob("*.txt"))
    return files


def split_of(path: Path) -> str:
    """``dev`` or ``heldout``, from a hash of the dataset and file name."""
    key = f"{path.parent.parent.name}/{path.name}".encode()
    return "dev" if zlib.crc32(key) % 2 == 0 else "heldout"


def source_of(path: Path) -> str:
    return f"{path.parent.parent.name}/truth/{path.name}"


def english(paragraph: str) -> bool:
    from cleaner.lexicon import is_word
    words = [w for w in (t.strip(".,;:!?\"'()[]“”‘’") for t in paragraph.split()) if w.isalpha()]
    return len(words) >= 8 and sum(map(is_word, words)) >= 0.85 * len(words)


def paragraphs(files: list[Path]) -> list[tuple[Path, str]]:
    """English prose paragraphs of the right length, each once (the datasets repeat some)."""
    from cleaner.rulebook import textshape
    seen: set[str] = set()
    out = []
    for path in files:
        for line in path.read_text(encoding="utf-8").split("\n"):
            text = line.strip()
            if not (MIN_CHARS <= len(text) <= MAX_CHARS) or text in seen or text != line.rstrip("\n"):
                continue
            if textshape.is_prose(text) and english(text):
                seen.add(text)
                out.append((path, text))
    return out


def untouched_by_the_rest(texts: list[str]) -> list[bool]:
    """For each text: does the cleaner without its repair rules give it back unchanged?"""
    from cleaner import Cleaner
    from cleaner.config import Config
    from cleaner.rulebook import load_rules
    repair = tuple(r.id for r in load_rules().rules if r.stage == "repair")
    cleaner = Cleaner(Config(grammar="off", disable=repair))
    return [cleaner.clean(t, source_format="text", to="text").output.rstrip("\n") == t for t in texts]


# --- injections: each returns the garbled paragraph, or None when the paragraph has no place --


def _verb_sites(text: str) -> list[tuple[re.Match, str, list[str]]]:
    """(match of the base verb, modal, adverbs between) for each modal + base verb."""
    from cleaner.lexicon import is_adverb, parts_of_speech
    import lemminflect
    words = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*", text))
    sites = []
    for i, word in enumerate(words):
        if word.group() not in MODALS:
            continue
        j, between = i + 1, []
        while j < len(words) and len(between) < 2 and is_adverb(words[j].group()) \
                and "VERB" not in parts_of_speech(words[j].group()):
            between.append(words[j].group())
            j += 1
        if j >= len(words):
            continue
        verb = words[j]
        gap = text[word.end():verb.start()]
        if gap.strip(" ") != " ".join(between).strip() or "  " in gap:
            continue  # punctuation between: not a modal phrase
        lemmas = lemminflect.getAllLemmas(verb.group()).get("VERB", ())
        if verb.group() in lemmas and verb.group() not in NOT_MAIN_VERBS:
            sites.append((verb, word.group(), between))
    return sites


def _past_forms(base: str) -> list[str]:
    import lemminflect
    forms = set(lemminflect.getInflection(base, "VBD")) | set(lemminflect.getInflection(base, "VBN"))
    return sorted(f for f in forms if f != base and f.isalpha())


def inject_modal_past(text: str, rng: random.Random) -> str | None:
    sites = [(m, modal, b) for m, modal, b in _verb_sites(text) if _past_forms(m.group())]
    if not sites:
        return None
    verb, _, _ = rng.choice(sites)
    past = rng.choice(_past_forms(verb.group()))
    return text[:verb.start()] + past + text[verb.end():]


def inject_do_so(text: str, rng: random.Random) -> str | None:
    sites = [(m, modal, b) for m, modal, b in _verb_sites(text) if _past_forms(m.group())]
    if not sites:
        return None
    verb, _, _ = rng.choice(sites)
    past = rng.choice(_past_forms(verb.group()))
    return text[:verb.start()] + "do so " + past + text[verb.end():]


#: A negated "do" ("did not", "doesn't"), perhaps an adverb, then a word; "to", then a word and
#: the start of its object.
_DO_SITE = re.compile(r"\b(?:did|does|do)(?: not|n['’]t)(?: (?P<adverb>[a-z]+ly|even|also|just|ever))? (?P<verb>[a-z]+)\b")
_TO_SITE = re.compile(r"(?<![\w'’-])to (?P<verb>[a-z]+) (?=(?:the|a|an|his|her|its|their|our|my|your|this|that|"
                      r"these|those|it|them|him|us|me)\b)")


def _base_verb(word: str) -> bool:
    """True for a verb's base form (not be, have, do, get) that has a past form of its own."""
    import lemminflect
    lemmas = lemminflect.getAllLemmas(word).get("VERB", ())
    return word in lemmas and word not in NOT_MAIN_VERBS and bool(_past_forms(word))


def _inject_past_at(text: str, sites: list[re.Match], rng: random.Random) -> str | None:
    sites = [m for m in sites if _base_verb(m.group("verb"))]
    if not sites:
        return None
    verb = rng.choice(sites)
    past = rng.choice(_past_forms(verb.group("verb")))
    return text[:verb.start("verb")] + past + text[verb.end("verb"):]


def inject_do_support(text: str, rng: random.Random) -> str | None:
    return _inject_past_at(text, list(_DO_SITE.finditer(text)), rng)


def inject_to_past(text: str, rng: random.Random) -> str | None:
    return _inject_past_at(text, list(_TO_SITE.finditer(text)), rng)


def inject_glue(text: str, rng: random.Random) -> str | None:
    tokens = list(_TOKEN.finditer(text))
    plain, comma = [], []
    for a, b in zip(tokens, tokens[1:]):
        if text[a.end():b.start()] != " ":
            continue
        left = _WORD_IN_TOKEN.match(a.group())
        right = _WORD_IN_TOKEN.match(b.group())
        if not left or not right or left.group(2) == "" or right.group(1):
            continue
        lw, rw = left.group(2), right.group(2)
        if lw.lower() not in FUNCTION_WORDS and rw.lower() not in FUNCTION_WORDS:
            continue
        if left.group(3) == "":
            plain.append((a, b, len(left.group(1))))
        elif left.group(3) == "," and lw[0].isupper() and rw in ARTICLES:
            comma.append((a, b, len(left.group(1))))
    if comma and (not plain or rng.random() < 0.3):
        a, b, _ = rng.choice(comma)
        return text[:a.end() - 1] + text[b.start():]  # "Italy, the" -> "Italythe"
    if not plain:
        return None
    a, b, _ = rng.choice(plain)
    return text[:a.end()] + text[b.start():]


def inject_doubled(text: str, rng: random.Random) -> str | None:
    words = [m for m in re.finditer(r"(?<![\w'’-])[A-Za-z]+(?![\w'’-])", text)]
    if not words:
        return None
    kind = rng.random()
    if kind < 0.2:  # a sentence's first word: "The" -> "The the"
        starts = [m for m in words if m.start() == 0 or text[:m.start()].rstrip(" \"“")[-1:] in ".!?"]
        starts = [m for m in starts if m.group()[0].isupper() and len(m.group()) > 1]
        if starts:
            from cleaner.lexicon import parts_of_speech
            m = rng.choice(starts)
            copy = m.group().lower() if parts_of_speech(m.group()) or m.group() in ("The", "A", "An") else m.group()
            return text[:m.end()] + " " + copy + text[m.end():]
    pool = [m for m in words if (m.group().lower() in FUNCTION_WORDS) == (kind < 0.6)] or words
    m = rng.choice(pool)
    return text[:m.end()] + " " + m.group() + text[m.end():]


def inject_missing_space(text: str, rng: random.Random) -> str | None:
    sites = {mark: [] for mark in ".,;:!?"}
    for m in re.finditer(r"([.,;:!?])([”’\")]?) (?=[“‘\"(]?[A-Za-z])", text):
        if m.group(1) == "." and m.start() > 0 and text[m.start() - 1] == ".":
            continue  # an ellipsis
        sites[m.group(1)].append(m)
    marks = [mark for mark, found in sites.items() if found]
    if not marks:
        return None
    m = rng.choice(sites[rng.choice(marks)])  # marks evenly, not by their frequency
    return text[:m.end() - 1] + text[m.end():]


#: A curly apostrophe in a contraction or a possessive ("don’t", "Japan’s").
_APOSTROPHE = re.compile(r"(?<=[A-Za-z])’(?=(?:t|s|m|d|ll|re|ve)(?![\w'’-]))")


def inject_lost_apostrophe(text: str, rng: random.Random) -> str | None:
    """One curly apostrophe lost to a question mark, U+FFFD or a space, as a wrong decoding or
    an ASCII-only copy leaves it (a straight apostrophe is ASCII: copies keep it)."""
    sites = list(_APOSTROPHE.finditer(text))
    if not sites:
        return None
    m = rng.choice(sites)
    return text[:m.start()] + rng.choice(("?", "\ufffd", " ")) + text[m.end():]


#: Two or three words in a row, nothing but single spaces between them.
_PHRASE = re.compile(r"(?<![\w'’-])[A-Za-z][a-z'’]*(?: [a-z][a-z'’]*){1,2}(?![\w'’-])")


def inject_doubled_phrase(text: str, rng: random.Random) -> str | None:
    """Two or three words written twice in a row ("said that" -> "said that said that")."""
    sites = []
    for m in re.finditer(r"(?<![\w'’-])[A-Za-z][a-z'’]*", text):
        size = rng.choice((2, 3))
        run = _PHRASE.match(text, m.start())
        if run and len(run.group().split()) >= size:
            sites.append((m.start(), " ".join(run.group().split()[:size])))
    if not sites:
        return None
    start, phrase = rng.choice(sites)
    end = start + len(phrase)
    return text[:end] + " " + phrase + text[end:]


INJECT = {
    "modal-past": inject_modal_past,
    "modal-do-so-past": inject_do_so,
    "glued-words": inject_glue,
    "doubled-word": inject_doubled,
    "missing-space-after-punctuation": inject_missing_space,
    "do-support-past": inject_do_support,
    "to-past-object": inject_to_past,
    "lost-apostrophe": inject_lost_apostrophe,
    "doubled-phrase": inject_doubled_phrase,
}


def build(per_class: int, splits: tuple[str, ...], seed: int = SEED) -> list[dict]:
    """The cases: per split, ``per_class`` garbled cases of each class, then as many controls."""
    rng = random.Random(seed)
    files = truth_files()
    pool = paragraphs(files)
    keep = untouched_by_the_rest([text for _, text in pool])
    pool = [item for item, ok in zip(pool, keep) if ok]
    cases: list[dict] = []
    for split in splits:
        items = [(path, text) for path, text in pool if split_of(path) == split]
        rng.shuffle(items)
        used: set[int] = set()
        for name in CLASSES:
            _garble(cases, split, items, used, name, per_class, rng)
        made = _controls(cases, split, items, used, per_class * len(CLASSES), 0)
        for batch in ADDED_BATCHES:
            for name in batch:
                _garble(cases, split, items, used, name, per_class, random.Random(f"{seed}-{split}-{name}"))
            made = _controls(cases, split, items, used, per_class * len(batch), made)
    return cases


def _garble(cases: list[dict], split: str, items: list, used: set[int], name: str, per_class: int,
            rng: random.Random) -> None:
    """Append ``per_class`` cases of class ``name`` from the paragraphs not ``used`` yet."""
    made = 0
    for index, (path, text) in enumerate(items):
        if made == per_class:
            break
        if index in used:
            continue
        garbled = INJECT[name](text, rng)
        if garbled is None or garbled == text:
            continue
        used.add(index)
        made += 1
        cases.append({"id": f"{split}-{name}-{made:03d}", "class": name, "split": split,
                      "source": source_of(path), "input": garbled, "expected": text})


def _controls(cases: list[dict], split: str, items: list, used: set[int], count: int, made: int) -> int:
    """Append ``count`` controls from the paragraphs not ``used`` yet, numbered on from ``made``."""
    for index, (path, text) in enumerate(items):
        if count == 0:
            break
        if index not in used:
            used.add(index)
            made += 1
            count -= 1
            cases.append({"id": f"{split}-control-{made:03d}", "class": "control", "split": split,
                          "source": source_of(path), "input": text, "expected": text})
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-class", type=int, default=24, help="garbled cases per class and split")
    parser.add_argument("--split", choices=("dev", "heldout"), help="build one part only")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not truth_files():
        print(f"make_repair_cases: no truth texts under {DATA}/<dataset>/truth/ "
              f"({', '.join(DATASETS)}); the bench data is needed to build the cases", file=sys.stderr)
        return 2
    splits = (args.split,) if args.split else ("dev", "heldout")
    cases = build(args.per_class, splits, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        for case in cases:
            handle.write(json.dumps(case, ensure_ascii=False) + "\n")
    counts: dict[tuple[str, str], int] = {}
    for case in cases:
        key = (case["split"], case["class"])
        counts[key] = counts.get(key, 0) + 1
    print(f"{len(cases)} cases, {args.out.stat().st_size // 1024} KB -> {args.out}")
    for (split, name), n in sorted(counts.items()):
        print(f"  {split:8} {name:34} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
