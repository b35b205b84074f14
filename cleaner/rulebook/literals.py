"""Literal prefilters: the strings one of which a pattern's every match must contain.

A rule's regular expression is read (from Python's own parse of it) for the literal text it
cannot match without: "subscribe" in ``(?:please )?subscribe to (?:our|the) newsletter``, one
of {"would", "could"} in ``\\b(?:would|could) \\w+ed\\b``. A document whose text holds none of
a rule's literals cannot match it, and a plain substring search (or one automaton pass for
every rule at once) says so far faster than the expression can: the expression then runs only
on documents that may hold a match, and the result is the same.

Case: every literal and every text is compared in case-folded form (with the dotted and dotless
Turkish i folded to "i"), so a literal found by a case-insensitive expression is found here too.
The test is one-sided: finding a literal does not mean the pattern matches.
"""
from __future__ import annotations

import bisect
import collections
import functools
import re
import unicodedata
from typing import Iterable

from cleaner.rulebook import memo
from cleaner.rulebook.scan import class_chars

#: Strings shorter than this say too little to be worth a search (but a single mark such as "@",
#: "©" or "/" does); a pattern whose best literal set holds one gets no prefilter.
MIN_LENGTH = 2
#: How many strings a set of alternatives may grow to (``(?:a|b)(?:c|d)`` is four).
MAX_STRINGS = 64
#: A class of at most this many characters counts as its characters ("[Ss]" as "s").
MAX_CLASS = 6


def fold(text: str) -> str:
    """``text`` in the form literals are compared in: case-folded, the Turkish dotted and
    dotless i as "i" (a case-insensitive expression takes both for "i"; casefolding alone
    would not)."""
    if text.isascii():
        return text.lower()  # the same as casefold() there, and much quicker
    folded = text.casefold()
    if "\u0307" in folded:
        folded = folded.replace("i\u0307", "i")  # "İ" folds to "i" and a combining dot
    if "\u0131" in folded:
        folded = folded.replace("\u0131", "i")
    return folded


@memo.of_texts(8)  # the same document's text, asked for by rule after rule
def _folded(text: str) -> str:
    return fold(text)


def holds_any(text: str, strings: frozenset[str]) -> bool:
    """True when ``text`` holds one of ``strings`` (folded strings, see :func:`required`) in any
    case. Strings without letters are looked for in the text as it is; others in its folded
    form, made once for a text however many rules ask."""
    caseless = [s for s in strings if _caseless(s)]
    if any(s in text for s in caseless):
        return True
    if len(caseless) == len(strings):
        return False
    folded = _folded(text)
    return any(s in folded for s in strings)


@functools.lru_cache(maxsize=4096)
def _caseless(string: str) -> bool:
    """True when no letter or mark of ``string`` could come from folding another character."""
    return all(unicodedata.category(ch)[0] not in "LM" for ch in string)


class Prefilter:
    """Many rules' literal sets, looked for in one automaton pass over a text.

    ``locate(texts)`` says which texts hold each literal, ``locate_gates(texts)`` which hold one
    of each gate's literals; a rule whose set shares none with a text cannot match there.
    """

    def __init__(self, gates: Iterable[frozenset[str] | None]):
        import ahocorasick_rs

        self.gates = frozenset(g for g in gates if g)
        self.literals = sorted(set().union(*self.gates)) if self.gates else []
        #: each gate's number, and for each literal the numbers of the gates that hold it
        self.gate_number = {gate: n for n, gate in enumerate(sorted(self.gates, key=sorted))}
        self._gates_of = [tuple(n for gate, n in self.gate_number.items() if literal in gate)
                          for literal in self.literals]
        self._automaton = ahocorasick_rs.AhoCorasick(
            self.literals, implementation=ahocorasick_rs.Implementation.DFA) if self.literals else None

    def locate(self, texts: list[str]) -> dict[str, set[int]]:
        """For each literal found in ``texts`` (folded, see :func:`fold`), the indexes of the
        texts holding it."""
        literals = self.literals
        return {literals[i]: where for i, where in self._found(texts).items()}

    def locate_gates(self, texts: list[str]) -> list[set[int]]:
        """For each gate, by :attr:`gate_number`, the indexes of the texts holding one of its
        literals."""
        out: list[set[int]] = [set() for _ in self.gate_number]
        for literal, where in self._found(texts).items():
            for n in self._gates_of[literal]:
                out[n] |= where
        return out

    def _found(self, texts: list[str]) -> dict[int, set[int]]:
        """Literal (by index) -> indexes of the texts holding it."""
        if self._automaton is None or not texts:
            return {}
        starts = []
        position = 0
        for text in texts:
            starts.append(position)
            position += len(text) + 1
        found: dict[int, set[int]] = collections.defaultdict(set)
        where = bisect.bisect_right
        for literal, start, _ in self._automaton.find_matches_as_indexes("\n".join(texts), overlapping=True):
            found[literal].add(where(starts, start) - 1)
        return found


