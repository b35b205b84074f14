"""Plain-text reader: one block per paragraph line; the first line may be the title."""
from __future__ import annotations

import re

from cleaner.document import Block, BlockKind, Document

_ENDS_CLAUSE = re.compile(r"[.!?:;…\"'”’)\]]$")
#: A sentence's end, where a wrapped paragraph may end too when no blank line parts paragraphs.
_ENDS_SENTENCE = re.compile(r"[.!?…:][\"'”’)\]]*$")
#: A line that starts a list item or a quotation of its own: never the rest of the line before.
_STARTS_ITEM = re.compile(r"[-*•–—>#|]|\d+[.)]\s|[A-Za-z][.)]\s")
#: Widths a hard-wrapped text is wrapped at (e-mail, terminal dumps, Project Gutenberg: 60-80).
_WRAP_WIDTHS = range(40, 101)


def newline_style(text: str) -> str:
    """The document's newline: CRLF if its first line break is one, else LF."""
    index = text.find("\n")
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"


def read_text(text: str, source: str = "<stdin>") -> Document:
    """Split plain text into paragraph blocks.

    Scraped text puts one paragraph on a line, so each non-blank line is a block; a line that
    wraps mid-sentence (no closing punctuation, next line starts in lower case) is joined to
    the next, so hard-wrapped paragraphs stay whole. In a text hard-wrapped at a fixed width
    (see :func:`wrap_width`), a line also goes on in the next one wherever that line's first
    word would not have fitted on it, whatever its case ("... and the Denver" / "Post said"):
    across a full stop too when blank lines part the paragraphs.
    """
    raw_lines = [raw.rstrip() for raw in text.splitlines()]  # an indent counts towards the width
    lines = [raw.lstrip() for raw in raw_lines]
    width = wrap_width(raw_lines)
    blank_parted = width is not None and sum(1 for line in lines if not line) >= 2
    blocks: list[Block] = []
    pending: tuple[int, str] | None = None
    previous = ""  # the last line read, as it was (a wrapped line's length counts, not the block's)
    for number, (raw, line) in enumerate(zip(raw_lines, lines), start=1):
        if pending and line and (_continues(pending[1], line)
                                 or (width and _wrapped(previous, line, width, blank_parted))):
            glue = "" if _split_word(previous) else " "
            pending = (pending[0], f"{pending[1]}{glue}{line}")
            previous = raw
            continue
        if pending:
            blocks.append(Block(len(blocks), BlockKind.PARAGRAPH, pending[1], pending[0]))
        pending = (number, line) if line else None
        previous = raw
    if pending:
        blocks.append(Block(len(blocks), BlockKind.PARAGRAPH, pending[1], pending[0]))
    # Which line is the title is decided after Unicode repair, by the boilerplate stage.
    return Document(blocks, source=source, source_format="text", newline=newline_style(text),
                    final_newline=text.endswith(("\n", "\r")), guess_title=True)


def _continues(previous: str, line: str) -> bool:
    """True when ``line`` goes on from ``previous``: a line of 40 characters or more that ends
    mid-clause, or any line that ends inside a hyphenated word ("infor-"), before a line that
    starts in lower case."""
    if not line[:1].islower():
        return False
    return _split_word(previous) or (not _ENDS_CLAUSE.search(previous) and len(previous) >= 40)


def wrap_width(lines: list[str]) -> int | None:
    """The width the text was hard-wrapped at, or None when it does not read as hard-wrapped.

    A wrapped line ends where the next line's first word would not have fitted; a text is
    hard-wrapped when, at some width of 40 to 100 characters (one of its longest lines'
    lengths), at least half of its lines that another line follows end so, and at least three.
    Scraped text with a paragraph on each line has no such width (its lines run to hundreds of
    characters), nor has a page's list of menu items (their next words fit).
    """
    followed = [(a, b) for a, b in zip(lines, lines[1:]) if a.strip() and b.strip()]
    if len(followed) < 3:
        return None
    if sum(1 for a, _ in followed if 20 <= len(a) <= _WRAP_WIDTHS[-1]) * 2 < len(followed):
        return None  # most lines too short or too long to be wrapped ones: no width to look for
    lengths = sorted({len(a) for a, _ in followed if len(a) in _WRAP_WIDTHS}, reverse=True)
    best, width = 0, None
    for candidate in lengths[:10]:  # a line too long to wrap (an address) may stand above the width
        points = sum(1 for a, b in followed if _breaks_at(a, b, candidate))
        if points > best:
            best, width = points, candidate
    return width if best >= 3 and best * 2 >= len(followed) else None


def _breaks_at(line: str, following: str, width: int) -> bool:
    """True when ``following``'s first word would not have fitted at the end of ``line`` (both
    as written, indent included)."""
    return len(line) <= width < len(line) + 1 + len(following.split(None, 1)[0])


def _wrapped(previous: str, line: str, width: int, blank_parted: bool) -> bool:
    """True when ``line`` goes on from ``previous`` in a text wrapped at ``width``."""
    if not _breaks_at(previous, line, width) or _STARTS_ITEM.match(line):
        return False
    return blank_parted or not _ENDS_SENTENCE.search(previous)


def _split_word(line: str) -> bool:
    """True when ``line`` ends inside a hyphenated word ("Plug-" of "Plug-/In"): no space goes
    between it and the next line."""
    return len(line) >= 2 and line.endswith("-") and line[-2].isalpha()
