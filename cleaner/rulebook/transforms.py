"""Named transforms: the Python functions a ``substitute`` rule may call by name.

A transform takes the regex match and the rule's ``params`` and returns the replacement for
the whole match, or None to leave it alone. Each is small and has its own unit tests.
"""
from __future__ import annotations

import bisect
import itertools
import operator
import re
from typing import Any, Callable, Mapping

from cleaner import lexicon
from cleaner.rulebook import memo

Transform = Callable[[re.Match, Mapping[str, Any]], "str | None"]

TRANSFORMS: dict[str, Transform] = {}
#: A transform's first test, where it has one: ``test(text, pattern, params)`` is False only
#: when no match of the rule's ``pattern`` in ``text`` is one the transform would change, so
#: the pattern need not run. ``text`` may be several blocks joined by newlines. Instead of True
#: the test may return a test for one block's text, False for a block where no such match is.
FirstTest = Callable[[str, re.Pattern, Mapping[str, Any]], "bool | Callable[[str], bool]"]
FIRST_TESTS: dict[str, FirstTest] = {}


def transform(name: str, first_test: FirstTest | None = None) -> Callable[[Transform], Transform]:
    """Register a function as the transform ``name`` (with its ``first_test``, if any)."""
    def register(func: Transform) -> Transform:
        TRANSFORMS[name] = func
        if first_test is not None:
            FIRST_TESTS[name] = first_test
        return func
    return register


