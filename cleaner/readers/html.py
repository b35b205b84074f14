"""HTML reader: the page's main content as blocks, its metadata in ``doc.metadata``.

The page is parsed once with lxml. Metadata is read from that tree, the site pack for the
page's domain (if any) removes its elements, and trafilatura finds the main content. Its XML
(``p``, ``head``, ``list``/``item``, ``quote``, ``table``, ``code``, ``graphic``) is mapped to one
block per paragraph, heading, list item or quote paragraph; a table becomes a protected
Markdown pipe table. What the extractor leaves inside the article (share lines, newsletter
prompts, related links) is left to the boilerplate stage, which records what it drops.
"""
from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field

from lxml import etree, html as lxml_html

from cleaner import metadata as page_metadata
from cleaner.document import Block, BlockKind, Document
from cleaner.errors import InputError
from cleaner.readers import ReadOptions

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^>]*>", re.IGNORECASE)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:<[^<>]*>|[^()\s]*)\)")
#: Link-only lines: a block is "linked" when this share of its text is link text.
LINKED_SHARE = 0.9
#: A run of this many short linked blocks is a list of links (related stories, tags, menus).
LINK_RUN = 2
LINK_RUN_MAX_WORDS = 15
_SNIFF_BYTES = 4096
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code", "div", "section", "article"})
#: Labels browsers read differently from Python's codec of the same name (WHATWG Encoding).
_LABEL_ALIASES = {"iso-8859-1": "windows-1252", "latin1": "windows-1252", "latin-1": "windows-1252",
                  "us-ascii": "windows-1252", "ascii": "windows-1252", "iso8859-1": "windows-1252",
                  "iso-8859-9": "windows-1254", "tis-620": "windows-874", "gb2312": "gb18030",
                  "gbk": "gb18030", "x-sjis": "shift_jis", "utf-16": "utf-8", "utf-16le": "utf-8",
                  "utf-16be": "utf-8", "x-user-defined": "windows-1252"}
# trafilatura logs a warning for every page it finds nothing in; the reader says so itself
logging.getLogger("trafilatura").addHandler(logging.NullHandler())

#: libxml2 stops nesting elements at this depth; what lies deeper is cut (and a warning says so).
MAX_DEPTH = 255


def sniff_charset(data: bytes) -> str | None:
    """The encoding a ``<meta charset>`` or ``http-equiv`` declares in the first bytes, as a Python codec name.

    Unknown labels give None, so decoding falls through to detection instead of failing.
    """
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, name: str = "<stdin>") -> str:
    """Decode a page as a browser does: BOM, then (valid UTF-8 or) the charset it declares, then detection.

    A page that declares a charset is decoded with it even when a few bytes are invalid (they
    become U+FFFD), as browsers do; guessing instead would garble the whole page.
    """
    from cleaner import files

    declared = sniff_charset(data)
    if declared is None or data.startswith(_BOMS) or _decodes(data, declared):
        return files.decode(data, name, declared=declared)
    return _with_replacement(data, declared, name)


def _decodes(data: bytes, encoding: str) -> bool:
    for candidate in ("utf-8", encoding):
        try:
            data.decode(candidate)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _with_replacement(data: bytes, encoding: str, name: str) -> str:
    offset = data.find(b"\x00", 0, _SNIFF_BYTES * 2)
    if offset >= 0:  # binary input fails loudly, as files.decode has it
        raise InputError(f"input is binary (NUL byte at offset {offset})",
                         hint="give a text, HTML or Markdown file", path=name)
    return data.decode(encoding, errors="replace")


def parse(text: str, source: str = "<stdin>", warnings: list[str] | None = None) -> lxml_html.HtmlElement:
    """Parse decoded HTML with lxml; an input with no element at all is an InputError.

    A page nested deeper than libxml2's limit is cut there (no recursion runs away on it);
    ``warnings`` gets a line saying so.
    """
    text = _INVALID_XML.sub("", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        raise InputError("the page is empty", hint="nothing to clean", path=source)
    parser = _parser()
    try:
        tree = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        tree = None
    if tree is None or len(tree) == 0:
        # libxml2 sometimes returns an empty tree for a page that starts with a doctype
        parser = _parser()
        try:
            tree = lxml_html.document_fromstring(_DOCTYPE.sub("", text, count=1), parser=parser)
        except (etree.ParserError, ValueError):
            raise InputError("no HTML element found", hint="check that the input is an HTML page",
                             path=source) from None
    if warnings is not None and any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        warnings.append(f"{source}: the page nests elements deeper than {MAX_DEPTH} levels; "
                        "the text below that depth was cut")
    return tree


def _parser() -> lxml_html.HTMLParser:
    # one per parse: lxml parsers keep state (their error log) and are not to be shared by threads
    return lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)


