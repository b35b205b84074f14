"""Readers turn decoded text into a Document of blocks. Nothing after them re-parses the input."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.document import Document
from cleaner.errors import UsageError

if TYPE_CHECKING:
    from cleaner.sites import SiteBook

FORMATS = ("text", "html", "markdown")
EXTENSIONS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
              ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown"}


@dataclass(frozen=True)
class ReadOptions:
    """What a reader is told besides the text.

    ``url`` is the page's address (its site pack and metadata when the page names none);
    ``links`` and ``images`` keep them as Markdown in HTML input; ``front_matter`` puts the
    page's metadata first as YAML front matter; ``sites`` are the compiled site packs.
    """

    url: str | None = None
    links: bool = False
    images: bool = False
    front_matter: bool = False
    sites: "SiteBook | None" = None


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


def read(text: str, source_format: str, source: str = "<stdin>", options: ReadOptions | None = None) -> Document:
    """Parse ``text`` (already decoded) in ``source_format`` into a Document."""
    if source_format == "text":
        from cleaner.readers.text import read_text
        return read_text(text, source)
    if source_format == "markdown":
        from cleaner.readers.markdown import read_markdown
        return read_markdown(text, source, options)
    if source_format == "html":
        from cleaner.readers.html import read_html
        return read_html(text, source, options)
    raise UsageError(f"unknown input format {source_format!r}", hint="use auto, text, html or markdown")
