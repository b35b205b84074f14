"""Word knowledge for the repair transforms: verb forms, known words, glued-word splits.

Every fact about English words comes from data shipped inside two libraries:

* lemminflect -- lemmas, parts of speech and inflected forms (``VB``, ``VBD``, ``VBN``, ...);
* wordfreq -- word frequencies on the Zipf scale (log10 of occurrences per billion words:
  7 is "the", 4 a word seen about once in 100,000 words, 0 a word absent from the list).

Both are imported on first use, so importing this module costs nothing until a transform
actually needs a word fact.  Every public function is pure and cached.

The only word literals here are the three English articles (``_ARTICLES``), used for two
pieces of grammar no library states directly: an article is followed by a content word, never
by another function word, and "a"/"an" agree with the sound that follows.  The wider set of
function words that may be split off a glued token is chosen by the caller, and so are the
modal verbs and the context (a preceding "be" or "have", a noun "will", a name "May") of the
verb repairs: ``base_form`` only knows about the word it is given.
"""
from __future__ import annotations

import collections
import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = ["base_form", "is_past_form", "is_adverb", "is_word", "parts_of_speech", "verb_lemmas",
           "split_glued", "split_camel_glued", "split_acronym_glued", "split_pronoun_glued"]

# --- thresholds (Zipf scale) ------------------------------------------------------------------
# Tuned on the clean, human-checked article text of the project's bench data (about 256,000
# tokens, where every split is a false positive) against glued versions of the same texts'
# function-word bigrams (38,000 distinct pairs, where the split should come back).

#: A token at or above this English frequency is a word, never glue.  Glue errors do occur in
#: wordfreq's web-derived counts but stay below it ("ofthe" 3.33, "inthe" 2.58, "tothe" 2.18);
#: rare real words that look splittable are either in lemminflect ("therein" 3.42, "ashore"
#: 3.52, "abed", "afoot") or caught by ``GLUE_MARGIN``.
WORD_ZIPF = 3.5

#: A word at or above this frequency in another Latin-script language that wordfreq covers is
#: not split: "mainan", "tobat", "sesat" (Indonesian), "Thema", "Themen", "anfallen" (German),
#: all from the clean bench text.  wordfreq's "small" lists stop at exactly this frequency.
FOREIGN_ZIPF = 3.0

#: Minimum English frequency of the content side of a split, by the length of the
#: function-word side (1, 2, 3+ letters).  Short function words turn up by accident at the
#: edges of names and foreign words ("Anasa" = a + nasa, "Ameris" = amer + is), so they need a
#: more common partner.  With 2.5 for two-letter function words "Ameris" (a bank) is split in
#: the clean text; the others are set with the same half-point of caution.
CONTENT_ZIPF = {1: 4.0, 2: 3.0, 3: 2.5}

#: Extra content frequency demanded of a Title-case token, which is more often a name or a brand
#: than glue (without it "Ameris" is split in the clean text).
TITLE_EXTRA_ZIPF = 0.5

#: A three-letter content side must be this frequent unless lemminflect knows it as a word:
#: "wasmer" (a program) is not "was" + "mer".
SHORT_CONTENT_ZIPF = 4.0

#: When the glued token itself is in wordfreq, the phrase it would split into must be this much
#: more frequent than the token (Zipf difference), estimating the phrase frequency as the
#: product of its two words' frequencies.  Glue is a rare misspelling of a frequent phrase
#: ("inthe" 3.4 below "in the", "Bythe" 3.4); names are not ("Andover" 1.6, "Bywater" 1.2,
#: "Forman" 0.9, "Clarkin" 1.4).
GLUE_MARGIN = 2.0

#: The same margin when both sides are function words: "ofthe" 2.8, "forthe" 3.3.
FUNCTION_PAIR_MARGIN = 2.5

#: A content word that already forms this many English words with the function words on the
#: same side is a compounding stem, and the token a rare member of that family: "where" gives
#: whereby, wherein, whereof, whereas, so "whereon", "whereto", "wherefrom" are left alone.
COMPOUND_FAMILY = 3

