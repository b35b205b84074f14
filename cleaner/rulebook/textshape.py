"""Small measurements of block text shared by rule kinds: words, sentences, protected spans."""
from __future__ import annotations

import functools
import re

from cleaner.document import Block, BlockKind
from cleaner.rulebook import memo

#: Trimmed from both ends before a whole-line match, so "Read more »" and "• Related" match.
EDGE_PUNCT = " \t\u00a0.!:;,…|»›>«‹<-–—•·*_=~/\\()[]{}\"'“”‘’"

#: A full stop (! ?) between a lower-case word and a capitalised one run on after it
#: ("Tuesday.The"): the repair stage puts the space back there.
#: (What follows the stop; the patterns below take the mark first.)
_GLUED_STOP_REST = r"(?<=[a-z]{2}[.!?])[”’\"]?(?=[“‘\"]?[A-Z][a-z])"


def _sentence_end(space: str) -> re.Pattern:
    """The sentence-end pattern with ``space`` for what must follow a stop (or the text's end)."""
    return re.compile(r"[.!?…。！？](?:(?<=[.!?…])[\"'”’)\]]*(?:" + space + r"|$)|" + _GLUED_STOP_REST
                      + "|(?<=[。！？]))")


#: A sentence end: a stop (and closing quotes) before a space or the end, or a glued stop, so
#: that a second cleaning reads the text the same way.
#: This pattern, the glued-mark and the punctuation patterns start with one character class
#: (which mark it was is read back by look-behinds): the regex engine skips ahead to a
#: pattern's first character or class only, never to the first characters of alternatives.
_SENTENCE_END = _sentence_end(r"\s")
#: The same, where a sentence ends for :func:`is_prose`: not before a word in lower case, since
#: that stop closes an abbreviation ("a cat from Ont. becomes a meme", "over U.S. bill").
_PROSE_END = _sentence_end(r"\s+(?![a-z])")
#: Chinese and Japanese script, written without spaces between words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PROSE_KINDS = frozenset({BlockKind.PARAGRAPH, BlockKind.QUOTE, BlockKind.LIST_ITEM, BlockKind.CREDIT})

#: Spans no substitution may touch: URLs, e-mail addresses, domains and file names, inline
#: code, @handles and #hashtags. A match overlapping one is skipped, whatever the rule.
_SUFFIXES = (r"(?:com|org|net|gov|edu|io|co|uk|de|fr|info|biz|ly|me|tv|ai|app|dev"
             r"|js|py|ts|rs|go|md|yaml|yml|toml|json|txt|html|htm|php|csv|pdf|png|jpe?g|gif|svg|exe|zip)\b")
_SUFFIX_HINT = re.compile(r"\." + _SUFFIXES)
_DOTFILE_HINT = re.compile(r"\.(?<!\S\.)[a-z]")
#: Each kind of protected span: a quick test a text must pass to hold one, and its pattern.
_PROTECTED_BRANCHES = (
    (lambda text: "`" in text, r"`[^`\n]*`"),
    (lambda text: "://" in text, r"\b(?:https?|ftp)://\S+"),
    (lambda text: "www." in text, r"\bwww\.\S+"),
    (lambda text: "@" in text, r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # tried at a run's start only
    (lambda text: "@" in text or "#" in text, r"(?<![\w@#])[@#]\w+"),
    (lambda text: "." in text and _SUFFIX_HINT.search(text) is not None, r"\b[\w-]+(?:\.[\w-]+)*\." + _SUFFIXES),
    # a dotfile or folder: .github, .env, .gitignore
    (lambda text: "." in text and _DOTFILE_HINT.search(text) is not None, r"(?<!\S)\.[a-z][\w-]*(?:\.[\w-]+)*"),
)


@functools.lru_cache(maxsize=None)
def _protected_pattern(present: tuple[bool, ...]) -> re.Pattern | None:
    """The alternation of the protected-span branches marked present, in their order: a branch
    that cannot match the text is left out, which changes no match and saves its try at every
    position (the e-mail branch's run of word characters is costly on long text)."""
    chosen = [source for (_, source), keep in zip(_PROTECTED_BRANCHES, present) if keep]
    return re.compile("|".join(chosen)) if chosen else None


#: A word glued after a mark where the repair stage puts a space back (the common cases of
#: repair.missing-space-after-punctuation: "Tuesday.The", "said,and", "0;a"; a full stop only
#: between lower-case words, so not "U.S." or "example.com").
_GLUED_AFTER_MARK = re.compile(r"[.!?,;:](?:" + _GLUED_STOP_REST + r"|(?<=\w[,;:!?])[”’\"]?(?=[“‘\"]?[A-Za-z]))")


@memo.of_texts(4096)  # a block's count is asked for by many rules and stages
def word_count(text: str) -> int:
    """Whitespace-separated words; a word glued after a mark counts apart ("Tuesday.The" is two
    words, as it will be once the repair stage has put the space back, so a second cleaning
    counts the same); in Chinese and Japanese text, two characters count as a word."""
    words = len(text.split()) + len(_GLUED_AFTER_MARK.findall(text))
    if text.isascii():
        return words
    cjk = len(_CJK.findall(text))
    return words + cjk // 2


def is_content(block: Block, min_words: int = 10) -> bool:
    """True for a block that reads as article prose (see :func:`is_prose`)."""
    return block.kind in _PROSE_KINDS and is_prose(block.text, min_words)


@memo.of_texts(4096)  # asked of the same blocks by every view and shape test
def is_prose(text: str, min_words: int = 10) -> bool:
    """True for text that reads as a paragraph of prose: enough words, a sentence ending, and
    words in lower case as running text has them (a headline in title case, a menu in capitals
    or a list of names is not prose). An excerpt of another post, cut off with "[…]", is not
    this article's prose either, nor is a headline the page cut short ("... plus JBL he...":
    at most :data:`TITLE_MAX_WORDS` words whose only stop is that ellipsis). A stop before a
    word in lower case ends an abbreviation, not a sentence ("a cat from Ont. becomes a meme").

    Position rules use it to find the article's body; a long text counts even without an
    ending, since scraped paragraphs lose their final stop.
    """
    words = word_count(text)
    if words < min_words:
        return False
    if words < 3 * min_words:
        end = _PROSE_END.search(text)
        if end is None:
            return False
        if words <= TITLE_MAX_WORDS and cut_off(text) and end.start() >= len(text.rstrip()) - 3:
            return False  # its only stop is the "..." that cut a headline short
    if _EXCERPT_END.search(text):
        return False
    return lowercase_share(text) >= MIN_PROSE_LOWERCASE


#: Any punctuation inside a sentence: a long text with none at all is a list of words (a tag
#: cloud, a menu run into one line), not a paragraph that lost its final stop.
_PUNCTUATION = re.compile(r"[,;:()\[\]\"“”—–.!?](?:(?<=[.!?])(?=\S)|(?<![.!?]))")

#: A text cut short by its page: "..." or "…" right after a word, at the end
#: ("Microsoft offers a Surface Go bundle plus JBL he...").
_CUT_OFF = re.compile(r"\w(?:\.{3}|…)$")


def cut_off(text: str) -> bool:
    """True when ``text`` ends with an ellipsis glued to its last word: a headline or summary
    the page cut to length, not a sentence that ends."""
    text = text.rstrip()
    return text.endswith(("...", "…")) and _CUT_OFF.search(text[-4:]) is not None


#: The "[…]" a blog puts at the end of another post's excerpt.
_EXCERPT_END = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]\W*$")


