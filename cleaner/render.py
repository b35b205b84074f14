"""Renderers: Document → markdown | html | text | json. They read the document, never edit it."""
from __future__ import annotations

import json
import re

from cleaner.document import Block, BlockKind, Document

FORMATS = ("markdown", "html", "text", "json")
SUFFIX = {"markdown": ".md", "html": ".html", "text": ".txt", "json": ".json"}

# A line of prose that would read as Markdown syntax at the start of a block gets a backslash.
_MD_LEADING = re.compile(r"^(#{1,6}(?=\s|$)|#(?=\w)|>|[-+*](?=\s)|\d{1,9}[.)](?=\s)|={3,}|-{3,}|\*{3,}|_{3,})")


def escape_markdown_start(text: str) -> str:
    """Backslash-escape a leading character that Markdown would take as block syntax."""
    match = _MD_LEADING.match(text)
    if not match:
        return text
    token = match.group(0)
    if token[0].isdigit():
        return token[:-1] + "\\" + token[-1] + text[len(token):]
    return "\\" + text


def block_markdown(block: Block) -> str:
    """One block as Markdown: its verbatim source when untouched, else markup + text."""
    if block.raw is not None and not block.edited:
        return block.raw
    if block.kind in (BlockKind.CODE, BlockKind.TABLE, BlockKind.FRONT_MATTER, BlockKind.HTML):
        return block.text
    if block.markup:
        return block.markup + block.text
    if block.kind == BlockKind.TITLE:
        return "# " + block.text
    if block.kind == BlockKind.HEADING:
        return "#" * max(2, block.level or 2) + " " + block.text
    if block.kind == BlockKind.LIST_ITEM:
        return "- " + block.text
    if block.kind == BlockKind.QUOTE:
        return "> " + block.text
    return escape_markdown_start(block.text)


def to_markdown(doc: Document) -> str:
    """The document as Markdown; a Markdown source keeps its own separators and newline style."""
    if doc.source_format == "markdown":
        from cleaner.readers.markdown import render_markdown
        return render_markdown(doc)
    parts = [block_markdown(b) for b in doc.alive() if b.text.strip()]
    return "\n\n".join(parts) + ("\n" if parts else "")


def to_text(doc: Document) -> str:
    """The document as plain text: one block per paragraph, blank lines between."""
    parts = [b.text for b in doc.alive()
             if b.text.strip() and b.kind not in (BlockKind.FRONT_MATTER, BlockKind.HTML)]
    return "\n\n".join(parts) + ("\n" if parts else "")


def to_html(doc: Document, *, template: str | None = None) -> str:
    """The document as sanitised HTML, rendered from its Markdown."""
    from cleaner.htmlout import render_html
    return render_html(to_markdown(doc), title=title_of(doc), template=template)


def title_of(doc: Document) -> str | None:
    """The title block's text, else the title from metadata."""
    for block in doc.alive():
        if block.kind == BlockKind.TITLE:
            return block.text
    return doc.metadata.get("title")


def to_json(doc: Document) -> str:
    """One JSON object (one line) with the outputs, the ledger and the metadata."""
    record = {
        "source": doc.source,
        "title": title_of(doc),
        "markdown": to_markdown(doc),
        "text": to_text(doc),
        "edits": [e.to_dict() for e in doc.edits],
        "suggestions": [s.to_dict() for s in doc.suggestions],
        "warnings": list(doc.warnings),
        "metadata": dict(doc.metadata),
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def render(doc: Document, to: str, **options) -> str:
    """Render ``doc`` in format ``to``."""
    if to == "markdown":
        return to_markdown(doc)
    if to == "text":
        return to_text(doc)
    if to == "html":
        return to_html(doc, **options)
    if to == "json":
        return to_json(doc)
    raise ValueError(f"unknown output format {to!r}")