def read_html(text: str, source: str = "<stdin>", options: ReadOptions | None = None) -> Document:
    """Read an HTML page into a Document of its main content."""
    options = options or ReadOptions()
    warnings: list[str] = []
    tree = parse(text, source, warnings)
    meta = page_metadata.extract(tree, options.url)
    domain = page_metadata.domain_of(options.url or meta.get("url"))
    doc = Document([], source=source, source_format="html", metadata=meta, warnings=warnings,
                   newline="\n", final_newline=True)
    pack = options.sites.for_domain(domain) if options.sites is not None and domain else None
    removed = pack.remove_elements(tree) if pack else []
    anchors = None if options.links else _anchor_texts(tree)
    body = _extract(tree, options, meta.get("url") or options.url)
    builder = _Builder(options, anchors=anchors)
    if body is not None:
        builder.body(body)
    blocks = builder.blocks
    _mark_title(blocks, meta.get("title"))
    _assemble(doc, removed, blocks, options, pack)
    if not any(b.kind != BlockKind.TITLE for b in doc.alive()):
        doc.warnings.append(f"{source}: no main content found in the page")
    return doc


def _extract(tree: lxml_html.HtmlElement, options: ReadOptions, url: str | None) -> etree._Element | None:
    """trafilatura's main-content XML for the tree, or None when it finds nothing."""
    import trafilatura

    result = trafilatura.bare_extraction(
        tree, url=url, output_format="xml", include_comments=False, include_tables=True,
        include_links=options.links, include_images=options.images, include_formatting=False,
        with_metadata=False)
    return None if result is None else result.body


@dataclass
class _Pending:
    """A block before it gets an id: the reader assembles ids in source order at the end."""

    kind: BlockKind
    text: str
    line: int
    level: int = 0
    markup: str = ""
    protected: bool = False
    linked: float = 0.0  # share of the text inside links