#: A word that is both a base form and a past form ("saw", "found", "lay") counts as a past form
#: only when its past reading is this much more frequent, comparing the -ing forms of the two
#: verbs: seeing/sawing 2.3 and falling/felling 1.9 pass; finding/founding 0.9, lying/laying
#: 0.5, winding/wounding 0.6, grinding/grounding 0.7 do not ("would found", "would lay",
#: "would ground" are correct English).  The same margin must hold between the commonest other
#: inflections of the two verbs (find/finds/finding 5.8 against founded/founding 4.5): the -ing
#: forms alone make "bound" a past form of "bind", although bounds/bounded are as common.
#: Callers that know the context favours a past reading (a modal before the word) may pass a
#: smaller margin to ``base_form``: 0.8 lets "found" -> "find" through, not "lay" or "wound".
BASE_READING_MARGIN = 1.0

_ARTICLES = frozenset({"a", "an", "the"})
_VOWELS = frozenset("aeiou")
_MIN_GLUED_LEN = 4
_MIN_CONTENT_LEN = 3

_lemminflect: Any = None
_wordfreq: Any = None


def _lem() -> Any:
    global _lemminflect
    if _lemminflect is None:
        import lemminflect

        _lemminflect = lemminflect
    return _lemminflect


def _wf() -> Any:
    global _wordfreq
    if _wordfreq is None:
        import wordfreq

        _wordfreq = wordfreq
    return _wordfreq


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    """English Zipf frequency of a lower-case word."""
    return _wf().zipf_frequency(word, "en")


@lru_cache(maxsize=200_000)
def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """lemminflect's dictionary lemmas of a lower-case word by universal POS (no guessing)."""
    return _lem().getAllLemmas(word)


def _match_case(model: str, word: str) -> str:
    """``word`` written with the capitalisation pattern of ``model`` (lower, Title, UPPER)."""
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# --- verb forms -------------------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def _past_of(word: str) -> tuple[str, ...]:
    """Verb lemmas of which the lower-case ``word`` is a VBD or VBN form (itself included)."""
    lem = _lem()
    found = []
    for lemma in _lemmas(word).get("VERB", ()):
        if "-" in lemma and "-" not in word:
            continue  # lemminflect also lists spellings like "over-come" for "overcame"
        forms = lem.getInflection(lemma, "VBD") + lem.getInflection(lemma, "VBN")
        if word in forms:
            found.append(lemma)
    return tuple(found)


@lru_cache(maxsize=50_000)
def _ing_zipf(lemma: str) -> float:
    """Frequency of a verb's -ing form(s): a proxy for how common the verb is as a verb.

    Hyphenated spellings of an unhyphenated lemma are left out: wordfreq scores "re-sending" as
    the words "re" and "sending", far above "resending", which would make "resent" a past form
    of "resend" rather than a verb of its own.
    """
    forms = _lem().getInflection(lemma, "VBG")
    if "-" not in lemma:
        forms = tuple(f for f in forms if "-" not in f)
    return max((_zipf(f) for f in forms), default=0.0)


@lru_cache(maxsize=50_000)
def _family_zipf(lemma: str, but: str) -> float:
    """Frequency of the commonest inflection of a verb other than ``but`` (unhyphenated lemmas:
    unhyphenated forms only)."""
    lem = _lem()
    forms = {f for tag in ("VB", "VBZ", "VBG", "VBD", "VBN") for f in lem.getInflection(lemma, tag)}
    forms.discard(but)
    if "-" not in lemma:
        forms = {f for f in forms if "-" not in f}
    return max((_zipf(f) for f in forms), default=0.0)


def _base_of_lower(word: str, margin: float) -> str | None:
    lemmas = _lemmas(word)
    if "AUX" in lemmas:
        return None  # could/would/had/been/did: fixing these needs more than an inflection
    candidates = [lemma for lemma in _past_of(word) if lemma != word]
    if not candidates:
        return None
    best = max(candidates, key=_ing_zipf)
    if word in lemmas.get("VERB", ()):
        # the word is also the base form of another verb ("saw", "found", "lay")
        if _ing_zipf(best) - _ing_zipf(word) < margin:
            return None
        if _family_zipf(best, word) - _family_zipf(word, word) < margin:
            return None
    return best