@transform("lower")
def lower(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """The match in lower case (for shouting fixes and tests of the mechanism)."""
    return match.group(0).lower()


@transform("first-char")
def first_char(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """The first character of the match: a run of repeated punctuation becomes one mark."""
    return match.group(0)[0]


# --- helpers for the repair transforms ---------------------------------------------------------
#
# The repair rules keep their closed word classes (modal verbs, determiners, function words) in
# their YAML ``params``; every other fact about a word comes from cleaner.lexicon.

_PARAM_SETS: dict[int, tuple[object, frozenset[str]]] = {}


def _param_set(params: Mapping[str, Any], key: str) -> frozenset[str]:
    """``params[key]`` (a list of words) as a lower-case frozenset, built once per list."""
    value = params.get(key, ())
    hit = _PARAM_SETS.get(id(value))
    if hit is None or hit[0] is not value:
        if not all(isinstance(v, str) for v in value):
            raise TypeError(f"params.{key} must list words (quote yes, no, on, off in YAML): {value!r}")
        hit = (value, frozenset(v.lower() for v in value))
        _PARAM_SETS[id(value)] = hit
    return hit[1]


_WORD_CHARS = "'’-_"
_APOSTROPHES = ("'s", "’s", "s'", "s’")


def _joined_to_word(text: str, index: int) -> bool:
    """True when the character at ``index`` (if any) continues a word: a letter, digit or ' - _."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] in _WORD_CHARS)


def _words_before(text: str, pos: int, limit: int) -> list[str]:
    """Up to ``limit`` words just before ``pos``, nearest first, within the clause."""
    return [word for word, _ in _words_before_at(text, pos, limit)]


def _words_before_at(text: str, pos: int, limit: int) -> list[tuple[str, int]]:
    """Up to ``limit`` words just before ``pos`` with their offsets, nearest first, within the
    clause.

    Stops at anything but spaces between plain words (a run of spaces is one gap, as the
    whitespace stage will leave it), so a comma, a quote or a sentence end ends the list ("He
    said, will" gives no words before "will").
    """
    words: list[tuple[str, int]] = []
    end = pos
    while len(words) < limit and end > 0 and text[end - 1] in " \t":
        gap = end - 1
        while gap > 0 and text[gap - 1] in " \t":
            gap -= 1
        start = gap
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _WORD_CHARS):
            start -= 1
        word = text[start:gap]
        if not word or not word[0].isalpha():
            break
        words.append((word, start))
        end = start
    return words


_NEXT_WORD = re.compile(r"[ ]+([A-Za-z][A-Za-z'’-]*)")


def _word_after(text: str, pos: int) -> str | None:
    """The word after ``pos`` when only spaces separate it from ``pos``."""
    found = _NEXT_WORD.match(text, pos)
    return found.group(1) if found else None


_SENTENCE_END = re.compile(r"[.!?](?=[\"'”’)\]]*(?:\s|$))")


def _sentence_end_mark(text: str, pos: int) -> str:
    """The mark that ends the sentence running at ``pos`` ("." "!" "?"), or "" at block end."""
    found = _SENTENCE_END.search(text, pos)
    return found.group(0) if found else ""


_WORD_BEFORE_STOP = re.compile(r"(?:^|\s)[\"'“‘(]*([A-Za-z][A-Za-z'’-]*|)\.$")


#: A list item's marker written into its text: a dash, bullet or star.
_LIST_MARKER = re.compile(r"\s*[-*•–—·>]")


def _sentence_start(text: str, pos: int) -> bool:
    """True when ``pos`` starts the block or a sentence (after . ! ? : and optional quotes, or
    after a list marker that opens the block: "- ", "• ").

    A full stop after a short abbreviation is no sentence end: "vs.", "Mr.", "Sen.", "U.S." (a
    word of three letters or less that is capitalised or not in the dictionary, or one with dots
    in it); after a short word ("it.", "up.") it is.
    """
    before = text[:pos].rstrip(" \"'“‘(")
    if not before or _LIST_MARKER.fullmatch(before):
        return True  # the block's start, or its list marker's end ("- Lackof direct contact")
    if before[-1] in "!?:":
        return True
    if before[-1] != ".":
        return False
    found = _WORD_BEFORE_STOP.search(before[-40:])
    if found is None:  # "2019.", "21%." and "(see above)." end sentences, "U.S." may not
        return not before[-2:-1].isalpha()
    word = found.group(1)
    return len(word) >= 4 or (word.islower() and bool(lexicon.parts_of_speech(word)))


def _is_possessive(word: str) -> bool:
    return word.lower().endswith(_APOSTROPHES)


def _modal_reading_doubtful(text: str, start: int, modal: str, params: Mapping[str, Any],
                            inversion: bool = True) -> bool:
    """True when the modal at ``start`` may be a noun (the will, military might) or inverted.

    * Nouns: for the modals in ``nominal`` (will, can, might, must), a determiner or possessive
      before it (``determiners``, "Ford's"), a word that is only an adjective ("political"), an
      adjective listed in ``noun_after`` ("good will", "free will") or an unknown -ed word
      ("unexecuted will").
    * Inversion (unless ``inversion`` is False): after ``inverters`` (nor, neither), or after
      ``question_words`` in a sentence that ends with "?" ("Where could used cars be found?").
    """
    before = _words_before(text, start, 1)
    if not before:
        return False
    prev = before[0].lower()
    if inversion and prev in _param_set(params, "inverters"):
        return True
    if inversion and prev in _param_set(params, "question_words") and _sentence_end_mark(text, start) == "?":
        return True
    if modal.lower() not in _param_set(params, "nominal"):
        return False
    if before[0].isupper() and len(before[0]) > 1:
        return False  # an acronym ("ITS can"), not "its"
    if prev in _param_set(params, "determiners") or prev in _param_set(params, "noun_after"):
        return True
    if _is_possessive(prev):
        return True
    tags = lexicon.parts_of_speech(prev)
    if tags == {"ADJ"}:
        return True
    return not tags and prev.endswith("ed") and not lexicon.is_word(prev)


def _adverb_between(word: str, params: Mapping[str, Any]) -> bool:
    """True for a word that may stand between a modal and its verb ("permanently", "not").

    A word that can also be a verb's base form ("back", "still", "free") is the verb itself
    unless ``between`` lists it: "would back reformed candidates" is correct English.
    """
    low = word.lower()
    if low in _param_set(params, "between"):
        return True
    return lexicon.is_adverb(word) and "VERB" not in lexicon.parts_of_speech(word)


def _base_form(word: str, params: Mapping[str, Any]) -> str | None:
    """lexicon.base_form, with the rule's ``base_reading_margin`` when it gives one."""
    margin = params.get("base_reading_margin")
    return lexicon.base_form(word) if margin is None else lexicon.base_form(word, float(margin))


def _verb_repair(verb: str, following: str | None, params: Mapping[str, Any]) -> str | None:
    """The base form for a past form after a modal, or None when it should stay.

    None when the word has no base form to go back to (lexicon.base_form, with
    ``base_reading_margin`` when given: after a modal a past reading is likelier), when the next
    word is one of ``passive_next`` ("would stationed by": a missing "be", not a wrong form), or
    when the two words are one of ``clause_openers`` ("provided that", "based on").
    """
    base = _base_form(verb, params)
    if base is None:
        return None
    if following is not None:
        if following.lower() in _param_set(params, "passive_next"):
            return None
        if f"{verb} {following}".lower() in _param_set(params, "clause_openers"):
            return None
    return base


@transform("modal-past")
def modal_past(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """Modal (+ adverbs) + past form -> modal (+ adverbs) + base form.

    The pattern supplies the group ``modal`` (whatever the match has before it is kept) and a
    ``tail`` of the few words after it (each preceded by one or more spaces, kept as they are). The first word of the tail that is a past form is the verb, if only
    adverbs (see :func:`_adverb_between`, at most ``max_between``) come before it.
    """
    text = match.string
    start = match.start("modal")
    if _joined_to_word(text, start - 1):
        return None  # "swill", "Marshall"
    parts = re.split(r"( +)", match.group("tail"))  # "", spaces, word, spaces, word ...
    words, spaces = parts[2::2], parts[1::2]
    limit = int(params.get("max_between", 3))
    for index, word in enumerate(words):
        if _base_form(word, params) is not None:
            break
        if index >= limit or not _adverb_between(word, params) or word in _param_set(params, "passive_next"):
            return None  # "should by used": a typo for "be", not an adverb
    else:
        return None
    modal = match.group("modal")
    if _modal_reading_doubtful(text, start, modal, params):
        return None
    if index + 1 < len(words):
        following = words[index + 1]
    elif _joined_to_word(text, match.end()):
        return None  # the tail stopped inside a token ("agreed’s", "stationed2")
    else:
        following = _word_after(text, match.end())
    base = _verb_repair(words[index], following, params)
    if base is None:
        return None
    words[index] = base
    return text[match.start():start] + modal + "".join(map(str.__add__, spaces, words))


@transform("modal-do-so-past")
def modal_do_so_past(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """Modal (+ adverbs) + "do so" + past form -> the base form alone ("would do so built" ->
    "would build").

    The match starts at "do so" and has the group ``verb``; the modal (one of ``modals``, in
    lower case) must come just before, with at most ``max_between`` adverbs between. Past forms
    that open a clause after "do so" (``clause_openers``: "provided that", "based on") stay.
    """
    text = match.string
    before = _words_before_at(text, match.start(), int(params.get("max_between", 3)) + 1)
    modals = _param_set(params, "modals")
    for word, modal_start in before:
        if word in modals:  # lower case only: "May", "Might" are names
            break
        if not _adverb_between(word, params):
            return None
    else:
        return None
    # no inversion test: a subject would stand between the modal and "do so"
    if _joined_to_word(text, modal_start - 1) or _modal_reading_doubtful(text, modal_start, word, params,
                                                                         inversion=False):
        return None
    return _verb_repair(match.group("verb"), _word_after(text, match.end()), params)


_LETTER_RUNS = re.compile(r"[A-Za-z]{4,}")


def may_hold_glue(text: str, pattern: re.Pattern, params: Mapping[str, Any]) -> "bool | Callable[[str], bool]":
    """The glued-words first test: False when no token of ``text`` could be split, else a test
    of whether a block's text holds one of those that could.

    A token the pattern can take is a whole run of ASCII letters (a space, mark or the text's
    start before it; a space, mark or the end after it), so every one is among the runs of
    four or more letters found here. A run counts when the pattern takes it as a token (tried
    after a space, and at a line's start) and the split test gives parts for it (in both
    readings, sentence start or not, for a capitalised run). Verdicts are remembered, so over
    many documents most runs are one set look-up: clean text, where no run splits, then costs
    one pass of a plain regex instead of the pattern's search.
    """
    never, maybe = _memo(params, "glued-words: never"), _memo(params, "glued-words: maybe")
    runs = set(_LETTER_RUNS.findall(text))
    for run in runs.difference(never).difference(maybe):
        splits = False
        if pattern.search(f" {run} ") is not None or pattern.match(f"{run} ") is not None:
            splits = any([_glue_parts(run, at_start, params) is not None
                          for at_start in ((False, True) if run[0].isupper() else (False,))]) \
                or (_opens_with_modal_only(run, params) and _glue_parts(run, False, params, True) is not None)
        (maybe if splits else never)[run] = True
    found = runs.intersection(maybe)
    if not found:
        return False
    return lambda block: not found.isdisjoint(_LETTER_RUNS.findall(block))


def _glue_parts(token: str, at_start: bool, params: Mapping[str, Any],
                after_modal: bool = False) -> tuple[str, str] | None:
    """:func:`_glue_split`, remembered per rule ``params``."""
    memo = _GLUE_MEMO[1] if _GLUE_MEMO[0] is params else _memo(params, "glued-words")
    key = (token, at_start, after_modal)
    parts = memo.get(key, _UNSEEN)
    if parts is _UNSEEN:
        parts = memo[key] = _glue_split(token, at_start, params, after_modal)
    return parts


def _opens_with_modal_only(token: str, params: Mapping[str, Any]) -> bool:
    """True when ``token`` starts with a word of ``after_modal_only`` ("beused")."""
    return token.lower().startswith(tuple(_param_set(params, "after_modal_only")))


def _after_modal(text: str, start: int, params: Mapping[str, Any]) -> bool:
    """True when the word before ``start`` is one of ``modals`` ("will", "to") or ends in a modal's
    contraction ("We'll", "it'd"): a "be" glued on there is the verb ("will beused" -> "will be
    used")."""
    before = _words_before_at(text, start, 1)
    if not before:
        return False
    word = before[0][0].lower().replace("\u2019", "'")
    return word in _param_set(params, "modals") or word.endswith(("'ll", "'d"))


@transform("glued-words", first_test=may_hold_glue)
def glued_words(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """Split a token made of a word and a function word run together ("openand" -> "open and").

    The match has the groups ``lead`` (what comes before the token: a space, an opening bracket
    or quote) and ``token`` (the whole token, without trailing punctuation); at the block start
    ``lead`` is the token's first letter, ``tail`` the rest, and ``token`` is empty. ``function_words`` are the words that may be split off (lexicon.split_glued,
    and lexicon.split_camel_glued for "andBritain"); ``compounding`` those that form compounds
    ("thereby", "whereon": see lexicon.split_glued); a word in ``after_modal_only`` is split off
    only after one of ``modals`` ("mustbe" -> "must be"; not "Bethe", "beare"). A token that opens a sentence may split off a
    short capitalised function word ("Tocreate"). Before a capitalised word, the function words
    in ``code_prefixes`` (on, is, to ...: onClick, isEmpty, toString) only split off a name
    ("toChina"); the others split off any English word ("theInternational", "ofGoogle").

    A comma goes back between the parts when the glue very likely swallowed one: a capitalised
    word, not at a sentence start, followed by one of ``comma_before`` (the articles), as in
    "with Britain and Italythe first major project" -> "Italy, the first". In clean news text a
    mid-sentence name followed by an article has a comma before the article nine times in ten
    (an appositive: "Marco Villa, the company's CEO"). At a sentence start the comma goes after an
    opening adverb in -ly or in ``comma_after_opening`` ("However, the"; not "In the").
    """
    token, lead = match.group("token"), match.group("lead")
    if token is None:  # the block's first token: its capital is the "lead"
        token, lead = lead + match.group("tail"), ""
    elif lead == ":" and match.string[match.start() - 1:match.start()] == ":":
        return None  # "CGI::startfrom": a scope in code, not a colon
    # Most candidates are ordinary words ("also", "nation"): one dictionary look-up says so.
    at_start = token[0].isupper() and _sentence_start(match.string, match.end() - len(token))
    after_modal = _opens_with_modal_only(token, params) and _after_modal(match.string, match.end() - len(token), params)
    parts = _glue_parts(token, at_start, params, after_modal)
    if parts is None:
        return None
    if lead and lead in "\"“‘" and match.string[match.end():match.end() + 1] in "\"”’":
        return None  # a quoted identifier: "onerror", “swapon”
    left, right = parts
    separator = " "
    if left[0].isupper() and left[1:].islower() and right.lower() in _param_set(params, "comma_before"):
        if at_start:
            if lexicon.parts_of_speech(left) == {"ADV"} and (
                    left.endswith("ly") or left.lower() in _param_set(params, "comma_after_opening")):
                separator = ", "  # "Howeverthe" -> "However, the", "Fortunatelya" -> "Fortunately, a"
        elif left.lower() not in _param_set(params, "function_words"):
            separator = ", "  # "Italythe first" -> "Italy, the first"
    return f"{lead}{left}{separator}{right}"


_UNSEEN = object()
_MEMOS: dict[tuple[int, str], tuple[object, dict]] = {}
#: The last (params, memo) the glue transform used: one identity test on the common path.
_GLUE_MEMO: list = [None, None]


def _memo(params: Mapping[str, Any], name: str) -> dict:
    """A results cache for one transform and one rule's ``params`` (kept while they live)."""
    hit = _MEMOS.get((id(params), name))
    if hit is None or hit[0] is not params:
        hit = _MEMOS[(id(params), name)] = (params, {})
    if len(hit[1]) > 200_000:
        hit[1].clear()
    if name == "glued-words":
        _GLUE_MEMO[:] = hit
    return hit[1]


def _glue_split(token: str, at_start: bool, params: Mapping[str, Any],
                after_modal: bool = False) -> tuple[str, str] | None:
    """The two words of a glued ``token`` under the rule's ``params``, or None (``after_modal``:
    a modal stands before the token, so a word of ``after_modal_only`` may be split off its
    start: "will beused")."""
    words = _param_set(params, "function_words")
    parts = lexicon.split_glued(token, words, sentence_start=at_start,
                                compounding=_param_set(params, "compounding") or None) \
        or lexicon.split_camel_glued(token, words, _param_set(params, "code_prefixes")) \
        or lexicon.split_acronym_glued(token, words) \
        or lexicon.split_pronoun_glued(token, _param_set(params, "after_pronoun_i"))
    if parts is None:
        return None
    left, right = parts
    modal_only = _param_set(params, "after_modal_only")
    if (left.lower() in modal_only and not after_modal) or (
            right.lower() in modal_only and left not in _param_set(params, "modals")):
        return None  # "mustbe" -> "must be", "will beused"; not "Bethe" (a name), "befor", "beare"
    return parts


#: Bytes of ASCII letters stay, every other byte becomes a space (see :func:`_has_double`).
_LETTERS_ONLY = bytes(c if 0x61 <= c <= 0x7A else 0x20 for c in range(256))


def _letter_runs(text: str, table: bytes = _LETTERS_ONLY) -> list[bytes] | None:
    """The runs of ASCII letters of ``text`` lower-cased (what ``table`` keeps; every other byte
    becomes a space), or None when lower-casing changes the text's length ("İ"), which would
    shift the runs."""
    low = text.lower()
    if len(low) != len(text):
        return None
    return low.encode("ascii", "replace").translate(table).split()


def _has_double(text: str) -> bool:
    """Whether ``text``, lower-cased, holds a run of ASCII letters written twice in a row (with
    anything but letters between: over-inclusive); True when the runs cannot be told."""
    runs = _letter_runs(text)
    return runs is None or any(map(operator.eq, runs, runs[1:]))


def may_hold_double(text: str, pattern: re.Pattern, params: Mapping[str, Any]) -> "bool | Callable[[str], bool]":
    """The doubled-word first test: False when ``text`` holds no word written twice in a row,
    else a test of whether a block's text does.

    A match the transform can change is a word (``first`` and ``rest``: ASCII letters, no letter
    before it), spacing, and the same word (``second``, equal to ``first`` in either case, then
    ``rest``; no letter after it). Lower-cased, the two are equal runs of ASCII letters side by
    side; the only other characters whose case-blind match is an ASCII letter, the Kelvin sign
    and "İ", lower-case to "k" and to two characters (then every text passes). The test is a
    byte-table pass and a split, where the pattern's search tries every word.
    """
    return _has_double if _has_double(text) else False


@transform("doubled-word", first_test=may_hold_double)
def doubled_word(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """One word where the same word is written twice ("of of" -> "of", "The the" -> "The").

    The match has the groups ``lead`` (a space, an opening quote or bracket), ``first`` (the
    first word's first letter), ``rest`` (the letters both words share) and ``second`` (the
    second word's first letter); at the block start ``lead`` is the first letter and ``first``
    is empty. English doubles some words:

    * ``allowed``: always kept ("really really", "bye bye", "gave her her book");
    * ``kept_before_finite_verb``: kept when a finite verb follows ("that that was", "that that
      means"), fixed otherwise ("found that that supplementing");
    * ``kept_unless_participle_next``: kept unless a past form follows ("had had contact" stays,
      "had had concluded" does not);
    * ``kept_after_question_word``: kept when one of ``question_words`` opens a clause earlier in
      the sentence, with words between ("what it is is", "all they do do"; not "which is is").

    Case: "The the" is fixed at a sentence start only ("Will will" elsewhere may be a name and a
    modal). Two capitalised copies are fixed when the word is a common English word ("San San
    Diego", "Calendar Calendar"), not when it is a rarer name ("Duran Duran", "Walla Walla") or a
    function word mid-sentence ("The The", a band), nor when a unit follows (a table's column
    labels: "Last Change Change %", "Price Price ($)"). Also kept: a third copy in a series
    ("brunch, brunch brunch", "no no no"), and doubles in text that is mostly not English
    ("biasa biasa": reduplication is grammar in Indonesian).
    """
    lead, first, rest, second = match.group("lead"), match.group("first"), match.group("rest"), match.group("second")
    if first is None:  # the block's first word: its capital is the "lead"
        lead, first = "", lead
    if first.lower() != second.lower():
        return None
    word = first + rest
    low = word.lower()
    text = match.string
    begin = match.start("rest") - 1
    if low in _param_set(params, "allowed"):
        return None
    following = _word_after(text, match.end())
    if _word_before_series(text, begin).lower() == low or (following or "").lower() == low:
        return None  # "brunch, brunch brunch", "no no no"
    if low in _param_set(params, "kept_before_finite_verb") and following and _finite_verb(following):
        return None
    if low in _param_set(params, "kept_unless_participle_next") and not (
            following and lexicon.base_form(following) is not None):
        return None
    if low in _param_set(params, "kept_after_question_word") and _question_word_before(
            text, begin, _param_set(params, "question_words")):
        return None
    at_start = _sentence_start(text, begin)
    if second.isupper():
        if not first.isupper() or not lexicon.is_word(word):
            return None  # "Duran Duran", "Walla Walla"
        if _UNIT_NEXT.match(text, match.end()):
            return None  # a table's column labels: "Last Change Change %", "Price Price ($)"
        if not at_start and low in _param_set(params, "kept_capitalised_mid_sentence"):
            return None  # "The The", a band
    elif first.isupper() and not at_start:
        return None
    if not _mostly_english(text):
        return None
    return lead + word


def _word_before_series(text: str, pos: int) -> str:
    """The word before ``pos``, past spaces and commas ("brunch" in "brunch, brunch")."""
    end = len(text[:pos].rstrip(", "))
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return text[start:end] if not _joined_to_word(text, start - 1) else ""


@memo.of_texts(4096)
def _mostly_english(text: str) -> bool:
    """True when at least half the words of ``text`` (the first 60) are English words."""
    words = [w for w in re.findall(r"[A-Za-z]+", text)[:60] if len(w) > 1]
    return not words or sum(map(lexicon.is_word, words)) >= 0.5 * len(words)


def _finite_verb(word: str) -> bool:
    """True for an auxiliary, or a verb form other than the base or -ing form ("was", "means",
    "happened")."""
    low = word.lower().replace("’", "'")
    if low.endswith("n't"):
        return True  # "isn't", "wasn't", "doesn't": auxiliaries
    tags = lexicon.parts_of_speech(low)
    if "AUX" in tags:
        return True
    return "VERB" in tags and not low.endswith("ing") and low not in lexicon.verb_lemmas(low)


def _question_word_before(text: str, pos: int, words: frozenset[str]) -> bool:
    """True when one of ``words`` occurs earlier in the sentence that ``pos`` is in, with at
    least one word between it and ``pos`` ("what it is is", not "which is is")."""
    start = max(text.rfind(mark, 0, pos) for mark in ".!?")
    found = re.findall(r"[A-Za-z]+", text[start + 1:pos])
    return any(w.lower() in words for w in found[:-1])


#: Characters that mark a token as an address, a path or code rather than prose.
_TECHNICAL = frozenset("/\\@=_#<>{}[]|~^*+&`")
_TRAILING = ",.;:!?)]”’\"'"
#: What may wrap the word before the mark: "(2019).", "“ready,”", "(38%),".
_LEFT_OPEN = "(\"'“‘$€£"
_LEFT_CLOSE = ")\"'”’%"


@transform("missing-space")
def missing_space(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """Put back the space after a punctuation mark glued to the next word ("strategies.It" ->
    "strategies. It", "said,and" -> "said, and").

    The match has the groups ``mark`` (. , ; : ! ?) and ``close`` (a closing quote after it, or
    nothing); the next word follows, possibly after an opening curly quote. A straight quote
    after the mark closes a quotation when an odd number of them come before it
    (``said,"Dempsey`` -> ``said," Dempsey``), and opens one otherwise (``night."Going`` ->
    ``night. "Going``). Left alone:

    * tokens that look like addresses, paths or code (a / @ = _ # ` ... anywhere in them),
      tokens with more than one mark glued to a letter (browser.urlbar.setting, a,b,c,
      to;said,and: fixing one would only open the next, so a second cleaning would change
      more), tokens that go on after the next word with anything but closing punctuation
      (R20,R21, main.Func1), and a next word followed by "=" or "(" (code: "exports.Cow = Cow;");
    * after . ! ? and : a word before the mark that holds a dot or another mark itself (e.g.,
      a.m., 1.2.3, wait...What) or is a single letter (initials, "J.Crew"), except initials in
      capitals before a full stop (U.S.Department, J.R.R.Tolkien) unless a short word and a stop
      follow them (D.O.Ca., one abbreviation; so too after a capital alone behind a hyphen:
      R-W.Va.);
    * after a full stop, a next word that is not capitalised (Node.js, file.yaml, 4 oz.cooked)
      -- a sentence starts with a capital -- unless initials in capitals come before
      (U.S.broker); single letters other than ``sentence_letters`` (A, I); a next word with more
      capitals (Class.AI, ASP.NET) unless an English word in lower case comes before
      (engines.SEM); an acronym before the stop (OS.File, UI.Button: modules); and a word in
      lower case that opens its line (pathlib.Path: a name in code, not a one-word sentence);
    * after ? and !, a next word that is neither capitalised nor an English word;
    * after a comma, a single letter before it (x,y);
    * after ;, a next word without lower-case letters (TL;DR);
    * after :, a single letter before it unless it is one of ``colon_letters`` opening a
      sentence before a capitalised word (an interview's "Q:What", "A:Yes"); a word before it in
      ``uri_schemes`` (about:home, mailto:x), a next word with capitals after its first letter
      (CC:e-Learn, Toolkit:PictureInPicture), and a lower-case next word unless both words are
      English words (about:restartrequired).
    """
    text = match.string
    if _token_longer(text, match.start(), _LONGEST_TOKEN):
        return None  # not a word: a run of glued marks ("a.a.a.a") would cost a scan per mark
    mark = match.group("mark")
    start = _attached_start(text, match.start(), mark, bool(match.group("close")))
    left_start = start
    if text[start:match.start()].strip(mark):  # across spaces: the word just before ("It" of "strategies.It ?")
        while left_start > 0 and (text[left_start - 1].isalnum() or text[left_start - 1] in "'’-)”\""):
            left_start -= 1
    else:
        while left_start > 0 and not text[left_start - 1].isspace():
            left_start -= 1
    right_end = match.end()
    while right_end < len(text) and not text[right_end].isspace():
        right_end += 1
    own_start = match.start()
    while own_start > 0 and not text[own_start - 1].isspace():
        own_start -= 1
    own = _DOUBLED_MARK.sub(lambda m: m.group(1) or m.group(2), text[own_start:right_end])
    if any(ch in _TECHNICAL for ch in text[left_start:right_end]) or len(_GLUED_MARKS.findall(own)) > 1:
        return None  # addresses, code, and runs such as "a;b,c", "to;said,and", "browser.urlbar.x"
    right_token = text[match.end():right_end].lstrip("“‘(\"")
    word_end = 0
    while word_end < len(right_token) and (right_token[word_end].isalpha() or right_token[word_end] in "'’-"):
        word_end += 1
    word, after = right_token[:word_end], right_token[word_end:]
    if not word or after.strip(_TRAILING) or _CODE_NEXT.match(text, right_end):
        return None  # "R20,R21", "main.Func1", "object.Method(x)", "exports.Cow = Cow;"
    left = text[left_start:start]
    # A doubled mark ("..", ",,", "??") becomes one in the whitespace stage: judge it as one.
    if mark in ",;!?":
        left = left.rstrip(mark)
    elif left.endswith(".") and not left.endswith(".."):
        left = left[:-1]
    left = left.lstrip(_LEFT_OPEN).rstrip(_LEFT_CLOSE)
    if not left or not (left[-1].isalnum() or (mark == "," and left[-1] == "." and len(left) > 1)):
        return None
    if mark == ",":  # after an abbreviation too: "e.g.,the"
        return None if len(left) == 1 and left.isalpha() else _spaced(match, text)
    if mark == ";":
        return _spaced(match, text) if any(ch.islower() for ch in word) else None
    plain = word[1:].replace("’", "").replace("'", "").replace("-", "")
    capitalised = word[0].isupper() and (not plain or plain.islower())
    initials = mark == "." and _INITIALS.fullmatch(left) is not None
    if (mark == "." and len(word) <= 3 and after.startswith(".")
            and (initials or _HYPHEN_INITIAL.search(left))):
        return None  # one more part of the abbreviation: "D.O.Ca.", "U.S.Sen.", "R-W.Va."
    if initials:
        return _spaced(match, text) if len(word) > 1 and (capitalised or word.islower()) else None
    if not all(ch.isalnum() or ch in "'’-" for ch in left):
        return None
    if len(left) == 1 and not left.isdigit():
        if (mark == ":" and left.isupper() and left.lower() in _param_set(params, "colon_letters")
                and _sentence_start(text, left_start) and len(word) > 1 and word[0].isupper()):
            return _spaced(match, text)  # an interview's "Q:What ...", "A:Patience"
        return None
    if mark == ".":
        if left.isalpha() and left.isupper():
            return None  # "OS.File", "UI.Button": an acronym before a dot names a module
        if left[0].islower() and not text[text.rfind("\n", 0, left_start) + 1:left_start].strip(" \t“‘\"("):
            return None  # "pathlib.Path — file paths" opens its line: a name in code, not a one-word sentence
        if len(word) == 1:
            return _spaced(match, text) if word in params.get("sentence_letters", ()) else None
        if capitalised:
            return _spaced(match, text)
        lower_word_before = left.isalpha() and left.islower() and len(left) >= 3 and lexicon.is_word(left)
        return _spaced(match, text) if word[0].isupper() and lower_word_before else None
    if mark in "!?":
        if len(word) == 1 and word not in params.get("sentence_letters", ()):
            return None  # "my6sense?s": an apostrophe lost, not a sentence's end
        if (capitalised and len(word) > 1) or (not any(ch.isupper() for ch in plain) and lexicon.is_word(word)):
            return _spaced(match, text)
        return None
    # a colon
    if left.lower() in _param_set(params, "uri_schemes"):
        return None  # "about:home", "mailto:someone"
    if any(ch.isupper() for ch in plain):
        return None  # "CC:e-Learn", "Toolkit:PictureInPicture"
    if word[0].isupper():
        return _spaced(match, text) if len(word) > 1 else None
    return _spaced(match, text) if left.isalpha() and lexicon.is_word(left) and lexicon.is_word(word) else None


_CODE_NEXT = re.compile(r" *[=(]")
#: A unit or a bracketed one after a word: the second of two column labels ("Change %").
_UNIT_NEXT = re.compile(r" +(?:[%$€£¥#]|\([%$€£¥#\w]{1,4}\))(?!\w)")
#: A mark glued to a letter, other than a stop between two single letters ("U.S.Department",
#: "e.g.,the" and "J.R.R.Tolkien" have one each). Each decision depends on its own token only,
#: so no fix opens the way for another one in a second cleaning.
_GLUED_MARKS = re.compile(r"(?:[,;:!?]|(?<![\s(\"'“‘.][A-Za-z])(?<!^[A-Za-z])\.|\.(?=[”’\"]?[“‘\"(]?[A-Za-z]{2}))"
                          r"[”’\"]?[“‘\"(]?[A-Za-z]")
#: What the whitespace stage makes of doubled marks: ",," -> ",", ".." -> "." (not "...").
_DOUBLED_MARK = re.compile(r"([,;!?])\1+|(?<!\.)(\.)\.(?!\.)")
#: A capital letter alone after a hyphen ("R-W" of "R-W.Va."): an initial.
_HYPHEN_INITIAL = re.compile(r"-[A-Z]$")
#: Initials in capitals before a full stop: "U.S", "J.R.R" (the last stop is the mark).
_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]")


#: Longer runs without white space are not two words glued by a mark (and they hold more than
#: one glued mark, which the rule leaves alone anyway); judging them would cost a scan per mark.
_LONGEST_TOKEN = 200


def _token_longer(text: str, pos: int, limit: int) -> bool:
    """Whether the run of non-white-space characters around ``pos`` is longer than ``limit``
    (False on white space); it reads at most ``limit + 1`` characters of it."""
    if pos >= len(text) or text[pos].isspace():
        return False
    start, end, size = pos, pos + 1, len(text)
    while start > 0 and end - start <= limit and not text[start - 1].isspace():
        start -= 1
    while end < size and end - start <= limit and not text[end].isspace():
        end += 1
    return end - start > limit


def _attached_start(text: str, pos: int, mark: str, quoted: bool) -> int:
    """Where the mark at ``pos`` will stand once the whitespace stage has run, so the decision
    here is the one a second cleaning would take: repeats of the mark before it join it ("word?
    ?x" -> "word?x", whitespace.repeated-punctuation), and so do spaces before it when a quote
    follows the mark ("word ;’x" -> "word;’x", whitespace.space-before-punctuation; not "The
    :module:", where the mark is followed by a letter and stays apart)."""
    start = pos
    while start > 0 and ((quoted and text[start - 1] in " \t")
                         or (mark in ",;!?" and text[start - 1] in mark + " \t"
                             and mark in text[:start].rstrip(" \t")[-1:])):
        start -= 1
    if start < pos and start > 0 and (text[start - 1].isalnum() or text[start - 1] in "”’\")]"):
        return start
    return pos


def _spaced(match: re.Match, text: str) -> str:
    """The mark and its closing quote followed by a space; a straight quote that opens a
    quotation goes after the space instead."""
    close = match.group("close")
    if close == '"' and text.count('"', 0, match.start("close")) % 2 == 0:
        return match.group("mark") + ' "'
    return match.group("mark") + close + " "


_LETTERS_BEFORE = re.compile(r"[A-Za-z]+$")
#: Where a headline, caption or sentence starts: after a sentence end or another join.
_UNIT_START = re.compile(r"[.!?…|](?=\S)|[.!?…|]\s|[a-z0-9](?=[A-Z][a-z])")
_LETTERS_AFTER = re.compile(r"[A-Za-z]+")


#: Like _LETTERS_ONLY, but the record separator (which stands for a line break) stays.
_LETTERS_AND_BREAKS = bytes(c if 0x61 <= c <= 0x7A or c == 0x1E else 0x20 for c in range(256))
_BREAK = b"\x1e"


def _doubled_phrase_lines(text: str) -> set[str] | None:
    """The lines of ``text`` that may hold k runs of ASCII letters written twice in a row, for k
    of two to four, lower-cased (anything but letters counts as a space, so "don’t" is two runs
    in both copies: a phrase of four words with an apostrophe is five runs, and is not looked
    for); None when lower-casing changes the text's length (then every line may).

    Each run becomes one byte (its number among the text's distinct runs, modulo 254: equal
    runs give equal bytes, and a few unequal ones do too, which only flags more lines); a line
    break is a run of its own with the byte 255. The bytes XOR themselves k places on are zero
    where a run equals the one k before, and k zeros in a row are a phrase and its copy, on the
    line that holds the copy's first run (counted by the breaks before it). Every step but the
    walk over the hits runs in C.
    """
    runs = _letter_runs(text.replace("\n", " \x1e "), _LETTERS_AND_BREAKS)
    if runs is None:
        return None
    if len(runs) < 4:
        return set()
    ids: dict[bytes, int] = {_BREAK: 255}
    seq = bytes(map(ids.setdefault, runs, itertools.cycle(range(1, 255))))
    size, whole = len(seq), int.from_bytes(seq, "big")
    hits: list[int] = []
    for k in (2, 3, 4):
        lanes, zeros = (whole ^ (whole >> (8 * k))).to_bytes(size, "big"), b"\x00" * k
        at = lanes.find(zeros, k)
        while at >= 0:
            hits.append(at)
            at = lanes.find(zeros, at + 1)
    if not hits:
        return set()
    breaks, at = [], seq.find(255)
    while at >= 0:
        breaks.append(at)
        at = seq.find(255, at + 1)
    lines = text.split("\n")
    return {lines[bisect.bisect_left(breaks, hit)] for hit in hits}


def may_hold_doubled_phrase(text: str, pattern: re.Pattern, params: Mapping[str, Any]) -> "bool | Callable[[str], bool]":
    """The doubled-phrase first test: False when no line of ``text`` may hold a phrase of two to
    four runs of letters written twice in a row, else a test of whether a block's text holds
    one of the lines that may (see :func:`_doubled_phrase_lines`): one pass over the document,
    where the pattern's search tries two to four words at every word."""
    lines = _doubled_phrase_lines(text)
    if lines is None:
        return True
    if not lines:
        return False
    return lambda block: not lines.isdisjoint(block.split("\n"))


def _nominal(word: str, nouns_only: bool = False) -> bool:
    """True when ``word`` can be a noun (or an adjective, unless ``nouns_only``), or is a word the
    dictionary gives no part of speech ("tab")."""
    kinds = lexicon.parts_of_speech(word)
    return not kinds or "NOUN" in kinds or (not nouns_only and "ADJ" in kinds)


_CLAUSE_END = re.compile(r"[.!?;:,—–]")


def _clause_opened(text: str, pos: int, subordinators: frozenset[str]) -> bool:
    """True when a word of ``subordinators`` ("when", "if", "after") opens the clause ``pos`` is
    in, before it (back to the last mark that ends a clause, or the block's start)."""
    ends = [m.end() for m in _CLAUSE_END.finditer(text, max(0, pos - 200), pos)]
    clause = text[ends[-1] if ends else max(0, pos - 200):pos]
    return any(word.lower() in subordinators for word in clause.split())


@transform("doubled-phrase", first_test=may_hold_doubled_phrase)
def doubled_phrase(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """One phrase of two to four words where it is written twice in a row ("said that said that"
    -> "said that", "In the in the" -> "In the"), as a repost's bad copy leaves it.

    The match has the groups ``p4`` and ``q4``, or ``p3`` and ``q3``, or ``p2`` and ``q2``: the
    phrase of that many words and its copy (the same words, the first one's case aside). Kept: a copy that differs in case other than at a sentence start ("New
    York New York": a title), a word that is no English word ("ef bf bd"), a noun and one of
    ``prepositions`` closing the phrase (nouns nest: "pointer to pointer to", "compare the file
    with the file with the same name", "end to end to create"; the words before the preposition
    are ``determiners``, nouns and adjectives, no ``auxiliaries``), a noun phrase opening with a
    determiner in a clause that one of ``subordinators`` opens ("When splitting the window the
    window toolbar is not copied": a comma was lost between two clauses), a phrase opening with
    one of
    ``auxiliaries`` after one of ``relative_words`` ("numbers that are printed are printed in"),
    a subject pronoun (``clause_openers``) and a verb that takes a clause (``clause_verbs``:
    "things we don't know we don't know"), a third copy ("over and over and over", "ha ha ha
    ha"), phrases made only of ``allowed`` words ("bye bye"), and text that is mostly not
    English.
    """
    size = next(n for n in (4, 3, 2) if match.group(f"p{n}") is not None)
    phrase, again, start = match.group(f"p{size}"), match.group(f"q{size}"), match.start(f"p{size}")
    words = phrase.split()
    if words != again.split() and not (phrase[0].isupper() and phrase[1:].split() == again[1:].split()
                                       and _sentence_start(match.string, start)):
        return None  # "New York New York"; "In the in the" only at a sentence start
    low = [w.lower() for w in words]
    if len(set(low)) == 1 or all(w in _param_set(params, "allowed") for w in low):
        return None  # one word over and over ("the the the the") is doubled-word's; "bye bye bye bye"
    if not all(lexicon.is_word(w) for w in low):
        return None  # hex bytes "ef bf bd ef bf bd", names, code
    determiners, auxiliaries = _param_set(params, "determiners"), _param_set(params, "auxiliaries")
    if low[-1] in _param_set(params, "prepositions") and _nominal(low[-2], nouns_only=True) and all(
            w in determiners or (w not in auxiliaries and _nominal(w)) for w in low[:-1]):
        return None  # a noun phrase and its preposition nest: "pointer to pointer to", "compare the
        # file with the file with the same name", "end to end to create", "day after day after"
    if (low[0] in determiners and _nominal(low[-1], nouns_only=True)
            and all(w in determiners or _nominal(w) for w in low[1:])
            and _clause_opened(match.string, start, _param_set(params, "subordinators"))):
        return None  # after "When splitting the window" a comma was lost between two clauses: "the
        # window toolbar is not copied" is the second one
    before = _words_before_at(match.string, start, 1)
    if before and before[0][0].lower() in _param_set(params, "relative_words") and low[0] in auxiliaries:
        return None  # "numbers that are printed are printed in base 10"
    if low[0] in _param_set(params, "clause_openers") and low[-1] in _param_set(params, "clause_verbs"):
        return None  # "the things we don't know we don't know", "I think I think too much"
    text = match.string
    after = text[match.end():match.end() + len(again) + 1].lower()
    next_word = (_word_after(text, match.end()) or "").lower()
    if after == " " + again.lower() or (len(low) == 2 and next_word == low[0]):
        return None  # a third copy: "over and over and over", a chant
    if not _mostly_english(text):
        return None
    return phrase


@transform("lost-apostrophe")
def lost_apostrophe(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """Put back an apostrophe that a lossy decoding or a keyboard replaced ("don?t", "it\ufffds",
    "don´t") or dropped for a space ("don t", "it s").

    The match has the groups ``mark`` (what stands in the apostrophe's place, after a letter)
    and ``tail`` (t, s, m, d, ll, re, ve); the word before it is read from the text. After a
    lossy mark (? ` ´ U+FFFD) "t" follows only a word of ``nt_words`` (don, can, won ...), "s"
    any word but ``no_s`` (a possessive: "Japan?s"), "m" only "I", and "d", "ll", "re", "ve" a
    word of ``pronouns``; after a space the same, but that "s" needs a word of two letters or
    more that is not in ``letter_words`` ("an s", "the letter s" name a letter; "U s").

    In place of a question mark or U+FFFD the apostrophe is curly (what a wrong decoding lost
    was not ASCII); otherwise it is the block's own: straight where the block has straight
    apostrophes and no curly one, else curly.
    """
    text, mark, tail = match.string, match.group("mark"), match.group("tail")
    before = _WORD_BEFORE.search(text, max(0, match.start() - 20), match.start())
    if before is None:
        return None
    word = before.group()
    low, tail_low = word.lower(), tail.lower()
    if tail != tail_low and not word.isupper():
        return None  # "it?S" is no contraction; "DON?T" is
    spaced = mark.isspace()
    if tail_low == "t":
        ok = low in _param_set(params, "nt_words")
    elif tail_low == "s":  # a contraction or a possessive, but no letter named ("an s")
        ok = low not in _param_set(params, "no_s") and (not spaced or (
            len(word) > 1 and low not in _param_set(params, "letter_words")))
    elif tail_low == "m":
        ok = word == "I"
    else:
        ok = word == "I" or low in _param_set(params, "pronouns")
    if not ok:
        return None
    if mark in "?\ufffd" or not _STRAIGHT_APOSTROPHE.search(text) or "\u2019" in text:
        return f"\u2019{tail}"  # what a wrong decoding lost was no ASCII apostrophe
    return f"'{tail}"


_STRAIGHT_APOSTROPHE = re.compile(r"[A-Za-z]'[A-Za-z]")
#: The whole word that ends where the mark starts (searched in the 20 characters before it).
_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9'’])[A-Za-z0-9]*[A-Za-z]$")


@transform("camel-break")
def camel_break(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """A line break where two words are run together at a capital ("Fan VoteDoobie Brothers",
    "Getty ImagesKristi Noem"): for a split-block rule's point between a lower-case letter and a
    capital (where the match ends). Yes ("\\n") when what runs into the capital is short (at most
    ``params.max_words_before`` words since the last sentence end or join: a headline or a
    caption, not a sentence under way), the word before the capital is a single-hump English word
    (``lexicon.is_word``) or an acronym of two to four capitals ("West Palm Beach, FLJune 10"),
    and the two together are a token English hardly knows (frequency
    below ``params.max_zipf``), so names and brands written in camel case (YouTube, WordPress,
    PlayStation, HubSpot) stay whole. After a four-digit year ("in 2019Fans") the capitalised
    word alone decides."""
    text, point = match.string, match.end()
    after = _LETTERS_AFTER.match(text, point)
    if after is None:
        return None
    right = after.group()
    if not (right[0].isupper() and right[1:].islower() and len(right) >= 3):
        return None
    if not text[max(0, point - 4):point].isdigit():
        before = _LETTERS_BEFORE.search(text, max(0, point - 40), point)
        if before is None:
            return None
        left = before.group()
        acronym = left.isupper() and 2 <= len(left) <= 4  # "Beach, FLJune 10", "Tampa, GAJune"
        if not ((acronym or (left[1:].islower() and len(left) >= 3 and lexicon.is_word(left)))
                and lexicon._zipf((left + right).lower()) < params.get("max_zipf", 1.0)):
            return None
    opened = max((m.end() for m in _UNIT_START.finditer(text, max(0, point - 400), point - 1)), default=0)
    if len(text[opened:point].split()) > params.get("max_words_before", 14):
        return None  # a sentence under way ("... from Turkish-based carrier SunExpress, ...")
    return "\n"
