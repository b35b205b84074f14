"""Markdown reader and writer for content repositories: clean the prose, leave every other byte alone.

markdown-it-py finds the block structure and each block's source lines. Paragraphs, headings,
list items and block quotes become editable blocks; front matter (YAML ``---`` or TOML
``+++``), fenced and indented code, HTML blocks and comments, tables, thematic breaks and link
reference definitions become protected blocks that keep their source byte for byte.

Each block keeps its verbatim ``raw`` source, and the document keeps the text between blocks
(blank lines, ``>`` lines of a quote) in ``doc.layout``, so ``render_markdown`` writes an
untouched file back identical: same newlines, same final newline, no reflowing. An edited
block is written line by line with each line's original prefix (``> ``, ``- ``, ``## ``,
indentation) around the new text. A dropped block goes with one of its separators.

Comments steer the cleaning: ``<!-- cleaner: off -->`` … ``<!-- cleaner: on -->`` protects
the blocks between them, and ``<!-- cleaner: disable=RULE_ID[,RULE_ID] -->`` switches those
rules off for the next block (``disable=*`` for all).
"""
from __future__ import annotations

import datetime
import functools
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from cleaner.document import Block, BlockKind, Document

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_OFF = re.compile(r"^<!--\s*cleaner:\s*off\s*-->\s*$", re.IGNORECASE)
_ON = re.compile(r"^<!--\s*cleaner:\s*on\s*-->\s*$", re.IGNORECASE)
_DISABLE = re.compile(r"^<!--\s*cleaner:\s*disable\s*=\s*([\w.*\-]+(?:\s*,\s*[\w.*\-]+)*)\s*-->\s*$", re.IGNORECASE)
#: What may stand before a block's text on its line: indentation, quote markers, list markers, #s.
_PREFIX = re.compile(r"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+[ \t>]*)*(?:#{1,6}(?:[ \t]+|$))?$")
_SEPARATOR_LINE = re.compile(r"^[ \t>]*$")
_LEAVES = {"paragraph_open", "heading_open", "fence", "code_block", "html_block", "table_open", "hr"}


@dataclass
class LineShape:
    """How an editable block's text sits in its source lines: per line, what comes before and after."""

    prefixes: list[str]
    suffixes: list[str]
    trailer: str = ""  # lines after the text that belong to the block (a setext underline)


@dataclass
class Layout:
    """Everything of a Markdown source that is not block text: what lies between the blocks."""

    lead: str = ""
    after: dict[int, str] = field(default_factory=dict)
    shapes: dict[int, LineShape] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