@lru_cache(maxsize=100_000)
def base_form(word: str, margin: float = BASE_READING_MARGIN) -> str | None:
    """The base form (VB) of a verb given in its past tense or past participle (VBD/VBN).

    ``"stationed"`` -> ``"station"``, ``"went"`` -> ``"go"``, ``"Stopped"`` -> ``"Stop"``;
    the capitalisation pattern of ``word`` is kept.  None when ``word`` is not a past form of a
    verb in lemminflect's dictionary ("red", "hundred", "need"), when the past form equals the
    base form ("put", "cut", "come"), when it is an auxiliary or modal form ("had", "been",
    "could"), or when the word is just as plausibly a base form itself ("found", "lay"; see
    ``BASE_READING_MARGIN``, which ``margin`` replaces).
    """
    if not word or not word.replace("-", "").isalpha():
        return None
    base = _base_of_lower(word.lower(), margin)
    return None if base is None else _match_case(word, base)


@lru_cache(maxsize=100_000)
def is_past_form(word: str) -> bool:
    """True when ``word`` is a past tense or past participle of a verb ("went", "put", "had")."""
    if not word or not word.replace("-", "").isalpha():
        return False
    return bool(_past_of(word.lower()))


@lru_cache(maxsize=50_000)
def is_adverb(word: str) -> bool:
    """True when lemminflect lists an adverb reading for ``word`` ("permanently", "also", "not").

    Some past forms have one too ("left"), so a caller skipping adverbs after a modal should
    try ``base_form`` on a word before treating it as an adverb.
    """
    return bool(word) and word.isalpha() and "ADV" in _lemmas(word.lower())


@lru_cache(maxsize=50_000)
def parts_of_speech(word: str) -> frozenset[str]:
    """The universal parts of speech lemminflect's dictionary lists for ``word`` (any case).

    ``"political"`` -> ``{"ADJ"}``, ``"back"`` -> ``{"ADV", "NOUN", "VERB", ...}``; empty for
    names, function words lemminflect does not cover ("the", "which") and unknown words.
    """
    if not word or not word.replace("-", "").replace("'", "").isalpha():
        return frozenset()
    return frozenset(_lemmas(word.lower()))


@lru_cache(maxsize=50_000)
def verb_lemmas(word: str) -> tuple[str, ...]:
    """The verbs (base forms) of which ``word`` (any case) is a form: "means" -> ("mean",),
    "found" -> ("find", "found"); empty for words that are no verb form."""
    if not word or not word.replace("-", "").replace("'", "").isalpha():
        return ()
    return tuple(_lemmas(word.lower()).get("VERB", ()))


# --- known words and glued words --------------------------------------------------------------


@lru_cache(maxsize=200_000)
def is_word(token: str) -> bool:
    """True when ``token`` is a known English word.

    Known means: lemminflect has it in its dictionary (any part of speech, any inflection), or
    its English frequency is at least ``WORD_ZIPF`` (which takes in names such as "Britain" and
    contractions).  Case is ignored; tokens with digits or other symbols are not words.  The
    test is strict on purpose, since glue such as "ofthe" (3.33) is itself frequent on the web:
    a rare word missing from lemminflect ("warships", 3.3) is not counted as known.
    """
    if not token or not token.replace("-", "").replace("'", "").isalpha():
        return False
    low = token.lower()
    return bool(_lemmas(low)) or _zipf(low) >= WORD_ZIPF


def _is_latin_script(words: list[str]) -> bool:
    letters = [c for w in words for c in w if c.isalpha()]
    latin = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return bool(letters) and latin >= 0.9 * len(letters)


#: How many of each language's most frequent words :func:`guess_language` counts.
GUESS_TOP = 40
#: :func:`guess_language` names a language only when at least this many of the text's words are
#: among its most frequent ones, and ``GUESS_MARGIN`` times as many as English has (or, for
#: English, as the next language has).
GUESS_MIN_HITS = 8
GUESS_MARGIN = 2.0


