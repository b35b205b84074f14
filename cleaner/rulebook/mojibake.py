"""Cheap first tests for the unicode rule: which texts ftfy could change, and which could be
mojibake at all (read from ftfy's own badness pattern).
"""
from __future__ import annotations

import functools
import re

import ftfy

from cleaner.rulebook.scan import class_chars


#: Runs of spaces and tabs between words, which the whitespace stage folds into one space
#: (whitespace.doubled-spaces); only runs holding a tab can change what ftfy sees.
_FOLDED_LATER = re.compile(r"(?<=\S)[ \t\u00a0]*\t[ \t\u00a0]*(?=\S)")


def later_spacing(text: str) -> str:
    """``text`` with the runs of spacing the whitespace stage will fold folded already."""
    if "\t" not in text:
        return text
    return _FOLDED_LATER.sub(lambda m: " " if len(m.group(0)) > 1 else m.group(0), text)


@functools.lru_cache(maxsize=1)
def mojibake_marks() -> re.Pattern | None:
    """Characters at least one of which every mojibake sequence ftfy looks for contains.

    ftfy's ``is_bad`` is one large alternation tried at every position, slow on long text. Each
    of its alternatives needs some character from a class of non-ASCII characters; the union of
    the rarest such class of each alternative is the set built here, read from ftfy's own pattern.
    Text without any of them cannot match, and a plain character-class search says so quickly.
    None when the pattern has another shape (then every text is tested in full).
    """
    from re import _constants as sre, _parser
    from ftfy.badness import BADNESS_RE

    if BADNESS_RE.flags & re.IGNORECASE:
        return None
    try:
        items = list(_parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags))
    except Exception:  # noqa: BLE001 - an unexpected pattern only costs speed
        return None
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        branches = items[0][1][1]
    else:
        branches = [items]
    marks: set[int] = set()
    for branch in branches:
        best = None
        for op, arg in branch:
            if op is sre.LITERAL:
                chars = {arg}
            elif op is sre.IN:
                chars = class_chars(arg, sre)
            else:
                continue
            if not chars or min(chars) < 128:
                continue
            key = (sum(1 for c in chars if c in _TYPOGRAPHY), sum(1 for c in chars if c in _COMMON_NON_ASCII),
                   len(chars))
            if best is None or key < best[0]:
                best = (key, chars)
        if best is None:
            return None
        marks |= best[1]
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(marks)) + "]")


@functools.lru_cache(maxsize=1)
def _badness_width() -> int | None:
    """The longest match ftfy's badness pattern can make, when every match is decided by its own
    characters alone (no look-arounds, word boundaries or end anchors; a start anchor holds only
    at the text's true start, wherever a search begins) and at most 32 long; else None."""
    from re import _constants as sre, _parser
    from ftfy.badness import BADNESS_RE

    try:
        parsed = _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    except Exception:  # noqa: BLE001 - an unexpected pattern only costs speed
        return None
    stack = [parsed]
    while stack:
        item = stack.pop()
        if isinstance(item, _parser.SubPattern):
            stack.extend(item.data)
        elif isinstance(item, (list, tuple)):
            if item and item[0] is sre.AT and item[1] not in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
                return None  # "^" holds only at the string's start, wherever a search begins
            if item and item[0] in (sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF, sre.GROUPREF_EXISTS):
                return None
            stack.extend(x for x in item if isinstance(x, (list, tuple, _parser.SubPattern)))
    low, high = parsed.getwidth()
    return high if high <= 32 else None


def looks_bad(text: str) -> bool:
    """ftfy's ``is_bad(text)``, searching only the stretches around the mojibake marks.

    Every match of ftfy's badness pattern holds a mark (``mojibake_marks``) and is at most
    ``width`` characters long, so it lies within ``width - 1`` characters either side of one: the
    pattern is tried on those windows (merged where they overlap) instead of the whole text.
    """
    from ftfy.badness import BADNESS_RE, is_bad

    marks, width = mojibake_marks(), _badness_width()
    if marks is None or width is None:
        return is_bad(text)
    search = BADNESS_RE.search
    start = end = None
    for match in marks.finditer(text):
        position = match.start()
        low = max(0, position - width + 1)
        if end is None or low > end:
            if end is not None and search(text, start, end):
                return True
            start = low
        end = min(len(text), position + width)
    return end is not None and search(text, start, end) is not None


#: Non-ASCII characters frequent in clean text (accented Latin letters, typographic punctuation,
#: common signs); a mark class is chosen to avoid them where it can, and above all to avoid the
#: typography nearly every published article has (curly quotes, dashes, bullets, ellipses).
_COMMON_NON_ASCII = frozenset([*range(0xA0, 0x100), *range(0x2000, 0x2070), 0x20AC, 0x2122])


_TYPOGRAPHY = frozenset(map(ord, "\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026"))


#: Characters some ftfy fixer rewrites whatever their context: control, C1 and format
#: characters; Latin ligatures; line separators; lone surrogates.
_FTFY_TRIGGERS = ("\x00-\x08\x0b-\x1f\x7f-\x9f\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3"
                  "\ufb00-\ufb06\u2028\u2029\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff")


def _entity_test():
    """A test of whether an "&" at a position starts what ftfy's HTML unescaper decodes
    ("&amp;", "&#39;"; not a bare "AT&T"), read from ftfy's own entity pattern; when that pattern
    has another shape, every "&" counts."""
    try:
        from ftfy.chardata import HTML_ENTITY_RE
    except ImportError:
        return None
    if not HTML_ENTITY_RE.pattern.startswith("&") or HTML_ENTITY_RE.flags & ~re.UNICODE:
        return None
    return HTML_ENTITY_RE.match


def _trigger_search(characters: str):
    """A search for a trigger character, or an "&" that starts an HTML entity, in a text."""
    search = re.compile(f"[&{characters}]").search
    entity = _entity_test()
    if entity is None:
        return lambda text: search(text) is not None

    def triggered(text: str) -> bool:
        match = search(text)
        while match is not None:
            if match.group() != "&" or entity(text, match.start()):
                return True
            match = search(text, match.end())
        return False

    return triggered


_ascii_triggered = _trigger_search("\\x00-\\x08\\x0b-\\x1f\\x7f")


#: Options under which ``_FTFY_TRIGGERS`` plus the mojibake test cover every possible change.
_INERT_OPTIONS = {"uncurl_quotes": False, "fix_character_width": False}


def ftfy_inert_check(config: ftfy.TextFixerConfig):
    """A cheap test of whether ftfy could change a text under ``config``.

    The test returns True for text ftfy returns unchanged, False for text it may change, and
    None when that depends only on whether the text looks like mojibake (ftfy's ``is_bad``, the
    test its encoding fixer starts with), which the caller checks. ASCII text without an entity or
    control characters never changes. Other text may change only when it holds a trigger
    character or an HTML entity, is not in the configured normal form, or looks like mojibake. Under options the
    test does not model (curly quotes or full-width forms rewritten), non-ASCII text gets False.
    """
    import unicodedata

    modelled = all(getattr(config, key) == value for key, value in _INERT_OPTIONS.items())
    triggered = _trigger_search(_FTFY_TRIGGERS)
    form = config.normalization

    def inert(text: str) -> bool | None:
        if text.isascii():
            return not _ascii_triggered(text)
        if not modelled or triggered(text):
            return False
        if form is not None and not unicodedata.is_normalized(form, text):
            return False
        return None if config.fix_encoding else True

    return inert
