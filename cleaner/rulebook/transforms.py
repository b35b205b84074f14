"""Named transforms: the Python functions a ``substitute`` rule may call by name.

A transform takes the regex match and the rule's ``params`` and returns the replacement for
the whole match, or None to leave it alone. Each is small and has its own unit tests.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from cleaner import lexicon

Transform = Callable[[re.Match, Mapping[str, Any]], "str | None"]

TRANSFORMS: dict[str, Transform] = {}


def transform(name: str) -> Callable[[Transform], Transform]:
    """Register a function as the transform ``name``."""
    def register(func: Transform) -> Transform:
        TRANSFORMS[name] = func
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
        hit = (value, frozenset(str(v).lower() for v in value))
        _PARAM_SETS[id(value)] = hit
    return hit[1]


_WORD_CHARS = "'’-_"
_APOSTROPHES = ("'s", "’s", "s'", "s’")


def _joined_to_word(text: str, index: int) -> bool:
    """True when the character at ``index`` (if any) continues a word: a letter, digit or ' - _."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] in _WORD_CHARS)


def _words_before(text: str, pos: int, limit: int) -> list[str]:
    """Up to ``limit`` words just before ``pos``, nearest first, within the clause.

    Stops at anything but single spaces between plain words, so a comma, a quote or a sentence
    end ends the list ("He said, will" gives no words before "will").
    """
    words: list[str] = []
    end = pos
    while len(words) < limit and end > 0 and text[end - 1] == " ":
        start = end - 1
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _WORD_CHARS):
            start -= 1
        word = text[start:end - 1]
        if not word or not word[0].isalpha():
            break
        words.append(word)
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


def _sentence_start(text: str, pos: int) -> bool:
    """True when ``pos`` starts the block or a sentence (after . ! ? and optional quotes)."""
    before = text[:pos].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:"


def _is_possessive(word: str) -> bool:
    return word.lower().endswith(_APOSTROPHES)


def _modal_reading_doubtful(text: str, start: int, modal: str, params: Mapping[str, Any]) -> bool:
    """True when the modal at ``start`` may be a noun (the will, military might) or inverted.

    * Nouns: for the modals in ``nominal`` (will, can, might, must), a determiner or possessive
      before it (``determiners``, "Ford's"), a word that is only an adjective ("political"), an
      adjective listed in ``noun_after`` ("good will", "free will") or an unknown -ed word
      ("unexecuted will").
    * Inversion: after ``inverters`` (nor, neither), or after ``question_words`` in a sentence
      that ends with "?" ("Where could used cars be found?").
    """
    before = _words_before(text, start, 1)
    if not before:
        return False
    prev = before[0].lower()
    if prev in _param_set(params, "inverters"):
        return True
    if prev in _param_set(params, "question_words") and _sentence_end_mark(text, start) == "?":
        return True
    if modal.lower() not in _param_set(params, "nominal"):
        return False
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


def _verb_repair(verb: str, following: str | None, params: Mapping[str, Any]) -> str | None:
    """The base form for a past form after a modal, or None when it should stay.

    None when the word has no base form to go back to (lexicon.base_form), or when the next word
    is one of ``passive_next`` ("would stationed by": a missing "be", not a wrong form).
    """
    base = lexicon.base_form(verb)
    if base is None:
        return None
    if following is not None and following.lower() in _param_set(params, "passive_next"):
        return None
    return base