@lru_cache(maxsize=1)
def _top_words() -> dict[str, frozenset[str]]:
    """The ``GUESS_TOP`` most frequent words of each Latin-script language wordfreq ships."""
    wf = _wf()
    out: dict[str, frozenset[str]] = {}
    for lang, path in wf.available_languages("small").items():
        top: list[str] = []
        for bucket in wf.read_cBpack(path):
            top.extend(bucket)
            if len(top) >= GUESS_TOP:
                break
        top = [w for w in top[:GUESS_TOP] if w.isalpha() and len(w) > 1]  # "d" of "d'" is "d." too
        if _is_latin_script(top):
            out[lang] = frozenset(top)
    return out


@lru_cache(maxsize=1)
def _languages_of() -> dict[str, tuple[str, ...]]:
    """Each word of :func:`_top_words`'s lists -> the languages whose list holds it."""
    out: dict[str, list[str]] = {}
    for lang, top in _top_words().items():
        for word in top:
            out.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in out.items()}


_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str, words: int = 300) -> str:
    """The Latin-script language ``text`` is written in, by its most frequent words ("the",
    "of", "and"; "der", "und", "nicht"; "les", "est", "une"), or "" when that is not clear
    (too few of them, or English close to another: "die" and "in" are English and German words).

    The first ``words`` words are counted; each language scores the number of them among its
    ``GUESS_TOP`` most frequent words (wordfreq's lists) of two letters or more. The question
    the rules ask is whether a text is English, so the best language must beat English (or
    English the next best) by ``GUESS_MARGIN``; languages close to each other (Spanish and
    Catalan) may score alike."""
    found: collections.Counter[str] = collections.Counter()
    languages_of = _languages_of()
    for word in _WORD.findall(text.lower(), 0, 12 * words)[:words]:
        for lang in languages_of.get(word, ()):
            found[lang] += 1
    scores = sorted(((score, lang) for lang, score in found.items()), reverse=True)
    if not scores or scores[0][0] < GUESS_MIN_HITS:
        return ""
    best, lang = scores[0]
    rival = next((score for score, other in scores[1:] if lang == "en" or other == "en"), 0)
    return lang if best >= GUESS_MARGIN * rival else ""


@lru_cache(maxsize=4)
def _foreign_words(function_words: frozenset[str]) -> frozenset[str]:
    """Common words (``FOREIGN_ZIPF``) of the Latin-script languages other than English that
    wordfreq ships, limited to the ASCII words that begin or end with one of
    ``function_words`` -- the only ones ``split_glued`` could take apart.  Built once per
    function-word set: about 0.6 s and 16 MB for 160,000 words with the usual set.
    """
    wf = _wf()
    heads = "|".join(re.escape(h) for h in sorted(function_words, key=len, reverse=True))
    # one search per frequency bucket (its words a line each), not a test per word
    wanted = re.compile(rf"^(?=[A-Za-z]{{{_MIN_GLUED_LEN},}}$)(?:(?:{heads})[A-Za-z]*|[A-Za-z]*(?:{heads}))$",
                        re.MULTILINE)
    words: set[str] = set()
    for lang, path in wf.available_languages("small").items():
        if lang == "en":
            continue
        buckets = wf.read_cBpack(path)
        if not _is_latin_script([w for bucket in buckets[:300] for w in bucket][:200]):
            continue
        for index, bucket in enumerate(buckets):
            if wf.cB_to_zipf(-index) < FOREIGN_ZIPF:
                break
            if bucket:
                words.update(wanted.findall("\n".join(bucket)))
    return frozenset(words)


#: A token that is a known word plus a regular English ending is an inflection of a real word,
#: not glue, when that word is at least this frequent: "formatters" (formatter 1.6), though
#: neither wordfreq nor lemminflect lists the plural.  Glue such as "thepresidents" has no such
#: stem ("thepresident" 0).
INFLECTED_ZIPF = 1.5

#: Regular English endings and what they replace at the end of the stem.
_ENDINGS = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
            ("ing", "e"), ("ers", ""), ("er", ""), ("ers", "e"), ("er", "e"))


def _inflects_a_word(low: str) -> bool:
    """True when ``low`` is a known word with a regular ending (-s, -ed, -ing, -er ...)."""
    for ending, restore in _ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            stem = low[:-len(ending)] + restore
            if _lemmas(stem) or _zipf(stem) >= INFLECTED_ZIPF:
                return True
    return False


