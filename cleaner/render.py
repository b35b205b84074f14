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


# Characters of plain text that Markdown would read as inline syntax: a backslash before
# punctuation, code and link brackets, a star or underscore that can open or close emphasis
# (not "5 * 3", not "file_name"), doubled tildes (strikethrough), the start of an HTML tag,
# comment or autolink.
_MD_INLINE = re.compile(r"""
    \\(?=[!-/:-@\[-`{-~]) | [`\[\]]
  | (?<=\S)\*|\*(?=\S)
  | (?<![^\W_])_|_(?![^\W_])
  | ~(?=~)|(?<=~)~
""", re.X)
# "<" before a letter, "/", "!" or "?" would open an HTML tag, comment or autolink: it is
# written as an entity, which no Markdown parser's HTML scanner reads as markup; so is "&"
# before what reads as an entity reference ("&amp;" in the text is those five characters).
_MD_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# Markdown an HTML page's reader writes on purpose: links and images (their URL without
# brackets, parentheses or spaces, or in <...>), and inline code. The rest of its text is plain.
_MD_MADE = re.compile(r"!?\[[^\[\]\n]*\]\((?:<[^<>\n]*>|[^()\[\]<>\s]*)\)|(?<!`)(`+)[^`\n]+?\1(?!`)")


def escape_markdown_inline(text: str, *, keep_made: bool = False) -> str:
    """Backslash-escape what Markdown would read as inline syntax in plain ``text``.

    With ``keep_made``, links, images and code spans (as the HTML reader writes them) stay as they are.
    """
    if not keep_made:
        return _escape_plain(text)
    out, last = [], 0
    for made in _MD_MADE.finditer(text):
        out.append(_escape_plain(text[last:made.start()]))
        out.append(made.group(0))
        last = made.end()
    out.append(_escape_plain(text[last:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    text = _MD_ENTITY.sub("&amp;", text)
    return _MD_TAG_OPEN.sub("&lt;", _MD_INLINE.sub(r"\\\g<0>", text))


def block_markdown(block: Block, source_format: str = "markdown") -> str:
    """One block as Markdown: its verbatim source when untouched, else markup + text.

    The text of a plain-text or HTML source is plain text, escaped where Markdown would read it
    as syntax; a Markdown source's text is Markdown already.
    """
    if block.raw is not None and not block.edited:
        return block.raw
    if block.kind in (BlockKind.CODE, BlockKind.TABLE, BlockKind.FRONT_MATTER, BlockKind.HTML):
        return block.text
    text = block.text
    if source_format in ("text", "html"):
        text = escape_markdown_inline(text, keep_made=source_format == "html")
    if block.markup:
        return block.markup + text
    if block.kind == BlockKind.TITLE:
        return "# " + text
    if block.kind == BlockKind.HEADING:
        return "#" * max(2, block.level or 2) + " " + text
    if block.kind == BlockKind.LIST_ITEM:
        return "- " + text
    if block.kind == BlockKind.QUOTE:
        return "> " + text
    return escape_markdown_start(text)


def to_markdown(doc: Document) -> str:
    """The document as Markdown; a Markdown source keeps its own separators and newline style."""
    if doc.source_format == "markdown":
        from cleaner.readers.markdown import render_markdown
        return render_markdown(doc)
    parts = [block_markdown(b, doc.source_format) for b in doc.alive() if b.text.strip()]
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