def required(patterns: Iterable[re.Pattern | None]) -> frozenset[str] | None:
    """Folded strings one of which every match of any of ``patterns`` contains; None when one
    of them has no such set (or only strings shorter than :data:`MIN_LENGTH`)."""
    out: set[str] = set()
    for pattern in patterns:
        if pattern is None:
            continue
        sub = getattr(pattern, "patterns", None)  # an alternation kept as separate patterns
        found = required(sub) if sub is not None else _required_one(pattern)
        if found is None:
            return None
        out |= found
    return _minimal(out) if out else None


def _minimal(strings: set[str]) -> frozenset[str]:
    """``strings`` without those that hold another of them: a text holding "back to top button"
    holds "back to top", so the shorter one alone says as much."""
    kept: list[str] = []
    for string in sorted(strings, key=len):
        if not any(shorter in string for shorter in kept):
            kept.append(string)
    return frozenset(kept)


def _required_one(pattern: re.Pattern) -> frozenset[str] | None:
    from re import _parser
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unexpected shape only means no prefilter
        return None
    exact, needed = _sequence(list(parsed))
    best = _better(exact, needed)
    if best is None or _score(best) < MIN_LENGTH:
        return None
    return frozenset(best)


def _score(strings: set[str] | frozenset[str] | None) -> int:
    """How telling a set is: the length of its shortest string, a single mark counting as two
    (0 for none)."""
    if not strings:
        return 0
    return min(len(s) if len(s) != 1 or s.isalnum() or s.isspace() or s in _COMMON_MARKS else 2
               for s in strings)


#: Marks found in nearly every text: one of them alone says nothing.
_COMMON_MARKS = frozenset(".,;:'\"-")


def _better(a, b):
    """The more telling of two sets (shortest string longest, then fewest strings)."""
    if not a or _score(a) == 0:
        return b if b and _score(b) else None
    if not b or _score(b) == 0:
        return a
    return a if (_score(a), -len(a)) >= (_score(b), -len(b)) else b


def _sequence(items) -> tuple[set[str] | None, set[str] | None]:
    """(the exact strings the sequence matches, or None; a required set, or None)."""
    run: set[str] | None = {""}
    exact_all = True
    best: set[str] | None = None
    for op, arg in items:
        exact, needed = _node(op, arg)
        best = _better(best, needed)
        if exact is not None and run is not None:
            joined = {a + b for a in run for b in exact}
            if len(joined) <= MAX_STRINGS:
                run = joined
                continue
        exact_all = False
        best = _better(best, run)  # what came before this item is needed as it stands
        run = exact if exact is not None and len(exact) <= MAX_STRINGS else {""}
    best = _better(best, run)
    return (run if exact_all else None), best


def _node(op, arg) -> tuple[set[str] | None, set[str] | None]:
    from re import _constants as sre
    if op is sre.LITERAL:
        return {fold(chr(arg))}, None
    if op is sre.IN:
        chars = class_chars(arg, sre, MAX_CLASS)  # a small plain class: "[Ss]", "[.!?]"
        return ({fold(chr(c)) for c in chars}, None) if chars is not None else (None, None)
    if op is sre.ASSERT and arg[0] == 1:  # a look-ahead: zero width, but its text is there
        exact, needed = _sequence(list(arg[1]))
        return {""}, _better(exact, needed)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {""}, None  # zero width
    if op is sre.SUBPATTERN:
        return _sequence(list(arg[3]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(arg))
    if op is sre.BRANCH:
        return _branch([list(seq) for seq in arg[1]])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, high, seq = arg
        exact, needed = _sequence(list(seq))
        repeated = None
        if exact is not None and high <= 2:
            strings = {""} if low == 0 else set()
            power = {""}
            for count in range(1, high + 1):
                power = {a + b for a in power for b in exact}
                if len(power) > MAX_STRINGS:
                    strings = None
                    break
                if count >= low:
                    strings |= power
            repeated = strings if strings is not None and len(strings) <= MAX_STRINGS else None
        if low >= 2 and exact is not None:  # "[ \t]{2,}" needs two of them in a row
            power = {""}
            for _ in range(low):
                power = {a + b for a in power for b in exact}
                if len(power) > MAX_STRINGS:
                    break
            else:
                needed = _better(power, needed)
        return repeated, (_better(exact, needed) if low >= 1 else None)
    return None, None  # any character, a category, a back-reference, a conditional


def _branch(seqs) -> tuple[set[str] | None, set[str] | None]:
    exacts: set[str] | None = set()
    needs: set[str] | None = set()
    for seq in seqs:
        exact, needed = _sequence(seq)
        if exacts is not None:
            exacts = exacts | exact if exact is not None else None
        if needs is not None:
            pick = _better(exact, needed)
            needs = needs | pick if pick else None
    if exacts is not None and len(exacts) > MAX_STRINGS:
        exacts = None
    return exacts, needs