@lru_cache(maxsize=100_000)
def _compounds(content: str, function_first: bool, function_words: frozenset[str]) -> bool:
    """True when ``content`` already forms an English word with some function word on that side.

    "where" makes "whereby" and "wherein", "here" makes "hereby", so "whereon" and "hereat" are
    taken for rare members of the same family rather than for glue.
    """
    found = 0
    for fw in function_words:
        if len(fw) > 1 and is_word(fw + content if function_first else content + fw):
            found += 1
    return found >= COMPOUND_FAMILY


def _article_ok(left: str, right: str, function_words: frozenset[str]) -> bool:
    """Grammar of an article on the left: no function word after it, and a/an agreement."""
    if left not in _ARTICLES:
        return True
    if right in function_words:
        return False
    if left == "a":
        return right[0] not in "aeio"  # "a university" is fine, "a ever" is not
    if left == "an":
        return right[0] in _VOWELS or right[0] == "h"  # "an hour"
    return True


def _opens_sentence(content: str, function_first: bool) -> bool:
    """At a sentence start, whether a glued short function word and ``content`` read as the
    sentence's first two words rather than a name: the content is a dictionary word of four
    letters or more ("Tocreate", "Inservice"), and before the function word it is a verb, as an
    imperative opens a sentence ("Choosean"; not "Shein", "Themis", "Goodin").
    """
    if len(content) < 4 or not _lemmas(content):
        return False
    return function_first or content in _lemmas(content).get("VERB", ())


def _split_score(left: str, right: str, function_words: frozenset[str], title: bool,
                 token_zipf: float, brand_guard: bool = True,
                 compounding: frozenset[str] | None = None) -> float | None:
    """How good the split ``left|right`` (lower case) is, or None when it is not acceptable."""
    left_fw, right_fw = left in function_words, right in function_words
    if not (left_fw or right_fw):
        return None
    if not _article_ok(left, right, function_words):
        return None
    phrase_zipf = _zipf(left) + _zipf(right) - 9.0
    if left_fw and right_fw:
        if max(len(left), len(right)) < (4 if min(len(left), len(right)) < 2 else 3):
            return None  # "atas", "asas", "toto", "isa": two short function words are too easy to hit
        margin = FUNCTION_PAIR_MARGIN
    else:
        content, function = (right, left) if left_fw else (left, right)
        if len(content) < _MIN_CONTENT_LEN:
            return None
        need = CONTENT_ZIPF[min(len(function), 3)] + (TITLE_EXTRA_ZIPF if title else 0.0)
        if _zipf(content) < need:
            return None
        if len(content) <= 3 and _zipf(content) < SHORT_CONTENT_ZIPF and not _lemmas(content):
            return None
        if title and len(function) < 3 and (left_fw or _lemmas(left)) and (
                brand_guard or not _opens_sentence(content, left_fw)):
            return None  # "Topicon", "Inexhibit": capitalised word + short function word = brand
        family = function_words if compounding is None else compounding
        stem_like = "ADV" in _lemmas(content) or not {"NOUN", "VERB"} & set(_lemmas(content))
        if function in family and _compounds(content, left_fw, family) and (compounding is None or stem_like):
            return None
        margin = GLUE_MARGIN
    if token_zipf > 0 and phrase_zipf - token_zipf < margin:
        return None
    return min(_zipf(left), _zipf(right))


def _split_glued(token: str, function_words: frozenset[str], sentence_start: bool = False,
                 compounding: frozenset[str] | None = None) -> tuple[str, str] | None:
    if len(token) < _MIN_GLUED_LEN or not (token.isascii() and token.isalpha()):
        return None  # URLs, e-mail, #tags, @handles, snake_case, dotted.names, 10km, COVID19
    title = token[0].isupper()
    if not (token.islower() or (title and token[1:].islower())):
        return None  # camelCase and brands (iPhone, YouTube, McDonald), ALL-CAPS acronyms
    low = token.lower()
    if is_word(low) or (not low.endswith(tuple(function_words)) and _inflects_a_word(low)):
        return None  # "formatters"; but "thatis" ends in a function word, not in -s
    token_zipf = _zipf(low)
    best: tuple[float, int] | None = None
    for i in range(1, len(low)):
        score = _split_score(low[:i], low[i:], function_words, title, token_zipf,
                             not sentence_start, compounding)
        if score is not None and (best is None or score > best[0]):
            best = (score, i)
    if best is None or low in _foreign_words(function_words):
        return None
    return token[:best[1]], token[best[1]:]