@dataclass
class _Builder:
    """Walks trafilatura's output tree and collects pending blocks."""

    options: ReadOptions
    anchors: set[str] | None = None  # the page's link texts, when the extractor keeps no links
    blocks: list[_Pending] = field(default_factory=list)
    line: int = 1
    link_chars: int = 0

    def add(self, kind: BlockKind, text: str, node: etree._Element, **extra) -> None:
        if node.sourceline:
            self.line = node.sourceline
        linked, self.link_chars = self.link_chars, 0
        if text.strip():
            if self.anchors is not None:
                share = 1.0 if _norm(text) in self.anchors else 0.0
            else:
                share = min(1.0, linked / max(1, len(_MD_LINK.sub(r"\1", text.strip()))))
            self.blocks.append(_Pending(kind, text.strip(), self.line, linked=share, **extra))

    def body(self, body: etree._Element) -> None:
        if body.text and body.text.strip():
            self.add(BlockKind.PARAGRAPH, _collapse(body.text), body)
        for node in body:
            self.element(node)
            if node.tail and node.tail.strip():
                self.add(BlockKind.PARAGRAPH, _collapse(node.tail), node)

    def element(self, node: etree._Element) -> None:
        tag = node.tag
        if tag == "head":
            level = _heading_level(node)
            self.add(BlockKind.HEADING, self.inline(node), node, level=level)
        elif tag == "list":
            self.list(node, "")
        elif tag == "quote":
            self.quote(node)
        elif tag == "table":
            self.table(node)
        elif tag == "code":
            self.add(BlockKind.CODE, _fence(node), node, protected=True)
        elif tag == "graphic":
            if self.options.images and _image(node):
                self.add(BlockKind.HTML, _image(node), node, protected=True)
        elif tag == "lb":
            return
        elif tag == "p":
            self.add(BlockKind.PARAGRAPH, self.inline(node), node)
        elif isinstance(tag, str) and _BLOCK_TAGS.intersection(child.tag for child in node):
            # a container (readability's fallback output keeps divs): its children are the blocks
            self.body(node)
        elif isinstance(tag, str):
            self.add(BlockKind.PARAGRAPH, self.inline(node), node)

    def list(self, node: etree._Element, indent: str) -> None:
        """One block per item; a nested list is indented under its item's text."""
        ordered = node.get("rend", "").lower() == "ol"
        number = 0
        for item in node:
            if item.tag != "item":
                self.element(item)
                continue
            number += 1
            marker = f"{number}. " if ordered else "- "
            self.add(BlockKind.LIST_ITEM, self.inline(item, skip=("list",)), item, markup=indent + marker)
            for child in item:
                if child.tag == "list":
                    self.list(child, indent + " " * len(marker))

    def quote(self, node: etree._Element) -> None:
        paragraphs = [child for child in node if child.tag in ("p", "head", "list")]
        if not paragraphs:
            self.add(BlockKind.QUOTE, self.inline(node), node, markup="> ")
            return
        if node.text and node.text.strip():
            self.add(BlockKind.QUOTE, _collapse(node.text), node, markup="> ")
        for child in node:
            if child.tag == "list":
                for item in child.iter("item"):
                    self.add(BlockKind.QUOTE, self.inline(item, skip=("list",)), item, markup="> - ")
            else:
                self.add(BlockKind.QUOTE, self.inline(child), child, markup="> ")
            if child.tail and child.tail.strip():
                self.add(BlockKind.QUOTE, _collapse(child.tail), child, markup="> ")

    def table(self, node: etree._Element) -> None:
        rows = [[self.inline(cell) for cell in row if cell.tag == "cell"] for row in node.iter("row")]
        rows = [r for r in rows if any(c.strip() for c in r)]
        width = max((len(r) for r in rows), default=0)
        if width <= 1 or len(rows) < 2:
            # a one-column "table" is layout, not data: keep its cells as paragraphs
            for row in rows:
                for cell in row:
                    self.add(BlockKind.PARAGRAPH, cell, node)
            return
        self.add(BlockKind.TABLE, pipe_table(rows, width), node, protected=True)

    def inline(self, node: etree._Element, skip: tuple[str, ...] = ()) -> str:
        """The node's text with links and images as Markdown when asked, whitespace collapsed."""
        parts: list[str] = []
        self._inline_into(node, parts, skip, top=True)
        return _collapse("".join(parts))

    def _inline_into(self, node: etree._Element, parts: list[str], skip: tuple[str, ...], top: bool) -> None:
        tag = node.tag
        if not isinstance(tag, str) or (not top and tag in skip):
            if not top and node.tail:
                parts.append(node.tail)
            return
        if tag == "graphic":
            if self.options.images and _image(node):
                parts.append(" " + _image(node) + " ")
        elif tag == "ref":
            inner: list[str] = []
            self._inline_children(node, inner, skip)
            label = _collapse("".join(inner))
            self.link_chars += len(label)
            target = _safe_url(node.get("target") or "")
            if self.options.links and target and label:
                parts.append(f"[{label}]({_link_target(target)})")
            else:
                parts.append("".join(inner))
        elif tag == "lb":
            parts.append(" ")
        elif tag == "code" and not top and len(node) == 0 and "\n" not in (node.text or ""):
            code = (node.text or "").strip()
            if code:
                ticks = "``" if "`" in code else "`"
                parts.append(f"{ticks}{code}{ticks}")
        else:
            if not top and tag in ("p", "head", "item", "list", "row", "cell", "quote"):
                parts.append(" ")
            self._inline_children(node, parts, skip)
            if not top and tag in ("p", "head", "item", "list", "row", "cell", "quote"):
                parts.append(" ")
        if not top and node.tail:
            parts.append(node.tail)

    def _inline_children(self, node: etree._Element, parts: list[str], skip: tuple[str, ...]) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            self._inline_into(child, parts, skip, top=False)