@functools.lru_cache(maxsize=4096)
def inline_text(source: str) -> str:
    """What a reader sees of a block's inline Markdown: a link's or image's text without its
    address, emphasis and code without their marks, an inline HTML tag left out
    ("[Share on Twitter](https://...)" -> "Share on Twitter")."""
    if not any(mark in source for mark in "[*_`<!\\"):
        return source
    tokens = _parser().parseInline(source)
    out = []
    for token in (tokens[0].children or []) if tokens else []:
        if token.type in ("text", "code_inline", "image"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def split_lines(text: str) -> list[str]:
    """Lines with their own line endings (CRLF, CR or LF), as markdown-it counts them."""
    return _LINE.findall(text)


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def read_markdown(text: str, source: str = "<stdin>", options: Any = None) -> Document:
    """Read Markdown into blocks; ``render_markdown`` writes it back."""
    lines = split_lines(text)
    newline = next((_ending(line) for line in lines if _ending(line)), "\n")
    doc = Document([], source=source, source_format="markdown", newline=newline,
                   final_newline=text.endswith(("\n", "\r")) or not text)
    spans: list[tuple[int, int, dict]] = []
    body_start = _front_matter(lines, doc, spans)
    spans.extend(_leaf_spans(lines, body_start))
    _build(doc, lines, spans)
    return doc


def _front_matter(lines: list[str], doc: Document, spans: list) -> int:
    """Record a leading YAML/TOML front matter block; the line where the body starts."""
    if not lines:
        return 0
    fence = lines[0].rstrip("\r\n").rstrip(" \t")
    closers = {"---": ("---", "..."), "+++": ("+++",)}.get(fence)
    if closers is None:
        return 0
    for end in range(1, len(lines)):
        if lines[end].rstrip("\r\n").rstrip(" \t") in closers:
            spans.append((0, end + 1, {"kind": BlockKind.FRONT_MATTER}))
            doc.metadata.update(_front_matter_data("".join(lines[1:end]), fence))
            return end + 1
    return 0


def _front_matter_data(body: str, fence: str) -> dict[str, Any]:
    """The front matter's top-level values, as JSON-safe values; nothing if it does not parse."""
    try:
        if fence == "+++":
            data = tomllib.loads(body)
        else:
            import yaml
            data = yaml.safe_load(body)
    except Exception:  # a broken front matter is passed through, not an error
        return {}
    return {str(k): _json_safe(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _json_safe(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _leaf_spans(lines: list[str], start: int) -> list[tuple[int, int, dict]]:
    """(first line, end line, facts) of every leaf block after ``start``, in source order."""
    tokens = _parser().parse("".join(lines[start:]))
    spans: list[tuple[int, int, dict]] = []
    stack: list[dict] = []  # open containers: {"type": "quote"} or {"type": "item", "first": bool}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "blockquote_open":
            stack.append({"type": "quote"})
        elif kind == "list_item_open":
            stack.append({"type": "item", "first": True})
        elif kind in ("blockquote_close", "list_item_close"):
            stack.pop()
        elif kind in _LEAVES and token.map:
            facts, index = _leaf_facts(tokens, index, stack)
            first, end = token.map
            spans.append((first + start, end + start, facts))
            if stack and stack[-1]["type"] == "item":
                stack[-1]["first"] = False
            continue
        index += 1
    return spans


def _leaf_facts(tokens: list, index: int, stack: list[dict]) -> tuple[dict, int]:
    """What the leaf at ``index`` is; the index of the token after it."""
    token = tokens[index]
    kind = token.type
    if kind in ("paragraph_open", "heading_open"):
        inline = tokens[index + 1]
        if kind == "heading_open":
            facts = {"kind": BlockKind.HEADING, "level": int(token.tag[1]), "setext": token.markup in ("=", "-")}
        elif stack and stack[-1]["type"] == "item" and stack[-1]["first"]:
            facts = {"kind": BlockKind.LIST_ITEM}
        elif any(c["type"] == "quote" for c in stack) and stack[-1]["type"] == "quote":
            facts = {"kind": BlockKind.QUOTE}
        else:
            facts = {"kind": BlockKind.PARAGRAPH}
        facts.update(content=inline.content, content_map=inline.map, nested=bool(stack))
        return facts, index + 3
    if kind == "table_open":
        while index < len(tokens) and tokens[index].type != "table_close":
            index += 1
        return {"kind": BlockKind.TABLE}, index + 1
    if kind in ("fence", "code_block"):
        return {"kind": BlockKind.CODE}, index + 1
    return {"kind": BlockKind.HTML, "html": token.content if kind == "html_block" else None}, index + 1


def _build(doc: Document, lines: list[str], spans: list[tuple[int, int, dict]]) -> None:
    """Blocks from the spans; the lines between them become separators or protected blocks."""
    layout = Layout()
    pieces = _with_gaps(lines, spans)
    control = _Control()
    previous: Block | None = None
    for first, end, facts in pieces:
        if facts is None:  # separator text between blocks
            text = "".join(lines[first:end])
            if previous is None:
                layout.lead += text
            else:
                layout.after[previous.id] = layout.after.get(previous.id, "") + text
            continue
        block = _block(doc, lines, first, end, facts, layout)
        control.apply(block, facts)
        doc.blocks.append(block)
        ending = _ending(lines[end - 1])
        layout.after[block.id] = ending
        previous = block
    doc.layout = layout  # type: ignore[attr-defined]


def _with_gaps(lines: list[str], spans: list) -> list[tuple[int, int, dict | None]]:
    """Spans plus the gaps between them: blank or ``>``-only lines are separators, other lines
    (link reference definitions) are protected blocks of their own."""
    pieces: list[tuple[int, int, dict | None]] = []
    cursor = 0
    for first, end, facts in sorted(spans, key=lambda s: s[0]):
        if first < cursor:  # overlapping leaves (should not happen): keep the earlier one whole
            continue
        pieces.extend(_gap(lines, cursor, first))
        pieces.append((first, end, facts))
        cursor = end
    pieces.extend(_gap(lines, cursor, len(lines)))
    return pieces


def _gap(lines: list[str], first: int, end: int) -> list[tuple[int, int, dict | None]]:
    pieces: list[tuple[int, int, dict | None]] = []
    index = first
    while index < end:
        separator = bool(_SEPARATOR_LINE.match(lines[index].rstrip("\r\n")))
        stop = index
        while stop < end and bool(_SEPARATOR_LINE.match(lines[stop].rstrip("\r\n"))) == separator:
            stop += 1
        pieces.append((index, stop, None if separator else {"kind": BlockKind.HTML, "html": None}))
        index = stop
    return pieces


def _block(doc: Document, lines: list[str], first: int, end: int, facts: dict, layout: Layout) -> Block:
    """One block: raw source, text, and for prose the shape of its lines."""
    raw_lines = lines[first:end]
    raw = "".join(raw_lines)
    raw = raw[: len(raw) - len(_ending(raw_lines[-1]))]
    kind = facts["kind"]
    block = Block(len(doc.blocks), kind, raw, first + 1, protected=True, raw=raw, level=facts.get("level", 0))
    if "content" not in facts:
        return block
    shape = _shape(raw_lines, facts)
    if shape is None:  # text not found in its lines (tabs expanded, odd nesting): leave it alone
        return block
    block.text = facts["content"]
    block.protected = False
    block.markup = shape.prefixes[0]
    layout.shapes[block.id] = shape
    if kind == BlockKind.HEADING and facts["level"] == 1 and not facts["nested"] and _is_first_prose(doc):
        block.kind = BlockKind.TITLE
    return block


def _is_first_prose(doc: Document) -> bool:
    """True when no block of text but headings comes before: a level-1 heading after front
    matter, HTML, or a kicker printed as a smaller heading ("###### immunology") is the title."""
    return not any(b.kind not in (BlockKind.FRONT_MATTER, BlockKind.HTML, BlockKind.HEADING) for b in doc.blocks)


def _shape(raw_lines: list[str], facts: dict) -> LineShape | None:
    """Each content line's prefix and suffix in its source line; None when they cannot be found."""
    content_lines = facts["content"].split("\n")
    text_lines = [line.rstrip("\r\n") for line in raw_lines]
    prefixes, suffixes = [], []
    for number, content in enumerate(content_lines):
        if number >= len(text_lines):
            return None
        line = text_lines[number]
        found = _locate(line, content)
        if found is None:
            return None
        prefixes.append(line[:found])
        suffixes.append(line[found + len(content):])
    used = len(content_lines)
    trailer = "".join(raw_lines[used:]) if used < len(raw_lines) else ""
    if trailer:
        trailer = _ending(raw_lines[used - 1]) + trailer[: len(trailer) - len(_ending(raw_lines[-1]))]
    return LineShape(prefixes, suffixes, trailer)


def _locate(line: str, content: str) -> int | None:
    """Where ``content`` starts in ``line`` after a prefix of markers and indentation."""
    if not content:
        return None
    position = line.find(content)
    while position >= 0:
        if _PREFIX.match(line[:position]):
            return position
        position = line.find(content, position + 1)
    return None


class _Control:
    """The ``<!-- cleaner: ... -->`` comments, applied to the blocks that follow them."""

    def __init__(self) -> None:
        self.off = False
        self.disable: frozenset[str] = frozenset()

    def apply(self, block: Block, facts: dict) -> None:
        html = (facts.get("html") or "").strip()
        if html:
            if _OFF.match(html):
                self.off = True
                return
            if _ON.match(html):
                self.off = False
                return
            match = _DISABLE.match(html)
            if match:
                self.disable |= {part.strip() for part in match.group(1).split(",")}
                return
        if self.off:
            block.protected = True
        if self.disable:
            block.disabled_rules = block.disabled_rules | self.disable
            self.disable = frozenset()


def render_markdown(doc: Document) -> str:
    """The document as Markdown: untouched blocks as they were, edited ones re-set in their lines."""
    layout: Layout | None = getattr(doc, "layout", None)
    if not isinstance(layout, Layout):
        parts = [b.raw if b.raw is not None and not b.edited else b.markup + b.text for b in doc.alive()]
        return doc.newline.join(parts) + (doc.newline if parts and doc.final_newline else "")
    out = [layout.lead]
    pending: str | None = None  # the separator owed before the next written block
    for block in doc.blocks:
        after = layout.after.get(block.id, "")
        if _gone(block):
            if pending is not None:
                pending = _wider(pending, after)
            continue
        if pending is not None:
            out.append(pending)
        out.append(_block_source(doc, block, layout))
        pending = after
    if doc.blocks and (pending is None or _gone(doc.blocks[-1])):
        pending = layout.after.get(doc.blocks[-1].id, "")  # the file's own ending
    out.append(pending or "")
    return "".join(out)


def _gone(block: Block) -> bool:
    return not block.alive or (block.edited and not block.text.strip())


def _wider(before: str, after: str) -> str:
    """Of two separators around a dropped block, the one with more line breaks (the later on a tie)."""
    return before if _breaks(before) > _breaks(after) else after


def _breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _block_source(doc: Document, block: Block, layout: Layout) -> str:
    if block.raw is not None and not block.edited:
        return block.raw
    shape = layout.shapes.get(block.id)
    if shape is None:
        return block.markup + block.text
    new_lines = block.text.split("\n")
    prefixes, suffixes = shape.prefixes, shape.suffixes
    if len(new_lines) != len(prefixes):
        continuation = prefixes[1] if len(prefixes) > 1 else re.sub(r"[^>\s]", " ", prefixes[0])
        prefixes = [prefixes[0]] + [continuation] * (len(new_lines) - 1)
        suffixes = [""] * (len(new_lines) - 1) + [shape.suffixes[-1]]
    text = doc.newline.join(p + line + s for p, line, s in zip(prefixes, new_lines, suffixes))
    return text + shape.trailer
