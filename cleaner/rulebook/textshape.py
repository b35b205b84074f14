"""Small measurements of block text shared by rule kinds: words, sentences, protected spans."""
from __future__ import annotations

import re

from cleaner.document import Block, BlockKind

#: Trimmed from both ends before a whole-line match, so "Read more »" and "• Related" match.
EDGE_PUNCT = " \t\u00a0.!:;,…|»›>«‹<-–—•·*_=~/\\()[]{}\"'“”‘’"

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$)")
_PROSE_KINDS = frozenset({BlockKind.PARAGRAPH, BlockKind.QUOTE, BlockKind.LIST_ITEM, BlockKind.CREDIT})

#: Spans no substitution may touch: URLs, e-mail addresses, domains and file names, inline
#: code, @handles and #hashtags. A match overlapping one is skipped, whatever the rule.
_PROTECTED = re.compile(
    r"`[^`\n]*`"
    r"|\b(?:https?|ftp)://\S+"
    r"|\bwww\.\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@#])[@#]\w+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|co|uk|de|fr|info|biz|ly|me|tv|ai|app|dev"
    r"|js|py|ts|rs|go|md|yaml|yml|toml|json|txt|html|htm|php|csv|pdf|png|jpe?g|gif|svg|exe|zip)\b"
)


def word_count(text: str) -> int:
    """Whitespace-separated words."""
    return len(text.split())


def is_content(block: Block, min_words: int = 10) -> bool:
    """True for a block that reads as article prose: enough words and a sentence ending.

    Position rules use it to find where the article starts and ends; a long block counts
    even without an ending, since scraped paragraphs lose their final stop.
    """
    if block.kind not in _PROSE_KINDS:
        return False
    words = word_count(block.text)
    if words >= 3 * min_words:
        return True
    return words >= min_words and _SENTENCE_END.search(block.text) is not None


def ends_sentence(text: str) -> bool:
    """True when the text has a sentence ending anywhere (". ", "!", "?" ...)."""
    return _SENTENCE_END.search(text.rstrip() + " ") is not None


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that substitutions must leave alone."""
    return [m.span() for m in _PROTECTED.finditer(text)]


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """True when ``span`` overlaps any of ``spans``."""
    start, end = span
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def normalise_line(text: str) -> str:
    """The form whole-line matches compare: edge punctuation trimmed, spaces folded, casefolded."""
    return " ".join(text.strip(EDGE_PUNCT).split()).casefold()


TITLE_MAX_WORDS = 25


def title_like(text: str) -> bool:
    """True for a line that can be a headline: short, with letters, not ending like a clause."""
    words = text.split()
    return (0 < len(words) <= TITLE_MAX_WORDS and not text.endswith((".", ",", ";", ":"))
            and any(ch.isalpha() for ch in text))