def pipe_table(rows: list[list[str]], width: int) -> str:
    """Rows of cell text as a Markdown pipe table; the first row is the header."""
    def line(cells: list[str]) -> str:
        cells = [c.replace("\\", "\\\\").replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"
    return "\n".join([line(rows[0]), "|" + " --- |" * width, *(line(r) for r in rows[1:])])


def _heading_level(node: etree._Element) -> int:
    rend = node.get("rend", "")
    return int(rend[1]) if len(rend) == 2 and rend[0] == "h" and rend[1] in "123456" else 2


def _fence(node: etree._Element) -> str:
    code = "".join(node.itertext()).strip("\n")
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{node.get('lang') or ''}\n{code}\n{fence}"


def _image(node: etree._Element) -> str:
    alt = _collapse(node.get("alt") or node.get("title") or "").replace("[", "(").replace("]", ")")
    src = _safe_url(node.get("src") or "")
    return f"![{alt}]({_link_target(src)})" if src else ""


def _safe_url(url: str) -> str | None:
    """The URL when it is web, mail or relative; None for ``javascript:``, ``data:`` and the like."""
    url = "".join(ch for ch in url.strip() if ch >= " ")
    scheme = _SCHEME.match(url)
    if not url or (scheme and scheme.group(1).lower() not in ("http", "https", "mailto")):
        return None
    return url


def _link_target(url: str) -> str:
    url = url.replace(" ", "%20")
    return f"<{url}>" if "(" in url or ")" in url else url


def _anchor_texts(tree: etree._Element) -> set[str]:
    """The normalised text of every link on the page: a block that is one of them is a link line."""
    texts = set()
    for anchor in tree.iter("a"):
        text = _norm(anchor.text_content())
        if text:
            texts.add(text)
    return texts


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _mark_title(blocks: list[_Pending], title: str | None) -> None:
    """Make the heading that repeats the title a TITLE; else put the title first.

    A level-1 heading that opens the extracted text is the article's own title even when the
    page's ``<title>`` says something else (a site name, a section).
    """
    key = _norm(title or "")
    for index, pending in enumerate(blocks[:3]):
        if pending.kind != BlockKind.HEADING:
            continue
        text = _norm(pending.text)
        if text and key and (text == key or key.startswith(text) or text.startswith(key)) \
                or (text and pending.level == 1 and index == 0):
            pending.kind, pending.markup, pending.level = BlockKind.TITLE, "# ", 1
            return
    if key:
        blocks.insert(0, _Pending(BlockKind.TITLE, title, 1, level=1, markup="# "))


def link_drops(blocks: list[_Pending]) -> dict[int, tuple[str, str]]:
    """Blocks that are links to elsewhere, by index: (rule id, message).

    The extractor keeps some link-only lines inside the article: runs of short linked lines
    (related stories, "more on" lists) and all-capitals linked lines (a headline of another
    story set inside this one). Prose that merely contains links is never touched.
    """
    drops: dict[int, tuple[str, str]] = {}
    linked = [b.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) and b.linked >= LINKED_SHARE for b in blocks]
    for index, block in enumerate(blocks):
        if linked[index] and _all_capitals(block.text):
            drops[index] = ("extract.link-headline", "a linked headline of another story")
    index = 0
    while index < len(blocks):
        end = index
        while end < len(blocks) and linked[end] and _words(blocks[end].text) <= LINK_RUN_MAX_WORDS:
            end += 1
        if end - index >= LINK_RUN:
            for i in range(index, end):
                drops.setdefault(i, ("extract.link-list", "a list of links to other pages"))
        index = max(end, index + 1)
    return drops


def _words(text: str) -> int:
    return len(_MD_LINK.sub(r"\1", text).split())


def _all_capitals(text: str) -> bool:
    letters = [c for c in _MD_LINK.sub(r"\1", text) if c.isalpha()]
    return len(letters) >= 8 and all(c.isupper() for c in letters)


def _assemble(doc: Document, removed: list, blocks: list[_Pending], options: ReadOptions, pack) -> None:
    """Give the blocks ids: front matter first, then what the site pack removed, then the article."""
    if options.front_matter and doc.metadata:
        doc.blocks.append(Block(0, BlockKind.FRONT_MATTER, page_metadata.front_matter(doc.metadata), 1,
                                protected=True))
    for rule_id, node_text, line in removed:
        block = Block(len(doc.blocks), BlockKind.PARAGRAPH, node_text, line)
        doc.blocks.append(block)
        doc.drop(block, rule=rule_id, stage="sites", message="removed by the site pack before extraction")
    drops = link_drops(blocks)
    for index, pending in enumerate(blocks):
        block = Block(len(doc.blocks), pending.kind, pending.text, pending.line,
                      protected=pending.protected, level=pending.level, markup=pending.markup)
        doc.blocks.append(block)
        if index in drops:
            rule, message = drops[index]
            doc.drop(block, rule=rule, stage="extract", message=message)
    if pack is not None:
        pack.drop_lines(doc)