@lru_cache(maxsize=200_000)
def split_glued(token: str, function_words: frozenset[str], *, sentence_start: bool = False,
                compounding: frozenset[str] | None = None) -> tuple[str, str] | None:
    """Split a token made of two words run together, one of them a function word.

    ``"Italythe"`` -> ``("Italy", "the")``, ``"theofficials"`` -> ``("the", "officials")``,
    ``"saidthat"`` -> ``("said", "that")``, ``"ofthe"`` -> ``("of", "the")``.  The two parts
    always concatenate to ``token`` and keep its letters' case.  ``function_words`` is the closed
    set of words that may be split off (case is ignored), e.g. the, and, of, to, in, for, on,
    with, that, a, an, as, at, by, from, is, was, but, or.  Whether a comma belongs between the
    parts ("Italy, the") is the caller's decision.

    ``function_words`` must be hashable (a frozenset): results are cached per token and set.

    Returns None unless every guard holds:

    * the token is at least four ASCII letters, all lower case or Title case -- so URLs, e-mail
      addresses, #hashtags, @handles, snake_case, dotted.names, 10km, COVID19, camelCase
      (iPhone, YouTube, PlayStation), McDonald's and acronyms are never split;
    * it is not an English word (``is_word``), an inflection of one (``INFLECTED_ZIPF``:
      "formatters") nor a common word of another Latin-script language (``FOREIGN_ZIPF``);
    * one side is a function word and the other a common English word of three letters or more
      (``CONTENT_ZIPF``, ``TITLE_EXTRA_ZIPF``, ``SHORT_CONTENT_ZIPF``), or both are function
      words, one of three letters or more and the other of two ("ofthe"), or one of four or
      more and the article "a" ("witha"; not "isa"); a Title-case token may not pair a capitalised common word
      with a one- or two-letter function word ("Topicon", "Inexhibit" are brands);
    * an article on the left is followed by a content word agreeing with a/an;
    * the content word does not already form several words with such function words
      (``COMPOUND_FAMILY``: "whereon" belongs with whereby, wherein);
    * if the token occurs in wordfreq at all, it is far rarer than the phrase it splits into
      (``GLUE_MARGIN``, ``FUNCTION_PAIR_MARGIN``).

    Two options refine the guards when the caller knows more:

    * ``sentence_start``: the token opens a sentence, so its capital says less about brands: the
      Title-case guard above is dropped when the content part is a dictionary word of four
      letters or more, and a verb if the function word follows it ("Tocreate" -> "To create",
      "Choosean" -> "Choose an"; "Shein", "Themis" stay); the extra frequency asked of a
      capitalised content word stays, so names such as "Andover" are still left alone;
    * ``compounding``: the function words that form compounds (by, in, of, on, to ...); the
      compound-family guard then only concerns those, and only stems that can be adverbs or are
      no noun or verb (there, where, here, forth: "thereon", "whereto" stay), so "Thereare" and
      "totake" split although "intake" and "overtake" are words. By default every function word counts, for
      every stem.

    When several splits qualify, the one whose rarer part is more frequent wins.  Pass the whole
    whitespace-delimited token (stripped of surrounding punctuation only), not a run of letters
    cut out of it, so that the guards see URLs and handles ("onmeth.com" is not "on meth").
    """
    if not token:
        return None
    family = None if compounding is None else _lower_set(compounding)
    return _split_glued(token, _lower_set(function_words), sentence_start, family)


