"""Readers turn decoded text into a Document of blocks. Nothing after them re-parses the input."""
from __future__ import annotations

from pathlib import Path

from cleaner.document import Document
from cleaner.errors import UsageError

FORMATS = ("text", "html", "markdown")
EXTENSIONS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
              ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown"}


def detect_format(text: str, name: str | None = None) -> str:
    """The input format from the file extension, else from the text itself."""
    if name:
        fmt = EXTENSIONS.get(Path(name).suffix.lower())
        if fmt:
            return fmt
    head = text.lstrip()[:1000].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or ("<body" in head or "<div" in head or "<p>" in head):
        return "html"
    return "text"


def read(text: str, source_format: str, source: str = "<stdin>") -> Document:
    """Parse ``text`` (already decoded) in ``source_format`` into a Document."""
    if source_format == "text":
        from cleaner.readers.text import read_text
        return read_text(text, source)
    if source_format == "markdown":
        from cleaner.readers.markdown import read_markdown
        return read_markdown(text, source)
    if source_format == "html":
        from cleaner.readers.html import read_html
        return read_html(text, source)
    raise UsageError(f"unknown input format {source_format!r}", hint="use auto, text, html or markdown")