#: Share of a text's cased words that start in lower case, below which it is not running prose.
MIN_PROSE_LOWERCASE = 0.25


_LOWER_START = re.compile(r"(?<![\w'’-])[a-zß-öø-ÿа-яё]")
#: (The letter first: capitals are rare enough that skipping to them pays, lower case is not.)
_UPPER_START = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁ](?<![\w'’-].)")


@memo.of_texts(4096)
def lowercase_share(text: str) -> float:
    """Share of the words starting with a cased letter that start in lower case (1.0 for none).

    Running English prose is around 0.7-0.8 and German around 0.5; headlines in title case,
    menus in capitals and lists of names are near 0. Latin and Cyrillic letters are counted, in
    the first 400 characters.
    """
    sample = text[:400]  # a paragraph's start tells as well as all of it
    lower = len(_LOWER_START.findall(sample))
    upper = len(_UPPER_START.findall(sample))
    return lower / (lower + upper) if lower + upper else 1.0


def densest_span(scores: list[float]) -> tuple[int, int]:
    """The contiguous span with the largest total score, as (first, last); (0, -1) if none is positive."""
    best, best_span = 0.0, (0, -1)
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def has_punctuation(text: str) -> bool:
    """True when the text has a sentence end or any punctuation inside (a comma, a colon, a
    bracket, a quote, a dash between words, a stop inside a word): a long text with none is a
    list of words, not prose."""
    return _SENTENCE_END.search(text) is not None or _PUNCTUATION.search(text) is not None


def ends_sentence(text: str) -> bool:
    """True when the text has a sentence ending anywhere (". ", "!", "?" ...)."""
    return _SENTENCE_END.search(text.rstrip() + " ") is not None


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that substitutions must leave alone."""
    pattern = _protected_pattern(tuple(may_hold(text) for may_hold, _ in _PROTECTED_BRANCHES))
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """True when ``span`` overlaps any of ``spans``."""
    start, end = span
    return any(start < s_end and s_start < end for s_start, s_end in spans)


@memo.of_texts(1024)  # a document's blocks, asked for by several rules in turn
def normalise_line(text: str) -> str:
    """The form whole-line matches compare: edge punctuation trimmed, spaces folded, casefolded;
    a word glued after a mark is set apart, as the repair stage will set it ("Tuesday.The")."""
    text = _GLUED_AFTER_MARK.sub(r"\g<0> ", text)
    return " ".join(text.strip(EDGE_PUNCT).split()).casefold()


TITLE_MAX_WORDS = 25


def title_like(text: str) -> bool:
    """True for a line that can be a headline: short (words counted as :func:`word_count` does),
    with letters, not ending like a clause (a headline the page cut short with "..." is one)."""
    return (0 < word_count(text) <= TITLE_MAX_WORDS
            and (not text.endswith((".", ",", ";", ":")) or cut_off(text))
            and any(ch.isalpha() for ch in text))
