"""Plain-text reader: one block per paragraph line; the first line may be the title."""
from __future__ import annotations

import re

from cleaner.document import Block, BlockKind, Document

_ENDS_CLAUSE = re.compile(r"[.!?:;…\"'”’)\]]$")


def newline_style(text: str) -> str:
    """The document's newline: CRLF if its first line break is one, else LF."""
    index = text.find("\n")
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"


def read_text(text: str, source: str = "<stdin>") -> Document:
    """Split plain text into paragraph blocks.

    Scraped text puts one paragraph on a line, so each non-blank line is a block; a line that
    wraps mid-sentence (no closing punctuation, next line starts in lower case) is joined to
    the next, so hard-wrapped paragraphs stay whole.
    """
    blocks: list[Block] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if pending and line and _continues(pending[1], line):
            pending = (pending[0], f"{pending[1]} {line}")
            continue
        if pending:
            blocks.append(Block(len(blocks), BlockKind.PARAGRAPH, pending[1], pending[0]))
        pending = (number, line) if line else None
    if pending:
        blocks.append(Block(len(blocks), BlockKind.PARAGRAPH, pending[1], pending[0]))
    # Which line is the title is decided after Unicode repair, by the boilerplate stage.
    return Document(blocks, source=source, source_format="text", newline=newline_style(text),
                    final_newline=text.endswith(("\n", "\r")), guess_title=True)


def _continues(previous: str, line: str) -> bool:
    return not _ENDS_CLAUSE.search(previous) and line[:1].islower() and len(previous) >= 40
