"""C4's line filter, as a baseline for text clean-up.

Written from the description in section 2.2 of Raffel et al., "Exploring the Limits of Transfer
Learning with a Unified Text-to-Text Transformer" (2020), and the parameters of the public C4
generator (minimum 5 words per line, minimum 3 sentences per page, a short list of policy
phrases). Lines are judged one at a time:

* keep only lines that end in a terminal punctuation mark: ``.``, ``!``, ``?`` or a closing
  double quote; a line ending in an ellipsis ("...") is not a finished sentence and goes;
* keep only lines of at least 5 words;
* drop any line containing the word "javascript" (enable-JavaScript warnings);
* drop any line containing a policy phrase ("terms of use", "privacy policy", "cookie policy",
  "uses cookies", "use of cookies", "use cookies");
* wiki citation markers ("[1]", "[edit]", "[citation needed]") are removed from a line first.

C4 also judges whole pages: it discards a page that contains "lorem ipsum" or a curly bracket
``{`` anywhere, and a page whose kept lines hold fewer than 3 sentences. The benchmark scores
cleaning, not page selection, so by default those two markers drop only the line they are on
(the line-level reading of the same rules); ``page_rules=True`` applies them as C4 did, to
reproduce C4 itself.
"""
from __future__ import annotations

import re

MIN_WORDS_PER_LINE = 5
MIN_SENTENCES_PER_PAGE = 3
MAX_WORD_LENGTH = 1000
END_MARKS = (".", "!", "?", '"', "\u201d")
POLICY_PHRASES = ("terms of use", "privacy policy", "cookie policy", "uses cookies",
                  "use of cookies", "use cookies")

_CITATION = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"\u201d\u2019')\]]*|$)")


class PageDiscarded(Exception):
    """C4 would drop the whole page."""


def keep_line(line: str) -> str | None:
    """The line as C4 keeps it, or None when a line rule drops it (page rules aside)."""
    line = _CITATION.sub("", line.strip())
    if not line.endswith(END_MARKS) or line.endswith(("...", "\u2026")):
        return None
    words = line.split()
    if len(words) < MIN_WORDS_PER_LINE or any(len(w) > MAX_WORD_LENGTH for w in words):
        return None
    lower = line.lower()
    if "javascript" in lower or any(p in lower for p in POLICY_PHRASES):
        return None
    if "lorem ipsum" in lower or "{" in line:
        return None
    return line


def count_sentences(text: str) -> int:
    """A rough sentence count: runs of text ending in terminal punctuation."""
    return sum(1 for m in _SENTENCE.finditer(text) if m.group(0).strip())


def clean(text: str, *, page_rules: bool = False) -> str:
    """Apply C4's line rules to ``text`` (and its page rules when asked)."""
    if page_rules and ("lorem ipsum" in text.lower() or "{" in text):
        return ""
    kept = [line for line in map(keep_line, text.splitlines()) if line is not None]
    result = "\n".join(kept)
    if page_rules and count_sentences(result) < MIN_SENTENCES_PER_PAGE:
        return ""
    return result