@lru_cache(maxsize=64)
def _lower_set(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


#: The pronoun's phrase must be this much more frequent than the glued token ("Iwas" 2.3 against
#: "I was" 4.9): the glue of "I" and a verb is common on the web, so the margin is lower than
#: ``GLUE_MARGIN``, and still refuses "Iam" (IAM) and "Ido" (a name).
PRONOUN_MARGIN = 1.5


@lru_cache(maxsize=20_000)
def split_pronoun_glued(token: str, verbs: frozenset[str]) -> tuple[str, str] | None:
    """Split the pronoun "I" glued to the word after it: ``"Iwas"`` -> ``("I", "was")``.

    ``verbs`` is the closed set of words that may follow (was, have, think, also ...); the token
    is no English word ("Iran", "Item", "Idle" stay) and far rarer than the phrase
    (``PRONOUN_MARGIN``: "Ibid" and names such as "Ivan" stay).
    """
    if len(token) < 3 or token[0] != "I" or not token.isascii() or not token[1:].islower():
        return None
    right, low = token[1:], token.lower()
    if right not in verbs or is_word(low):
        return None
    if _zipf("i") + _zipf(right) - 9.0 - _zipf(low) < PRONOUN_MARGIN:
        return None
    return "I", right


@lru_cache(maxsize=20_000)
def split_acronym_glued(token: str, function_words: frozenset[str]) -> tuple[str, str] | None:
    """Split an acronym glued to a lower-case function word: ``"PTOand"`` -> ``("PTO", "and")``,
    ``"NATOthe"`` -> ``("NATO", "the")``.

    The acronym is two to six capitals; the rest a function word of two letters or more, all in
    lower case (plurals and suffixes such as "CEOs", "DJing", "CCed" are no function words); the
    token read in lower case is no English word, so a word typed with its first two letters in
    capitals ("THat", "INto") is not split; nor is a brand whose last capital opens a word
    ("UXPin": UX + Pin).
    """
    if not (token.isascii() and token.isalpha()):
        return None
    caps = 0
    while caps < len(token) and token[caps].isupper():
        caps += 1
    left, right = token[:caps], token[caps:]
    if not 2 <= len(left) <= 6 or len(right) < 2 or not right.islower():
        return None
    if right not in _lower_set(function_words) or is_word(token.lower()) or is_word(left[-1] + right):
        return None
    return left, right


#: A name glued after a function word ("andBritain") must be at least this frequent in English.
NAME_ZIPF = 3.5


@lru_cache(maxsize=100_000)
def split_camel_glued(token: str, function_words: frozenset[str],
                      code_prefixes: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """Split a lower-case function word glued to a capitalised word: ``"andBritain"`` ->
    ``("and", "Britain")``, ``"theInternational"`` -> ``("the", "International")``,
    ``"theUK"`` -> ``("the", "UK")``.

    ``split_glued`` never splits camelCase, since most camelCase tokens are brands and code
    (iPhone, eBay, onClick, toString, forEach).  This split is for the shape a lost space leaves
    before a capitalised word, with guards against those:

    * the token is ASCII letters: a lower-case function word, then one capital and at least two
      more letters, all lower case (no second hump: "forEachIndex", "andWordPress") or all
      capitals (an acronym: "theUK", "aHDL");
    * the capitalised part is an English word (``is_word``) or an acronym that is no dictionary
      word ("theUK", not the brand "theCUBE"; two capitals always count: "theUS", "andIT");
    * after a function word in ``code_prefixes`` (on, is, to, as, by, for: the starts of onClick,
      isEmpty, toString, asList, byId, forEach) it must be a name: lemminflect knows no word of
      that spelling and it is frequent in English (``NAME_ZIPF``: Britain 4.7, Washington 5.1;
      not Click, String, Each, Empty), so "toChina" splits and "toString" does not.
    """
    if not token or not (token.isascii() and token.isalpha()):
        return None
    fws = _lower_set(function_words)
    for i in range(1, len(token) - 1):
        if token[i].isupper():
            left, right = token[:i], token[i:]
            if not left.islower() or left not in fws:
                return None
            low = right.lower()
            if right[1:].isupper():  # an acronym, not a word set in capitals ("theCUBE"); two
                # capitals are an acronym even where they spell a word ("theUS", "andIT")
                return (left, right) if left not in _lower_set(code_prefixes) and (
                    len(right) == 2 or not _lemmas(low)) else None
            if not right[1:].islower():
                return None
            if left in _lower_set(code_prefixes):
                return (left, right) if not _lemmas(low) and _zipf(low) >= NAME_ZIPF else None
            return (left, right) if is_word(low) and len(right) >= 3 else None
    return None