@transform("modal-past")
def modal_past(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """Modal (+ adverbs) + past form -> modal (+ adverbs) + base form.

    The pattern supplies the group ``modal`` and a ``tail`` of the few words after it (each
    preceded by one space). The first word of the tail that is a past form is the verb, if only
    adverbs (see :func:`_adverb_between`, at most ``max_between``) come before it.
    """
    text = match.string
    if _joined_to_word(text, match.start() - 1):
        return None  # "swill", "Marshall"
    modal = match.group("modal")
    if _modal_reading_doubtful(text, match.start(), modal, params):
        return None
    words = match.group("tail").split(" ")[1:]
    limit = int(params.get("max_between", 3))
    for index, word in enumerate(words):
        if lexicon.base_form(word) is not None:
            break
        if index >= limit or not _adverb_between(word, params):
            return None
    else:
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
    return " ".join([modal, *words])


@transform("modal-do-so-past")
def modal_do_so_past(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """Modal (+ adverbs) + "do so" + past form -> the base form alone ("would do so built" ->
    "would build").

    The match starts at "do so" and has the group ``verb``; the modal (one of ``modals``, in
    lower case) must come just before, with at most ``max_between`` adverbs between. Past forms
    that often open a clause after "do so" (``not_verbs``: provided, given, based ...) stay.
    """
    text = match.string
    before = _words_before(text, match.start(), int(params.get("max_between", 3)) + 1)
    modals = _param_set(params, "modals")
    for index, word in enumerate(before):
        if word in modals:  # lower case only: "May", "Might" are names
            break
        if not _adverb_between(word, params):
            return None
    else:
        return None
    modal_start = match.start() - sum(len(w) + 1 for w in before[:index + 1])
    if _joined_to_word(text, modal_start - 1) or _modal_reading_doubtful(text, modal_start, word, params):
        return None
    verb = match.group("verb")
    if verb.lower() in _param_set(params, "not_verbs"):
        return None
    return _verb_repair(verb, _word_after(text, match.end()), params)


@transform("glued-words")
def glued_words(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """Split a token made of a word and a function word run together ("openand" -> "open and").

    The match has the groups ``lead`` (what comes before the token: a space, an opening bracket
    or quote, or nothing at the block start) and ``token`` (the whole token, without trailing
    punctuation). ``function_words`` are the words that may be split off (lexicon.split_glued,
    and lexicon.split_camel_glued for "andBritain").

    A comma goes back between the parts when the glue very likely swallowed one: a capitalised
    word, not at a sentence start, followed by one of ``comma_before`` (the articles), as in
    "with Britain and Italythe first major project" -> "Italy, the first". In clean news text a
    mid-sentence name followed by an article has a comma before the article nine times in ten
    (an appositive: "Marco Villa, the company's CEO").
    """
    token = match.group("token")
    words = _param_set(params, "function_words")
    parts = lexicon.split_glued(token, words) or lexicon.split_camel_glued(token, words)
    if parts is None:
        return None
    left, right = parts
    lead = match.group("lead")
    separator = " "
    if (left[0].isupper() and left[1:].islower() and left.lower() not in words
            and right.lower() in _param_set(params, "comma_before")
            and not _sentence_start(match.string, match.start("token"))):
        separator = ", "
    return f"{lead}{left}{separator}{right}"


@transform("doubled-word")
def doubled_word(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """One word where the same word is written twice ("of of" -> "of", "The the" -> "The").

    The match has the groups ``lead`` (a space, or nothing at the block start), ``first`` (the
    first word's first letter), ``rest`` (the letters both words share) and ``second`` (the
    second word's first letter, lower case). Words in ``allowed`` may be doubled in correct
    English ("had had", "that that", "really really"). A capitalised first word is only taken at
    a sentence start: elsewhere it may be a name ("Will will attend").
    """
    first, rest = match.group("first"), match.group("rest")
    if first.lower() != match.group("second"):
        return None
    word = first + rest
    if word.lower() in _param_set(params, "allowed"):
        return None
    if first.isupper() and not _sentence_start(match.string, match.start("first")):
        return None
    return match.group("lead") + word


#: Characters that mark a token as an address, a path or code rather than prose.
_TECHNICAL = frozenset("/\\@=_#<>{}[]|~^*+%&$")
_TRAILING = ",.;:!?)]”’\"'"


@transform("missing-space")
def missing_space(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """Put back the space after a punctuation mark glued to the next word ("strategies.It" ->
    "strategies. It", "said,and" -> "said, and").

    The match has the groups ``mark`` (. , ; : ! ?) and ``close`` (a closing curly quote after it,
    or nothing); the next word follows, possibly after an opening curly quote. Left alone:

    * tokens that look like addresses, paths or code (a / @ = _ # ... anywhere in them);
    * a word before the mark that holds a dot or another mark itself (U.S., e.g., a.m., 1.2.3)
      or is a single character (initials, "J.Crew"), or an ellipsis before the mark;
    * a token that goes on with more punctuation after the next word (browser.urlbar.setting,
      a,b,c);
    * after . ! ? a next word that is not capitalised (Node.js, file.yaml, 3.5) -- a sentence
      starts with a capital -- or is in capitals (Class.AI, ASP.NET); single letters other than
      ``sentence_letters`` (A, I) do not start sentences;
    * after ; a next word without lower-case letters (TL;DR);
    * after : a word before it that is not an English word (about:config is not, but an address
      scheme), or a next word that is neither an English word nor capitalised.
    """
    text = match.string
    mark = match.group("mark")
    start = match.start()
    left_start = start
    while left_start > 0 and not text[left_start - 1].isspace():
        left_start -= 1
    right_end = match.end()
    while right_end < len(text) and not text[right_end].isspace():
        right_end += 1
    token = text[left_start:right_end]
    if any(ch in _TECHNICAL for ch in token):
        return None
    left = text[left_start:start].lstrip("(\"'“‘").rstrip(")\"'”’")
    if len(left) < 2 or not all(ch.isalnum() or ch in "'’-" for ch in left):
        return None
    right_token = text[match.end():right_end].lstrip("“‘(")
    word_end = 0
    while word_end < len(right_token) and (right_token[word_end].isalpha() or right_token[word_end] in "'’-"):
        word_end += 1
    word, after = right_token[:word_end], right_token[word_end:]
    if not word or after.strip(_TRAILING):
        return None
    if mark in ".!?":
        if len(word) == 1:
            if word not in _param_set(params, "sentence_letters") and word.lower() not in _param_set(
                    params, "sentence_letters"):
                return None
            if not word.isupper():
                return None
        elif not (word[0].isupper() and word[1:].replace("’", "").replace("'", "").replace("-", "").islower()):
            return None
    elif mark == ",":
        if left[-1].isdigit() and word[0].isdigit():
            return None
    elif mark == ";":
        if not any(ch.islower() for ch in word):
            return None
    elif mark == ":":
        if not left.isalpha() or not lexicon.is_word(left):
            return None
        if not (lexicon.is_word(word) or word[0].isupper()):
            return None
    return mark + match.group("close") + " "
