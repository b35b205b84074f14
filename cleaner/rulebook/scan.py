"""Searching many blocks at once: their texts joined by newlines, and which patterns find there
everything they find in each block alone.
"""
from __future__ import annotations

import bisect
import functools
import re


def joinable(pattern: re.Pattern | None) -> bool:
    """True when ``pattern``, searched with "^" and "$" matching at each line, finds in lines
    joined by newlines a match touching every line it matches alone.

    There a pattern sees the same text at a line's start and end as alone, but for the newline
    (and the line) past it. A match can then only be lost to what looks past the newline and
    may refuse it: a negative lookaround that could match text holding a newline, a
    whole-string anchor (\\A, \\Z), or an atomic group or possessive repeat (it may run past
    the newline and not give back). Positive lookarounds and "^"/"$" only find more.
    """
    if pattern is None:
        return True
    if not isinstance(pattern, re.Pattern) or pattern.flags & re.DOTALL:  # several patterns kept apart
        return False
    from re import _constants as sre, _parser
    try:
        items = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unexpected shape only costs speed
        return False
    unsafe_at = {sre.AT_BEGINNING_STRING, sre.AT_END_STRING}

    def safe(seq) -> bool:
        for op, arg in seq:
            if op in (sre.ATOMIC_GROUP, sre.POSSESSIVE_REPEAT) or (op is sre.AT and arg in unsafe_at):
                return False
            if op is sre.ASSERT_NOT:
                if not never_newline(arg[1], sre):
                    return False
            elif not all(safe(sub) for sub in subpatterns(arg)):
                return False
        return True

    return safe(items)


#: Which categories of a character class take a newline.
_NEWLINE_IN_CATEGORY = {"CATEGORY_SPACE": True, "CATEGORY_NOT_SPACE": False, "CATEGORY_DIGIT": False,
                        "CATEGORY_NOT_DIGIT": True, "CATEGORY_WORD": False, "CATEGORY_NOT_WORD": True,
                        "CATEGORY_LINEBREAK": True, "CATEGORY_NOT_LINEBREAK": False}


def never_newline(seq, sre) -> bool:
    """True when no text holding a newline can match the parsed pattern ``seq`` (plain
    characters, classes, groups, alternatives and repeats only; anything else counts as able)."""
    newline = ord("\n")
    for op, arg in seq:
        if op is sre.LITERAL:
            if arg == newline:
                return False
        elif op is sre.NOT_LITERAL:
            if arg != newline:
                return False
        elif op is sre.IN:
            takes, negate = False, False
            for item_op, item in arg:
                if item_op is sre.NEGATE:
                    negate = True
                elif item_op is sre.LITERAL:
                    takes = takes or item == newline
                elif item_op is sre.RANGE:
                    takes = takes or item[0] <= newline <= item[1]
                elif item_op is sre.CATEGORY and str(item) in _NEWLINE_IN_CATEGORY:
                    takes = takes or _NEWLINE_IN_CATEGORY[str(item)]
                else:
                    return False
            if takes != negate:
                return False
        elif op in (sre.SUBPATTERN, sre.BRANCH, sre.MAX_REPEAT, sre.MIN_REPEAT):
            if not all(never_newline(sub, sre) for sub in subpatterns(arg)):
                return False
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            # a look-around inside: at a newline it sees what it sees at the text's edge when
            # nothing it matches can hold a newline
            if not never_newline(arg[1], sre):
                return False
        elif op is not sre.ANY:  # "." takes no newline without DOTALL (refused above)
            return False
    return True


def class_chars(arg, sre, limit: int | None = None) -> set[int] | None:
    """The code points of a parsed character class made of characters and ranges only (at most
    ``limit`` of them, when given); None for a negated class, a category (\\s, \\w) or a
    larger one."""
    chars: set[int] = set()
    for item_op, item in arg:
        if item_op is sre.LITERAL:
            chars.add(item)
        elif item_op is sre.RANGE and (limit is None or item[1] - item[0] < limit):
            chars.update(range(item[0], item[1] + 1))
        else:
            return None
        if limit is not None and len(chars) > limit:
            return None
    return chars


def subpatterns(arg) -> list:
    """The nested sequences in one parsed regex item's argument."""
    from re import _parser
    out = []
    stack = [arg]
    while stack:
        item = stack.pop()
        if isinstance(item, _parser.SubPattern):
            out.append(item)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return out


class Joined:
    """Some blocks' texts joined by newlines (one before the first and after the last too), with
    where each starts (see _LineMatcher.candidates)."""

    def __init__(self, indexes: list[int], texts: list[str]):
        self.indexes = indexes
        self.starts = []
        position = 1
        for text in texts:
            self.starts.append(position)
            position += len(text) + 1
        self.text = "\n" + "\n".join(texts) + "\n"

    @functools.cached_property
    def inner(self) -> str:
        """The texts joined, without the newlines before the first and after the last."""
        return self.text[1:-1]

    @functools.cached_property
    def lower(self) -> str:
        """The text in lower case."""
        return self.text.lower()

    def touched(self, pattern: re.Pattern, lead: int = 0, lower: bool = False) -> set[int]:
        """Indexes of the blocks some match of ``pattern`` overlaps (or starts in); ``lead``:
        characters the pattern matches before the block (the newline); ``lower``: search the
        lower-cased text (where lower-casing changes the text's length, every block counts)."""
        text = self.text
        if lower:
            text = self.lower
            if len(text) != len(self.text):
                return set(self.indexes)
        out: set[int] = set()
        starts, indexes = self.starts, self.indexes
        for match in pattern.finditer(text):
            begin = match.start() + lead
            first = max(0, bisect.bisect_right(starts, begin) - 1)
            last = bisect.bisect_right(starts, max(begin, match.end() - 1)) - 1
            out.update(indexes[first:last + 1])
        return out
